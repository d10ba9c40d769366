"""WeChatClient.upload_media and send_media against the WeChat API simulator, over HTTP on 127.0.0.1:
WeChat's formats, limits and errcodes, the retry rules, and what the guest receives."""
from __future__ import annotations

import tracemalloc

import aiohttp
import pytest
from aiohttp import web

from adapters.wechat.errors import (AccessTokenInvalid, InvalidMediaId, MediaRefused, OutsideWindow, SystemBusy,
                                   UploadTooLarge, WeChatOutcomeUnknown, WeChatTransportError)
from adapters.wechat.upload import upload_filename
from simulators.wechat_media import KEEP_SECONDS
from tests import media_samples as samples
from tests.wechat.conftest import FixedToken

UPLOAD = "/cgi-bin/media/upload"
SEND = "/cgi-bin/message/custom/send"
KB, MB = 1024, 1024 * 1024


async def chunks_of(content: bytes, size: int = 64 * KB):
    for start in range(0, len(content), size):
        yield content[start:start + size]


class Reopenable:
    """An iterable read afresh each time (as a stored medium opened again would be)."""

    def __init__(self, content: bytes) -> None:
        self.content, self.opened = content, 0

    def __aiter__(self):
        self.opened += 1
        return chunks_of(self.content)


async def upload(client, kind, content, *, content_type="image/png", filename="photo.png", sized=True):
    return await client.upload_media(kind, chunks_of(content), filename=filename, content_type=content_type,
                                     size=len(content) if sized else None)


def guest_writes(state, openid="o1"):
    state.follow(openid)
    state.user_message(openid)


@pytest.mark.parametrize("kind, content, content_type", [
    ("image", samples.image("PNG"), "image/png"),
    ("image", samples.image("JPEG"), "image/jpeg"),
    ("image", samples.image("GIF"), "image/gif"),
    ("voice", samples.amr(3), "audio/amr"),
    ("voice", samples.mp3(3), "audio/mpeg"),
    ("video", samples.mp4(), "video/mp4"),
    ("thumb", samples.image("JPEG"), "image/jpeg"),
])
@pytest.mark.parametrize("sized", [True, False])
async def test_an_upload_keeps_the_bytes_wechat_received(client, state, kind, content, content_type, sized):
    media_id = await upload(client, kind, content, content_type=content_type, filename="x", sized=sized)
    kept = state.media.find(media_id)
    assert (kept.kind, kept.content, kept.content_type) == (kind, content, content_type)
    call = state.calls(UPLOAD)[0]
    assert call.query["type"] == kind and call.json["filename"].startswith("x.")
    assert call.json["content"] == f"{len(content)} bytes"  # /sim/sent shows the size; the store keeps the bytes


async def test_the_answer_is_wechats_and_the_id_lasts_three_days(client, state, session, base, clock):
    token = await client.token_cache.get()
    form = aiohttp.FormData()
    form.add_field("media", samples.image(), filename="a.png", content_type="image/png")
    async with session.post(f"{base}{UPLOAD}", params={"type": "image", "access_token": token}, data=form) as r:
        answer = await r.json()
    assert set(answer) == {"type", "media_id", "created_at"} and answer["type"] == "image"
    assert answer["created_at"] == int(clock.now())
    clock.advance(KEEP_SECONDS - 1)
    guest_writes(state)
    await client.send_media("o1", "image", answer["media_id"])  # reusable while it lasts
    await client.send_media("o1", "image", answer["media_id"])
    clock.advance(1)
    with pytest.raises(InvalidMediaId):
        await client.send_media("o1", "image", answer["media_id"])
    assert len(state.delivered) == 2


@pytest.mark.parametrize("kind, content, errcode, reason", [
    ("file", samples.image(), 40004, "media_type"),
    ("image", b"%PDF-1.7 not a picture", 40005, "file_type"),
    ("image", samples.amr(1), 40005, "file_type"),  # the bytes decide, not the name or the declared type
    ("voice", samples.mp4(), 40005, "file_type"),
    ("thumb", samples.image("PNG"), 40005, "file_type"),  # a thumbnail is a JPEG
    ("voice", samples.amr(61), 40006, "file_size"),  # longer than 60 s
    ("voice", samples.mp3(61), 40006, "file_size"),
    ("image", samples.padded(samples.image("JPEG"), 2 * MB + 1), 40009, "image_too_large"),
    ("voice", samples.padded(samples.amr(1), 2 * MB + 1), 40010, "voice_too_large"),
    ("video", samples.mp4(10 * MB + 1), 40011, "video_too_large"),
    ("thumb", samples.padded(samples.image("JPEG"), 64 * KB + 1), 40012, "thumb_too_large"),
])
async def test_what_wechat_refuses_is_refused_once_with_its_reason(client, state, sleeps, kind, content, errcode,
                                                                   reason):
    with pytest.raises(MediaRefused) as refused:
        await upload(client, kind, content)
    assert (refused.value.errcode, refused.value.reason, refused.value.transient) == (errcode, reason, False)
    assert isinstance(refused.value, UploadTooLarge) == (reason.endswith("too_large"))
    assert len(state.calls(UPLOAD)) == 1 and sleeps.delays == [] and state.media.media == {}


@pytest.mark.parametrize("kind, content, limit", [
    ("image", samples.image("JPEG"), 2 * MB), ("voice", samples.mp3(1), 2 * MB),  # MP3: padding is no frame
    ("video", samples.mp4(), 10 * MB), ("thumb", samples.image("JPEG"), 64 * KB),
])
async def test_a_medium_of_exactly_the_limit_is_taken(client, state, kind, content, limit):
    assert await upload(client, kind, samples.padded(content, limit))


async def test_a_voice_note_of_sixty_seconds_is_taken(client):
    assert await upload(client, "voice", samples.amr(60), content_type="audio/amr")
    assert await upload(client, "voice", samples.mp3(60), content_type="audio/mpeg")


async def test_the_upload_streams_with_bounded_memory(client, serve):
    """Against a WeChat that reads and drops the bytes (the simulator keeps them): what is measured is the
    client's own memory while 32 MB go out."""
    received = []

    async def upload_endpoint(request):
        size = 0
        async for chunk in request.content.iter_chunked(64 * KB):
            size += len(chunk)
        received.append(size)
        return web.json_response({"type": "video", "media_id": "m1", "created_at": 1})

    app = web.Application()
    app.router.add_post(UPLOAD, upload_endpoint)
    client.base_url = str((await serve(app)).make_url("")).rstrip("/")
    client.token_cache = FixedToken()
    chunk = bytes(range(256)) * 256  # 64 KB, made once

    async def source():
        for _ in range(512):
            yield chunk

    tracemalloc.start()
    try:
        await client.upload_media("video", source(), filename="v.mp4", content_type="video/mp4", size=32 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received[0] > 32 * MB  # the bytes and the form around them
    assert peak < 2 * MB, f"{peak} bytes at the peak for a 32 MB upload"  # 0.9 MB measured


async def test_a_refused_token_is_refreshed_and_a_reopenable_body_sent_again(client, state):
    await client.token_cache.get()
    state.expire_tokens()
    source = Reopenable(samples.image())
    media_id = await client.upload_media("image", source, filename="a.png", content_type="image/png")
    assert state.media.find(media_id).content == samples.image()
    assert [r.errcode for r in state.calls(UPLOAD)] == [42001, 0] and source.opened == 2


async def test_a_one_shot_body_is_not_sent_twice_the_token_is_refreshed_for_the_next_try(client, state):
    await client.token_cache.get()
    state.expire_tokens()
    with pytest.raises(WeChatTransportError) as refused:
        await upload(client, "image", samples.image())
    assert refused.value.transient and not isinstance(refused.value, AccessTokenInvalid)
    assert len(state.calls(UPLOAD)) == 1
    assert await upload(client, "image", samples.image())  # the caller's next try: a fresh token
    assert [r.errcode for r in state.calls(UPLOAD)] == [42001, 0]


async def test_wechat_busy_retries_a_reopenable_body_and_not_a_one_shot_one(client, state, sleeps):
    state.fail_next(UPLOAD, -1)
    assert await client.upload_media("image", Reopenable(samples.image()), filename="a", content_type="image/png")
    assert [r.errcode for r in state.calls(UPLOAD)] == [-1, 0] and len(sleeps.delays) == 1
    state.fail_next(UPLOAD, -1)
    with pytest.raises(SystemBusy):
        await upload(client, "image", samples.image())
    assert len(state.calls(UPLOAD)) == 3


async def test_a_lost_answer_to_an_upload_is_retried_it_costs_nothing(client, state):
    state.lose_answer(UPLOAD)
    media_id = await client.upload_media("image", Reopenable(samples.image()), filename="a", content_type="image/png")
    assert len(state.calls(UPLOAD)) == 2 and state.media.find(media_id)


async def test_a_size_that_is_not_the_mediums_fails_before_a_wrong_length_is_sent(client, state):
    with pytest.raises(WeChatTransportError) as refused:
        await client.upload_media("image", chunks_of(samples.image()), filename="a.png", content_type="image/png",
                                  size=len(samples.image()) + 10)
    assert not refused.value.transient
    assert state.media.media == {}


@pytest.mark.parametrize("given, content_type, sent", [
    ("Photo 1.PNG", "image/png", "Photo_1.png"),
    ("scan", "image/jpeg", "scan.jpg"),
    ('a"b\r\nX-Evil: 1.jpg', "image/jpeg", "a_b_X-Evil_1.jpg"),
    ("照片.jpeg", "image/jpeg", "media.jpg"),
    ("note.amr", "audio/amr", "note.amr"),
    ("clip", "video/quicktime", "clip.bin"),
])
def test_the_file_name_is_safe_and_has_its_types_extension(given, content_type, sent):
    assert upload_filename(given, content_type) == sent


async def test_a_content_type_that_could_end_the_header_is_refused(client):
    with pytest.raises(ValueError):
        await upload(client, "image", samples.image(), content_type="image/png\r\nX-Evil: 1")


# --- custom-send image, voice, video ------------------------------------------------------------


async def test_media_messages_reach_the_guest_with_wechats_bodies(client, state):
    guest_writes(state)
    image = await upload(client, "image", samples.image())
    voice = await upload(client, "voice", samples.amr(2), content_type="audio/amr")
    video = await upload(client, "video", samples.mp4(), content_type="video/mp4")
    thumb = await upload(client, "thumb", samples.image("JPEG"), content_type="image/jpeg")
    await client.send_media("o1", "image", image)
    await client.send_media("o1", "voice", voice)
    await client.send_media("o1", "video", video, thumb_media_id=thumb, title="Plan", description="改")
    assert [(d.msgtype, d.json[d.msgtype]) for d in state.delivered] == [
        ("image", {"media_id": image}), ("voice", {"media_id": voice}),
        ("video", {"media_id": video, "thumb_media_id": thumb, "title": "Plan", "description": "改"})]
    assert state.user_view("o1")["remaining"] == 2  # each counts against the window like a text


async def test_the_guest_sees_the_bytes(client, state, session, base):
    guest_writes(state)
    picture = samples.image("JPEG", (40, 30))
    media_id = await upload(client, "image", picture, content_type="image/jpeg")
    await client.send_media("o1", "image", media_id)
    async with session.get(f"{base}/sim/media/{media_id}") as r:
        assert (r.status, r.content_type, await r.read()) == (200, "image/jpeg", picture)


@pytest.mark.parametrize("kind, uploaded_as", [("image", "voice"), ("voice", "image"), ("video", "thumb")])
async def test_a_media_id_of_another_type_is_40007(client, state, kind, uploaded_as):
    guest_writes(state)
    content = {"image": samples.image("JPEG"), "voice": samples.amr(1), "thumb": samples.image("JPEG")}[uploaded_as]
    media_id = await upload(client, uploaded_as, content)
    with pytest.raises(InvalidMediaId):
        await client.send_media("o1", kind, media_id)
    assert state.delivered == [] and state.user_view("o1")["remaining"] == 5


async def test_an_unknown_media_id_or_thumbnail_is_40007(client, state):
    guest_writes(state)
    with pytest.raises(InvalidMediaId):
        await client.send_media("o1", "image", "never-uploaded")
    video = await upload(client, "video", samples.mp4(), content_type="video/mp4")
    with pytest.raises(InvalidMediaId):
        await client.send_media("o1", "video", video, thumb_media_id="never-uploaded")
    assert state.delivered == []


async def test_a_media_message_keeps_the_window_rules(client, state, clock):
    image = await upload(client, "image", samples.image())
    state.follow("o1")
    clock.advance(61)
    with pytest.raises(OutsideWindow):
        await client.send_media("o1", "image", image)


async def test_a_media_message_whose_answer_was_lost_is_not_sent_again(client, state, sleeps):
    guest_writes(state)
    image = await upload(client, "image", samples.image())
    state.lose_answer(SEND)
    with pytest.raises(WeChatOutcomeUnknown):
        await client.send_media("o1", "image", image)
    assert len(state.calls(SEND)) == 1 and len(state.delivered) == 1 and sleeps.delays == []


async def test_a_media_message_is_image_voice_or_video():
    from adapters.wechat.client import WeChatClient

    with pytest.raises(ValueError):
        await WeChatClient.send_media(None, "o1", "file", "m1")  # type: ignore[arg-type]


async def test_a_source_that_fails_is_its_own_error_not_the_networks(client, state):
    class StoreDown(Exception):
        pass

    async def failing():
        yield samples.image()[:10]
        raise StoreDown("the media store is out of reach")

    with pytest.raises(StoreDown):
        await client.upload_media("image", failing(), filename="a.png", content_type="image/png")
    assert state.media.media == {}


async def test_the_simulator_answers_a_form_without_the_file_41005_and_no_form_47001(client, session, base):
    token = await client.token_cache.get()
    url, query = f"{base}{UPLOAD}", {"type": "image", "access_token": token}
    form = aiohttp.FormData()
    form.add_field("file", samples.image(), filename="a.png", content_type="image/png")
    async with session.post(url, params=query, data=form) as r:
        assert (await r.json())["errcode"] == 41005
    async with session.post(url, params=query, data=samples.image(), headers={"Content-Type": "image/png"}) as r:
        assert (await r.json())["errcode"] == 47001
