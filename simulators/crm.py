"""The CRMs the bridge logs to, simulated: Salesforce's token endpoint and Task upsert, and a
receiver of the signed webhook. aiohttp applications for the tests and the local sandbox, each
recording what it receives.

Salesforce (`create_salesforce_simulator`), as the real service answers:
  POST  /services/oauth2/token   form grant_type=client_credentials, client_id, client_secret:
        200 {access_token, instance_url, token_type, issued_at, …}; wrong client id 400
        invalid_client_id, wrong secret 400 invalid_client, another grant 400 unsupported_grant_type
  PATCH /services/data/vNN.N/sobjects/Task/<ExternalIdField>/<value>   Bearer token; upsert:
        201 {id, success, errors, created: true} or 204 (updated); an unknown or expired token
        401 [{message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID"}]; an unknown
        external id field 404 NOT_FOUND; an unknown field 400 INVALID_FIELD; a create-only field
        (TaskSubtype) on an update 400 INVALID_FIELD_FOR_INSERT_UPDATE; Subject over 255 or
        Description over 32,000 characters 400 STRING_TOO_LONG
  GET   /services/data/vNN.N/sobjects/Task/<ExternalIdField>/<value>   the Task, or 404
Control: state methods (`app[SALESFORCE_STATE]`): expire_tokens(), fail_next(status, times,
retry_after), task(key), tasks(), token_requests, requests; `GET /sim/tasks`,
`POST /sim/expire_tokens`, `POST /sim/fail_next {status, times?, retry_after?, route?}`.

Webhook receiver (`create_webhook_receiver`): POST to any path, verified with
adapters.crm.webhook.verify_signature (401 when the signature or timestamp is bad), events kept by
Idempotency-Key (a duplicate is answered 200 and counted, not kept twice).
Control: `app[WEBHOOK_STATE]`: events, deliveries, received(key), fail_next(status, times,
retry_after); `GET /sim/events`.
"""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import re
import secrets
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from aiohttp import web

from adapters.crm.webhook import (IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature)
from core.clock import Clock, SystemClock
from simulators.control import json_control

ClockLike = Union[Clock, Callable[[], float]]
ORG_ID = "00D5g00000SIMORG"
TASK_FIELDS = frozenset({"Subject", "Description", "ActivityDate", "Status", "TaskSubtype", "Type", "OwnerId",
                         "WhoId", "WhatId", "Priority", "CallType", "CallDurationInSeconds", "CallDisposition",
                         "ReminderDateTime", "IsReminderSet"})
CREATE_ONLY = frozenset({"TaskSubtype"})
LIMITS = {"Subject": 255, "Description": 32_000, "Type": 255}
TASK_SUBTYPES = frozenset({"Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"})
STATUSES = frozenset({"Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"})
DEFAULT_EXTERNAL_ID_FIELD = "WeChat_Conversation_Key__c"


def _now(clock: ClockLike) -> float:
    return clock.now() if hasattr(clock, "now") else clock()  # type: ignore[operator, union-attr]


def _units(text: str) -> int:
    """Characters as Salesforce counts them (UTF-16 code units)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _sf_errors(status: int, code: str, message: str, fields: list[str] | None = None,
               headers: dict[str, str] | None = None) -> web.Response:
    error: dict[str, Any] = {"message": message, "errorCode": code}
    if fields is not None:
        error["fields"] = fields
    return web.json_response([error], status=status, headers=headers)


@dataclass
class Injected:
    status: int
    retry_after: float | str | None = None


# --- Salesforce ----------------------------------------------------------------------------------


@dataclass
class SfToken:
    value: str
    issued_at: float
    expires_at: float


@dataclass
class SfTask:
    id: str
    key: str
    fields: dict[str, Any]
    created_at: float
    updated_at: float
    writes: int = 1  # the create and each update


@dataclass
class SfRequest:
    method: str
    path: str
    status: int
    json: Any = None  # the body (the token request's: without the secret)
    key: str | None = None


class SalesforceState:
    """What the Salesforce simulator knows; tests drive it directly."""

    def __init__(self, clock: ClockLike, client_id: str, client_secret: str, *, token_ttl_seconds: float = 3600,
                 external_id_field: str = DEFAULT_EXTERNAL_ID_FIELD, instance_url: str | None = None) -> None:
        self.clock = clock
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl_seconds = float(token_ttl_seconds)
        self.external_id_field = external_id_field
        self.instance_url = instance_url  # None: the URL the token request came to
        self.reset()

    def reset(self) -> None:
        self.tokens: dict[str, SfToken] = {}
        self.tasks_by_key: dict[str, SfTask] = {}
        self.token_requests: list[SfRequest] = []
        self.requests: list[SfRequest] = []  # the data API's, in order
        self.failures: dict[str, deque[Injected]] = {"data": deque(), "token": deque()}
        self._ids = itertools.count(1)

    # -- control ---------------------------------------------------------------------------
    def expire_tokens(self) -> None:
        """Every token issued so far expires now (a session timeout, a revocation)."""
        now = _now(self.clock)
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    def fail_next(self, status: int, times: int = 1, retry_after: float | str | None = None, *,
                  route: str = "data") -> None:
        """The next `times` calls to `route` ("data": the REST API; "token": the token endpoint)
        answer `status` (503 SERVER_UNAVAILABLE, 429, 401 INVALID_SESSION_ID, 403
        REQUEST_LIMIT_EXCEEDED, …), with a Retry-After header if given."""
        if route not in self.failures:
            raise ValueError(f"route is 'data' or 'token', got {route!r}")
        if not 400 <= int(status) < 600:
            raise ValueError(f"a failure is an HTTP 4xx or 5xx, got {status}")
        self.failures[route].extend(Injected(int(status), retry_after) for _ in range(times))

    def task(self, key: str) -> dict[str, Any] | None:
        """A Task by its external id: its fields, with Id and the external id."""
        found = self.tasks_by_key.get(key)
        return None if found is None else {"Id": found.id, self.external_id_field: found.key, **found.fields}

    def tasks(self) -> list[dict[str, Any]]:
        return [self.task(key) for key in self.tasks_by_key]  # type: ignore[misc]

    def writes(self, key: str) -> int:
        found = self.tasks_by_key.get(key)
        return found.writes if found else 0

    # -- the service -----------------------------------------------------------------------
    def issue(self, form: dict[str, str], instance_url: str) -> tuple[int, dict[str, Any]]:
        shown = {k: ("***" if k == "client_secret" else v) for k, v in form.items()}
        request = SfRequest("POST", "/services/oauth2/token", 0, shown)
        self.token_requests.append(request)
        pending = self.failures["token"]
        if pending:
            failure = pending.popleft()
            request.status = failure.status
            return failure.status, {"error": "server_error", "error_description": "injected failure",
                                    **({"retry_after": failure.retry_after} if failure.retry_after is not None else {})}
        if form.get("grant_type") != "client_credentials":
            request.status = 400
            return 400, {"error": "unsupported_grant_type", "error_description": "grant type not supported"}
        if form.get("client_id") != self.client_id:
            request.status = 400
            return 400, {"error": "invalid_client_id", "error_description": "client identifier invalid"}
        if form.get("client_secret") != self.client_secret:
            request.status = 400
            return 400, {"error": "invalid_client", "error_description": "invalid client credentials"}
        now = _now(self.clock)
        token = SfToken(f"{ORG_ID}!{secrets.token_urlsafe(72)}", now, now + self.token_ttl_seconds)
        self.tokens[token.value] = token
        request.status = 200
        base = (self.instance_url or instance_url).rstrip("/")
        return 200, {"access_token": token.value, "signature": secrets.token_urlsafe(32), "scope": "api",
                     "instance_url": base, "id": f"{base}/id/{ORG_ID}/0055g00000SIMUSR",
                     "token_type": "Bearer", "issued_at": str(int(now * 1000))}

    def valid(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bearer "):
            return False
        token = self.tokens.get(authorization[len("Bearer "):].strip())
        return token is not None and _now(self.clock) < token.expires_at

    def upsert(self, field_name: str, key: str, body: Any) -> web.Response:
        if field_name != self.external_id_field:
            return _sf_errors(404, "NOT_FOUND",
                              f"Provided external ID field does not exist or is not accessible: {field_name}")
        if not isinstance(body, dict):
            return _sf_errors(400, "JSON_PARSER_ERROR", "The request body must be a JSON object")
        unknown = sorted(k for k in body if k not in TASK_FIELDS and k != self.external_id_field)
        if unknown:
            return _sf_errors(400, "INVALID_FIELD", f"No such column '{unknown[0]}' on sobject of type Task")
        if body.get(self.external_id_field, key) != key:
            return _sf_errors(400, "INVALID_FIELD", "The external ID in the body does not match the one in the URL: "
                                                    f"{self.external_id_field}")
        for name, limit in LIMITS.items():
            value = body.get(name)
            if isinstance(value, str) and _units(value) > limit:
                return _sf_errors(400, "STRING_TOO_LONG",
                                  f"{name}: data value too large: {value[:40]}... (max length={limit})", [name])
        day = body.get("ActivityDate")
        if day is not None and (not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)):
            return _sf_errors(400, "JSON_PARSER_ERROR", f"Cannot deserialize instance of date from VALUE_STRING "
                                                        f"value {body['ActivityDate']}", ["ActivityDate"])
        if "Status" in body and body["Status"] not in STATUSES:
            return _sf_errors(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                              f"Status: bad value for restricted picklist field: {body['Status']}", ["Status"])
        if "TaskSubtype" in body and body["TaskSubtype"] not in TASK_SUBTYPES:
            return _sf_errors(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                              f"Task Subtype: bad value for restricted picklist field: {body['TaskSubtype']}",
                              ["TaskSubtype"])
        fields = {k: v for k, v in body.items() if k != self.external_id_field}
        now = _now(self.clock)
        existing = self.tasks_by_key.get(key)
        if existing is None:
            task = SfTask(f"00T5g{next(self._ids):010d}AAA", key, {"Status": "Not Started", **fields}, now, now)
            self.tasks_by_key[key] = task
            return web.json_response({"id": task.id, "success": True, "errors": [], "created": True}, status=201)
        refused = sorted(CREATE_ONLY & fields.keys())
        if refused:
            return _sf_errors(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                              f"Unable to create/update fields: {', '.join(refused)}. Please check the security "
                              "settings of this field and verify that it is read/write for your profile or "
                              "permission set.", refused)
        existing.fields.update(fields)
        existing.updated_at = now
        existing.writes += 1
        return web.Response(status=204)


SALESFORCE_STATE = web.AppKey("crm_salesforce_state", SalesforceState)
_TASK_PATH = "/services/data/{version:v[0-9]+\\.[0-9]}/sobjects/Task/{field}/{key}"


async def _sf_token(request: web.Request) -> web.Response:
    state = request.app[SALESFORCE_STATE]
    if request.content_type != "application/x-www-form-urlencoded":
        return web.json_response({"error": "invalid_request", "error_description": "must use form encoding"},
                                 status=400)
    form = {k: str(v) for k, v in (await request.post()).items()}
    status, answer = state.issue(form, f"{request.scheme}://{request.host}")
    headers = {}
    if status != 200 and "retry_after" in answer:
        headers["Retry-After"] = str(answer.pop("retry_after"))
    return web.json_response(answer, status=status, headers=headers)


async def _sf_task(request: web.Request) -> web.Response:
    state = request.app[SALESFORCE_STATE]
    key = request.match_info["key"]
    raw = await request.read()
    try:
        body: Any = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        body = None
    received = SfRequest(request.method, request.path, 0, body, key)
    state.requests.append(received)

    pending = state.failures["data"]
    if pending:
        failure = pending.popleft()
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        received.status = failure.status
        if failure.status == 401:
            return _sf_errors(401, "INVALID_SESSION_ID", "Session expired or invalid", headers=headers)
        if failure.status == 403:
            return _sf_errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", headers=headers)
        if failure.status >= 500:
            return _sf_errors(failure.status, "SERVER_UNAVAILABLE", "Server temporarily unavailable. Try again later.",
                              headers=headers)
        return _sf_errors(failure.status, "REQUEST_REFUSED", "Injected failure.", headers=headers)
    if not state.valid(request.headers.get("Authorization")):
        received.status = 401
        return _sf_errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
    if request.method == "GET":
        found = state.task(key) if request.match_info["field"] == state.external_id_field else None
        received.status = 200 if found else 404
        return web.json_response(found) if found else _sf_errors(
            404, "NOT_FOUND", "The requested resource does not exist")
    if raw and body is None:
        received.status = 400
        return _sf_errors(400, "JSON_PARSER_ERROR", "Unexpected character in the request body")
    response = state.upsert(request.match_info["field"], key, body)
    received.status = response.status
    return response


def create_salesforce_simulator(client_id: str, client_secret: str, *, token_ttl_seconds: float = 3600,
                                clock: ClockLike, external_id_field: str = DEFAULT_EXTERNAL_ID_FIELD,
                                instance_url: str | None = None) -> web.Application:
    """Salesforce's OAuth token endpoint and Task upsert, for one connected app's credentials.
    Tokens expire `token_ttl_seconds` after issue (the org's session timeout) by `clock`."""
    app = web.Application()
    app[SALESFORCE_STATE] = SalesforceState(clock, client_id, client_secret, token_ttl_seconds=token_ttl_seconds,
                                            external_id_field=external_id_field, instance_url=instance_url)
    app.router.add_post("/services/oauth2/token", _sf_token)
    app.router.add_route("PATCH", _TASK_PATH, _sf_task)
    app.router.add_get(_TASK_PATH, _sf_task)
    app.router.add_get("/sim/tasks", json_control(lambda s, b: {"tasks": s.tasks()}, SALESFORCE_STATE))
    app.router.add_post("/sim/expire_tokens", json_control(lambda s, b: s.expire_tokens(), SALESFORCE_STATE))
    app.router.add_post("/sim/fail_next", json_control(lambda s, b: s.fail_next(
        int(b["status"]), int(b.get("times", 1)), b.get("retry_after"), route=b.get("route", "data")),
        SALESFORCE_STATE))
    app.router.add_post("/sim/reset", json_control(lambda s, b: s.reset(), SALESFORCE_STATE))
    return app


# --- the webhook receiver ------------------------------------------------------------------------


@dataclass
class Delivery:
    """One POST received: its Idempotency-Key, what was answered, and whether it was kept."""

    path: str
    key: str | None
    status: int
    verified: bool
    stored: bool = False
    duplicate: bool = False
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class WebhookState:
    """What the webhook receiver knows; tests drive it directly."""

    def __init__(self, secret: str, clock: ClockLike, *, tolerance: float = 300) -> None:
        self.secret = secret
        self.clock = clock
        self.tolerance = tolerance
        self.reset()

    def reset(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}  # by Idempotency-Key, in arrival order
        self.deliveries: list[Delivery] = []  # every POST, refused ones included
        self.counts: Counter[str] = Counter()  # accepted deliveries by key (a duplicate counts again)
        self.failures: deque[Injected] = deque()

    def fail_next(self, status: int, times: int = 1, retry_after: float | str | None = None) -> None:
        if not 400 <= int(status) < 600:
            raise ValueError(f"a failure is an HTTP 4xx or 5xx, got {status}")
        self.failures.extend(Injected(int(status), retry_after) for _ in range(times))

    def received(self, key: str) -> int:
        """How many times the event `key` was accepted (duplicates included)."""
        return self.counts[key]

    def receive(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any], dict[str, str]]:
        key = headers.get(IDEMPOTENCY_HEADER)
        delivery = Delivery(path, key, 0, False, body=body, headers=headers)
        self.deliveries.append(delivery)
        if self.failures:
            failure = self.failures.popleft()
            delivery.status = failure.status
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            return failure.status, {"error": "injected failure"}, extra
        delivery.verified = verify_signature(self.secret, headers.get(TIMESTAMP_HEADER), body,
                                             headers.get(SIGNATURE_HEADER), _now(self.clock), self.tolerance)
        if not delivery.verified:
            delivery.status = 401
            return 401, {"error": "invalid signature or timestamp"}, {}
        try:
            event = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            delivery.status = 400
            return 400, {"error": "the body is not JSON"}, {}
        if not isinstance(event, dict) or not key or event.get("id") != key:
            delivery.status = 400
            return 400, {"error": "Idempotency-Key must be given and be the event's id"}, {}
        self.counts[key] += 1
        delivery.status = 200
        if key in self.events:
            delivery.duplicate = True
            return 200, {"ok": True, "duplicate": True}, {}
        self.events[key] = event
        delivery.stored = True
        return 200, {"ok": True, "duplicate": False}, {}


WEBHOOK_STATE = web.AppKey("crm_webhook_state", WebhookState)


async def _webhook(request: web.Request) -> web.Response:
    state = request.app[WEBHOOK_STATE]
    body = await request.read()
    status, answer, headers = state.receive(request.path, dict(request.headers), body)
    return web.json_response(answer, status=status, headers=headers)


def create_webhook_receiver(secret: str, *, clock: ClockLike, tolerance: float = 300) -> web.Application:
    """A CRM's end of the signed webhook: POST to any path (but /sim/…)."""
    app = web.Application()
    app[WEBHOOK_STATE] = WebhookState(secret, clock, tolerance=tolerance)
    app.router.add_get("/sim/events", json_control(lambda s, b: {
        "events": list(s.events.values()), "counts": dict(s.counts)}, WEBHOOK_STATE))
    app.router.add_post("/sim/fail_next", json_control(lambda s, b: s.fail_next(
        int(b["status"]), int(b.get("times", 1)), b.get("retry_after")), WEBHOOK_STATE))
    app.router.add_post("/sim/reset", json_control(lambda s, b: s.reset(), WEBHOOK_STATE))
    app.router.add_post("/{path:.*}", _webhook)
    return app


def main() -> None:  # python -m simulators.crm salesforce --port 9006
    parser = argparse.ArgumentParser(description="CRM simulators: Salesforce, or a webhook receiver")
    parser.add_argument("which", choices=("salesforce", "webhook"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9006)
    parser.add_argument("--client-id", default="simulator-client-id")
    parser.add_argument("--secret", default="simulator-secret")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    clock = SystemClock()
    app = create_salesforce_simulator(args.client_id, args.secret, clock=clock) if args.which == "salesforce" \
        else create_webhook_receiver(args.secret, clock=clock)
    web.run_app(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
