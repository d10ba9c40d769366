"""Teams' rate limits for bots, as the Bot Connector simulator enforces them when asked to.

Microsoft's "Rate limiting for bots" (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):

- per bot per thread (a 1:1 chat, a group chat, or a channel with all its threads): sending to and
  creating a conversation 7 operations a second, 8 per 2 s, 60 per 30 s, 1,800 an hour; reading its
  members 14, 16, 120, 3,600;
- per app per tenant: 50 requests a second (here: every request that names a conversation);
- past a limit: 429 with Retry-After.

Sends, replies, updates and deletes count as writes. A refused request is not counted against the
windows (Microsoft does not say; counting it would only lengthen the waits). The per-thread limit for
all bots together (14 a second) cannot be reached by one bot under its own limit, so it is left out.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

Windows = tuple[tuple[float, int], ...]  # (seconds, operations allowed in any such span)

PER_CONVERSATION: dict[str, Windows] = {
    "write": ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800)),
    "read": ((1.0, 14), (2.0, 16), (30.0, 120), (3600.0, 3600)),
}
PER_TENANT: Windows = ((1.0, 50),)


class SlidingWindows:
    """The times of one key's accepted operations, against its windows."""

    def __init__(self, windows: Windows) -> None:
        self.windows = windows
        self.longest = max((seconds for seconds, _ in windows), default=0.0)
        self.times: list[float] = []  # ascending: the clock does not go back

    def wait(self, now: float) -> float | None:
        """Seconds until one more operation fits every window, None if it fits now."""
        cut = bisect_right(self.times, now - self.longest)
        if cut > 256 or cut == len(self.times):  # forget what no window sees, in batches
            del self.times[:cut]
        wait = 0.0
        for seconds, allowed in self.windows:
            recent = len(self.times) - bisect_right(self.times, now - seconds)
            if recent >= allowed:
                # The window admits one more when the oldest operation that must leave it has left.
                wait = max(wait, self.times[len(self.times) - allowed] + seconds - now)
        return max(wait, 0.001) if wait else None

    def take(self, now: float) -> None:
        if self.windows:
            self.times.append(now)


@dataclass
class RateLimits:
    """Off by default; the tests that want Teams' limits, and the benchmarks, turn them on."""

    enabled: bool = False
    per_conversation: dict[str, Windows] = field(default_factory=lambda: dict(PER_CONVERSATION))
    per_tenant: Windows = PER_TENANT
    refused: Counter[str] = field(default_factory=Counter)  # 429s by conversation (base id)
    refused_tenants: Counter[str] = field(default_factory=Counter)
    _windows: dict[tuple[str, str], SlidingWindows] = field(default_factory=dict)

    def check(self, now: float, conversation: str, tenant: str | None, kind: str = "write") -> float | None:
        """Seconds to wait (a 429) if this operation breaks a limit; else None, and it is counted."""
        if not self.enabled:
            return None
        in_conversation = self._of(kind, conversation, self.per_conversation.get(kind, ()))
        in_tenant = self._of("tenant", tenant or "", self.per_tenant)
        waits = (in_conversation.wait(now), in_tenant.wait(now))
        if waits == (None, None):
            in_conversation.take(now)
            in_tenant.take(now)
            return None
        self.refused[conversation] += 1
        if waits[1] is not None:
            self.refused_tenants[tenant or ""] += 1
        return max(w for w in waits if w is not None)

    def _of(self, scope: str, key: str, windows: Windows) -> SlidingWindows:
        found = self._windows.get((scope, key))
        if found is None:
            found = self._windows[(scope, key)] = SlidingWindows(windows)
        return found

    def configure(self, body: dict[str, Any]) -> None:
        """The control route's body: {"enabled", "perConversation": {"write": [[s, n], …], "read": …},
        "perTenant": [[s, n], …]}; what is not given stays. The counts start again."""
        per_conversation = ({kind: _windows(w) for kind, w in body["perConversation"].items()}
                            if "perConversation" in body else self.per_conversation)
        per_tenant = _windows(body["perTenant"] or []) if "perTenant" in body else self.per_tenant
        # Checked in full before anything changes: a refused body leaves the limits as they were.
        self.enabled = bool(body.get("enabled", True))
        self.per_conversation, self.per_tenant = per_conversation, per_tenant
        self.refused.clear()
        self.refused_tenants.clear()
        self._windows.clear()

    def snapshot(self) -> dict[str, Any]:
        return {"enabled": self.enabled,
                "perConversation": {kind: [list(w) for w in ws] for kind, ws in self.per_conversation.items()},
                "perTenant": [list(w) for w in self.per_tenant],
                "refused": dict(self.refused), "refusedTenants": dict(self.refused_tenants),
                "refusedTotal": sum(self.refused.values())}


def _windows(pairs: Any) -> Windows:
    windows = tuple((float(seconds), int(allowed)) for seconds, allowed in pairs)
    if any(seconds <= 0 or allowed < 1 for seconds, allowed in windows):
        raise ValueError("each window needs seconds > 0 and at least 1 operation")
    return windows
