"""What can happen to a conversation: the policy's events."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Union

from core.conversation_policy.model import GUEST
from core.outgoing_media import OutgoingMedia

# --- events --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestMessage:
    """The guest wrote (any message type). A text equal to the policy's leave keyword leaves.
    `withheld`: data-loss prevention kept it from the employees; why, by language, for the guest."""

    text: str = ""
    language: str | None = None  # e.g. WeChat's user-info `language`: zh_CN, en …
    withheld: Mapping[str, str] | None = None
    # When the guest wrote (WeChat's CreateTime): WeChat's window counts from then, however late the
    # message is decided (an employee who installs the app later, a retried job, a worker that was
    # down); and how many messages a dialog sent the guest since (WeChat counted them).
    at: float | None = None
    sent_since: int = 0
    # What a dialog says as it connects the guest ("You are now connected with Alice Wong"): said
    # instead of the welcome's opening, in the same WeChat message as the rules.
    said: str = ""


@dataclass(frozen=True)
class EmployeeMessage:
    """An employee wrote. Each WeChat message counts: a caption and two pictures are three messages,
    sent (or queued) in that order, the first under `message_id`, the others under `<message_id>:<n>`."""

    message_id: str
    text: str
    author: str
    media: tuple[OutgoingMedia, ...] = ()


@dataclass(frozen=True)
class SystemMessage:
    """Another component (a dialog, the routing assistant) wants to send the guest a message."""

    text: str
    message_id: str | None = None


@dataclass(frozen=True)
class Follow:
    language: str | None = None
    at: float | None = None  # when the guest followed (CreateTime): WeChat's grant counts from then


@dataclass(frozen=True)
class Scan:
    """A parametric QR scan (feed click / scancode menu events as this too: same grant)."""

    language: str | None = None
    at: float | None = None


@dataclass(frozen=True)
class Unfollow:
    pass


@dataclass(frozen=True)
class Tick:
    """Time passed (the sweeper, at or after `next_due_at`)."""


@dataclass(frozen=True)
class ParticipantsChanged:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Leave:
    """The guest (`by=GUEST`) or an employee (`by=` their id, `name` as shown) left the conversation.
    `closes`: False when other employees stay in it (only the guest and the last employee close it)."""

    by: str = GUEST
    name: str = ""
    closes: bool = True


@dataclass(frozen=True)
class CancelQueued:
    """An employee cancelled a queued message: `by` their id (a name, in entries recorded before),
    `name` as Teams showed them."""

    message_id: str
    by: str = ""
    name: str = ""


@dataclass(frozen=True)
class WeChatAnswer:
    """WeChat's answer to a SendToGuest / SendTemplate, by its message_id: errcode 0 is success."""

    message_id: str
    errcode: int
    errmsg: str = ""


@dataclass(frozen=True)
class Unconfirmed:
    """A SendToGuest / SendTemplate that WeChat never answered (a timeout after it was sent, a
    crash before its answer was written): it may or may not have reached the guest. It counts as
    spent and is not sent again on its own; an employee message can be sent again (SendAgain)."""

    message_id: str


@dataclass(frozen=True)
class SendAgain:
    """An employee asks to send again a message whose delivery was not confirmed."""

    message_id: str
    by: str = ""


@dataclass(frozen=True)
class Blocked:
    """Data-loss prevention (`cause` "dlp") or the media rules (`cause` "media": not allowed, cannot be
    fitted, refused by WeChat's upload) refused an employee message: before it was queued, or when it
    was to go out (then it is pending, and did not reach WeChat). `reasons`: why, by language, for the
    employees."""

    message_id: str
    reasons: Mapping[str, str]
    cause: str = "dlp"


Event = Union[GuestMessage, EmployeeMessage, SystemMessage, Follow, Scan, Unfollow, Tick,
              ParticipantsChanged, Leave, CancelQueued, WeChatAnswer, Unconfirmed, SendAgain, Blocked]
