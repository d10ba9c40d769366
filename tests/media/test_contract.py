"""The media store contract (core/media_store.py), run against every backend through `media_store`."""
from __future__ import annotations

import hashlib
import os

import pytest

from core.media_store import StoredMedia, TooLarge
from tests.media.streams import chunked, read_all

PHOTO = os.urandom(3 * 1024 * 1024 + 17)  # several read chunks and upload blocks, the last one short
PHOTO_KEY = hashlib.sha256(PHOTO).hexdigest()
EMPTY_KEY = hashlib.sha256(b"").hexdigest()


async def test_put_keys_by_sha256_and_get_gives_back_the_bytes_and_type(media_store):
    stored = await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    assert stored == StoredMedia(PHOTO_KEY, len(PHOTO), "image/jpeg")
    media = await media_store.get(PHOTO_KEY)
    assert media.info == stored
    assert await read_all(media.chunks) == PHOTO
    assert await media_store.exists(PHOTO_KEY)


async def test_the_same_bytes_put_twice_are_one_medium_with_the_first_type(media_store):
    first = await media_store.put(chunked(PHOTO, 1000), content_type="image/jpeg", max_bytes=len(PHOTO))
    again = await media_store.put(chunked(PHOTO, 777_777), content_type="application/octet-stream",
                                  max_bytes=len(PHOTO))
    assert again == first
    assert (await media_store.get(PHOTO_KEY)).info.content_type == "image/jpeg"
    assert await media_store.delete(PHOTO_KEY)
    assert not await media_store.exists(PHOTO_KEY)  # one deletion removes it: it was stored once


async def test_an_empty_stream_is_a_medium(media_store):
    assert await media_store.put(chunked(b""), content_type="text/plain", max_bytes=0) == \
        StoredMedia(EMPTY_KEY, 0, "text/plain")
    assert await read_all((await media_store.get(EMPTY_KEY)).chunks) == b""


async def test_content_type_parameters_are_kept(media_store):
    await media_store.put(chunked(b"hello"), content_type='text/plain; charset="utf-8"', max_bytes=5)
    media = await media_store.get(hashlib.sha256(b"hello").hexdigest())
    assert media.info.content_type == 'text/plain; charset="utf-8"'
    await media.chunks.aclose()


async def test_a_stream_over_its_maximum_is_refused_and_nothing_is_stored(media_store):
    with pytest.raises(TooLarge) as refused:
        await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO) - 1)
    assert refused.value.max_bytes == len(PHOTO) - 1
    assert "larger than" in str(refused.value)
    assert not await media_store.exists(PHOTO_KEY)
    assert await media_store.get(PHOTO_KEY) is None
    assert (await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))).key == PHOTO_KEY


async def test_a_stream_that_fails_stores_nothing(media_store):
    async def broken():
        yield PHOTO[:1024 * 1024]
        yield PHOTO[1024 * 1024:2 * 1024 * 1024]
        raise ConnectionResetError("WeChat hung up")

    with pytest.raises(ConnectionResetError):
        await media_store.put(broken(), content_type="image/jpeg", max_bytes=len(PHOTO))
    for key in (PHOTO_KEY, hashlib.sha256(PHOTO[:2 * 1024 * 1024]).hexdigest()):
        assert not await media_store.exists(key)


@pytest.mark.parametrize("content_type", ["", "jpeg", "image/jpeg\r\nSet-Cookie: a=b", "image /jpeg", "text/html; x"])
async def test_what_is_no_content_type_is_refused_before_anything_is_stored(media_store, content_type):
    with pytest.raises(ValueError):
        await media_store.put(chunked(PHOTO), content_type=content_type, max_bytes=len(PHOTO))
    assert not await media_store.exists(PHOTO_KEY)


@pytest.mark.parametrize("key", [EMPTY_KEY, PHOTO_KEY.upper(), PHOTO_KEY[:63], "../" + PHOTO_KEY[3:], "", "x" * 64])
async def test_what_names_nothing_stored_is_absent(media_store, key):
    assert await media_store.get(key) is None
    assert not await media_store.exists(key)
    assert not await media_store.delete(key)


async def test_delete_removes_and_says_whether_there_was_something(media_store):
    await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    assert await media_store.delete(PHOTO_KEY)
    assert await media_store.get(PHOTO_KEY) is None
    assert not await media_store.exists(PHOTO_KEY)
    assert not await media_store.delete(PHOTO_KEY)
    assert (await media_store.put(chunked(PHOTO), content_type="image/png", max_bytes=len(PHOTO))).content_type \
        == "image/png"  # stored again afresh


async def test_a_medium_outlives_its_store_object(make_media_store):
    first = make_media_store()
    await first.open()
    await first.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    await first.close()
    second = make_media_store()
    await second.open()
    await second.open()  # idempotent
    try:
        media = await second.get(PHOTO_KEY)
        assert media.info == StoredMedia(PHOTO_KEY, len(PHOTO), "image/jpeg")
        assert await read_all(media.chunks) == PHOTO
    finally:
        await second.close()


async def test_a_medium_read_in_part_and_closed_can_be_read_again(media_store):
    await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    media = await media_store.get(PHOTO_KEY)
    first = await anext(media.chunks)
    assert PHOTO.startswith(first) and 0 < len(first) < len(PHOTO)
    await media.chunks.aclose()
    assert await read_all((await media_store.get(PHOTO_KEY)).chunks) == PHOTO


@pytest.mark.parametrize("offset", [1, 256 * 1024 + 3, len(PHOTO) - 1, len(PHOTO)])
async def test_get_from_an_offset_gives_the_bytes_from_there_and_the_whole_mediums_info(media_store, offset):
    stored = await media_store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    media = await media_store.get(PHOTO_KEY, offset=offset)
    assert media.info == stored
    assert await read_all(media.chunks) == PHOTO[offset:]
