"""Whether the media store holds the bytes the record names: a medium's key is its SHA-256, so reading
it through and hashing it proves it (or not). Used by the archive (each attachment as it streams), the
verifier (tools/verify_record.py) and the export (each file as it is copied)."""
from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from typing import Any, AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping, Sequence

from core.media_record import media_refs
from core.media_store import Media, MediaStore

MISSING, ALTERED, UNREADABLE = "missing", "altered", "unreadable"


class MediaUnavailable(Exception):
    """The media store could not be read: try again later."""


class MediaAltered(Exception):
    """The store's bytes under a key have another SHA-256: not the medium the record names."""


async def stored(store: MediaStore, key: str) -> Media | None:
    """`store.get(key)`, MediaUnavailable if the store cannot say."""
    try:
        return await store.get(key)
    except Exception as exc:  # each backend fails in its own words (OSError, Azure's): all mean "not now"
        raise MediaUnavailable(f"the media store is unavailable: {exc}") from exc


async def verified(key: str, chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """The chunks as they come; MediaAltered at the end if their SHA-256 is not `key`, MediaUnavailable
    if the store fails halfway."""
    digest = hashlib.sha256()
    try:
        async with contextlib.aclosing(aiter(chunks)) as stream:  # type: ignore[type-var]
            async for chunk in stream:
                digest.update(chunk)
                yield chunk
    except Exception as exc:  # as in stored()
        raise MediaUnavailable(f"the media store failed while reading {key[:12]}: {exc}") from exc
    if digest.hexdigest() != key:
        raise MediaAltered(f"the media store's bytes under {key} have another SHA-256 ({digest.hexdigest()})")


@dataclass(frozen=True)
class MediaProblem:
    thread: str
    seq: int
    key: str
    problem: str  # MISSING | ALTERED | UNREADABLE

    def __str__(self) -> str:
        what = {MISSING: "is not in the media store", ALTERED: "is in the media store with other bytes (altered)",
                UNREADABLE: "could not be read from the media store"}[self.problem]
        return f"thread {self.thread}: entry {self.seq}: medium {self.key} {what}"


@dataclass
class MediaChecked:
    media: int = 0  # distinct media checked
    problems: list[MediaProblem] = field(default_factory=list)
    sound: set[str] = field(default_factory=set)  # the keys read through as recorded (and given to the sink)


Sink = Callable[[str, AsyncIterator[bytes]], Awaitable[None]]


async def _drain(key: str, chunks: AsyncIterator[bytes]) -> None:
    async for _ in chunks:
        pass


async def check_media(store: MediaStore, by_thread: Mapping[str, Sequence[Mapping[str, Any]]],
                      sink: Sink = _drain) -> MediaChecked:
    """Every medium the entries list, read through the store once and hashed; what is missing, altered or
    unreadable is reported, entry by entry, never raised. `sink(key, chunks)`: where the bytes go (the
    export writes them), reading them to the end."""
    result, seen = MediaChecked(), dict[str, str | None]()  # key -> its problem (None: sound)
    for thread, entries in by_thread.items():
        for entry in entries:
            for ref in media_refs(entry):
                if ref.key not in seen:
                    seen[ref.key] = await _problem(store, ref.key, sink)
                    if seen[ref.key] is None:
                        result.sound.add(ref.key)
                if (problem := seen[ref.key]) is not None:
                    result.problems.append(MediaProblem(thread, int(entry.get("seq") or 0), ref.key, problem))
    result.media = len(seen)
    return result


async def _problem(store: MediaStore, key: str, sink: Sink) -> str | None:
    try:
        found = await stored(store, key)
        if found is None:
            return MISSING
        await sink(key, verified(key, found.chunks))
    except MediaAltered:
        return ALTERED
    except (MediaUnavailable, OSError):  # the store down, or a sink that could not write: the check goes on
        return UNREADABLE
    return None
