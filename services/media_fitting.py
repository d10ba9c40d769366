"""The real MediaFit (core/media_fit.py): WeChat's limits checked here, the conversions done by the
converters it is given, each result put in the media store. What already fits goes as it is.

- `transcoder` (core/transcoding.py, adapters/media/ffmpeg.py): any audio as an MP3 WeChat takes
  (`voice_for_wechat`: TooLong past 60 s, TooBig past 2 MB), a video's JPEG thumbnail (`video_thumbnail`,
  at most 64 KB), any other video as an MP4 within 10 MB (`video_for_wechat`; one too long for a watchable
  bitrate within 10 MB is refused as too long). Without it no voice note or video goes (a voice note's
  length, a video's thumbnail).
- `fit_image` (core/image_fit.py, adapters/media/images.py with Pillow): the picture re-encoded within
  WeChat's size and formats; CPU-bound, so run here on a thread. Without it, a picture that does not fit
  as it is cannot go.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Callable

from core.image_fit import FitImage, UnfitImage
from core.media_fit import WECHAT_LIMITS, Fitted, Unfit, fits, megabytes
from core.media_store import MediaStore, StoredMedia, TooLarge
from core.outgoing_media import IMAGE, VIDEO, VOICE
from core.transcoding import Converting, TooBig, TooLong, TranscodeError, Transcoder

MAX_SIDE = 4096  # pixels: WeChat states none; a phone photo keeps its detail, a poster is scaled down
UNREADABLE = Unfit("media_unreadable")


def _too_large(kind: str) -> Unfit:
    return Unfit("media_too_large", {"max_mb": megabytes(WECHAT_LIMITS[kind].max_bytes)})


def _unfit(made: StoredMedia | Unfit, kind: str) -> Unfit:
    """Why `made` cannot go: its own reason, or (stored, yet over WeChat's limit) too large."""
    return made if isinstance(made, Unfit) else _too_large(kind)


class WeChatFit:
    def __init__(self, store: MediaStore, *, transcoder: Transcoder | None = None,
                 fit_image: FitImage | None = None) -> None:
        self.store = store
        self.transcoder = transcoder
        self.fit_image = fit_image

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
        if self.fit_image is None:
            return UNREADABLE
        limit = WECHAT_LIMITS[IMAGE]
        data = b"".join([chunk async for chunk in self._chunks(stored)])  # Pillow decodes it whole anyway
        try:
            made = await asyncio.to_thread(self.fit_image, data, max_side=MAX_SIDE, max_bytes=limit.max_bytes,
                                           formats=limit.content_types)
        except UnfitImage:
            return UNREADABLE
        if made is None:
            return Fitted(stored)
        content, content_type = made
        fitted = await self.store.put(_once(content), content_type=content_type, max_bytes=len(content))
        return Fitted(fitted) if fits(IMAGE, fitted) else _too_large(IMAGE)

    async def _voice(self, stored: StoredMedia) -> Fitted | Unfit:
        """Always through the transcoder: only it knows how long the audio plays (WeChat: 60 s at most)."""
        if self.transcoder is None:
            return UNREADABLE
        longest = int(WECHAT_LIMITS[VOICE].max_seconds or 60)
        media = await self._converted(self.transcoder.voice_for_wechat(self._chunks(stored)), VOICE,
                                      too_long=lambda _: Unfit("media_too_long", {"seconds": longest}))
        return Fitted(media) if isinstance(media, StoredMedia) and fits(VOICE, media) else _unfit(media, VOICE)

    async def _video(self, stored: StoredMedia) -> Fitted | Unfit:
        """WeChat's video message needs a thumbnail; the video goes as it is if WeChat takes it, else re-encoded."""
        if self.transcoder is None:
            return UNREADABLE
        video: StoredMedia | Unfit = stored
        if not fits(VIDEO, stored):
            video = await self._converted(self.transcoder.video_for_wechat(self._chunks(stored)), VIDEO,
                                          too_long=lambda exc: Unfit("media_video_too_long", {
                                              "max_mb": megabytes(WECHAT_LIMITS[VIDEO].max_bytes),
                                              "minutes": int(exc.max_seconds // 60)}))
        if not isinstance(video, StoredMedia) or not fits(VIDEO, video):
            return _unfit(video, VIDEO)
        thumbnail = await self._converted(self.transcoder.video_thumbnail(self._chunks(video)), "thumb")
        return Fitted(video, thumbnail) if isinstance(thumbnail, StoredMedia) and fits("thumb", thumbnail) \
            else UNREADABLE

    async def _converted(self, converting: Converting, kind: str,
                         too_long: Callable[[TooLong], Unfit] | None = None) -> StoredMedia | Unfit:
        """The conversion's result stored, or why there is none; a converter that timed out is raised (the
        job runs again later: not the medium's fault)."""
        try:
            return await self._put(converting, kind)
        except TooLong as exc:
            return too_long(exc) if too_long else UNREADABLE
        except (TooBig, TooLarge):
            return _too_large(kind) if kind in (VOICE, VIDEO) else UNREADABLE
        except TranscodeError as exc:
            if exc.transient:
                raise
            return UNREADABLE

    async def _put(self, converting: Converting, kind: str) -> StoredMedia:
        async with converting as converted:
            return await self.store.put(converted.chunks, content_type=converted.content_type,
                                        max_bytes=WECHAT_LIMITS[kind].max_bytes)

    async def _chunks(self, stored: StoredMedia) -> AsyncIterator[bytes]:
        media = await self.store.get(stored.key)
        if media is None:
            raise LookupError(f"medium {stored.key} is no longer stored")
        async with contextlib.aclosing(media.chunks) as chunks:
            async for chunk in chunks:
                yield chunk


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content
