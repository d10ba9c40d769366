"""WeChat's limits on the media a customer-service message carries, and the port that fits a stored
medium to them (a picture resized, a voice note transcoded to MP3, a video to MP4 with a thumbnail).
Pure: no I/O. The real fitter composes the image and audio/video converters (services/media_fitting.py);
the tests' fake keeps what already fits and refuses the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol

from core.media_store import StoredMedia
from core.outgoing_media import IMAGE, VIDEO, VOICE

MB = 1024 * 1024


def megabytes(size: int) -> int | float:
    """A size as people read it in a notice: 2, 1.5."""
    mb = round(size / MB, 1)
    return int(mb) if mb.is_integer() else mb


@dataclass(frozen=True)
class WeChatLimit:
    """What WeChat's media/upload takes of one kind (docs/wechat-platform.md, Media)."""

    content_types: frozenset[str]
    max_bytes: int
    max_seconds: float | None = None  # voice: how long it may play


WECHAT_LIMITS: Mapping[str, WeChatLimit] = {
    IMAGE: WeChatLimit(frozenset({"image/png", "image/jpeg", "image/gif"}), 2 * MB),
    VOICE: WeChatLimit(frozenset({"audio/mpeg", "audio/mp3", "audio/amr"}), 2 * MB, 60.0),
    VIDEO: WeChatLimit(frozenset({"video/mp4"}), 10 * MB),
    "thumb": WeChatLimit(frozenset({"image/jpeg"}), 64 * 1024),
}


def fits(kind: str, media: StoredMedia, seconds: float | None = None) -> bool:
    """Whether WeChat takes `media` as it is (its type and size; a voice note's duration, when known)."""
    limit = WECHAT_LIMITS[kind]
    content_type = media.content_type.split(";", 1)[0].strip().lower()
    too_long = limit.max_seconds is not None and seconds is not None and seconds > limit.max_seconds
    return content_type in limit.content_types and media.size <= limit.max_bytes and not too_long


@dataclass(frozen=True)
class Fitted:
    """The medium as WeChat takes it (stored: the original itself when it already fitted)."""

    media: StoredMedia
    thumbnail: StoredMedia | None = None  # VIDEO: a JPEG ≤ 64 KB


@dataclass(frozen=True)
class Unfit:
    """Why it cannot be made to fit: a notice key of core/notices/media.py (`media_too_large`,
    `media_too_long`, `media_video_too_long`, `media_unreadable`) and its values."""

    reason: str
    params: Mapping[str, object] = field(default_factory=dict)


class MediaFit(Protocol):
    async def for_wechat(self, kind: str, stored: StoredMedia) -> Fitted | Unfit:
        """`stored` (an IMAGE, VOICE or VIDEO) converted to WeChat's limits, the result put in the media
        store; Unfit when it cannot be (unreadable, a voice note longer than 60 s, still too large)."""
