"""Proactive messages into Teams: send, update, open a 1:1 chat, start a channel thread.

Credentials come from the adapter's own authentication (`create_connector_factory`, with the
claims identity `CloudAdapter.continue_conversation` builds for the bot's app id), so token
acquisition is the SDK's; the calls themselves are the Bot Connector's REST routes, made here:

- once per service URL, not per call: `continue_conversation` builds a new `ConnectorClient`
  (msrest configuration, serializers, a retry policy that alone costs ~7 ms of CPU), a
  `UserTokenClient` and new app credentials (in production a new MSAL app and token request) for
  every message. A cached client keeps its MSAL token cache. Activities are addressed exactly as
  the SDK's proactive turn addresses them.
- JSON by `adapters.teams.wire`, not msrest's serializer (about 18 times the CPU), over one
  aiohttp session on the event loop (msrest's default runs `requests` in executor threads, which
  took the GIL from the loop);
- errors reach the caller (no turn, so nothing goes to `adapter.on_turn_error`), typed
  (`adapters.teams.errors`) from the connector's status and error code;
- the SDK does not retry: 412 / 429 / 502 / 504 are retried here with exponential backoff and
  jitter, never sooner than Retry-After, through the injected `sleep` (429: unless `retry_throttled`
  is off, when services/paced_teams.py paces the calls and takes the Retry-After itself).

No turn runs, so middleware registered on the adapter (none is, today) does not see these calls.
"""
from __future__ import annotations

import asyncio
import copy
import json
import logging
import random
import time
from typing import Any, Awaitable, Callable
from urllib.parse import quote
from uuid import uuid4

import aiohttp
from botbuilder.core import CloudAdapterBase
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    InputHints,
)
from botframework.connector.aio import ConnectorClient
from yarl import URL

from adapters.teams.errors import TeamsError, teams_error
from adapters.teams.references import reference_from_dict, reference_to_dict
from adapters.teams.wire import to_wire
from core.recent import Recent
from core.telemetry import telemetry

log = logging.getLogger(__name__)

MSTEAMS = "msteams"

MAX_CLIENTS = 32  # connector clients kept, one per (service URL, audience): Teams has a handful of regional URLs
TOKEN_PREFETCH_INTERVAL = 60.0  # seconds; well inside MSAL's 5-minute early expiry
CONNECTIONS_PER_HOST = 64  # kept-alive connections to one service URL
TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)
TAKEN = 200  # the status a call the connector took is counted under (core/telemetry teams_call)


class TeamsSender:
    def __init__(self, adapter: CloudAdapterBase, bot_app_id: str, *, max_attempts: int = 4, backoff_base: float = 0.5,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, max_delay: float = 30.0,
                 jitter: Callable[[], float] = random.random, retry_throttled: bool = True) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.adapter = adapter
        self.bot_app_id = bot_app_id
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.max_delay = max_delay  # longest pause between attempts; a longer Retry-After goes to the caller
        self._sleep = sleep
        self._jitter = jitter
        self.retry_throttled = retry_throttled  # False: a 429 goes to the caller at once (a pacer learns from it)
        # A client forgotten is not closed: a send may still be using it.
        self._clients: Recent[tuple[str, str | None], _Client] = Recent(MAX_CLIENTS)
        self._clients_lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- public API --------------------------------------------------------------------------
    async def send(self, reference: dict[str, Any], activity: Activity) -> str:
        """Posts `activity` into the referenced conversation; returns the new message's id."""
        service_url, conversation_id, body = _addressed(reference, activity)
        body["type"] = body.get("type") or ActivityTypes.message.value
        body["inputHint"] = body.get("inputHint") or InputHints.accepting_input.value
        body.pop("id", None)
        # The documented proactive call is send-to-conversation (POST …/activities); a reply
        # (POST …/activities/<id>) only when the caller asked for one.
        path = _activities(conversation_id, activity.reply_to_id)
        answer = await self._retrying("send", lambda: self._call(service_url, "POST", path, body))
        return (answer or {}).get("id") or ""

    async def update(self, reference: dict[str, Any], activity_id: str, activity: Activity) -> None:
        """Replaces the message `activity_id` of the referenced conversation (e.g. a card)."""
        service_url, conversation_id, body = _addressed(reference, activity)
        body["id"] = activity_id
        body["type"] = body.get("type") or ActivityTypes.message.value
        body.pop("replyToId", None)
        path = _activities(conversation_id, activity_id)
        await self._retrying("update", lambda: self._call(service_url, "PUT", path, body))

    async def create_personal_conversation(self, service_url: str, tenant_id: str, user_id: str) -> dict[str, Any]:
        """Opens (or finds: Teams keeps one per bot and user) the bot's 1:1 chat with `user_id`
        (a `29:` id or the AAD object id). 403 BotNotInConversationRoster if the app is not
        installed for the user or in one of their teams."""
        bot = ChannelAccount(id=f"28:{self.bot_app_id}")
        parameters = ConversationParameters(
            is_group=False, bot=bot, members=[ChannelAccount(id=user_id)], tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )
        # What `CloudAdapter.create_conversation` calls.
        created = await self._retrying("create_conversation", lambda: self._call(
            service_url, "POST", "v3/conversations", to_wire(parameters)))
        return reference_to_dict(ConversationReference(
            bot=bot, user=ChannelAccount(id=user_id), channel_id=MSTEAMS, service_url=service_url,
            conversation=ConversationAccount(id=(created or {}).get("id"), is_group=False,
                                             conversation_type="personal", tenant_id=tenant_id),
        ))

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
        post = to_wire(activity)
        post["type"] = post.get("type") or ActivityTypes.message.value
        post.pop("id", None)
        channel_data = {"channel": {"id": channel_id}}
        if tenant_id:
            channel_data["tenant"] = {"id": tenant_id}
        parameters = {**to_wire(ConversationParameters(is_group=True, bot=channel.bot, channel_data=channel_data,
                                                       tenant_id=tenant_id)), "activity": post}
        created = await self._retrying("start_channel_thread", lambda: self._call(
            channel.service_url, "POST", "v3/conversations", parameters)) or {}
        activity_id = created.get("activityId") or str(uuid4())  # as the SDK's "CreateConversation" event
        thread_id = created.get("id") or ""
        if ";messageid=" not in thread_id:  # Teams includes it; do not depend on it
            thread_id = f"{channel_id};messageid={activity_id}"
        thread = copy.deepcopy(channel)
        thread.conversation.id = thread_id
        thread.conversation.conversation_type = thread.conversation.conversation_type or "channel"
        thread.conversation.is_group = True
        thread.activity_id = activity_id
        thread.channel_id = thread.channel_id or MSTEAMS
        return reference_to_dict(thread), activity_id

    async def bot_token(self, service_url: str) -> str | None:
        """The token the bot's calls to `service_url` carry (MSAL's, fetched off the loop), for the calls
        made elsewhere with the bot's identity (attachment downloads). None without an app id (local runs)."""
        client = await self._client(service_url)
        await client.fresh_token()
        return client.token()

    def http(self) -> aiohttp.ClientSession:
        """The session the bot's calls to Teams go through (created at first use, closed by `close`)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=TIMEOUT, connector=aiohttp.TCPConnector(limit_per_host=CONNECTIONS_PER_HOST))
        return self._session

    # -- the connector ------------------------------------------------------------------------
    async def _call(self, service_url: str, method: str, path: str, body: dict[str, Any]) -> Any:
        client = await self._client(service_url)
        session = self.http()
        try:
            await client.fresh_token()
            return await client.request(session, method, path, body)
        except TeamsError as error:
            if error.status == 401:
                # Credentials the service refused: the next attempt builds the client (and its
                # credentials) again, as every call used to.
                self._forget(service_url, client)
            raise

    async def _client(self, service_url: str, audience: str | None = None) -> _Client:
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            async with self._clients_lock:  # one build per key, however many sends wait for it
                client = self._clients.get(key)
                if client is None:
                    client = await self._build(service_url, audience)
                    self._clients.put(key, client)
        return client

    async def _build(self, service_url: str, audience: str | None) -> _Client:
        # What `CloudAdapterBase.continue_conversation` does for each call (`process_proactive`).
        claims_identity = self.adapter.create_claims_identity(self.bot_app_id)
        factory = self.adapter.bot_framework_authentication.create_connector_factory(claims_identity)
        client = _Client(service_url, await factory.create(service_url, audience))
        await client.fresh_token()
        return client

    def _forget(self, service_url: str, client: _Client) -> None:
        for key, cached in self._clients.items():
            if key[0] == service_url and cached is client:
                self._clients.pop(key)

    async def _retrying(self, operation: str, attempt: Callable[[], Awaitable[Any]]) -> Any:
        for number in range(1, self.max_attempts + 1):
            try:
                with telemetry().span(f"teams {operation}", attempt=number):
                    answer = await attempt()
                telemetry().teams_call(operation, TAKEN)
                return answer
            except TeamsError as error:
                telemetry().teams_call(operation, error.status)
                if not error.transient or number == self.max_attempts or (error.status == 429
                                                                          and not self.retry_throttled):
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


class _Client:
    """One service URL's connector: its address, the SDK's credentials and user agent, and when
    the app token was last fetched off the event loop.

    MSAL fetches the token with synchronous HTTP when its cache has none or it expires in under
    5 minutes. Asking first in a worker thread, at least every TOKEN_PREFETCH_INTERVAL, keeps a
    valid token in MSAL's cache so the loop only ever reads it. Without an app id (local runs)
    there is no token."""

    def __init__(self, service_url: str, connector: ConnectorClient) -> None:
        self.base = service_url.rstrip("/") + "/"
        self.user_agent = connector.config.user_agent
        credentials = getattr(connector.config, "credentials", None)
        should_set = getattr(credentials, "_should_set_token", None)
        wants_token = callable(should_set) and bool(should_set(None)) \
            and callable(getattr(credentials, "get_access_token", None))
        self._get_token = credentials.get_access_token if wants_token and credentials is not None else None
        self._fetched_at: float | None = None

    async def fresh_token(self) -> None:
        if self._get_token is None:
            return
        now = time.monotonic()
        if self._fetched_at is not None and now - self._fetched_at < TOKEN_PREFETCH_INTERVAL:
            return  # fetched recently, or being fetched: MSAL's cache still holds a valid token
        previous, self._fetched_at = self._fetched_at, now
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._get_token)
        except BaseException:
            self._fetched_at = previous
            raise

    def token(self) -> str | None:
        """From MSAL's cache (see above); None without credentials."""
        return self._get_token() if self._get_token is not None else None

    async def request(self, session: aiohttp.ClientSession, method: str, path: str, body: dict[str, Any]) -> Any:
        """The connector's JSON answer (None when empty); a TeamsError for anything else."""
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
                   "User-Agent": self.user_agent}
        token = self.token()
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            async with session.request(method, URL(self.base + path, encoded=True), headers=headers,
                                       data=json.dumps(body).encode()) as response:
                data = await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise TeamsError(0, "ConnectionFailed", str(exc) or type(exc).__name__) from exc
        if response.status >= 400:
            code, message = _error_detail(data, response)
            raise teams_error(response.status, code, message,
                              retry_after=_retry_after(response.headers.get("Retry-After")))
        try:
            return json.loads(data) if data.strip() else None
        except ValueError as exc:
            raise TeamsError(response.status, "InvalidResponse", f"not JSON: {data[:100]!r}") from exc


def _activities(conversation_id: str, activity_id: str | None = None) -> str:
    """The route of a conversation's activities (or of one of them), ids quoted as the SDK does."""
    path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
    return f"{path}/{quote(activity_id, safe='')}" if activity_id else path


def _addressed(reference: dict[str, Any], activity: Activity) -> tuple[str, str, dict[str, Any]]:
    """(service URL, conversation id, `activity` as JSON addressed as the SDK's proactive turn
    addresses it: `TurnContext.apply_conversation_reference` with the continuation event's reference).

    The stored reference is already the SDK's JSON (references.py): used as it is, only checked
    and given the tenant under the schema's spelling, instead of being turned into models and back."""
    conversation, service_url = reference.get("conversation"), reference.get("serviceUrl")
    if not isinstance(conversation, dict) or not conversation.get("id") or not service_url:
        raise ValueError("a conversation reference needs conversation.id and serviceUrl")
    if "tenantID" not in conversation and conversation.get("tenantId"):
        conversation = {**conversation, "tenantID": conversation["tenantId"]}
    body = to_wire(activity)
    body.pop("locale", None)  # the continuation event has no locale, so the SDK always sent none
    body.update(channelId=reference.get("channelId"), serviceUrl=service_url,
                conversation=_known(conversation, ConversationAccount),
                recipient=_known(reference.get("user"), ChannelAccount))
    body["from"] = _known(reference.get("bot"), ChannelAccount)
    return service_url, conversation["id"], {k: v for k, v in body.items() if v is not None}


_KNOWN = {model: frozenset(spec["key"] for spec in model._attribute_map.values())
          for model in (ConversationAccount, ChannelAccount)}


def _known(account: Any, model: type) -> dict[str, Any] | None:
    """An account or conversation as the SDK sends it after reading it: its schema's fields only."""
    if not isinstance(account, dict):
        return None
    return {k: v for k, v in account.items() if k in _KNOWN[model] and v is not None}


def _error_detail(data: bytes, response: aiohttp.ClientResponse) -> tuple[str, str]:
    """The connector's `{"error": {"code", "message"}}`, or the status line when the body is not that."""
    try:
        detail = json.loads(data).get("error") or {}
        return str(detail.get("code") or ""), str(detail.get("message") or response.reason or "")
    except (ValueError, AttributeError):
        return "", f"Operation returned an invalid status code '{response.reason}'"


def _retry_after(value: str | None) -> float | None:
    # Teams sends seconds; an HTTP-date is rare here and would need a clock: treated as absent.
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds)
