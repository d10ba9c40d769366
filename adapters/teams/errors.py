"""What the Bot Connector answered, as exceptions the services can tell apart.

The connector answers errors as `{"error": {"code": "...", "message": "..."}}`; 403s are told
apart only by the code.
"""
from __future__ import annotations

# Worth trying again after a pause (Microsoft's guidance for Teams bots).
TRANSIENT_STATUSES = frozenset({412, 429, 502, 504})


class TeamsError(Exception):
    def __init__(self, status: int, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}" if code else f"{status}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after  # seconds, from Retry-After

    @property
    def transient(self) -> bool:
        return self.status in TRANSIENT_STATUSES


class ConversationNotFound(TeamsError):
    """404: the conversation does not exist (any more) for this bot."""


class ActivityNotFound(TeamsError):
    """404 on updating or deleting a message the conversation does not have."""


class BotNotInConversationRoster(TeamsError):
    """403: the app is not installed for the user, or not in the team (any more)."""


class ConversationBlockedByUser(TeamsError):
    """403: the user blocked the bot."""


class BotDisabledByAdmin(TeamsError):
    """403: the tenant's admin disabled the app."""


class Throttled(TeamsError):
    """429: over Teams' rate limits (per conversation, and per app and tenant)."""


class AttachmentRefused(TeamsError):
    """An attachment the bot will not fetch: its address is not https, or it wants the bot's token at a
    host that may not have it (an activity's URLs are written by whoever wrote the message)."""

    def __init__(self, message: str) -> None:
        super().__init__(0, "AttachmentRefused", message)


class AttachmentUnavailable(TeamsError):
    """An attachment could not be downloaded (HTTP status, or 0: no answer); `transient`: it may work later."""

    def __init__(self, status: int, message: str, *, transient: bool) -> None:
        super().__init__(status, "AttachmentUnavailable", message)
        self._transient = transient

    @property
    def transient(self) -> bool:
        return self._transient


_BY_CODE: dict[str, type[TeamsError]] = {
    "ConversationNotFound": ConversationNotFound,
    "BotNotInConversationRoster": BotNotInConversationRoster,
    "ConversationBlockedByUser": ConversationBlockedByUser,
    "BotDisabledByAdmin": BotDisabledByAdmin,
}


def teams_error(status: int, code: str, message: str, *, retry_after: float | None = None) -> TeamsError:
    """The most specific exception for a connector answer."""
    cls = _BY_CODE.get(code)
    if cls is None:
        if status == 429:
            cls = Throttled
        elif status == 404:
            # An unknown conversation is the common 404; a missing message says so in its code.
            cls = ConversationNotFound if code in ("", "NotFound") else ActivityNotFound
        else:
            cls = TeamsError
    return cls(status, code, message, retry_after=retry_after)
