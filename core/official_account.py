"""What the services ask of a WeChat Official Account's API: the port that
adapters/wechat/client.py's WeChatClient implements (and the tests' fakes). Pure: no I/O.

A refused call raises adapters/wechat/errors.py's WeChatApiError, whose `transient` tells a call
worth retrying from one that will never go through.
"""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, AsyncIterable, Mapping, Protocol

from core.media_store import MediaDownload


class QrTicket(Protocol):
    """A parametric QR code as WeChat created it."""

    @property
    def ticket(self) -> str: ...

    @property
    def url(self) -> str:
        """The code's content."""

    @property
    def image_url(self) -> str:
        """WeChat's picture of the code."""


class OfficialAccount(Protocol):
    async def send_text(self, openid: str, text: str) -> None:
        """A customer-service text (only inside the guest's 48 h window and WeChat's quota)."""

    async def send_template(self, openid: str, template_id: str, data: Mapping[str, Any]) -> int:
        """A template message (followers only, not bound to the window); returns WeChat's msgid."""

    async def create_qr(self, scene: str, *, permanent: bool) -> QrTicket:
        """A parametric QR code whose scans and follows carry `scene`."""

    async def user_info(self, openid: str) -> dict[str, Any]:
        """The follower's profile (`subscribe` 0: not following, and nothing else)."""

    def media(self, media_id: str, *, max_bytes: int) -> AbstractAsyncContextManager[MediaDownload]:
        """`async with account.media(id, max_bytes=n) as download`: a medium a guest sent (WeChat keeps it
        3 days; InvalidMediaId after), streamed; more than `max_bytes` raises MediaTooLarge while streaming."""

    async def upload_media(self, kind: str, chunks: AsyncIterable[bytes], *, filename: str, content_type: str,
                           size: int | None = None) -> str:
        """POST /cgi-bin/media/upload?type=<kind> (image | voice | video | thumb), multipart field `media`,
        streamed: WeChat's media_id (valid 3 days, reusable). MediaRefused (a WeChatApiError) on
        40004/40005/40006/40009-40012. `size` (the bytes `chunks` gives), when known, is sent as the length.
        Retried within the call only if `chunks` can be read again (an iterable, not an iterator)."""

    async def send_media(self, openid: str, kind: str, media_id: str, *, thumb_media_id: str = "",
                         title: str = "", description: str = "") -> None:
        """A customer-service image / voice / video message (video: thumb_media_id, title, description).
        Never repeated on an unknown outcome, like send_text (WeChatOutcomeUnknown)."""
