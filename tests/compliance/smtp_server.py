"""A real SMTP server for the archive tests: aiosmtpd on 127.0.0.1, on the test's own event loop.

`SmtpServer` listens on a free port (port 0 the first time), keeps every message it accepted
(envelope and raw bytes), and can be stopped and started again on the same port: the archive
"down for a while". A recipient in `reject` gets a 5xx at RCPT, one in `defer` a 4xx. `stop()`
closes the listener and every open session, so nothing is left running after the test.

Running the server on the test's loop (rather than aiosmtpd's threaded `Controller`, whose loop
dies with its thread and cannot restart) keeps it deterministic: when `deliver` returns, the
server has already handed the message to `handle_DATA`, so tests never wait on time.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import warnings
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # as it came over DATA (dot-unstuffed)
    authenticated_as: str | None = None

    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    """aiosmtpd handler hooks: accept, reject (5xx) or defer (4xx) recipients; keep what arrives."""

    received: list[Received] = field(default_factory=list)
    reject: dict[str, str] = field(default_factory=dict)  # recipient -> "550 …"
    defer: dict[str, str] = field(default_factory=dict)  # recipient -> "451 …"
    data_reply: str | None = None  # e.g. "554 5.6.0 message refused": refuse every DATA

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.reject:
            return self.reject[address]
        if address in self.defer:
            return self.defer[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return self.data_reply
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(Received(envelope.mail_from or "", tuple(envelope.rcpt_tos),
                                      bytes(envelope.original_content or b""), login))
        return "250 2.0.0 OK: archived"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 on the running loop. `credentials`: require AUTH with these."""

    def __init__(self, handler: Handler | None = None, *, credentials: tuple[str, str] | None = None,
                 **smtp_options: Any) -> None:
        self.handler = handler or Handler()
        self.credentials = credentials
        self.smtp_options = smtp_options
        self.port: int | None = None
        self._server: asyncio.AbstractServer | None = None
        self._sessions: list[SMTP] = []

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def running(self) -> bool:
        return self._server is not None

    def _factory(self) -> SMTP:
        options: dict[str, Any] = {"hostname": "archive.test", **self.smtp_options}
        if self.credentials is not None:
            options.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=False)
        with warnings.catch_warnings():  # AUTH without TLS: what the test means to do
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
            smtp = SMTP(self.handler, **options)
        self._sessions = [s for s in self._sessions if s.transport is not None] + [smtp]
        return smtp

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and self.credentials is not None
              and (auth_data.login.decode(), auth_data.password.decode()) == self.credentials)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def start(self) -> int:
        """Listen (on the port of the last run, if any); returns the port."""
        assert self._server is None, "already running"
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._factory, HOST, self.port or 0, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening and end every open session (the server is gone, not just busy)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        tasks = []
        for session in self._sessions:
            if session.transport is not None:
                session.transport.close()
            task = getattr(session, "_handler_coroutine", None)
            if task is not None and not task.done():
                task.cancel()
                tasks.append(task)
        self._sessions = []
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()

    async def __aenter__(self) -> "SmtpServer":
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()


class SilentServer:
    """Accepts TCP connections and never says a word: an archive that hangs (for timeouts)."""

    def __init__(self) -> None:
        self.port: int | None = None
        self._server: asyncio.AbstractServer | None = None
        self._gone = asyncio.Event()
        self._sessions: list[asyncio.Task] = []

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._sessions.append(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await self._gone.wait()
        finally:
            writer.close()

    async def __aenter__(self) -> "SilentServer":
        self._server = await asyncio.start_server(self._session, HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._gone.set()
        assert self._server is not None
        self._server.close()
        await asyncio.gather(*self._sessions, return_exceptions=True)
        await self._server.wait_closed()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]
