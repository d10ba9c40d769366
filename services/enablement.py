"""Who may use WeChat from Teams (the seeds: "using WeChat from the Teams app requires it to be
enabled by your administrator").

The tenant's administrators (TEAMS_ADMINS: Microsoft Entra object ids) enable or disable it for a
person, or for a whole sub-organization; a person's own setting wins over their sub-organization's.
Without administrators configured there is nobody to ask, and everyone who installed the app may use
it (a development set-up; the log says so at start-up).

One document in `kv` holds every setting, written optimistically (ETag) with who changed what and
when; instances read it again after `CACHE_SECONDS`, so a change is in force everywhere within that.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.clock import Clock
from core.organizations import Directory
from core.storage import KV, Conflict, PreconditionFailed, Storage

log = logging.getLogger(__name__)

KEY = "enablement"
CACHE_SECONDS = 5.0
CHANGES_KEPT = 200
USER, SUB = "user", "sub"
NOT_ENABLED = "teams_not_enabled"  # what someone not enabled is told (services/teams_texts.py)


@dataclass(frozen=True)
class Enablement:
    users: Mapping[str, bool] = field(default_factory=dict)  # aad -> enabled
    subs: Mapping[str, bool] = field(default_factory=dict)  # sub-organization id -> enabled

    def allows(self, aad: str, sub_id: str | None) -> bool:
        if aad in self.users:
            return self.users[aad]
        if not sub_id:
            return False
        return self.subs.get(sub_id, False)


class EnablementService:
    def __init__(self, storage: Storage, directory: Directory, clock: Clock, admins: frozenset[str]) -> None:
        self.storage = storage
        self.directory = directory
        self.clock = clock
        self.admins = admins
        self._cached: tuple[float, Enablement] | None = None

    @property
    def required(self) -> bool:
        return bool(self.admins)

    def is_admin(self, aad: str | None) -> bool:
        return bool(aad) and aad in self.admins

    async def current(self) -> Enablement:
        now = self.clock.now()
        if self._cached is not None and now - self._cached[0] < CACHE_SECONDS:
            return self._cached[1]
        item = await self.storage.get(KV, KEY, KEY)
        body = item.body if item else {}
        found = Enablement(dict(body.get("users", {})), dict(body.get("subs", {})))
        self._cached = (now, found)
        return found

    async def allows(self, aad: str | None) -> bool:
        """May this employee use WeChat from Teams?"""
        if not self.required:
            return True
        if not aad:
            return False
        sub = self.directory.of_employee(aad)
        return (await self.current()).allows(aad, sub.id if sub else None)

    async def set(self, *, by: str, kind: str, ident: str, enabled: bool) -> bool:
        """An administrator's change (the caller checked `is_admin(by)` and that `ident` exists).
        False if it was so already (an old button pressed again): nothing is written twice."""
        if kind not in (USER, SUB):
            raise ValueError(f"kind must be {USER!r} or {SUB!r}")
        for _ in range(10):
            item = await self.storage.get(KV, KEY, KEY)
            body: dict[str, Any] = dict(item.body) if item else {"users": {}, "subs": {}, "changes": []}
            table = "users" if kind == USER else "subs"
            if body.get(table, {}).get(ident) is enabled:
                return False
            change = {"at": self.clock.now(), "by": by, "kind": kind, "id": ident, "enabled": enabled}
            written = {**body, table: {**body.get(table, {}), ident: enabled},
                       "changes": (body.get("changes", []) + [change])[-CHANGES_KEPT:]}
            try:
                if item is None:
                    await self.storage.create(KV, KEY, KEY, written)
                else:
                    await self.storage.replace(KV, KEY, KEY, written, item.etag)
            except (Conflict, PreconditionFailed):
                continue
            log.info("WeChat %s for %s %s by administrator %s", "enabled" if enabled else "disabled", kind, ident, by)
            self._cached = None
            return True
        raise RuntimeError("the enablement settings kept changing; try again")
