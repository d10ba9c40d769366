"""What each backend leaves where it keeps media: the medium under its key and nothing else, whether
a put succeeded, found its bytes there already, or was refused."""
from __future__ import annotations

import hashlib

import pytest

from adapters.media.blob import BlobMediaStore
from adapters.media.files import FileMediaStore
from core.media_store import TooLarge
from tests.media.streams import chunked

DATA = bytes(range(256)) * 5000
KEY = hashlib.sha256(DATA).hexdigest()


async def _left(store) -> list[str]:
    if isinstance(store, FileMediaStore):
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())
    assert isinstance(store, BlobMediaStore)
    return sorted([blob.name async for blob in store._container.list_blobs()])


async def test_a_refused_stream_leaves_nothing(media_store):
    with pytest.raises(TooLarge):
        await media_store.put(chunked(DATA), content_type="image/png", max_bytes=len(DATA) - 1)
    assert await _left(media_store) == []


async def test_a_put_leaves_the_medium_under_its_key_only(media_store):
    for _ in range(2):
        await media_store.put(chunked(DATA), content_type="image/png", max_bytes=len(DATA))
    expected = ([f"{KEY[:2]}/{KEY}", f"{KEY[:2]}/{KEY}.type"] if isinstance(media_store, FileMediaStore) else [KEY])
    assert await _left(media_store) == expected
