"""Composition root: `create_app(settings)` builds the aiohttp application; `python app.py` runs it.

Nothing is built at import time. Storage, HTTP sessions and the job worker are opened when the
application starts and closed when it stops, so tests build the app with their own clock,
storage and endpoints.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sys
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, AsyncIterator, cast

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError

from config import ConfigError, Settings, load_settings
from core.clock import Clock, SystemClock
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.otp_delivery import PinSender
from core.storage import Storage
from core.threads import Target

if TYPE_CHECKING:  # the components' types; they are imported where built, so that importing app.py stays light
    from botbuilder.integration.aiohttp import CloudAdapter

    from adapters.directory_files import LiveDirectory
    from adapters.teams.endpoint import MessagingEndpoint
    from adapters.wechat.webhook import WeChatWebhook
    from bots.bridge_bot import BridgeBot
    from services.jobs import Worker
    from services.outlets import Outlet
    from services.policy import PolicyRunner
    from services.record import Recorder
    from services.threads import ThreadStore
    from services.validation import ValidationService

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
    policy: PolicyRunner
    started_at: float
    directory: LiveDirectory  # the organizations, with the employee directory as it is now
    messaging: MessagingEndpoint  # /api/messages

    @property
    def webhook(self) -> WeChatWebhook:
        """The default Official Account's (/api/wechat)."""
        return self.webhooks[DEFAULT_ACCOUNT]


COMPONENTS = web.AppKey("components", Components)


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
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/api/wechat", _wechat_get)
    app.router.add_post("/api/wechat", _wechat_post)
    app.router.add_get("/api/wechat/{account}", _wechat_get)  # a sub-organization's own Official Account
    app.router.add_post("/api/wechat/{account}", _wechat_post)
    return app


@contextlib.asynccontextmanager
async def running(settings: Settings, clock: Clock, storage: Storage | None = None) -> AsyncIterator[Components]:
    """The components, started (the job worker and the timers where this instance runs jobs), and
    stopped and closed on the way out. The web app (`create_app`) and `worker.py` both run in it."""
    components, closers = await _build(settings, clock, storage)
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

    from adapters.storage import open_storage
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
    from services import inbound, outbound
    from services.admin_panel import AdminPanel
    from services.contacts import Contacts
    from services.enablement import EnablementService
    from services.health import PushClock
    from services.jobs import JobQueue, Worker
    from services.participants import ParticipantService
    from services.policy import PolicyRunner
    from services.qr_codes import QrCodes
    from services.record import Recorder
    from services.threads import ThreadStore

    from pathlib import Path

    from adapters.directory_files import LiveDirectory

    closers = []
    live = LiveDirectory(settings.directory, settings.organizations_data,
                         Path(settings.organizations_file).parent if settings.organizations_file else None,
                         settings.policy)
    directory = cast(Directory, live)  # it stands for the current Directory, whose attributes it forwards
    if settings.organizations_file:
        watch = asyncio.get_running_loop().create_task(live.watch(settings.directory_reload_seconds))

        async def stop_watching() -> None:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)

        closers.append(stop_watching)
    if storage is None:
        storage = open_storage(
            settings.storage,
            sqlite_path=settings.sqlite_path,
            cosmos_endpoint=settings.cosmos_endpoint,
            cosmos_key=settings.cosmos_key,
            cosmos_database=settings.cosmos_database,
        )
    await storage.open()
    closers.append(storage.close)
    session = aiohttp.ClientSession()
    closers.append(session.close)

    wechat: dict[str, WeChatClient] = {}  # per Official Account
    for account in settings.wechat_accounts:
        client = WeChatClient(session, account.api_base_url, account.app_id, account.app_secret,
                              image_base_url=settings.wechat_qr_base_url)
        client.token_cache = TokenCache(
            storage, clock, client.fetch_stable_token, app_id=account.app_id, instance_id=settings.instance_id,
            lease_seconds=30,  # longer than the client's 10 s timeout, so a slow WeChat does not lose the lease
        )
        wechat[account.id] = client
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
    sender = TeamsSender(adapter, settings.APP_ID)
    closers.append(sender.close)
    teams = BotConnectorChats(sender)

    queue = JobQueue(storage, clock, settings.instance_id, lease_seconds=settings.job_lease_seconds)
    threads = ThreadStore(storage, clock=clock)
    worker = Worker(queue, poll_seconds=settings.worker_poll_seconds, runs_jobs=settings.run_jobs)
    default_target = Target.parse(settings.default_target) if settings.default_target else None
    outlets = _outlets(settings, worker, threads, storage, session, clock)
    for outlet in outlets:
        outlet.register()
    recorder = Recorder(storage, clock, outlets=[outlet.enqueue for outlet in outlets])
    enablement = EnablementService(storage, directory, clock, settings.teams_admins)
    if not enablement.required:
        log.warning("TEAMS_ADMINS is not set: everyone who installs the app may use WeChat from Teams")
    policy_runner = PolicyRunner(threads=threads, worker=worker, teams=teams, wechat=wechat,
                                 directory=directory, clock=clock, recorder=recorder)
    policy_runner.register()
    inbound_service = inbound.InboundService(
        worker=worker, threads=threads, teams=teams, wechat=wechat, clock=clock,
        default_target=default_target, policy=policy_runner, directory=directory, recorder=recorder,
        enablement=enablement, pushes=PushClock(storage, clock),
    )
    inbound_service.validation = _validation(settings, storage, worker, wechat, recorder, session, clock,
                                             inbound_service.connect, directory)
    if any(sub.routing for sub in directory.sub_organizations):
        from services.routing import RoutingService

        inbound_service.routing = RoutingService(storage=storage, worker=worker, wechat=wechat, recorder=recorder,
                                                 directory=directory, clock=clock,
                                                 connect=inbound_service.connect)
        inbound_service.routing.register()
    if settings.mail is not None:
        from adapters.smtp import SmtpRelay
        from services.mail import MailNotices

        m = settings.mail
        relay = SmtpRelay(m.smtp.host, m.smtp.port, envelope_from=m.sender, **m.smtp.relay_options())
        inbound_service.mail = MailNotices(worker=worker, relay=relay, sender=m.sender, clock=clock)
        inbound_service.mail.register()
    participants = ParticipantService(threads=threads, policy=policy_runner, directory=directory,
                                      enablement=enablement)
    outbound_service = outbound.OutboundService(worker=worker, threads=threads, policy=policy_runner,
                                                participants=participants)
    worker.register(inbound.KIND, inbound_service.handle)
    worker.register(outbound.KIND, outbound_service.handle)

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
            accept=functools.partial(inbound_service.accept, account=account.id),
            max_body_bytes=settings.webhook_max_body_bytes,
            max_skew_seconds=settings.webhook_max_skew_seconds,
            body_timeout_seconds=settings.body_timeout_seconds,
            original_id=account.original_id,
        )
    bot = BridgeBot(threads=threads, outbound=outbound_service, participants=participants, queue=queue,
                    qr_codes=QrCodes(storage, wechat, directory,
                                     {a.id: a.name for a in settings.wechat_accounts}), clock=clock,
                    enablement=enablement,
                    admin=AdminPanel(storage=storage, directory=directory, enablement=enablement, clock=clock,
                                     accounts=[(a.name, a.app_id) for a in settings.wechat_accounts],
                                     archive=settings.archive is not None),
                    contacts=Contacts(storage=storage, threads=threads, directory=directory,
                                      live_cards=policy_runner), directory=directory, live_cards=policy_runner)
    messaging = MessagingEndpoint(adapter=adapter, bot=bot, authentication=authentication,
                                  max_body_bytes=settings.webhook_max_body_bytes,
                                  body_timeout_seconds=settings.body_timeout_seconds)
    return Components(storage, webhooks, adapter, bot, worker, policy_runner, clock.now(), live,
                      messaging), closers


def _outlets(settings: Settings, worker: Worker, threads: ThreadStore, storage: Storage,
             session: aiohttp.ClientSession, clock: Clock) -> list[Outlet]:
    """Where every record entry goes: the compliance archive (ARCHIVE_SMTP_HOST) and the CRMs
    (CRM_WEBHOOK_URL, SALESFORCE_LOGIN_URL), each that is configured."""
    from services.archive import party_names
    from services.outlets import CRM_SALESFORCE, CRM_WEBHOOK

    outlets = []
    if settings.archive is not None:
        from adapters.archive.smtp import SmtpArchive
        from services.archive import archive_outlet

        a = settings.archive
        smtp = SmtpArchive.for_journal(a.journal, a.smtp.host, a.smtp.port, **a.smtp.relay_options())
        outlets.append(archive_outlet(worker=worker, threads=threads, journal=a.journal, archive=smtp, clock=clock,
                                      alert_to=a.alert_to))
    crm = settings.crm
    if crm.webhook_url:
        from adapters.crm.webhook import WebhookCrm
        from services.crm import crm_outlet

        outlets.append(crm_outlet(CRM_WEBHOOK, WebhookCrm(crm.webhook_url, str(crm.webhook_secret), session,
                                                            clock=clock.now),
                                  worker=worker, storage=storage, clock=clock, with_day=False))
    if crm.salesforce_login_url:
        from adapters.crm.salesforce import SalesforceCrm
        from services.crm import crm_outlet

        salesforce = SalesforceCrm(crm.salesforce_login_url, crm.salesforce_client_id,
                                   str(crm.salesforce_client_secret), session,
                                   task_owner_id=crm.salesforce_task_owner_id or None, clock=clock.now,
                                   names=lambda openid: party_names(threads, openid))
        outlets.append(crm_outlet(CRM_SALESFORCE, salesforce, worker=worker, storage=storage, clock=clock,
                                  with_day=True))
    return outlets


def _validation(settings: Settings, storage: Storage, worker: Worker, wechat: dict, recorder: Recorder,
                session: aiohttp.ClientSession, clock: Clock, connect, directory) -> ValidationService | None:
    """Guests' phone validation, where a sub-organization asks for it (`phone_validation`)."""
    pins = settings.pins
    if not pins.provider:
        return None
    from services.validation import ValidationService

    sender: PinSender
    if pins.provider == "twilio":
        from adapters.otp.twilio import TwilioSender

        sender = TwilioSender(pins.twilio_account_sid, str(pins.twilio_auth_token), session,
                              from_number=pins.twilio_from, base_url=pins.twilio_base_url, clock=clock.now)
    elif pins.provider == "acs":
        from adapters.otp.acs import AcsSmsSender

        sender = AcsSmsSender.from_connection_string(str(pins.acs_connection_string), pins.acs_from, session,
                                                     clock=clock.now)
    else:
        from adapters.otp.dev import DevSender

        sender = DevSender(production=not settings.local)
    service = ValidationService(storage=storage, worker=worker, wechat=wechat, pins=sender, recorder=recorder,
                                directory=directory, clock=clock, key=str(pins.key).encode(),
                                connect=connect)
    service.register()
    return service


async def _housekeeping(components: Components, every_seconds: float = 10.0) -> None:
    """Timers (the policy's 24 h and 48 h deadlines, stored on the threads) and the nonce purge."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await components.policy.fire_due_timers()
            if components.webhook.nonces:
                await components.webhook.nonces.purge()
        except Exception:
            log.exception("housekeeping failed; trying again next round")


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
    return await _webhook(request).post(request)


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log without query strings: WeChat's carry signatures and the guest's openid."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %d %.1fms", request.remote, request.method, request.path, response.status,
                         time * 1000)


def settings_for_process() -> Settings:
    """Logging set up and the settings read, for `python app.py` and `python worker.py`; a
    configuration error is printed (each problem named) and exits with 2."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)


def main() -> None:
    settings = settings_for_process()
    if not settings.bot_auth_enabled:
        log.warning("=" * 72)
        log.warning("BOT FRAMEWORK AUTHENTICATION IS OFF (APP_ENV=local, no MicrosoftAppId).")
        log.warning("Anyone who can reach /api/messages can act as Teams. Never run this in production.")
        log.warning("=" * 72)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
