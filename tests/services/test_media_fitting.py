"""services/media_fitting.py on the bundled ffmpeg (adapters/media/ffmpeg.py) and a stand-in for the
image fitter: what WeChat takes goes as it is, the rest converted and stored, and what still does not
fit (or cannot be read) refused with why."""
from __future__ import annotations

import pytest

from adapters.media.ffmpeg import Ffmpeg, ffmpeg_binary
from core.image_fit import UnfitImage
from core.media_fit import MB, Fitted, Unfit
from core.media_store import StoredMedia
from core.transcoding import JPEG, MP3
from services.media_fitting import WeChatFit
from tests.fakes import MemoryMediaStore
from tests.voice.samples import chunks, decoded_seconds, mp3_audio, mp4_video, phone_video, video_streams


@pytest.fixture
def ffmpeg(tmp_path):
    return Ffmpeg(ffmpeg_binary(), str(tmp_path / "work"))


async def stored(store: MemoryMediaStore, data: bytes, content_type: str) -> StoredMedia:
    return await store.put(chunks(data), content_type=content_type, max_bytes=len(data))


async def test_a_picture_that_fits_goes_as_it_is_and_one_that_does_not_through_the_image_fitter():
    store, asked = MemoryMediaStore(), []
    png = await stored(store, b"\x89PNG small", "image/png")
    heic = await stored(store, b"heic" * 10, "image/heic")
    assert await WeChatFit(store).for_wechat("image", png) == Fitted(png)
    assert await WeChatFit(store).for_wechat("image", heic) == Unfit("media_unreadable")  # no fitter

    def fit_image(data, *, max_side, max_bytes, formats):
        asked.append((data, max_bytes, formats))
        return b"jpeg of " + data, "image/jpeg"

    fitted = await WeChatFit(store, fit_image=fit_image).for_wechat("image", heic)
    assert isinstance(fitted, Fitted) and store.media[fitted.media.key] == (b"jpeg of " + b"heic" * 10, "image/jpeg")
    assert asked == [(b"heic" * 10, 2 * MB, frozenset({"image/png", "image/jpeg", "image/gif"}))]

    def unreadable(data, **limits):
        raise UnfitImage("not an image")

    assert await WeChatFit(store, fit_image=unreadable).for_wechat("image", heic) == Unfit("media_unreadable")


async def test_a_voice_note_goes_as_mp3_and_past_60_seconds_is_refused(ffmpeg, tmp_path):
    store = MemoryMediaStore()
    short = await stored(store, mp3_audio(tmp_path, 5.0), "audio/mpeg")
    fitted = await WeChatFit(store, transcoder=ffmpeg).for_wechat("voice", short)
    assert isinstance(fitted, Fitted) and fitted.media.content_type == MP3 and fitted.media.size <= 2 * MB
    long = await stored(store, mp3_audio(tmp_path, 61.0), "audio/mpeg")
    assert await WeChatFit(store, transcoder=ffmpeg).for_wechat("voice", long) == Unfit("media_too_long",
                                                                                      {"seconds": 60})
    assert await WeChatFit(store).for_wechat("voice", short) == Unfit("media_unreadable")  # its length unknown


async def test_an_mp4_goes_as_it_is_with_a_jpeg_thumbnail_within_64_kb(ffmpeg, tmp_path):
    store = MemoryMediaStore()
    video = await stored(store, mp4_video(tmp_path, 1.0), "video/mp4")
    fitted = await WeChatFit(store, transcoder=ffmpeg).for_wechat("video", video)
    assert isinstance(fitted, Fitted) and fitted.media == video
    assert fitted.thumbnail is not None and fitted.thumbnail.content_type == JPEG
    assert fitted.thumbnail.size <= 64 * 1024 and store.media[fitted.thumbnail.key][0][:2] == b"\xff\xd8"
    unreadable = await stored(store, b"not a video at all" * 100, "video/quicktime")
    assert await WeChatFit(store, transcoder=ffmpeg).for_wechat("video", unreadable) == Unfit("media_unreadable")


async def test_a_phones_mov_over_10_mb_goes_re_encoded_as_an_mp4_within_10_mb(ffmpeg, tmp_path):
    store = MemoryMediaStore()
    mov = await stored(store, phone_video(tmp_path, 4.0, size="640x360", noise_mbps=24), "video/quicktime")
    assert mov.size > 10 * MB
    fitted = await WeChatFit(store, transcoder=ffmpeg).for_wechat("video", mov)
    assert isinstance(fitted, Fitted) and fitted.media.content_type == "video/mp4" and fitted.media.size <= 10 * MB
    data = store.media[fitted.media.key][0]
    assert data[4:8] == b"ftyp" and abs(decoded_seconds(tmp_path, data) - 4.0) <= 0.2
    streams = video_streams(tmp_path, data)
    assert "Video: h264" in streams and "Audio: aac" in streams
    assert fitted.thumbnail is not None and store.media[fitted.thumbnail.key][0][:2] == b"\xff\xd8"


async def test_a_video_too_long_for_10_mb_at_a_watchable_quality_is_refused_saying_so(ffmpeg, tmp_path):
    store = MemoryMediaStore()
    long = await stored(store, phone_video(tmp_path, 400.0, size="64x64", rate=1), "video/quicktime")
    refused = await WeChatFit(store, transcoder=ffmpeg).for_wechat("video", long)
    assert refused == Unfit("media_video_too_long", {"max_mb": 10, "minutes": 6})
