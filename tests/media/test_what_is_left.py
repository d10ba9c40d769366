"""What each backend leaves where it keeps media: the medium under its key and nothing else, whether
a put succeeded, found its bytes there already, or was refused."""
from __future__ import annotations

import hashlib
import os
import time

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


async def test_opening_the_folder_removes_what_interrupted_writes_left_a_day_ago(tmp_path):
    incoming = tmp_path / "media" / "incoming"
    incoming.mkdir(parents=True)
    old, young = incoming / "old.part", incoming / "young.part"
    old.write_bytes(b"half a medium")
    young.write_bytes(b"a put in progress elsewhere")
    two_days_ago = time.time() - 2 * 86_400
    os.utime(old, (two_days_ago, two_days_ago))
    await FileMediaStore(tmp_path / "media").open()
    assert not old.exists() and young.exists()


async def test_opening_a_folder_never_written_makes_nothing(tmp_path):
    await FileMediaStore(tmp_path / "media").open()
    assert not (tmp_path / "media").exists()
