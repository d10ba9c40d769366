"""The administrators' card, assembled and acted on: health (services/health.py), the
sub-organizations and the people with their WeChat enablement (services/enablement.py)."""
from __future__ import annotations

import logging
import re
from typing import Any, Mapping, Sequence

from cards.admin import ADMIN_SET_TYPED, AdminTexts, AdminView, Switch
from core.clock import Clock
from core.organizations import Directory
from core.storage import CONVERSATIONS, Storage
from services.enablement import SUB, USER, EnablementService
from services.health import read_health
from services.participants import NOT_VALID
from services.teams_texts import TeamsTexts

log = logging.getLogger(__name__)

PEOPLE_LISTED = 25
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


class AdminPanel:
    def __init__(self, *, storage: Storage, directory: Directory, enablement: EnablementService, clock: Clock,
                 accounts: Sequence[tuple[str, str]], archive: bool) -> None:
        self.storage = storage
        self.directory = directory
        self.enablement = enablement
        self.clock = clock
        self.accounts = accounts  # (name, WeChat app id)
        self.archive = archive

    async def view(self, texts: TeamsTexts, message: str = "") -> AdminView:
        """The card's content, in the administrator's words (`texts`)."""
        health = await read_health(self.storage, self.clock, self.accounts, self.archive)
        state = await self.enablement.current()
        subs = [Switch(SUB, s.id, s.name, state.subs.get(s.id, False)) for s in self.directory.sub_organizations]
        people = []
        for aad, name in sorted((await self._people()).items(), key=lambda p: p[1].casefold()):
            sub = self.directory.of_employee(aad)
            own = state.users.get(aad)
            note = (texts("teams_admin_note_own") if own is not None else
                    texts("teams_admin_note_through", sub=sub.name) if sub and state.subs.get(sub.id) else "")
            people.append(Switch(USER, aad, name, state.allows(aad, sub.id if sub else None), note))
        return AdminView(tokens=health.tokens, last_push_at=health.last_push_at, jobs_waiting=health.jobs_waiting,
                         archive_backlog=health.archive_backlog, subs=subs, people=people[:PEOPLE_LISTED],
                         more_people=max(0, len(people) - PEOPLE_LISTED), message=message,
                         texts=texts.card(AdminTexts))

    async def _people(self) -> dict[str, str]:
        """Everyone the directory knows and everyone who installed the app: aad -> name."""
        people = {p.aad: p.name for p in self.directory.people}
        for sub in self.directory.sub_organizations:
            people.update({aad: name or people.get(aad, "") for aad, name in sub.employees.items()})
        for item in await self.storage.query(CONVERSATIONS, limit=5000):
            if item.id.startswith("employee:"):
                aad = item.id.split(":", 1)[1]
                user = (item.body.get("reference") or item.body).get("user") or {}
                people.setdefault(aad, str(user.get("name") or ""))
        return {aad: name or aad for aad, name in people.items()}

    def _person(self, typed: str) -> str | None:
        """The aad an administrator typed (an e-mail of the directory, or an Entra object id)."""
        typed = typed.strip()
        if _GUID.match(typed):
            return typed.lower()
        found = [p.aad for p in self.directory.people if typed.casefold() in (p.email, p.notify_email)]
        return found[0] if len(found) == 1 else None

    async def act(self, by: str, value: Mapping[str, Any], texts: TeamsTexts, typed: str = "") -> str:
        """An administrator's button: what it did, or why nothing (a tampered or stale action, or one
        already done: an old button pressed again changes nothing)."""
        enabled = value.get("enabled")
        if not isinstance(enabled, bool):
            return texts(NOT_VALID)
        people = await self._people()
        if value.get("verb") == ADMIN_SET_TYPED:
            kind, ident = USER, self._person(typed)
            if ident is None:
                return texts("teams_admin_unknown_email", email=typed.strip())
        else:
            kind, ident = value.get("kind"), value.get("id")
            known = ({s.id for s in self.directory.sub_organizations} if kind == SUB else
                     set(people) if kind == USER else set())
            if not isinstance(ident, str) or ident not in known:
                log.warning("refused an admin action on an unknown %s", kind)
                return texts(NOT_VALID)
        changed = await self.enablement.set(by=by, kind=kind, ident=ident, enabled=enabled)
        name = self.directory.get(ident).name if kind == SUB else people.get(ident, ident)
        said = {(True, True): "teams_admin_enabled", (True, False): "teams_admin_disabled",
                (False, True): "teams_admin_already_enabled", (False, False): "teams_admin_already_disabled"}
        return texts(said[changed, enabled], name=name)
