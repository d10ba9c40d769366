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
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import random
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Coroutine, Mapping, Sequence, TypeVar

from core.clock import Clock
from core.log_fields import OPENID, about, guest_ref, without_openids
from core.storage import DURABLE_AT, JOBS, KV, Conflict, New, PreconditionFailed, Storage
from core.telemetry import telemetry
from services.job_kinds import GAVE_UP

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


def _job(item) -> Job:
    b = item.body
    return Job(item.id, item.pk, b["kind"], b["payload"], b["status"], b.get("attempts", 0), item.etag, b)


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
            return written

    async def once(self, name: str, call: Callable[[], Awaitable[T]], *, unknown_if_interrupted: bool) -> T:
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


async def effect(name: str, call: Callable[[], Awaitable[T]], *, unknown_if_interrupted: bool = False) -> T:
    """Make an outside call once per job: its outcome (what `call` returns: JSON) is written into the
    running job's document as soon as it returns, and a run of the same job after a crash returns it
    without calling again. `unknown_if_interrupted`: a double would cost the guest or WeChat's quota:
    noted as started first, so a run after a crash that came in between raises OutcomeUnknown.
    `name` is unique within the job. Outside a job (a bot's turn) the call is simply made."""
    running = RUNNING.get()
    if running is None:
        return await call()
    return await running.once(name, call, unknown_if_interrupted=unknown_if_interrupted)


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

    async def enqueue(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str,
                      leased: bool = True, due_at: float | None = None, guards: Sequence[New] = ()) -> Job | None:
        """Persist a job, leased to this instance (to run it now) or pending (for whichever sweeper
        comes first, from `due_at` on); None if a job with that id exists (a retry). `guards`: items
        created first, in the same write (Storage.create_many): one that exists raises its Conflict
        and the job is not created (a webhook's nonce record: a replay is refused)."""
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
        try:
            return _job((await self.storage.create_many([*guards, New(CONTAINER, pk, id, body)]))[-1])
        except Conflict as exc:
            if exc.key not in (None, (CONTAINER, pk, id)):
                raise
            return None

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


Handler = Callable[[Job], Awaitable[Mapping[str, Any] | None]]
GaveUp = Callable[[Job, str], Awaitable[None]]


def job_fields(job: Job) -> dict[str, str]:
    """What the log lines of a job's run say it is about (an openid in it becomes the guest's reference)."""
    fields = {"job": without_openids(job.id), "kind": job.kind}
    guest = OPENID.search(job.pk)
    return {**fields, "guest": guest_ref(guest.group())} if guest else fields


ORDER_STEP = 0.001  # seconds between the due times of jobs queued behind one put back
WORKER_ALIVE = "workers:alive"  # kv: the last worker that said it runs jobs, and when
HEARTBEAT_SECONDS = 15.0


class Worker:
    """Runs jobs: those this instance just created at once, the rest when the sweeper finds them due.

    Jobs of one partition (one WeChat guest, one Teams conversation) run one at a time, in order.
    """

    def __init__(
        self,
        queue: JobQueue,
        handlers: Mapping[str, Handler] | None = None,
        *,
        poll_seconds: float = 1.0,
        concurrency: int = 16,
        max_held: int = 256,
        runs_jobs: bool = True,
    ) -> None:
        self.queue = queue
        self.handlers = dict(handlers or {})
        self._gave_up: dict[str, GaveUp] = {}
        self.handlers[GAVE_UP] = self._tell_gave_up
        self.poll_seconds = poll_seconds
        # False: jobs are only persisted here, due at once, for the instances that run them (`python
        # worker.py`): an instance that only acknowledges keeps its CPU for that.
        self.runs_jobs = runs_jobs
        self.max_held = max_held  # jobs held in memory at most; beyond that they wait in storage
        self._slots = asyncio.Semaphore(concurrency)
        self._partition_locks: dict[str, asyncio.Lock] = {}
        self._partition_users: dict[str, int] = {}
        self._tasks: set[asyncio.Task] = set()
        self._background: set[asyncio.Task] = set()  # work that is no job (services/teams_outbox.py's posters)
        self._held: set[tuple[str, str]] = set()  # (pk, id) of jobs this instance holds, waiting or running
        # Partitions with a job this instance left due in storage (it was busy): their next jobs go there
        # too, behind it, until a sweep has taken every due job: a guest's later message never overtakes.
        # pk -> when (a count of jobs left) its last job was left: a sweep forgets only what it may have seen.
        self._left_behind: dict[str, int] = {}
        self._left = 0
        # Partitions whose job was put back to wait for a rate limit: (that job, its due time, the latest due
        # time given in the partition). Until it is done, the partition's new jobs are due after it, one
        # after another, and not taken before it.
        self._put_back: dict[str, tuple[str, float, float]] = {}
        self._loop_task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._beaten = float("-inf")

    def register(self, kind: str, handler: Handler, *, gave_up: GaveUp | None = None) -> None:
        """`gave_up(job, error)`: told when a job of this kind failed for good, so that what it was
        for learns it (a message that will not be sent is refused, and recorded, not left pending)."""
        self.handlers[kind] = handler
        if gave_up is not None:
            self._gave_up[kind] = gave_up

    async def enqueue(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str,
                      guards: Sequence[New] = ()) -> Job | None:
        """Persist a job (with `guards`: JobQueue.enqueue) and run it here at once, or, when this
        instance is busy, leave it due in storage for the sweepers (back-pressure: memory and latency
        stay bounded under a burst)."""
        behind, due_at = self._put_back.get(pk), None
        if behind is not None:
            due_at = max(self.queue.clock.now(), behind[2]) + ORDER_STEP
            self._put_back[pk] = (behind[0], behind[1], due_at)
        leased = self.runs_jobs and len(self._held) < self.max_held and pk not in self._left_behind and due_at is None
        job = await self.queue.enqueue(kind, id, payload, pk=pk, leased=leased, due_at=due_at, guards=guards)
        if job is not None:
            if leased:
                self.submit(job)
            else:
                if self.runs_jobs:
                    self._leave_behind(pk)
                self.wake()
        return job

    async def schedule(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str, at: float) -> Job | None:
        """Persist a job due at `at` (a deadline): whichever sweeper comes first then runs it."""
        job = await self.queue.enqueue(kind, id, payload, pk=pk, due_at=at)
        if job is not None and at <= self.queue.clock.now():
            self.wake()
        return job

    def submit(self, job: Job, *, resumed: bool = False) -> None:
        """Run a job this instance holds the lease of, without waiting for it (`resumed`: taken over
        from a life that died holding it)."""
        self._held.add((job.pk, job.id))  # counted at once: the task starts later
        task = asyncio.get_running_loop().create_task(self.run(job, resumed=resumed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: Job, *, resumed: bool = False) -> None:
        lock = self._partition_locks.setdefault(job.pk, asyncio.Lock())
        self._partition_users[job.pk] = self._partition_users.get(job.pk, 0) + 1
        self._held.add((job.pk, job.id))
        try:
            async with lock, self._slots:
                await self._run(job, resumed)
        finally:
            self._held.discard((job.pk, job.id))
            self._partition_users[job.pk] -= 1
            if not self._partition_users[job.pk]:
                del self._partition_users[job.pk], self._partition_locks[job.pk]

    async def _fresh_lease(self, job: Job) -> Job | None:
        """The job with enough lease left to run it; None if another instance took it meanwhile.

        A job can wait here behind others of its partition or for a free slot; its lease runs on.
        Renewing it (an ETag write) before running is what stops a second instance from running it too.
        """
        remaining = job.body.get("lease_until", 0) - self.queue.clock.now()
        if remaining > self.queue.lease_seconds / 2:
            return job
        return await self.queue.claim(job)

    async def _heartbeat(self, running: Running) -> None:
        """Keep the lease of a long-running job (Teams or WeChat retrying with backoff)."""
        while True:
            await asyncio.sleep(self.queue.lease_seconds / 3)
            if not await running.renew():
                log.error("lost the lease of running job %s", running.job.id)
                return

    async def _run(self, job: Job, resumed: bool) -> None:
        fresh = await self._fresh_lease(job)
        if fresh is None:
            log.info("job %s was taken over while it waited here; leaving it to the other worker", job.id)
            return
        running = Running(self.queue, fresh, resumed=resumed)
        heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(running))
        token = RUNNING.set(running)
        fields, now = job_fields(fresh), self.queue.clock.now()
        telemetry().job_started(fresh.kind, now - fresh.body.get("due_at", now))
        try:
            with about(**fields), telemetry().span(f"job {fresh.kind}", **fields):
                await self._execute(running)
        finally:
            RUNNING.reset(token)
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)

    async def _execute(self, running: Running) -> None:
        job = running.job
        handler = self.handlers.get(job.kind)
        if handler is None:
            await self.queue.fail(job, f"no handler for job kind {job.kind!r}")
            return
        tell = job.kind in self._gave_up
        try:
            result = await handler(job)
        except PermanentError as exc:
            ended = await running.update(functools.partial(self.queue.fail, error=str(exc), tell=tell))
        except RetryLater as exc:
            ended = await running.update(functools.partial(self.queue.retry, error=str(exc), delay=exc.delay,
                                                           waiting_for=exc.waiting_for, tell=tell, paced=exc.paced))
            if exc.paced and exc.holds_place and ended is not None and ended.status == PENDING:
                due = ended.body["due_at"]
                self._put_back[job.pk] = (job.id, due, max(due, self._put_back.get(job.pk, ("", 0.0, 0.0))[2]))
                return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any other failure is retried with backoff: nothing is dropped
            log.exception("job %s (%s) raised", job.id, job.kind)
            ended = await running.update(functools.partial(self.queue.retry, error=f"{type(exc).__name__}: {exc}",
                                                           tell=tell))
        else:
            await running.update(functools.partial(self.queue.complete, **(result or {})))
            self._no_longer_put_back(job)
            return
        self._no_longer_put_back(job)
        if ended is not None and ended.status == FAILED and tell:
            await self._to_tell(ended)

    def _leave_behind(self, pk: str) -> None:
        self._left += 1
        self._left_behind[pk] = self._left

    def _no_longer_put_back(self, job: Job) -> None:
        """The job that held its partition's place is done (or failed): the jobs behind it are due in
        storage, and the partition stays left behind until a sweep took them."""
        if self._put_back.get(job.pk, ("",))[0] == job.id:
            del self._put_back[job.pk]
            self._leave_behind(job.pk)

    def _forget_put_back(self, before: float) -> None:
        """A job put back that another instance took meanwhile (it was due long ago and is not here) no
        longer holds its partition here."""
        for pk, (id, due, _) in list(self._put_back.items()):
            if due < before and (pk, id) not in self._held:
                del self._put_back[pk]
                self._leave_behind(pk)

    async def _to_tell(self, failed: Job) -> None:
        """The owner of a failed job is told through a job of its own, retried like any other: it
        learns it even if storage or the owner fails right now."""
        await self.enqueue(GAVE_UP, f"{GAVE_UP}:{failed.id}", {"kind": failed.kind, "id": failed.id, "pk": failed.pk},
                           pk=failed.pk)

    async def _tell_gave_up(self, job: Job) -> dict[str, Any]:
        p = job.payload
        failed = await self.queue.get(p["pk"], p["id"])
        if failed is None or failed.status != FAILED:
            return {"told": False}
        await self._gave_up[p["kind"]](failed, failed.body.get("last_error", ""))
        await self.queue._write(failed, to_tell=False)
        return {"told": True}

    async def sweep(self) -> int:
        """Claim and run what is due; returns how many jobs ran."""
        # Jobs this instance holds are not "stale": they wait here for their partition or a slot.
        room = self.max_held - len(self._held)
        if room <= 0:
            return 0
        self._forget_put_back(self.queue.clock.now() - 4 * self.queue.lease_seconds)
        looked = self._left  # as before the look: a job left after it (of a partition left before too) is not in it
        found = await self.queue.claimable(limit=room)
        # A job behind one put back waits for it (it may be due already, yet must not overtake), unless both
        # are taken now: they run in order of their due times, one after the other.
        ids = {(j.pk, j.id) for j in found}
        due = [j for j in found if (j.pk, j.id) not in self._held
               and (j.pk, self._put_back.get(j.pk, (j.id,))[0]) in ids][:room]
        # A due job still leased is one whose instance died holding it (a stale lease).
        claimed = [(c, j.status == LEASED) for j in due if (c := await self.queue.claim(j))]
        if len(found) < room:  # every due job is taken (here or elsewhere): nothing left behind waits
            self._left_behind = {pk: left for pk, left in self._left_behind.items() if left > looked}
        await asyncio.gather(*(self.run(job, resumed=stale) for job, stale in claimed))
        return len(claimed)

    async def start(self) -> None:
        if not self.runs_jobs:
            return
        for job in await self.queue.orphans():
            self.submit(job, resumed=True)
        for failed in await self.queue.untold():  # a crash came between failing and telling
            await self._to_tell(failed)
        self._loop_task = asyncio.get_running_loop().create_task(self._loop())

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.sweep()
                await self._beat()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweep failed; trying again next round")

    async def _beat(self) -> None:
        """Say in storage that a worker runs jobs (at most every HEARTBEAT_SECONDS): /readyz reads it on
        every instance, including those that only acknowledge."""
        now = self.queue.clock.now()
        if now - self._beaten >= HEARTBEAT_SECONDS:
            await self.queue.storage.upsert(KV, WORKER_ALIVE, WORKER_ALIVE,
                                            {"instance": self.queue.instance_id, "at": now})
            self._beaten = now

    async def drain(self) -> None:
        """Wait for the jobs already submitted (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` beside the jobs, outside any job (it takes no slot, and no job's context), until it
        ends or the worker stops."""
        task = asyncio.get_running_loop().create_task(work, context=contextvars.Context())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop(self) -> None:
        if self._loop_task:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.drain()
        windows = sorted(self.queue.effect_windows)
        if windows:  # what a crash could double: the time from a remote answer to its outcome written
            at = lambda q: windows[min(len(windows) - 1, int(q * len(windows)))] * 1000  # noqa: E731
            log.info("effects: %d outcomes written; from the remote answer to the write p50 %.3f ms, "
                     "p99 %.3f ms, max %.3f ms", len(windows), at(0.5), at(0.99), windows[-1] * 1000)
