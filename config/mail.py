"""E-mail over SMTP: the compliance archive's journaling (ARCHIVE_*) and the notices to employees
(MAIL_*), each with its own server (<PREFIX>_SMTP_*)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from config.env import Env, Secret, choice, text, whole_number
from core.journal import JournalError, JournalSettings, is_address


@dataclass(frozen=True)
class SmtpSettings:
    """An SMTP server (<PREFIX>_SMTP_*): where and how."""

    host: str
    port: int
    tls: str  # starttls (required) | tls (from the first byte) | auto (STARTTLS when offered) | none
    username: str | None
    password: Secret | None

    def relay_options(self) -> dict[str, Any]:
        """SmtpRelay's keyword arguments (adapters/smtp.py)."""
        return {"username": self.username, "password": str(self.password) if self.password else None,
                "starttls": {"auto": None, "starttls": True, "tls": False, "none": False}[self.tls],
                "use_tls": self.tls == "tls"}


@dataclass(frozen=True)
class ArchiveSettings:
    """The compliance archive's SMTP journaling (ARCHIVE_*): where, how, and how messages look."""

    smtp: SmtpSettings
    journal: JournalSettings
    alert_to: str | None = None  # compliance's address for DLP flags
    max_message_bytes: int = 25 * 1024 * 1024  # one journal message; media beyond it go as links


@dataclass(frozen=True)
class MailSettings:
    """E-mail to employees (MAIL_*): a new guest for them, at their notification address."""

    smtp: SmtpSettings
    sender: str  # MAIL_FROM


def _smtp(env: Env, prefix: str, problems: list[str]) -> SmtpSettings | None:
    """<prefix>_SMTP_HOST, _PORT, _USERNAME, _PASSWORD, _TLS; None without a host."""
    host = text(env, f"{prefix}_SMTP_HOST")
    if not host:
        return None
    username, password = text(env, f"{prefix}_SMTP_USERNAME"), env.get(f"{prefix}_SMTP_PASSWORD", "")
    if bool(username) != bool(password):
        problems.append(f"{prefix}_SMTP_USERNAME and {prefix}_SMTP_PASSWORD: set both, or neither")
    tls = choice(env, f"{prefix}_SMTP_TLS", "auto", ("auto", "starttls", "tls", "none"), problems)
    if username and tls == "none":
        problems.append(f"{prefix}_SMTP_TLS: none would send {prefix}_SMTP_PASSWORD in the clear; use starttls or tls")
    if username and tls == "auto":
        tls = "starttls"  # a server that does not offer it (or an attacker who strips it) gets no password
    return SmtpSettings(host=host, port=whole_number(env, f"{prefix}_SMTP_PORT", 25, problems, 1, 65535), tls=tls,
                        username=username or None, password=Secret(password) if password else None)


def archive_settings(env: Env, problems: list[str]) -> ArchiveSettings | None:
    smtp = _smtp(env, "ARCHIVE", problems)
    if smtp is None:
        return None
    headers: Any = {}
    raw_headers = text(env, "ARCHIVE_EXTRA_HEADERS")
    if raw_headers:
        try:
            headers = json.loads(raw_headers)
        except ValueError:
            headers = None
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            problems.append('ARCHIVE_EXTRA_HEADERS: expected a JSON object of strings, e.g. '
                            '{"X-GlobalRelay-MsgType": "WeChat"}')
            headers = {}
    try:
        journal = JournalSettings(
            sender_domain=text(env, "ARCHIVE_SENDER_DOMAIN"), journal_to=text(env, "ARCHIVE_JOURNAL_TO"),
            extra_headers=headers, thread_header=text(env, "ARCHIVE_THREAD_HEADER") or None,
            internal_entries=choice(env, "ARCHIVE_INTERNAL_ENTRIES", "off", ("on", "off"), problems) == "on")
    except JournalError as exc:
        problems.append(f"ARCHIVE_SENDER_DOMAIN / ARCHIVE_JOURNAL_TO / ARCHIVE_EXTRA_HEADERS / "
                        f"ARCHIVE_THREAD_HEADER: {exc}")
        return None
    alert_to = text(env, "ARCHIVE_ALERT_TO") or None
    if alert_to and not is_address(alert_to):
        problems.append(f"ARCHIVE_ALERT_TO: not an e-mail address: {alert_to!r}")
    max_bytes = whole_number(env, "ARCHIVE_MAX_MESSAGE_BYTES", 25 * 1024 * 1024, problems, 1024 * 1024, 2**31 - 1)
    return ArchiveSettings(smtp=smtp, journal=journal, alert_to=alert_to, max_message_bytes=max_bytes)


def mail_settings(env: Env, problems: list[str]) -> MailSettings | None:
    smtp = _smtp(env, "MAIL", problems)
    if smtp is None:
        return None
    sender = text(env, "MAIL_FROM")
    if not is_address(sender):
        problems.append(f"MAIL_FROM: required with MAIL_SMTP_HOST, an e-mail address, got {sender!r}")
    return MailSettings(smtp=smtp, sender=sender)
