"""A 20 MB stream goes through each media store, in and out, with memory bounded by its chunks and
blocks, not by the stream's size."""
from __future__ import annotations

import tracemalloc

from tests.media.streams import generated, generated_key

SIZE = 20 * 1024 * 1024


async def test_20_mb_in_and_out_with_bounded_memory(media_store):
    key = generated_key(SIZE)
    tracemalloc.start()
    try:
        stored = await media_store.put(generated(SIZE), content_type="video/mp4", max_bytes=SIZE)
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        media = await media_store.get(key)
        read, first_bytes = 0, b""
        async for chunk in media.chunks:
            read += len(chunk)
            first_bytes = first_bytes or chunk[:16]
        _, get_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (stored.key, stored.size, read, first_bytes) == (key, SIZE, SIZE, bytes(16))
    print(f"{type(media_store).__name__}: peak {put_peak / 2**20:.1f} MiB writing, {get_peak / 2**20:.1f} MiB reading")
    # Measured: files 0.2 MiB writing, 0.6 reading (256 KiB chunks); Blob 4.2 both ways (1 MiB blocks and
    # chunks, copied a few times by the SDK).
    assert put_peak < SIZE / 3, put_peak
    assert get_peak < SIZE / 3, get_peak
