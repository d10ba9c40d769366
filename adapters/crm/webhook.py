"""CRM logging by a signed JSON webhook: each record entry POSTed, as `core.crm.crm_event` gives it,
to a URL the firm's CRM (or its middleware) listens on.

The request:

    POST <url>
    Content-Type: application/json
    X-WeChat-Bridge-Timestamp: 1763802060
    X-WeChat-Bridge-Signature: sha256=<hex HMAC-SHA256(secret, b"1763802060." + body)>
    Idempotency-Key: <thread>:<seq>

    {"id":"<thread>:<seq>","source":"wechat","thread":…}   (compact JSON, UTF-8)

The timestamp is inside the signed bytes, so a captured request cannot be replayed later: a
receiver checks both with `verify_signature` (constant time), and refuses a timestamp more than
five minutes away from its own clock. A resend (after a lost answer, a retried job) is the same
event with the same `Idempotency-Key`: the receiver keeps one.

Any 2xx is done. 408/425/429/5xx, a refused or reset connection and a timeout are `CrmUnavailable`
(with the Retry-After the receiver gave); so are 401 and 403 (the secret or the receiver's
permissions: an operator's fix, which the entries wait for); any other answer (a 4xx, a redirect)
is `CrmRejected`.
The secret never appears in a log, an exception or repr.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

import aiohttp

from adapters.http_exchange import exchange
from core.crm import CrmRejected, CrmUnavailable, crm_event, error_for_status, retry_after, snippet

SERVICE = "the CRM webhook"
TIMESTAMP_HEADER = "X-WeChat-Bridge-Timestamp"
SIGNATURE_HEADER = "X-WeChat-Bridge-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SCHEME = "sha256="
DEFAULT_TOLERANCE = 300  # seconds a timestamp may be away from the receiver's clock


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)


def signature(secret: str | bytes, timestamp: str | int, body: bytes) -> str:
    """The X-WeChat-Bridge-Signature value: `sha256=` and the hex HMAC-SHA256, keyed by `secret`,
    of `<timestamp>.` followed by the body's bytes."""
    digest = hmac.new(_key(secret), f"{timestamp}.".encode("utf-8") + body, hashlib.sha256).hexdigest()
    return SCHEME + digest


def verify_signature(secret: str | bytes, timestamp: str | int | None, body: bytes, header: str | None,
                     now: float, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """For a receiver: True if `header` (X-WeChat-Bridge-Signature) signs `body` with `timestamp`
    (X-WeChat-Bridge-Timestamp, unix seconds) under `secret`, and the timestamp is within
    `tolerance` seconds of `now`. Compares in constant time."""
    if timestamp is None or header is None or not secret:
        return False
    stamp = str(timestamp).strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return False
    if abs(now - int(stamp)) > tolerance:
        return False
    expected = signature(secret, stamp, body).encode("ascii")
    given = header.strip().encode("utf-8", "replace")
    return hmac.compare_digest(expected, given)


class WebhookCrm:
    """Logs each record entry to one webhook URL, signed with a shared secret.

    `timeout`: seconds for the whole request. `clock`: unix seconds, for the timestamp."""

    def __init__(self, url: str, secret: str, session: aiohttp.ClientSession, *, timeout: float = 10.0,
                 clock: Callable[[], float] = time.time) -> None:
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the CRM webhook URL must be an http(s) URL")
        if not secret:
            raise ValueError("the CRM webhook needs a signing secret")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.url = url
        self._secret = secret
        self._session = session
        self.timeout = float(timeout)
        self._clock = clock

    def __repr__(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"WebhookCrm({parts.scheme}://{host}{port}{parts.path}, secret=***)"  # no query, no userinfo

    def request(self, entry: Mapping[str, Any]) -> tuple[bytes, dict[str, str]]:
        """The body and headers `log` sends for `entry` (signed now)."""
        event = crm_event(entry)
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        timestamp = str(int(self._clock()))
        headers = {"Content-Type": "application/json",
                   TIMESTAMP_HEADER: timestamp,
                   SIGNATURE_HEADER: signature(self._secret, timestamp, body),
                   IDEMPOTENCY_HEADER: event["id"]}
        return body, headers

    async def log(self, entry: Mapping[str, Any], day: Sequence[Mapping[str, Any]] = ()) -> None:
        """POST the entry's event; returns on a 2xx. `day` is not used: one event per entry."""
        body, headers = self.request(entry)
        doing = f"event {headers[IDEMPOTENCY_HEADER]}"
        answer = await exchange(self._session, "POST", self.url, service=SERVICE, what=doing, timeout=self.timeout,
                                unavailable=CrmUnavailable, rejected=CrmRejected,
                                scrub=lambda text: snippet(text, hide=(self._secret,)), data=body, headers=headers)
        status, answer_body = answer.status, answer.body
        wait = retry_after(answer.headers.get("Retry-After"), self._clock())
        if 200 <= status < 300:
            return
        raise error_for_status(SERVICE, status, snippet(answer_body, hide=(self._secret,)), retry_after=wait,
                               what=doing)
