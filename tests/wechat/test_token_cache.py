"""The shared token cache: one refresh per deployment, on every storage backend."""
import asyncio
import logging
import uuid

import pytest

from adapters.wechat.errors import WeChatApiError, WeChatTransportError
from adapters.wechat.token_cache import TokenCache
from core.storage import KV
from tests.memory_storage import MemoryStorage
from tests.wechat.conftest import SleepRecorder

APP_ID = "wx1234567890abcdef"


@pytest.fixture(params=["memory", "sqlite", "cosmos"])
async def kv(request, tmp_path):
    """One storage shared by the "instances" of a test, of each backend."""
    if request.param == "memory":
        storage = MemoryStorage()
    elif request.param == "sqlite":
        from adapters.storage.sqlite import SqliteStorage

        storage = SqliteStorage(str(tmp_path / "kv.sqlite3"))
    else:
        from adapters.storage.cosmos import CosmosStorage
        from tests.cosmos_server import KEY

        storage = CosmosStorage(request.getfixturevalue("cosmos_endpoint"), KEY, f"test-{uuid.uuid4().hex}")
    await storage.open()
    try:
        yield storage
    finally:
        await storage.close()


class FakeFetch:
    """WeChat's stable_token as the cache sees it: counts calls, takes a few loop turns."""

    def __init__(self, label: str = "token", expires_in: int = 7200, turns: int = 5) -> None:
        self.label = label
        self.expires_in = expires_in
        self.turns = turns
        self.calls: list[bool] = []
        self.error: BaseException | None = None
        self.started = asyncio.Event()
        self.gate: asyncio.Event | None = None  # when set, the fetch waits for it (a hung instance)

    async def __call__(self, force_refresh: bool) -> tuple[str, int]:
        self.calls.append(force_refresh)
        self.started.set()
        for _ in range(self.turns):
            await asyncio.sleep(0)
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return f"{self.label}-{len(self.calls)}", self.expires_in


def make(kv, clock, fetch, instance, sleep=None, **kw) -> TokenCache:
    return TokenCache(kv, clock, fetch, app_id=APP_ID, instance_id=instance, sleep=sleep or SleepRecorder(), **kw)


async def test_first_get_fetches_and_shares_through_storage(kv, clock):
    fetch = FakeFetch()
    a = make(kv, clock, fetch, "a")
    assert await a.get() == "token-1"
    item = await kv.get(KV, f"wechat-token:{APP_ID}", f"wechat-token:{APP_ID}")
    assert item.body["token"] == "token-1"
    assert item.body["lease_owner"] is None
    # Another instance reads it instead of fetching.
    assert await make(kv, clock, fetch, "b").get() == "token-1"
    assert fetch.calls == [False]


async def test_many_concurrent_gets_on_two_instances_fetch_once(kv, clock):
    fetch = FakeFetch(turns=20)
    a, b = make(kv, clock, fetch, "a"), make(kv, clock, fetch, "b")
    tokens = await asyncio.gather(*[a.get() for _ in range(25)], *[b.get() for _ in range(25)])
    assert set(tokens) == {"token-1"}
    assert fetch.calls == [False]


async def test_memory_copy_spares_storage(clock):
    kv = MemoryStorage()
    a = make(kv, clock, FakeFetch(), "a")
    await a.get()
    reads = len(kv.calls)
    for _ in range(10):
        await a.get()
    assert len(kv.calls) == reads


async def test_expiry_with_margin_follows_the_clock(kv, clock):
    fetch = FakeFetch(expires_in=7200)
    a, b = make(kv, clock, fetch, "a"), make(kv, clock, fetch, "b")
    assert await a.get() == "token-1"
    clock.advance(7200 - 300 - 1)  # one second before the margin
    assert await a.get() == "token-1"
    assert await b.get() == "token-1"
    clock.advance(2)  # inside the last 300 s: refresh (normal mode, WeChat renews early)
    assert await b.get() == "token-2"
    assert await a.get() == "token-2"
    assert fetch.calls == [False, False]


async def test_invalidate_forces_the_next_fetch(kv, clock):
    fetch = FakeFetch()
    a = make(kv, clock, fetch, "a")
    assert await a.get() == "token-1"
    await a.invalidate("token-1")
    assert await a.get() == "token-2"
    assert await a.get() == "token-2"
    assert fetch.calls == [False, True]
    # The force flag is spent: later refreshes are normal ones.
    clock.advance(7200)
    assert await a.get() == "token-3"
    assert fetch.calls == [False, True, False]


async def test_invalidate_is_compare_and_swap(kv, clock):
    fetch = FakeFetch()
    a, b = make(kv, clock, fetch, "a"), make(kv, clock, fetch, "b")
    assert await a.get() == await b.get() == "token-1"
    # Both instances see 40001 with token-1; A reacts first and refreshes.
    await a.invalidate("token-1")
    assert await a.get() == "token-2"
    # B's invalidation of the old token must not throw away A's fresh one.
    await b.invalidate("token-1")
    assert await b.get() == "token-2"
    await b.invalidate("some-other-token")
    assert await a.get() == "token-2"
    assert fetch.calls == [False, True]


async def holding_the_lease(kv, clock, label: str) -> tuple[FakeFetch, asyncio.Future]:
    """Instance A, its fetch started under a 10 s lease and waiting for its `gate` to be set."""
    fetch = FakeFetch(label)
    fetch.gate = asyncio.Event()
    task_a = asyncio.ensure_future(make(kv, clock, fetch, "a", lease_seconds=10).get())
    await fetch.started.wait()
    return fetch, task_a


async def test_crashed_lease_holder_is_taken_over_after_the_lease(kv, clock):
    _, task_a = await holding_the_lease(kv, clock, "hung")  # never released: A stopped answering

    fetch_b = FakeFetch("b")
    sleeps = SleepRecorder(clock)  # B's waiting is what moves time on
    b = make(kv, clock, fetch_b, "b", sleep=sleeps, lease_seconds=10)
    assert await b.get() == "b-1"
    assert fetch_b.calls == [False]
    assert 10 <= sum(sleeps.delays) <= 12  # waited out the lease, not much more
    assert max(sleeps.delays) <= 1.0  # bounded backoff

    task_a.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task_a
    # A's late clean-up did not disturb B's result.
    c = make(kv, clock, FakeFetch("c"), "c")
    assert await c.get() == "b-1"


async def test_late_writer_loses_to_the_instance_that_took_over(kv, clock):
    slow, task_a = await holding_the_lease(kv, clock, "slow")
    b = make(kv, clock, FakeFetch("b"), "b", sleep=SleepRecorder(clock), lease_seconds=10)
    assert await b.get() == "b-1"
    slow.gate.set()  # A's fetch finally returns, after its lease ran out
    assert await task_a == "b-1"  # its write is refused by the ETag; it uses the shared token
    item = await kv.get(KV, f"wechat-token:{APP_ID}", f"wechat-token:{APP_ID}")
    assert item.body["token"] == "b-1"


async def test_waiting_is_bounded(kv, clock):
    _, task_a = await holding_the_lease(kv, clock, "hung")
    sleeps = SleepRecorder()  # the clock does not move: the lease never runs out
    b = make(kv, clock, FakeFetch("b"), "b", sleep=sleeps, lease_seconds=10)
    with pytest.raises(WeChatTransportError) as info:
        await b.get()
    assert info.value.transient
    assert sum(sleeps.delays) <= 30
    task_a.cancel()
    await asyncio.gather(task_a, return_exceptions=True)


async def test_failed_fetch_releases_the_lease(kv, clock):
    failing = FakeFetch()
    failing.error = WeChatApiError(40125, "invalid appsecret")
    a = make(kv, clock, failing, "a")
    with pytest.raises(WeChatApiError):
        await a.get()
    sleeps = SleepRecorder()
    b = make(kv, clock, FakeFetch("b"), "b", sleep=sleeps)
    assert await b.get() == "b-1"
    assert sleeps.delays == []  # nothing to wait for


async def test_tokens_are_never_logged(kv, clock, caplog):
    caplog.set_level(logging.DEBUG)
    fetch = FakeFetch("s3cr3t-token")
    a = make(kv, clock, fetch, "a")
    await a.get()
    await a.invalidate("s3cr3t-token-1")
    await a.get()
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.wechat")]
    assert ours  # it does log what happens…
    assert not [m for m in ours if "s3cr3t" in m]  # …but never the token
    # (The storage backends log no SQL parameters; the Cosmos SDK's own loggers are not ours to judge.)
    assert "s3cr3t" not in repr(a)


async def test_instances_without_an_id_do_not_share_a_lease(clock):
    kv = MemoryStorage()
    a, b = make(kv, clock, FakeFetch(), ""), make(kv, clock, FakeFetch(), "")
    assert a.instance_id != b.instance_id
