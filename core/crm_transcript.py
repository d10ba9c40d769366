"""A thread's day as a CRM keeps it (Salesforce's Task): one line per communication, who → whom, as
delivered, from the same communications the archive journals and the webhook is given
(core/crm_communications.py). Pure.

    09:01 陈先生 → Alice Advisor, Bob Broker: 请卖出100股 please
    09:02 Alice Advisor → 陈先生: Alice Advisor: Noted, selling at market.
    09:05 Bob Broker → 陈先生 [not delivered: dlp]: [not delivered: blocked by DLP]

Texts as the recipient received them (DLP applied), never the originals: what DLP blocked or withheld
shows as "[not delivered: blocked by DLP]", what a finding quoted masked. A message not delivered or
not confirmed says so and why; a medium's file, size and SHA-256 go under its entry's lines. The bot's
notices to the employees alone are left out (a refused message shows as itself, not as its receipt).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from core.crm_communications import crm_communications
from core.journal.communication import AUTOMATIC_TO_EMPLOYEES, BOT, DELIVERED, GUEST, INBOX, SENT
from core.media_record import reference_lines

_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_JOINERS = frozenset("\u200c\u200d")
_UNNAMED = {GUEST: "Guest", BOT: "[system]"}  # a party's name where none is known (an employee: their id)
_QUIET = frozenset({DELIVERED, SENT})  # deliveries a line does not remark on


def day_transcript(entries: Iterable[Mapping[str, Any]], names: Mapping[str, str] | None = None) -> str:
    """The day's lines in seq order (UTC times). `names`: display names by id (the guest's by openid,
    employees' by Azure AD object id); a name the record gives (an author's) wins."""
    lines: list[str] = []
    for entry in sorted(entries, key=lambda e: e["seq"] if isinstance(e.get("seq"), int) else 0):
        lines += entry_lines(entry, names or {})
    return "\n".join(lines)


def entry_lines(entry: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """The lines of one entry's communications, its media's references under them."""
    said = [c for c in crm_communications(entry) if c["kind"] != AUTOMATIC_TO_EMPLOYEES]
    if not said:
        return []
    at = entry.get("at")
    when = datetime.fromtimestamp(float(at), timezone.utc).strftime("%H:%M") \
        if isinstance(at, (int, float)) and not isinstance(at, bool) else "--:--"
    out: list[str] = []
    for c in said:
        whom = ", ".join(_shown(p, names) for p in c["to"]) or "nobody"
        why = "" if c["delivery"] in _QUIET else f" [{c['delivery']}" + (f": {c['reason']}]" if c["reason"] else "]")
        out += line(when, f"{_shown(c['from'], names)} → {whom}{why}", c["text"] or _untitled(entry))
    return out + [f"      {ref}" for ref in reference_lines(entry)]


def _untitled(entry: Mapping[str, Any]) -> str:
    """What stands for a message without text (a guest's photo: its file goes under it)."""
    push = entry.get("push")
    kind = push.get("msg_type") if isinstance(push, Mapping) else None
    return f"[{kind} message]" if kind and kind != "text" else "[empty message]"


def _shown(party: Mapping[str, str], names: Mapping[str, str]) -> str:
    named = one_line(party.get("name") or names.get(party.get("id") or "") or "").strip()
    if party.get("role") == INBOX:  # a team channel, named by the sub-organization it is the inbox of
        return f"{named} (WeChat inbox)" if named else "WeChat inbox"
    return named or _UNNAMED.get(party.get("role") or "") or party.get("id") or "Employee"


def line(when: str, who: str, text: str) -> list[str]:
    """`when who: text`, a text of several lines going on indented (no line of it can pass for another)."""
    parts = [one_line(p) for p in _BREAKS.split(text)] or [""]
    while len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return [f"{when} {who}: {parts[0]}"] + [f"      {p}" for p in parts[1:]]


def one_line(text: str) -> str:
    """Control and format characters out (but the joiners emoji and scripts need), tabs as spaces."""
    text = text.replace("\t", " ")
    return "".join(c for c in text
                   if c in _JOINERS or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp", "Cs"))
