"""Guests' messages coalesced when a Teams conversation has a backlog: several in one post.

Teams lets a bot post 60 times in 30 s into one conversation (an employee's chat; a channel with all
its guests' threads). A burst of guests' messages beyond that goes in fewer posts: in an employee's
chat several guests' messages in one post, in a channel thread one guest's consecutive ones, each
line attributed (the guest, as `describe` writes it, and the time it was written), in order.

Design. A message is posted alone when its conversation has nothing waiting and a permit comes within
`ALONE_WAIT` (the usual case: nothing changes). Otherwise it becomes an *entry* of the conversation's
*outbox*, one kv document (`outbox:<conversation id>`, written with its ETag), and its job is given
back (`waiting_for` the outbox: not a failed attempt; its order is the outbox's now, so the guest's next
message may run and queue behind it). One *poster* job per conversation (its own partition, so one at
a time; noted in the document, so an instance starts one only when none runs) takes a permit, claims
the entries waiting (marks them with its id and a lease, in one ETag write), posts them as one message,
writes the post's activity id into each the moment it returns, and wakes the jobs waiting for the
outbox; it goes on while entries wait. Each message's job, run again, finds its entry's activity id,
takes it as its post's outcome (so the record and the archive keep one entry per message, with the id
of the post that carried it), removes its entry, and goes on to its policy step.

Exactly once: an entry is in one document and claimed by one poster at a time (ETag); it has an
activity id as soon as the post that carried it returned. A crash between the post and that write
leaves it claimed: when the claim's lease has run out the next poster posts it again, opened by the
line saying it may show twice (as services/teams_effects.py does for a post of its own). A job that
appended its entry and died is run again and finds it there: never a second entry.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from adapters.teams.errors import Throttled
from core.clock import Clock
from core.organizations import SubOrganization
from core.storage import KV, Conflict, NotFound, PreconditionFailed, Storage
from core.teams_chats import Reference, TeamsPost
from services.job_kinds import TEAMS_OUTBOX as POSTER
from services.jobs import Job, RetryLater, Worker
from services.paced_teams import MAX_WAIT_IN_JOB, Busy, PacedTeams, waiting_at_most
from services.teams_effects import SHOWN_AGAIN

log = logging.getLogger(__name__)

ALONE_WAIT = 1.0  # seconds a message waits for a permit of its own before it joins the outbox
CLAIM_SECONDS = 60.0  # a claimed entry is someone's to post for so long
POSTER_STALE = 120.0  # a poster noted in the document but not heard of for so long is started again
POSTER_BUDGET = 30.0  # seconds a poster job posts before handing over to the next (a slot is not held for ever)
WAIT_FOR_POST = 30.0  # a waiting job looks again after so long if nobody woke it
MAX_ENTRIES = 50  # in one post
MAX_CHARS = 20_000  # of one post's text (Teams takes about 28 KB)
MAX_RACES = 50


def _id(conversation: str) -> str:
    return f"outbox:{conversation}"


def _line(entry: dict[str, Any]) -> str:
    at = time.strftime("%H:%M:%S", time.gmtime(entry["at"]))
    return f"`{at}` {entry['text']}"


class TeamsOutbox:
    def __init__(self, storage: Storage, clock: Clock, teams: PacedTeams, worker: Worker) -> None:
        self.storage = storage
        self.clock = clock
        self.teams = teams
        self.worker = worker
        self._docs: dict[str, tuple[dict[str, Any], str | None]] = {}  # as this instance last wrote or read them
        self._locks: dict[str, asyncio.Lock] = {}

    async def post(self, reference: Reference, post: TeamsPost, *, entry: str, job: tuple[str, str], at: float | None,
                   sub: SubOrganization) -> str:
        """The activity id of the post that carries `post`: its own, or (backlog) a coalesced one. `entry`
        names the message for good (its job and effect); `job`: (partition, id) of the job to wake when it
        is posted. RetryLater while it waits in the outbox."""
        conversation = str(reference["conversation"]["id"])
        mine: dict[str, Any] = {}

        def collect(doc: dict[str, Any]) -> dict[str, Any] | None:
            mine.clear()
            mine.update(next((e for e in doc["entries"] if e["id"] == entry), {}))
            if mine.get("activity"):  # posted: its outcome is the job's now, the entry goes
                return {**doc, "entries": [e for e in doc["entries"] if e["id"] != entry]}
            return None

        await self._change(conversation, collect)
        if mine.get("activity"):
            return str(mine["activity"])
        backlog = mine or _unposted((await self._doc(conversation))[0])
        if not backlog:
            try:
                with waiting_at_most(ALONE_WAIT if not (post.images or post.card) else MAX_WAIT_IN_JOB):
                    return await self.teams.post(reference, post)
            except Busy:
                pass  # a backlog: coalesced
        if post.images or post.card:  # not text alone: in a post of its own, after what waits
            if backlog:
                raise RetryLater(f"after the outbox of {conversation}", delay=WAIT_FOR_POST / 10, paced=True)
            return await self.teams.post(reference, post)
        start: list[str] = []

        def append(doc: dict[str, Any]) -> dict[str, Any]:
            start.clear()
            entries = doc["entries"]
            if not any(e["id"] == entry for e in entries):
                entries = [*entries, {"id": entry, "job": list(job), "text": post.text,
                                      "at": self.clock.now() if at is None else at}]
            poster, now = doc.get("poster"), self.clock.now()
            if poster is None or poster["at"] < now - POSTER_STALE:
                poster = {"job": f"{POSTER}:{conversation}:{now:.3f}", "at": now}
                start.append(poster["job"])
            return {**doc, "entries": entries, "poster": poster, "reference": dict(reference), "again": _notice(sub)}

        await self._change(conversation, append)
        for poster in start:
            await self.worker.enqueue(POSTER, poster, {"conversation": conversation}, pk=_id(conversation))
        raise RetryLater(f"in the outbox of {conversation}", delay=WAIT_FOR_POST, waiting_for=_id(conversation),
                         paced=True, holds_place=False)

    async def drain(self, job: Job) -> dict[str, Any]:
        """The poster (see the module): posts the waiting entries, a post at a time, while there are any."""
        conversation = job.payload["conversation"]
        until, posts, carried = self.clock.now() + POSTER_BUDGET, 0, 0
        while self.clock.now() < until:
            doc, _ = await self._doc(conversation)
            if not _waiting(doc, self.clock.now()):
                if await self._retire(conversation, job.id):
                    return {"posts": posts, "messages": carried}
                continue
            reference = doc["reference"]
            await self.teams.permit(reference)
            claimed = await self._claim(conversation, job.id)
            if not claimed:
                continue
            again = doc.get("again") if any(e.get("claimed_before") for e in claimed) else None
            text = "\n\n".join(_line(e) for e in claimed)
            post = TeamsPost(text=f"{again}\n\n{text}" if again else text,
                             channel_data={"notification": {"alert": True},
                                           "wechatBridge": {"origin": "wechat", "coalesced": len(claimed)}})
            try:
                activity = await self.teams.teams.post(reference, post)  # the permit is taken above
            except Throttled as exc:
                await self.teams.throttled(reference, exc)
                await self._release(conversation, job.id)
                continue
            except Exception:
                await self._release(conversation, job.id)
                raise
            await self._posted(conversation, job.id, {e["id"] for e in claimed}, activity)
            for e in claimed:  # their jobs take the activity id now, not when they would look again
                await self.worker.queue.due_now(*e["job"])
            self.worker.wake()
            posts, carried = posts + 1, carried + len(claimed)
        # Its time is up: a next poster goes on (a job of its own, behind this one in the partition).
        successor = f"{POSTER}:{conversation}:{self.clock.now():.3f}"
        await self._change(conversation, lambda d: {**d, "poster": {"job": successor, "at": self.clock.now()}})
        await self.worker.enqueue(POSTER, successor, {"conversation": conversation}, pk=_id(conversation))
        return {"posts": posts, "messages": carried, "next": successor}

    # -- the document --------------------------------------------------------------------------

    async def _claim(self, conversation: str, poster: str) -> list[dict[str, Any]]:
        claimed: list[dict[str, Any]] = []

        def claim(doc: dict[str, Any]) -> dict[str, Any] | None:
            claimed.clear()
            now, size, entries = self.clock.now(), 0, []
            for e in doc["entries"]:
                if len(claimed) < MAX_ENTRIES and size + len(e["text"]) < MAX_CHARS and _is_waiting(e, now):
                    e = {**e, "claimed": {"by": poster, "until": now + CLAIM_SECONDS},
                         "claimed_before": bool(e.get("claimed"))}
                    claimed.append(e)
                    size += len(e["text"]) + 20
                entries.append(e)
            return {**doc, "entries": entries, "poster": {"job": poster, "at": now}} if claimed else None

        await self._change(conversation, claim)
        return claimed

    async def _posted(self, conversation: str, poster: str, ids: set[str], activity: str) -> None:
        def posted(doc: dict[str, Any]) -> dict[str, Any]:
            return {**doc, "entries": [{**e, "activity": activity, "claimed": None}
                                       if e["id"] in ids and not e.get("activity") else e for e in doc["entries"]]}
        await self._change(conversation, posted)

    async def _release(self, conversation: str, poster: str) -> None:
        def release(doc: dict[str, Any]) -> dict[str, Any]:
            return {**doc, "entries": [{**e, "claimed": None} if (e.get("claimed") or {}).get("by") == poster
                                       else e for e in doc["entries"]]}
        await self._change(conversation, release)

    async def _retire(self, conversation: str, poster: str) -> bool:
        """Nothing waits: the poster is no longer noted (True), unless an entry came meanwhile."""
        retired: list[bool] = []

        def retire(doc: dict[str, Any]) -> dict[str, Any] | None:
            retired[:] = [not _waiting(doc, self.clock.now())]
            mine = (doc.get("poster") or {}).get("job") == poster
            return {**doc, "poster": None} if retired[0] and mine else None

        await self._change(conversation, retire)
        return retired[0]

    async def _doc(self, conversation: str) -> tuple[dict[str, Any], str | None]:
        known = self._docs.get(conversation)
        if known is None:
            item = await self.storage.get(KV, _id(conversation), _id(conversation))
            known = (item.body, item.etag) if item else ({"entries": [], "poster": None}, None)
            if len(self._docs) > 10_000:
                self._docs.clear()
            self._docs[conversation] = known
        return known

    async def _change(self, conversation: str, change: Any) -> None:
        """`change(document)` written with its ETag, read again and changed again if another instance
        wrote first; `change` returns None when there is nothing to write."""
        async with self._locks.setdefault(conversation, asyncio.Lock()):
            for _ in range(MAX_RACES):
                doc, etag = await self._doc(conversation)
                changed = change(doc)
                if changed is None:
                    return
                try:
                    if etag is None:
                        item = await self.storage.create(KV, _id(conversation), _id(conversation), changed)
                    else:
                        item = await self.storage.replace(KV, _id(conversation), _id(conversation), changed, etag)
                except (PreconditionFailed, Conflict, NotFound):
                    self._docs.pop(conversation, None)
                    continue
                self._docs[conversation] = (changed, item.etag)
                return
        raise RetryLater(f"the outbox of {conversation} kept changing", delay=1.0, paced=True)


def _unposted(doc: dict[str, Any]) -> bool:
    return any(not e.get("activity") for e in doc["entries"])


def _is_waiting(entry: dict[str, Any], now: float) -> bool:
    claim = entry.get("claimed")
    return not entry.get("activity") and (claim is None or claim["until"] < now)


def _waiting(doc: dict[str, Any], now: float) -> bool:
    return any(_is_waiting(e, now) for e in doc["entries"])


def _notice(sub: SubOrganization) -> str:
    """The line that opens a post made again after a crash (it may show twice)."""
    return sub.notices.render(SHOWN_AGAIN, sub.conversation.employee_language)
