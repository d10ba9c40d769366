"""A local Bot Connector (the Teams service behind `serviceUrl`) for the tests and the sandbox.

It serves the Bot Connector v3 routes that botframework-connector 4.17.1's `ConversationsOperations`
calls, with the same paths, methods, bodies and error shapes (`{"error": {"code", "message"}}`), and
the Teams behaviours the bridge depends on:

- a conversation must be known, else 404 `ConversationNotFound`; conversations become known by the
  control API (`POST /sim/conversations`, which `simulators.teams_client.post_activity` calls for
  every activity it delivers, as Teams only writes to bots in conversations it knows) or by
  `POST /v3/conversations`;
- 403 `BotNotInConversationRoster` / `ConversationBlockedByUser` / `BotDisabledByAdmin` per
  conversation, 404 on updating or deleting an unknown message, 413 `MessageSizeTooBig`;
- failures injected on the next N writes (429 `Throttled` with `Retry-After`, 412, 502 …);
- optionally Teams' rate limits, per conversation and per tenant, measured on the injected clock
  (simulators/teams_rate_limits.py): 429 `Throttled` with Retry-After.

Control API (JSON, not part of Microsoft's service): `POST /sim/conversations`,
`POST /sim/conversation-state`, `POST /sim/users`, `POST /sim/failures`, `POST /sim/rate-limits` (turn
them on or off, set the windows) and `GET /sim/rate-limits` (them, and the 429s by conversation and tenant),
`GET /sim/activities[?conversation=]`, `GET /sim/requests`, `POST /sim/reset`; attachments and how
the bot's images show: `POST /sim/attachments`, `POST /sim/render` (simulators/teams_attachments.py).
"""
from __future__ import annotations

import itertools
import json
import math
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.clock import Clock, SystemClock
from simulators import teams_attachments
from simulators.teams_rate_limits import RateLimits

WRITE_OPERATIONS = frozenset({"create", "send", "reply", "update", "delete"})
MAX_MESSAGE_BYTES_UTF16 = 100 * 1024

STATUSES = {
    "installed": None,
    "not_installed": (403, "BotNotInConversationRoster", "The bot is not part of the conversation roster."),
    "blocked": (403, "ConversationBlockedByUser", "User blocked the conversation with the bot."),
    "disabled": (403, "BotDisabledByAdmin", "The bot is disabled by the tenant admin."),
}
_DEFAULT_MESSAGES = {
    404: "Conversation not found.",
    412: "Precondition failed, please try again.",
    429: "Too many requests.",
    502: "Bad gateway.",
    504: "Gateway timeout.",
}


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread `19:…@thread.tacv2;messageid=123` lives in the channel `19:…@thread.tacv2`."""
    return conversation_id.split(";", 1)[0]


@dataclass
class SimConversation:
    id: str
    conversation_type: str  # personal | channel | groupChat
    tenant_id: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # by member id
    team_id: str | None = None
    status: str = "installed"

    def find_member(self, member_id: str) -> dict[str, Any] | None:
        for member in self.members.values():
            if member_id in (member.get("id"), member.get("aadObjectId")):
                return member
        return None


@dataclass
class Failure:
    remaining: int
    status: int
    code: str
    message: str
    retry_after: float | None = None
    conversation: str | None = None  # None: any conversation
    operations: frozenset[str] = WRITE_OPERATIONS
    empty_body: bool = False  # what a gateway in front of the service sends


class ConnectorState:
    """Everything the simulator knows; tests may also drive it directly."""

    def __init__(self, clock: Clock, *, open_attachments: bool = False) -> None:
        self.clock = clock
        # The tokens taken as the bot's (attachment views want one); `open_attachments`: none wanted (the
        # local run's bot has no app id, so no token).
        self.bot_tokens: set[str] = set()
        self.open_attachments = open_attachments
        self.reset()

    def reset(self) -> None:
        self.conversations: dict[str, SimConversation] = {}
        self.users: dict[tuple[str, str], dict[str, Any]] = {}  # (tenant, user id) -> member + "installed"
        self.messages: dict[str, dict[str, Any]] = {}  # activity id -> {conversationId, activity, deleted}
        self.activities: list[dict[str, Any]] = []  # every accepted write, in order
        self.requests: list[dict[str, Any]] = []  # every /v3 call, failures included
        self.failures: deque[Failure] = deque()
        self.limits = RateLimits()
        self._seq = itertools.count(1)
        self._last_id = 0
        self.files = teams_attachments.TeamsFiles()

    # -- control ---------------------------------------------------------------------------
    def register_conversation(self, conversation_id: str, conversation_type: str, tenant_id: str, *,
                              members: list[dict[str, Any]] | None = None, team_id: str | None = None,
                              status: str | None = None) -> SimConversation:
        """Idempotent: members are merged, the status is kept unless given."""
        if conversation_type not in ("personal", "channel", "groupChat"):
            raise ValueError(f"unknown conversation type {conversation_type!r}")
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        key = base_conversation_id(conversation_id)
        conversation = self.conversations.get(key)
        if conversation is None:
            sibling = next((c for c in self.conversations.values() if team_id and c.team_id == team_id), None)
            conversation = self.conversations[key] = SimConversation(
                key, conversation_type, tenant_id, team_id=team_id,
                status=sibling.status if sibling else "installed")  # a team's channels share its install
        if status is not None:
            conversation.status = status
            if conversation.team_id:
                # Installing or removing the app in a team applies to all of its channels.
                for other in self.conversations.values():
                    if other.team_id == conversation.team_id:
                        other.status = status
        for member in members or []:
            conversation.members[member["id"]] = dict(member)
            self.register_user(tenant_id, member, installed=conversation.status == "installed" or None)
        return conversation

    def register_user(self, tenant_id: str, member: dict[str, Any], *, installed: bool | None = True) -> None:
        user = self.users.setdefault((tenant_id, member["id"]), {"installed": False})
        user.update({k: v for k, v in member.items() if k != "installed"})
        if installed is not None:
            user["installed"] = user["installed"] or installed

    def set_status(self, conversation_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        conversation = self.conversations.get(base_conversation_id(conversation_id))
        if conversation is None:
            raise KeyError(conversation_id)
        conversation.status = status
        if conversation.conversation_type == "personal":
            # The personal app is what lets the bot start a 1:1 chat with this user.
            for member in conversation.members.values():
                self.users.setdefault((conversation.tenant_id, member["id"]), dict(member))["installed"] = (
                    status == "installed")

    def fail_next(self, count: int, status: int, code: str, message: str | None = None, *,
                  retry_after: float | None = None, conversation: str | None = None,
                  operations: frozenset[str] | set[str] | None = None, empty_body: bool = False) -> None:
        self.failures.append(Failure(count, status, code, message or _DEFAULT_MESSAGES.get(status, code),
                                     retry_after, conversation and base_conversation_id(conversation),
                                     frozenset(operations) if operations else WRITE_OPERATIONS, empty_body))

    def activities_for(self, conversation: str | None = None) -> list[dict[str, Any]]:
        """`conversation` matches exactly, or a channel id matches all its threads."""
        if conversation is None:
            return list(self.activities)
        return [a for a in self.activities
                if a["conversationId"] == conversation or a["conversationId"].startswith(conversation + ";")]

    # -- service behaviour -----------------------------------------------------------------
    def next_activity_id(self) -> str:
        # Teams message ids are epoch milliseconds; kept strictly increasing so they stay unique.
        self._last_id = max(self._last_id + 1, int(self.clock.now() * 1000))
        return str(self._last_id)

    def take_failure(self, operation: str, conversation_id: str | None) -> Failure | None:
        base = conversation_id and base_conversation_id(conversation_id)
        for failure in self.failures:
            if operation in failure.operations and failure.conversation in (None, base):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self.failures.remove(failure)
                return failure
        return None

    def throttle(self, conversation_id: str, kind: str = "write") -> float | None:
        """Seconds to wait if this operation breaks one of Teams' limits, else None (and it is counted)."""
        base = base_conversation_id(conversation_id)
        conversation = self.conversations.get(base)
        return self.limits.check(self.clock.now(), base, conversation.tenant_id if conversation else None, kind)

    def record(self, operation: str, method: str, conversation_id: str, activity_id: str,
               activity: dict[str, Any], reply_to_id: str | None = None) -> dict[str, Any]:
        entry = {"seq": next(self._seq), "operation": operation, "method": method,
                 "conversationId": conversation_id, "activityId": activity_id, "replyToId": reply_to_id,
                 "activity": activity, "at": self.clock.now()}
        self.activities.append(entry)
        if operation == "delete":
            self.messages[activity_id]["deleted"] = True
        else:
            self.messages[activity_id] = {"conversationId": conversation_id, "activity": activity, "deleted": False}
        return entry


CONNECTOR_STATE = web.AppKey("connector_state", ConnectorState)


def create_connector_simulator(*, clock: Clock | None = None, open_attachments: bool = False) -> web.Application:
    app = web.Application(middlewares=[_log_requests], client_max_size=4 * 1024 * 1024)
    app[CONNECTOR_STATE] = ConnectorState(clock or SystemClock(), open_attachments=open_attachments)
    r = app.router
    r.add_post("/v3/conversations", _create_conversation)
    r.add_get("/v3/conversations", _get_conversations)
    r.add_post("/v3/conversations/{conversation_id}/activities", _send)
    r.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", _reply)
    r.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", _update)
    r.add_delete("/v3/conversations/{conversation_id}/activities/{activity_id}", _delete)
    r.add_get("/v3/conversations/{conversation_id}/members", _members)
    r.add_get("/v3/conversations/{conversation_id}/members/{member_id}", _member)
    r.add_get("/v3/conversations/{conversation_id}/pagedmembers", _paged_members)
    r.add_get("/v3/teams/{team_id}/conversations", _team_channels)
    r.add_get(teams_attachments.INLINE_ROUTE, _inline_attachment)
    r.add_get(teams_attachments.FILE_ROUTE, _file_attachment)
    r.add_post("/sim/attachments", _sim_attach)
    r.add_post("/sim/render", _sim_render)
    r.add_post("/sim/conversations", _sim_register)
    r.add_post("/sim/conversation-state", _sim_state)
    r.add_post("/sim/users", _sim_user)
    r.add_post("/sim/failures", _sim_failures)
    r.add_post("/sim/rate-limits", _sim_rate_limits)
    r.add_get("/sim/rate-limits", _sim_rate_limits)
    r.add_get("/sim/activities", _sim_activities)
    r.add_get("/sim/requests", _sim_requests)
    r.add_post("/sim/reset", _sim_reset)
    return app


# -- plumbing ------------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 empty_body: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.empty_body = empty_body


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


@web.middleware
async def _log_requests(request: web.Request, handler):
    try:
        response = await handler(request)
    except _Refused as refused:
        response = (web.Response(status=refused.status, headers=refused.headers) if refused.empty_body
                    else _error(refused.status, refused.code, refused.message, refused.headers))
    if request.path.startswith("/v3/"):
        request.app[CONNECTOR_STATE].requests.append({
            "method": request.method, "path": request.path, "status": response.status,
            "conversationId": request.match_info.get("conversation_id"), "at": request.app[CONNECTOR_STATE].clock.now(),
        })
    return response


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _Refused(400, "BadSyntax", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise _Refused(400, "BadSyntax", "The request body must be a JSON object.")
    return body


def _service_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}/"


def _check_failure(state: ConnectorState, operation: str, conversation_id: str | None) -> None:
    failure = state.take_failure(operation, conversation_id)
    if failure is None:
        return
    headers = {}
    if failure.retry_after is not None:
        headers["Retry-After"] = f"{failure.retry_after:g}"
    raise _Refused(failure.status, failure.code, failure.message, headers, failure.empty_body)


def _conversation(state: ConnectorState, conversation_id: str) -> SimConversation:
    conversation = state.conversations.get(base_conversation_id(conversation_id))
    if conversation is None:
        raise _Refused(404, "ConversationNotFound", f"Conversation not found: {conversation_id}")
    return conversation


def _refuse_if_closed(conversation: SimConversation) -> None:
    refusal = STATUSES[conversation.status]
    if refusal:
        raise _Refused(*refusal)


def _writable(state: ConnectorState, conversation_id: str, operation: str) -> SimConversation:
    _check_failure(state, operation, conversation_id)
    conversation = _conversation(state, conversation_id)
    _refuse_if_closed(conversation)
    return conversation


def _validate_activity(state: ConnectorState, conversation_id: str, activity: Any) -> None:
    if not isinstance(activity, dict) or not activity.get("type"):
        raise _Refused(400, "BadArgument", "Activity type is required.")
    if len(json.dumps(activity, ensure_ascii=False).encode("utf-16-le")) > MAX_MESSAGE_BYTES_UTF16:
        raise _Refused(413, "MessageSizeTooBig", "Message size is too big.")
    _throttle(state, conversation_id)


def _throttle(state: ConnectorState, conversation_id: str, kind: str = "write") -> None:
    wait = state.throttle(conversation_id, kind)
    if wait is not None:
        # Whole seconds, as Teams sends them, rounded up.
        raise _Refused(429, "Throttled", "Too many requests.", {"Retry-After": f"{max(1, math.ceil(wait))}"})


def _stored(activity: dict[str, Any], activity_id: str, conversation: SimConversation, conversation_id: str,
            reply_to_id: str | None = None) -> dict[str, Any]:
    # What Teams keeps: the bot's activity with the ids and conversation the service assigned.
    stored = dict(activity)
    stored["id"] = activity_id
    sent_conversation = {k: v for k, v in (activity.get("conversation") or {}).items() if k != "tenantID"}
    stored["conversation"] = {**sent_conversation, "id": conversation_id,
                              "conversationType": conversation.conversation_type, "tenantId": conversation.tenant_id}
    if reply_to_id:
        stored["replyToId"] = reply_to_id
    return stored


# -- Bot Connector v3 ----------------------------------------------------------------------
async def _create_conversation(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    params = await _json(request)
    channel_data = params.get("channelData") or {}
    channel_id = ((channel_data.get("channel") or {}).get("id")) if isinstance(channel_data, dict) else None
    # botbuilder-python writes `tenantID`, other SDKs `tenantId`; the service reads either.
    tenant_id = (params.get("tenantId") or params.get("tenantID")
                 or ((channel_data.get("tenant") or {}).get("id") if isinstance(channel_data, dict) else None))
    activity = params.get("activity")
    if channel_id:
        channel = _writable(state, channel_id, "create")
        if not activity:
            raise _Refused(400, "BadArgument", "An activity is required to start a conversation in a channel.")
        _validate_activity(state, channel_id, activity)
        activity_id = state.next_activity_id()
        thread_id = f"{channel.id};messageid={activity_id}"
        state.record("create", "POST", thread_id, activity_id, _stored(activity, activity_id, channel, thread_id))
        return web.json_response({"id": thread_id, "activityId": activity_id, "serviceUrl": _service_url(request)},
                                 status=201)

    _check_failure(state, "create", None)
    members = params.get("members") or []
    if params.get("isGroup") or len(members) != 1 or not isinstance(members[0], dict) or not members[0].get("id"):
        raise _Refused(400, "BadArgument", "A personal conversation needs exactly one member with an id.")
    if not tenant_id:
        raise _Refused(400, "BadArgument", "Tenant id is required.")
    member_id = members[0]["id"]
    user = next((u for (t, _), u in state.users.items()
                 if t == tenant_id and member_id in (u.get("id"), u.get("aadObjectId"))), None)
    if user is None or not user["installed"]:
        raise _Refused(403, "BotNotInConversationRoster", "The bot is not installed for this user.")
    member = {k: v for k, v in user.items() if k != "installed"}
    # Teams has one 1:1 chat per bot and user: creating it again returns the same conversation.
    existing = next((c for c in state.conversations.values()
                     if c.conversation_type == "personal" and c.tenant_id == tenant_id and c.find_member(member["id"])),
                    None)
    conversation = existing or state.register_conversation(
        f"a:1{secrets.token_urlsafe(24)}", "personal", tenant_id, members=[member])
    _refuse_if_closed(conversation)
    body: dict[str, Any] = {"id": conversation.id, "serviceUrl": _service_url(request)}
    if activity:
        _validate_activity(state, conversation.id, activity)
        activity_id = state.next_activity_id()
        state.record("create", "POST", conversation.id, activity_id,
                     _stored(activity, activity_id, conversation, conversation.id))
        body["activityId"] = activity_id
    return web.json_response(body, status=201 if not existing else 200)


async def _get_conversations(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversations = [{"id": c.id, "members": list(c.members.values())} for c in state.conversations.values()]
    return web.json_response({"conversations": conversations, "continuationToken": None})


async def _team_channels(request: web.Request) -> web.Response:
    """A team's channels; the General channel's id is the team's own."""
    state = request.app[CONNECTOR_STATE]
    team_id = request.match_info["team_id"]
    ids = {team_id} | {c.id for c in state.conversations.values() if c.team_id == team_id}
    if not any(c.team_id == team_id or c.id == team_id for c in state.conversations.values()):
        return _error(404, "NotFound", "team not found")
    return web.json_response({"conversations": [{"id": i, "name": None if i == team_id else i} for i in sorted(ids)]})


async def _post_activity(request: web.Request, reply_to_id: str | None) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation_id = request.match_info["conversation_id"]
    operation = "reply" if reply_to_id else "send"
    conversation = _writable(state, conversation_id, operation)
    activity = await _json(request)
    _validate_activity(state, conversation_id, activity)
    activity_id = state.next_activity_id()
    # Like Teams, a reply to an id it does not know is still delivered: the conversation id
    # (`;messageid=` for a channel thread) decides where it goes, not replyToId.
    state.record(operation, "POST", conversation_id, activity_id,
                 _stored(activity, activity_id, conversation, conversation_id, reply_to_id), reply_to_id)
    return web.json_response({"id": activity_id}, status=201)


async def _send(request: web.Request) -> web.Response:
    return await _post_activity(request, None)


async def _reply(request: web.Request) -> web.Response:
    return await _post_activity(request, request.match_info["activity_id"])


def _existing_message(state: ConnectorState, conversation: SimConversation, activity_id: str) -> dict[str, Any]:
    message = state.messages.get(activity_id)
    if message is None or message["deleted"] or base_conversation_id(message["conversationId"]) != conversation.id:
        raise _Refused(404, "ActivityNotFound", f"Activity not found: {activity_id}")
    return message


async def _update(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation_id, activity_id = request.match_info["conversation_id"], request.match_info["activity_id"]
    conversation = _writable(state, conversation_id, "update")
    activity = await _json(request)
    message = _existing_message(state, conversation, activity_id)
    _validate_activity(state, conversation_id, activity)
    state.record("update", "PUT", message["conversationId"], activity_id,
                 _stored(activity, activity_id, conversation, message["conversationId"]))
    return web.json_response({"id": activity_id})


async def _delete(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation_id, activity_id = request.match_info["conversation_id"], request.match_info["activity_id"]
    conversation = _writable(state, conversation_id, "delete")
    message = _existing_message(state, conversation, activity_id)
    _throttle(state, conversation_id)
    state.record("delete", "DELETE", message["conversationId"], activity_id, message["activity"])
    return web.Response(status=200)


async def _members(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation = _conversation(state, request.match_info["conversation_id"])
    _throttle(state, conversation.id, "read")
    return web.json_response(list(conversation.members.values()))


async def _member(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation = _conversation(state, request.match_info["conversation_id"])
    _throttle(state, conversation.id, "read")
    member = conversation.find_member(request.match_info["member_id"])
    if member is None:
        raise _Refused(404, "MemberNotFoundInConversation", "The member was not found in the conversation.")
    return web.json_response(member)


async def _paged_members(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    conversation = _conversation(state, request.match_info["conversation_id"])
    _throttle(state, conversation.id, "read")
    members = list(conversation.members.values())
    try:
        size = max(1, min(int(request.query.get("pageSize") or 200), 500))
        start = int(request.query.get("continuationToken") or 0)
    except ValueError:
        raise _Refused(400, "BadArgument", "pageSize and continuationToken must be integers.") from None
    page = members[start:start + size]
    token = str(start + size) if start + size < len(members) else None
    return web.json_response({"members": page, "continuationToken": token})


async def _inline_attachment(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    return await teams_attachments.serve_inline(request, state.files, state.bot_tokens, state.open_attachments)


async def _file_attachment(request: web.Request) -> web.Response:
    return await teams_attachments.serve_file(request, request.app[CONNECTOR_STATE].files)


# -- control API ---------------------------------------------------------------------------
async def _sim_attach(request: web.Request) -> web.Response:
    """`?kind=inline|file&name=…`, the bytes as the body with their Content-Type: {"attachments": [...]}.
    Read past the app's 4 MB limit for activities: an employee's file may be larger."""
    try:
        attachments = request.app[CONNECTOR_STATE].files.attach(
            _service_url(request), request.query.get("kind", "inline"), await request.content.read(),
            request.content_type, request.query.get("name", ""))
    except ValueError as exc:
        raise _Refused(400, "BadArgument", str(exc)) from None
    return web.json_response({"attachments": attachments})


async def _sim_render(request: web.Request) -> web.Response:
    """`?activity=<id>`: the activity's images fetched as a Teams client does, and whether each is shown."""
    message = request.app[CONNECTOR_STATE].messages.get(request.query.get("activity", ""))
    if message is None:
        raise _Refused(404, "ActivityNotFound", "no such activity")
    return web.json_response({"images": await teams_attachments.render(message["activity"])})


async def _sim_register(request: web.Request) -> web.Response:
    body = await _json(request)
    try:
        conversation = request.app[CONNECTOR_STATE].register_conversation(
            body["id"], body.get("conversationType") or "personal", body.get("tenantId") or "",
            members=body.get("members"), team_id=body.get("teamId"), status=body.get("status"))
    except (KeyError, ValueError) as exc:
        raise _Refused(400, "BadArgument", f"invalid registration: {exc}") from None
    return web.json_response({"id": conversation.id, "status": conversation.status})


async def _sim_state(request: web.Request) -> web.Response:
    body = await _json(request)
    try:
        request.app[CONNECTOR_STATE].set_status(body["conversation"], body["status"])
    except KeyError as exc:
        raise _Refused(404, "ConversationNotFound", f"unknown conversation or missing field: {exc}") from None
    except ValueError as exc:
        raise _Refused(400, "BadArgument", str(exc)) from None
    return web.json_response({"ok": True})


async def _sim_user(request: web.Request) -> web.Response:
    body = await _json(request)
    member = body.get("member") or {}
    if not body.get("tenantId") or not member.get("id"):
        raise _Refused(400, "BadArgument", "tenantId and member.id are required")
    request.app[CONNECTOR_STATE].register_user(body["tenantId"], member, installed=bool(body.get("installed", True)))
    return web.json_response({"ok": True})


async def _sim_failures(request: web.Request) -> web.Response:
    body = await _json(request)
    try:
        request.app[CONNECTOR_STATE].fail_next(
            int(body.get("count", 1)), int(body["status"]), str(body.get("code") or ""), body.get("message"),
            retry_after=body.get("retryAfter"), conversation=body.get("conversation"),
            operations=set(body["operations"]) if body.get("operations") else None,
            empty_body=bool(body.get("emptyBody")))
    except (KeyError, TypeError, ValueError) as exc:
        raise _Refused(400, "BadArgument", f"invalid failure: {exc}") from None
    return web.json_response({"ok": True})


async def _sim_rate_limits(request: web.Request) -> web.Response:
    limits = request.app[CONNECTOR_STATE].limits
    if request.method == "POST":
        try:
            limits.configure(await _json(request))
        except (AttributeError, TypeError, ValueError) as exc:
            raise _Refused(400, "BadArgument", f"invalid rate limits: {exc}") from None
    return web.json_response(limits.snapshot())


async def _sim_activities(request: web.Request) -> web.Response:
    state = request.app[CONNECTOR_STATE]
    return web.json_response({"activities": state.activities_for(request.query.get("conversation"))})


async def _sim_requests(request: web.Request) -> web.Response:
    return web.json_response({"requests": request.app[CONNECTOR_STATE].requests})


async def _sim_reset(request: web.Request) -> web.Response:
    request.app[CONNECTOR_STATE].reset()
    return web.json_response({"ok": True})
