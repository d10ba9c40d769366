"""What a record entry is to the journal: sealed (checked), which way it went, what it records,
and the whole entry as the attachment that proves its hash."""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

from core.journal.settings import JournalError
from core.record import canonical

INBOUND, OUTBOUND, SYSTEM = "inbound", "outbound", "system"

# Guest-originated events: the entry is inbound (From the contact).
_GUEST_EVENTS = frozenset({"guest_message", "follow", "scan", "unfollow"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


def direction(entry: Mapping[str, Any]) -> str:
    """inbound (the guest did something), outbound (an employee's message) or system (the rest)."""
    what = entry.get("what") or {}
    kind = what.get("type") if isinstance(what, Mapping) else None
    if entry.get("kind") == "inbound" and not kind:
        return INBOUND
    if kind in _GUEST_EVENTS or (kind == "leave" and what.get("by", "guest") == "guest"):
        return INBOUND
    if kind == "employee_message":
        return OUTBOUND
    return SYSTEM


def event_type(entry: Mapping[str, Any]) -> str:
    """What the entry records: the policy event's type, or for a push recorded alone the push's
    event (`event:CLICK`) or message type (`message:image`)."""
    what = entry.get("what")
    if isinstance(what, Mapping) and what.get("type"):
        return str(what["type"])
    push = mapping_field(entry, "push") or {}
    if push.get("event"):
        return f"event:{push['event']}"
    if push.get("msg_type"):
        return f"message:{push['msg_type']}"
    return str(entry.get("kind") or "entry")


def mapping_field(entry: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """The entry's `key` (`what`, `push`, `dlp`) if it is a mapping: an entry may lack any of them."""
    value = entry.get(key)
    return value if isinstance(value, Mapping) else None


def record_json(entry: Mapping[str, Any]) -> bytes:
    """The whole entry, `hash` included, in the record's canonical form (keys sorted, compact,
    UTF-8, whole floats as integers): what `core.record.canonical` hashes, plus the hash itself."""
    body = json.loads(canonical(entry))
    body["hash"] = entry["hash"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def check_entry(entry: Mapping[str, Any]) -> None:
    if not isinstance(entry, Mapping):
        raise JournalError("a record entry is a mapping")
    problems = []
    if not isinstance(entry.get("thread"), str) or not entry["thread"]:
        problems.append("thread")
    if not isinstance(entry.get("seq"), int) or isinstance(entry.get("seq"), bool) or entry["seq"] < 1:
        problems.append("seq")
    if not isinstance(entry.get("hash"), str) or not _HEX64.fullmatch(entry["hash"]):
        problems.append("hash")
    if not isinstance(entry.get("prev"), str):
        problems.append("prev")
    at = entry.get("at")
    if isinstance(at, bool) or not isinstance(at, (int, float)) or not 0 <= at < 253402300800:
        problems.append("at")
    if problems:
        raise JournalError(f"not a sealed record entry: bad or missing {', '.join(problems)}")
