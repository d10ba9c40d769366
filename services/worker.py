"""Runs the durable queue's jobs (services/jobs.py): those this instance just created at once, the rest when its
sweeper finds them due or their instance died; one partition's jobs one at a time, in order; a job given back
keeps its place; the instance's heartbeat says it runs jobs."""
from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from typing import Any, Awaitable, Callable, Coroutine, Mapping

from core.log_fields import OPENID, about, guest_ref, without_openids
from core.storage import CREATED, KV, NonceRecord
from core.telemetry import telemetry
from services.job_kinds import GAVE_UP
from services.jobs import FAILED, LEASED, PENDING, RUNNING, Job, JobQueue, PermanentError, RetryLater, Running, made

log = logging.getLogger(__name__)


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

    async def enqueue(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str) -> Job | None:
        """Persist a job and run it here at once, or, when this instance is busy, leave it due in storage for
        the sweepers (back-pressure: memory and latency stay bounded under a burst); None if it exists."""
        return (await self._persisted(kind, id, payload, pk, None))[1]

    async def persist(self, kind: str, id: str, payload: Mapping[str, Any], *, pk: str,
                      nonce: NonceRecord | None = None) -> str:
        """`enqueue` with a webhook's `nonce` record in the same write: what the write answered (JobQueue.create).
        A Job is made only to run it here."""
        return (await self._persisted(kind, id, payload, pk, nonce, wanted=False))[0]

    async def _persisted(self, kind: str, id: str, payload: Mapping[str, Any], pk: str, nonce: NonceRecord | None,
                         *, wanted: bool = True) -> tuple[str, Job | None]:
        behind, due_at = self._put_back.get(pk), None
        if behind is not None:
            due_at = max(self.queue.clock.now(), behind[2]) + ORDER_STEP
            self._put_back[pk] = (behind[0], behind[1], due_at)
        leased = self.runs_jobs and len(self._held) < self.max_held and pk not in self._left_behind and due_at is None
        outcome, body, etag = await self.queue.create(kind, id, payload, pk=pk, leased=leased, due_at=due_at,
                                                      nonce=nonce)
        if outcome != CREATED:
            return outcome, None
        if leased:
            job = made(pk, id, body, etag)
            self.submit(job)
            return outcome, job
        if self.runs_jobs:
            self._leave_behind(pk)
        self.wake()
        return outcome, made(pk, id, body, etag) if wanted else None

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
        elif claimed:  # a full look: more may be due, and the loop looks again at once instead of after a poll
            self.wake()
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
