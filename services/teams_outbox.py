"""Guests' messages coalesced when a Teams conversation has a backlog: several in one post.

Teams lets a bot post 60 times in 30 s into one conversation (an employee's chat; a channel with all
its guests' threads). A burst of guests' messages beyond that goes in fewer posts: in an employee's
chat several guests' messages in one post, in a channel thread one guest's consecutive ones, each
line attributed (the guest, as `describe` writes it, and the time it was written), in order.

Design. A message is posted alone when its conversation has nothing waiting and a permit comes within
`ALONE_WAIT` (the usual case: nothing changes). Otherwise it becomes an *entry* of the conversation's
*outbox*, one kv document (`outbox:<conversation id>`, written with its ETag), and its job is given
back (`waiting_for` the outbox: not a failed attempt; its order is the outbox's now, so the guest's next
message may run and queue behind it). One *poster* per conversation (a task beside the jobs, so it never
waits for a worker's slot behind the jobs it is to serve; noted in the document, so an instance starts
one only when none runs or the one noted was not heard of for POSTER_STALE) takes a permit, claims the
entries waiting (marks them with a lease, in one ETag write), posts them as one message, writes the
post's activity id into each the moment it returns, and makes their jobs due; it goes on while entries
wait. A poster that died is started again by the next message, or by a waiting job when it looks again
(WAIT_FOR_POST). Each message's job, run again, finds its entry's activity id,
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
from typing import Any, Callable

from adapters.teams.errors import Throttled
from core.clock import Clock
from core.organizations import SubOrganization
from core.recent import Recent
from core.storage import KV, Conflict, NotFound, PreconditionFailed, Storage
from core.teams_chats import Reference, TeamsPost
from services.jobs import RetryLater
from services.key_locks import KeyLocks
from services.worker import Worker
from services.paced_teams import MAX_WAIT_IN_JOB, Busy, PacedTeams, waiting_at_most
from services.permits import TooLong
from services.teams_effects import SHOWN_AGAIN

log = logging.getLogger(__name__)

Change = Callable[[dict[str, Any]], "dict[str, Any] | None"]  # the outbox document changed, or None: as it is

ALONE_WAIT = 0.25  # seconds a message waits for a permit of its own before it joins the outbox
CLAIM_SECONDS = 60.0  # a claimed entry is someone's to post for so long
POSTER_STALE = 150.0  # a poster noted in the document but not heard of for so long is started again
WAIT_FOR_POST = 120.0  # a waiting job looks again after so long if nobody woke it (a poster that died)
MAX_ENTRIES = 200  # in one post
MAX_CHARS = 24_000  # of one post's text (Teams takes about 28 KB)
MAX_RACES = 50
DOCS_KEPT = 10_000  # conversations whose outbox document an instance keeps (least recently used first out)


def _id(conversation: str) -> str:
    return f"outbox:{conversation}"


def _line(entry: dict[str, Any]) -> str:
    # A message's text cannot show a moment in the reader's time zone (a card's {{TIME()}} can): said as UTC.
    at = time.strftime("%H:%M:%S UTC", time.gmtime(entry["at"]))
    return f"`{at}` {entry['text']}"


class TeamsOutbox:
    def __init__(self, storage: Storage, clock: Clock, teams: PacedTeams, worker: Worker) -> None:
        self.storage = storage
        self.clock = clock
        self.teams = teams
        self.worker = worker
        # as this instance last wrote or read them
        self._docs: Recent[str, tuple[dict[str, Any], str | None]] = Recent(DOCS_KEPT)
        self._locks = KeyLocks()
        self._posting: set[str] = set()  # conversations whose poster runs here
        self._queued: dict[str, list[tuple[Change, asyncio.Future[None]]]] = {}  # changes for the next write
        self.instance = worker.queue.instance_id

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
        start: list[bool] = []

        def append(doc: dict[str, Any]) -> dict[str, Any]:
            entries = doc["entries"]
            if not any(e["id"] == entry for e in entries):
                entries = [*entries, {"id": entry, "job": list(job), "text": post.text,
                                      "at": self.clock.now() if at is None else at}]
            poster, now = doc.get("poster"), self.clock.now()
            start[:] = [poster is None or poster["at"] < now - POSTER_STALE
                        or (poster["instance"] == self.instance and conversation not in self._posting)]
            if start[0]:
                poster = {"instance": self.instance, "at": now}
            return {**doc, "entries": entries, "poster": poster, "reference": dict(reference), "again": _notice(sub)}

        await self._change(conversation, append)
        if start[0] and conversation not in self._posting:
            self._posting.add(conversation)
            self.worker.background(self._poster(conversation))
        raise RetryLater(f"in the outbox of {conversation}", delay=WAIT_FOR_POST, waiting_for=_id(conversation),
                         paced=True, holds_place=False)

    async def _poster(self, conversation: str) -> None:
        """The conversation's poster (see the module): posts the waiting entries, a post at a time, while
        there are any; then it is no longer noted in the document."""
        try:
            while True:
                doc, _ = await self._doc(conversation)
                if not _waiting(doc, self.clock.now()):
                    if await self._retire(conversation):
                        return
                    continue
                if not await self._post_once(conversation, doc["reference"], doc.get("again")):
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # the waiting jobs start a poster again when they look again
            log.exception("the poster of conversation %s stopped", conversation)
        finally:
            self._posting.discard(conversation)

    async def _post_once(self, conversation: str, reference: Reference, again: str | None) -> bool:
        """One post of what waits; False if Teams refused it for good (the entries wait for a later poster)."""
        try:
            moment = await self.teams.permit(reference)
        except TooLong as exc:  # no job to give back: this poster waits
            await self.teams.sleep(exc.delay)
            return True
        claimed = await self._claim(conversation)
        if not claimed:
            return True
        if not self.teams.fresh(moment):  # the claim took long: a permit again (services/paced_teams.py)
            await self._release(conversation, claimed)
            return True
        text = "\n\n".join(_line(e) for e in claimed)
        opened = again if again and any(e.get("claimed_before") for e in claimed) else None
        post = TeamsPost(text=f"{opened}\n\n{text}" if opened else text,
                         channel_data={"notification": {"alert": True},
                                       "wechatBridge": {"origin": "wechat", "coalesced": len(claimed)}})
        try:
            activity = await self.teams.teams.post(reference, post)  # the permit is taken above
        except Throttled as exc:
            await self.teams.throttled(reference, exc)
            await self._release(conversation, claimed)
            return True
        except Exception as exc:  # noqa: BLE001 - refused or no answer: the entries wait, nothing is lost
            log.warning("a coalesced post in conversation %s failed (%s): left to a later poster", conversation,
                        type(exc).__name__)
            await self._release(conversation, claimed)
            await self._retire(conversation, force=True)
            return False
        await self._posted(conversation, {e["id"] for e in claimed}, activity)
        for e in claimed:  # their jobs take the activity id now, not when they would look again
            await self.worker.queue.due_now(*e["job"])
        self.worker.wake()
        return True

    # -- the document --------------------------------------------------------------------------

    async def _claim(self, conversation: str) -> list[dict[str, Any]]:
        claimed: list[dict[str, Any]] = []

        def claim(doc: dict[str, Any]) -> dict[str, Any] | None:
            claimed.clear()
            now, size, entries = self.clock.now(), 0, []
            for e in doc["entries"]:
                if len(claimed) < MAX_ENTRIES and size + len(e["text"]) < MAX_CHARS and _is_waiting(e, now):
                    e = {**e, "claimed": {"by": self.instance, "until": now + CLAIM_SECONDS},
                         "claimed_before": bool(e.get("claimed"))}
                    claimed.append(e)
                    size += len(e["text"]) + 20
                entries.append(e)
            return {**doc, "entries": entries, "poster": {"instance": self.instance, "at": now}} if claimed else None

        await self._change(conversation, claim)
        return claimed

    async def _posted(self, conversation: str, ids: set[str], activity: str) -> None:
        def posted(doc: dict[str, Any]) -> dict[str, Any]:
            return {**doc, "entries": [{**e, "activity": activity, "claimed": None}
                                       if e["id"] in ids and not e.get("activity") else e for e in doc["entries"]]}
        await self._change(conversation, posted)

    async def _release(self, conversation: str, claimed: list[dict[str, Any]]) -> None:
        ids = {e["id"] for e in claimed}

        def release(doc: dict[str, Any]) -> dict[str, Any]:
            return {**doc, "entries": [{**e, "claimed": None} if e["id"] in ids and not e.get("activity")
                                       else e for e in doc["entries"]]}
        await self._change(conversation, release)

    async def _retire(self, conversation: str, *, force: bool = False) -> bool:
        """Nothing waits (or `force`): the poster is no longer noted (True), unless an entry came meanwhile."""
        retired: list[bool] = []

        def retire(doc: dict[str, Any]) -> dict[str, Any] | None:
            retired[:] = [force or not _waiting(doc, self.clock.now())]
            mine = (doc.get("poster") or {}).get("instance") == self.instance
            return {**doc, "poster": None} if retired[0] and mine else None

        await self._change(conversation, retire)
        return retired[0]

    async def _doc(self, conversation: str) -> tuple[dict[str, Any], str | None]:
        known = self._docs.get(conversation)
        if known is None:
            item = await self.storage.get(KV, _id(conversation), _id(conversation))
            known = (item.body, item.etag) if item else ({"entries": [], "poster": None}, None)
            self._docs.put(conversation, known)
        return known

    async def _change(self, conversation: str, change: Change) -> None:
        """`change(document)` written with its ETag, read again and changed again if another instance
        wrote first; `change` returns None when there is nothing to write. The changes asked for while a
        write is under way go together in the next write (a burst's entries cost a write per batch)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.setdefault(conversation, []).append((change, done))
        async with self._locks.holding([conversation]):
            if not done.done():
                batch = self._queued.pop(conversation, [])
                try:
                    await self._write(conversation, [c for c, _ in batch])
                except Exception as exc:  # noqa: BLE001 - each caller gets it
                    for _, future in batch:
                        future.set_exception(exc)
                else:
                    for _, future in batch:
                        future.set_result(None)
        await done

    async def _write(self, conversation: str, changes: list[Change]) -> None:
        for _ in range(MAX_RACES):
            doc, etag = await self._doc(conversation)
            changed = doc
            for change in changes:  # each may be applied again after a lost race: they look afresh
                changed = change(changed) or changed
            if changed is doc:
                return
            try:
                if etag is None:
                    item = await self.storage.create(KV, _id(conversation), _id(conversation), changed)
                else:
                    item = await self.storage.replace(KV, _id(conversation), _id(conversation), changed, etag)
            except (PreconditionFailed, Conflict, NotFound):
                self._docs.pop(conversation)
                continue
            self._docs.put(conversation, (changed, item.etag))
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
