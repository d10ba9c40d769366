"""services/media_fitting.py: what WeChat takes goes as it is, the rest through the converters it is
given, and what still does not fit (or cannot be read) is refused with why."""
from __future__ import annotations

from core.media_fit import MB, Fitted, Unfit
from core.media_store import StoredMedia
from services.media_fitting import WeChatFit

PNG = StoredMedia("a" * 64, 100_000, "image/png")
HEIC = StoredMedia("b" * 64, 3 * MB, "image/heic")
JPEG = StoredMedia("c" * 64, 900_000, "image/jpeg")
M4A = StoredMedia("d" * 64, 500_000, "audio/mp4")
MP3 = StoredMedia("e" * 64, 400_000, "audio/mpeg")
MOV = StoredMedia("f" * 64, 30 * MB, "video/quicktime")
MP4 = StoredMedia("0" * 64, 8 * MB, "video/mp4")
THUMB = StoredMedia("1" * 64, 30_000, "image/jpeg")


async def test_a_picture_that_fits_goes_as_it_is_without_a_converter():
    assert await WeChatFit().for_wechat("image", PNG) == Fitted(PNG)
    assert await WeChatFit().for_wechat("image", HEIC) == Unfit("media_unreadable")


async def test_a_picture_that_does_not_fit_is_converted_to_wechats_size_and_types():
    asked = []

    async def image(stored, max_bytes, types):
        asked.append((stored, max_bytes, types))
        return JPEG

    assert await WeChatFit(image=image).for_wechat("image", HEIC) == Fitted(JPEG)
    assert asked == [(HEIC, 2 * MB, frozenset({"image/png", "image/jpeg", "image/gif"}))]

    async def too_big(stored, max_bytes, types):
        return StoredMedia("2" * 64, 3 * MB, "image/jpeg")

    assert await WeChatFit(image=too_big).for_wechat("image", HEIC) == Unfit("media_too_large", {"max_mb": 2})


async def test_a_voice_note_is_transcoded_and_refused_past_60_seconds():
    async def voice(seconds):
        async def convert(stored):
            return MP3, seconds
        return convert

    assert await WeChatFit(voice=await voice(59.9)).for_wechat("voice", M4A) == Fitted(MP3)
    assert await WeChatFit(voice=await voice(60.5)).for_wechat("voice", M4A) == Unfit("media_too_long",
                                                                                       {"seconds": 60})
    assert await WeChatFit().for_wechat("voice", MP3) == Unfit("media_unreadable")  # its length unknown


async def test_a_video_goes_as_mp4_with_a_thumbnail_within_64_kb():
    async def video(stored, max_bytes, thumb_max):
        assert (max_bytes, thumb_max) == (10 * MB, 64 * 1024)
        return MP4, THUMB

    assert await WeChatFit(video=video).for_wechat("video", MOV) == Fitted(MP4, THUMB)

    async def big_thumb(stored, max_bytes, thumb_max):
        return MP4, StoredMedia("3" * 64, 70_000, "image/jpeg")

    assert await WeChatFit(video=big_thumb).for_wechat("video", MOV) == Unfit("media_too_large", {"max_mb": 10})
