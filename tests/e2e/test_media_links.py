"""`GET /media/<token>` through the app: the medium streamed with its type to a valid link; 403, 410,
404 and 503 otherwise, never a 500, never by the key alone."""
from __future__ import annotations

import hashlib
import os

import pytest

from core.media_store import Media, StoredMedia
from tests.media.streams import chunked

PHOTO = os.urandom(700_000)
KEY = hashlib.sha256(PHOTO).hexdigest()


async def _get(stack, token: str, method: str = "GET", **headers: str):
    async with stack.session.request(method, stack.app_server.make_url(f"/media/{token}"),
                                     headers=headers) as response:
        return response.status, response.headers, await response.read()


async def _stored(stack) -> str:
    await stack.components.media.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    return stack.components.media_links.url(KEY, ttl_seconds=300).rsplit("/", 1)[1]


async def test_a_valid_link_streams_the_medium_with_its_type(stack):
    token = await _stored(stack)
    status, headers, body = await _get(stack, token)
    assert (status, body) == (200, PHOTO)
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Content-Length"] == str(len(PHOTO))
    assert headers["Cache-Control"] == "private"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = await _get(stack, token, "HEAD")
    assert (status, body, headers["Content-Length"]) == (200, b"", str(len(PHOTO)))


@pytest.mark.parametrize("asked, first, last", [("bytes=0-99", 0, 99), ("bytes=300000-", 300_000, len(PHOTO) - 1),
                                               ("bytes=-500", len(PHOTO) - 500, len(PHOTO) - 1),
                                               ("bytes=699990-800000", 699_990, len(PHOTO) - 1)])
async def test_a_range_is_answered_with_that_part_so_a_video_can_be_sought(stack, asked, first, last):
    token = await _stored(stack)
    status, headers, body = await _get(stack, token, Range=asked)
    assert (status, body) == (206, PHOTO[first:last + 1])
    assert headers["Content-Range"] == f"bytes {first}-{last}/{len(PHOTO)}"
    assert headers["Content-Length"] == str(last - first + 1) and headers["Content-Type"] == "image/jpeg"
    status, headers, body = await _get(stack, token, "HEAD", Range=asked)
    assert (status, body, headers["Content-Length"]) == (206, b"", str(last - first + 1))


async def test_a_range_past_the_end_is_not_satisfiable(stack):
    token = await _stored(stack)
    for asked in (f"bytes={len(PHOTO)}-", "bytes=-0"):
        status, headers, _ = await _get(stack, token, Range=asked)
        assert (status, headers["Content-Range"]) == (416, f"bytes */{len(PHOTO)}"), asked


async def test_the_whole_is_answered_to_several_ranges_another_unit_or_another_if_range(stack):
    token = await _stored(stack)
    status, headers, _ = await _get(stack, token)
    assert (headers["Accept-Ranges"], headers["ETag"]) == ("bytes", f'"{KEY}"')  # a medium never changes
    for asked in ({"Range": "bytes=0-1,5-9"}, {"Range": "items=0-1"}, {"Range": "bytes=9-1"},
                  {"Range": "bytes=0-1", "If-Range": '"another"'}):
        status, headers, body = await _get(stack, token, **asked)
        assert (status, body) == (200, PHOTO), asked
    assert (await _get(stack, token, Range="bytes=0-1", **{"If-Range": f'"{KEY}"'}))[2] == PHOTO[:2]


async def test_a_link_past_its_expiry_is_gone(stack):
    token = await _stored(stack)
    stack.clock.advance(300)
    assert (await _get(stack, token))[0] == 410


async def test_an_altered_or_made_up_token_or_the_key_alone_is_forbidden(stack):
    token = await _stored(stack)
    digest, expiry, mac = token.split(".")
    for bad in (f"{digest}.{int(expiry) + 86_400}.{mac}", f"{digest}.{expiry}.{mac[::-1]}", KEY, "x", "a.b.c"):
        assert (await _get(stack, bad))[0] == 403, bad


async def test_a_medium_no_longer_stored_is_not_found(stack):
    token = await _stored(stack)
    assert await stack.components.media.delete(KEY)
    assert (await _get(stack, token))[0] == 404


async def test_a_store_out_of_reach_is_unavailable_not_an_error(stack):
    token = await _stored(stack)
    working = stack.components.media

    class Unreachable:
        async def get(self, key: str, *, offset: int = 0) -> Media | StoredMedia | None:
            raise ConnectionError("the store is down")

    stack.components.media = Unreachable()
    try:
        assert (await _get(stack, token))[0] == 503
    finally:
        stack.components.media = working
    assert (await _get(stack, token))[0] == 200


async def test_without_media_url_key_every_process_of_a_deployment_signs_alike(tmp_path):
    """A worker process makes the link, a web instance serves it: without MEDIA_URL_KEY both derive the
    same key from the WeChat AppSecret they share; another deployment's links are refused."""
    from configured import media_store
    from config import load_settings
    from core.clock import FakeClock
    from core.media_links import LinkRefused
    from tests.test_config import BASE

    clock = FakeClock()

    async def links(**env):
        settings = load_settings({**BASE, "SQLITE_PATH": str(tmp_path / "b.sqlite3"), **env}, dotenv_path=None)
        store, signer = await media_store(settings, clock)
        await store.close()
        return signer

    worker, web = await links(), await links()
    token = worker.token(KEY, int(clock.now()) + 60)
    assert web.key(token) == KEY
    other = await links(WECHAT_APP_SECRET="another deployment's secret")
    with pytest.raises(LinkRefused):
        other.key(token)
    assert (await links(MEDIA_URL_KEY="k" * 32)).token(KEY, 1) != worker.token(KEY, 1)


async def test_a_documents_link_downloads_it_under_its_name_and_ends_at_its_expiry(stack):
    await stack.components.media.put(chunked(PHOTO), content_type="application/pdf", max_bytes=len(PHOTO))
    url = stack.components.media_links.url(KEY, ttl_seconds=300, filename="季度 report.pdf")
    path = url.split("/media/", 1)[1]
    status, headers, body = await _get(stack, path)
    assert (status, body, headers["Content-Type"]) == (200, PHOTO, "application/pdf")
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''%E5%AD%A3%E5%BA%A6%20report.pdf"
    token = path.split("/", 1)[0]
    assert (await _get(stack, f"{token}/other.pdf"))[0] == 403  # renamed: not ours
    stack.clock.advance(300)
    assert (await _get(stack, path))[0] == 410
