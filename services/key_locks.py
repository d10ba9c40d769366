"""Locks by key within one process (a Teams conversation's permits, its outbox): a key's lock exists while
someone holds or waits for it, so memory follows what is busy, not every key ever seen."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator, Iterable


class KeyLocks:
    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}  # key -> (its lock, how many hold or wait)

    @asynccontextmanager
    async def holding(self, keys: Iterable[str]) -> AsyncIterator[None]:
        """The locks of `keys`, taken in sorted order (two callers never hold one each of the other's)."""
        taken: list[str] = []
        try:
            for key in sorted(set(keys)):
                lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
                self._locks[key] = (lock, users + 1)
                try:
                    await lock.acquire()
                except BaseException:
                    self._leave(key)
                    raise
                taken.append(key)
            yield
        finally:
            for key in reversed(taken):
                self._locks[key][0].release()
                self._leave(key)

    def __len__(self) -> int:
        return len(self._locks)

    def _leave(self, key: str) -> None:
        lock, users = self._locks[key]
        if users == 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)
