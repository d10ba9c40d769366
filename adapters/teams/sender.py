"""Proactive messages into Teams: send, update, open a 1:1 chat, start a channel thread.

Built on the SDK's `CloudAdapter`, with what it leaves out:
- errors reach the caller: inside `continue_conversation` / `create_conversation` the adapter hands
  an exception raised by the turn to `adapter.on_turn_error` and returns normally, so the callback
  here catches it and it is raised again after the adapter returns;
- errors are typed (`adapters.teams.errors`), from the connector's status and error code;
- the SDK does not retry: 412 / 429 / 502 / 504 are retried here with exponential backoff and
  jitter, never sooner than Retry-After, through the injected `sleep`.
"""
from __future__ import annotations

import asyncio
import copy
import logging
import random
from typing import Any, Awaitable, Callable

from botbuilder.core import BotAdapter, CloudAdapterBase, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import ClientRequestError, HttpOperationError

from adapters.teams.errors import TeamsError, teams_error
from adapters.teams.references import reference_from_dict, reference_to_dict

log = logging.getLogger(__name__)

MSTEAMS = "msteams"

Logic = Callable[[TurnContext], Awaitable[Any]]


class TeamsSender:
    def __init__(self, adapter: CloudAdapterBase, bot_app_id: str, *, max_attempts: int = 4, backoff_base: float = 0.5,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, max_delay: float = 30.0,
                 jitter: Callable[[], float] = random.random) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.adapter = adapter
        self.bot_app_id = bot_app_id
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.max_delay = max_delay  # longest pause between attempts; a longer Retry-After goes to the caller
        self._sleep = sleep
        self._jitter = jitter

    # -- public API --------------------------------------------------------------------------
    async def send(self, reference: dict[str, Any], activity: Activity) -> str:
        """Posts `activity` into the referenced conversation; returns the new message's id."""
        ref = reference_from_dict(reference)

        async def logic(turn_context: TurnContext) -> str:
            turn_context.on_send_activities(_reply_to(activity.reply_to_id))
            response = await turn_context.send_activity(activity)  # sends a deep copy
            return response.id if response and response.id else ""

        return await self._retrying("send", lambda: self._continue(ref, logic))

    async def update(self, reference: dict[str, Any], activity_id: str, activity: Activity) -> None:
        """Replaces the message `activity_id` of the referenced conversation (e.g. a card)."""
        ref = reference_from_dict(reference)

        async def logic(turn_context: TurnContext) -> None:
            replacement = copy.deepcopy(activity)
            replacement.id = activity_id
            replacement.type = replacement.type or ActivityTypes.message
            turn_context.on_update_activity(_reply_to(None))
            await turn_context.update_activity(replacement)

        await self._retrying("update", lambda: self._continue(ref, logic))

    async def create_personal_conversation(self, service_url: str, tenant_id: str, user_id: str) -> dict[str, Any]:
        """Opens (or finds: Teams keeps one per bot and user) the bot's 1:1 chat with `user_id`
        (a `29:` id or the AAD object id). 403 BotNotInConversationRoster if the app is not
        installed for the user or in one of their teams."""
        bot = ChannelAccount(id=f"28:{self.bot_app_id}")
        parameters = ConversationParameters(
            is_group=False, bot=bot, members=[ChannelAccount(id=user_id)], tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )

        async def logic(turn_context: TurnContext) -> dict[str, Any]:
            return reference_to_dict(ConversationReference(
                bot=bot, user=ChannelAccount(id=user_id), channel_id=MSTEAMS, service_url=service_url,
                conversation=ConversationAccount(id=turn_context.activity.conversation.id, is_group=False,
                                                 conversation_type="personal", tenant_id=tenant_id),
            ))

        return await self._retrying("create_conversation", lambda: self._run(
            lambda callback: self.adapter.create_conversation(
                self.bot_app_id, callback, parameters, MSTEAMS, service_url, None),
            logic))

    async def start_channel_thread(self, channel_reference: dict[str, Any],
                                   activity: Activity) -> tuple[dict[str, Any], str]:
        """Posts `activity` as a new thread in the referenced team channel. Returns the thread's
        reference (conversation id `<channel id>;messageid=<activity id>`, so sends go into the
        thread) and the id of the message that started it.

        Same call as the SDK's `TeamsInfo.send_message_to_teams_channel`, without needing a turn."""
        channel = reference_from_dict(channel_reference)
        # A reference taken inside a thread carries `;messageid=`: the channel is the part before.
        channel_id = channel.conversation.id.split(";", 1)[0]
        tenant_id = channel.conversation.tenant_id
        post = copy.deepcopy(activity)
        post.type = post.type or ActivityTypes.message
        post.id = None
        channel_data = {"channel": {"id": channel_id}}
        if tenant_id:
            channel_data["tenant"] = {"id": tenant_id}
        parameters = ConversationParameters(is_group=True, bot=channel.bot, channel_data=channel_data,
                                            activity=post, tenant_id=tenant_id)

        async def logic(turn_context: TurnContext) -> tuple[dict[str, Any], str]:
            created = turn_context.activity  # the SDK's "CreateConversation" event with the service's answer
            activity_id = created.id
            thread_id = created.conversation.id
            if ";messageid=" not in thread_id:  # Teams includes it; do not depend on it
                thread_id = f"{channel_id};messageid={activity_id}"
            thread = copy.deepcopy(channel)
            thread.conversation.id = thread_id
            thread.conversation.conversation_type = thread.conversation.conversation_type or "channel"
            thread.conversation.is_group = True
            thread.activity_id = activity_id
            thread.channel_id = thread.channel_id or MSTEAMS
            return reference_to_dict(thread), activity_id

        return await self._retrying("start_channel_thread", lambda: self._run(
            lambda callback: self.adapter.create_conversation(
                self.bot_app_id, callback, parameters, channel.channel_id or MSTEAMS, channel.service_url, None),
            logic))

    # -- the adapter, with its errors brought back ------------------------------------------
    async def _continue(self, reference: ConversationReference, logic: Logic) -> Any:
        return await self._run(
            lambda callback: self.adapter.continue_conversation(reference, callback, self.bot_app_id), logic)

    async def _run(self, start: Callable[[Logic], Awaitable[Any]], logic: Logic) -> Any:
        outcome: dict[str, Any] = {}

        async def callback(turn_context: TurnContext) -> None:
            _no_hidden_retries(turn_context)
            try:
                outcome["value"] = await logic(turn_context)
            except Exception as exc:  # noqa: BLE001 — the adapter would give it to on_turn_error and drop it
                outcome["error"] = exc

        try:
            await start(callback)  # the connector call of create_conversation fails here, before the turn
        except (HttpOperationError, ClientRequestError) as exc:
            raise _translate(exc) from exc
        if "error" in outcome:
            error = outcome["error"]
            raise _translate(error) from error
        if "value" not in outcome:
            # A middleware ended the turn or failed (and on_turn_error took it): nothing was sent.
            raise TeamsError(0, "TurnNotRun", "the adapter did not run the send")
        return outcome["value"]

    async def _retrying(self, operation: str, attempt: Callable[[], Awaitable[Any]]) -> Any:
        for number in range(1, self.max_attempts + 1):
            try:
                return await attempt()
            except TeamsError as error:
                if not error.transient or number == self.max_attempts:
                    raise
                delay = self._delay(number, error)
                if delay is None:
                    raise  # Retry-After longer than we wait in-line: the caller reschedules
                log.warning("teams %s: %s %s, attempt %d of %d, next in %.2fs", operation, error.status,
                            error.code, number, self.max_attempts, delay)
                await self._sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, error: TeamsError) -> float | None:
        backoff = min(self.max_delay, self.backoff_base * 2 ** (attempt - 1))
        # "Equal jitter": at least half the backoff, so instances that failed together spread out.
        delay = backoff / 2 + self._jitter() * backoff / 2
        if error.retry_after is not None:
            if error.retry_after > self.max_delay:
                return None
            delay = max(delay, error.retry_after)
        return delay


def _reply_to(reply_to_id: str | None):
    # In a proactive turn the SDK addresses every message as a reply to the continuation event's
    # made-up id (POST …/activities/<uuid1>). Teams ignores replyToId, but the documented
    # proactive call is send-to-conversation (POST …/activities): put back what the caller set.
    async def handler(_turn_context: TurnContext, activities: Any, next_handler: Callable[[], Awaitable]) -> None:
        for activity in activities if isinstance(activities, list) else [activities]:
            activity.reply_to_id = reply_to_id
        await next_handler()

    return handler


def _no_hidden_retries(turn_context: TurnContext) -> None:
    # msrest's requests pipeline retries 408/500/502/503/504 for PUT/GET/DELETE (urllib3, up to 3
    # times, sleeping in a worker thread) unseen by us; the retry policy is ours, so turn that off.
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    policy = getattr(getattr(getattr(client, "config", None), "retry_policy", None), "policy", None)
    if policy is not None:
        policy.status_forcelist = frozenset()


def _retry_after(value: str | None) -> float | None:
    # Teams sends seconds; an HTTP-date is rare here and would need a clock: treated as absent.
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds)


def _translate(exc: BaseException) -> BaseException:
    if isinstance(exc, TeamsError):
        return exc
    if isinstance(exc, HttpOperationError):
        # `response` is the transport's response: requests' (status_code) with the default
        # pipeline, aiohttp's (status) with an aiohttp one.
        response = exc.response
        status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
        headers = getattr(response, "headers", None) or {}
        code, message = "", str(exc.message)
        detail = getattr(exc.error, "error", None)  # ErrorResponse.error: the {"code", "message"} body
        if detail is not None and not isinstance(detail, BaseException):
            code = getattr(detail, "code", None) or ""
            message = getattr(detail, "message", None) or message
        return teams_error(int(status), code, message, retry_after=_retry_after(headers.get("Retry-After")))
    if isinstance(exc, ClientRequestError):
        return TeamsError(0, "ConnectionFailed", str(exc))
    return exc
