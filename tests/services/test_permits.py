"""The permits under Teams' rate limits (core/rate_windows.py, services/permits.py) and the paced
Teams port (services/paced_teams.py), on a fake clock."""
import asyncio

import pytest

from adapters.teams.errors import Throttled
from core.clock import FakeClock
from core.rate_windows import TEAMS_CONVERSATION_WRITES, Grants, earliest, granted
from core.teams_chats import TeamsPost
from services.jobs import DONE, PENDING, JobQueue, RetryLater
from services.worker import Worker
from services.paced_teams import Busy, PacedTeams, conversation_of, no_waiting
from services.permits import Permits, TooLong
from simulators.teams_rate_limits import SlidingWindows
from tests.fakes import FakeTeams, personal_reference
from tests.memory_storage import MemoryStorage

CHAT = ((1.0, 7), (2.0, 8), (30.0, 60))


def test_a_permit_is_given_when_every_window_has_room():
    grants, times = Grants(), []
    for _ in range(70):
        at = earliest(grants, CHAT, 100.0)
        grants = granted(grants, at, CHAT)
        times.append(at)
    assert times[:7] == [100.0] * 7
    assert times[7] == 101.0  # 7 a second
    assert times[8] == 102.0  # 8 per 2 s: the 9th when the first leaves the window
    assert times[60] == 130.0  # 60 per 30 s
    limits = SlidingWindows(CHAT)  # the simulator refuses none of them
    for at in times:
        assert limits.wait(at) is None
        limits.take(at)


def test_the_hour_window_counts_folded_grants():
    hour = ((3600.0, 3),)
    grants = Grants()
    for at in (0.0, 100.0, 200.0):
        grants = granted(grants, earliest(grants, hour, at), hour)
    assert grants.folded and not grants.recent[:-1]  # the old ones folded per minute
    assert earliest(grants, hour, 300.0) >= 3600.0  # never before the first leaves the hour
    body = Grants.from_body(grants.to_body())
    assert earliest(body, hour, 300.0) == earliest(grants, hour, 300.0)


async def test_permits_are_shared_by_instances_over_one_storage():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    one, two = Permits(storage, clock), Permits(storage, clock)
    limits = [("teams:a", ((1.0, 2),))]
    assert await one.reserve(limits, 5.0) == 1000.0
    assert await two.reserve(limits, 5.0) == 1000.0
    assert await one.reserve(limits, 5.0) == 1001.0  # the third, after the other instance's
    with pytest.raises(TooLong) as told:
        await two.reserve(limits, 0.5)
    assert told.value.delay == 1.0  # nothing reserved: still the next second
    assert await two.reserve(limits, 5.0) == 1001.0
    assert await one.reserve(limits, 5.0) == 1002.0


async def test_no_permit_is_given_twice_under_concurrency():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    instances = [Permits(storage, clock) for _ in range(3)]
    limits = [("teams:a", ((1.0, 7), (2.0, 8))), ("tenant:t", ((1.0, 50),))]
    times = sorted(await asyncio.gather(*(instances[i % 3].reserve(limits, 60.0) for i in range(24))))
    simulator = SlidingWindows(((1.0, 7), (2.0, 8)))
    for at in times:
        assert simulator.wait(at) is None  # each fits, counting every other one given
        simulator.take(at)


async def test_retry_after_blocks_the_key_for_every_instance():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    one, two = Permits(storage, clock), Permits(storage, clock)
    await one.reserve([("teams:a", CHAT)], 5.0)
    await one.block("teams:a", 4.0)
    assert await two.reserve([("teams:a", CHAT)], 5.0) == 1004.0


class Sleeps:
    def __init__(self, clock):
        self.clock, self.slept = clock, []

    async def __call__(self, seconds):
        self.slept.append(seconds)
        self.clock.advance(seconds)


@pytest.fixture
def paced():
    clock = FakeClock(start=1000.0)
    teams, sleeps = FakeTeams(), Sleeps(clock)
    return PacedTeams(teams, Permits(MemoryStorage(), clock), sleep=sleeps), teams, sleeps, clock


async def test_the_port_waits_for_a_permit_not_for_a_429(paced):
    chats, teams, sleeps, _ = paced
    reference = personal_reference("aad-1")
    for i in range(9):
        await chats.post(reference, TeamsPost(text=f"m{i}"))
    assert len(teams.posts()) == 9
    assert sleeps.slept and sum(sleeps.slept) >= 2.0  # the 8th and 9th waited for the windows


async def test_a_channel_thread_counts_as_its_channel():
    assert conversation_of({"conversation": {"id": "19:c@thread.tacv2;messageid=17"}}) == "19:c@thread.tacv2"


async def test_a_429_all_the_same_takes_its_retry_after_and_tries_again(paced):
    chats, teams, sleeps, _ = paced
    teams.refuse_next("post", Throttled(429, "", "slow down", retry_after=2.5))
    await chats.post(personal_reference("aad-1"), TeamsPost(text="hello"))
    assert len(teams.posts()) == 1 and 2.5 in sleeps.slept


async def test_no_waiting_says_busy_instead(paced):
    chats, teams, _, _ = paced
    reference = personal_reference("aad-1")
    for i in range(7):
        await chats.post(reference, TeamsPost(text=f"m{i}"))
    with no_waiting(), pytest.raises(Busy):
        await chats.update(reference, teams.posts()[0].message_id, TeamsPost(text="card"))


async def test_a_job_waiting_long_is_given_back_not_failed_and_keeps_its_place(sqlite_storage):
    clock = FakeClock(start=1000.0)
    queue = JobQueue(sqlite_storage, clock, "i1", lease_seconds=30)
    ran: list[str] = []

    async def handler(job):
        if job.id == "first" and not ran:
            ran.append("first put back")
            raise RetryLater("paced", delay=20.0, paced=True)
        ran.append(job.id)
        return {}

    worker = Worker(queue, {"k": handler})
    await worker.enqueue("k", "first", {}, pk="guest")
    await worker.drain()
    put_back = await queue.get("guest", "first")
    assert put_back.status == PENDING and put_back.attempts == 0  # not a failed attempt
    await worker.enqueue("k", "second", {}, pk="guest")
    await worker.drain()
    await worker.sweep()
    assert ran == ["first put back"]  # the second is due after the first, not at once
    clock.advance(21.0)
    await worker.sweep()
    await worker.drain()
    assert ran == ["first put back", "first", "second"]
    assert (await queue.get("guest", "second")).status == DONE


def test_the_table_is_teams_own():
    assert TEAMS_CONVERSATION_WRITES == ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))


async def test_live_card_updates_without_a_permit_are_deferred_merged_and_end_on_the_latest_state():
    from tests.services.test_conversation_runner import ALICE, bridge_posts, guest_with_alice

    bridge = await guest_with_alice()
    [live] = bridge_posts(bridge, card="status")
    sleeps = Sleeps(bridge.clock)
    paced = PacedTeams(bridge.teams, Permits(bridge.storage, bridge.clock), sleep=sleeps, conversation=((60.0, 1),))
    bridge.conversations.teams = bridge.live_cards.teams = paced
    await bridge.employee(ALICE, "one", name="Alice")  # the card updated at once: the permit was free
    for text in ("two", "three"):
        await bridge.employee(ALICE, text, name="Alice")  # no permit: deferred, then skipped
    assert len(bridge.teams.updates(live.message_id)) == 1
    for _ in range(6):
        bridge.clock.advance(30.0)
        await bridge.worker.sweep()
        await bridge.settle()
    updates = bridge.teams.updates(live.message_id)
    assert len(updates) == 2  # the two changes merged into one update, once a permit was free
    assert "0 of 4 messages left" in updates[-1].shown  # the latest state


async def test_a_permit_used_late_is_taken_again_and_no_window_is_exceeded():
    """A sleep that overran (a stalled event loop) while a later call went out on its own permit: the
    late call takes a permit again instead of going out beside it (Teams would refuse one, 429)."""
    clock = FakeClock(start=1000.0)
    teams, sent = FakeTeams(), []
    reference = personal_reference("aad-1")
    one_a_second = ((1.0, 1),)

    class Stalled(Sleeps):
        async def __call__(self, seconds):
            await super().__call__(seconds)
            if len(self.slept) == 1:
                self.clock.advance(2.0)  # overran; meanwhile another call is made
                await chats.post(reference, TeamsPost(text="meanwhile"))

    class Timed(FakeTeams):
        async def post(self, reference, post):
            sent.append(clock.now())
            return await teams.post(reference, post)

    chats = PacedTeams(Timed(), Permits(MemoryStorage(), clock), sleep=Stalled(clock), conversation=one_a_second)
    await chats.post(reference, TeamsPost(text="first"))
    await chats.post(reference, TeamsPost(text="second"))  # its permit: a second later; it sleeps, and overruns
    simulator = SlidingWindows(one_a_second)
    for at in sent:
        assert simulator.wait(at) is None
        simulator.take(at)
    assert len(sent) == 3
