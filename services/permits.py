"""Permits under rate limits, shared by every instance through storage (core/rate_windows.py says
how a permit fits).

Each key (a Teams conversation, a tenant) is one small kv document holding its recent grants,
written with its ETag: an instance that lost the race reads the document again and fits its permit
after the winner's. Cheap: this instance keeps each key's document and ETag as it last wrote them and
writes on top of them, so a permit costs one write, and a read more only when another instance wrote
in between. Within the instance a key's permits are given one at a time (a lock), never racing
themselves.

A key every instance spends alike (a tenant) may be given from this instance's share of it instead
(services/instance_shares.py: no write), the storage document then holding the pool the shares leave.
"""
from __future__ import annotations

from typing import Sequence

from core.clock import Clock
from core.rate_windows import Grants, Windows, blocked, earliest, granted
from core.recent import Recent
from core.storage import KV, Conflict, NotFound, PreconditionFailed, Storage
from services.instance_shares import InstanceShares, pooled
from services.key_locks import KeyLocks

MAX_RACES = 100  # writes lost to other instances in a row before giving up (then: try again in a second)
CACHED_KEYS = 10_000


class TooLong(Exception):
    """No permit within the wait allowed: none was reserved; one would fit in `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"next permit in {delay:.1f}s")
        self.delay = delay


class Permits:
    def __init__(self, storage: Storage, clock: Clock, shares: InstanceShares | None = None) -> None:
        self.storage = storage
        self.clock = clock
        self.shares = shares
        # key -> (grants, ETag; None: no document)
        self._known: Recent[str, tuple[Grants, str | None]] = Recent(CACHED_KEYS)
        self._locks = KeyLocks()

    async def reserve(self, limits: Sequence[tuple[str, Windows]], max_wait: float, *,
                      shared: str | None = None) -> float:
        """One permit of each key, at the earliest moment all fit: that moment (the clock's time; now, or
        later). Further than `max_wait`: TooLong, nothing reserved. `shared`: the key every instance spends
        alike, given from this instance's share unless the pool in storage has room sooner (a burst)."""
        full = dict(limits)
        pooled_key = shared if shared in full and self.shares is not None else None
        keys = sorted({**full, **({pooled_key: pooled(full[pooled_key])} if pooled_key else {})}.items())
        async with self._locks.holding(key for key, _ in keys):
            for _ in range(MAX_RACES):
                now = self.clock.now()
                mine = self.shares.windows(full[pooled_key]) if self.shares and pooled_key else None
                at = await self._reserve_once(now, keys, max_wait, (pooled_key, mine) if pooled_key and mine else None)
                if at is not None:
                    return at
        raise TooLong(1.0)

    async def _reserve_once(self, now: float, keys: Sequence[tuple[str, Windows]], max_wait: float,
                            share: tuple[str, Windows] | None) -> float | None:
        """When the permits fit, reserved; None if another instance wrote one of the documents first.
        `share`: a key and this instance's share of it, kept here (its document holds the pool)."""
        states = {key: await self._state(key) for key, _ in keys}
        at = self._fitting(now, [(states[key][0], windows) for key, windows in keys])
        kept = None  # the shared key's permit from the share: its grants with it
        if share is not None and self.shares is not None:
            key, windows = share
            held = self.shares.grants.get(key) or Grants()
            at_share = self._fitting(now, [(held, windows), *((states[k][0], w) for k, w in keys if k != key)])
            if at_share <= at:
                at, kept = at_share, (key, granted(held, at_share, windows))
        if at - now > max_wait:
            raise TooLong(at - now)
        if not await self._write_all([(key, granted(states[key][0], at, windows), states[key][1])
                                      for key, windows in keys if kept is None or key != kept[0]]):
            return None
        if kept is not None and self.shares is not None:
            self.shares.grant(*kept)
        return at

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
            self._known.put(key, known)
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
                self._known.pop(key)
                return False
            self._known.put(key, (grants, item.etag))
        return True


def _id(key: str) -> str:
    return f"permits:{key}"
