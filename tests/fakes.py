"""In-memory fakes of the ports the services talk through, and the service graph built on them.

Each fake records what it is asked, answers in the real service's terms, and can be told to refuse
its next calls of one method (`refuse_next("post", BotNotInConversationRoster(...))`) with the
errors the adapters raise: TeamsChats (core/teams_chats.py), OfficialAccount
(core/official_account.py), PinSender (core/otp_delivery.py), MailRelay and JournalArchive
(core/mail_relay.py). Everything else is the real thing: `Bridge.build` wires the services with
app.py's wiring (services/wiring.py), on MemoryStorage and a FakeClock; jobs run in this event loop
(`settle`).
"""
from __future__ import annotations

import email
import email.policy
import itertools
from contextlib import asynccontextmanager
from collections import defaultdict
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any, AsyncGenerator, AsyncIterable, AsyncIterator, Mapping, Sequence

from adapters.media.images import fit_image
from adapters.teams.errors import ActivityNotFound, AttachmentUnavailable
from adapters.wechat.client import MediaDownload
from adapters.wechat.errors import InvalidMediaId, MediaTooLarge, WeChatOutcomeUnknown
from core.clock import FakeClock
from core.inbound import WeChatInbound
from core.journal import JournalSettings
from core.media_fit import WECHAT_LIMITS, Fitted, Unfit, fits
from core.media_links import MediaLinks
from core.media_store import Media, StoredMedia, Tally, TooLarge, check_content_type
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.storage import JOBS
from core.teams_chats import Reference, TeamsAttachment, TeamsPost
from core.threads import Target, Thread
from services.outbound import Outcome, TeamsMessage
from services.threads import conversation_key
from services.wiring import Archive, Options, Ports, Services, wire
from tests.card_walk import texts
from tests.memory_storage import MemoryStorage

ALICE = "a11ce000-0000-4000-8000-000000000001"
BOB = "b0b00000-0000-4000-8000-000000000002"
DEFAULT_TARGET = Target("employee", ALICE)  # where new guests go unless a test says otherwise
SERVICE_URL = "https://smba.example/teams/"
MAIL_FROM = "wechat-bridge@contoso.example"
ALERT_TO = "compliance-alerts@contoso.example"  # where the archive's DLP flag alerts go
ACCOUNT_ID = "gh_0123456789ab"  # the Official Account's original id, as its pushes name it


class Refusals:
    """The errors a fake's next calls of a method raise, in order; then its calls go through again."""

    def __init__(self) -> None:
        self._refusals: dict[str, list[BaseException]] = defaultdict(list)

    def refuse_next(self, method: str, *errors: BaseException) -> None:
        """`errors` may be asyncio.CancelledError(): the process stopping in the middle of that call."""
        if not callable(getattr(self, method, None)):
            raise AttributeError(f"{type(self).__name__} has no method {method!r}")
        self._refusals[method].extend(errors)

    def _refusal(self, method: str) -> BaseException | None:
        waiting = self._refusals[method]
        return waiting.pop(0) if waiting else None


# -- Teams -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamsCall:
    method: str  # post | update | start_thread
    conversation: str  # the conversation's id (the channel's, for start_thread)
    message_id: str
    post: TeamsPost

    @property
    def shown(self) -> str:
        """What an employee reads: the Markdown text, then the card's texts."""
        return " ".join(filter(None, [self.post.text, *texts(self.post.card)]))

    @property
    def mark(self) -> Mapping[str, Any]:
        """How the bridge marked it: its origin, and which notice or card it is."""
        return self.post.channel_data.get("wechatBridge", {})


class FakeTeams(Refusals):
    """TeamsChats. Posts get ids `activity-1`, `activity-2` …; a thread started in a channel gets the
    conversation id `<channel>;messageid=<its first message>`, as Teams gives it; updating a message
    the conversation does not have raises ActivityNotFound, as the Bot Connector does."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TeamsCall] = []
        self._ids = itertools.count(1)
        self.attached: dict[str, tuple[bytes, str]] = {}  # url -> (bytes, content type) employees attached
        self.downloads: list[TeamsAttachment] = []  # asked for

    async def post(self, reference: Reference, post: TeamsPost) -> str:
        return self._made("post", _conversation(reference), f"activity-{next(self._ids)}", post)

    async def update(self, reference: Reference, message_id: str, post: TeamsPost) -> None:
        conversation = _conversation(reference)
        posted = any(c.message_id == message_id and c.conversation == conversation for c in self.calls)
        self._made("update", conversation, message_id, post,
                   None if posted else ActivityNotFound(404, "NotFound", f"no message {message_id} here"))

    async def start_thread(self, channel: Reference, post: TeamsPost) -> tuple[dict[str, Any], str]:
        channel_id = _conversation(channel)
        message_id = self._made("start_thread", channel_id, f"activity-{next(self._ids)}", post)
        thread = {**channel, "conversation": {**channel["conversation"], "id": f"{channel_id};messageid={message_id}"}}
        return thread, message_id

    @asynccontextmanager
    async def download(self, attachment: TeamsAttachment, *, max_bytes: int) -> AsyncIterator[MediaDownload]:
        """An attachment of `attached`, in two chunks; one it does not have: AttachmentUnavailable (404)."""
        self.downloads.append(attachment)
        refusal = self._refusal("download")
        if refusal is not None:
            raise refusal
        if attachment.url not in self.attached:
            raise AttachmentUnavailable(404, "HTTP 404", transient=False)
        content, content_type = self.attached[attachment.url]
        if len(content) > max_bytes:
            raise TooLarge(max_bytes)
        yield MediaDownload(content_type, attachment.name or None, _chunks(content))

    def _made(self, method: str, conversation: str, message_id: str, post: TeamsPost,
              refusal: BaseException | None = None) -> str:
        refusal = self._refusal(method) or refusal
        if refusal is not None:
            raise refusal
        self.calls.append(TeamsCall(method, conversation, message_id, post))
        return message_id

    def posts(self, conversation: str | None = None) -> list[TeamsCall]:
        """The messages posted (threads started included), in `conversation` or anywhere."""
        return [c for c in self.calls if c.method != "update" and conversation in (None, c.conversation)]

    def shown(self, conversation: str | None = None) -> list[str]:
        return [c.shown for c in self.posts(conversation)]

    def updates(self, message_id: str) -> list[TeamsCall]:
        return [c for c in self.calls if c.method == "update" and c.message_id == message_id]


def _conversation(reference: Reference) -> str:
    return str(reference["conversation"]["id"])


def personal_reference(aad: str) -> dict[str, Any]:
    """The conversation reference of an employee's chat with the bot, as the bot keeps it."""
    return {"channelId": "msteams", "serviceUrl": SERVICE_URL, "bot": {"id": "28:bridge"},
            "user": {"id": f"29:{aad}", "aadObjectId": aad},
            "conversation": {"id": personal_conversation(aad), "conversationType": "personal"}}


def personal_conversation(aad: str) -> str:
    return f"a:chat-{aad}"


def channel_reference(channel_id: str) -> dict[str, Any]:
    return {"channelId": "msteams", "serviceUrl": SERVICE_URL, "bot": {"id": "28:bridge"},
            "conversation": {"id": channel_id, "conversationType": "channel", "isGroup": True}}


# -- WeChat ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FakeQr:
    ticket: str
    url: str
    image_url: str


class FakeWeChat(Refusals):
    """OfficialAccount. It answers what it is told and keeps none of WeChat's rules (the policy's
    tests do): a refused send is not taken; a send whose answer is lost (WeChatOutcomeUnknown) is,
    as it may be. `profiles`: what user info says of a guest besides that they follow."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[tuple[str, str]] = []  # (openid, text) taken
        self.templates: list[tuple[str, str, Mapping[str, Any]]] = []  # (openid, template id, data) taken
        self.profiles: dict[str, dict[str, Any]] = {}
        self.scenes: list[str] = []  # of the QR codes created
        self.guest_media: dict[str, tuple[bytes, str]] = {}  # media id -> (bytes, content type) WeChat keeps
        self.downloads: list[str] = []  # the media ids asked for
        self.uploads: dict[str, tuple[str, bytes, str, str]] = {}  # media id -> (type, bytes, filename, content type)
        self.media_sent: list[tuple[str, str, str, str]] = []  # (openid, kind, media id, thumb media id) taken

    async def send_text(self, openid: str, text: str) -> None:
        self._take("send_text", self.texts, (openid, text))

    async def send_template(self, openid: str, template_id: str, data: Mapping[str, Any]) -> int:
        self._take("send_template", self.templates, (openid, template_id, dict(data)))
        return len(self.templates)

    async def create_qr(self, scene: str, *, permanent: bool) -> FakeQr:
        self._take("create_qr", self.scenes, scene)
        return FakeQr(f"ticket-{scene}", f"https://weixin.example/q/{scene}", f"https://mp.example/qr/{scene}.png")

    async def user_info(self, openid: str) -> dict[str, Any]:
        refusal = self._refusal("user_info")
        if refusal is not None:
            raise refusal
        return {"subscribe": 1, "openid": openid, "nickname": "", **self.profiles.get(openid, {})}

    @asynccontextmanager
    async def media(self, media_id: str, *, max_bytes: int) -> AsyncIterator[MediaDownload]:
        """A medium of `guest_media`, in two chunks; one it does not have: InvalidMediaId (40007)."""
        self._take("media", self.downloads, media_id)
        if media_id not in self.guest_media:
            raise InvalidMediaId(40007, "invalid media_id")
        content, content_type = self.guest_media[media_id]
        if len(content) > max_bytes:
            raise MediaTooLarge(max_bytes)
        yield MediaDownload(content_type, None, _chunks(content))

    async def upload_media(self, kind: str, chunks: AsyncIterable[bytes], *, filename: str, content_type: str,
                           size: int | None = None) -> str:
        refusal = self._refusal("upload_media")
        if refusal is not None:
            raise refusal
        media_id = f"upload-{len(self.uploads) + 1}"
        self.uploads[media_id] = (kind, b"".join([chunk async for chunk in chunks]), filename, content_type)
        return media_id

    async def send_media(self, openid: str, kind: str, media_id: str, *, thumb_media_id: str = "",
                         title: str = "", description: str = "") -> None:
        self._take("send_media", self.media_sent, (openid, kind, media_id, thumb_media_id))

    def _take(self, method: str, taken: list[Any], what: Any) -> None:
        refusal = self._refusal(method)
        if refusal is None or isinstance(refusal, WeChatOutcomeUnknown):
            taken.append(what)
        if refusal is not None:
            raise refusal

    def said_to(self, openid: str) -> list[str]:
        return [text for to, text in self.texts if to == openid]


async def _chunks(content: bytes) -> AsyncGenerator[bytes, None]:
    half = len(content) // 2
    yield content[:half]
    yield content[half:]


class MemoryMediaStore:
    """MediaStore in a dict: content-addressed, refusing past `max_bytes` as the backends do."""

    def __init__(self) -> None:
        self.media: dict[str, tuple[bytes, str]] = {}  # key -> (bytes, content type)
        self.puts = 0

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def put(self, chunks: AsyncIterable[bytes], *, content_type: str, max_bytes: int) -> StoredMedia:
        check_content_type(content_type)
        tally, content = Tally(max_bytes), b""
        async for chunk in chunks:
            tally.add(chunk)
            content += chunk
        self.puts += 1
        content, content_type = self.media.setdefault(tally.key, (content, content_type))
        return StoredMedia(tally.key, len(content), content_type)

    async def get(self, key: str, *, offset: int = 0) -> Media | None:
        if key not in self.media:
            return None
        content, content_type = self.media[key]
        return Media(StoredMedia(key, len(content), content_type), _chunks(content[offset:]))

    async def exists(self, key: str) -> bool:
        return key in self.media

    async def delete(self, key: str) -> bool:
        return self.media.pop(key, None) is not None


MEDIA_BASE_URL = "https://bridge.example.com"


class FakeMediaFit:
    """MediaFit: what fits WeChat goes as it is; anything else is "converted" (its bytes prefixed, stored
    as WeChat's first type of that kind); a video gets a thumbnail. `unfit`: media keys it refuses, and why."""

    def __init__(self, store: MemoryMediaStore) -> None:
        self.store = store
        self.unfit: dict[str, Unfit] = {}
        self.fitted: list[tuple[str, str]] = []  # (kind, key) asked

    async def for_wechat(self, kind: str, stored: StoredMedia) -> Fitted | Unfit:
        self.fitted.append((kind, stored.key))
        if stored.key in self.unfit:
            return self.unfit[stored.key]
        content = self.store.media[stored.key][0]
        media = stored if fits(kind, stored) else await self._put(b"fitted:" + content, kind)
        return Fitted(media, await self._put(b"thumb:" + content, "thumb") if kind == "video" else None)

    async def _put(self, content: bytes, kind: str) -> StoredMedia:
        content_type = sorted(WECHAT_LIMITS[kind].content_types)[0]
        return await self.store.put(_chunks(content), content_type=content_type, max_bytes=len(content))


# -- PINs and mail -----------------------------------------------------------------------------

class FakePins(Refusals):
    """PinSender: records each SMS (number, text) and call (number, spoken text, language)."""

    def __init__(self) -> None:
        super().__init__()
        self.sms: list[tuple[str, str]] = []
        self.calls: list[tuple[str, str, str]] = []

    async def send_sms(self, to_e164: str, text: str) -> str:
        return self._sent("send_sms", self.sms, (to_e164, text))

    async def call(self, to_e164: str, spoken_text: str, language: str) -> str:
        return self._sent("call", self.calls, (to_e164, spoken_text, language))

    def _sent(self, method: str, sent: list[Any], what: Any) -> str:
        refusal = self._refusal(method)
        if refusal is not None:
            raise refusal
        sent.append(what)
        return f"{method}-{len(sent)}"


class FakeSmtp(Refusals):
    """MailRelay and JournalArchive: records each message sent with its recipients, and each message
    journaled to the archive with whom else it went to (`also_to`)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[EmailMessage, list[str]]] = []
        self.journaled: list[tuple[EmailMessage, list[str]]] = []

    async def send(self, message: EmailMessage, recipients: Sequence[str]) -> Mapping[str, Any]:
        self._took("send", self.sent, message, recipients)
        return {}

    async def deliver(self, message: EmailMessage, also_to: Sequence[str] = (), *, data: bytes | None = None) -> None:
        """What the archive would hold: `data` (the message with its media) as read back, when given."""
        parsed = email.message_from_bytes(data, policy=email.policy.default) if data is not None else message
        self._took("deliver", self.journaled, parsed, also_to)

    def _took(self, method: str, taken: list[tuple[EmailMessage, list[str]]], message: EmailMessage,
              recipients: Sequence[str]) -> None:
        refusal = self._refusal(method)
        if refusal is not None:
            raise refusal
        taken.append((message, list(recipients)))


# -- the service graph -------------------------------------------------------------------------

@dataclass
class Bridge:
    """The services as app.py wires them (services/wiring.py), on the fakes; helpers that act as
    WeChat and Teams would."""

    directory: Directory
    storage: MemoryStorage
    clock: FakeClock
    teams: FakeTeams
    wechat: FakeWeChat
    pins: FakePins
    smtp: FakeSmtp
    media: MemoryMediaStore
    media_links: MediaLinks
    media_fit: FakeMediaFit
    services: Services
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    wired: tuple[Ports, Options] | None = None  # what the services were wired with (another_instance)

    @classmethod
    def build(cls, directory: Directory | None = None, *, default_target: Target | None = DEFAULT_TARGET,
              admins: frozenset[str] = frozenset(), pin_key: bytes = b"k" * 32,
              archive: JournalSettings | None = None, public_address: bool = True) -> "Bridge":
        """As app.py builds it with a PIN sender and a mail relay configured (phone validation where a
        sub-organization validates, e-mail notices to whoever has an address), the routing assistant
        where a sub-organization has one, and the compliance archive as the record's outlet with
        `archive` (its alerts to ALERT_TO); without `public_address`, no links to media (PUBLIC_BASE_URL unset)."""
        directory = directory or Directory.open()
        storage, clock = MemoryStorage(), FakeClock()
        teams, wechat, pins, smtp = FakeTeams(), FakeWeChat(), FakePins(), FakeSmtp()
        media, links = MemoryMediaStore(), MediaLinks(b"m" * 32, MEDIA_BASE_URL, clock)
        fit = FakeMediaFit(media)
        accounts = {DEFAULT_ACCOUNT: wechat, **{a.id: wechat for a in directory.accounts}}
        ports = Ports(storage=storage, clock=clock, directory=directory, teams=teams, wechat=accounts, pins=pins,
                      mail=smtp, archive=Archive(archive, smtp, ALERT_TO) if archive else None, media=media,
                      media_links=links if public_address else None, fit_image=fit_image, media_fit=fit)
        options = Options(instance_id="unit", default_target=default_target, admins=admins, pin_key=pin_key,
                          mail_sender=MAIL_FROM)
        return cls(directory, storage, clock, teams, wechat, pins, smtp, media, links, fit, wire(ports, options),
                   wired=(ports, options))

    def another_instance(self) -> "Bridge":
        """A second instance of the app on the same storage, Teams and WeChat, with caches of its own."""
        assert self.wired is not None
        ports, options = self.wired
        return replace(self, services=wire(ports, replace(options, instance_id="other")), _ids=self._ids)

    # -- the services, by name -----------------------------------------------------------------------

    queue = property(lambda self: self.services.queue)
    worker = property(lambda self: self.services.worker)
    threads = property(lambda self: self.services.threads)
    recorder = property(lambda self: self.services.recorder)
    enablement = property(lambda self: self.services.enablement)
    conversations = property(lambda self: self.services.conversations)
    live_cards = property(lambda self: self.services.live_cards)
    validation = property(lambda self: self.services.validation)
    routing = property(lambda self: self.services.routing)
    mail = property(lambda self: self.services.mail)
    connections = property(lambda self: self.services.connections)
    inbound = property(lambda self: self.services.inbound)
    participants = property(lambda self: self.services.participants)
    outbound = property(lambda self: self.services.outbound)
    contacts = property(lambda self: self.services.contacts)

    async def settle(self) -> None:
        """Every job started has run (and every job those started)."""
        await self.worker.drain()

    async def run_due(self) -> int:
        """What is due now runs, as the worker's sweeper would run it."""
        ran = await self.worker.sweep()
        await self.settle()
        return ran

    # -- as Teams and WeChat would act ------------------------------------------------------------

    async def install(self, target: Target) -> None:
        """The app installed for an employee (their chat) or in a channel's team: its reference kept,
        what waited for it woken and run, as the bot does."""
        key = conversation_key(target.kind, target.id)
        reference = personal_reference(target.id) if target.kind == "employee" else channel_reference(target.id)
        if await self.threads.remember(key, reference, self.clock.now()):
            await self.queue.wake(key)
        await self.run_due()

    def push(self, openid: str, text: str | None = None, *, event: str | None = None, event_key: str | None = None,
             created: float | None = None, image: str | None = None,
             media: tuple[str, Mapping[str, str]] | None = None) -> WeChatInbound:
        """A push as WeChat sends it: a text, an image (`image`: its MediaId), another medium (`media`: its
        type and fields, e.g. ("video", {"MediaId": …, "ThumbMediaId": …})), or an event (`event`:
        subscribe, SCAN, CLICK …); `created`: its CreateTime (now)."""
        at = int(self.clock.now() if created is None else created)
        if image is not None:
            media = ("image", {"MediaId": image, "PicUrl": "http://mmbiz/x"})
        pushed = {"ToUserName": ACCOUNT_ID, "FromUserName": openid, "CreateTime": str(at)}
        if media is not None:
            return WeChatInbound.of({**pushed, "MsgType": media[0], "MsgId": str(next(self._ids)), **media[1]})
        if event is not None:
            return WeChatInbound.of({**pushed, "MsgType": "event", "Event": event,
                                     **({"EventKey": event_key} if event_key is not None else {})})
        return WeChatInbound.of({**pushed, "MsgType": "text", "MsgId": str(next(self._ids)),
                                 **({"Content": text} if text is not None else {})})

    async def guest(self, openid: str, text: str | None = None, **push: Any) -> WeChatInbound:
        """The guest writes `text` (or acts: see `push`); the webhook hands it over and its job runs."""
        msg = self.push(openid, text, **push)
        await self.deliver(msg)
        return msg

    async def deliver(self, msg: WeChatInbound, account: str = DEFAULT_ACCOUNT) -> None:
        await self.inbound.accept(msg, account=account)
        await self.settle()

    async def employee(self, aad: str, text: str, *, name: str = "", conversation: str | None = None,
                       activity_id: str | None = None, files: Sequence[tuple[str, bytes, str]] = ()) -> Outcome:
        """An employee writes in a Teams conversation (their chat with the bot unless `conversation`),
        attaching `files` (name, bytes, content type), which Teams then serves."""
        attachments = []
        for name_of_file, content, content_type in files:
            url = f"https://teams.example/files/{next(self._ids)}/{name_of_file}"
            self.teams.attached[url] = (content, content_type)
            attachments.append(TeamsAttachment(url, content_type, name_of_file, authenticated=False))
        message = TeamsMessage(conversation or personal_conversation(aad), activity_id or f"teams-{next(self._ids)}",
                               text, aad, name, personal_reference(aad), tuple(attachments))
        outcome = await self.outbound.submit(message)
        await self.settle()
        return outcome

    # -- what storage holds -------------------------------------------------------------------------

    async def thread(self, openid: str) -> Thread:
        found = await self.threads.get(openid)
        assert found is not None, f"no thread {openid}"
        return found[0]

    async def jobs(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The jobs' documents (`id` added), of one kind or all."""
        return [{"id": item.id, **item.body}
                for item in await self.storage.query(JOBS, equals={"kind": kind} if kind else None)]

    async def record(self, openid: str) -> list[dict[str, Any]]:
        return await self.recorder.entries(openid)
