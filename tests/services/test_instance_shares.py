"""Each instance's share of the tenant's limit (services/instance_shares.py), and the permits given from
it without a storage write (services/permits.py), on a fake clock."""
import pytest

from core.clock import FakeClock
from core.storage import KV
from services.instance_shares import GONE_SECONDS, REFRESH_SECONDS, SKEW_SECONDS, VALID_SECONDS, InstanceShares
from services.permits import Permits
from simulators.teams_rate_limits import SlidingWindows
from tests.memory_storage import MemoryStorage

pytestmark = pytest.mark.asyncio

TENANT = ((1.0, 50),)
CHAT = ((1.0, 7),)


def instance(storage, clock, name):
    shares = InstanceShares(storage, clock, name)
    return shares, Permits(storage, clock, shares)


def limits(conversation):
    return [(f"teams:{conversation}", CHAT), ("tenant:t", TENANT)]


def kv_writes(storage):
    return sum(1 for op, container in storage.calls if container == KV and op in ("create", "replace", "upsert"))


async def test_alone_a_permit_writes_the_conversations_document_only():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    shares, permits = instance(storage, clock, "web-1")
    await shares.refresh()  # no other instance alive: its share is its own at once
    assert shares.windows(TENANT) == ((1.0, 40),)
    storage.calls.clear()
    for i in range(5):
        assert await permits.reserve(limits(f"chat-{i}"), 1.0, shared="tenant:t") == 1000.0
    assert kv_writes(storage) == 5  # one per call: its conversation's


async def test_a_burst_beyond_the_share_takes_the_pool_in_storage_and_never_more_than_the_limit():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    shares, permits = instance(storage, clock, "web-1")
    await shares.refresh()
    times = [await permits.reserve(limits(f"chat-{i}"), 5.0, shared="tenant:t") for i in range(60)]
    assert times.count(1000.0) == 50  # 40 from the share, 10 from the pool
    assert min(t for t in times if t > 1000.0) == 1001.0
    teams = SlidingWindows(TENANT)
    for at in sorted(times):
        assert teams.wait(at) is None
        teams.take(at)


async def test_a_joining_instance_takes_no_share_until_every_other_has_counted_it():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    one, _ = instance(storage, clock, "web-1")
    two, _ = instance(storage, clock, "web-2")
    await one.refresh()
    clock.advance(5)
    await two.refresh()
    assert (one.windows(TENANT), two.windows(TENANT)) == (((1.0, 40),), None)  # web-1 has not counted it yet
    clock.advance(REFRESH_SECONDS - 5)
    await one.refresh()
    assert one.windows(TENANT) == ((1.0, 20),)
    clock.advance(VALID_SECONDS + SKEW_SECONDS - REFRESH_SECONDS + 5)
    await two.refresh()
    assert two.windows(TENANT) == ((1.0, 20),)


async def test_a_share_not_counted_again_in_time_is_no_longer_taken_and_a_silent_instance_is_counted_out():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    one, _ = instance(storage, clock, "web-1")
    two, _ = instance(storage, clock, "web-2")
    await one.refresh()
    await two.refresh()
    clock.advance(VALID_SECONDS + SKEW_SECONDS)
    await two.refresh()
    assert two.windows(TENANT) == ((1.0, 20),)
    assert one.windows(TENANT) is None  # storage did not answer it since: no share, the pool serves
    clock.advance(GONE_SECONDS)
    await two.refresh()
    assert two.windows(TENANT) == ((1.0, 40),)  # web-1 is counted out


async def test_the_presence_is_noted_in_the_background_when_due():
    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    shares, permits = instance(storage, clock, "web-1")
    assert shares.windows(TENANT) is None  # not counted yet: the pool serves, a refresh starts
    await shares._refreshing
    assert shares.windows(TENANT) == ((1.0, 40),)
    assert (await storage.get(KV, "instances:alive", "instances:alive")).body["instances"]["web-1"]["at"] == 1000.0


async def test_the_paced_port_takes_the_tenants_permit_from_the_share():
    from core.teams_chats import TeamsPost
    from services.paced_teams import PacedTeams
    from tests.fakes import FakeTeams, personal_reference

    storage, clock = MemoryStorage(), FakeClock(start=1000.0)
    shares, permits = instance(storage, clock, "web-1")
    await shares.refresh()

    async def sleep(seconds):
        clock.advance(seconds)

    chats = PacedTeams(FakeTeams(), permits, sleep=sleep)
    storage.calls.clear()
    await chats.post(personal_reference("aad-1"), TeamsPost(text="hello"))
    assert kv_writes(storage) == 1  # the conversation's permit; the tenant's from the share
