"""Composition root: `create_app(settings)` builds the aiohttp application; `python app.py` runs it.

Nothing is built at import time. Storage, HTTP sessions and the job worker are opened when the
application starts and closed when it stops, so tests build the app with their own clock,
storage and endpoints.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import sys
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, AsyncIterator, Awaitable, Callable, cast

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError

import configured
from adapters.logs import configure as configure_logging
from config import ConfigError, Settings, load_settings
from core.clock import Clock, SystemClock
from core.media_links import MediaLinks
from core.media_store import MediaStore
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.storage import Storage
from core.telemetry import telemetry
from core.threads import Target

if TYPE_CHECKING:  # the components' types; they are imported where built, so that importing app.py stays light
    from botbuilder.integration.aiohttp import CloudAdapter

    from adapters.directory_files import LiveDirectory
    from adapters.teams.endpoint import MessagingEndpoint
    from adapters.wechat.webhook import WeChatWebhook
    from bots.bridge_bot import BridgeBot
    from services.worker import Worker
    from services.conversation_runner import ConversationRunner
    from services.health import Readiness

log = logging.getLogger("bridge")


class ClientErrorsInOneLine(logging.Filter):
    """aiohttp logs a request it cannot parse (a bad chunk, a header too long …) with its parser's
    traceback, at ERROR: anyone could fill the log with them. One line each, a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (HttpProcessingError, web.RequestPayloadError)):
            record.msg, record.args = "%s: %s", (record.getMessage(), " ".join(str(error).split())[:200])
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


HTTP_LOG = logging.getLogger("bridge.http")  # the server's own log (aiohttp's "aiohttp.server"), filtered
HTTP_LOG.addFilter(ClientErrorsInOneLine())


@dataclass
class Components:
    storage: Storage
    webhooks: dict[str, WeChatWebhook]  # per Official Account

    adapter: CloudAdapter
    bot: BridgeBot
    worker: Worker
    conversations: ConversationRunner
    started_at: float
    directory: LiveDirectory  # the organizations, with the employee directory as it is now
    messaging: MessagingEndpoint  # /api/messages
    media: MediaStore
    media_links: MediaLinks  # /media/<token>
    readiness: Callable[[], Awaitable[Readiness]]  # /readyz

    @property
    def webhook(self) -> WeChatWebhook:
        """The default Official Account's (/api/wechat)."""
        return self.webhooks[DEFAULT_ACCOUNT]


COMPONENTS = web.AppKey("components", Components)
WEBHOOK_PATH = "/api/wechat"  # the Official Accounts' server URL


def create_app(settings: Settings, *, clock: Clock | None = None, storage: Storage | None = None) -> web.Application:
    clock = clock or SystemClock()
    # No inflating of compressed bodies: neither Teams nor WeChat sends one, and a small one can inflate
    # to gigabytes (adapters/http_body.py refuses them).
    app = web.Application(client_max_size=settings.webhook_max_body_bytes,
                          handler_args={"auto_decompress": False, "logger": HTTP_LOG})

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        async with running(settings, clock, storage) as components:
            app[COMPONENTS] = components
            yield

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_post("/api/messages", _messages)
    app.router.add_get(WEBHOOK_PATH, _wechat_get)
    app.router.add_post(WEBHOOK_PATH, _wechat_post)
    app.router.add_get(WEBHOOK_PATH + "/{account}", _wechat_get)  # a sub-organization's own Official Account
    app.router.add_post(WEBHOOK_PATH + "/{account}", _wechat_post)
    app.router.add_get("/media/{token}", _media)
    app.router.add_get("/media/{token}/{filename}", _media)  # a document, downloaded under its name
    return app


@contextlib.asynccontextmanager
async def running(settings: Settings, clock: Clock, storage: Storage | None = None) -> AsyncIterator[Components]:
    """The components, started (the job worker and the timers where this instance runs jobs), and
    stopped and closed on the way out. The web app (`create_app`) and `worker.py` both run in it."""
    components, closers = await _build(settings, clock, storage)
    closers.append(await configured.telemetry(settings, components.storage, clock))
    await components.worker.start()
    housekeeping = (asyncio.get_running_loop().create_task(_housekeeping(components))
                    if settings.run_jobs else None)
    try:
        yield components
    finally:
        if housekeeping is not None:
            housekeeping.cancel()
            await asyncio.gather(housekeeping, return_exceptions=True)
        await components.worker.stop()
        for close in reversed(closers):
            await close()


async def _build(settings: Settings, clock: Clock, storage: Storage | None):
    # Imported here so that importing app.py stays light (tests import it for create_app only).
    from botbuilder.core import TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter

    from adapters.media.images import fit_image
    from adapters.storage import configured_storage
    from adapters.teams.auth import BotAuthentication
    from adapters.teams.endpoint import MessagingEndpoint
    from adapters.teams.chats import BotConnectorChats
    from adapters.teams.sender import TeamsSender
    from adapters.wechat.client import WeChatClient
    from adapters.wechat.crypto import WeChatCrypto
    from adapters.wechat.replay import NonceGuard
    from adapters.wechat.token_cache import TokenCache
    from adapters.wechat.webhook import WeChatWebhook
    from bots.bridge_bot import BridgeBot
    from services.admin_panel import AdminPanel
    from services.health import read_readiness
    from services.qr_codes import QrCodes
    from services.wiring import Options, Ports, wire

    from pathlib import Path

    from adapters.directory_files import LiveDirectory

    closers = []
    live = LiveDirectory(settings.directory, settings.organizations_data,
                         Path(settings.organizations_file).parent if settings.organizations_file else None,
                         settings.conversation)
    directory = cast(Directory, live)  # it stands for the current Directory, whose attributes it forwards
    if settings.organizations_file:
        watch = asyncio.get_running_loop().create_task(live.watch(settings.directory_reload_seconds))

        async def stop_watching() -> None:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)

        closers.append(stop_watching)
    if storage is None:
        storage = configured_storage(settings)
    await storage.open()
    closers.append(storage.close)
    media, links = await configured.media_store(settings, clock)
    closers.append(media.close)
    session = aiohttp.ClientSession()
    closers.append(session.close)

    wechat: dict[str, WeChatClient] = {}  # per Official Account
    for account in settings.wechat_accounts:
        tokens = functools.partial(
            TokenCache, storage, clock, app_id=account.app_id, instance_id=settings.instance_id,
            lease_seconds=30,  # longer than the client's 10 s timeout, so a slow WeChat does not lose the lease
        )
        wechat[account.id] = WeChatClient(session, account.api_base_url, account.app_id, account.app_secret,
                                          token_cache=tokens, image_base_url=settings.wechat_qr_base_url)
    authentication = BotAuthentication(app_id=settings.APP_ID, password=str(settings.APP_PASSWORD),
                                       app_type=settings.APP_TYPE, tenant_id=settings.APP_TENANTID,
                                       openid_metadata_url=settings.bot_openid_metadata_url)
    closers.append(authentication.close)
    adapter = CloudAdapter(authentication.sdk)

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        incident = uuid.uuid4().hex[:8]
        log.error("turn failed (incident %s)", incident, exc_info=error)
        await turn_context.send_activity(f"Sorry, something went wrong (incident {incident}). Nothing was sent.")

    adapter.on_turn_error = on_turn_error
    # Paced, the sender leaves a 429 to the pacer (services/paced_teams.py), which learns from its Retry-After.
    sender = TeamsSender(adapter, settings.APP_ID, retry_throttled=not settings.teams_pacing)
    closers.append(sender.close)

    services = wire(
        Ports(storage=storage, clock=clock, directory=directory, teams=BotConnectorChats(sender), wechat=wechat,
              pins=configured.pin_sender(settings, session, clock), mail=configured.mail_relay(settings),
              media=media,
              media_links=links if settings.media.public_base_url else None,  # no address: no links
              **await configured.voice_ports(settings, session),
              fit_image=fit_image,
              **configured.record_ports(settings, session, storage, clock)),
        Options(instance_id=settings.instance_id,
                default_target=Target.parse(settings.default_target) if settings.default_target else None,
                admins=settings.teams_admins, pin_key=str(settings.pins.key).encode(),
                mail_sender=settings.mail.sender if settings.mail else "",
                lease_seconds=settings.job_lease_seconds, poll_seconds=settings.worker_poll_seconds,
                runs_jobs=settings.run_jobs, pace_teams=settings.teams_pacing,
                speech_languages=settings.voice.speech_languages,
                document_link_days=settings.media.document_link_days))
    if not services.enablement.required:
        log.warning("TEAMS_ADMINS is not set: everyone who installs the app may use WeChat from Teams")

    webhooks: dict[str, WeChatWebhook] = {}
    for account in settings.wechat_accounts:
        crypto = WeChatCrypto(account.token, account.aes_keys, account.app_id) if account.aes_keys else None
        webhooks[account.id] = WeChatWebhook(
            token=account.token,
            crypto=crypto,
            clock=clock,
            # In safe mode the signature covers the body, so a replay is a duplicate the job ids catch:
            # the nonce record (a storage write per push) only guards plaintext mode.
            nonces=None if crypto else NonceGuard(storage, clock, settings.webhook_max_skew_seconds),
            accept=functools.partial(services.inbound.accept, account=account.id),
            max_body_bytes=settings.webhook_max_body_bytes,
            max_skew_seconds=settings.webhook_max_skew_seconds,
            body_timeout_seconds=settings.body_timeout_seconds,
            original_id=account.original_id,
        )
    bot = BridgeBot(threads=services.threads, outbound=services.outbound, participants=services.participants,
                    queue=services.queue, clock=clock, enablement=services.enablement,
                    qr_codes=QrCodes(storage, wechat, directory, {a.id: a.name for a in settings.wechat_accounts}),
                    admin=AdminPanel(storage=storage, directory=directory, enablement=services.enablement, clock=clock,
                                     accounts=[(a.name, a.app_id) for a in settings.wechat_accounts],
                                     archive=settings.archive is not None),
                    contacts=services.contacts, directory=directory, live_cards=services.live_cards,
                    interrupted_starts=services.interrupted_starts)
    messaging = MessagingEndpoint(adapter=adapter, bot=bot, authentication=authentication,
                                  max_body_bytes=settings.webhook_max_body_bytes,
                                  body_timeout_seconds=settings.body_timeout_seconds)
    accounts = [(a.id, a.app_id) for a in settings.wechat_accounts]
    readiness = functools.partial(read_readiness, storage, clock, accounts)
    return Components(storage, webhooks, adapter, bot, services.worker, services.conversations, clock.now(), live,
                      messaging, media, links, readiness), closers


async def _housekeeping(components: Components, every_seconds: float = 10.0) -> None:
    """Timers (the policy's 24 h and 48 h deadlines, stored on the threads) and the nonce purge."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await components.conversations.fire_due_timers()
            if components.webhook.nonces:
                await components.webhook.nonces.purge()
        except Exception:
            log.exception("housekeeping failed; trying again next round")


async def _media(request: web.Request) -> web.StreamResponse:
    from adapters.media.serving import serve_media

    components = request.app[COMPONENTS]
    return await serve_media(request, components.media, components.media_links)


async def _messages(request: web.Request) -> web.Response:
    return await request.app[COMPONENTS].messaging.post(request)


def _webhook(request: web.Request) -> WeChatWebhook:
    webhook = request.app[COMPONENTS].webhooks.get(request.match_info.get("account", DEFAULT_ACCOUNT))
    if webhook is None:
        raise web.HTTPNotFound(text="no such Official Account")
    return webhook


async def _wechat_get(request: web.Request) -> web.Response:
    return await _webhook(request).get(request)


async def _wechat_post(request: web.Request) -> web.Response:
    with telemetry().span("webhook wechat", account=request.match_info.get("account", DEFAULT_ACCOUNT)):
        return await _webhook(request).post(request)


async def _healthz(request: web.Request) -> web.Response:
    """Alive: the process answers (the container's liveness probe)."""
    return web.json_response({"status": "ok"})


READY_WITHIN_SECONDS = 3.0  # storage slower than this to answer a point read is as good as unreachable


async def _readyz(request: web.Request) -> web.Response:
    """Ready for traffic: storage answers; also says whether a worker is alive and each access token fresh
    (services/health.py Readiness: why only storage decides). 503 while starting or when storage does not answer."""
    components = request.app.get(COMPONENTS)
    if components is None:
        return web.json_response({"ready": False, "starting": True}, status=503)
    try:
        readiness = await asyncio.wait_for(components.readiness(), READY_WITHIN_SECONDS)
    except asyncio.TimeoutError:
        return web.json_response({"ready": False, "storage": "too slow"}, status=503)
    return web.json_response(readiness.to_json(), status=200 if readiness.ready else 503)


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log without query strings: WeChat's carry signatures and the guest's openid. Not of the pushes
    WeChat's webhook acknowledged: each is a job in storage and counted in telemetry, and the line cost
    a tenth of an acknowledgement's CPU (what the webhook refuses, it logs itself, with why)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if response.status == 200 and request.method == "POST" and request.raw_path.startswith(WEBHOOK_PATH):
            return
        self.logger.info("%s %s %s %d %.1fms", request.remote, request.method, request.path, response.status,
                         time * 1000)


def settings_for_process() -> Settings:
    """Logging set up and the settings read, for `python app.py` and `python worker.py`; a
    configuration error is printed (each problem named) and exits with 2."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
    configure_logging(settings.log_format, settings.secrets())
    return settings


GC_YOUNG_THRESHOLD = 7_000


def main() -> None:
    settings = settings_for_process()
    if not settings.bot_auth_enabled:
        log.warning("=" * 72)
        log.warning("BOT FRAMEWORK AUTHENTICATION IS OFF (APP_ENV=local, no MicrosoftAppId).")
        log.warning("Anyone who can reach /api/messages can act as Teams. Never run this in production.")
        log.warning("=" * 72)
    # The collector's youngest generation every GC_YOUNG_THRESHOLD allocations (Python's 700 collected every
    # few pushes, walking the objects of every request in flight each time): 3 % of an acknowledgement.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
