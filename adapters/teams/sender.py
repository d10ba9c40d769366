"""Proactive messages into Teams: send, update, open a 1:1 chat, start a channel thread.

Calls the Bot Connector through the SDK's async `ConnectorClient`, built by the adapter's own
authentication (`bot_framework_authentication.create_connector_factory`, with the claims identity
`CloudAdapter.continue_conversation` builds for the bot's app id) — so credentials and token
acquisition are the SDK's — but once per service URL, not per call:

- `continue_conversation` builds a new `ConnectorClient` (msrest configuration, serializers, a
  retry policy that alone costs ~7 ms of CPU), a `UserTokenClient` and new app credentials (in
  production a new MSAL app and token request) for every message, and each client opens its own
  TCP connection. A cached client keeps its MSAL token cache. The activity is addressed here
  exactly as the SDK's proactive turn addresses it.
- errors reach the caller (no turn, so nothing goes to `adapter.on_turn_error`), typed
  (`adapters.teams.errors`) from the connector's status and error code;
- the SDK does not retry: 412 / 429 / 502 / 504 are retried here with exponential backoff and
  jitter, never sooner than Retry-After, through the injected `sleep`;
- HTTP goes through one aiohttp session on the event loop instead of msrest's default, which runs
  `requests` in executor threads: those threads took the GIL from the loop (30% of the app's CPU
  samples under load, serialisation included) and retried statuses unseen.

No turn runs, so middleware registered on the adapter (none is, today) does not see these calls.
"""
from __future__ import annotations

import asyncio
import copy
import logging
import random
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable
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
from msrest.exceptions import ClientRequestError, HttpOperationError
from msrest.pipeline import AsyncHTTPSender, AsyncPipeline, Response, SansIOHTTPPolicy
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http.aiohttp import AioHttpClientResponse

from adapters.teams.errors import TeamsError, teams_error
from adapters.teams.references import reference_from_dict, reference_to_dict

log = logging.getLogger(__name__)

MSTEAMS = "msteams"

MAX_CLIENTS = 32  # connector clients kept, one per (service URL, audience): Teams has a handful of regional URLs
TOKEN_PREFETCH_INTERVAL = 60.0  # seconds; well inside MSAL's 5-minute early expiry
CONNECTIONS_PER_HOST = 64  # kept-alive connections to one service URL
TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)


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
        self._clients: OrderedDict[tuple[str, str | None], _Client] = OrderedDict()
        self._clients_lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- public API --------------------------------------------------------------------------
    async def send(self, reference: dict[str, Any], activity: Activity) -> str:
        """Posts `activity` into the referenced conversation; returns the new message's id."""
        ref = reference_from_dict(reference)
        outgoing = _addressed(ref, activity)
        outgoing.type = outgoing.type or ActivityTypes.message
        outgoing.input_hint = outgoing.input_hint or InputHints.accepting_input
        outgoing.id = None
        # The documented proactive call is send-to-conversation (POST …/activities); a reply
        # (POST …/activities/<id>) only when the caller asked for one.
        reply_to_id = outgoing.reply_to_id = activity.reply_to_id

        async def attempt(client: ConnectorClient) -> str:
            if reply_to_id:
                response = await client.conversations.reply_to_activity(
                    outgoing.conversation.id, reply_to_id, outgoing)
            else:
                response = await client.conversations.send_to_conversation(outgoing.conversation.id, outgoing)
            return response.id if response and response.id else ""

        return await self._retrying("send", lambda: self._call(ref.service_url, attempt))

    async def update(self, reference: dict[str, Any], activity_id: str, activity: Activity) -> None:
        """Replaces the message `activity_id` of the referenced conversation (e.g. a card)."""
        ref = reference_from_dict(reference)
        replacement = _addressed(ref, activity)
        replacement.id = activity_id
        replacement.type = replacement.type or ActivityTypes.message
        replacement.reply_to_id = None

        async def attempt(client: ConnectorClient) -> None:
            await client.conversations.update_activity(replacement.conversation.id, activity_id, replacement)

        await self._retrying("update", lambda: self._call(ref.service_url, attempt))

    async def create_personal_conversation(self, service_url: str, tenant_id: str, user_id: str) -> dict[str, Any]:
        """Opens (or finds: Teams keeps one per bot and user) the bot's 1:1 chat with `user_id`
        (a `29:` id or the AAD object id). 403 BotNotInConversationRoster if the app is not
        installed for the user or in one of their teams."""
        bot = ChannelAccount(id=f"28:{self.bot_app_id}")
        parameters = ConversationParameters(
            is_group=False, bot=bot, members=[ChannelAccount(id=user_id)], tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )

        async def attempt(client: ConnectorClient) -> dict[str, Any]:
            # What `CloudAdapter.create_conversation` calls, on the cached client.
            created = await client.conversations.create_conversation(parameters)
            return reference_to_dict(ConversationReference(
                bot=bot, user=ChannelAccount(id=user_id), channel_id=MSTEAMS, service_url=service_url,
                conversation=ConversationAccount(id=created.id, is_group=False,
                                                 conversation_type="personal", tenant_id=tenant_id),
            ))

        return await self._retrying("create_conversation", lambda: self._call(service_url, attempt))

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

        async def attempt(client: ConnectorClient) -> tuple[dict[str, Any], str]:
            created = await client.conversations.create_conversation(parameters)
            activity_id = created.activity_id or str(uuid4())  # as the SDK's "CreateConversation" event
            thread_id = created.id or ""
            if ";messageid=" not in thread_id:  # Teams includes it; do not depend on it
                thread_id = f"{channel_id};messageid={activity_id}"
            thread = copy.deepcopy(channel)
            thread.conversation.id = thread_id
            thread.conversation.conversation_type = thread.conversation.conversation_type or "channel"
            thread.conversation.is_group = True
            thread.activity_id = activity_id
            thread.channel_id = thread.channel_id or MSTEAMS
            return reference_to_dict(thread), activity_id

        return await self._retrying("start_channel_thread", lambda: self._call(channel.service_url, attempt))

    # -- the connector ------------------------------------------------------------------------
    async def _call(self, service_url: str, operation: Callable[[ConnectorClient], Awaitable[Any]]) -> Any:
        client = await self._client(service_url)
        try:
            await client.fresh_token()
            return await operation(client.connector)
        except (HttpOperationError, ClientRequestError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            error = _translate(exc)
            if isinstance(error, TeamsError) and error.status == 401:
                # Credentials the service refused: the next attempt builds the client (and its
                # credentials) again, as every call used to.
                self._forget(service_url, client)
            raise error from exc

    async def _client(self, service_url: str, audience: str | None = None) -> _Client:
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            async with self._clients_lock:  # one build per key, however many sends wait for it
                client = self._clients.get(key)
                if client is None:
                    client = await self._build(service_url, audience)
                    self._clients[key] = client
                    while len(self._clients) > MAX_CLIENTS:
                        self._clients.popitem(last=False)  # not closed: a send may still be using it
                    return client
        if self._clients.get(key) is client:
            self._clients.move_to_end(key)
        return client

    async def _build(self, service_url: str, audience: str | None) -> _Client:
        # What `CloudAdapterBase.continue_conversation` does for each call (`process_proactive`).
        claims_identity = self.adapter.create_claims_identity(self.bot_app_id)
        factory = self.adapter.bot_framework_authentication.create_connector_factory(claims_identity)
        connector = await factory.create(service_url, audience)
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=TIMEOUT, connector=aiohttp.TCPConnector(limit_per_host=CONNECTIONS_PER_HOST))
        connector.config.pipeline = _aiohttp_pipeline(connector, self._session)
        client = _Client(connector)
        await client.fresh_token()
        return client

    def _forget(self, service_url: str, client: _Client) -> None:
        for key, cached in list(self._clients.items()):
            if key[0] == service_url and cached is client:
                del self._clients[key]

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


class _Client:
    """A connector client and when its app token was last fetched off the event loop.

    msrest asks the credentials for the token (`signed_session`) on the event loop thread, and
    MSAL fetches it with synchronous HTTP when its cache has none or it expires in under
    5 minutes. Asking first in a worker thread, at least every TOKEN_PREFETCH_INTERVAL, keeps a
    valid token in MSAL's cache so the loop only ever reads it. Without an app id (local runs)
    there is no token."""

    def __init__(self, connector: ConnectorClient) -> None:
        self.connector = connector
        credentials = getattr(connector.config, "credentials", None)
        should_set = getattr(credentials, "_should_set_token", None)
        wants_token = callable(should_set) and bool(should_set(None)) \
            and callable(getattr(credentials, "get_access_token", None))
        self._get_token = credentials.get_access_token if wants_token else None
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


def _addressed(reference: ConversationReference, activity: Activity) -> Activity:
    """A copy of `activity` addressed as the SDK's proactive turn addresses it
    (`TurnContext.apply_conversation_reference` with the continuation event's reference)."""
    outgoing = copy.deepcopy(activity)
    outgoing.channel_id = reference.channel_id
    outgoing.locale = None  # the continuation event has no locale, so the SDK always sent none
    outgoing.service_url = reference.service_url
    outgoing.conversation = copy.copy(reference.conversation)  # with the tenant (`tenantID`)
    outgoing.from_property = copy.copy(reference.bot)
    outgoing.recipient = copy.copy(reference.user)
    return outgoing


def _aiohttp_pipeline(connector: ConnectorClient, session: aiohttp.ClientSession) -> AsyncPipeline:
    """msrest's default pipeline (user agent, credentials, deserialisation, logging) over aiohttp."""
    policies = [connector.config.user_agent_policy, RawDeserializer(), connector.config.http_logger_policy]
    credentials = getattr(connector.config, "credentials", None)
    if credentials is not None:
        policies.insert(1, _BearerToken(credentials))
    return AsyncPipeline(policies, _AiohttpSender(session))


class _BearerToken(SansIOHTTPPolicy):
    """The app's token on each request, as the credentials' `signed_session` sets it for requests:
    read from MSAL's cache, which `_Client.fresh_token` keeps filled off the loop."""

    def __init__(self, credentials: Any) -> None:
        self.credentials = credentials

    def on_request(self, request: Any, **kwargs: Any) -> None:
        should_set = getattr(self.credentials, "_should_set_token", None)
        if callable(should_set) and should_set(None):
            request.http_request.headers["Authorization"] = f"Bearer {self.credentials.get_access_token()}"


class _AiohttpSender(AsyncHTTPSender):
    """Sends msrest's requests on a shared aiohttp session (msrest's own aiohttp driver drops the
    headers and body)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> "_AiohttpSender":
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        return None  # the session belongs to the TeamsSender

    def build_context(self) -> None:
        return None

    async def send(self, request: Any, **config: Any) -> Response:
        http = request.http_request
        raw = await self.session.request(http.method, http.url, headers=dict(http.headers), data=http.data)
        response = _Response(http, raw)
        try:
            await response.load_body()
        finally:
            raw.release()
        return Response(request, response)


class _Response(AioHttpClientResponse):
    def body(self) -> bytes:
        return self._body if self._body is not None else super().body()  # b"" is a body (a 502's)


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
        # `response` is msrest's wrapper of the aiohttp response (status_code, headers).
        response = exc.response
        status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
        headers = getattr(response, "headers", None) or {}
        code, message = "", str(exc.message)
        detail = getattr(exc.error, "error", None)  # ErrorResponse.error: the {"code", "message"} body
        if detail is not None and not isinstance(detail, BaseException):
            code = getattr(detail, "code", None) or ""
            message = getattr(detail, "message", None) or message
        return teams_error(int(status), code, message, retry_after=_retry_after(headers.get("Retry-After")))
    if isinstance(exc, (ClientRequestError, aiohttp.ClientError, asyncio.TimeoutError)):
        return TeamsError(0, "ConnectionFailed", str(exc) or type(exc).__name__)
    return exc
