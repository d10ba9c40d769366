"""How the Official Account connection is doing, for the admin card: each account's access token,
the last push WeChat sent, the jobs waiting, and the entries the compliance archive has not taken.

Read from storage, so it is the deployment's view, whichever instance answers.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

from core.clock import Clock
from core.storage import JOBS, KV, Storage
from services.jobs import LEASED, PENDING
from services.worker import HEARTBEAT_SECONDS, WORKER_ALIVE
from services.job_kinds import ARCHIVE

log = logging.getLogger(__name__)

LAST_PUSH = "webhook:last-push"


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
    tokens = await token_expiries(storage, accounts)
    pushed = await storage.get(KV, LAST_PUSH, LAST_PUSH)
    backlog = None
    if archive:
        backlog = sum([await storage.count(JOBS, equals={"status": status, "kind": ARCHIVE})
                       for status in (PENDING, LEASED)])
    return Health(tokens=tokens, last_push_at=float(pushed.body["at"]) if pushed else None,
                  jobs_waiting=await jobs_waiting(storage, now), archive_backlog=backlog, now=now)


async def jobs_waiting(storage: Storage, now: float) -> int:
    """Jobs due now or being run: the admin card's count and the queue depth metric (counted by storage, not read)."""
    due = await storage.count(JOBS, equals={"status": PENDING}, at_most=("due_at", now))
    return due + await storage.count(JOBS, equals={"status": LEASED})


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


WORKER_DEAD_AFTER = 6 * HEARTBEAT_SECONDS  # no worker said it ran jobs for this long: none does


@dataclass(frozen=True)
class Readiness:
    storage: bool  # answered in time: the one thing this instance needs to take WeChat's and Teams' requests
    worker_seen_at: float | None  # when a worker last said it runs jobs (kv WORKER_ALIVE)
    tokens: tuple[tuple[str, float | None], ...]  # (account, the shared token valid until)
    now: float

    @property
    def ready(self) -> bool:
        """Whether to send this instance requests. Only storage decides: a push is persisted and answered
        without WeChat's token or a worker (it waits for them), so taking an instance out of the load
        balancer for those would lose pushes instead of delaying them."""
        return self.storage

    def to_json(self) -> dict[str, object]:
        ago = None if self.worker_seen_at is None else self.now - self.worker_seen_at
        return {"ready": self.ready, "storage": "ok" if self.storage else "unreachable",
                "worker": "alive" if ago is not None and ago <= WORKER_DEAD_AFTER else "not seen",
                "worker_seen_seconds_ago": None if ago is None else round(ago),
                "tokens": {name: "fresh" if until and until > self.now else ("expired" if until else "none yet")
                           for name, until in self.tokens}}


async def read_readiness(storage: Storage, clock: Clock, accounts: Sequence[tuple[str, str]]) -> Readiness:
    """What /readyz says: storage answers (the caller bounds the time), a worker is alive, each account's
    access token is fresh (WeChat's tokens are fetched when first needed: "none yet" is no fault)."""
    now = clock.now()
    try:
        alive = await storage.get(KV, WORKER_ALIVE, WORKER_ALIVE)
        tokens = await token_expiries(storage, accounts)
    except Exception as exc:  # noqa: BLE001 - whatever the store raises, it did not answer
        log.warning("readiness: storage did not answer (%s)", type(exc).__name__)
        return Readiness(False, None, (), now)
    return Readiness(True, float(alive.body["at"]) if alive else None, tokens, now)


async def token_expiries(storage: Storage, accounts: Sequence[tuple[str, str]]) -> tuple[tuple[str, float | None], ...]:
    """(account name, until when its shared access token is valid; None: none yet) for each (name, app id)."""
    tokens = []
    for name, app_id in accounts:
        key = f"wechat-token:{app_id}"
        item = await storage.get(KV, key, key)
        expires = float(item.body.get("expires_at") or 0) if item and item.body.get("token") else 0.0
        tokens.append((name, expires or None))
    return tuple(tokens)
