"""Record entries delivered to systems outside: the compliance archive, CRMs. At least once each.

Each entry the recorder appends becomes a durable job per outlet (`<kind>:<thread>:<seq>`, so
handing the same entry over again adds nothing) carrying the entry as stored. A system that is
down is waited for, not counted as the entry's failure: the outlet stops calling it for a while
(doubling up to MAX_PAUSE_SECONDS, or as long as it asked), every job of the outlet due meanwhile
is put back until then without a call, and the first delivery that goes through again makes all
of them due at once. A job waits at most the queue's max_wait_seconds (7 days), then fails, which
the reconciliation report lists. A refusal for good fails the job at once, with the reason.

An outlet may split an entry into parts (the archive: one journal message per communication the entry
holds, core/journal/communication.py): one job per part, `<kind>:<thread>:<seq>.<part>`, each once.

Each outlet's jobs have partitions of their own (`<kind>:<thread>`): one thread's entries go in
order, and a slow outside system never holds up the thread's messages.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Mapping, Sequence

from core.clock import Clock
from services.jobs import Job, PermanentError, RetryLater, effect
from services.worker import Worker
from services.record import record_key

FIRST_PAUSE_SECONDS = 5.0
MAX_PAUSE_SECONDS = 900.0

Deliver = Callable[[Mapping[str, Any], "int | None"], Awaitable[Mapping[str, Any] | None]]
Parts = Callable[[Mapping[str, Any]], Sequence[int]]


def job_id(kind: str, thread: str, seq: int, part: int | None = None) -> str:
    """The job delivering entry `seq` of `thread` (its `part`, where the outlet splits entries) to outlet
    `kind`; the seq padded as the record's key is, so that jobs put back together sort in the order of
    their entries."""
    return f"{kind}:{thread}:{record_key(seq)}" + (f".{part}" if part is not None else "")


def partition(kind: str, thread: str) -> str:
    return f"{kind}:{thread}"


class Outlet:
    """`deliver(entry, part)` raises one of `unavailable` (try again later; a `retry_after` attribute is
    honoured) or `rejected` (never). `parts(entry)`: the parts an entry is delivered in, each by a job
    of its own (none: nothing to deliver); without it, each entry whole (`part` None)."""

    def __init__(self, kind: str, *, worker: Worker, clock: Clock, deliver: Deliver,
                 unavailable: tuple[type[Exception], ...], rejected: tuple[type[Exception], ...],
                 parts: Parts | None = None) -> None:
        self.kind = kind
        self.parts = parts
        self.worker = worker
        self.clock = clock
        self.deliver = deliver
        self.unavailable = unavailable
        self.rejected = rejected
        self._pause = 0.0  # seconds: how long the last unavailability pauses calls
        self._paused_until = 0.0

    async def enqueue(self, entry: Mapping[str, Any]) -> None:
        """The recorder's outlet: deliver this entry (once, whoever hands it over how often)."""
        thread = entry["thread"]
        for part in self.parts(entry) if self.parts is not None else (None,):
            await self.worker.enqueue(self.kind, job_id(self.kind, thread, entry["seq"], part),
                                      {"entry": dict(entry), **({"part": part} if part is not None else {})},
                                      pk=partition(self.kind, thread))

    async def handle(self, job: Job) -> dict[str, Any]:
        now = self.clock.now()
        if now < self._paused_until:
            raise RetryLater(f"{self.kind} is unavailable; waiting for it", self._paused_until - now,
                             waiting_for=self.kind)
        try:
            result = await effect(self.kind, lambda: self._delivered(job.payload["entry"], job.payload.get("part")))
        except self.unavailable as exc:
            asked = getattr(exc, "retry_after", None) or 0.0
            self._pause = min(MAX_PAUSE_SECONDS, max(FIRST_PAUSE_SECONDS, 2 * self._pause, asked))
            self._paused_until = now + self._pause
            raise RetryLater(str(exc), self._pause, waiting_for=self.kind) from exc
        except self.rejected as exc:
            raise PermanentError(str(exc)) from exc
        if self._pause:  # back after an outage: what waited for it goes now
            self._pause = self._paused_until = 0.0
            await self.worker.queue.wake(self.kind)
        return dict(result or {})

    async def _delivered(self, entry: Mapping[str, Any], part: int | None) -> dict[str, Any]:
        return dict(await self.deliver(entry, part) or {})
