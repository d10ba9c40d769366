"""Mail over SMTP: one message to its recipients, through the firm's relay (the compliance
archive's journaling, adapters/archive/smtp.py; the e-mail that tells an employee of a new guest).

One connection per delivery, so a relay that restarted or dropped an idle connection costs
nothing. `send` either returns (the server took the message: 250 after DATA, for the recipients
it did not refuse) or raises
- `SmtpUnavailable`: nothing is known to be sent and trying again later may work (refused
  connection, timeout, a dropped connection, a 4xx reply; also any failure before the message is
  offered: TLS, EHLO, AUTH — those are the set-up's, not the message's, and must wait for it to be
  fixed rather than be given up);
- `SmtpRejected`: the server refused this message for good (a 5xx reply to MAIL, RCPT or DATA,
  but 530/534/538, which ask for AUTH or TLS first); retrying the same bytes will not help.
The password is never logged nor shown in repr.
"""
from __future__ import annotations

import asyncio
import logging
import ssl
from email.message import EmailMessage
from typing import Sequence

import aiosmtplib

from core.journal import POLICY, is_address
from core.mail_relay import SmtpError, SmtpRejected, SmtpUnavailable  # the port's errors, raised here

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# 5xx replies about the connection's set-up, not the message: authentication or TLS required (530),
# authentication mechanism too weak (534), encryption required for it (538). Fixing the
# configuration makes the same message go through, so they are SmtpUnavailable.
SETUP_CODES = frozenset({530, 534, 538})


class SmtpRelay:
    """Sends messages through one SMTP server.

    `starttls`: True requires STARTTLS, False never upgrades, None upgrades when the server offers
    it. `use_tls`: TLS from the first byte (port 465); excludes `starttls`. `timeout`: seconds for
    each step (connect, each command, the data). `username`/`password`: SMTP AUTH after connecting.
    """

    def __init__(self, host: str, port: int = 25, *, envelope_from: str,
                 username: str | None = None, password: str | None = None,
                 starttls: bool | None = None, use_tls: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 validate_certs: bool = True, tls_context: ssl.SSLContext | None = None,
                 local_hostname: str | None = None) -> None:
        if not host:
            raise ValueError("the SMTP host is required")
        if not 0 < int(port) < 65536:
            raise ValueError(f"port {port} is not a TCP port")
        if use_tls and starttls:
            raise ValueError("use_tls (TLS from the start) and starttls (upgrade) exclude each other")
        if not is_address(envelope_from):
            raise ValueError(f"envelope_from {envelope_from!r} is not an e-mail address")
        if (username is None) != (password is None):
            raise ValueError("give both username and password, or neither")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.host, self.port = host, int(port)
        self.envelope_from = envelope_from
        self.username = username
        self._password = password
        self.starttls, self.use_tls, self.timeout = (False if use_tls else starttls), use_tls, float(timeout)
        self.validate_certs, self.tls_context, self.local_hostname = validate_certs, tls_context, local_hostname

    def __repr__(self) -> str:
        auth = f", username={self.username!r}, password=***" if self.username is not None else ""
        tls = "tls" if self.use_tls else {True: "starttls", False: "plain", None: "starttls-if-offered"}[self.starttls]
        return f"{type(self).__name__}({self.host}:{self.port}, {tls}{auth})"

    async def send(self, message: EmailMessage, recipients: Sequence[str], *,
                   data: bytes | None = None) -> dict[str, aiosmtplib.SMTPResponse]:
        """Send `message` to `recipients`; returns the recipients the server refused (the others
        took it). SmtpRejected when it refused them all for good. `data`: the bytes to send, when
        they are more than `message` (a journal message with its media)."""
        data = data if data is not None else message.as_bytes(policy=POLICY)  # CRLF, 7-bit
        smtp = aiosmtplib.SMTP(hostname=self.host, port=self.port, username=self.username,
                               password=self._password, timeout=self.timeout, use_tls=self.use_tls,
                               start_tls=self.starttls, validate_certs=self.validate_certs,
                               tls_context=self.tls_context, local_hostname=self.local_hostname)
        try:
            try:
                await smtp.connect()
            except Exception as exc:  # every failure to set up is the set-up's
                raise self._unavailable("connect", exc) from exc
            try:
                refused, _ = await smtp.sendmail(self.envelope_from, list(recipients), data)
            except aiosmtplib.SMTPRecipientsRefused as exc:
                codes = [r.code for r in exc.recipients]
                raise self._answer("RCPT", min(codes) if codes else None,
                                   "; ".join(f"{r.code} {r.message}" for r in exc.recipients)) from exc
            except aiosmtplib.SMTPResponseException as exc:
                raise self._answer("send", exc.code, exc.message) from exc
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
                raise self._unavailable("send", exc) from exc
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
                pass  # the message was accepted: how the goodbye went does not matter
        finally:
            smtp.close()
        log.info("sent %s (%d bytes) via %s:%d", message.get("Message-ID", ""), len(data), self.host, self.port)
        return dict(refused)

    def _unavailable(self, step: str, exc: BaseException) -> SmtpUnavailable:
        code = getattr(exc, "code", None)
        text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        log.warning("SMTP %s:%d unavailable (%s): %s", self.host, self.port, step, text)
        return SmtpUnavailable(f"SMTP {self.host}:{self.port} unavailable ({step}): {text}",
                               code if isinstance(code, int) else None)

    def _answer(self, step: str, code: int | None, text: str) -> SmtpError:
        if code is not None and 500 <= code < 600 and code not in SETUP_CODES:
            log.warning("SMTP %s:%d rejected a message (%s): %s %s", self.host, self.port, step, code, text)
            return SmtpRejected(f"SMTP {self.host}:{self.port} rejected the message ({step}): {code} {text}", code)
        log.warning("SMTP %s:%d deferred a message (%s): %s %s", self.host, self.port, step, code, text)
        return SmtpUnavailable(f"SMTP {self.host}:{self.port} deferred the message ({step}): {code} {text}", code)
