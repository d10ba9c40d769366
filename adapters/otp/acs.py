"""One-time PINs by SMS through Azure Communication Services (ACS), by its REST API signed with the
resource's access key (HMAC-SHA256). SMS only: `call` is refused.

    POST {endpoint}/sms?api-version=2021-03-07
    Content-Type: application/json
    x-ms-date: Mon, 24 Nov 2025 09:01:00 GMT
    x-ms-content-sha256: <base64 SHA-256 of the body>
    Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<signature>

    {"from": "+18445550100", "smsRecipients": [{"to": "+8613812345678"}], "message": "…",
     "smsSendOptions": {"enableDeliveryReport": false}}

The signature is the base64 HMAC-SHA256, keyed by the base64-decoded access key, of
`POST\\n<path and query>\\n<x-ms-date>;<host>;<x-ms-content-sha256>` (`sign` below): ACS refuses a
request whose date is more than 15 minutes from its clock. It answers 202 with a result per
recipient, `{"value": [{"to", "messageId", "httpStatusCode": 202, "successful": true}]}`; a
recipient's `successful: false` (httpStatusCode 400: an invalid number) is `DeliveryRejected`
(its 429 or 5xx: `DeliveryUnavailable`). 429, 408 and 5xx, timeouts and connection failures are
`DeliveryUnavailable` (with the Retry-After ACS gave); 401/403 (a wrong key) and any other 4xx
are `DeliveryRejected`.

Neither the access key nor anything of the text sent appears in a log, an exception or repr.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from email.utils import formatdate
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlsplit

import aiohttp
from yarl import URL

from adapters.http_exchange import exchange, json_of
from core.otp_delivery import (DeliveryError, DeliveryRejected, DeliveryUnavailable, is_e164, is_transient,
                               mask_number, retry_after, snippet)

log = logging.getLogger(__name__)

SERVICE = "Azure Communication Services"
SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
DEFAULT_PORTS = {"http": 80, "https": 443}


def content_hash(body: bytes) -> str:
    """The x-ms-content-sha256 header: the base64 SHA-256 of the body."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def string_to_sign(method: str, path_and_query: str, date: str, host: str, content_sha256: str) -> str:
    return f"{method.upper()}\n{path_and_query}\n{date};{host};{content_sha256}"


def sign(key: bytes, method: str, path_and_query: str, date: str, host: str, content_sha256: str) -> str:
    """The Signature of the Authorization header: base64 HMAC-SHA256 keyed by the decoded access key."""
    message = string_to_sign(method, path_and_query, date, host, content_sha256).encode("utf-8")
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def authorization(signature: str) -> str:
    return f"HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature={signature}"


def decode_key(access_key_b64: str) -> bytes:
    """The access key's bytes; ValueError (which never quotes it) when it is not base64."""
    try:
        key = base64.b64decode(access_key_b64 or "", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the ACS access key is not base64") from None
    if not key:
        raise ValueError("the ACS access key is required")
    return key


class AcsSmsSender:
    """SMS PINs through one Communication Services resource.

    `endpoint`: https://<resource>.communication.azure.com; `access_key_b64`: its access key (as
    the portal shows it); `from_number`: an E.164 number of the resource. `timeout`: seconds for a
    whole request. `clock`: unix seconds, for x-ms-date and a Retry-After date."""

    def __init__(self, endpoint: str, access_key_b64: str, from_number: str, session: aiohttp.ClientSession, *,
                 api_version: str = "2021-03-07", timeout: float = 10.0,
                 clock: Callable[[], float] = time.time) -> None:
        parts = urlsplit(endpoint or "")
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.username:
            raise ValueError("the ACS endpoint must be an http(s) URL (https://<resource>.communication.azure.com)")
        self._key = decode_key(access_key_b64)
        if not is_e164(from_number):
            raise ValueError("from_number must be an E.164 number of the ACS resource")
        if not api_version:
            raise ValueError("api_version is required")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        port = parts.port
        self.host = parts.hostname + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")
        self.endpoint = f"{parts.scheme}://{self.host}{parts.path.rstrip('/')}"
        self._scheme = parts.scheme
        self._base_path = parts.path.rstrip("/")
        self.from_number = from_number
        self._session = session
        self.api_version = api_version
        self.timeout = float(timeout)
        self._clock = clock

    @classmethod
    def from_connection_string(cls, connection_string: str, from_number: str, session: aiohttp.ClientSession,
                               **options: Any) -> "AcsSmsSender":
        """From the resource's connection string: `endpoint=https://…/;accesskey=<base64>`."""
        fields = {}
        for part in (connection_string or "").split(";"):
            name, sep, value = part.partition("=")
            if sep:
                fields[name.strip().lower()] = value.strip()
        if not fields.get("endpoint") or not fields.get("accesskey"):
            raise ValueError("an ACS connection string is endpoint=…;accesskey=…")
        return cls(fields["endpoint"], fields["accesskey"], from_number, session, **options)

    def __repr__(self) -> str:
        return (f"AcsSmsSender({self.endpoint}, access_key=***, from_number={mask_number(self.from_number)}, "
                f"api_version={self.api_version!r})")

    @property
    def path_and_query(self) -> str:
        return f"{self._base_path}/sms?api-version={quote(self.api_version, safe='-.')}"

    def request(self, to_e164: str, text: str) -> tuple[bytes, dict[str, str]]:
        """The body and headers `send_sms` sends (signed now)."""
        payload = {"from": self.from_number, "smsRecipients": [{"to": to_e164}], "message": text,
                   "smsSendOptions": {"enableDeliveryReport": False}}
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        date = formatdate(self._clock(), usegmt=True)
        digest = content_hash(body)
        signature = sign(self._key, "POST", self.path_and_query, date, self.host, digest)
        return body, {"Content-Type": "application/json", "Accept": "application/json", "x-ms-date": date,
                      "x-ms-content-sha256": digest, "Authorization": authorization(signature)}

    async def send_sms(self, to_e164: str, text: str) -> str:
        """Send `text` to `to_e164`; returns ACS's message id."""
        to = mask_number(to_e164)
        what = f"SMS to {to}"
        if not is_e164(to_e164):
            raise DeliveryRejected(f"{SERVICE}: the number is not an E.164 number ({to})")
        if not text:
            raise DeliveryRejected(f"{SERVICE}: an SMS needs a text")
        body, headers = self.request(to_e164, text)
        url = URL(f"{self._scheme}://{self.host}{self.path_and_query}", encoded=True)
        reply = await exchange(self._session, "POST", url, service=SERVICE, what=what, timeout=self.timeout,
                               unavailable=DeliveryUnavailable, rejected=DeliveryRejected, scrub=snippet, log=log,
                               data=body, headers=headers)
        status, answer = reply.status, reply.body
        wait = retry_after(reply.headers.get("Retry-After"), self._clock())
        if not 200 <= status < 300:
            error = _error(status, answer, wait, what)
            log.warning("ACS refused the %s: %s", what, error)
            raise error
        result = _recipient(json_of(answer))
        if result is None:
            raise DeliveryUnavailable(f"{SERVICE} answered HTTP {status} without a result for the recipient ({what})",
                                      status=status)
        code = result.get("httpStatusCode")
        code = code if isinstance(code, int) and not isinstance(code, bool) else None
        message_id = result.get("messageId")
        if result.get("successful") is True and isinstance(message_id, str) and message_id:
            log.info("ACS accepted the SMS to %s: %s", to, message_id)
            return message_id
        said = snippet(result.get("errorMessage"))
        detail = f": {said}" if said else ""
        log.warning("ACS refused the %s for the recipient (HTTP %s)%s", what, code, detail)
        if code is not None and is_transient(code):
            raise DeliveryUnavailable(f"{SERVICE} could not take the {what} now (recipient HTTP {code}){detail}",
                                      status=code, retry_after=wait)
        raise DeliveryRejected(f"{SERVICE} refused the {what} (recipient HTTP {code}){detail}", status=code)

    async def call(self, to_e164: str, spoken_text: str, language: str) -> str:
        raise DeliveryRejected(f"voice calls are not supported by {SERVICE} (SMS only here)")


def _recipient(answer: Any) -> Mapping[str, Any] | None:
    value = answer.get("value") if isinstance(answer, Mapping) else None
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    return None


def _error(status: int, body: bytes, wait: float | None, what: str) -> DeliveryError:
    """ACS's answer `{"error": {"code", "message"}}` to a request it refused."""
    answer = json_of(body)
    error = answer.get("error") if isinstance(answer, Mapping) else None
    if isinstance(error, Mapping):
        code = error.get("code") if isinstance(error.get("code"), str) else None
        message = error.get("message") if isinstance(error.get("message"), str) else ""
        said = snippet(f"{code}: {message}" if code and message else code or message)
    else:
        code, said = None, snippet(body)
    detail = f": {said}" if said else ""
    if is_transient(status):
        after = f"; retry after {wait:g} s" if wait is not None else ""
        return DeliveryUnavailable(f"{SERVICE} is unavailable for the {what} (HTTP {status}{after}){detail}",
                                   status=status, code=code, retry_after=wait)
    hint = "; check the access key and the endpoint" if status in (401, 403) else ""
    return DeliveryRejected(f"{SERVICE} refused the {what} (HTTP {status}{hint}){detail}", status=status, code=code)
