"""Permits under rate limits, shared by every instance through storage (core/rate_windows.py says
how a permit fits).

Each key (a Teams conversation, a tenant) is one small kv document holding its recent grants,
written with its ETag: an instance that lost the race reads the document again and fits its permit
after the winner's. Cheap: this instance keeps each key's document and ETag as it last wrote them and
writes on top of them, so a permit costs one write, and a read more only when another instance wrote
in between. Within the instance a key's permits are given one at a time (a lock), never racing
themselves.
"""
from __future__ import annotations

from typing import Sequence

from core.clock import Clock
from core.rate_windows import Grants, Windows, blocked, earliest, granted
from core.storage import KV, Conflict, NotFound, PreconditionFailed, Storage
from services.key_locks import KeyLocks

MAX_RACES = 100  # writes lost to other instances in a row before giving up (then: try again in a second)
CACHED_KEYS = 10_000


class TooLong(Exception):
    """No permit within the wait allowed: none was reserved; one would fit in `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"next permit in {delay:.1f}s")
        self.delay = delay


class Permits:
    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self._known: dict[str, tuple[Grants, str | None]] = {}  # key -> (grants, ETag; None: no document)
        self._locks = KeyLocks()

    async def reserve(self, limits: Sequence[tuple[str, Windows]], max_wait: float) -> float:
        """One permit of each key, at the earliest moment all fit: the seconds from now until then (0:
        now). Longer than `max_wait`: TooLong, nothing reserved."""
        keys = sorted(dict(limits).items())
        async with self._locks.holding(key for key, _ in keys):
            for _ in range(MAX_RACES):
                now = self.clock.now()
                states = [await self._state(key) for key, _ in keys]
                at = self._fitting(now, [(grants, windows) for (_, windows), (grants, _) in zip(keys, states)])
                if at - now > max_wait:
                    raise TooLong(at - now)
                if await self._write_all([(key, granted(grants, at, windows), etag)
                                          for (key, windows), (grants, etag) in zip(keys, states)]):
                    return at - now
        raise TooLong(1.0)

    async def block(self, key: str, seconds: float) -> None:
        """Teams refused (429): no permit of `key` for `seconds` (Retry-After), for every instance."""
        async with self._locks.holding([key]):
            for _ in range(MAX_RACES):
                grants, etag = await self._state(key)
                if await self._write_all([(key, blocked(grants, self.clock.now() + seconds), etag)]):
                    return

    @staticmethod
    def _fitting(now: float, limits: list[tuple[Grants, Windows]]) -> float:
        at, moved = now, True
        while moved:  # a later moment fits a key that fitted an earlier one: grants are made in time order
            moved = False
            for grants, windows in limits:
                fits = earliest(grants, windows, at)
                at, moved = fits, moved or fits > at
        return at

    async def _state(self, key: str) -> tuple[Grants, str | None]:
        known = self._known.get(key)
        if known is None:
            item = await self.storage.get(KV, _id(key), _id(key))
            known = (Grants.from_body(item.body), item.etag) if item else (Grants(), None)
            if len(self._known) >= CACHED_KEYS:
                self._known.clear()
            self._known[key] = known
        return known

    async def _write_all(self, writes: list[tuple[str, Grants, str | None]]) -> bool:
        """Each key's grants written on top of the version read; False (and those keys read again next
        time) if another instance wrote one first. Keys written before that keep their grant: a permit
        lost, never one too many."""
        for key, grants, etag in writes:
            try:
                if etag is None:
                    item = await self.storage.create(KV, _id(key), _id(key), grants.to_body())
                else:
                    item = await self.storage.replace(KV, _id(key), _id(key), grants.to_body(), etag)
            except (PreconditionFailed, Conflict, NotFound):
                self._known.pop(key, None)
                return False
            self._known[key] = (grants, item.etag)
        return True


def _id(key: str) -> str:
    return f"permits:{key}"
