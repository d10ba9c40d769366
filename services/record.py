"""The compliance record: an append-only, hash-chained log per thread (see core/record.py).

Entries live in the `records` container, partitioned by thread (the guest's openid), keyed by
their place in the chain (`000000000042`): two instances appending at once cannot both take a
place, and the one that loses reads on and appends after. The chain's head is cached per process;
without it, the head is found by probing keys (a few reads, once per thread and process).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, Sequence

from core.clock import Clock
from core.recent import Recent
from core.record import GENESIS, Break, chained, verify
from core.storage import KV, RECORDS, Conflict, Storage

log = logging.getLogger(__name__)

HEADS_KEPT = 10_000


def record_key(seq: int) -> str:
    return f"{seq:012d}"


def retention_key(thread: str) -> str:
    """Where the last entry a retention purge removed from `thread` is noted (kv)."""
    return f"retention:{thread}"


@dataclass(frozen=True)
class Verified:
    threads: int
    entries: int
    first_break: Break | None


Outlet = Callable[[Mapping[str, Any]], Awaitable[None]]


class Recorder:
    def __init__(self, storage: Storage, clock: Clock, outlets: Sequence[Outlet] = ()) -> None:
        self.storage = storage
        self.clock = clock
        # Where each entry goes once it is in the record (the archive, the CRM): each enqueues a
        # durable job keyed by the entry, so handing an entry over again (a re-run) adds nothing.
        self.outlets = tuple(outlets)
        # thread -> the last entry's seq, hash, event
        self._heads: Recent[str, tuple[int, str, str | None]] = Recent(HEADS_KEPT)
        self._locks: dict[str, asyncio.Lock] = {}

    async def append(self, thread: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Seal `fields` (kind, direction, text, ids …) as the thread's next entry and hand it to the
        outlets. `fields["event"]`, when given, makes a re-run of the same event (a retried job)
        append nothing; the entry already there is handed over again, in case the run before
        stopped in between."""
        lock = self._locks.setdefault(thread, asyncio.Lock())
        async with lock:  # one append at a time per thread in this process: no racing ourselves
            entry = await self._append(thread, fields)
        if len(self._locks) > HEADS_KEPT:  # only an optimisation: a conflict is still handled without it
            self._locks = {t: held for t, held in self._locks.items() if held.locked()}
        for outlet in self.outlets:
            await outlet(entry)
        return entry

    async def _append(self, thread: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        head: tuple[int, str, dict[str, Any] | None] | None = None
        event = fields.get("event")
        for _ in range(50):
            seq, prev, last = head or await self._head(thread)
            if event and last is None and (self._heads.get(thread) or (0, "", None))[2] == event:
                found = await self.storage.get(RECORDS, thread, record_key(seq))  # the cache knows its event only
                last = found.body if found is not None else None
            if event and last is not None and last.get("event") == event:
                return last
            entry = chained({"at": self.clock.now(), **fields}, thread=thread, seq=seq + 1, prev=prev)
            try:
                await self.storage.create(RECORDS, thread, record_key(seq + 1), entry)
            except Conflict:
                head = await self._read_on(thread, seq + 1)  # another instance appended: read on from there
                continue
            self._heads.put(thread, (seq + 1, entry["hash"], event))
            return entry
        raise Conflict(f"the record of thread {thread} kept growing under us")

    async def _read_on(self, thread: str, seq: int) -> tuple[int, str, dict[str, Any]]:
        """The head, knowing entry `seq` exists: the entries after it, read until one is missing."""
        self._heads.pop(thread)
        item = await self.storage.get(RECORDS, thread, record_key(seq))
        assert item is not None, "a conflict on create means the entry exists"
        while (after := await self.storage.get(RECORDS, thread, record_key(seq + 1))) is not None:
            item, seq = after, seq + 1
        return seq, item.body["hash"], item.body

    async def _head(self, thread: str) -> tuple[int, str, dict[str, Any] | None]:
        """(seq, hash, entry) of the thread's last entry; (0, GENESIS, None) for an empty record.
        The entry itself only when it had to be read (the cache keeps seq and hash)."""
        cached = self._heads.get(thread)
        if cached is not None:
            return cached[0], cached[1], None
        low, item = 1, await self.storage.get(RECORDS, thread, record_key(1))
        if item is None:  # nothing recorded yet, or a retention purge removed the start
            after = await self.retained_after(thread)
            if after is None:
                return 0, GENESIS, None
            low, item = after[0] + 1, await self.storage.get(RECORDS, thread, record_key(after[0] + 1))
            if item is None:
                return after[0], after[1], None
        step = 1  # gallop from a present key to a missing one, then halve
        while (found := await self.storage.get(RECORDS, thread, record_key(low + step))) is not None:
            low, item, step = low + step, found, step * 2
        high = low + step
        while high - low > 1:
            middle = (low + high) // 2
            if (found := await self.storage.get(RECORDS, thread, record_key(middle))) is not None:
                low, item = middle, found
            else:
                high = middle
        return low, item.body["hash"], item.body

    async def entry_of(self, thread: str, event: str, within: int = 32) -> dict[str, Any] | None:
        """`event`'s entry among the thread's last `within`, as stored: a run after a crash looks for its own,
        which later events may have followed (a read per entry looked at)."""
        seq, _, entry = await self._head(thread)
        for n in range(seq, max(seq - within, 0), -1):
            if entry is None or n != seq:
                item = await self.storage.get(RECORDS, thread, record_key(n))
                entry = item.body if item is not None else None
            if entry is not None and entry.get("event") == event:
                return entry
        return None

    async def retained_after(self, thread: str) -> tuple[int, str] | None:
        """(seq, hash) of the last entry a retention purge removed from the thread (see services/
        retention.py): the chain goes on from it. None if none was."""
        item = await self.storage.get(KV, retention_key(thread), retention_key(thread))
        return None if item is None else (item.body["seq"], item.body["hash"])

    async def entries(self, thread: str) -> list[dict[str, Any]]:
        """The thread's entries, as stored, in the order of their keys; those a retention purge
        was removing when it stopped are left out."""
        items = await self.storage.query(RECORDS, pk=thread, order_by="seq")
        purged = await self.retained_after(thread)
        return [i.body for i in sorted(items, key=lambda i: i.id) if purged is None or i.id > record_key(purged[0])]

    async def verify_thread(self, thread: str) -> Verified:
        entries = await self.entries(thread)
        return Verified(1, len(entries), verify(thread, entries, after=await self.retained_after(thread)))

    async def entries_between(self, start: float, end: float) -> dict[str, list[dict[str, Any]]]:
        """Every thread's entries recorded in [start, end): by the partition they are stored in (a
        thread's, whatever an entry says), each in the order of its keys, as stored."""
        by_thread: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for item in await self.storage.query(RECORDS, at_most=("at", end)):
            if isinstance(item.body.get("at"), (int, float)) and start <= item.body["at"] < end:
                by_thread.setdefault(item.pk, []).append((item.id, item.body))
        return {thread: [body for _, body in sorted(pairs, key=lambda pair: pair[0])]
                for thread, pairs in sorted(by_thread.items())}

    async def verify_range(self, start: float, end: float) -> Verified:
        """Every thread's entries recorded in [start, end); each thread's slice checked as a range
        (its first entry's link into what came before is trusted)."""
        by_thread = await self.entries_between(start, end)
        count, first = 0, None
        for thread, entries in by_thread.items():
            count += len(entries)
            found = verify(thread, entries, whole=False)
            first = first or found
        return Verified(len(by_thread), count, first)
