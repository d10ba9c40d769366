"""The PIN delivery providers, simulated: Twilio's Messages and Calls and Azure Communication
Services' SMS. aiohttp applications for the tests and the local sandbox, each recording what it
receives (bodies included, so a test can read the PIN; the simulators never log them).

Twilio (`create_twilio_simulator`), as the real service answers:
  POST /2010-04-01/Accounts/<AccountSid>/Messages.json   HTTP basic auth SID:token; form To, From
       or MessagingServiceSid, Body: 201 {sid: "SM…", status: "queued", to, from, body, …}
  POST /2010-04-01/Accounts/<AccountSid>/Calls.json      form To, From, Twiml (or Url):
       201 {sid: "CA…", status: "queued", …}; the TwiML's <Say> text and language are recorded
  Refusals are {code, message, more_info, status}: no or wrong credentials 401 code 20003 (with
  WWW-Authenticate); another account's URL 404 code 20404; To not E.164 400 code 21211; no To
  21604, no Body 21602, no From 21603 (a From outside `from_numbers`, when given: 21659);
  TwiML that does not parse 400 code 12100. Twilio's magic test numbers as To: +15005550001
  21211 (invalid), +15005550002 21612 (cannot route), +15005550003 21408 (region not enabled),
  +15005550004 21610 (opted out), +15005550009 21614 (not a mobile number).
Control: `app[TWILIO_STATE]`: messages, calls, requests, fail_next(status, code, times,
retry_after), last_message(to), last_call(to); `GET /sim/messages`, `GET /sim/calls`,
`POST /sim/fail_next {status, code?, times?, retry_after?}`, `POST /sim/reset`.

Azure Communication Services (`create_acs_simulator`):
  POST /sms?api-version=2021-03-07   JSON {from, smsRecipients: [{to}], message, smsSendOptions},
       HMAC-SHA256 signed (adapters/otp/acs.py): the signature recomputed from the method, the path
       and query as sent, x-ms-date, the host (the Host header, or `host`) and x-ms-content-sha256;
       that hash checked against the body; x-ms-date within 15 minutes of the clock. Anything
       wrong: 401 {"error": {"code": "Denied", "message": …}}. No api-version: 400
       MissingApiVersionParameter; a body that is not a request: 400 BadRequest.
       Else 202 {"value": [{to, messageId, httpStatusCode: 202, successful: true, …}]}, a
       recipient not E.164 (or made to fail with `fail_recipient`) with httpStatusCode 400,
       successful false and an errorMessage.
Control: `app[ACS_STATE]`: messages, requests, fail_next(status, times, retry_after),
fail_recipient(number, status, message); `GET /sim/messages`, `POST /sim/fail_next`, `POST /sim/reset`.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import hmac
import json
import logging
import re
import secrets
import xml.etree.ElementTree as ElementTree
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Callable, Iterable, Union

from aiohttp import web

from adapters.otp.acs import SIGNED_HEADERS, content_hash, sign
from core.clock import Clock, SystemClock
from simulators.control import json_control

ClockLike = Union[Clock, Callable[[], float]]
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def _now(clock: ClockLike) -> float:
    return clock.now() if hasattr(clock, "now") else clock()  # type: ignore[operator, union-attr]


@dataclass
class Injected:
    status: int
    code: int | None = None
    retry_after: float | str | None = None


# --- Twilio --------------------------------------------------------------------------------------

TWILIO_MESSAGES = {
    12100: "Document parse failure",
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    20503: "Service unavailable",
    21211: "The 'To' number {to} is not a valid phone number.",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21205: "Url parameter is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number via SMS.",
    21614: "'To' number {to} is not a valid mobile number",
    21659: "'From' {sender} is not a Twilio phone number or Short Code country mismatch",
}
MAGIC_NUMBERS = {"+15005550001": 21211, "+15005550002": 21612, "+15005550003": 21408, "+15005550004": 21610,
                 "+15005550009": 21614}
_DEFAULT_CODES = {429: 20429, 500: 20500, 503: 20503}


@dataclass
class TwilioMessage:
    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    created_at: float


@dataclass
class TwilioCall:
    sid: str
    to: str
    from_: str
    twiml: str
    said: str  # the text of the <Say> verbs, joined
    language: str | None  # the first <Say>'s language
    voice: str | None
    created_at: float


@dataclass
class TwilioRequest:
    resource: str  # "Messages" or "Calls"
    status: int
    authenticated: bool
    to: str | None = None


class TwilioError(Exception):
    def __init__(self, status: int, code: int | None, **values: str) -> None:
        super().__init__(code)
        self.status, self.code, self.values = status, code, values


class TwilioState:
    """What the Twilio simulator knows; tests drive it directly."""

    def __init__(self, clock: ClockLike, account_sid: str, auth_token: str, *,
                 from_numbers: Iterable[str] | None = None) -> None:
        self.clock = clock
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_numbers = frozenset(from_numbers) if from_numbers is not None else None
        self.reset()

    def reset(self) -> None:
        self.messages: list[TwilioMessage] = []
        self.calls: list[TwilioCall] = []
        self.requests: list[TwilioRequest] = []
        self.failures: deque[Injected] = deque()

    # -- control ---------------------------------------------------------------------------
    def fail_next(self, status: int, code: int | None = None, times: int = 1,
                  retry_after: float | str | None = None) -> None:
        """The next `times` requests answer `status` with Twilio error `code` (default 20429 for a
        429, 20500/20503 for a 500/503), and a Retry-After header if given."""
        if not 400 <= int(status) < 600:
            raise ValueError(f"a failure is an HTTP 4xx or 5xx, got {status}")
        self.failures.extend(Injected(int(status), code if code is not None else _DEFAULT_CODES.get(int(status)),
                                      retry_after) for _ in range(times))

    def last_message(self, to: str | None = None) -> TwilioMessage | None:
        found = [m for m in self.messages if to is None or m.to == to]
        return found[-1] if found else None

    def last_call(self, to: str | None = None) -> TwilioCall | None:
        found = [c for c in self.calls if to is None or c.to == to]
        return found[-1] if found else None

    # -- the service -----------------------------------------------------------------------
    def authenticated(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Basic "):
            return False
        try:
            credentials = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            user, _, password = credentials.partition(":")
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(user.encode(), self.account_sid.encode()) and \
            hmac.compare_digest(password.encode(), self.auth_token.encode())

    def _to(self, form: dict[str, str]) -> str:
        to = form.get("To", "").strip()
        if not to:
            raise TwilioError(400, 21604)
        if not _E164.fullmatch(to):
            raise TwilioError(400, 21211, to=to)
        if to in MAGIC_NUMBERS:
            raise TwilioError(400, MAGIC_NUMBERS[to], to=to)
        return to

    def _from(self, sender: str) -> str:
        if self.from_numbers is not None and sender not in self.from_numbers:
            raise TwilioError(400, 21659, sender=sender)
        return sender

    def create_message(self, form: dict[str, str]) -> dict[str, Any]:
        to = self._to(form)
        sender, service = form.get("From") or None, form.get("MessagingServiceSid") or None
        if not sender and not service:
            raise TwilioError(400, 21603)
        if sender:
            self._from(sender)
        body = form.get("Body", "")
        if not body:
            raise TwilioError(400, 21602)
        message = TwilioMessage("SM" + secrets.token_hex(16), to, sender, service, body, _now(self.clock))
        self.messages.append(message)
        return {"sid": message.sid, "account_sid": self.account_sid, "to": to, "from": sender,
                "messaging_service_sid": service, "body": body, "status": "accepted" if service and not sender
                else "queued", "direction": "outbound-api", "num_segments": "1", "api_version": "2010-04-01",
                "date_created": _rfc2822(message.created_at), "price": None, "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{message.sid}.json"}

    def create_call(self, form: dict[str, str]) -> dict[str, Any]:
        to = self._to(form)
        sender = form.get("From", "")
        if not sender:
            raise TwilioError(400, 21603)
        self._from(sender)
        document = form.get("Twiml", "")
        if not document and not form.get("Url"):
            raise TwilioError(400, 21205)
        said, language, voice = "", None, None
        if document:
            try:
                root = ElementTree.fromstring(document)
            except ElementTree.ParseError:
                raise TwilioError(400, 12100) from None
            if root.tag != "Response":
                raise TwilioError(400, 12100)
            says = root.findall("Say")
            said = " ".join((s.text or "").strip() for s in says)
            if says:
                language, voice = says[0].get("language"), says[0].get("voice")
        call = TwilioCall("CA" + secrets.token_hex(16), to, sender, document, said, language, voice, _now(self.clock))
        self.calls.append(call)
        return {"sid": call.sid, "account_sid": self.account_sid, "to": to, "from": sender, "status": "queued",
                "direction": "outbound-api", "api_version": "2010-04-01",
                "date_created": _rfc2822(call.created_at),
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Calls/{call.sid}.json"}


def _rfc2822(at: float) -> str:
    return format_datetime(datetime.fromtimestamp(at, timezone.utc))


def _twilio_error(status: int, code: int | None, headers: dict[str, str] | None = None,
                  **values: str) -> web.Response:
    template = TWILIO_MESSAGES.get(code or 0, "Injected failure")
    message = template.format(to=values.get("to", ""), sender=values.get("sender", ""))
    answer: dict[str, Any] = {"code": code, "message": message,
                              "more_info": f"https://www.twilio.com/docs/errors/{code}" if code else None,
                              "status": status}
    if code == 20003:
        answer["detail"] = "Your AccountSid or AuthToken was incorrect."
    return web.json_response(answer, status=status, headers=headers)


TWILIO_STATE = web.AppKey("otp_twilio_state", TwilioState)


async def _twilio_create(request: web.Request) -> web.Response:
    state = request.app[TWILIO_STATE]
    resource = request.match_info["resource"]
    received = TwilioRequest(resource, 0, False)
    state.requests.append(received)
    if state.failures:
        failure = state.failures.popleft()
        received.status = failure.status
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        return _twilio_error(failure.status, failure.code, headers)
    received.authenticated = state.authenticated(request.headers.get("Authorization"))
    if not received.authenticated:
        received.status = 401
        return _twilio_error(401, 20003, {"WWW-Authenticate": 'Basic realm="Twilio API"'})
    if request.match_info["account"] != state.account_sid:
        received.status = 404
        return _twilio_error(404, 20404)
    form = {k: str(v) for k, v in (await request.post()).items()} \
        if request.content_type == "application/x-www-form-urlencoded" else {}
    received.to = form.get("To")
    try:
        answer = state.create_message(form) if resource == "Messages" else state.create_call(form)
    except TwilioError as exc:
        received.status = exc.status
        return _twilio_error(exc.status, exc.code, **exc.values)
    received.status = 201
    return web.json_response(answer, status=201)


def create_twilio_simulator(account_sid: str, auth_token: str, *, clock: ClockLike,
                            from_numbers: Iterable[str] | None = None) -> web.Application:
    """Twilio's Messages and Calls for one account. `from_numbers`: the account's numbers (None:
    any From is taken)."""
    app = web.Application()
    app[TWILIO_STATE] = TwilioState(clock, account_sid, auth_token, from_numbers=from_numbers)
    app.router.add_post("/2010-04-01/Accounts/{account}/{resource:Messages|Calls}.json", _twilio_create)
    app.router.add_get("/sim/messages", json_control(
        lambda s, b: {"messages": [asdict(m) for m in s.messages]}, TWILIO_STATE))
    app.router.add_get("/sim/calls", json_control(lambda s, b: {"calls": [asdict(c) for c in s.calls]}, TWILIO_STATE))
    app.router.add_post("/sim/fail_next", json_control(lambda s, b: s.fail_next(
        int(b["status"]), b.get("code"), int(b.get("times", 1)), b.get("retry_after")), TWILIO_STATE))
    app.router.add_post("/sim/reset", json_control(lambda s, b: s.reset(), TWILIO_STATE))
    return app


# --- Azure Communication Services ----------------------------------------------------------------

ACS_TOLERANCE = 15 * 60  # seconds x-ms-date may be away from the service's clock
ACS_MAX_RECIPIENTS = 100
INVALID_NUMBER = "Invalid To phone number format."


@dataclass
class AcsMessage:
    message_id: str
    from_: str
    to: str
    message: str
    enable_delivery_report: bool
    created_at: float


@dataclass
class AcsRequest:
    path: str
    status: int
    verified: bool
    reason: str | None = None  # why the signature was refused
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecipientFailure:
    status: int
    message: str


class AcsState:
    """What the ACS simulator knows; tests drive it directly."""

    def __init__(self, clock: ClockLike, access_key_b64: str, *, host: str | None = None,
                 tolerance: float = ACS_TOLERANCE) -> None:
        self.clock = clock
        self.key = base64.b64decode(access_key_b64)
        self.host = host
        self.tolerance = float(tolerance)
        self.reset()

    def reset(self) -> None:
        self.messages: list[AcsMessage] = []
        self.requests: list[AcsRequest] = []
        self.failures: deque[Injected] = deque()
        self.recipient_failures: dict[str, RecipientFailure] = {}

    # -- control ---------------------------------------------------------------------------
    def fail_next(self, status: int, times: int = 1, retry_after: float | str | None = None) -> None:
        """The next `times` requests answer `status` (after their signature is verified), with a
        Retry-After header if given."""
        if not 400 <= int(status) < 600:
            raise ValueError(f"a failure is an HTTP 4xx or 5xx, got {status}")
        self.failures.extend(Injected(int(status), None, retry_after) for _ in range(times))

    def fail_recipient(self, number: str, status: int = 400, message: str = INVALID_NUMBER) -> None:
        """Every SMS to `number` fails for that recipient: httpStatusCode `status`, successful false."""
        self.recipient_failures[number] = RecipientFailure(int(status), message)

    def last_message(self, to: str | None = None) -> AcsMessage | None:
        found = [m for m in self.messages if to is None or m.to == to]
        return found[-1] if found else None

    # -- the service -----------------------------------------------------------------------
    def verify(self, method: str, path_and_query: str, host: str, headers: Any, body: bytes) -> str | None:
        """None if the request is signed as ACS requires; else why not."""
        date, digest = headers.get("x-ms-date"), headers.get("x-ms-content-sha256")
        authorization = headers.get("Authorization") or ""
        if not date or not digest or not authorization:
            return "x-ms-date, x-ms-content-sha256 and Authorization are required"
        scheme, _, rest = authorization.partition(" ")
        if scheme != "HMAC-SHA256":
            return "the Authorization scheme is not HMAC-SHA256"
        parts = dict(p.partition("=")[::2] for p in rest.strip().split("&"))
        if parts.get("SignedHeaders", "").lower() != SIGNED_HEADERS or not parts.get("Signature"):
            return f"SignedHeaders must be {SIGNED_HEADERS}, with a Signature"
        if not hmac.compare_digest(content_hash(body).encode(), digest.encode("utf-8", "replace")):
            return "x-ms-content-sha256 is not the hash of the body"
        try:
            when = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError):
            return "x-ms-date is not an RFC 1123 date"
        if when is None or when.tzinfo is None:
            return "x-ms-date is not an RFC 1123 date"
        if abs(_now(self.clock) - when.timestamp()) > self.tolerance:
            return "x-ms-date is more than 15 minutes away"
        expected = sign(self.key, method, path_and_query, date, self.host or host, digest)
        if not hmac.compare_digest(expected.encode(), parts["Signature"].encode("utf-8", "replace")):
            return "the signature does not match"
        return None

    def send(self, request: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(request, dict) or not isinstance(request.get("from"), str) \
                or not isinstance(request.get("message"), str) or not request["message"] \
                or not isinstance(request.get("smsRecipients"), list) or not request["smsRecipients"] \
                or len(request["smsRecipients"]) > ACS_MAX_RECIPIENTS \
                or not all(isinstance(r, dict) and isinstance(r.get("to"), str) for r in request["smsRecipients"]):
            return 400, {"error": {"code": "BadRequest",
                                   "message": "The request must have from, message and 1 to 100 smsRecipients."}}
        options = request.get("smsSendOptions") if isinstance(request.get("smsSendOptions"), dict) else {}
        results = []
        for recipient in request["smsRecipients"]:
            to = recipient["to"]
            failure = self.recipient_failures.get(to) or (
                None if _E164.fullmatch(to) else RecipientFailure(400, INVALID_NUMBER))
            if failure is not None:
                results.append({"to": to, "httpStatusCode": failure.status, "errorMessage": failure.message,
                                "successful": False, "repeatabilityResult": None})
                continue
            now = _now(self.clock)
            stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%d%H%M%S")
            message = AcsMessage(f"Outgoing_{stamp}{secrets.token_hex(16)}_noam", request["from"], to,
                                 request["message"], bool(options.get("enableDeliveryReport", False)), now)
            self.messages.append(message)
            results.append({"to": to, "messageId": message.message_id, "httpStatusCode": 202,
                            "repeatabilityResult": "accepted", "successful": True})
        return 202, {"value": results}


ACS_STATE = web.AppKey("otp_acs_state", AcsState)


async def _acs_sms(request: web.Request) -> web.Response:
    state = request.app[ACS_STATE]
    body = await request.read()
    received = AcsRequest(request.path, 0, False, body=body, headers=dict(request.headers))
    state.requests.append(received)
    received.reason = state.verify(request.method, request.raw_path, request.host, request.headers, body)
    if received.reason is not None:
        received.status = 401
        return web.json_response({"error": {"code": "Denied", "message": "Denied by the resource provider."}},
                                 status=401)
    received.verified = True
    if not request.query.get("api-version"):
        received.status = 400
        return web.json_response({"error": {
            "code": "MissingApiVersionParameter",
            "message": "The api-version query parameter (?api-version=) is required for all requests."}}, status=400)
    if state.failures:
        failure = state.failures.popleft()
        received.status = failure.status
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        code = "TooManyRequests" if failure.status == 429 else "ServiceUnavailable" if failure.status >= 500 \
            else "BadRequest"
        return web.json_response({"error": {"code": code, "message": "Injected failure."}}, status=failure.status,
                                 headers=headers)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        payload = None
    status, answer = state.send(payload)
    received.status = status
    return web.json_response(answer, status=status)


def create_acs_simulator(access_key_b64: str, *, clock: ClockLike, host: str | None = None,
                         tolerance: float = ACS_TOLERANCE) -> web.Application:
    """Azure Communication Services' SMS for one resource's access key. `host`: the host the
    signature must name (None: the request's Host header)."""
    app = web.Application()
    app[ACS_STATE] = AcsState(clock, access_key_b64, host=host, tolerance=tolerance)
    app.router.add_post("/sms", _acs_sms)
    app.router.add_get("/sim/messages", json_control(
        lambda s, b: {"messages": [asdict(m) for m in s.messages]}, ACS_STATE))
    app.router.add_post("/sim/fail_next", json_control(lambda s, b: s.fail_next(
        int(b["status"]), int(b.get("times", 1)), b.get("retry_after")), ACS_STATE))
    app.router.add_post("/sim/reset", json_control(lambda s, b: s.reset(), ACS_STATE))
    return app


# --- control -------------------------------------------------------------------------------------


def main() -> None:  # python -m simulators.otp twilio --port 9007
    parser = argparse.ArgumentParser(description="PIN delivery simulators: Twilio, or Azure Communication Services")
    parser.add_argument("which", choices=("twilio", "acs"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9007)
    parser.add_argument("--account-sid", default="AC" + "0" * 32)
    parser.add_argument("--auth-token", default="simulator-auth-token")
    parser.add_argument("--access-key", default=base64.b64encode(b"simulator-access-key").decode())
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    clock = SystemClock()
    app = create_twilio_simulator(args.account_sid, args.auth_token, clock=clock) if args.which == "twilio" \
        else create_acs_simulator(args.access_key, clock=clock)
    web.run_app(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
