"""Fixtures shared by the WeChat adapter tests."""
from __future__ import annotations

import asyncio


from core.clock import FakeClock


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
