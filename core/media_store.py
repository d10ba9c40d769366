"""The media store protocol every backend implements (local files, Azure Blob Storage).

Content-addressed: a medium's key is the SHA-256 of its bytes (lowercase hex), so the same bytes put
twice are stored once, and a key names exactly one content forever. Streamed both ways: `put` reads an
async iterator of chunks and `get` gives one back, so memory does not grow with a file's size. The
content type given to the first `put` of some bytes is the one kept.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, AsyncGenerator, AsyncIterable, AsyncIterator, Protocol

# type/subtype with optional parameters, nothing that could end a header line (it is served back as one).
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*"
                           r"(?:\s*;\s*[a-z0-9!#$&^_.+-]+=(?:[a-z0-9!#$&^_.+-]+|\"[^\"\\\r\n]*\"))*$", re.IGNORECASE)
_KEY = re.compile(r"^[0-9a-f]{64}$")


class MediaStoreError(Exception):
    """Base class of media store failures."""


class TooLarge(MediaStoreError):
    """The stream given to `put` went over its maximum size; nothing was stored."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the media is larger than {max_bytes} bytes; nothing was stored")
        self.max_bytes = max_bytes


@dataclass(frozen=True)
class StoredMedia:
    key: str  # SHA-256 of the bytes, lowercase hex
    size: int  # bytes
    content_type: str


@dataclass(frozen=True)
class Media:
    """A stored medium, to be read: what it is, and its bytes as they come. Nothing is held open until
    `chunks` is iterated; iterate it to the end or close it (`contextlib.aclosing`)."""

    info: StoredMedia
    chunks: AsyncGenerator[bytes, None]


@dataclass(frozen=True)
class MediaDownload:
    """A medium while it streams from where it was sent (WeChat, Teams): read `chunks` inside the
    download's context; they go straight into `MediaStore.put`."""

    content_type: str
    filename: str | None
    chunks: AsyncIterator[bytes]


class MediaStore(Protocol):
    async def open(self) -> None:
        """Create whatever is missing (the folder, the container). Idempotent."""

    async def close(self) -> None: ...

    async def put(self, chunks: AsyncIterable[bytes], *, content_type: str, max_bytes: int) -> StoredMedia:
        """Store the bytes the iterator gives; TooLarge (nothing stored) past `max_bytes`. Either the
        whole medium is under its key afterwards or nothing is: never a part of it."""

    async def get(self, key: str, *, offset: int = 0) -> Media | None:
        """The medium stored under `key`, None if there is none (or `key` is no key). Its chunks start at
        byte `offset` (0 ≤ offset ≤ its size: a range a browser asked for, to seek in a video)."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> bool:
        """Remove it (retention); False if there was nothing under `key`."""


def check_content_type(content_type: str) -> str:
    """`content_type` if it is a MIME type (parameters allowed), else ValueError."""
    if not _CONTENT_TYPE.match(content_type):
        raise ValueError(f"not a content type: {content_type[:80]!r}")
    return content_type


def is_key(key: str) -> bool:
    """Whether `key` has the shape of a media key (SHA-256, lowercase hex): anything else names nothing."""
    return _KEY.match(key) is not None


def named_keys(body: Any) -> set[str]:
    """The media keys a stored document names (a record entry, a job, a thread): every value shaped like a
    key under a field called `key` or `…_key`, at any depth. Hashes of the record's chain (`hash`, `prev`)
    have the same shape but not such a name."""
    found: set[str] = set()
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for name, value in item.items():
                if isinstance(value, str) and (name == "key" or name.endswith("_key")) and is_key(value):
                    found.add(value)
                elif isinstance(value, (dict, list, tuple)):
                    stack.append(value)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


class Tally:
    """The SHA-256 and size of a stream as it passes a backend, which it refuses past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._sha256 = hashlib.sha256()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(self.max_bytes)
        self._sha256.update(chunk)

    @property
    def key(self) -> str:
        return self._sha256.hexdigest()
