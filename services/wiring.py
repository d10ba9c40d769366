"""The services, built and joined by their constructors, from the ports (app.py's adapters, or the
unit tests' fakes: tests/fakes.py) and a few options: the app and the tests build one graph.

Which services there are follows from the ports given: phone validation where a PIN sender is
(OTP_PROVIDER), the routing assistant where a sub-organization has one, e-mail notices where a mail
relay is (MAIL_*), each record outlet (the archive, the CRMs) that is given. Who handles each job
kind is the one table below (`handlers`); what each kind is, services/job_kinds.py.
"""
from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable, Mapping, Sequence

from core.clock import Clock
from core.crm import Crm
from core.journal import JournalSettings
from core.mail_relay import JournalArchive, MailRelay
from core.image_fit import FitImage
from core.media_fit import MediaFit
from core.media_links import MediaLinks
from core.media_store import MediaStore
from core.official_account import OfficialAccount
from core.organizations import Directory
from core.otp_delivery import PinSender
from core.speech import SpeechToText
from core.storage import Storage
from core.teams_chats import TeamsChats
from core.threads import Target
from core.transcoding import Transcoder
from services import job_kinds as kinds
from services.archive import archive_outlet
from services.guest_connections import GuestConnections
from services.contacts import Contacts
from services.conversation_runner import ConversationRunner
from services.crm import crm_outlet
from services.enablement import EnablementService
from services.guest_dialogs import send_to_guest
from services.employee_media import EmployeeMedia
from services.guest_media import GuestMedia
from services.guest_voice import GuestVoice
from services.guest_posts import GuestPosts
from services.health import PushClock
from services.inbound import InboundService
from services.dlp_tails import DlpTails
from services.interrupted_starts import InterruptedStarts
from services.journal_media import DEFAULT_MAX_MESSAGE_BYTES, JournalMedia
from services.jobs import JobQueue
from services.live_cards import LiveCards
from services.worker import GaveUp, Handler, Worker
from services.mail import MailNotices
from services.media_fitting import WeChatFit
from services.media_sends import DAY, MediaSends
from services.outbound import OutboundService
from services.outlets import Outlet
from services.paced_teams import PacedTeams
from services.instance_shares import InstanceShares
from services.permits import Permits
from services.teams_outbox import TeamsOutbox
from services.participants import ParticipantService
from services.record import Recorder
from services.routing import RoutingService
from services.threads import ThreadStore
from services.validation import ValidationService


@dataclass(frozen=True)
class Archive:
    """The compliance archive: how entries are journaled, where to, and who is alerted of a DLP flag."""

    journal: JournalSettings
    archive: JournalArchive
    alert_to: str | None = None
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES  # ARCHIVE_MAX_MESSAGE_BYTES: larger media go as links


@dataclass(frozen=True)
class CrmLog:
    kind: str  # kinds.CRM_WEBHOOK | kinds.CRM_SALESFORCE
    crm: Crm
    with_day: bool  # the CRM keeps one item per contact and day (Salesforce's Task): it gets the whole day


@dataclass(frozen=True)
class Ports:
    """What the services talk to (core/'s ports): the adapters in the app, fakes in the unit tests."""

    storage: Storage
    clock: Clock
    directory: Directory
    teams: TeamsChats
    wechat: Mapping[str, OfficialAccount]  # per Official Account
    pins: PinSender | None = None  # phone validation (OTP_PROVIDER)
    mail: MailRelay | None = None  # e-mail notices (MAIL_*)
    archive: Archive | None = None  # ARCHIVE_*
    crms: Sequence[CrmLog] = ()
    media: MediaStore | None = None  # where media is kept (MEDIA_STORE)
    media_links: MediaLinks | None = None  # links to it Teams clients fetch (PUBLIC_BASE_URL): guests' images shown
    # Employees' media fitted to WeChat's limits; None: services/media_fitting.py on the transcoder (without
    # one, messages with attachments are refused).
    media_fit: MediaFit | None = None
    transcoder: Transcoder | None = None  # ffmpeg: guests' voice messages played in Teams
    speech: SpeechToText | None = None  # SPEECH_*: voice messages WeChat gave no transcript of
    fit_image: FitImage | None = None  # images fitted to Teams' inline limits (None: shown as they came)
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep  # how the services wait (the Teams pacer)


@dataclass(frozen=True)
class Options:
    instance_id: str
    default_target: Target | None = None  # where new guests of the default Official Account go
    admins: frozenset[str] = frozenset()  # TEAMS_ADMINS
    pin_key: bytes = b""  # what PINs are hashed with
    mail_sender: str = ""
    lease_seconds: float = 30.0  # of a job
    poll_seconds: float = 1.0  # how often the worker looks for due jobs
    runs_jobs: bool = True  # False: jobs are only persisted here, for `python worker.py`
    document_link_days: int = 7  # how long the link of a document sent to a guest works
    speech_languages: tuple[str, ...] = ("zh-CN",)  # SPEECH_LANGUAGES
    pace_teams: bool = False  # TEAMS_PACING: every Teams call waits for a permit under Teams' rate limits


@dataclass(frozen=True)
class Services:
    queue: JobQueue
    worker: Worker
    threads: ThreadStore
    recorder: Recorder
    enablement: EnablementService
    conversations: ConversationRunner
    live_cards: LiveCards
    validation: ValidationService | None
    routing: RoutingService | None
    mail: MailNotices | None
    connections: GuestConnections
    inbound: InboundService
    participants: ParticipantService
    outbound: OutboundService
    contacts: Contacts
    outlets: tuple[Outlet, ...]
    interrupted_starts: InterruptedStarts
    outbox: TeamsOutbox | None = None  # guests' messages coalesced under a backlog (paced Teams only)


def wire(ports: Ports, options: Options) -> Services:
    shares = InstanceShares(ports.storage, ports.clock, options.instance_id)  # of each tenant's limit
    paced = PacedTeams(ports.teams, Permits(ports.storage, ports.clock, shares), sleep=ports.sleep) \
        if options.pace_teams else None
    ports = replace(ports, teams=paced or ports.teams)
    storage, clock, directory, wechat = ports.storage, ports.clock, ports.directory, ports.wechat
    queue = JobQueue(storage, clock, options.instance_id, lease_seconds=options.lease_seconds)
    worker = Worker(queue, poll_seconds=options.poll_seconds, runs_jobs=options.runs_jobs)
    threads = ThreadStore(storage, clock=clock)
    outlets = record_outlets(worker=worker, threads=threads, storage=storage, clock=clock, archive=ports.archive,
                             crms=ports.crms, media=ports.media, media_links=ports.media_links)
    recorder = Recorder(storage, clock, outlets=[outlet.enqueue for outlet in outlets])
    enablement = EnablementService(storage, directory, clock, options.admins)
    media_sends = MediaSends(store=ports.media, links=ports.media_links, wechat=wechat, directory=directory,
                             threads=threads, link_seconds=options.document_link_days * DAY) if ports.media else None
    live_cards = LiveCards(threads=threads, worker=worker, teams=ports.teams, directory=directory, clock=clock)
    conversations = ConversationRunner(threads=threads, worker=worker, teams=ports.teams, wechat=wechat,
                                       directory=directory, clock=clock, live_cards=live_cards, recorder=recorder,
                                       media=media_sends)
    validation = None if ports.pins is None else ValidationService(
        storage=storage, worker=worker, pins=ports.pins, recorder=recorder, directory=directory, clock=clock,
        key=options.pin_key)
    routing = RoutingService(storage=storage, worker=worker, recorder=recorder, directory=directory, clock=clock) \
        if any(sub.routing for sub in directory.sub_organizations) else None
    mail = None if ports.mail is None else MailNotices(worker=worker, relay=ports.mail, sender=options.mail_sender,
                                                       clock=clock)
    interrupted_starts = InterruptedStarts(storage, clock)
    dlp_tails = DlpTails(storage, clock)
    outbox = TeamsOutbox(storage, clock, paced, worker) if paced else None
    posts = GuestPosts(threads=threads, teams=ports.teams, directory=directory, interrupted=interrupted_starts,
                       outbox=outbox)
    connections = GuestConnections(threads=threads, wechat=wechat, directory=directory, clock=clock, posts=posts,
                                   conversations=conversations, default_target=options.default_target,
                                   enablement=enablement, validation=validation, mail=mail)
    # Kept wherever there is a store; shown in Teams (and voice played) where there is also a public address.
    media = GuestMedia(store=ports.media, links=ports.media_links, wechat=wechat, fit_image=ports.fit_image) \
        if ports.media else None
    voice = GuestVoice(media=media, transcoder=ports.transcoder, speech=ports.speech,
                       languages=options.speech_languages) if media and media.links and ports.transcoder else None
    inbound = InboundService(worker=worker, threads=threads, clock=clock, directory=directory,
                             conversations=conversations, connections=connections, posts=posts, recorder=recorder,
                             pushes=PushClock(storage, clock), validation=validation, routing=routing,
                             dlp_tails=dlp_tails, media=media, voice=voice)
    participants = ParticipantService(threads=threads, conversations=conversations, directory=directory,
                                      enablement=enablement)
    services = Services(
        queue, worker, threads, recorder, enablement, conversations, live_cards, validation, routing, mail, connections,
        inbound, participants,
        OutboundService(worker=worker, threads=threads, conversations=conversations, participants=participants,
                        dlp_tails=dlp_tails,
                        media=employee_media(ports)),
        Contacts(storage=storage, threads=threads, directory=directory, live_cards=live_cards), tuple(outlets),
        interrupted_starts, outbox)
    told = gave_up_told(services)
    for kind, handler in handlers(services, wechat).items():
        worker.register(kind, handler, gave_up=told.get(kind))
    return services


def employee_media(ports: Ports) -> EmployeeMedia | None:
    """How employees' attachments are taken, where they can be: a media store, and a fitter (the one
    given, else WeChat's limits on the transcoder)."""
    if ports.media is None:
        return None
    fit = ports.media_fit or (WeChatFit(ports.media, transcoder=ports.transcoder, fit_image=ports.fit_image)
                              if ports.transcoder else None)
    return EmployeeMedia(store=ports.media, teams=ports.teams, fit=fit) if fit else None


def handlers(s: Services, wechat: Mapping[str, OfficialAccount]) -> dict[str, Handler]:
    """Who runs each job kind: a message's journey, one row a step (services/job_kinds.py says what
    each step is and what comes next)."""
    return {
        kinds.WECHAT_INBOUND: s.inbound.handle,
        kinds.DIALOG_SEND: functools.partial(send_to_guest, wechat),
        **({kinds.VALIDATION_TICK: s.validation.tick} if s.validation else {}),
        kinds.VALIDATION_CONNECT: s.connections.validated,
        kinds.ROUTING_CONNECT: s.connections.routed,
        **({kinds.NOTIFY_MAIL: s.mail.send} if s.mail else {}),
        kinds.EMPLOYEE_MESSAGE: s.outbound.handle,
        kinds.POLICY_SEND: s.conversations.send,
        kinds.POLICY_TEMPLATE: s.conversations.template,
        kinds.POLICY_NOTICE: s.conversations.notice,
        kinds.POLICY_STATUS: s.live_cards.status,
        **{outlet.kind: outlet.handle for outlet in s.outlets},
    }


def gave_up_told(s: Services) -> dict[str, GaveUp]:
    """Who learns that a job of a kind failed for good: a message that will not be sent is refused
    (the employees told, the record says so), never left pending."""
    return {kinds.POLICY_SEND: s.conversations.gave_up_sending, kinds.POLICY_TEMPLATE: s.conversations.gave_up_sending}


def record_outlets(*, worker: Worker, threads: ThreadStore, storage: Storage, clock: Clock,
                   archive: Archive | None, crms: Sequence[CrmLog], media: MediaStore | None = None,
                   media_links: MediaLinks | None = None) -> list[Outlet]:
    """Where every record entry goes besides the record: the archive (with a media entry's originals,
    from `media`) and each CRM given (a reference to them, with a link where there is a public address)."""
    outlets = [archive_outlet(worker=worker, threads=threads, journal=archive.journal, archive=archive.archive,
                              clock=clock, alert_to=archive.alert_to,
                              media=JournalMedia(media, media_links, clock, archive.max_message_bytes))
               ] if archive else []
    return outlets + [crm_outlet(c.kind, c.crm, worker=worker, storage=storage, clock=clock, with_day=c.with_day,
                                 links=media_links) for c in crms]
