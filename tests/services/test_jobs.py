import asyncio

import pytest

from services.jobs import DONE, FAILED, LEASED, PENDING, JobQueue, PermanentError, RetryLater
from services.worker import Worker

pytestmark = pytest.mark.asyncio


@pytest.fixture
def storage(sqlite_storage):
    return sqlite_storage  # the queue's own tests need one backend only


def make(storage, clock, handlers, instance="i1", **kw):
    queue = JobQueue(storage, clock, instance, lease_seconds=30, **kw)
    return queue, Worker(queue, handlers)


async def status(queue, id, pk="p"):
    return (await queue.get(pk, id)).status


async def test_enqueue_is_idempotent_on_the_id(storage, clock):
    queue, _ = make(storage, clock, {})
    assert (await queue.enqueue("k", "j1", {"a": 1}, pk="p")).status == LEASED
    assert await queue.enqueue("k", "j1", {"a": 2}, pk="p") is None
    assert (await queue.get("p", "j1")).payload == {"a": 1}


async def test_submitted_job_runs_and_is_kept_as_done(storage, clock):
    seen = []

    async def handler(job):
        seen.append(job.payload)
        return {"ok": True}

    queue, worker = make(storage, clock, {"k": handler})
    worker.submit(await queue.enqueue("k", "j1", {"a": 1}, pk="p"))
    await worker.drain()
    job = await queue.get("p", "j1")
    assert seen == [{"a": 1}] and job.status == DONE and job.body["result"] == {"ok": True}


async def test_failure_is_retried_with_backoff_when_due(storage, clock):
    calls = []

    async def flaky(job):
        calls.append(clock.now())
        if len(calls) == 1:
            raise ConnectionError("teams down")

    queue, worker = make(storage, clock, {"k": flaky}, backoff_base=10)
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    job = await queue.get("p", "j1")
    assert job.status == PENDING and job.attempts == 1 and "teams down" in job.body["last_error"]
    assert await worker.sweep() == 0  # not due yet
    clock.advance(10)
    assert await worker.sweep() == 1
    assert await status(queue, "j1") == DONE and len(calls) == 2


async def test_permanent_error_and_max_attempts_fail_the_job(storage, clock):
    async def refuse(job):
        raise PermanentError("45015")

    async def broken(job):
        raise RuntimeError("always")

    queue, worker = make(storage, clock, {"refuse": refuse, "broken": broken}, max_attempts=3, backoff_base=1)
    worker.submit(await queue.enqueue("refuse", "j1", {}, pk="p"))
    worker.submit(await queue.enqueue("broken", "j2", {}, pk="p"))
    await worker.drain()
    for _ in range(5):
        clock.advance(3600)
        await worker.sweep()
    j1, j2 = await queue.get("p", "j1"), await queue.get("p", "j2")
    assert (j1.status, j1.body["last_error"]) == (FAILED, "45015")
    assert j2.status == FAILED and "gave up after 3 attempts" in j2.body["last_error"]


async def test_unknown_kind_fails_loudly(storage, clock):
    queue, worker = make(storage, clock, {})
    worker.submit(await queue.enqueue("mystery", "j1", {}, pk="p"))
    await worker.drain()
    assert await status(queue, "j1") == FAILED


async def test_waiting_job_is_woken_by_its_key_and_does_not_use_up_attempts(storage, clock):
    ready = False

    async def needs_install(job):
        if not ready:
            raise RetryLater("not installed", delay=900, waiting_for="employee:a")

    queue, worker = make(storage, clock, {"k": needs_install})
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    job = await queue.get("p", "j1")
    assert job.status == PENDING and job.attempts == 0
    ready = True
    assert await queue.wake("employee:a") == 1
    assert await worker.sweep() == 1
    assert await status(queue, "j1") == DONE


async def test_waiting_gives_up_after_max_wait(storage, clock):
    async def never(job):
        raise RetryLater("not installed", delay=3600, waiting_for="employee:a")

    queue, worker = make(storage, clock, {"k": never}, max_wait_seconds=2 * 3600)
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    for _ in range(4):
        clock.advance(3600)
        await worker.sweep()
    assert await status(queue, "j1") == FAILED


async def test_a_dead_instances_job_is_taken_over_after_its_lease(storage, clock):
    ran = []

    async def handler(job):
        ran.append(job.id)

    dead, _ = make(storage, clock, {}, instance="dead")
    await dead.enqueue("k", "j1", {}, pk="p")  # leased to "dead", which never runs it
    _, other = make(storage, clock, {"k": handler}, instance="other")
    assert await other.sweep() == 0
    clock.advance(31)
    assert await other.sweep() == 1 and ran == ["j1"]


async def test_a_restarted_instance_takes_back_its_own_jobs_at_once(storage, clock):
    ran = []

    async def handler(job):
        ran.append(job.id)

    before, _ = make(storage, clock, {}, instance="web-1")
    await before.enqueue("k", "j1", {}, pk="p")
    queue, worker = make(storage, clock, {"k": handler}, instance="web-1")
    await worker.start()
    await worker.drain()
    await worker.stop()
    assert ran == ["j1"] and await status(queue, "j1") == DONE


async def test_jobs_of_one_partition_run_one_at_a_time_in_order(storage, clock):
    order, active = [], []

    async def handler(job):
        active.append(job.id)
        assert len(active) == 1, "two jobs of one partition ran at once"
        await asyncio.sleep(0)  # yield to let any wrongly concurrent job in
        order.append(job.id)
        active.remove(job.id)

    queue, worker = make(storage, clock, {"k": handler})
    for i in range(5):
        worker.submit(await queue.enqueue("k", f"j{i}", {}, pk="guest"))
    await worker.drain()
    assert order == [f"j{i}" for i in range(5)]


async def test_a_job_waiting_in_this_instance_past_its_lease_runs_once(storage, clock):
    """The bench found it: a job queued behind others outlived its lease, the sweeper ran it again."""
    ran, gate = [], asyncio.Event()

    async def handler(job):
        if job.id == "blocker":
            await gate.wait()
        ran.append(job.id)

    queue, worker = make(storage, clock, {"k": handler})
    worker.submit(await queue.enqueue("k", "blocker", {}, pk="guest"))
    worker.submit(await queue.enqueue("k", "waiting", {}, pk="guest"))
    await asyncio.sleep(0)  # both tasks start: "waiting" now waits for the partition lock
    clock.advance(31)  # both leases have run out while "waiting" waits
    assert await asyncio.wait_for(worker.sweep(), 5) == 0  # held here: not the sweeper's to take
    gate.set()
    await worker.drain()
    assert ran == ["blocker", "waiting"]
    assert await status(queue, "waiting", pk="guest") == DONE


async def test_a_job_another_instance_took_over_while_it_waited_here_is_not_run_twice(storage, clock):
    ran = []

    async def handler(job):
        ran.append((job.id, job.body["lease_owner"]))

    queue, worker = make(storage, clock, {"k": handler}, instance="slow")
    job = await queue.enqueue("k", "j1", {}, pk="p")
    clock.advance(31)
    _, other = make(storage, clock, {"k": handler}, instance="fast")
    assert await other.sweep() == 1  # the other instance took the expired job and ran it
    await worker.run(job)  # this instance finally gets to it, with its stale copy
    assert ran == [("j1", "fast")]


async def test_a_busy_instance_leaves_new_jobs_due_in_storage_for_the_sweepers(storage, clock):
    ran, gate = [], asyncio.Event()

    async def handler(job):
        await gate.wait()
        ran.append(job.id)

    queue = JobQueue(storage, clock, "i1", lease_seconds=30)
    worker = Worker(queue, {"k": handler}, max_held=2)
    for i in range(4):
        await worker.enqueue("k", f"j{i}", {}, pk=f"p{i}")
    statuses = [(await queue.get(f"p{i}", f"j{i}")).status for i in range(4)]
    assert statuses == [LEASED, LEASED, PENDING, PENDING]
    assert await asyncio.wait_for(worker.sweep(), 5) == 0  # still full: the sweeper takes nothing
    gate.set()
    await worker.drain()
    assert await worker.sweep() == 2
    assert sorted(ran) == ["j0", "j1", "j2", "j3"]


async def test_the_owner_of_a_job_hears_when_it_is_given_up_and_only_then(storage, clock):
    told = []

    async def flaky(job):
        raise ConnectionError("WeChat is down")

    async def gave_up(job, error):
        told.append((job.id, job.status, error))

    queue, worker = make(storage, clock, {}, max_attempts=2)
    worker.register("send", flaky, gave_up=gave_up)
    await worker.enqueue("send", "s1", {}, pk="p")
    await worker.drain()
    assert told == [] and await status(queue, "s1") == PENDING  # retried later: not given up yet
    clock.advance(3600)
    await worker.sweep()
    await worker.drain()  # the owner is told by a job of its own
    assert told == [("s1", FAILED, "gave up after 2 attempts: ConnectionError: WeChat is down")]


async def test_telling_the_owner_is_retried_until_it_hears(storage, clock):
    told, down = [], [True]

    async def refuse(job):
        raise PermanentError("45015")

    async def gave_up(job, error):
        if down[0]:
            raise ConnectionError("storage blip")
        told.append(job.id)

    queue, worker = make(storage, clock, {}, max_attempts=3)
    worker.register("send", refuse, gave_up=gave_up)
    await worker.enqueue("send", "s1", {}, pk="p")
    await worker.drain()
    assert told == [] and await status(queue, "gave_up:s1") == PENDING
    down[0] = False
    clock.advance(3600)
    await worker.sweep()
    assert told == ["s1"] and await status(queue, "gave_up:s1") == DONE


async def test_an_owner_not_told_before_a_crash_is_told_when_a_worker_starts(storage, clock):
    told = []

    async def gave_up(job, error):
        told.append((job.id, error))

    queue, _ = make(storage, clock, {})
    job = await queue.enqueue("send", "s1", {}, pk="p")
    await queue.fail(job, "45015", tell=True)  # ... and the process died before the telling job

    _, worker = make(storage, clock, {})
    worker.register("send", lambda job: None, gave_up=gave_up)
    await worker.start()
    await worker.drain()
    await worker.stop()
    assert told == [("s1", "45015")]
    assert await queue.untold() == []


# --- every outside effect once ------------------------------------------------------------------

async def test_an_effect_that_returned_is_not_made_again_when_its_job_runs_again(storage, clock):
    """The job posts, then fails before it is done (as a crash would leave it): run again, it finds
    the post's outcome in its own document and does not post twice."""
    from services.jobs import effect

    posted, runs = [], []

    async def post():
        posted.append(len(posted) + 1)
        return f"activity-{len(posted)}"

    async def handler(job):
        activity = await effect("teams_post", post)
        runs.append(activity)
        if len(runs) == 1:
            raise ConnectionError("storage hiccup after the post")
        return {"activity": activity}

    queue, worker = make(storage, clock, {"k": handler}, backoff_base=1)
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    assert (await queue.get("p", "j1")).body["effects"] == {"teams_post": {"outcome": "activity-1"}}
    clock.advance(10)
    await worker.sweep()
    job = await queue.get("p", "j1")
    assert posted == [1] and runs == ["activity-1", "activity-1"] and job.body["result"] == {"activity": "activity-1"}
    assert len(queue.effect_windows) == 1 and queue.effect_windows[0] < 1.0  # answer -> written, in seconds


async def test_an_effect_its_caller_proves_made_is_written_with_the_jobs_next_write(storage, clock):
    """`proven_by_caller`: no write of its own; the job's next write (here the retry after a failure)
    carries the outcome, so the run after it does not post again; `write_outcomes` writes it at once."""
    from services.jobs import effect, write_outcomes

    posted, runs, writes = [], [], []
    replace = storage.replace

    async def counted(container, pk, id, body, etag):
        writes.append(dict(body.get("effects", {})))
        return await replace(container, pk, id, body, etag)

    storage.replace = counted

    async def post():
        posted.append(1)
        return f"activity-{len(posted)}"

    async def handler(job):
        activity = await effect("teams_post", post, proven_by_caller=True)
        runs.append(activity)
        if job.id == "flushed":
            await write_outcomes()
        elif len(runs) == 1:
            raise ConnectionError("the caller's write failed")
        return {"activity": activity}

    queue, worker = make(storage, clock, {"k": handler}, backoff_base=1)
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    assert writes == [{"teams_post": {"outcome": "activity-1"}}]  # the retry, and nothing before it
    clock.advance(10)
    await worker.sweep()
    assert posted == [1] and runs == ["activity-1", "activity-1"] and await status(queue, "j1") == DONE

    writes.clear()
    worker.submit(await queue.enqueue("k", "flushed", {}, pk="p"))
    await worker.drain()
    assert writes == [{"teams_post": {"outcome": "activity-2"}}] * 2  # written at once, then with the job done
    assert len(queue.effect_windows) == 2


async def test_an_effect_cut_short_by_a_crash_is_unknown_and_not_made_again(storage, clock):
    """A WeChat send the process died in (noted as started, no outcome): the next run raises
    OutcomeUnknown instead of sending again. One that raised (it did not take effect) is tried again."""
    from services.jobs import OutcomeUnknown, effect

    sends, seen = [], []

    async def send():
        sends.append(1)
        if len(sends) == 1:
            raise ConnectionRefusedError("nothing sent")
        if len(sends) == 2:
            raise asyncio.CancelledError  # the process stops mid-call: it may have been sent
        return {"errcode": 0}

    async def handler(job):
        try:
            seen.append(await effect("wechat_send", send, unknown_if_interrupted=True))
        except OutcomeUnknown:
            seen.append("unknown")
        return {}

    queue, worker = make(storage, clock, {"k": handler}, backoff_base=1)
    worker.submit(await queue.enqueue("k", "j1", {}, pk="p"))
    await worker.drain()
    assert "wechat_send" not in (await queue.get("p", "j1")).body.get("effects", {})  # it raised: not started
    clock.advance(10)
    with pytest.raises(asyncio.CancelledError):
        await worker.run((await queue.claimable())[0])
    assert "started" in (await queue.get("p", "j1")).body["effects"]["wechat_send"]
    clock.advance(60)  # its lease runs out: taken over
    await worker.sweep()
    assert len(sends) == 2 and seen == ["unknown"] and await status(queue, "j1") == DONE


async def test_outside_a_job_an_effect_is_simply_made():
    from services.jobs import effect

    async def call():
        return 42

    assert await effect("teams_post", call) == 42


async def test_an_effect_may_have_been_made_only_in_a_run_that_took_the_job_from_a_dead_life(storage, clock):
    """A run of a job its own life created, or one retried after a clean failure, knows its effects
    were not made; a run that took the job over from a life that died holding it (a restart under the
    same instance id, a stale lease) cannot tell, until the effect's outcome is written."""
    from services.jobs import effect, may_have_been_made

    seen = []

    async def post():
        return "activity-1"

    async def handler(job):
        before = may_have_been_made("teams_post")
        if job.payload.get("post"):
            await effect("teams_post", post)
        seen.append((job.id, before, may_have_been_made("teams_post")))
        if job.payload.get("fail") and job.attempts == 0:
            raise ConnectionError("a clean failure: retried")

    dead, _ = make(storage, clock, {}, instance="web-1")
    await dead.enqueue("k", "orphan", {"post": True}, pk="p1")  # its life died holding it
    await dead.enqueue("k", "stale", {}, pk="p2")
    queue, worker = make(storage, clock, {"k": handler}, instance="web-1", backoff_base=1)
    worker.submit(await queue.enqueue("k", "fresh", {"fail": True}, pk="p3"))
    await worker.drain()
    await worker.start()  # takes back its own orphans: "orphan", "stale"
    await worker.drain()
    await worker.stop()
    clock.advance(10)
    await worker.sweep()  # "fresh", retried after its clean failure
    assert sorted(seen) == [("fresh", False, False), ("fresh", False, False),
                            ("orphan", True, False), ("stale", True, True)]

    seen.clear()
    gone, _ = make(storage, clock, {}, instance="web-2")
    await gone.enqueue("k", "taken", {}, pk="p4")
    _, other = make(storage, clock, {"k": handler}, instance="web-3")
    clock.advance(31)  # web-2's lease runs out: web-3 takes the job over
    await other.sweep()
    assert seen == [("taken", True, True)]


async def left_behind(storage, clock):
    """A worker holding one job at most, busy with "b" (until `gate` is set), so the guest's "first" was left due
    in storage: (queue, worker, the ids run in order, gate)."""
    ran, gate = [], asyncio.Event()

    async def handler(job):
        if job.pk == "busy":
            await gate.wait()
        ran.append(job.id)

    queue = JobQueue(storage, clock, "i1", lease_seconds=30)
    worker = Worker(queue, {"k": handler}, max_held=1)
    await worker.enqueue("k", "b", {}, pk="busy")  # fills this instance
    await worker.enqueue("k", "first", {}, pk="guest")  # left due in storage
    return queue, worker, ran, gate


async def test_a_guests_job_left_in_storage_is_not_overtaken_by_their_next_one(storage, clock):
    queue, worker, ran, gate = await left_behind(storage, clock)
    gate.set()
    await worker.drain()  # room again, and "first" still waits for a sweep
    await worker.enqueue("k", "second", {}, pk="guest")  # must not run before "first"
    await worker.drain()
    assert "second" not in ran and await status(queue, "second", pk="guest") == PENDING
    while await worker.sweep():  # one at a time here (max_held=1), in the order they were left
        await worker.drain()
    assert ran == ["b", "first", "second"]
    await worker.enqueue("k", "third", {}, pk="guest")  # nothing of theirs waits any more: at once
    await worker.drain()
    assert ran[-1] == "third"


async def test_a_job_left_while_a_sweep_looks_is_not_forgotten_by_that_sweep(storage, clock):
    queue, worker, ran, gate = await left_behind(storage, clock)
    worker.max_held = 3
    look = queue.claimable

    async def looking(limit=50):
        found = await look(limit)
        queue.claimable = look
        await worker.enqueue("k", "second", {}, pk="guest")  # left behind "first", after the look
        return found

    queue.claimable = looking
    await worker.sweep()  # takes "first" (all it saw), not "second"
    await worker.enqueue("k", "third", {}, pk="guest")  # "second" still waits: so does this one
    assert await status(queue, "third", pk="guest") == PENDING
    gate.set()
    await worker.drain()
    while await worker.sweep():
        await worker.drain()
    assert [r for r in ran if r != "b"] == ["first", "second", "third"]


async def test_a_backlog_larger_than_a_sweep_takes_is_run_without_waiting_for_the_next_poll(storage, clock):
    ran = []
    all_ran = asyncio.Event()

    async def handler(job):
        ran.append(job.id)
        if len(ran) == 10:
            all_ran.set()

    queue = JobQueue(storage, clock, "i1", lease_seconds=30)
    for i in range(10):  # due in storage, as a burst leaves them behind an instance that was full
        await queue.enqueue("k", f"j{i}", {}, pk=f"p{i}", leased=False)
    worker = Worker(queue, {"k": handler}, poll_seconds=3600, max_held=3)  # a sweep takes 3 at most
    await worker.start()
    worker.wake()  # as an instance does when it leaves a job due: one sweep now, the next poll in an hour
    try:
        await asyncio.wait_for(all_ran.wait(), 10)
    finally:
        await worker.stop()
    assert sorted(ran) == [f"j{i}" for i in range(10)]
