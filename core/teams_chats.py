"""What the services ask of Microsoft Teams: post a message (Markdown text or an Adaptive Card) in
a conversation the bot knows, update one in place, start a thread in a channel, download what an
employee attached. The port that
adapters/teams/chats.py implements on the Bot Connector (and the tests' fakes); the services never
build Bot Framework objects, so a move from botbuilder to its successor touches the adapter only.
Pure: no I/O.

A refused call raises adapters/teams/errors.py's TeamsError (BotNotInConversationRoster,
ConversationNotFound, ActivityNotFound …).
"""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Protocol

from core.media_store import MediaDownload

Reference = Mapping[str, Any]  # a conversation reference, as Teams gave it (stored as JSON)


@dataclass(frozen=True)
class InlineImage:
    """An image shown in the message: Teams clients fetch it from `url` (https, no sign-in: a signed link)."""

    content_type: str  # image/jpeg, image/png …
    url: str


@dataclass(frozen=True)
class TeamsPost:
    """A message of the bot: an Adaptive Card (a notification of it says its `fallbackText`) under
    Markdown `text`, if any, or the text alone. `channel_data` marks it as the bot's (never taken
    for an employee's words). `images`: shown inline, under the text."""

    text: str = ""
    card: Mapping[str, Any] | None = None
    channel_data: Mapping[str, Any] = field(default_factory=dict)
    images: tuple[InlineImage, ...] = ()

    def opened_with(self, line: str) -> TeamsPost:
        """The post with `line` above what it says (above a card: its text, shown over the card)."""
        return replace(self, text=f"{line}\n\n{self.text}" if self.text else line)


@dataclass(frozen=True)
class TeamsAttachment:
    """A file or picture an employee attached to a Teams message, as the bot received it."""

    url: str  # contentUrl (pasted/inline image: needs the bot's token) or file.download.info's downloadUrl
    content_type: str  # image/png …, or the file's own type for file.download.info (from fileType / name)
    name: str = ""
    authenticated: bool = True  # True: the URL wants the bot's token (inline images); False: pre-authenticated (files)
    # The serviceUrl of the activity that carried it: the bot's token goes to that host or to Microsoft's only,
    # never to a host someone named in a message.
    service_url: str = ""


class TeamsChats(Protocol):
    async def post(self, reference: Reference, post: TeamsPost) -> str:
        """Post in the conversation; the new message's id."""

    async def update(self, reference: Reference, message_id: str, post: TeamsPost) -> None:
        """Replace a message the bot posted."""

    async def start_thread(self, channel: Reference, post: TeamsPost) -> tuple[dict[str, Any], str]:
        """A new thread in a channel, opened by `post`: the thread's reference and the message's id."""

    def download(self, attachment: TeamsAttachment, *, max_bytes: int) -> AbstractAsyncContextManager[MediaDownload]:
        """The attachment's bytes, streamed; TooLarge (core/media_store.py) past max_bytes."""
