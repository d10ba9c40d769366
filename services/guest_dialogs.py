"""What the dialogs a new guest goes through before reaching an employee share (the phone
validation, the routing assistant): their durable document, their messages to the guest, and the
connection they end in.

A dialog's document (`kv`, one per guest and dialog) holds its state, the commands of its last
decision (the outbox) and the events already decided. A decision and its outbox are written
together, optimistically with the ETag, before anything is carried out; every message to the guest
is a job with an id fixed by that write, so a re-run sends nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from core.official_account import OfficialAccount
from core.storage import KV, Conflict, PreconditionFailed, Storage
from core.threads import Target
from services.jobs import Job, RetryLater
from services.wechat_sends import kind_of, send_once

APPLIED_KEPT = 50

# A decision: the document as read (None: new) and the next seq -> the fields of the one to write
# (state, outbox …). Asynchronous, so that a decision that takes time can run in a thread.
Decide = Callable[[dict[str, Any] | None, int], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class GuestConnectionRequest:
    """A dialog's request to connect a new guest (GuestConnections.make carries it out): their
    conversation with `target` begins (an employee, or the inbox when the routing assistant found
    nobody). `text`: the dialog's last words to the guest, said by the conversation's policy (so
    WeChat's quota counts them)."""

    openid: str
    target: Target
    account: str
    text: str
    language: str
    event_id: str  # fixed per connection: what the conversation's policy dedups on
    source: str  # how: "validated" (the number they named), "routed", "routing_inbox"
    number: str = ""  # the guest's validated phone number (E.164), if they validated it
    validated_at: float | None = None
    words: tuple[str, ...] = ()  # what the guest wrote to the assistant, for the employees
    guest_at: float | None = None  # when the guest last wrote (or followed): WeChat's window counts from then
    sent_since: int = 0  # the dialog's messages to the guest since then (WeChat counted them)



async def decide_durably(storage: Storage, key: str, event_id: str, decide: Decide, *,
                         leftovers: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
                         now: float) -> tuple[dict[str, Any], bool]:
    """Decide `event_id` once for the dialog document `key`: (the document as written, True), or
    (as found, False) when it was decided before. `leftovers`: carried out on a document read
    before deciding on top of it (a crash may have left its outbox)."""
    for _ in range(10):
        item = await storage.get(KV, key, key)
        document = dict(item.body) if item else None
        if document is not None and leftovers is not None:
            await leftovers(document)
        if document is not None and event_id in document["applied"]:
            return document, False
        seq = (document or {}).get("seq", 0) + 1
        written = {**await decide(document, seq), "seq": seq, "written_at": now,
                   "applied": ((document or {}).get("applied", []) + [event_id])[-APPLIED_KEPT:]}
        try:
            if item is None:
                await storage.create(KV, key, key, written)
            else:
                await storage.replace(KV, key, key, written, item.etag)
        except (Conflict, PreconditionFailed):
            continue  # another event of this guest was decided meanwhile: decide on top of it
        return written, True
    raise RetryLater(f"{key} kept changing while deciding {event_id}")


class Outboxes:
    """Which outbox this process last started, per guest: a new process (after a crash) starts a
    document's outbox once more; no process starts it twice."""

    def __init__(self) -> None:
        self._seq: dict[str, int] = {}

    async def start(self, openid: str, seq: int, carry_out: Callable[[], Awaitable[None]]) -> None:
        if self._seq.get(openid) == seq:
            return
        self._seq[openid] = seq
        if len(self._seq) > 10_000:
            self._seq = {openid: seq}
        try:
            await carry_out()
        except BaseException:
            self._seq.pop(openid, None)  # the job's retry starts what is left again
            raise


async def send_to_guest(wechat: Mapping[str, OfficialAccount], job: Job) -> dict[str, Any]:
    """A dialog's message to the guest (a DIALOG_SEND job), once: a refusal (the guest left, the window
    closed) or an answer that never came is not tried again."""
    p = job.payload
    return await send_once(lambda: wechat[p["account"]].send_text(p["openid"], p["text"]), kind_of(p))
