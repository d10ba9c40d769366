"""Time as an argument: everything that needs "now" is given a Clock."""
from __future__ import annotations

from datetime import datetime, timezone

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch (UTC)."""


class SystemClock:
    def now(self) -> float:
        return time.time()


class FakeClock:
    """A clock the tests (and the sandbox) move by hand."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        self._now += seconds
        return self._now


def utc_day(at: float) -> str:
    """The UTC calendar day of unix time `at`, YYYY-MM-DD: the unit of daily caps, reports and Tasks."""
    return datetime.fromtimestamp(float(at), timezone.utc).date().isoformat()
