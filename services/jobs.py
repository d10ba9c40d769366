"""The durable work queue: every step of a message's journey is a job persisted before it runs.

A job is created already leased to the instance that created it, so the hot path costs one
write; the instance runs it at once. If that instance dies, the lease runs out and any
instance's sweeper takes the job over; an instance restarted under the same INSTANCE_ID takes
back its own jobs at once. Finished jobs stay as the record of what happened (status done or
failed); nothing is deleted here.

Every outside effect a job has (a Teams post, a WeChat send, an e-mail, an archive delivery …)
goes through `effect(name, call)`: the call's outcome is written into the job's own document, by
itself, the moment the call returns, before the job does anything else; a job run again (its
instance died, it was retried) reads it there and does not repeat the effect. What is left is the
time between the remote answer and that write (`JobQueue.effect_windows` measures it). An effect
whose double would cost the guest or WeChat's quota (`unknown_if_interrupted`) is also noted as
started before the call: run again with no outcome, it raises OutcomeUnknown instead of repeating.
An effect whose caller writes, next, a document that shows it was made (`proven_by_caller`: a guest's
post, then its decision's record entry naming it) saves the write of its own: its outcome goes with the job's
next write (done, retried), and the window is the caller's write.

services/worker.py runs the jobs.
"""
from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import logging
import random
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, TypeVar

from core.clock import Clock
from core.storage import CREATED, DURABLE_AT, JOBS, NonceRecord, PreconditionFailed, Storage

log = logging.getLogger(__name__)

CONTAINER = JOBS
PENDING, LEASED, DONE, FAILED = "pending", "leased", "done", "failed"


class PermanentError(Exception):
    """The job can never succeed as it is: record it as failed, do not retry."""


class OutcomeUnknown(Exception):
    """An effect was started by an earlier run of the job that did not live to write its outcome:
    it may or may not have happened."""


class RetryLater(Exception):
    """Not now (e.g. the employee has not installed the app yet): try again after `delay` seconds."""

    def __init__(self, reason: str, delay: float | None = None, *, waiting_for: str | None = None,
                 paced: bool = False, holds_place: bool = True) -> None:
        super().__init__(reason)
        self.delay = delay
        self.waiting_for = waiting_for  # a key whose arrival makes the job due at once (see JobQueue.wake)
        # Waiting for a rate limit (services/paced_teams.py): not a failed attempt, not worth a warning,
        # and the job keeps its place: its partition's later jobs wait behind it (unless `holds_place` is
        # off: what had to stay in order is queued elsewhere already, services/teams_outbox.py).
        self.paced = paced
        self.holds_place = holds_place


@dataclass(frozen=True)
class Job:
    id: str
    pk: str
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    etag: str
    body: dict[str, Any]

    def __init__(self, id: str, pk: str, kind: str, payload: dict[str, Any], status: str, attempts: int, etag: str,
                 body: dict[str, Any]) -> None:
        vars(self).update(id=id, pk=pk, kind=kind, payload=payload, status=status, attempts=attempts, etag=etag,
                          body=body)  # core.storage.Item says why


def _job(item) -> Job:
    return made(item.pk, item.id, item.body, item.etag)


def made(pk: str, id: str, body: dict[str, Any], etag: str) -> Job:
    """The job whose document is `body` (as stored, or as just created: JobQueue.create)."""
    return Job(id, pk, body["kind"], body["payload"], body["status"], body.get("attempts", 0), etag, body)


EFFECTS = "effects"  # a job document's field: effect name -> {"outcome": …} | {"started": at}
T = TypeVar("T")


class Running:
    """A job this instance runs: its latest version, written one write at a time (the lease's
    heartbeat, the effects' outcomes)."""

    def __init__(self, queue: "JobQueue", job: Job, *, resumed: bool = False) -> None:
        self.queue = queue
        self.job = job
        self.resumed = resumed  # taken over from a life that died holding it: it may have been running
        self._writing = asyncio.Lock()
        self._unwritten: float | None = None  # an outcome kept for the next write: when its answer came

    async def write(self, **changes: Any) -> bool:
        return await self.update(lambda job: self.queue._write(job, **changes)) is not None

    async def renew(self) -> bool:
        return await self.update(self.queue.claim) is not None

    async def update(self, write: Callable[[Job], Awaitable[Job | None]]) -> Job | None:
        """A write of the job's document (an effect's outcome, its lease renewed, it done, failed or
        retried), never at the same time as another: none takes the ETag from under the next."""
        async with self._writing:
            written = await write(self.job)
            if written is not None:
                self.job = written
                self.proven()  # the outcomes kept for the next write are in the job's document now
            return written

    def proven(self) -> None:
        """The outcomes kept for the next write (`proven_by_caller`) are durable: the caller's write
        that shows them made is, or the job's own."""
        if self._unwritten is not None:
            self.queue.effect_windows.append((DURABLE_AT.get() or time.perf_counter()) - self._unwritten)
            self._unwritten = None

    async def write_outcomes(self) -> None:
        """Outcomes kept for the next write, written now: the caller's next write is not the one that
        shows them made."""
        if self._unwritten is not None:
            DURABLE_AT.set(None)
            await self.write()

    async def once(self, name: str, call: Callable[[], Awaitable[T]], *, unknown_if_interrupted: bool,
                   proven_by_caller: bool = False) -> T:
        done = self.job.body.get(EFFECTS, {}).get(name)
        if done is not None and "outcome" in done:
            return done["outcome"]
        if done is not None and unknown_if_interrupted:
            raise OutcomeUnknown(f"effect {name} of job {self.job.id} was started and never answered")
        if unknown_if_interrupted and not await self._note(name, {"started": self.queue.clock.now()}):
            raise RetryLater(f"job {self.job.id} was taken over")
        try:
            outcome = await call()
        except Exception:
            # It raised: it did not take effect (a call that cannot tell returns that as its outcome).
            # Cancelled, it may have: the mark stays.
            if unknown_if_interrupted:
                await self._note(name, None)
            raise
        answered = time.perf_counter()
        if proven_by_caller:
            async with self._writing:  # not under a write in flight, which would put back the body it wrote
                effects = {**self.job.body.get(EFFECTS, {}), name: {"outcome": outcome}}
                self.job = dataclasses.replace(self.job, body={**self.job.body, EFFECTS: effects})
                self._unwritten = answered
            DURABLE_AT.set(None)  # the caller's write sets it
            return outcome
        DURABLE_AT.set(None)
        if not await self._note(name, {"outcome": outcome}):
            log.error("the outcome of effect %s of job %s could not be written (taken over)", name, self.job.id)
        # Until the write is durable a crash repeats the effect; after, it does not (whenever the loop
        # gets the answer back). A backend that cannot tell: when its answer came.
        self.queue.effect_windows.append((DURABLE_AT.get() or time.perf_counter()) - answered)
        return outcome

    async def _note(self, name: str, entry: dict[str, Any] | None) -> bool:
        effects = {k: v for k, v in self.job.body.get(EFFECTS, {}).items() if k != name}
        return await self.write(**{EFFECTS: effects if entry is None else {**effects, name: entry}})


RUNNING: contextvars.ContextVar[Running | None] = contextvars.ContextVar("running_job", default=None)


def may_have_been_made(name: str) -> bool:
    """Whether effect `name` of the running job may have been made by a life of the job that died
    before writing its outcome (no write of its own: every run that takes a job over from a dead
    life says yes until the outcome is there, including runs whose dead life never got that far). For
    an effect that is repeated all the same (a guest's message to Teams), to say it may show twice."""
    running = RUNNING.get()
    return running is not None and running.resumed and \
        "outcome" not in running.job.body.get(EFFECTS, {}).get(name, {})


async def effect(name: str, call: Callable[[], Awaitable[T]], *, unknown_if_interrupted: bool = False,
                 proven_by_caller: bool = False) -> T:
    """Make an outside call once per job: its outcome (what `call` returns: JSON) is written into the
    running job's document as soon as it returns, and a run of the same job after a crash returns it
    without calling again. `unknown_if_interrupted`: a double would cost the guest or WeChat's quota:
    noted as started first, so a run after a crash that came in between raises OutcomeUnknown.
    `name` is unique within the job. Outside a job (a bot's turn) the call is simply made.

    `proven_by_caller`: the caller's next write shows the effect made (and before making it, the caller
    looks there: a run after a crash does not make it again): the outcome is written with the job's
    next write, not by itself. The caller calls `outcomes_proven()` after that write, and
    `write_outcomes()` before any other."""
    running = RUNNING.get()
    if running is None:
        return await call()
    return await running.once(name, call, unknown_if_interrupted=unknown_if_interrupted,
                              proven_by_caller=proven_by_caller)


async def write_outcomes() -> None:
    """The running job's outcomes kept for its next write (`proven_by_caller`), written now."""
    running = RUNNING.get()
    if running is not None:
        await running.write_outcomes()


def outcomes_proven() -> None:
    """The write that shows the running job's kept outcomes made is durable."""
    running = RUNNING.get()
    if running is not None:
        running.proven()


class JobQueue:
    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        instance_id: str,
        *,
        lease_seconds: float = 30.0,
        max_attempts: int = 12,
        backoff_base: float = 2.0,
        backoff_cap: float = 3600.0,
        max_wait_seconds: float = 7 * 24 * 3600,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.instance_id = instance_id
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_wait_seconds = max_wait_seconds
        # seconds from each effect's remote answer to its outcome written (the window a crash could double in)
        self.effect_windows: deque[float] = deque(maxlen=100_000)

    async def create(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str, leased: bool = True,
                     due_at: float | None = None, nonce: NonceRecord | None = None) -> tuple[str, dict[str, Any], str]:
        """Persist a job, leased to this instance (to run it now) or pending (for whichever sweeper comes
        first, from `due_at` on), with a webhook's `nonce` record in the same write (Storage.create_job):
        what the write answered (CREATED, EXISTS: a retry, REPLAYED: nothing created), the job's body and
        its ETag. No Job is made: an instance that only acknowledges never needs one."""
        now = self.clock.now()
        leased = leased and due_at is None
        body = {
            "kind": kind,
            "payload": dict(payload),
            "status": LEASED if leased else PENDING,
            "attempts": 0,
            "created_at": now,
            "due_at": now if due_at is None else due_at,
            "lease_owner": self.instance_id if leased else None,
            "lease_until": now + self.lease_seconds if leased else None,
        }
        outcome, etag = await self.storage.create_job(pk, id, body, nonce)
        return outcome, body, etag

    async def enqueue(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str,
                      leased: bool = True, due_at: float | None = None) -> Job | None:
        """`create`'s job; None if a job with that id exists (a retry)."""
        outcome, body, etag = await self.create(kind, id, payload, pk=pk, leased=leased, due_at=due_at)
        return made(pk, id, body, etag) if outcome == CREATED else None

    async def _write(self, job: Job, **changes: Any) -> Job | None:
        try:
            item = await self.storage.replace(CONTAINER, job.pk, job.id, {**job.body, **changes}, job.etag)
        except PreconditionFailed:
            log.warning("job %s was taken over by another worker; leaving it to them", job.id)
            return None
        return _job(item)

    async def complete(self, job: Job, **result: Any) -> Job | None:
        """Done. A handler's result may carry `keep_payload`: what the job keeps of its payload from
        now on, when something in it must not be kept (a PIN the guest typed)."""
        kept = result.pop("keep_payload", None)
        return await self._write(job, status=DONE, finished_at=self.clock.now(), lease_owner=None,
                                 result=result or None, **({"payload": kept} if kept is not None else {}))

    async def fail(self, job: Job, error: str, *, tell: bool = False) -> Job | None:
        """Failed for good. `tell`: its owner is to be told (Worker.register's gave_up), noted in the
        same write, so a crash right after cannot lose that."""
        log.error("job %s (%s) failed for good: %s", job.id, job.kind, error)
        return await self._write(job, status=FAILED, finished_at=self.clock.now(), lease_owner=None, last_error=error,
                                 **({"to_tell": True} if tell else {}))

    async def retry(
        self, job: Job, error: str, delay: float | None = None, *, waiting_for: str | None = None, tell: bool = False,
        paced: bool = False,
    ) -> Job | None:
        """Try again later. Waiting for something (`waiting_for`, a rate limit: `paced`) is not a failed
        attempt, but has a time limit."""
        attempts = job.attempts + (waiting_for is None and not paced)
        if attempts >= self.max_attempts:
            return await self.fail(job, f"gave up after {attempts} attempts: {error}", tell=tell)
        if self.clock.now() - job.body["created_at"] > self.max_wait_seconds:
            return await self.fail(job, f"gave up after waiting {self.max_wait_seconds / 3600:.0f} hours: {error}",
                                   tell=tell)
        if delay is None:
            delay = min(self.backoff_cap, self.backoff_base * 2 ** max(0, attempts - 1)) * (0.5 + random.random() / 2)
        if paced:
            log.info("job %s (%s) waits %.1fs: %s", job.id, job.kind, delay, error)
        else:
            log.warning("job %s (%s) attempt %d failed, retrying in %.1fs: %s", job.id, job.kind, attempts, delay,
                        error)
        return await self._write(
            job,
            status=PENDING,
            attempts=attempts,
            due_at=self.clock.now() + delay,
            lease_owner=None,
            last_error=error,
            waiting_for=waiting_for,
        )

    async def wake(self, waiting_for: str) -> int:
        """Make the jobs that wait for `waiting_for` due now (e.g. an employee just installed the app)."""
        items = await self.storage.query(CONTAINER, equals={"status": PENDING, "waiting_for": waiting_for}, limit=500)
        woken = 0
        for job in map(_job, items):
            woken += await self._write(job, due_at=self.clock.now()) is not None
        return woken

    async def due_now(self, pk: str, id: str) -> None:
        """A job that waits (pending) is due now: what it waited for is there."""
        job = await self.get(pk, id)
        if job is not None and job.status == PENDING:
            await self._write(job, due_at=self.clock.now())

    async def claim(self, job: Job) -> Job | None:
        """Lease a due job to this instance; None if another instance got it first."""
        now = self.clock.now()
        return await self._write(job, status=LEASED, lease_owner=self.instance_id, lease_until=now + self.lease_seconds)

    async def claimable(self, limit: int = 50) -> list[Job]:
        """Jobs due now, and jobs whose lease ran out (their instance died)."""
        now = self.clock.now()
        due = await self.storage.query(
            CONTAINER, equals={"status": PENDING}, at_most=("due_at", now), order_by="due_at", limit=limit
        )
        stale = await self.storage.query(
            CONTAINER, equals={"status": LEASED}, at_most=("lease_until", now), order_by="lease_until", limit=limit
        )
        return [_job(i) for i in (*due, *stale)]

    async def orphans(self, limit: int = 500) -> list[Job]:
        """Jobs leased to this instance id by an earlier life of this process (it was killed)."""
        items = await self.storage.query(
            CONTAINER, equals={"status": LEASED, "lease_owner": self.instance_id}, order_by="created_at", limit=limit
        )
        return [_job(i) for i in items]

    async def untold(self, limit: int = 500) -> list[Job]:
        """Failed jobs whose owner is still to be told."""
        items = await self.storage.query(CONTAINER, equals={"status": FAILED, "to_tell": True}, limit=limit)
        return [_job(i) for i in items]

    async def get(self, pk: str, id: str) -> Job | None:
        item = await self.storage.get(CONTAINER, pk, id)
        return _job(item) if item else None
