"""How the Official Account connection is doing, for the admin card: each account's access token,
the last push WeChat sent, the jobs waiting, and the entries the compliance archive has not taken.

Read from storage, so it is the deployment's view, whichever instance answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from core.clock import Clock
from core.storage import JOBS, KV, Storage
from services.jobs import LEASED, PENDING
from services.job_kinds import ARCHIVE

LAST_PUSH = "webhook:last-push"
COUNTED = 10_000  # beyond this a count shows as "10000+"


@dataclass(frozen=True)
class Health:
    tokens: tuple[tuple[str, float | None], ...]  # (account name, token valid until; None: none yet)
    last_push_at: float | None
    jobs_waiting: int  # due now, or being run
    archive_backlog: int | None  # None: no archive configured
    now: float


async def read_health(storage: Storage, clock: Clock, accounts: Sequence[tuple[str, str]],
                      archive: bool) -> Health:
    """`accounts`: (name, WeChat app id) of each Official Account."""
    now = clock.now()
    tokens = []
    for name, app_id in accounts:
        key = f"wechat-token:{app_id}"
        item = await storage.get(KV, key, key)
        expires = float(item.body.get("expires_at") or 0) if item and item.body.get("token") else 0.0
        tokens.append((name, expires or None))
    pushed = await storage.get(KV, LAST_PUSH, LAST_PUSH)
    due = await storage.query(JOBS, equals={"status": PENDING}, at_most=("due_at", now), limit=COUNTED)
    running = await storage.query(JOBS, equals={"status": LEASED}, limit=COUNTED)
    backlog = None
    if archive:
        waiting = await storage.query(JOBS, equals={"status": PENDING, "kind": ARCHIVE}, limit=COUNTED)
        taken = await storage.query(JOBS, equals={"status": LEASED, "kind": ARCHIVE}, limit=COUNTED)
        backlog = len(waiting) + len(taken)
    return Health(tokens=tuple(tokens), last_push_at=float(pushed.body["at"]) if pushed else None,
                  jobs_waiting=len(due) + len(running), archive_backlog=backlog, now=now)


class PushClock:
    """Notes when WeChat last pushed, at most once a minute per instance (one write, off the
    acknowledgement's critical path)."""

    def __init__(self, storage: Storage, clock: Clock, every_seconds: float = 60.0) -> None:
        self.storage = storage
        self.clock = clock
        self.every_seconds = every_seconds
        self._written = float("-inf")

    async def seen(self) -> None:
        now = self.clock.now()
        if now - self._written < self.every_seconds:
            return
        self._written = now
        await self.storage.upsert(KV, LAST_PUSH, LAST_PUSH, {"at": now})
