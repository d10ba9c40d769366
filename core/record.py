"""The compliance record's tamper evidence: one hash chain per thread. Pure: no I/O.

Each entry carries its place in the thread's chain (`seq`, from 1) and the hash of the entry before
it (`prev`); its own `hash` is SHA-256 over `prev` and the entry's canonical JSON (keys sorted, no
insignificant whitespace, UTF-8), `hash` itself excluded. Changing any field of an entry breaks its
hash; removing one leaves a gap in `seq` and a `prev` that no longer matches; swapping two breaks
the order of `seq` and the links. `verify` names the first entry where the chain breaks and how.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from core.conversation_policy.model import CANCELLED
from core.media_record import FOR_WECHAT

GENESIS = "0" * 64  # the `prev` of a thread's first entry


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash covers: every field but `hash`, in one stable form. A whole float
    counts as the integer it equals: stores that speak JSON through JavaScript (Cosmos DB) give
    1750000000.0 back as 1750000000."""
    body = {k: _number(v) for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_number(v) for v in value]
    return value


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(entry["prev"].encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def chained(fields: Mapping[str, Any], *, thread: str, seq: int, prev: str) -> dict[str, Any]:
    """A new entry after the one whose hash is `prev` (GENESIS for the first), sealed with its hash."""
    if "hash" in fields or "prev" in fields or "seq" in fields or "thread" in fields:
        raise ValueError("thread, seq, prev and hash are the chain's own fields")
    entry = {**fields, "thread": thread, "seq": seq, "prev": prev}
    return {**entry, "hash": entry_hash(entry)}


@dataclass(frozen=True)
class Break:
    """Where a thread's chain breaks: the entry (its `seq` as stored, or the one expected) and why."""

    thread: str
    seq: int
    problem: str  # altered | removed | reordered | foreign

    def __str__(self) -> str:
        what = {"altered": "was altered (its hash does not match its content)",
                "removed": "is missing (removed)",
                "reordered": "is out of order",
                "foreign": "belongs to another thread"}[self.problem]
        return f"thread {self.thread}: entry {self.seq} {what}"


def verify(thread: str, entries: Iterable[Mapping[str, Any]], *, whole: bool = True,
           after: tuple[int, str] | None = None) -> Break | None:
    """The first break in a thread's chain, given its entries in the order they are stored (by
    their key); None if the chain is whole. `whole=False` checks a range (a date range): it may
    start past seq 1, and its first entry's `prev` is trusted as the link into what came before.
    `after` (seq, hash): the entry the stored chain continues from, when the ones up to it were
    removed at the end of their retention."""
    stored = list(entries)
    seqs = [e.get("seq") for e in stored]
    expected_seq: int | None = 1 if whole else None
    prev: str | None = GENESIS if whole else None
    if after is not None:
        expected_seq, prev = after[0] + 1, after[1]
    for index, entry in enumerate(stored):
        seq = seqs[index]
        if entry.get("thread") != thread:
            return Break(thread, seq if isinstance(seq, int) else -1, "foreign")
        if not isinstance(seq, int) or not isinstance(entry.get("prev"), str) or entry.get("hash") != _safe_hash(entry):
            return Break(thread, seq if isinstance(seq, int) else -1, "altered")
        if expected_seq is None:
            if seq == 1 and entry["prev"] != GENESIS:
                return Break(thread, seq, "altered")
        elif seq != expected_seq:
            # the expected entry further on (or this one already seen): moved; nowhere: removed
            moved = seq < expected_seq or expected_seq in seqs[index + 1:]
            return Break(thread, expected_seq if not moved else seq, "reordered" if moved else "removed")
        elif entry["prev"] != prev:
            return Break(thread, seq, "reordered")  # a sound entry, but not after the one before it
        expected_seq, prev = seq + 1, entry["hash"]
    return None


def _safe_hash(entry: Mapping[str, Any]) -> str | None:
    try:
        return entry_hash(entry)
    except (TypeError, ValueError, AttributeError, UnicodeEncodeError):
        return None


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _plain(value: Any) -> Any:
    """A dataclass (an event, a command) as JSON data, tagged with what it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"type": _snake(type(value).__name__),
                **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def decision_fields(event: Any, commands: Sequence[Any], participants: Sequence[str],
                    extra: Mapping[str, Any] | None = None, *, skip: tuple[type, ...] = (),
                    queued: Sequence[Mapping[str, Any]] = (), inbox: tuple[str, str] | None = None) -> dict[str, Any]:
    """What the record keeps of one policy decision: what happened, who took part, and what was
    decided (sent, queued, refused, cancelled, notices), `skip` aside (the live card's redraws).
    For the journal (core/journal/communication.py), as `sent_fields` keeps what went: `queued`, the
    queue before it (its items' bodies): what it cancelled is kept as written; `inbox`, the team
    channel the thread is posted in (its id, the name of the sub-organization it is the inbox of):
    kept with a guest's message nobody takes part in yet, the message's recipient."""
    what, decided = _plain(event), [_plain(c) for c in commands if not isinstance(c, skip)]
    ids = {d.get("message_id") for d in decided if d.get("type") == "receipt" and d.get("outcome") == CANCELLED}
    cancelled = [{"message_id": q["message_id"], "kind": "employee", "author": q.get("author"), "text": q.get("text"),
                  **({"media": q["media"]} if q.get("media") else {})} for q in queued if q.get("message_id") in ids]
    to_inbox = inbox if not participants and what.get("type") == "guest_message" else None
    return {"kind": "decision", "participants": list(participants), "what": what, "decided": decided,
            **({"cancelled": cancelled} if cancelled else {}),
            **({"inbox": {"id": to_inbox[0], "name": to_inbox[1]}} if to_inbox else {}),
            **(extra or {})}


def sent_fields(p: Mapping[str, Any], record: Mapping[str, Any] | None, text: str = "") -> dict[str, Any]:
    """What the record keeps of WeChat's answer to a send (`p`: the send job's payload; `record`: more,
    DLP's verdict): the message it answers as it went, the text as WeChat was given it (attributed, DLP
    applied), and the medium sent. What the archive journals as delivered (core/journal/communication.py)."""
    message = {"message_id": p["message_id"], "kind": p.get("kind") or "template", "author": p.get("author"),
               "notice": p.get("notice"), "template_id": p.get("template_id"), "text": text, "media": p.get("media")}
    sent = p.get("media") or {}
    media = [{"field": "sent", "key": sent["key"], "size": sent.get("size"), "content_type": sent.get("content_type"),
              "type": sent.get("kind"), "role": FOR_WECHAT}] if sent.get("key") else []  # to attach
    return {**(record or {}), "message": {k: v for k, v in message.items() if v not in (None, "")},
            **({"media": media} if media else {})}
