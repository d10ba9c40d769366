"""What the bridge tells operators about its work: a few counts and timings, and spans around requests, turns,
jobs and outside calls. The port, its no-op default and the process's current one. Pure.

Process-wide, like logging: app.py and worker.py install one at start-up (`use`) where
APPLICATIONINSIGHTS_CONNECTION_STRING is set (adapters/telemetry.py: OpenTelemetry to Azure Monitor), and code
reads it where something happens (`telemetry()`), so no constructor carries it. Without one every call costs a
no-op. Attribute values are words of small fixed sets (a kind, a result, an errcode) or a guest's reference
(core/log_fields.guest_ref): never an openid, a PIN, a message's text or a secret.
"""
from __future__ import annotations

import contextlib
from typing import ContextManager, Protocol

Attribute = str | int


class Telemetry(Protocol):
    def message_in(self, msg_type: str) -> None:
        """WeChat pushed a message or event, and it was accepted (persisted as a job)."""

    def message_out(self, kind: str, result: str) -> None:
        """A message to a guest was sent to WeChat: `kind` employee, system, notice or template; `result`
        sent, refused, unconfirmed or failed (a transient failure: tried again)."""

    def teams_call(self, operation: str, status: int) -> None:
        """A call to the Bot Connector (send, update, create_conversation …) ended: 200 taken, else the HTTP
        status of its refusal (429: throttled; 0: no answer)."""

    def wechat_refused(self, errcode: int) -> None:
        """WeChat's API answered a call with a non-zero errcode."""

    def dlp_acted(self, action: str, direction: str) -> None:
        """A DLP rule acted on a message: `action` flag, redact, block or allow; `direction` inbound or outbound."""

    def job_started(self, kind: str, lag_seconds: float) -> None:
        """A job began to run, `lag_seconds` after it was due."""

    def span(self, name: str, **attributes: Attribute) -> ContextManager[None]:
        """A span around what runs inside (a request, a turn, a job, an outside call)."""


class NoTelemetry:
    """Nothing recorded: the default, and what runs without a connection string."""

    def message_in(self, msg_type: str) -> None:
        pass

    def message_out(self, kind: str, result: str) -> None:
        pass

    def teams_call(self, operation: str, status: int) -> None:
        pass

    def wechat_refused(self, errcode: int) -> None:
        pass

    def dlp_acted(self, action: str, direction: str) -> None:
        pass

    def job_started(self, kind: str, lag_seconds: float) -> None:
        pass

    def span(self, name: str, **attributes: Attribute) -> ContextManager[None]:
        return _NOTHING


class _Nothing(contextlib.AbstractContextManager[None]):
    def __exit__(self, *exc: object) -> None:
        return None


_NOTHING = _Nothing()  # reusable and reentrant, unlike a generator's context manager
_current: Telemetry = NoTelemetry()


def telemetry() -> Telemetry:
    return _current


def use(chosen: Telemetry) -> Telemetry:
    """Make `chosen` the process's telemetry; returns the one before (to put back when stopping)."""
    global _current
    previous, _current = _current, chosen
    return previous
