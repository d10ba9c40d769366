"""Where threads, Teams conversation references and reply drafts are kept."""
from __future__ import annotations

import uuid
from typing import Any

from core.clock import Clock
from core.recent import Recent
from core.storage import CONVERSATIONS, KV, THREADS, Conflict, NotFound, PreconditionFailed, Storage
from core.threads import Thread
from services.jobs import RetryLater

COPIES_KEPT = 4096  # threads whose latest copy an instance keeps (least recently used first out)


def conversation_key(kind: str, ident: str) -> str:
    """`employee:<AAD object id>` for a personal chat, `channel:<channel id>` for a team channel."""
    return f"{kind}:{ident}"


class ThreadStore:
    def __init__(self, storage: Storage, *, clock: Clock, reference_ttl: float = 600.0) -> None:
        self.storage = storage
        self.clock = clock
        # Conversation references change rarely (a reinstall, a new service URL): one read per
        # message would be a third of the storage requests of the whole journey.
        self.reference_ttl = reference_ttl
        self._references: dict[str, tuple[float, dict[str, Any]]] = {}
        # The copy of each thread this instance last read or wrote, with its ETag: a guest's next message
        # is decided on it without a read, by a write with that ETag (services/inbound.py). Bounded.
        self._copies: Recent[str, tuple[Thread, str]] = Recent(COPIES_KEPT)

    async def get(self, openid: str) -> tuple[Thread, str] | None:
        item = await self.storage.get(THREADS, openid, openid)
        if item is None:
            self._copies.pop(openid)
            return None
        return self._keep(Thread.from_body(item.body), item.etag)

    def latest(self, openid: str) -> tuple[Thread, str] | None:
        """The thread as this instance last read or wrote it, and its ETag; no read. Another instance may
        have written it since: only for a write with that ETag, which then fails (PreconditionFailed)."""
        return self._copies.get(openid)

    def _keep(self, thread: Thread, etag: str) -> tuple[Thread, str]:
        self._copies.put(thread.openid, (thread, etag))
        return thread, etag

    async def save(self, thread: Thread, etag: str | None) -> str:
        """Create (etag None) or replace; raises PreconditionFailed/Conflict if someone wrote first
        (NotFound if it was removed)."""
        try:
            if etag is None:
                item = await self.storage.create(THREADS, thread.openid, thread.openid, thread.to_body())
            else:
                item = await self.storage.replace(THREADS, thread.openid, thread.openid, thread.to_body(), etag)
        except (Conflict, PreconditionFailed, NotFound):
            self._copies.pop(thread.openid)  # ours is not the latest
            raise
        return self._keep(thread, item.etag)[1]

    async def update(self, openid: str, change) -> Thread | None:
        """Read-modify-write one thread with `change(thread) -> thread`, retried on a lost race."""
        for _ in range(10):
            found = await self.get(openid)
            if found is None:
                return None
            thread, etag = found
            try:
                await self.save(change(thread), etag)
                return change(thread)
            except PreconditionFailed:
                continue
        raise PreconditionFailed(f"thread {openid} kept changing")

    async def in_conversation(self, teams_conversation_id: str, *, closed_too: bool = False) -> list[Thread]:
        """The guests' threads posted in this Teams conversation: the open ones, or `closed_too` those
        closed since as well (until the guest is placed elsewhere)."""
        equals = {"teams_conversation_id": teams_conversation_id, **({} if closed_too else {"status": "open"})}
        return [Thread.from_body(i.body) for i in await self.storage.query(THREADS, equals=equals, limit=100)]

    async def due(self, now: float, limit: int) -> list[tuple[Thread, str]]:
        """Threads whose policy deadline has come (see PolicyState.next_due_at), with their ETags."""
        items = await self.storage.query(THREADS, at_most=("next_due_at", now), order_by="next_due_at", limit=limit)
        return [(Thread.from_body(i.body), i.etag) for i in items]

    # Conversation references: where the bot may post, learnt when the app is installed or used.
    async def reference(self, key: str) -> dict[str, Any] | None:
        cached = self._references.get(key)
        if cached and cached[0] > self.clock.now():
            return cached[1]
        item = await self.storage.get(CONVERSATIONS, key, key)
        if item is None:
            return None
        self._references[key] = (self.clock.now() + self.reference_ttl, item.body["reference"])
        return item.body["reference"]

    async def reference_of(self, thread: Thread) -> dict[str, Any]:
        """Where the thread lives in Teams: its channel's conversation, or its employee's personal chat.
        RetryLater while it is not known yet."""
        if thread.target.kind == "channel":
            reference = thread.reference
        else:
            reference = await self.reference(conversation_key("employee", thread.target.id))
        if not reference:
            raise RetryLater(f"the Teams conversation of thread {thread.openid} is not known yet", delay=900,
                             waiting_for=str(thread.target) if thread.target.kind == "employee" else None)
        return reference

    def forget_reference(self, key: str) -> None:
        """Teams said the conversation is gone: read it again next time."""
        self._references.pop(key, None)

    async def remember(self, key: str, reference: dict[str, Any], now: float) -> bool:
        """Store a reference; True if it was new or changed (a write happened)."""
        item = await self.storage.get(CONVERSATIONS, key, key)
        self._references.pop(key, None)
        if item and item.body["reference"] == reference:
            return False
        body = {"reference": reference, "updated_at": now}
        try:
            if item:
                await self.storage.replace(CONVERSATIONS, key, key, body, item.etag)
            else:
                await self.storage.create(CONVERSATIONS, key, key, body)
        except (Conflict, PreconditionFailed):
            return False  # another instance stored it at the same moment: theirs is as good
        return True

    # Drafts: an employee's message kept while they choose which guest it is for.
    async def put_draft(self, conversation_id: str, body: dict[str, Any]) -> str:
        draft_id = uuid.uuid4().hex
        await self.storage.create(KV, f"draft:{conversation_id}", draft_id, body)
        return draft_id

    async def take_draft(self, conversation_id: str, draft_id: str) -> dict[str, Any] | None:
        """The draft, removed so it is sent once; None if already taken or from another chat."""
        pk = f"draft:{conversation_id}"
        item = await self.storage.get(KV, pk, draft_id)
        if item is None:
            return None
        try:
            await self.storage.delete(KV, pk, draft_id, item.etag)
        except (NotFound, PreconditionFailed):
            return None
        return item.body
