"""The compliance archive over SMTP journaling: each record entry's message (core/journal/)
sent to the archive's journaling address (Smarsh, Global Relay, Proofpoint, Veritas …).

Journaling: the SMTP envelope goes to the archive (`journal_to`), whatever the message's headers
say; the headers show the conversation's real parties. Delivery is at least once, driven by a
durable job: `deliver` returns once the archive took the message, or raises SmtpUnavailable /
SmtpRejected (adapters/smtp.py). A resend after an answer that was lost sends the same message
again: same bytes, same Message-ID, which the archive recognises as a duplicate.
"""
from __future__ import annotations

import logging
from email.message import EmailMessage
from typing import Sequence

from adapters.smtp import SmtpRelay
from core.journal import JournalSettings, is_address

log = logging.getLogger(__name__)


class SmtpArchive(SmtpRelay):
    """Journal messages to `journal_to` through one SMTP server (options: SmtpRelay's)."""

    def __init__(self, host: str, port: int = 25, *, journal_to: str, **options) -> None:
        super().__init__(host, port, **options)
        if not is_address(journal_to):
            raise ValueError(f"journal_to {journal_to!r} is not an e-mail address")
        self.journal_to = journal_to

    @classmethod
    def for_journal(cls, settings: JournalSettings, host: str, port: int = 25, **options) -> "SmtpArchive":
        """An archive for `settings`: the envelope to its `journal_to`, from its system address."""
        return cls(host, port, journal_to=settings.journal_to, envelope_from=settings.system_address, **options)

    async def deliver(self, message: EmailMessage, also_to: Sequence[str] = (), *, data: bytes | None = None) -> None:
        """Send `message` (as `data`, when given) to the archive's journaling address (and `also_to`,
        e.g. the compliance team's alert address); returns once the server took it for the archive."""
        refused = await self.send(message, [self.journal_to, *also_to], data=data)
        if self.journal_to in refused:  # taken for the others only: the archive still needs it
            response = refused[self.journal_to]
            raise self._answer("RCPT", response.code, response.message)
        for address, response in refused.items():
            log.warning("archive %s:%d refused recipient %s of %s: %s %s", self.host, self.port, address,
                        message.get("Message-ID", ""), response.code, response.message)
