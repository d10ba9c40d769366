"""WeChatClient.media against the WeChat API simulator: a guest's media streamed into the media store."""
import tracemalloc

import pytest
from aiohttp import web

from adapters.media.files import FileMediaStore
from adapters.wechat.errors import (AccessTokenInvalid, InvalidMediaId, MediaTooLarge, SystemBusy,
                                   WeChatTransportError)
from core.media_store import TooLarge
from simulators.wechat_media import KEEP_SECONDS
from tests.fakes import FakeWeChat
from tests.wechat.conftest import FixedToken

MEDIA = "/cgi-bin/media/get"
MB = 1024 * 1024


def guest_sends(state, content: bytes, content_type: str = "image/jpeg", kind: str = "image") -> str:
    return state.media.put(content, content_type, kind)


async def store_it(client, store, media_id, *, max_bytes=64 * MB):
    async with client.media(media_id, max_bytes=max_bytes) as download:
        return await store.put(download.chunks, content_type=download.content_type, max_bytes=max_bytes)


def pattern(size: int) -> bytes:
    return bytes(range(256)) * (size // 256)


@pytest.fixture
def store(tmp_path):
    return FileMediaStore(tmp_path / "media")


def stored_files(store) -> list:
    return [p for p in store.root.rglob("*") if p.is_file()]


async def test_an_image_streams_into_the_store_with_bounded_memory(client, state, store):
    content = pattern(32 * MB)
    media_id = guest_sends(state, content)
    await client.token_cache.get()  # the token fetch is not what is measured
    tracemalloc.start()
    try:
        stored = await store_it(client, store, media_id)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (stored.size, stored.content_type) == (len(content), "image/jpeg")
    assert (await store.get(stored.key)).info == stored
    assert peak < 2 * MB, f"{peak} bytes at the peak for a 32 MB download"  # 1.4 MB measured


async def test_the_download_names_its_type_and_file(client, state):
    media_id = guest_sends(state, b"#!AMR\n" + bytes(100), "audio/amr", "voice")
    async with client.media(media_id, max_bytes=MB) as download:
        assert (download.content_type, download.filename) == ("audio/amr", f"{media_id}.amr")
        assert b"".join([c async for c in download.chunks]) == b"#!AMR\n" + bytes(100)


async def test_media_expire_three_days_after_the_guest_sent_them(client, state, store, clock):
    media_id = guest_sends(state, b"a photo")
    clock.advance(KEEP_SECONDS - 1)
    assert (await store_it(client, store, media_id)).size == 7
    clock.advance(1)
    with pytest.raises(InvalidMediaId) as refused:
        await store_it(client, store, media_id)
    assert refused.value.errcode == 40007
    with pytest.raises(InvalidMediaId):
        await store_it(client, store, "never-sent")


async def test_a_video_comes_through_its_video_url(client, state, store, session, base):
    content = pattern(MB)
    media_id = guest_sends(state, content, "video/mp4", "video")
    async with session.get(f"{base}{MEDIA}", params={"media_id": media_id,
                                                     "access_token": await client.token_cache.get()}) as raw:
        assert set(await raw.json()) == {"video_url"}  # what WeChat answers for a video
    stored = await store_it(client, store, media_id)
    assert (stored.size, stored.content_type) == (len(content), "video/mp4")


async def test_a_refused_token_is_refreshed_and_a_transient_error_retried(client, state, store, sleeps):
    media_id = guest_sends(state, b"a photo")
    await client.token_cache.get()
    state.expire_tokens()
    state.fail_next(MEDIA, -1)
    state.fail_next(MEDIA, status=502)
    assert (await store_it(client, store, media_id)).size == 7
    assert [r.errcode for r in state.calls(MEDIA)] == [-1, None, 42001, 0]  # the failures come first
    assert len(sleeps.delays) == 2


async def test_a_token_refused_twice_is_not_tried_a_third_time(client, state, store):
    media_id = guest_sends(state, b"a photo")
    state.fail_next(MEDIA, 40001, times=2)
    with pytest.raises(AccessTokenInvalid):
        await store_it(client, store, media_id)
    assert len(state.calls(MEDIA)) == 2


@pytest.fixture
async def wechat_answers(serve, client):
    """`await wechat_answers(handler)`: media/get answered by `handler`, for answers the simulator never gives."""
    async def use(handler):
        app = web.Application()
        app.router.add_get(MEDIA, handler)
        client.base_url = str((await serve(app)).make_url("")).rstrip("/")
        client.token_cache = FixedToken()

    return use


@pytest.mark.parametrize("content_type", ["text/plain", "application/json; charset=utf-8", "text/json"])
async def test_an_error_is_read_whatever_type_it_is_labelled(client, wechat_answers, content_type):
    # WeChat labels its JSON errors for media/get inconsistently: they are errors all the same.
    async def answer(request):
        return web.Response(body=b'{"errcode":40007,"errmsg":"invalid media_id"}',
                            headers={"Content-Type": content_type})

    await wechat_answers(answer)
    with pytest.raises(InvalidMediaId):
        async with client.media("m1", max_bytes=MB):
            pass


async def test_an_oversized_download_is_refused_with_nothing_stored(client, state, store):
    media_id = guest_sends(state, pattern(2 * MB))
    with pytest.raises(MediaTooLarge):  # said by Content-Length: refused before a byte is read
        await store_it(client, store, media_id, max_bytes=MB)
    assert stored_files(store) == []


async def test_an_oversized_stream_is_refused_while_it_streams(client, wechat_answers, store):
    async def chunked(request):  # no Content-Length: only counting tells
        response = web.StreamResponse(headers={"Content-Type": "image/jpeg"})
        await response.prepare(request)
        for _ in range(32):
            await response.write(pattern(64 * 1024))
        return response

    await wechat_answers(chunked)
    async with client.media("m1", max_bytes=MB) as download:
        with pytest.raises(MediaTooLarge):
            await store.put(download.chunks, content_type=download.content_type, max_bytes=4 * MB)
    assert stored_files(store) == []
    async with client.media("m1", max_bytes=4 * MB) as download:
        with pytest.raises(TooLarge):  # and the store's own limit holds as well
            await store.put(download.chunks, content_type=download.content_type, max_bytes=MB)
    assert stored_files(store) == []


async def test_an_answer_that_is_cut_off_is_a_transient_transport_error(client, state, store, monkeypatch):
    media_id = guest_sends(state, pattern(MB))
    monkeypatch.setattr("simulators.wechat_media.GuestMedium.send", _cut_off)
    with pytest.raises(WeChatTransportError) as failed:
        await store_it(client, store, media_id)
    assert failed.value.transient
    assert stored_files(store) == []


async def _cut_off(self, request):
    response = web.StreamResponse(headers={"Content-Type": self.content_type})
    response.content_length = len(self.content)
    await response.prepare(request)
    await response.write(self.content[:1000])
    request.transport.close()
    return response


async def test_the_fake_official_account_downloads_records_and_refuses():
    wechat = FakeWeChat()
    wechat.guest_media["m1"] = (b"a photo", "image/png")
    async with wechat.media("m1", max_bytes=MB) as download:
        assert (download.content_type, b"".join([c async for c in download.chunks])) == ("image/png", b"a photo")
    with pytest.raises(InvalidMediaId):
        async with wechat.media("gone", max_bytes=MB):
            pass
    with pytest.raises(MediaTooLarge):
        async with wechat.media("m1", max_bytes=3):
            pass
    wechat.refuse_next("media", SystemBusy(-1))
    with pytest.raises(SystemBusy):
        async with wechat.media("m1", max_bytes=MB):
            pass
    assert wechat.downloads == ["m1", "gone", "m1"]


async def test_the_control_route_makes_a_guest_send_a_medium(client, session, base):
    async with session.post(f"{base}/sim/media", params={"kind": "thumb"}, data=b"\xff\xd8 a thumb",
                            headers={"Content-Type": "image/jpeg"}) as sent:
        media_id = (await sent.json())["media_id"]
    async with session.post(f"{base}/sim/media", params={"kind": "file"}, data=b"x") as refused:
        assert refused.status == 400
    async with client.media(media_id, max_bytes=MB) as download:
        assert download.content_type == "image/jpeg"
        assert b"".join([c async for c in download.chunks]) == b"\xff\xd8 a thumb"
