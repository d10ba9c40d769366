"""Fixtures shared by the WeChat adapter tests: the API simulator on 127.0.0.1 and a client of it."""
from __future__ import annotations

import asyncio

import aiohttp
import pytest

from adapters.wechat.client import WeChatClient
from adapters.wechat.token_cache import TokenCache
from core.clock import FakeClock
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from tests.memory_storage import MemoryStorage

APP_ID = "wx1234567890abcdef"
SECRET = "the-app-secret-0123456789"


class SleepRecorder:
    """Stands in for asyncio.sleep: records each delay, optionally moves a FakeClock by it,
    and only yields to the loop, so no test waits for real time."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.delays: list[float] = []
        self.clock = clock

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if self.clock is not None:
            self.clock.advance(delay)
        await asyncio.sleep(0)


class FixedToken:
    """A token cache whose token WeChat never refuses (for servers standing in for WeChat)."""

    async def get(self) -> str:
        return "token"

    async def invalidate(self, bad_token: str) -> None:
        raise AssertionError("not refused")


@pytest.fixture
async def sim(serve, clock):
    return await serve(create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET,
                                               templates=["tmpl-notice"]))


@pytest.fixture
def state(sim):
    return sim.app[STATE_KEY]


@pytest.fixture
def base(sim):
    return str(sim.make_url("")).rstrip("/")


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def sleeps():
    return SleepRecorder()


def build(session, base, clock, sleeps, **kw) -> WeChatClient:
    def cache(fetch):
        return TokenCache(MemoryStorage(), clock, fetch, app_id=APP_ID, instance_id="i1", sleep=sleeps)

    kw.setdefault("image_base_url", base)
    return WeChatClient(session, base, APP_ID, kw.pop("secret", SECRET), cache, sleep=sleeps, **kw)


@pytest.fixture
def client(session, base, clock, sleeps):
    return build(session, base, clock, sleeps)
