"""One record entry as one RFC 5322 message: its parties, headers, body and attachments, byte for
byte the same every time (a stable Message-ID and MIME boundary), under an SMTP policy that keeps
unfoldable values on their header's line."""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from core.dlp import rule_names
from core.journal.entry import INBOUND, OUTBOUND, check_entry, direction, event_type, mapping_field, record_json
from core.journal.media import MediaNote, boundary
from core.journal.names import author_id as find_author, clean, file_part, local_part, shown_name
from core.journal.settings import JournalSettings
from core.journal.transcript import DLP_PART_LABEL, dlp_original, transcript

CHANNEL = "wechat"
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

_SUBJECT_TEXT_MAX = 80


def message_id(entry: Mapping[str, Any], settings: JournalSettings) -> str:
    """The entry's stable Message-ID, angle brackets included."""
    return _msg_id(entry["thread"], entry["seq"], entry["hash"], settings)


def eml(entry: Mapping[str, Any], settings: JournalSettings, *, names: Mapping[str, str] = MappingProxyType({}),
        media: Mapping[str, MediaNote] = MappingProxyType({})) -> EmailMessage:
    """One record entry as one e-mail message. `names`: display names by id (the guest's
    nickname by openid, employees' names by Azure AD object id); ids without one show bare.
    `media`: what became of the entry's media by key, said in the body (the attachments themselves
    are streamed in after the message's parts: services/journal_media.py).

    Deterministic: the same entry, settings and names give the same bytes."""
    check_entry(entry)
    thread, seq, digest = entry["thread"], entry["seq"], entry["hash"]
    what = mapping_field(entry, "what") or {}
    push = mapping_field(entry, "push") or {}
    dlp = mapping_field(entry, "dlp")
    participants = _unique(p for p in entry.get("participants") or () if isinstance(p, str) and p)
    way = direction(entry)
    kind = event_type(entry)

    contact = Address(display_name=shown_name(names, thread), addr_spec=settings.contact_address(thread))
    employees = {aad: Address(display_name=shown_name(names, aad), addr_spec=settings.employee_address(aad))
                 for aad in participants}
    system = Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)
    author_id: str | None = None
    if way == INBOUND:
        sender, to, cc = contact, list(employees.values()) or [_account_address(entry, push, settings)], []
    elif way == OUTBOUND:
        author = str(what.get("author") or "")
        author_id = find_author(author, participants, names)
        if author_id is not None:
            sender = Address(display_name=clean(author) or shown_name(names, author_id),
                             addr_spec=settings.employee_address(author_id))
        else:  # an author the entry and `names` do not tie to an id: named, never guessed
            sender = Address(display_name=clean(author) or "Unknown employee",
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
    msg["Subject"] = _subject(way, kind, what, push, clean(shown_name(names, thread) or thread, _SUBJECT_TEXT_MAX))
    if seq > 1 and isinstance(entry.get("prev"), str):
        previous = _msg_id(thread, seq - 1, entry["prev"], settings)
        msg["In-Reply-To"] = previous
        msg["References"] = previous
    msg["X-WeChat-Channel"] = CHANNEL
    msg["X-WeChat-Direction"] = way
    msg["X-WeChat-Thread"] = clean(thread)
    msg["X-WeChat-Seq"] = str(seq)
    msg["X-WeChat-Record-Hash"] = digest
    msg["X-WeChat-Prev-Hash"] = clean(str(entry.get("prev", "")))
    msg["X-WeChat-Record-Kind"] = clean(str(entry.get("kind") or ""))
    msg["X-WeChat-Event-Type"] = clean(kind)
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
        if value is not None and clean(str(value)):
            msg[header] = clean(str(value))
    if dlp is not None:
        msg["X-DLP-Action"] = clean(str(dlp.get("action") or "unknown"))
        rules = rule_names(dlp)
        if rules:
            msg["X-DLP-Rules"] = clean(", ".join(rules))
    for header, value in settings.extra_headers.items():
        msg[header] = value

    body = transcript(entry, settings, names, way, kind, what, push, dlp, participants, sender, author_id, media)
    msg.set_content(body, charset="utf-8", cte=shortest_cte(body))
    return with_record_parts(msg, entry, dlp, boundary(digest), "The compliance record entry (canonical JSON)")


def with_record_parts(msg: EmailMessage, entry: Mapping[str, Any], dlp: Mapping[str, Any] | None, mark: str,
                      described: str) -> EmailMessage:
    """`msg` ended as every journal message ends: DLP's unredacted original where it acted, the entry itself
    (`described`), and the boundary `mark`."""
    thread, seq = entry["thread"], entry["seq"]
    if dlp is not None:
        original = dlp_original(dlp)
        msg.add_attachment(original, charset="utf-8", cte=shortest_cte(original), disposition="inline",
                           filename=f"dlp-original-{file_part(thread)}-{seq}.txt",
                           headers=[f"Content-Description: {DLP_PART_LABEL}"])
    msg.add_attachment(record_json(entry), maintype="application", subtype="json",
                       filename=f"record-{file_part(thread)}-{seq}.json", headers=[f"Content-Description: {described}"])
    for part in msg.iter_parts():
        del part["MIME-Version"]  # add_attachment puts one on each part; it belongs on the message alone
    # A boundary from the hash, not a random one: the same entry gives the same bytes. Every part
    # is quoted-printable or base64, where "=_" never starts a line, so it cannot clash.
    msg.set_boundary(mark)
    return msg


def _msg_id(thread: str, seq: int, digest: str, settings: JournalSettings) -> str:
    return f"<{local_part(thread)}.{seq}.{digest[:16]}@{settings.sender_domain}>"


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _account_address(entry: Mapping[str, Any], push: Mapping[str, Any], settings: JournalSettings) -> Address:
    """Who an inbound push went to when no employee saw it: the Official Account."""
    account = push.get("to_user") or entry.get("account")
    if isinstance(account, str) and account:
        return Address(display_name=clean(f"WeChat Official Account {account}"),
                       addr_spec=settings.contact_address(account))
    return Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)


def _subject(way: str, kind: str, what: Mapping[str, Any], push: Mapping[str, Any], contact: str) -> str:
    if way == INBOUND:
        if push.get("event") or kind in ("follow", "scan", "unfollow", "leave") or kind.startswith("event:"):
            happening = f"event {push.get('event') or kind}"
        else:
            msg_type = push.get("msg_type")
            happening = "message" if msg_type in (None, "", "text") else f"{msg_type} message"
        return clean(f"WeChat: inbound {happening} from {contact}")
    if way == OUTBOUND:
        return clean(f"WeChat: outbound message to {contact}")
    return clean(f"WeChat: {kind} ({contact})")


def shortest_cte(text: str) -> str:
    """The shorter of quoted-printable and base64 for `text` in UTF-8 (never 7bit or 8bit: the
    part boundary relies on it)."""
    data = text.encode("utf-8", "surrogatepass")
    plain = sum(1 for b in data if 32 <= b < 127 and b != 61)
    return "quoted-printable" if plain + 3 * (len(data) - plain) <= len(base64.b64encode(data)) else "base64"
