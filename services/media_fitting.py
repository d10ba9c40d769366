"""The real MediaFit (core/media_fit.py): WeChat's limits checked here, the conversions done by the
converters it is given (branch `inmedia`'s Pillow image fitting, branch `voice`'s ffmpeg transcoding),
each reading a stored medium and putting its result in the store. What already fits goes as it is;
without a converter, only that.

What each converter is asked (the lead points these at their modules):
- image(stored, max_bytes, content_types) -> StoredMedia | None: the picture re-encoded (PNG or JPEG)
  and scaled down until it is at most `max_bytes`; None if it is no picture it can read.
- voice(stored) -> (StoredMedia, seconds) | None: the audio as MP3 (audio/mpeg), and how long it plays;
  None if it is no audio it can read.
- video(stored, max_bytes, thumbnail_max_bytes) -> (StoredMedia, StoredMedia) | None: the video as MP4
  (video/mp4, re-encoded smaller when it is over `max_bytes`) and a JPEG of its first frame at most
  `thumbnail_max_bytes`; None if it is no video it can read.
"""
from __future__ import annotations

from typing import Awaitable, Callable

from core.media_fit import WECHAT_LIMITS, Fitted, Unfit, fits, megabytes
from core.media_store import StoredMedia
from core.outgoing_media import IMAGE, VIDEO, VOICE

ImageConverter = Callable[[StoredMedia, int, frozenset[str]], Awaitable[StoredMedia | None]]
VoiceConverter = Callable[[StoredMedia], Awaitable[tuple[StoredMedia, float] | None]]
VideoConverter = Callable[[StoredMedia, int, int], Awaitable[tuple[StoredMedia, StoredMedia] | None]]

UNREADABLE = Unfit("media_unreadable")


def _too_large(kind: str) -> Unfit:
    return Unfit("media_too_large", {"max_mb": megabytes(WECHAT_LIMITS[kind].max_bytes)})


class WeChatFit:
    def __init__(self, *, image: ImageConverter | None = None, voice: VoiceConverter | None = None,
                 video: VideoConverter | None = None) -> None:
        self.image = image
        self.voice = voice
        self.video = video

    async def for_wechat(self, kind: str, stored: StoredMedia) -> Fitted | Unfit:
        if kind == IMAGE:
            return await self._image(stored)
        if kind == VOICE:
            return await self._voice(stored)
        if kind == VIDEO:
            return await self._video(stored)
        raise ValueError(f"WeChat sends no {kind!r} message")

    async def _image(self, stored: StoredMedia) -> Fitted | Unfit:
        if fits(IMAGE, stored):
            return Fitted(stored)
        limit = WECHAT_LIMITS[IMAGE]
        fitted = await self.image(stored, limit.max_bytes, limit.content_types) if self.image else None
        if fitted is None:
            return UNREADABLE
        return Fitted(fitted) if fits(IMAGE, fitted) else _too_large(IMAGE)

    async def _voice(self, stored: StoredMedia) -> Fitted | Unfit:
        """Always through the converter: only it knows how long the audio plays (WeChat: 60 s at most)."""
        converted = await self.voice(stored) if self.voice else None
        if converted is None:
            return UNREADABLE
        media, seconds = converted
        longest = WECHAT_LIMITS[VOICE].max_seconds
        if longest is not None and seconds > longest:
            return Unfit("media_too_long", {"seconds": int(longest)})
        return Fitted(media) if fits(VOICE, media, seconds) else _too_large(VOICE)

    async def _video(self, stored: StoredMedia) -> Fitted | Unfit:
        """Always through the converter: WeChat's video message needs a thumbnail."""
        made = await self.video(stored, WECHAT_LIMITS[VIDEO].max_bytes, WECHAT_LIMITS["thumb"].max_bytes) \
            if self.video else None
        if made is None:
            return UNREADABLE
        media, thumbnail = made
        return Fitted(media, thumbnail) if fits(VIDEO, media) and fits("thumb", thumbnail) else _too_large(VIDEO)
