"""Byte streams for the media store tests."""
from __future__ import annotations

import hashlib
from typing import AsyncIterator


async def chunked(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def generated(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """`total` bytes made as they are read (never all in memory): block i is byte i % 251 repeated."""
    for i, start in enumerate(range(0, total, size)):
        yield bytes([i % 251]) * min(size, total - start)


def generated_key(total: int, size: int = 64 * 1024) -> str:
    sha = hashlib.sha256()
    for i, start in enumerate(range(0, total, size)):
        sha.update(bytes([i % 251]) * min(size, total - start))
    return sha.hexdigest()


async def read_all(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])
