"""The bot's messaging endpoint (/api/messages): what Teams posts, read, checked and authenticated
before it becomes a turn of the bot.

The SDK's `CloudAdapter.process` answers 500, with a traceback in the log, to a body that is not
JSON or not an activity and to most bad tokens, before or without authentication; an activity
without a serviceUrl or a conversation fails only inside the turn. Here each is answered before the
SDK sees it, with one log line: 415 not JSON, 413 too large, 408 too slow, 400 not an activity,
401 not authenticated, 503 the channel's signing keys out of reach. Nothing of a refused request
is stored.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from adapters.http_body import BodyRefused, read_body
from adapters.teams.auth import BotAuthentication, KeysUnavailable, Unauthorized
from core.log_fields import about
from core.telemetry import telemetry

log = logging.getLogger(__name__)

MAX_DEPTH = 64  # Teams' activities nest about 10 deep, a card's data a little more


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _http_url(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"https?://[^\s/]+", value) is not None


def _with_id(value: Any) -> bool:
    return isinstance(value, dict) and _text(value.get("id"))


# What every activity Teams sends a bot carries (the Bot Framework's Activity, channel to bot): a
# turn needs them to be authenticated (channelId, serviceUrl), addressed and answered.
REQUIRED: dict[str, tuple[Callable[[Any], bool], str]] = {
    "type": (_text, "a string"),
    "channelId": (_text, "a string"),
    "serviceUrl": (_http_url, "an http(s) URL"),
    "conversation": (_with_id, "an object with an id"),
    "from": (_with_id, "an object with an id"),
    "recipient": (_with_id, "an object with an id"),
}


class NotAnActivity(ValueError):
    """The body is not an activity the bot can take; the message says why."""


def _deeper_than(value: Any, limit: int) -> bool:
    """Walked with a list, not recursion: the depth is the sender's to choose."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        if children and depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_activity(body: bytes) -> Activity:
    """The activity of a request body (UTF-8 JSON); NotAnActivity says what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotAnActivity("not UTF-8") from None
    except RecursionError:
        raise NotAnActivity(f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        raise NotAnActivity("not JSON") from None
    if not isinstance(data, dict):
        raise NotAnActivity("not a JSON object")
    if _deeper_than(data, MAX_DEPTH):
        raise NotAnActivity(f"nested deeper than {MAX_DEPTH} levels")
    for name, (valid, what) in REQUIRED.items():
        if not valid(data.get(name)):
            raise NotAnActivity(f"{name} must be {what}")
    try:
        return Activity().deserialize(data)
    except DeserializationError as exc:
        raise NotAnActivity(" ".join(str(exc).split())[:200]) from None


def _refuse(status: int, reason: str, request: web.Request, *, answer: str | None = None) -> web.Response:
    log.warning("teams endpoint refused %s from %s: %s", status, request.remote, reason)
    return web.Response(status=status, text=answer or reason)


class MessagingEndpoint:
    def __init__(self, *, adapter: CloudAdapter, bot: Bot, authentication: BotAuthentication, max_body_bytes: int,
                 body_timeout_seconds: float) -> None:
        self.adapter = adapter
        self.bot = bot
        self.authentication = authentication
        self.max_body_bytes = max_body_bytes
        self.body_timeout_seconds = body_timeout_seconds

    async def post(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _refuse(415, "not application/json", request)
        try:
            body = await read_body(request, max_bytes=self.max_body_bytes, seconds=self.body_timeout_seconds)
            activity = parse_activity(body)
        except BodyRefused as exc:
            return _refuse(exc.status, exc.reason, request)
        except NotAnActivity as exc:
            return _refuse(400, f"not an activity: {exc}", request)
        try:
            authenticated = await self.authentication.authenticate(activity, request.headers.get("Authorization"))
        except Unauthorized as exc:
            return _refuse(401, str(exc), request, answer="unauthorized")
        except KeysUnavailable as exc:
            return _refuse(503, f"the Bot Framework's signing keys are out of reach: {exc}", request,
                           answer="try again later")
        with about(activity=str(activity.id or ""), type=str(activity.type or "")), \
                telemetry().span("turn", activity_type=str(activity.type or "")):
            invoke = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        if invoke:
            return web.json_response(data=serializer_helper(invoke.body), status=invoke.status)
        return web.Response(status=201)  # what the SDK's CloudAdapter.process answers
