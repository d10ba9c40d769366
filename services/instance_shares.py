"""This instance's share of a rate limit every instance spends (Teams' 50 requests a second per app and
tenant), given here without a storage write per permit.

The instances note themselves in one kv document (`instances:alive`, written with its ETag every
REFRESH_SECONDS, in the background): each counts those heard of within GONE_SECONDS, itself included,
and takes 1/N of the limit less a POOL, which stays in storage (services/permits.py) for whoever has no
share yet or needs more at once. The shares never sum to more than the limit less the pool:
- a count is used VALID_SECONDS at most after the refresh that made it (storage silent: no share);
- an instance counted out (not heard of for GONE_SECONDS) has had no share since VALID_SECONDS after
  its last note;
- a joining instance takes no share until VALID_SECONDS (and SKEW_SECONDS for the instances' clocks)
  after it was first noted, when every other has counted it or has no share left; unless none was
  alive then: nobody had counted without it.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import math

from core.clock import Clock
from core.rate_windows import Grants, Windows
from core.recent import Recent
from core.storage import KV, Conflict, NotFound, PreconditionFailed, Storage

log = logging.getLogger(__name__)

PRESENCE = "instances:alive"
REFRESH_SECONDS = 15.0
VALID_SECONDS = 22.5
GONE_SECONDS = 45.0
SKEW_SECONDS = 5.0
FORGOTTEN_SECONDS = 24 * 3600.0  # an entry this old is removed from the document
POOL = 0.2  # of each window's operations, left to the permits taken through storage
CACHED_KEYS = 10_000


def pooled(windows: Windows) -> Windows:
    """The part of a limit left to the permits taken through storage."""
    return tuple((seconds, max(1, math.ceil(allowed * POOL))) for seconds, allowed in windows)


def share(windows: Windows, instances: int) -> Windows | None:
    """One instance's share of the rest, out of `instances`; None if it rounds to nothing."""
    shared = tuple((seconds, (allowed - pooled(((seconds, allowed),))[0][1]) // instances)
                   for seconds, allowed in windows)
    return shared if all(allowed > 0 for _, allowed in shared) else None


class InstanceShares:
    def __init__(self, storage: Storage, clock: Clock, instance_id: str) -> None:
        self.storage = storage
        self.clock = clock
        self.instance_id = instance_id
        self.instances = 0  # alive at the last refresh, this one included; 0: not counted yet
        self.refreshed_at = float("-inf")
        self.usable_from = float("inf")  # when this instance may take its share (see the module)
        self._tried_at = float("-inf")
        self._refreshing: asyncio.Task[None] | None = None
        self.grants: Recent[str, Grants] = Recent(CACHED_KEYS)  # key -> the permits given from this instance's share

    def windows(self, full: Windows) -> Windows | None:
        """This instance's share of `full` now; None while it has none. Starts a refresh when one is due."""
        now = self.clock.now()
        if now - self._tried_at >= REFRESH_SECONDS and self._refreshing is None:
            # Outside whatever called: not part of a job's work, and its failure is no caller's.
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh_quietly(),
                                                                      context=contextvars.Context())
        if not self.instances or now - self.refreshed_at > VALID_SECONDS or now < self.usable_from:
            return None
        return share(full, self.instances)

    def grant(self, key: str, grants: Grants) -> None:
        self.grants.put(key, grants)

    async def _refresh_quietly(self) -> None:
        try:
            await self.refresh()
        except Exception as exc:  # noqa: BLE001 - no share until it works: the pool in storage serves
            log.warning("instance shares: the presence document was not written (%s)", type(exc).__name__)
        finally:
            self._refreshing = None

    async def refresh(self) -> None:
        """Note this instance alive, and count the instances alive."""
        self._tried_at = self.clock.now()
        for _ in range(20):
            now = self.clock.now()
            item = await self.storage.get(KV, PRESENCE, PRESENCE)
            entries = dict(item.body.get("instances", {})) if item else {}
            alive = {i: e for i, e in entries.items() if e["at"] > now - GONE_SECONDS}
            mine = alive.get(self.instance_id)
            others = [i for i in alive if i != self.instance_id]
            since = mine["since"] if mine else (now - VALID_SECONDS - SKEW_SECONDS if not others else now)
            kept = {i: e for i, e in entries.items() if e["at"] > now - FORGOTTEN_SECONDS}
            body = {"instances": {**kept, self.instance_id: {"at": now, "since": since}}}
            try:
                if item is None:
                    await self.storage.create(KV, PRESENCE, PRESENCE, body)
                else:
                    await self.storage.replace(KV, PRESENCE, PRESENCE, body, item.etag)
            except (Conflict, PreconditionFailed, NotFound):
                continue  # another instance noted itself meanwhile
            self.instances, self.refreshed_at = len(others) + 1, now
            self.usable_from = since + VALID_SECONDS + SKEW_SECONDS
            return
