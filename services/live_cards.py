"""A thread's live card in Teams: posted once, then kept showing the thread's latest state (the status
line, or the queue with its Cancel buttons while messages wait); posted again on request, the older copy
then a pointer to it.

It is updated only when Teams' rate limit has a permit free at once (services/paced_teams.py):
otherwise the update is deferred to a job due later, and further updates of that thread meanwhile are
skipped, since the deferred one renders the thread's latest state when it runs. Under a burst a thread's
card costs one update, and never a permit its guests' messages are waiting for.
"""
from __future__ import annotations

import logging
from typing import Any

from adapters.teams.errors import ActivityNotFound, TeamsError
from cards.moved import moved_card
from cards.views import MovedTexts, MovedView
from core.clock import Clock
from core.organizations import Directory
from core.recent import Recent
from core.teams_chats import TeamsChats, TeamsPost
from core.threads import Thread
from services.job_kinds import POLICY_STATUS
from services.jobs import Job
from services.paced_teams import Busy, no_waiting
from services.teams_effects import post_effect
from services.teams_texts import texts_of
from services.thread_cards import guest_view, live_card
from services.threads import ThreadStore
from services.worker import Worker

log = logging.getLogger(__name__)

CARD_DEFERRED = 5.0  # seconds a deferred live card waits at first; doubled each time it finds no permit again
CARD_DEFERRED_MAX = 120.0
DUE_KEPT = 10_000  # threads whose deferred update an instance remembers (another instance may run the job)


class LiveCards:
    """Posts, updates, reposts and retires threads' live cards (see the module)."""

    def __init__(self, *, threads: ThreadStore, worker: Worker, teams: TeamsChats, directory: Directory,
                 clock: Clock) -> None:
        self.threads = threads
        self.worker = worker
        self.teams = teams
        self.directory = directory
        self.clock = clock
        self._due: Recent[str, float] = Recent(DUE_KEPT)  # threads whose live card update is deferred to a job: when

    async def status(self, job: Job) -> dict[str, Any]:
        """The thread's live card, posted once and then updated in place: the status line, or the
        queue with its Cancel buttons while messages wait. Always the thread's latest state, so a
        late job never shows an older one."""
        openid = job.payload["openid"]
        if job.payload.get("deferred") is not None and self._due.get(openid) == job.payload["due"]:
            self._due.pop(openid)
        found = await self.threads.get(openid)
        if found is None:
            return {"delivered": False, "why": "no thread"}
        thread, _ = found
        card_id = thread.status_activity_id
        if card_id:
            try:
                with no_waiting():
                    await self.teams.update(await self.threads.reference_of(thread), card_id, self._post(thread))
                return {"updated": card_id}
            except Busy as busy:
                return {"deferred": await self._later(thread, busy.delay, job.payload.get("deferred", -1) + 1)}
            except ActivityNotFound:
                pass  # deleted in Teams: post a new one
        reference = await self.threads.reference_of(thread)
        card_id = await post_effect("teams_post", self._post(thread), self.directory.get(thread.sub_org),
                                    lambda made: self.teams.post(reference, made))
        await self.threads.update(openid, lambda t: t.with_(status_activity_id=card_id))
        return {"posted": card_id}

    async def update_at_once(self, thread: Thread) -> bool:
        """Edit the existing live card now; False (leave it to a job) if there is none or Teams fails.
        Without a permit free at once, or with an update deferred already, it is left to a job later."""
        kept = self.threads.latest(thread.openid)
        if kept is not None and kept[0].outbox_seq > thread.outbox_seq:
            thread = kept[0]  # decided again since (while a post decided first was made): the latest shown
        card_id = thread.status_activity_id
        if not card_id:
            return False  # posting it must happen once: a job, serialised with the thread's others
        if (self._due.get(thread.openid) or 0.0) > self.clock.now() - CARD_DEFERRED_MAX:
            return True  # the deferred update shows the latest state (unless another instance ran it long ago)
        try:
            with no_waiting():
                await self.teams.update(await self.threads.reference_of(thread), card_id, self._post(thread))
        except Busy as busy:
            await self._later(thread, busy.delay, 0)
        except Exception as exc:  # noqa: BLE001 - the job retries with backoff and reports
            log.info("live card of thread %s not updated at once (%s): left to a job", thread.openid,
                     type(exc).__name__)
            return False
        return True

    async def repost_live_card(self, thread: Thread) -> str:
        """The thread's live card posted again, as the latest message of its conversation (`find` →
        Open, `queue`); the copy posted before becomes a pointer to it, so exactly one copy is live
        and every update goes to it. RetryLater if the conversation is not known yet."""
        reference = await self.threads.reference_of(thread)
        card_id = await self.teams.post(reference, self._post(thread))
        replaced: list[str] = []  # read in the write itself, so a copy posted meanwhile is not missed

        def move(t: Thread) -> Thread:
            replaced[:] = [t.status_activity_id] if t.status_activity_id else []
            return t.with_(status_activity_id=card_id)

        await self.threads.update(thread.openid, move)
        for older in replaced:
            await self.retire_live_card(thread, older)
        return card_id

    async def retire_live_card(self, thread: Thread, activity_id: str) -> None:
        """An older copy of the live card becomes a pointer to the latest (no buttons left on it)."""
        texts = texts_of(self.directory.get(thread.sub_org))
        card = moved_card(MovedView(guest_view(thread), texts.card(MovedTexts)))
        post = TeamsPost(card=card, channel_data={"wechatBridge": {"origin": "bridge", "card": "moved"}})
        try:
            await self.teams.update(await self.threads.reference_of(thread), activity_id, post)
        except TeamsError as exc:  # deleted in Teams, or refused: the copy stays as it was, the latest is live
            log.info("an older live card of thread %s was not retired (%s)", thread.openid, type(exc).__name__)

    async def _later(self, thread: Thread, delay: float, deferrals: int) -> float:
        """The live card updated by a job due later (module docstring); the thread's updates till then skipped."""
        due = self.clock.now() + max(delay, min(CARD_DEFERRED_MAX, CARD_DEFERRED * 2 ** deferrals))
        payload = {"openid": thread.openid, "account": thread.account, "sub_org": thread.sub_org,
                   "deferred": deferrals, "due": due}
        self._due.put(thread.openid, due)
        await self.worker.schedule(POLICY_STATUS, f"card:{thread.openid}:{due:.3f}", payload, pk=thread.openid, at=due)
        return due

    def _post(self, thread: Thread) -> TeamsPost:
        card = live_card(thread, self.directory.get(thread.sub_org), self.clock.now())
        return TeamsPost(card=card, channel_data={"wechatBridge": {"origin": "bridge", "card": "status"}})
