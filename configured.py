"""The ports each setting chooses, built (telemetry, voice, media, the record's outlets, mail, PINs): what
app.py plugs into services.wiring. Each adapter is imported only when its setting chooses it, so a
deployment without it never loads its library."""
from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
from typing import Any, Awaitable, Callable

import aiohttp

from config import Settings
from core.clock import Clock
from core.mail_relay import MailRelay
from core.media_links import MediaLinks
from core.media_store import MediaStore
from core.otp_delivery import PinSender
from core.storage import Storage
from core.telemetry import use

log = logging.getLogger("bridge")


async def telemetry(settings: Settings, storage: Storage, clock: Clock) -> Callable[[], Awaitable[None]]:
    """With APPLICATIONINSIGHTS_CONNECTION_STRING, traces and metrics to Azure Monitor (adapters/telemetry.py)
    until the returned close; without it nothing (OpenTelemetry is not even imported)."""
    async def nothing() -> None:
        pass

    if not settings.telemetry_connection_string:
        return nothing
    from adapters.telemetry import AzureMonitor
    from services.health import jobs_waiting

    exporting = await asyncio.to_thread(AzureMonitor, str(settings.telemetry_connection_string),
                                        settings.instance_id)  # the exporter reads files as it starts
    previous = use(exporting)
    watch = asyncio.get_running_loop().create_task(exporting.watch_queue(lambda: jobs_waiting(storage, clock.now())))
    log.info("telemetry: traces and metrics to Azure Monitor")

    async def close() -> None:
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)
        use(previous)
        await asyncio.to_thread(exporting.shutdown)  # the last spans and metrics sent

    return close


async def voice_ports(settings: Settings, session: aiohttp.ClientSession) -> dict[str, Any]:
    """ffmpeg (its work folders under the system's temporary folder) and, with SPEECH_KEY, Azure AI Speech."""
    import tempfile

    from adapters.media.ffmpeg import Ffmpeg
    from adapters.speech.azure import AzureSpeech, endpoint_of

    v = settings.voice
    temporary = await asyncio.to_thread(tempfile.gettempdir)  # the first call tries writing there
    transcoder = Ffmpeg(v.ffmpeg_binary, os.path.join(temporary, "wechat-bridge-media"))
    speech = AzureSpeech(str(v.speech_key), endpoint_of(v.speech_region, v.speech_endpoint), session) \
        if v.transcribes else None
    return {"transcoder": transcoder, "speech": speech}


async def media_store(settings: Settings, clock: Clock) -> tuple[MediaStore, MediaLinks]:
    """The media store (MEDIA_STORE), opened, and the signer of links to it (MEDIA_URL_KEY)."""
    from adapters.media import configured_media_store

    m = settings.media
    store = configured_media_store(m, settings.azure_client_id)
    await store.open()
    # Without MEDIA_URL_KEY, a key derived from the WeChat AppSecret every instance of this deployment
    # has (one-way, its own label): links made by the worker open on the web instances and survive a
    # restart; rotating the AppSecret ends them. MEDIA_URL_KEY rotates them on their own.
    secret = str(m.url_key).encode() or hashlib.sha256(
        b"wechat-bridge media links\0" + str(settings.wechat_app_secret).encode()).digest()
    return store, MediaLinks(secret, m.public_base_url, clock)


def record_ports(settings: Settings, session: aiohttp.ClientSession, storage: Storage,
                  clock: Clock) -> dict[str, Any]:
    """Where every record entry goes (the `archive` and `crms` of services.wiring.Ports): the
    compliance archive (ARCHIVE_SMTP_HOST) and the CRMs (CRM_WEBHOOK_URL, SALESFORCE_LOGIN_URL), each
    that is configured."""
    from services.archive import party_names
    from services.job_kinds import CRM_SALESFORCE, CRM_WEBHOOK
    from services.threads import ThreadStore
    from services.wiring import Archive, CrmLog

    archive = None
    if settings.archive is not None:
        from adapters.archive.smtp import SmtpArchive

        a = settings.archive
        archive = Archive(a.journal, SmtpArchive.for_journal(a.journal, a.smtp.host, a.smtp.port,
                                                             **a.smtp.relay_options()), a.alert_to,
                          a.max_message_bytes)
    crms = []
    crm = settings.crm
    if crm.webhook_url:
        from adapters.crm.webhook import WebhookCrm

        crms.append(CrmLog(CRM_WEBHOOK, WebhookCrm(crm.webhook_url, str(crm.webhook_secret), session,
                                                   clock=clock.now), with_day=False))
    if crm.salesforce_login_url:
        from adapters.crm.salesforce import SalesforceCrm

        threads = ThreadStore(storage, clock=clock)  # for the names of a thread's parties
        salesforce = SalesforceCrm(crm.salesforce_login_url, crm.salesforce_client_id,
                                   str(crm.salesforce_client_secret), session,
                                   task_owner_id=crm.salesforce_task_owner_id or None, clock=clock.now,
                                   names=functools.partial(party_names, threads))
        crms.append(CrmLog(CRM_SALESFORCE, salesforce, with_day=True))
    return {"archive": archive, "crms": crms}


def mail_relay(settings: Settings) -> MailRelay | None:
    """The relay of the e-mail notices to employees, where MAIL_* configures one."""
    if settings.mail is None:
        return None
    from adapters.smtp import SmtpRelay

    m = settings.mail
    return SmtpRelay(m.smtp.host, m.smtp.port, envelope_from=m.sender, **m.smtp.relay_options())


def pin_sender(settings: Settings, session: aiohttp.ClientSession, clock: Clock) -> PinSender | None:
    """Who sends the guests' PINs (OTP_PROVIDER), for phone validation: None, no validation."""
    pins = settings.pins
    if pins.provider == "twilio":
        from adapters.otp.twilio import TwilioSender

        return TwilioSender(pins.twilio_account_sid, str(pins.twilio_auth_token), session,
                            from_number=pins.twilio_from, base_url=pins.twilio_base_url, clock=clock.now)
    if pins.provider == "acs":
        from adapters.otp.acs import AcsSmsSender

        return AcsSmsSender.from_connection_string(str(pins.acs_connection_string), pins.acs_from, session,
                                                   clock=clock.now)
    if pins.provider:
        from adapters.otp.dev import DevSender

        return DevSender(production=not settings.local)
    return None
