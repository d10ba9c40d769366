"""services/key_locks.py: one holder per key at a time, and no lock kept for a key nobody holds or waits for."""
from __future__ import annotations

import asyncio

import pytest

from services.key_locks import KeyLocks


async def test_a_key_is_held_by_one_at_a_time_and_forgotten_when_free():
    locks, order = KeyLocks(), []
    release = asyncio.Event()

    async def first():
        async with locks.holding(["b", "a"]):
            order.append("first in")
            await release.wait()
        order.append("first out")

    async def second():
        async with locks.holding(["a"]):
            order.append("second in")

    one = asyncio.create_task(first())
    await asyncio.sleep(0)  # let it take its locks (no time passes: the loop turns)
    two = asyncio.create_task(second())
    await asyncio.sleep(0)
    assert order == ["first in"] and len(locks) == 2  # "a" waited for, "b" held
    release.set()
    await asyncio.gather(one, two)
    assert order == ["first in", "first out", "second in"]
    assert len(locks) == 0


async def test_a_waiter_cancelled_leaves_nothing_behind():
    locks = KeyLocks()
    release = asyncio.Event()

    async def holder():
        async with locks.holding(["k"]):
            await release.wait()

    held = asyncio.create_task(holder())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(locks.holding(["k"]).__aenter__())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await held
    assert len(locks) == 0
