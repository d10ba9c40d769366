"""How record entries become e-mail for one deployment: the domain of the made-up addresses, the
archive's journaling address, extra headers (checked: none may replace the journal's own), and
employees' real addresses."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Union

from core.journal.names import DOMAIN, is_address, local_part

SYSTEM_LOCAL_PART = "wechat-bridge"

# The headers the builder sets itself: an extra header may not replace one of them.
_OWN_HEADERS = frozenset(h.lower() for h in (
    "Message-ID", "Date", "From", "To", "Cc", "Bcc", "Subject", "In-Reply-To", "References",
    "MIME-Version", "Sender", "Reply-To", "Return-Path", "Received", "X-DLP-Action", "X-DLP-Rules",
    "X-Teams-Activity-Id"))
_OWN_PREFIXES = ("content-", "x-wechat-", "resent-")

_FIELD_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext: printable US-ASCII but ':'

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
    `thread_header`: a header the archive threads conversations by, where it has one (the messages of a
    conversation also reply to one id: core/journal/communication_message.py).
    `internal_entries`: the record's entries that hold no communication (timers, joins, legal holds) are
    journaled too, each as itself, marked `X-WeChat-Internal`; by default only communications are.
    `employee_addresses`: an employee's real e-mail address by Azure AD object id (a mapping or a
    function returning None when unknown); employees without one get the made-up address.
    """

    sender_domain: str
    journal_to: str
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    employee_addresses: EmployeeAddresses | None = None
    thread_header: str | None = None  # the archive's own thread header (its value: the guest's openid)
    internal_entries: bool = False  # journal the entries that hold no communication too, marked internal

    def __post_init__(self) -> None:
        domain = self.sender_domain.strip().lower() if isinstance(self.sender_domain, str) else ""
        if len(domain) > 200 or not DOMAIN.fullmatch(domain):
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
        if self.thread_header is not None and (
                not isinstance(self.thread_header, str) or not _FIELD_NAME.fullmatch(self.thread_header)
                or self.thread_header.lower() in _OWN_HEADERS or self.thread_header.lower().startswith(_OWN_PREFIXES)
                or self.thread_header.lower() in seen):
            raise JournalError(f"thread_header {self.thread_header!r} is not a header the journal may set")
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
        return f"{local_part(openid)}@wechat.{self.sender_domain}"

    def inbox_address(self, channel_id: str) -> str:
        """A team channel a guest's message was posted in: `inbox-<channel id, its punctuation as
        dashes>@teams.<domain>` (19:abc@thread.tacv2: inbox-19-abc-thread-tacv2)."""
        readable = "inbox-" + re.sub(r"[^A-Za-z0-9]+", "-", channel_id).strip("-")
        return f"{local_part(readable)}@teams.{self.sender_domain}"

    def employee_address(self, aad: str) -> str:
        """The employee's real address where known (and valid), else `<aad>@teams.<domain>`."""
        known = self.employee_addresses
        real = known(aad) if callable(known) else (known or {}).get(aad)
        if isinstance(real, str) and is_address(real.strip()):
            return real.strip()
        return f"{local_part(aad)}@teams.{self.sender_domain}"
