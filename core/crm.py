"""CRM logging of the compliance record: the interface every CRM adapter implements, its errors,
and what a CRM is told of a record entry. Pure: no I/O.

A CRM is not the archive. The archive (core/journal/) keeps everything, the unredacted original
of a message DLP redacted or blocked included; a CRM gets what the conversation's parties saw: the
text as delivered, "[not delivered: blocked by DLP]" for a blocked one, and what a DLP finding
quoted masked wherever else it appears (a receipt quoting the message). Raw WeChat fields (the
push) are never sent either: a push recorded alone (a menu click) was never screened by DLP.

Adapters (adapters/crm) are driven by durable jobs, like the archive: `Crm.log` either returns (the
CRM has the entry) or raises `CrmUnavailable` (try again later, with backoff, honouring
`retry_after`) or `CrmRejected` (the CRM refused it for good, or the configuration is wrong: the
job fails with the reason). Logging the same entry again is harmless: the webhook sends the same
`Idempotency-Key`, Salesforce upserts the same day's Task by its external id.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Protocol, Sequence, runtime_checkable

from core.clock import utc_day as day_of
from core.crm_communications import crm_communications
from core.crm_transcript import day_transcript, one_line
from core.dlp import NOT_DELIVERED, as_delivered, rule_names
from core.http_answers import is_transient, retry_after, snippet as _snippet
from core.journal import INBOUND, OUTBOUND, SYSTEM, check_entry, direction, event_type, mapping_field
from core.media_record import references

SOURCE = "wechat"
SNIPPET_CHARS = 300  # of a CRM's answer, in an error message


def snippet(body: str | bytes | None, *, hide: Iterable[str | None] = (), limit: int = SNIPPET_CHARS) -> str:
    """The start of a CRM's answer, fit for an error message (secrets in `hide` replaced by ***)."""
    return _snippet(body, hide=hide, limit=limit)
TASK_KEY_MAX = 80  # a Salesforce Text(80) External ID field
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EMPTY: Mapping[str, str] = MappingProxyType({})


# -- the interface -------------------------------------------------------------------------------

@runtime_checkable
class Crm(Protocol):
    async def log(self, entry: Mapping[str, Any], day: Sequence[Mapping[str, Any]]) -> None:
        """Log one record entry. `day`: every entry of its thread on the same UTC day up to and
        including `entry`, in seq order (an adapter that writes one record per day uses it; one
        that logs entry by entry ignores it). Returns once the CRM has it; raises CrmUnavailable
        (transient) or CrmRejected (permanent)."""


class CrmError(Exception):
    """Logging to the CRM failed. `status`: the HTTP status when the CRM answered; `body`: the start
    of its answer (never a token or a secret)."""

    def __init__(self, message: str, *, status: int | None = None, body: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class CrmUnavailable(CrmError):
    """Transient (connection refused or reset, timeout, 429, 5xx): try again later with backoff.
    `retry_after`: seconds the CRM asked to wait (its Retry-After header), if it said."""

    def __init__(self, message: str, *, status: int | None = None, body: str | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after


class CrmRejected(CrmError):
    """Permanent: the CRM refused this entry (a 4xx), or refused our credentials; sending the same
    again will not help until the configuration is fixed."""




def error_for_status(service: str, status: int, body: str | None, *, retry_after: float | None = None,
                     what: str = "") -> CrmError:
    """The error for a CRM's non-2xx answer: CrmUnavailable for 408/425/429/5xx, and for 401/403 (the
    credentials or the permissions, which an operator fixes: the entries wait for it), else CrmRejected.
    `body`: a snippet (see `snippet`), already free of secrets."""
    detail = f": {body}" if body else ""
    doing = f" {what}" if what else ""
    if is_transient(status) or status in (401, 403):
        wait = f"; retry after {retry_after:g} s" if retry_after is not None else ""
        return CrmUnavailable(f"{service} is unavailable{doing} (HTTP {status}{wait}){detail}",
                              status=status, body=body, retry_after=retry_after)
    return CrmRejected(f"{service} refused{doing} (HTTP {status}){detail}", status=status, body=body)


# -- days and keys -------------------------------------------------------------------------------

def day_span(day: str | date) -> tuple[float, float]:
    """[start, end) of a UTC day in unix seconds (for Recorder.entries_between)."""
    start = datetime.combine(_date(day), datetime.min.time(), timezone.utc)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def task_key(thread: str, day: str | date) -> str:
    """The external id of a thread's Task for a day: `wechat-<thread>-<YYYYMMDD>`, at most 80
    characters of [A-Za-z0-9_-]. A thread id that is not of those characters (or longer than 64)
    is replaced by a stable stand-in made from its hash."""
    part = (thread if _SAFE_ID.fullmatch(thread)
            else "h" + hashlib.sha256(thread.encode("utf-8", "surrogatepass")).hexdigest()[:40])
    key = f"{SOURCE}-{part}-{_date(day).strftime('%Y%m%d')}"
    assert len(key) <= TASK_KEY_MAX
    return key


def iso_time(at: float) -> str:
    """Unix seconds as ISO 8601 UTC, milliseconds: 2025-11-22T09:01:00.250Z."""
    return datetime.fromtimestamp(float(at), timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _date(day: str | date) -> date:
    if isinstance(day, datetime):
        return day.astimezone(timezone.utc).date() if day.tzinfo else day.date()
    if isinstance(day, date):
        return day
    if isinstance(day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return date.fromisoformat(day)
    raise ValueError(f"a day is YYYY-MM-DD, got {day!r}")


# -- what a CRM is told of an entry ----------------------------------------------------------------

_MESSAGE_EVENTS = frozenset({"guest_message", "employee_message", "system_message"})


def crm_event(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON a CRM is sent for one record entry (what the webhook posts).

    `id` (`<thread>:<seq>`, stable: the receiver's idempotency key), `source`, `thread` (the
    guest's openid), `seq`, `prev`, `hash` (the record's chain), `at` (ISO 8601 UTC), `direction`
    (inbound / outbound / system), `kind` (decision / inbound), `type` (the event: guest_message,
    employee_message, we_chat_answer, blocked, follow …), `message_id`, `author` (an employee
    message's author as recorded), `text` (the message as delivered; for other events one readable
    line about what happened), `message_type` (WeChat's, for a push), `notices` (what the bridge
    told the guest or the employees: `to`, `notice`, `text`, `message_id`, `outcome`),
    `participants` (Azure AD object ids), `dlp` (`{"action", "rules"}` when DLP acted, else None),
    `teams_activity_id`, `account`, `media` (core.media_record.references: type, size, SHA-256, a link),
    `communications` (who wrote what to whom, as the archive journals them: core/crm_communications.py).
    Never the unredacted original of a message DLP redacted or blocked, nor a medium's bytes."""
    check_entry(entry)  # as the archive checks it: one idea of a sealed entry
    dlp = mapping_field(entry, "dlp")
    what = as_delivered(mapping_field(entry, "what") or {}, dlp)
    push = mapping_field(entry, "push") or {}
    kind = event_type(entry)
    return {
        "id": f"{entry['thread']}:{entry['seq']}",
        "source": SOURCE,
        "thread": entry["thread"],
        "seq": entry["seq"],
        "prev": entry.get("prev"),
        "hash": entry["hash"],
        "at": iso_time(entry["at"]),
        "direction": direction(entry),
        "kind": entry.get("kind"),
        "type": kind,
        "message_id": _str_or_none(what.get("message_id")),
        "author": _str_or_none(what.get("author")) if kind == "employee_message" else None,
        "text": entry_text(entry),
        "message_type": _str_or_none(push.get("msg_type")),
        "notices": notices(entry),
        "participants": [p for p in entry.get("participants") or () if isinstance(p, str)],
        "dlp": {"action": str(dlp.get("action") or "unknown"), "rules": rule_names(dlp)} if dlp is not None else None,
        "teams_activity_id": _str_or_none(entry.get("teams_activity_id")),
        "account": _str_or_none(entry.get("account")),
        "media": references(entry),
        "communications": crm_communications(entry),
    }


def entry_text(entry: Mapping[str, Any], names: Mapping[str, str] = _EMPTY) -> str:
    """The readable text of an entry: a message as delivered (DLP applied), else one line about
    what happened."""
    dlp = mapping_field(entry, "dlp")
    what = as_delivered(mapping_field(entry, "what") or {}, dlp)
    push = mapping_field(entry, "push") or {}
    kind = what.get("type")
    if kind in _MESSAGE_EVENTS:
        text = what.get("text")
        if isinstance(text, str) and text:
            return text
        msg_type = push.get("msg_type")
        return f"[{msg_type} message]" if msg_type and msg_type != "text" else "[empty message]"
    if kind == "blocked":
        return NOT_DELIVERED
    if kind == "follow":
        return "followed the Official Account"
    if kind == "scan":
        return "scanned a QR code of the Official Account"
    if kind == "unfollow":
        return "unfollowed the Official Account"
    if kind == "leave":
        if what.get("by", "guest") == "guest":
            return "left the conversation"
        who = what.get("name") or _name(names, str(what.get("by"))) or what.get("by")
        return f"{who} left the conversation" + ("" if what.get("closes", True) else "; other employees stay in it")
    if kind == "tick":
        return "the conversation's timers were checked"
    if kind == "participants_changed":
        added = ", ".join(_name(names, str(a)) or str(a) for a in what.get("added") or ()) or "nobody"
        removed = ", ".join(_name(names, str(a)) or str(a) for a in what.get("removed") or ()) or "nobody"
        return f"employees taking part changed: added {added}; removed {removed}"
    if kind == "cancel_queued":
        who = _name(names, str(what.get("by") or "")) or what.get("name") or what.get("by") or "an employee"
        return f"{who} cancelled the queued message {what.get('message_id')}"
    if kind == "we_chat_answer":
        if what.get("errcode") == 0:
            return f"WeChat accepted message {what.get('message_id')}"
        why = f" ({what['errmsg']})" if what.get("errmsg") else ""
        return f"WeChat did not deliver message {what.get('message_id')}: errcode {what.get('errcode')}{why}"
    if kind:
        return str(kind).replace("_", " ")
    if push.get("event"):  # a push recorded alone: menu clicks, link views, location reports
        key = f" {push['event_key']}" if push.get("event_key") else ""
        return f"[WeChat event {push['event']}{key}]"
    if push.get("msg_type"):
        return f"[{push['msg_type']} message]"
    return str(entry.get("kind") or "entry")


def notices(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the bridge told the guest (system messages, templates) or the employees (notices,
    receipts) in this entry's decision, DLP applied. An employee's own message is not a notice."""
    dlp = mapping_field(entry, "dlp")
    out: list[dict[str, Any]] = []
    for command in entry.get("decided") or ():
        if not isinstance(command, Mapping):
            continue
        c = as_delivered(command, dlp)
        kind = c.get("type")
        if kind == "send_to_guest" and c.get("kind") != "employee":
            out.append({"to": "guest", "notice": c.get("notice"), "text": _text(c.get("text")),
                        "message_id": _str_or_none(c.get("message_id")), "outcome": None})
        elif kind == "send_template":
            out.append({"to": "guest", "notice": c.get("notice"), "text": _text(c.get("text")),
                        "message_id": _str_or_none(c.get("message_id")), "outcome": None})
        elif kind == "notify_employees":
            out.append({"to": "employees", "notice": c.get("notice"), "text": _text(c.get("text")),
                        "message_id": None, "outcome": None})
        elif kind == "receipt":
            text = _text(c.get("text")) or f"message {c.get('message_id')} {c.get('outcome')} ({c.get('reason')})"
            out.append({"to": "employees", "notice": c.get("notice"), "text": text,
                        "message_id": _str_or_none(c.get("message_id")), "outcome": c.get("outcome")})
    return out


# -- a day as a transcript (core/crm_transcript.py) -------------------------------------------------

def fit_end(text: str, limit: int, marker: str) -> str:
    """`text` if it fits in `limit` characters (counted as UTF-16 code units, as Salesforce does),
    else `marker`, a line break and the last part of `text` that fits after them, starting at a
    line where possible."""
    if _units(text) <= limit:
        return text
    head = marker + "\n"
    room = limit - _units(head)
    if room <= 0:
        return _tail(marker, limit)
    kept: list[str] = []
    used = 0
    for line in reversed(text.split("\n")):
        cost = _units(line) + (1 if kept else 0)
        if used + cost > room:
            if not kept:  # one last line longer than the room: its end
                kept.append(_tail(line, room))
            break
        kept.append(line)
        used += cost
    return head + "\n".join(reversed(kept))


def _units(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _tail(text: str, room: int) -> str:
    used, start = 0, len(text)
    while start > 0 and used + (2 if ord(text[start - 1]) > 0xFFFF else 1) <= room:
        start -= 1
        used += 2 if ord(text[start]) > 0xFFFF else 1
    return text[start:]


# -- helpers -------------------------------------------------------------------------------------

def _name(names: Mapping[str, str], key: str) -> str:
    value = names.get(key) if names and key else None
    return one_line(value).strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _str_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


__all__ = [
    "Crm", "CrmError", "CrmRejected", "CrmUnavailable", "INBOUND", "OUTBOUND", "SYSTEM", "crm_event",
    "day_of", "day_span", "day_transcript", "entry_text", "error_for_status",
    "fit_end", "is_transient", "iso_time", "notices", "retry_after", "snippet", "task_key",
]
