"""What the services ask of SMTP: send a message to its recipients through the firm's relay (the
e-mail that tells an employee of a new guest), or journal one to the compliance archive (and to
whom else it concerns). The port adapters/smtp.py and adapters/archive/smtp.py implement (and the
tests' fakes). Pure: no I/O.

A delivery that failed raises `SmtpUnavailable` (nothing is known to be sent; trying again later
may work) or `SmtpRejected` (refused for good: the same bytes will not go through).
"""
from __future__ import annotations

from email.message import EmailMessage
from typing import Any, Mapping, Protocol, Sequence


class SmtpError(Exception):
    """Delivery failed. `code`: the SMTP reply code, when the server gave one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SmtpUnavailable(SmtpError):
    """Transient: try again later (with backoff); the message is not known to be sent."""


class SmtpRejected(SmtpError):
    """Permanent: the server refused this message (5xx); sending it again will not help."""


class MailRelay(Protocol):
    async def send(self, message: EmailMessage, recipients: Sequence[str]) -> Mapping[str, Any]:
        """Send `message` to `recipients`: the recipients the server refused (the others took it);
        SmtpRejected when it refused them all."""


class JournalArchive(Protocol):
    async def deliver(self, message: EmailMessage, also_to: Sequence[str] = (), *, data: bytes | None = None) -> None:
        """Journal `message` to the archive (and to `also_to`, e.g. compliance's alert address);
        returns once the archive took it. `data`: the message's bytes when they are more than
        `message` holds (its media streamed in after its parts: services/journal_media.py)."""
