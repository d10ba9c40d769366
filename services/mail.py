"""E-mail to an employee at their notification address (MAIL_*; the address: the employee
directory's `notify_email`): told of a new guest besides Teams. Each message is a durable job with
a fixed id, so it is sent at least once and carries one Message-ID however often it is retried.
"""
from __future__ import annotations

import hashlib
import logging
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from core.clock import Clock
from core.mail_relay import MailRelay, SmtpRejected
from services.job_kinds import NOTIFY_MAIL
from services.jobs import Job, effect
from services.worker import Worker

log = logging.getLogger(__name__)


class MailNotices:
    def __init__(self, *, worker: Worker, relay: MailRelay, sender: str, clock: Clock) -> None:
        self.worker = worker
        self.relay = relay
        self.sender = sender
        self.clock = clock

    async def tell(self, ident: str, to: str, subject: str, text: str) -> None:
        """Queue the e-mail `ident` (once per ident)."""
        await self.worker.enqueue(NOTIFY_MAIL, f"mail:{ident}", {"to": to, "subject": subject, "text": text,
                                                          "at": self.clock.now()}, pk=to)

    async def send(self, job: Job) -> dict[str, Any]:
        p = job.payload
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = p["to"]
        message["Subject"] = p["subject"]
        message["Date"] = formatdate(p["at"], usegmt=True)
        domain = self.sender.rsplit("@", 1)[-1]
        message["Message-ID"] = f"<{hashlib.sha256(job.id.encode()).hexdigest()[:32]}@{domain}>"
        message.set_content(p["text"])
        async def send() -> dict[str, Any]:
            try:
                await self.relay.send(message, [p["to"]])  # SmtpUnavailable: the job is tried again later
            except SmtpRejected as exc:  # this address will not take it: told in Teams, that is enough
                log.warning("the notification e-mail %s was refused for good: %s", job.id, exc)
                return {"sent": False, "code": exc.code}
            return {"sent": True}

        return await effect("smtp", send)
