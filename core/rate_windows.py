"""Rate limits as sliding windows, and when one more operation fits them. Pure: no I/O, no clock.

A limit is a table of windows, (seconds, operations allowed in any span that long), as Teams states
its own (simulators/teams_rate_limits.py enforces them): per conversation 7 writes a second, 8 per
2 s, 60 per 30 s, 1,800 an hour; per app and tenant 50 requests a second.

`Grants` are the times one key (a conversation, a tenant) was given a permit, kept small enough to
live in one storage document: the last `EXACT_SECONDS` exactly, older ones folded into per-minute
counts (only the hour window sees them; it is widened by a minute so a fold never lets one more in).
Grants are made in time order (a permit is reserved at the earliest moment that fits, never before
the last one given), so each key's times stay sorted, and waiting callers are served first come,
first served.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

Windows = tuple[tuple[float, int], ...]  # (seconds, operations allowed in any such span)

EXACT_SECONDS = 60.0  # grants this recent are kept one by one
FOLD_SECONDS = 60.0  # older ones are counted per minute

# What the bridge allows itself: Teams' limits with a margin, since a request reaches Teams some
# milliseconds after its permit and two requests' delays differ.
MARGIN = 0.35  # seconds added to every window
TEAMS_CONVERSATION_WRITES: Windows = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
TEAMS_TENANT_REQUESTS: Windows = ((1.0, 50),)


def with_margin(windows: Windows, margin: float = MARGIN) -> Windows:
    return tuple((seconds + margin, allowed) for seconds, allowed in windows)


@dataclass(frozen=True)
class Grants:
    recent: tuple[float, ...] = ()  # ascending
    folded: tuple[tuple[float, int], ...] = ()  # (minute start, grants in it), ascending, all older than `recent`
    blocked_until: float = 0.0  # Teams said to wait (429, Retry-After) until then

    def nth_latest(self, n: int) -> float | None:
        """The time of the n-th most recent grant (a folded one: its minute's start); None if fewer."""
        if n <= len(self.recent):
            return self.recent[-n]
        n -= len(self.recent)
        for start, count in reversed(self.folded):
            if n <= count:
                return start
            n -= count
        return None

    def to_body(self) -> dict[str, Any]:
        return {"recent": [round(t, 3) for t in self.recent], "folded": [list(f) for f in self.folded],
                "blocked_until": self.blocked_until}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Grants:
        return cls(tuple(float(t) for t in body.get("recent", ())),
                   tuple((float(s), int(c)) for s, c in body.get("folded", ())),
                   float(body.get("blocked_until", 0.0)))


def earliest(grants: Grants, windows: Windows, at: float) -> float:
    """The earliest moment, not before `at` nor before the last grant, when one more fits every window."""
    t = max(at, grants.recent[-1] if grants.recent else at, grants.blocked_until)
    moved = True
    while moved:
        moved = False
        for seconds, allowed in windows:
            span = seconds + (FOLD_SECONDS if seconds > EXACT_SECONDS else 0.0)
            oldest = grants.nth_latest(allowed)  # with one more, `allowed` + 1 would be in (t - span, t]
            if oldest is not None and oldest > t - span:
                t, moved = oldest + span, True
    return t


def granted(grants: Grants, at: float, windows: Windows) -> Grants:
    """`grants` with one more at `at` (from `earliest`), forgetting what no window sees any more."""
    longest = max((seconds for seconds, _ in windows), default=0.0) + FOLD_SECONDS
    recent = [*grants.recent, at]
    folded = dict(grants.folded)
    while recent and recent[0] <= at - EXACT_SECONDS:
        minute = recent.pop(0) // FOLD_SECONDS * FOLD_SECONDS
        folded[minute] = folded.get(minute, 0) + 1
    kept = tuple(sorted((s, c) for s, c in folded.items() if s > at - longest - FOLD_SECONDS))
    return Grants(tuple(recent), kept, grants.blocked_until)


def blocked(grants: Grants, until: float) -> Grants:
    return replace(grants, blocked_until=max(grants.blocked_until, until))

