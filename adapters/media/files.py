"""Media in local files (the embedded default): `<root>/<first two hex digits>/<key>`, its content type
beside it in `<key>.type`.

A medium is written to `<root>/incoming/` (the same file system, so the move is a rename), hashed as it
is written, flushed to disk, and only then renamed to its key: a crash leaves a stray file in incoming/,
never part of a medium under a key; `open` removes such leftovers once they are a day old (other processes
sharing the folder may be writing the younger ones). Every file operation runs on a thread, one chunk at a time.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from pathlib import Path
from typing import AsyncGenerator, AsyncIterable, BinaryIO

from core.media_store import Media, StoredMedia, Tally, check_content_type, is_key

log = logging.getLogger(__name__)

READ_CHUNK_BYTES = 256 * 1024
LEFTOVER_SECONDS = 86_400  # a file in incoming/ this old is no put in progress: a crashed one's
UNKNOWN_TYPE = "application/octet-stream"


class FileMediaStore:
    def __init__(self, root: str | os.PathLike[str], *, read_chunk_bytes: int = READ_CHUNK_BYTES) -> None:
        self.root = Path(root)
        self._incoming = self.root / "incoming"
        self._read_chunk_bytes = read_chunk_bytes

    async def open(self) -> None:
        """Remove what crashed puts left in incoming/. The folders are made by the first `put`: a process
        that stores nothing leaves no folder behind."""
        removed = await asyncio.to_thread(_remove_leftovers, self._incoming, time.time() - LEFTOVER_SECONDS)
        if removed:
            log.info("removed %d files interrupted writes left in the media store's incoming folder", removed)

    async def close(self) -> None:
        pass

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    async def put(self, chunks: AsyncIterable[bytes], *, content_type: str, max_bytes: int) -> StoredMedia:
        check_content_type(content_type)
        tally = Tally(max_bytes)
        await asyncio.to_thread(self._incoming.mkdir, parents=True, exist_ok=True)
        part = self._incoming / f"{uuid.uuid4().hex}.part"
        file = await asyncio.to_thread(open, part, "xb")
        try:
            try:
                async for chunk in chunks:
                    await asyncio.to_thread(_write, file, tally, chunk)
                await asyncio.to_thread(_flush, file)
            finally:
                await asyncio.to_thread(file.close)
            return await asyncio.to_thread(self._settle, part, tally, content_type)
        finally:
            await asyncio.to_thread(part.unlink, missing_ok=True)

    def _settle(self, part: Path, tally: Tally, content_type: str) -> StoredMedia:
        """The written file under its key (unless the same bytes are there already: the first stays)."""
        path = self._path(tally.key)
        if path.exists():
            return StoredMedia(tally.key, tally.size, _read_type(path))
        path.parent.mkdir(exist_ok=True)
        type_part = part.with_suffix(".type")
        type_part.write_text(content_type, encoding="utf-8")
        os.replace(type_part, _type_path(path))  # the type first: a medium is never there without one
        os.replace(part, path)
        return StoredMedia(tally.key, tally.size, content_type)

    async def get(self, key: str, *, offset: int = 0) -> Media | None:
        if not is_key(key):
            return None
        path = self._path(key)
        try:
            size, content_type = await asyncio.to_thread(lambda: (path.stat().st_size, _read_type(path)))
        except FileNotFoundError:
            return None
        return Media(StoredMedia(key, size, content_type), self._read(path, offset))

    async def _read(self, path: Path, offset: int) -> AsyncGenerator[bytes, None]:
        # Opened at the first chunk, so that a Media never read holds nothing open.
        file = await asyncio.to_thread(open, path, "rb")
        try:
            await asyncio.to_thread(file.seek, offset)
            while chunk := await asyncio.to_thread(file.read, self._read_chunk_bytes):
                yield chunk
        finally:
            await asyncio.to_thread(file.close)

    async def exists(self, key: str) -> bool:
        return is_key(key) and await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> bool:
        if not is_key(key):
            return False
        return await asyncio.to_thread(self._delete, self._path(key))

    @staticmethod
    def _delete(path: Path) -> bool:
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _type_path(path).unlink(missing_ok=True)
        return True


def _remove_leftovers(incoming: Path, before: float) -> int:
    removed = 0
    try:
        entries = list(os.scandir(incoming))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < before:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # another process's open() removed it first
            pass
    return removed


def _write(file: BinaryIO, tally: Tally, chunk: bytes) -> None:
    tally.add(chunk)  # TooLarge before the chunk is written
    file.write(chunk)


def _flush(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


def _type_path(path: Path) -> Path:
    return path.with_name(path.name + ".type")


def _read_type(path: Path) -> str:
    try:
        return _type_path(path).read_text(encoding="utf-8")
    except FileNotFoundError:  # written before its medium, so only if someone removed it
        return UNKNOWN_TYPE
