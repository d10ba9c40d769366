"""The compliance record as e-mail: one RFC 5322 message (EML) per record entry, in the form
journaling archives (Smarsh, Global Relay, Proofpoint, Veritas) ingest. Pure: no I/O.

The message's parties are the conversation's: an inbound guest message is From the WeChat contact
(`<openid>@wechat.<sender_domain>`) To the employees taking part (`<aad>@teams.<sender_domain>`,
or their real address where `JournalSettings.employee_addresses` gives one); an employee's message
is From that employee To the contact, Cc the other employees; everything else (notices, WeChat's
answers, timers, joins and leaves) is From the bridge's system address To the contact, Cc the
employees. The SMTP envelope goes to the archive's journaling address (see adapters/archive).

`Message-ID` is `<thread.seq.hash[:16]@sender_domain>`: the same entry always gives the same id
(and the same bytes), so the archive recognises a resend. `In-Reply-To` names the entry before it
in the thread's chain, so the archive threads a conversation. `X-WeChat-Record-Hash` anchors the
hash chain in the (WORM) archive, and the `application/json` attachment holds the whole entry in
canonical JSON: `core.record.entry_hash` of it is the hash, checkable from the archive alone.

Headers are built with `email.headerregistry` under `email.policy.SMTP`: text from a guest or an
employee (a nickname, a message) is cleaned of control characters and RFC 2047-encoded where it
is not ASCII, so it can never start a header of its own. Bodies are UTF-8 in quoted-printable or
base64 (whichever is shorter): 7-bit clean, whatever the relay supports.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Union

from core.dlp import NOT_DELIVERED, as_delivered, rule_names
from core.record import canonical

CHANNEL = "wechat"
INBOUND, OUTBOUND, SYSTEM = "inbound", "outbound", "system"
SYSTEM_LOCAL_PART = "wechat-bridge"
SYSTEM_NAME = "WeChat Bridge"
UNKNOWN_EMPLOYEE_LOCAL_PART = "unknown-employee"


class _Policy(email_policy.EmailPolicy):
    """`email.policy.SMTP` (CRLF, RFC 2047 for anything not ASCII, folding at 78), except that an
    ASCII value with no white space (a hash, a Message-ID) stays on its header's line: it cannot be
    folded anyway, and the stock policy would move it to a continuation line that Python's own
    parser reads back with a leading space (or, past 78 characters, turn it into encoded-words)."""

    def _whole(self, name: str, value: Any) -> str | None:
        text = str(value)
        if text and text.isascii() and text.isprintable() and not any(c.isspace() for c in text) \
                and len(name) + 2 + len(text) <= 998:
            return f"{name}: {text}{self.linesep}"
        return None

    def fold(self, name: str, value: Any) -> str:
        return self._whole(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        whole = self._whole(name, value)
        return whole.encode("ascii") if whole is not None else super().fold_binary(name, value)


POLICY = _Policy(linesep="\r\n")  # what email.policy.SMTP is, with the folding above

# Guest-originated events: the entry is inbound (From the contact).
_GUEST_EVENTS = frozenset({"guest_message", "follow", "scan", "unfollow"})
_HEADER_TEXT_MAX = 200  # characters of a name or text shown in a header
_SUBJECT_TEXT_MAX = 80

# The headers the builder sets itself: an extra header may not replace one of them.
_OWN_HEADERS = frozenset(h.lower() for h in (
    "Message-ID", "Date", "From", "To", "Cc", "Bcc", "Subject", "In-Reply-To", "References",
    "MIME-Version", "Sender", "Reply-To", "Return-Path", "Received", "X-DLP-Action", "X-DLP-Rules",
    "X-Teams-Activity-Id"))
_OWN_PREFIXES = ("content-", "x-wechat-", "resent-")

_FIELD_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext: printable US-ASCII but ':'
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_HEX64 = re.compile(r"[0-9a-f]{64}")

EmployeeAddresses = Union[Mapping[str, str], Callable[[str], Union[str, None]]]


class JournalError(ValueError):
    """Settings or an entry the journal cannot make a message of; the message says what."""


@dataclass(frozen=True)
class JournalSettings:
    """How record entries become e-mail.

    `sender_domain`: the domain of the addresses made up for WeChat contacts
    (`<openid>@wechat.<domain>`), employees (`<aad>@teams.<domain>`), the system
    (`wechat-bridge@<domain>`) and Message-IDs; a domain the organization owns (ASCII or punycode).
    `journal_to`: the archive's journaling address (the SMTP envelope recipient).
    `extra_headers`: added to every message, in order (e.g. {"X-GlobalRelay-MsgType": "WeChat"}).
    `employee_addresses`: an employee's real e-mail address by Azure AD object id (a mapping or a
    function returning None when unknown); employees without one get the made-up address.
    """

    sender_domain: str
    journal_to: str
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    employee_addresses: EmployeeAddresses | None = None

    def __post_init__(self) -> None:
        domain = self.sender_domain.strip().lower() if isinstance(self.sender_domain, str) else ""
        if len(domain) > 200 or not _DOMAIN.fullmatch(domain):
            raise JournalError(f"sender_domain {self.sender_domain!r} is not a domain name (ASCII, with a dot)")
        object.__setattr__(self, "sender_domain", domain)
        if not isinstance(self.journal_to, str) or not is_address(self.journal_to):
            raise JournalError(f"journal_to {self.journal_to!r} is not an e-mail address (local@domain)")
        extra: dict[str, str] = {}
        seen: set[str] = set()
        for name, value in dict(self.extra_headers).items():
            if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name) or len(name) > 76:
                raise JournalError(f"extra header name {name!r} is not an RFC 5322 field name")
            if name.lower() in _OWN_HEADERS or name.lower().startswith(_OWN_PREFIXES):
                raise JournalError(f"extra header {name!r} would replace a header the journal sets itself")
            if name.lower() in seen:
                raise JournalError(f"extra header {name!r} given twice")
            if not isinstance(value, str) or "\r" in value or "\n" in value:
                raise JournalError(f"extra header {name!r}: the value must be text without CR or LF")
            if any(unicodedata.category(c) == "Cc" and c != "\t" for c in value):
                raise JournalError(f"extra header {name!r}: the value has control characters")
            seen.add(name.lower())
            extra[name] = value
        object.__setattr__(self, "extra_headers", MappingProxyType(extra))
        if self.employee_addresses is not None and not (
                callable(self.employee_addresses) or isinstance(self.employee_addresses, Mapping)):
            raise JournalError("employee_addresses must be a mapping or a function")
        if isinstance(self.employee_addresses, Mapping):
            object.__setattr__(self, "employee_addresses", MappingProxyType(dict(self.employee_addresses)))

    @property
    def system_address(self) -> str:
        """The bridge's own address: From of automated messages, and the envelope sender."""
        return f"{SYSTEM_LOCAL_PART}@{self.sender_domain}"

    def contact_address(self, openid: str) -> str:
        return f"{_local_part(openid)}@wechat.{self.sender_domain}"

    def employee_address(self, aad: str) -> str:
        """The employee's real address where known (and valid), else `<aad>@teams.<domain>`."""
        known = self.employee_addresses
        real = known(aad) if callable(known) else (known or {}).get(aad)
        if isinstance(real, str) and is_address(real.strip()):
            return real.strip()
        return f"{_local_part(aad)}@teams.{self.sender_domain}"


# -- the message -----------------------------------------------------------------------------------

def message_id(entry: Mapping[str, Any], settings: JournalSettings) -> str:
    """The entry's stable Message-ID, angle brackets included."""
    return _msg_id(entry["thread"], entry["seq"], entry["hash"], settings)


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


def eml(entry: Mapping[str, Any], settings: JournalSettings, *,
        names: Mapping[str, str] = MappingProxyType({})) -> EmailMessage:
    """One record entry as one e-mail message. `names`: display names by id (the guest's
    nickname by openid, employees' names by Azure AD object id); ids without one show bare.

    Deterministic: the same entry, settings and names give the same bytes."""
    _check_entry(entry)
    thread, seq, digest = entry["thread"], entry["seq"], entry["hash"]
    what = mapping_field(entry, "what") or {}
    push = mapping_field(entry, "push") or {}
    dlp = mapping_field(entry, "dlp")
    participants = _unique(p for p in entry.get("participants") or () if isinstance(p, str) and p)
    way = direction(entry)
    kind = event_type(entry)

    contact = Address(display_name=_name(names, thread), addr_spec=settings.contact_address(thread))
    employees = {aad: Address(display_name=_name(names, aad), addr_spec=settings.employee_address(aad))
                 for aad in participants}
    system = Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)
    author_id: str | None = None
    if way == INBOUND:
        sender, to, cc = contact, list(employees.values()) or [_account_address(entry, push, settings)], []
    elif way == OUTBOUND:
        author = str(what.get("author") or "")
        author_id = _author_id(author, participants, names)
        if author_id is not None:
            sender = Address(display_name=_clean(author) or _name(names, author_id),
                             addr_spec=settings.employee_address(author_id))
        else:  # an author the entry and `names` do not tie to an id: named, never guessed
            sender = Address(display_name=_clean(author) or "Unknown employee",
                             addr_spec=f"{UNKNOWN_EMPLOYEE_LOCAL_PART}@teams.{settings.sender_domain}")
        to, cc = [contact], [a for aad, a in employees.items() if aad != author_id]
    else:
        sender, to, cc = system, [contact], list(employees.values())

    msg = EmailMessage(policy=POLICY)
    msg["Message-ID"] = _msg_id(thread, seq, digest, settings)
    msg["Date"] = datetime.fromtimestamp(float(entry["at"]), timezone.utc)
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = _subject(way, kind, what, push, _clean(_name(names, thread) or thread, _SUBJECT_TEXT_MAX))
    if seq > 1 and isinstance(entry.get("prev"), str):
        previous = _msg_id(thread, seq - 1, entry["prev"], settings)
        msg["In-Reply-To"] = previous
        msg["References"] = previous
    msg["X-WeChat-Channel"] = CHANNEL
    msg["X-WeChat-Direction"] = way
    msg["X-WeChat-Thread"] = _clean(thread)
    msg["X-WeChat-Seq"] = str(seq)
    msg["X-WeChat-Record-Hash"] = digest
    msg["X-WeChat-Prev-Hash"] = _clean(str(entry.get("prev", "")))
    msg["X-WeChat-Record-Kind"] = _clean(str(entry.get("kind") or ""))
    msg["X-WeChat-Event-Type"] = _clean(kind)
    for header, value in (
            ("X-WeChat-Event-Id", entry.get("event")),
            ("X-WeChat-MsgId", push.get("msg_id")),
            ("X-WeChat-Msg-Type", push.get("msg_type")),
            ("X-WeChat-Push-Event", push.get("event")),
            ("X-WeChat-Official-Account", push.get("to_user") or entry.get("account")),
            ("X-WeChat-Account", entry.get("account")),
            ("X-WeChat-Bridge-Message-Id", what.get("message_id")),
            ("X-WeChat-Author", what.get("author") if way == OUTBOUND else None),
            ("X-Teams-Activity-Id", entry.get("teams_activity_id"))):
        if value is not None and _clean(str(value)):
            msg[header] = _clean(str(value))
    if dlp is not None:
        msg["X-DLP-Action"] = _clean(str(dlp.get("action") or "unknown"))
        rules = rule_names(dlp)
        if rules:
            msg["X-DLP-Rules"] = _clean(", ".join(rules))
    for header, value in settings.extra_headers.items():
        msg[header] = value

    transcript = _transcript(entry, settings, names, way, kind, what, push, dlp, participants,
                             sender, author_id)
    msg.set_content(transcript, charset="utf-8", cte=_cte(transcript))
    if dlp is not None:
        original = _dlp_original(dlp)
        msg.add_attachment(original, charset="utf-8", cte=_cte(original), disposition="inline",
                           filename=f"dlp-original-{_file_part(thread)}-{seq}.txt",
                           headers=[f"Content-Description: {DLP_PART_LABEL}"])
    msg.add_attachment(record_json(entry), maintype="application", subtype="json",
                       filename=f"record-{_file_part(thread)}-{seq}.json",
                       headers=["Content-Description: The compliance record entry (canonical JSON)"])
    for part in msg.iter_parts():
        del part["MIME-Version"]  # add_attachment puts one on each part; it belongs on the message alone
    # A boundary from the hash, not a random one: the same entry gives the same bytes. Every part
    # is quoted-printable or base64, where "=_" never starts a line, so it cannot clash.
    msg.set_boundary(f"=_wechat-record-{digest[:32]}")
    return msg


DLP_PART_LABEL = "Unredacted original (before DLP)"


def record_json(entry: Mapping[str, Any]) -> bytes:
    """The whole entry, `hash` included, in the record's canonical form (keys sorted, compact,
    UTF-8, whole floats as integers): what `core.record.canonical` hashes, plus the hash itself."""
    body = json.loads(canonical(entry))
    body["hash"] = entry["hash"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


# -- parts of it -----------------------------------------------------------------------------------

def _check_entry(entry: Mapping[str, Any]) -> None:
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


def _msg_id(thread: str, seq: int, digest: str, settings: JournalSettings) -> str:
    return f"<{_local_part(thread)}.{seq}.{digest[:16]}@{settings.sender_domain}>"


def _local_part(value: str) -> str:
    """`value` itself where it is a valid dot-atom (openids and AAD object ids are), else a
    stable stand-in made from its hash."""
    if _DOT_ATOM.fullmatch(value) and len(value) <= 64:
        return value
    return "id-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _file_part(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) else _local_part(value)


def is_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at) and len(address) <= 254 and len(local) <= 64 \
        and bool(_DOT_ATOM.fullmatch(local)) and bool(_DOMAIN.fullmatch(domain))


def _clean(text: str, limit: int = _HEADER_TEXT_MAX) -> str:
    """Text fit for one header: control and line/paragraph separators become spaces, runs of
    white space one space, at most `limit` characters."""
    out = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c for c in text)
    out = " ".join(out.split())
    return out if len(out) <= limit else out[:limit - 1] + "…"


def _name(names: Mapping[str, str], key: str) -> str:
    value = names.get(key) if names else None
    return _clean(value) if isinstance(value, str) else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _author_id(author: str, participants: list[str], names: Mapping[str, str]) -> str | None:
    """The Azure AD object id of an employee message's author, which the policy records by
    name: the author if it is an id, else the one participant (or, failing that, the one person
    in `names`) of that name."""
    if not author:
        return None
    if author in participants:
        return author
    named = [aad for aad in participants if isinstance(names.get(aad), str) and names[aad].strip() == author.strip()]
    if len(named) == 1:
        return named[0]
    others = [key for key, value in names.items() if isinstance(value, str) and value.strip() == author.strip()]
    return others[0] if len(others) == 1 and _DOT_ATOM.fullmatch(others[0]) else None


def _account_address(entry: Mapping[str, Any], push: Mapping[str, Any], settings: JournalSettings) -> Address:
    """Who an inbound push went to when no employee saw it: the Official Account."""
    account = push.get("to_user") or entry.get("account")
    if isinstance(account, str) and account:
        return Address(display_name=_clean(f"WeChat Official Account {account}"),
                       addr_spec=settings.contact_address(account))
    return Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)


def _subject(way: str, kind: str, what: Mapping[str, Any], push: Mapping[str, Any], contact: str) -> str:
    if way == INBOUND:
        if push.get("event") or kind in ("follow", "scan", "unfollow", "leave") or kind.startswith("event:"):
            happening = f"event {push.get('event') or kind}"
        else:
            msg_type = push.get("msg_type")
            happening = "message" if msg_type in (None, "", "text") else f"{msg_type} message"
        return _clean(f"WeChat: inbound {happening} from {contact}")
    if way == OUTBOUND:
        return _clean(f"WeChat: outbound message to {contact}")
    return _clean(f"WeChat: {kind} ({contact})")


def _cte(text: str) -> str:
    """The shorter of quoted-printable and base64 for `text` in UTF-8 (never 7bit or 8bit: the
    part boundary relies on it)."""
    data = text.encode("utf-8", "surrogatepass")
    plain = sum(1 for b in data if 32 <= b < 127 and b != 61)
    return "quoted-printable" if plain + 3 * (len(data) - plain) <= len(base64.b64encode(data)) else "base64"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def _dlp_original(dlp: Mapping[str, Any]) -> str:
    lines = [DLP_PART_LABEL,
             f"DLP action: {dlp.get('action') or 'unknown'}",
             f"Rules: {', '.join(rule_names(dlp)) or '(none given)'}"]
    if dlp.get("direction"):
        lines.append(f"Direction: {dlp['direction']}")
    for rule in dlp.get("rules") or []:
        if isinstance(rule, Mapping):
            lines.append(f"  - {_json(rule)}")
    findings = [f for f in dlp.get("findings") or () if isinstance(f, Mapping)]
    if findings:
        lines.append("Findings:")
        for f in findings:
            lines.append(f"  - rule {f.get('rule')}, {f.get('detector')}, {f.get('action')}, "
                         f"characters {f.get('start')}-{f.get('end')}: {_text(f.get('text', ''))}")
    delivered = dlp.get("delivered")
    lines += ["", "Original, as written:", _text(dlp.get("original", "")),
              "", "Delivered:", _text(delivered) if delivered is not None else NOT_DELIVERED]
    return "\r\n".join(lines) + "\r\n"


def _indent(text: Any, prefix: str = "    ") -> list[str]:
    lines = _text(text).splitlines() or [""]
    return [prefix + line for line in lines]


def _when(at: Any) -> str:
    return datetime.fromtimestamp(float(at), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _person(aad: str, names: Mapping[str, str], settings: JournalSettings) -> str:
    name = _name(names, aad)
    return f"{name} <{settings.employee_address(aad)}> (Azure AD {aad})" if name \
        else f"<{settings.employee_address(aad)}> (Azure AD {aad})"


def _event_lines(what: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = what.get("type")
    if kind == "guest_message":
        lang = f" (language: {what['language']})" if what.get("language") else ""
        return [f"The guest wrote{lang}:", *_indent(what.get("text", ""))]
    if kind == "employee_message":
        return [f"{what.get('author') or 'An employee'} wrote (message {what.get('message_id')}):",
                *_indent(what.get("text", ""))]
    if kind == "system_message":
        return [f"A system message for the guest (message {what.get('message_id')}):", *_indent(what.get("text", ""))]
    if kind == "follow":
        return ["The guest followed the Official Account."]
    if kind == "scan":
        return ["The guest scanned a QR code (or used a menu) of the Official Account."]
    if kind == "unfollow":
        return ["The guest unfollowed the Official Account."]
    if kind == "tick":
        return ["Time passed: the conversation's timers (reply warning, window expiry) were checked."]
    if kind == "participants_changed":
        added = ", ".join(_name(names, a) or a for a in what.get("added") or ()) or "nobody"
        removed = ", ".join(_name(names, a) or a for a in what.get("removed") or ()) or "nobody"
        return [f"The employees taking part changed: added {added}; removed {removed}."]
    if kind == "leave":
        if what.get("by", "guest") == "guest":
            return ["The guest left the conversation."]
        who = what.get("name") or _name(names, str(what.get("by"))) or what.get("by")
        return [f"{who} ({what.get('by')}) left the conversation"
                + ("." if what.get("closes", True) else "; other employees stay in it.")]
    if kind == "cancel_queued":
        return [f"{_name(names, str(what.get('by') or '')) or what.get('by') or 'An employee'} cancelled "
                f"the queued message {what.get('message_id')}."]
    if kind == "unconfirmed":
        return [f"WeChat did not answer for message {what.get('message_id')}: delivery not confirmed (it may or "
                f"may not have reached the guest; it is not sent again unless an employee asks)."]
    if kind == "send_again":
        return [f"{_name(names, str(what.get('by') or '')) or what.get('by') or 'An employee'} asked to send "
                f"message {what.get('message_id')} again."]
    if kind == "we_chat_answer":
        verdict = "accepted" if what.get("errcode") == 0 else "refused"
        return [f"WeChat {verdict} message {what.get('message_id')}: errcode {what.get('errcode')}"
                + (f" ({what.get('errmsg')})" if what.get("errmsg") else "") + "."]
    return _generic(what)


def _command_lines(command: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = command.get("type")
    if kind == "send_to_guest":
        by = f" by {command['author']}" if command.get("author") else ""
        notice = f", notice {command['notice']}" if command.get("notice") else ""
        return [f"- Sent to the guest ({command.get('kind')} message{by}{notice}; "
                f"message {command.get('message_id')}):",
                *_indent(command.get("text", ""), "      ")]
    if kind == "send_template":
        lines = [f"- Template message {command.get('template_id')} sent to the guest "
                 f"(notice {command.get('notice')}; message {command.get('message_id')}):",
                 *_indent(command.get("text", ""), "      ")]
        if command.get("params"):
            lines.append(f"      parameters: {_json(command['params'])}")
        return lines
    if kind == "notify_employees":
        return [f"- Told the employees (notice {command.get('notice')}):", *_indent(command.get("text", ""), "      ")]
    if kind == "receipt":
        lines = [f"- Message {command.get('message_id')} {command.get('outcome')} ({command.get('reason')})"]
        if command.get("text"):
            lines += _indent(command["text"], "      ")
        return lines
    return ["- " + line if i == 0 else "  " + line for i, line in enumerate(_generic(command))]


def _generic(value: Mapping[str, Any]) -> list[str]:
    lines = [f"{value.get('type') or 'entry'}:"]
    for key in sorted(k for k in value if k != "type"):
        item = value[key]
        if isinstance(item, str) and "\n" not in item:
            lines.append(f"    {key}: {item}")
        else:
            rendered = _text(item).splitlines() or [""]
            lines.append(f"    {key}: {rendered[0]}")
            lines += ["      " + line for line in rendered[1:]]
    return lines


def _transcript(entry: Mapping[str, Any], settings: JournalSettings, names: Mapping[str, str], way: str,
                kind: str, what: Mapping[str, Any], push: Mapping[str, Any], dlp: Mapping[str, Any] | None,
                participants: list[str], sender: Address, author_id: str | None) -> str:
    thread = entry["thread"]
    contact = _name(names, thread)
    what, push = as_delivered(what, dlp), as_delivered(push, dlp)
    lines = ["WeChat conversation record", "",
             f"Contact:      {contact + ' ' if contact else ''}<{settings.contact_address(thread)}> "
             f"(WeChat openid {thread})",
             f"Entry:        #{entry['seq']} of the thread's record ({entry.get('kind') or 'entry'}: {kind})",
             f"Time:         {_when(entry['at'])}",
             f"Direction:    {way}",
             f"From:         {sender}"]
    if entry.get("account"):
        lines.append(f"Account:      {entry['account']}")
    if entry.get("teams_activity_id"):
        lines.append(f"Teams post:   {entry['teams_activity_id']}")
    lines += ["", "Employees taking part:"]
    lines += [f"  - {_person(aad, names, settings)}" for aad in participants] or ["  (none)"]

    lines += ["", "What happened:"]
    if what:
        lines += ["  " + line for line in _event_lines(what, names)]
    elif push:
        lines.append("  A push from WeChat that no conversation shows (recorded as received).")
    else:
        lines.append("  (not given)")

    if dlp is not None:
        lines += ["", f"Data loss prevention: {dlp.get('action') or 'unknown'}"
                  + (f" (rules: {', '.join(rule_names(dlp))})" if rule_names(dlp) else ""),
                  "  What was delivered:",
                  *_indent(dlp["delivered"] if dlp.get("delivered") is not None else NOT_DELIVERED),
                  f"  The unredacted original is in the part \"{DLP_PART_LABEL}\"."]

    decided = [as_delivered(c, dlp) for c in entry.get("decided") or () if isinstance(c, Mapping)]
    if decided or entry.get("kind") == "decision":
        lines += ["", "What the bridge did:"]
        lines += ["  " + line for command in decided for line in _command_lines(command, names)] or ["  nothing"]

    if push:
        lines += ["", "The push as WeChat sent it:"]
        for key in ("from_user", "to_user", "msg_type", "msg_id", "create_time", "event", "event_key", "content"):
            if push.get(key) not in (None, ""):
                if key == "content":
                    lines += ["  content:", *_indent(push[key])]
                else:
                    lines.append(f"  {key}: {push[key]}")
        if isinstance(entry.get("received_at"), (int, float)) and not isinstance(entry["received_at"], bool):
            lines.append(f"  received at: {_when(entry['received_at'])}")

    lines += ["", "Record chain:",
              f"  hash: {entry['hash']}",
              f"  prev: {entry['prev']}",
              f"  The full entry is attached as record-{_file_part(thread)}-{entry['seq']}.json (canonical JSON)."]
    return "\r\n".join(lines) + "\r\n"
