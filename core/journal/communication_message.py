"""One communication (core/journal/communication.py) as one journal message, as its people sent and
received it: From the writer, To and Cc whom it was for, the body exactly as delivered (as written, when
it was not), the same bytes every time.

`Message-ID` is `<c<index>.<entry hash[:40]>@<domain>>`: stable, and it names the entry it comes from.
Every communication of a conversation has the same Subject and replies to the conversation's own id
(`<<openid>.conversation@<domain>>` in `In-Reply-To` and `References`), so an archive threads them all
together, whatever order they arrive in; `JournalSettings.thread_header` names the archive's own thread
header where it has one. The entry it comes from is attached (canonical JSON: its hash checks from the
archive alone); a message not delivered, or not confirmed, says why in a second part and in headers.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from types import MappingProxyType
from typing import Any, Mapping

from core.journal.communication import BOT, DELIVERED, FROM_GUEST, GUEST, INBOX, Communication, Party
from core.journal.entry import mapping_field
from core.journal.media import MediaNote, boundary, media_lines
from core.journal.message import (CHANNEL, POLICY, SYSTEM_NAME, UNKNOWN_EMPLOYEE_LOCAL_PART, eml, shortest_cte,
                                  with_record_parts)
from core.journal.names import clean, file_part, local_part, shown_name
from core.journal.settings import JournalSettings

DELIVERY_PART_LABEL = "Delivery"


def communication_id(c: Communication, settings: JournalSettings) -> str:
    return f"<c{c.index}.{c.entry_hash[:40]}@{settings.sender_domain}>"


def conversation_id(thread: str, settings: JournalSettings) -> str:
    """The id every communication of a conversation replies to: what threads them together."""
    return f"<{local_part(thread)}.conversation@{settings.sender_domain}>"


def subject(thread: str, names: Mapping[str, str]) -> str:
    """The same for every message of the conversation."""
    name = shown_name(names, thread)
    return clean(f"WeChat conversation with {name} ({thread})" if name else f"WeChat conversation {thread}")


def address(party: Party, settings: JournalSettings, names: Mapping[str, str]) -> Address:
    if party.role == GUEST:
        return Address(display_name=shown_name(names, party.id), addr_spec=settings.contact_address(party.id))
    if party.role == BOT:
        return Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)
    if party.role == INBOX:  # the team channel: named by the sub-organization it is the inbox of
        shown = clean(party.name) or shown_name(names, party.id)
        return Address(display_name=f"{shown} (WeChat inbox)" if shown else "WeChat inbox",
                       addr_spec=settings.inbox_address(party.id))
    shown = clean(party.name) or shown_name(names, party.id)
    if not party.id:  # a writer the record names but does not tie to an id: named, never guessed
        return Address(display_name=shown or "Unknown employee",
                       addr_spec=f"{UNKNOWN_EMPLOYEE_LOCAL_PART}@teams.{settings.sender_domain}")
    return Address(display_name=shown, addr_spec=settings.employee_address(party.id))


def communication_eml(c: Communication, entry: Mapping[str, Any], settings: JournalSettings, *,
                      names: Mapping[str, str] = MappingProxyType({}),
                      media: Mapping[str, MediaNote] = MappingProxyType({})) -> EmailMessage:
    """`entry`: the sealed entry `c` comes from. `media`: what became of its media (said in the delivery
    part; the attachments themselves are streamed in after it: services/journal_media.py)."""
    def people(parties: tuple[Party, ...]) -> list[Address]:
        return [address(p, settings, names) for p in parties]

    dlp = mapping_field(entry, "dlp") if c.rules else None
    push = (mapping_field(entry, "push") or {}) if c.kind == FROM_GUEST else {}  # as WeChat pushed it
    msg = EmailMessage(policy=POLICY)
    msg["Message-ID"] = communication_id(c, settings)
    msg["Date"] = datetime.fromtimestamp(c.at, timezone.utc)
    msg["From"] = address(c.sender, settings, names)
    msg["To"] = people(c.to) or [Address(display_name=SYSTEM_NAME, addr_spec=settings.system_address)]
    if c.cc:
        msg["Cc"] = people(c.cc)
    msg["Subject"] = subject(c.thread, names)
    msg["In-Reply-To"] = msg["References"] = conversation_id(c.thread, settings)
    for header, value in (
            ("X-WeChat-Channel", CHANNEL), ("X-WeChat-Thread", c.thread), ("X-WeChat-Communication", c.kind),
            ("X-WeChat-Delivery", c.delivery), ("X-WeChat-Not-Delivered-Reason", c.reason),
            ("X-WeChat-Seq", str(c.seq)), ("X-WeChat-Part", str(c.index)), ("X-WeChat-Record-Hash", c.entry_hash),
            ("X-WeChat-Bridge-Message-Id", c.message_id), ("X-WeChat-Notice", c.notice),
            ("X-WeChat-MsgId", str(push.get("msg_id") or "")), ("X-WeChat-Msg-Type", str(push.get("msg_type") or "")),
            ("X-DLP-Action", str(dlp.get("action") or "unknown") if dlp is not None else ""),
            ("X-DLP-Rules", ", ".join(c.rules))):
        if clean(value):
            msg[header] = clean(value)
    if settings.thread_header:
        msg[settings.thread_header] = clean(c.thread)
    for header, value in settings.extra_headers.items():
        msg[header] = value

    # The body exactly as delivered: its UTF-8 bytes, line ends and all, not re-encoded as text.
    body = c.body.encode("utf-8", "surrogatepass")
    msg.set_content(body, maintype="text", subtype="plain", cte=shortest_cte(c.body), params={"charset": "utf-8"})
    note = delivery_note(c, entry, media)
    if note:
        msg.add_attachment(note, charset="utf-8", cte=shortest_cte(note), disposition="inline",
                           filename=f"delivery-{file_part(c.thread)}-{c.seq}-{c.index}.txt",
                           headers=[f"Content-Description: {DELIVERY_PART_LABEL}"])
    return with_record_parts(msg, entry, dlp, communication_boundary(c),
                             "The compliance record entry it comes from (canonical JSON)")


def communication_boundary(c: Communication) -> str:
    """Its MIME boundary, from its entry's hash and its index: the same communication, the same bytes."""
    return boundary(f"{c.entry_hash[:30]}{c.index:02d}")


def delivery_note(c: Communication, entry: Mapping[str, Any], media: Mapping[str, MediaNote]) -> str:
    """Why it was not delivered (or not confirmed), and its media: "" for a plain delivered text."""
    lines = [] if c.delivery == DELIVERED else [f"Delivery: {c.delivery}"]
    if c.reason:
        lines.append(f"Reason: {c.reason}")
    if c.rules:
        lines.append(f"DLP rules: {', '.join(c.rules)}")
    if c.media:
        lines += media_lines(entry, media)
    return "\r\n".join(lines).strip("\r\n") + "\r\n" if lines else ""


INTERNAL_HEADER = "X-WeChat-Internal"


def internal_eml(entry: Mapping[str, Any], settings: JournalSettings, names: Mapping[str, str],
                 media: Mapping[str, MediaNote]) -> EmailMessage:
    """An entry that holds no communication (a timer, a join, a legal hold), as itself, marked internal:
    never the only carrier of what a person said or received."""
    message = eml(entry, settings, names=names, media=media)
    message[INTERNAL_HEADER] = "yes: a record entry, not a communication"
    message.replace_header("Subject", f"[internal] {message['Subject']}")
    return message
