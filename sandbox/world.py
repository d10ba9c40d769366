"""The sandbox's world: the real bridge (`create_app`) on SQLite, WeChat's API (one simulator per
Official Account), the Bot Connector and Twilio simulated, all in this event loop on 127.0.0.1;
and what a person at the sandbox page can do in it (a guest writes, follows, scans, unfollows; an
employee writes, with @mentions or a card from the message extension, searches with that extension,
or presses a card button; the clock moves). What the page shows of it: views.py.

Nothing here is a shortcut around the product: guests' actions are signed pushes to the webhook,
employees' are Teams activities to /api/messages, and what reaches either side is read from the
simulators, as WeChat and Teams would show it.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import aiohttp
from aiohttp import web

from app import COMPONENTS, Components, create_app
from cards.admin import ADMIN_SET
from config import Settings, load_settings
from sandbox.samples import Medium, Samples, make_samples
from simulators.bot_connector import CONNECTOR_STATE, ConnectorState, create_connector_simulator
from simulators.azure_speech import create_speech_simulator
from simulators.otp import TWILIO_STATE, TwilioState, create_twilio_simulator
from simulators.teams_client import (DEFAULT_TENANT, TeamsBot, TeamsChannel, TeamsUser, channel_message,
                                     messaging_extension_query, personal_conversation_id, personal_installation,
                                     personal_message, post_activity, team_installation)
from simulators.wechat_api import STATE_KEY, SimState, create_wechat_simulator
from simulators.wechat_guest import Guest, WeChatPlatform

HOUR = 3600.0
CARD = "application/vnd.microsoft.card.adaptive"
TEMPLATE_ID = "sandbox-resume-chat"  # "you have new messages": sent when the 48 h window is closed
TWILIO_SID, TWILIO_TOKEN, TWILIO_FROM = "AC" + "5a4d80c0ffee" * 2 + "5a4d80c0", "sandbox-twilio-token", "+14155550100"
SPEECH_KEY = "sandbox-speech-key"
BOT = TeamsBot()
GUEST_MEDIA = {"image": "Photo", "voice": "Voice note"}  # what the phone sends, as its chat says it
WECHAT_MEDIA_PATH = "/wechat-media/{account}/{media_id}"  # on the page's server (sandbox/web.py)


class OffsetClock:
    """Real time plus an offset the sandbox advances (`advance`): everything shares it (the bridge,
    its timers and leases, WeChat's windows, the Bot Connector's and Twilio's timestamps)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


# --- who is in the sandbox ------------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """An Official Account: its own WeChat API simulator and server URL (/api/wechat[/<id>])."""
    id: str
    name: str
    app_id: str
    secret: str
    token: str


@dataclass(frozen=True)
class Employee:
    """Someone at the firm with the app installed: in a sub-organization (the directory file), or,
    without one, an administrator of the app only (TEAMS_ADMINS), who answers no guest."""
    key: str
    user: TeamsUser
    name_zh: str = ""
    desk: str = ""
    phone: str = ""
    sub_org: str = ""
    account: str = ""
    aliases: str = ""
    languages: str = "en"
    admin: bool = False

    @property
    def name(self) -> str:
        return self.user.name


@dataclass(frozen=True)
class Inbox:
    """A sub-organization's team channel inbox."""
    key: str
    title: str
    channel: TeamsChannel
    sub_org: str
    account: str


ACCOUNTS = (
    Account("default", "Contoso Wealth", "wx5a4d80c0a1b2c3d4", "sandbox-wealth-secret", "sandboxwealth"),
    Account("pb", "Contoso Private Bank", "wx5a4d80c0e5f6a7b8", "sandbox-pb-secret", "sandboxpb"),
)
EMPLOYEES = (
    Employee("alice", TeamsUser("Alice Wong", "a11ce000-0000-4000-8000-00000000000a"), "王嘉欣",
             "Mortgage advisor;Home loans", "+852 9123 4567", "wealth", "default", "Ally", "en;yue"),
    Employee("bob", TeamsUser("Bob Li", "b0b00000-0000-4000-8000-00000000000b"), "李波",
             "Investment funds;Unit trusts", "+852 9123 4599", "wealth", "default", "", "en;zh"),
    Employee("carol", TeamsUser("Carol Chan", "ca401000-0000-4000-8000-00000000000c"), "陈嘉玲",
             "Private banker;Wealth planning", "+852 9187 6543", "private-bank", "pb", "", "en;yue"),
    Employee("dana", TeamsUser("Dana Ng", "da4a0000-0000-4000-8000-00000000000d"), admin=True),
)
INBOXES = (
    Inbox("wealth", "Contoso Wealth › WeChat inbox",
          TeamsChannel(team_id="19:5a4d80c0wealth0000000000000000@thread.tacv2", team_name="Contoso Wealth",
                       channel_name="WeChat inbox", channel_id="19:5a4d80c0wealthinbox00000000000@thread.tacv2"),
          "wealth", "default"),
    Inbox("pb", "Contoso Private Bank › WeChat inbox",
          TeamsChannel(team_id="19:5a4d80c0privatebank000000000000@thread.tacv2", team_name="Contoso Private Bank",
                       channel_name="WeChat inbox", channel_id="19:5a4d80c0pbinbox0000000000000000@thread.tacv2"),
          "private-bank", "pb"),
)
# The guests there at start (none follows yet); "New guest" on the page adds more.
FIRST_GUESTS = (("Chen Jing", "default", "en"), ("王伟", "default", "zh_CN"), ("Ho Ka Yan", "pb", "en"))
# Guests' own mobile numbers (valid Hong Kong numbers), handed out in turn.
GUEST_PHONES = tuple(f"+852 9234 {5600 + n}" for n in range(1, 100))


def organizations_toml(pb_api_url: str) -> str:
    wealth, pb = INBOXES
    return f'''# Written by the sandbox at every start (python -m sandbox): the organizations file of the demo.
[[official_accounts]]
id = "pb"
name = "Contoso Private Bank"
app_id = "{ACCOUNTS[1].app_id}"
app_secret_env = "WECHAT_PB_APP_SECRET"
token_env = "WECHAT_PB_TOKEN"
api_base_url = "{pb_api_url}"   # its own WeChat API simulator

[[organizations]]
id = "contoso"
name = "Contoso"
people = "people.csv"

  [[organizations.sub_organizations]]
  id = "wealth"
  name = "Contoso Wealth"
  inbox = "{wealth.channel.id}"
  routing = {{ max_failed_turns = 3 }}

  [[organizations.sub_organizations]]
  id = "private-bank"
  name = "Contoso Private Bank"
  official_account = "pb"
  inbox = "{pb.channel.id}"
  phone_validation = {{ region = "HK" }}
  routing = {{ max_failed_turns = 3 }}
'''


def people_csv() -> str:
    lines = ["aad,name,name_zh,aliases,email,phone,sub_organization,desk,languages"]
    for e in (e for e in EMPLOYEES if e.sub_org):
        email = e.name.lower().replace(" ", ".") + "@contoso.example"
        lines.append(",".join([e.user.aad_object_id, e.name, e.name_zh, e.aliases, email, e.phone, e.sub_org,
                               e.desk, e.languages]))
    return "\n".join(lines) + "\n"


@dataclass
class SandboxGuest:
    """A WeChat user on the phone side: what they did (`events`) is theirs; what they received is
    read from their Official Account's WeChat API simulator."""
    id: str  # the openid (per Official Account)
    name: str
    account: str
    language: str
    phone: str
    wechat: Guest
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def following(self) -> bool:
        return self.wechat.following


# --- listening on 127.0.0.1 ----------------------------------------------------------------------

def listen(port: int = 0) -> socket.socket:
    """A socket bound to 127.0.0.1:`port` (0: a free one). OSError if the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def serve(app: web.Application, sock: socket.socket) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner


# --- the world -----------------------------------------------------------------------------------

class World:
    """Start with `await world.start()`, stop with `await world.stop()`. Every operation waits until
    the bridge has done what it acknowledged (its worker drained), so a snapshot taken after it
    shows the outcome."""

    def __init__(self, data_dir: Path, *, qr_base_url: str = "") -> None:
        self.data_dir = Path(data_dir)
        self.clock = OffsetClock()
        # The sandbox page's server: it serves what WeChat's own servers would (QR images, guests' pictures).
        self.qr_base_url = qr_base_url
        self.accounts = {a.id: a for a in ACCOUNTS}
        self.employees = {e.key: e for e in EMPLOYEES}
        self.inboxes = {i.key: i for i in INBOXES}
        self.guests: dict[str, SandboxGuest] = {}
        self.said: list[dict[str, Any]] = []  # what employees wrote in Teams (the connector keeps the bot's)
        self.urls: dict[str, str] = {}
        self._runners: list[web.AppRunner] = []
        self._sockets: list[socket.socket] = []
        self._lock = asyncio.Lock()  # one operation at a time: each ends with the bridge idle
        self.session: aiohttp.ClientSession | None = None
        self.samples: Samples | None = None  # the phone's photo and voice note, made at start

    # -- start and stop ------------------------------------------------------------------------
    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        await asyncio.to_thread(self.data_dir.mkdir, parents=True, exist_ok=True)
        self.samples = await make_samples()
        socks = {name: listen() for name in ("bridge", "connector", "twilio", *self.accounts)}
        self._sockets += socks.values()
        self.urls = {name: url_of(sock) for name, sock in socks.items()}
        self.wechat_apps = {a.id: create_wechat_simulator(clock=self.clock, app_id=a.app_id, app_secret=a.secret,
                                                          templates=[TEMPLATE_ID]) for a in ACCOUNTS}
        # The local bot has no token: the connector serves employees' attachments to it without one.
        self.connector_app = create_connector_simulator(clock=self.clock, open_attachments=True)
        self.twilio_app = create_twilio_simulator(TWILIO_SID, TWILIO_TOKEN, clock=self.clock)
        self.api_times: dict[str, list[float]] = {}  # when each request to WeChat's API came, per account
        for account, app in self.wechat_apps.items():
            app.middlewares.append(self._stamp(self.api_times.setdefault(account, [])))
        for name, app in (*self.wechat_apps.items(), ("connector", self.connector_app), ("twilio", self.twilio_app)):
            self._runners.append(await serve(app, socks[name]))
        # Azure AI Speech, for voice notes WeChat gave no transcript of (transcripts: POST /sim/speech).
        speech_sock = listen()
        self._sockets.append(speech_sock)
        self.urls["speech"] = url_of(speech_sock)
        self.speech_app = create_speech_simulator(SPEECH_KEY, clock=self.clock)
        self._runners.append(await serve(self.speech_app, speech_sock))

        self.settings = await asyncio.to_thread(self._settings)  # files written and read: off the loop
        self.bridge_app = create_app(self.settings, clock=self.clock)
        self._runners.append(await serve(self.bridge_app, socks["bridge"]))
        self.session = aiohttp.ClientSession()
        self.platforms = {
            a.id: WeChatPlatform(self.session, api_url=self.urls[a.id], token=a.token, aes=None, now=self.clock.now,
                                 webhook_url=self.urls["bridge"] + ("/api/wechat" if a.id == "default"
                                                                   else f"/api/wechat/{a.id}"))
            for a in ACCOUNTS}
        await self._install()
        for name, account, language in FIRST_GUESTS:
            self.new_guest(name, account, language)

    def _stamp(self, times: list[float]):
        """A middleware noting when each request the WeChat API simulator keeps (`sent`) came."""
        @web.middleware
        async def stamp(request: web.Request, handler):
            at = self.clock.now()
            try:
                return await handler(request)
            finally:
                times.extend([at] * (len(request.app[STATE_KEY].sent) - len(times)))

        return stamp

    def _settings(self) -> Settings:
        """The bridge's configuration: the files in the data folder, the rest as environment."""
        for stale in ("sandbox.sqlite3", "sandbox.sqlite3-wal", "sandbox.sqlite3-shm"):
            # The simulators start empty at every run, so the bridge's storage does too.
            (self.data_dir / stale).unlink(missing_ok=True)
        shutil.rmtree(self.data_dir / "media", ignore_errors=True)  # the media store (MEDIA_PATH's default)
        (self.data_dir / "organizations.toml").write_text(organizations_toml(self.urls["pb"]), encoding="utf-8")
        (self.data_dir / "people.csv").write_text(people_csv(), encoding="utf-8")
        default, pb = ACCOUNTS
        return load_settings({
            "APP_ENV": "local",  # no MicrosoftAppId: the Bot Connector simulator needs no tokens
            "HOST": "127.0.0.1",
            "INSTANCE_ID": "sandbox",
            "TEAMS_PACING": "off",  # its clock moves by hand: a pacer waiting on it would wait for ever
            "SQLITE_PATH": str(self.data_dir / "sandbox.sqlite3"),
            "WECHAT_APP_ID": default.app_id, "WECHAT_APP_SECRET": default.secret, "WECHAT_TOKEN": default.token,
            "WECHAT_ACCOUNT_NAME": default.name,
            "WECHAT_API_BASE_URL": self.urls["default"],
            "WECHAT_QR_BASE_URL": self.qr_base_url or self.urls["default"],
            "WECHAT_PB_APP_SECRET": pb.secret, "WECHAT_PB_TOKEN": pb.token,
            "ORGANIZATIONS_FILE": str(self.data_dir / "organizations.toml"),
            "DEFAULT_TARGET": f"channel:{INBOXES[0].channel.id}",
            "POLICY_TEMPLATE_ID": TEMPLATE_ID,
            "POLICY_GUEST_LANGUAGE": "en",
            "SPEECH_KEY": SPEECH_KEY, "SPEECH_ENDPOINT": self.urls["speech"],
            "TEAMS_ADMINS": ",".join(e.user.aad_object_id for e in EMPLOYEES if e.admin),
            "OTP_PROVIDER": "twilio", "PIN_KEY": secrets.token_urlsafe(32),
            "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_FROM_NUMBER": TWILIO_FROM,
            "TWILIO_API_BASE_URL": self.urls["twilio"],
            "WORKER_POLL_MS": "250",  # what waits (a retry, an employee not installed yet) goes soon
            "PUBLIC_BASE_URL": self.urls["bridge"],  # media links the page's browser opens (/media/<token>)
        }, dotenv_path=None)

    async def _install(self) -> None:
        """The app installed for every employee, and in each inbox's team (as Teams would tell the bot);
        first for the administrator, who enables WeChat for the sub-organizations."""
        bot_url = self.urls["bridge"] + "/api/messages"
        for e in sorted(EMPLOYEES, key=lambda e: not e.admin):
            for activity in personal_installation(service_url=self.urls["connector"], user=e.user, clock=self.clock):
                await post_activity(self.session, bot_url, activity)
            if e.admin:
                await self.settle()
                await self._enable_sub_organizations(e)
        for inbox in INBOXES:
            team = self.members(f"channel:{inbox.key}")
            async with self.session.post(self.urls["connector"] + "/sim/conversations", json={
                    "id": inbox.channel.id, "conversationType": "channel", "tenantId": DEFAULT_TENANT,
                    "teamId": inbox.channel.team_id, "members": [e.user.account(DEFAULT_TENANT) for e in team]}) as r:
                r.raise_for_status()
            for activity in team_installation(service_url=self.urls["connector"], user=team[0].user,
                                              channel=inbox.channel, clock=self.clock):
                await post_activity(self.session, bot_url, activity)
        await self.settle()

    async def _enable_sub_organizations(self, admin: Employee) -> None:
        """As the administrator does it: `admin` in their chat, then Enable on the card for each one."""
        key = f"chat:{admin.key}"
        await self.employee_says(key, admin.key, "admin")
        card_id = self.connector.activities_for(self.conversation_ids()[key])[-1]["activityId"]
        for sub in self.components.directory.sub_organizations:
            await self.employee_presses(key, admin.key, card_id,
                                        {"verb": ADMIN_SET, "kind": "sub", "id": sub.id, "enabled": True})

    async def stop(self) -> None:
        for runner in reversed(self._runners):
            with contextlib.suppress(Exception):
                await runner.cleanup()
        self._runners.clear()
        if self.session is not None:
            await self.session.close()
            self.session = None
        for sock in self._sockets:
            sock.close()
        self._sockets.clear()

    # -- the parts ------------------------------------------------------------------------------
    @property
    def components(self) -> Components:
        return self.bridge_app[COMPONENTS]

    @property
    def connector(self) -> ConnectorState:
        return self.connector_app[CONNECTOR_STATE]

    @property
    def twilio(self) -> TwilioState:
        return self.twilio_app[TWILIO_STATE]

    def wechat(self, account: str) -> SimState:
        return self.wechat_apps[account][STATE_KEY]

    async def settle(self) -> None:
        """Until the bridge has done everything it has started (and what that started in turn).
        What it put off (a retry, a job waiting for an installation) its worker runs when due."""
        await self.components.worker.drain()

    # -- the guest's side ---------------------------------------------------------------------
    def new_guest(self, name: str, account: str = "default", language: str = "en") -> SandboxGuest:
        if account not in self.accounts:
            raise ValueError(f"no Official Account {account!r}")
        name = (name or "").strip()[:40] or f"Guest {len(self.guests) + 1}"
        language = language if language in ("en", "zh_CN") else "en"
        n = len(self.guests) + 1
        openid = "o" + hashlib.sha256(f"{account}/{n}/{secrets.token_hex(4)}".encode()).hexdigest()[:27]
        guest = SandboxGuest(openid, name, account, language, GUEST_PHONES[(n - 1) % len(GUEST_PHONES)],
                             self.platforms[account].guest(openid, nickname=name, language=language))
        self.guests[openid] = guest
        return guest

    def guest(self, guest_id: str) -> SandboxGuest:
        if guest_id not in self.guests:
            raise KeyError(f"no guest {guest_id!r}")
        return self.guests[guest_id]

    async def _guest_did(self, guest: SandboxGuest, kind: str, text: str, action, **more: Any) -> None:
        async with self._lock:
            guest.events.append({"at": self.clock.now(), "kind": kind, "text": text, **more})
            result = await action()
            if result.status != 200:
                raise RuntimeError(f"the webhook answered {result.status}: {result.text[:200]}")
            await self.settle()

    async def guest_says(self, guest_id: str, text: str) -> None:
        guest = self.guest(guest_id)
        text = text.strip()
        if not text:
            raise ValueError("nothing to send")
        if not guest.following:
            raise ValueError("follow the Official Account (or scan a QR code) before writing to it")
        await self._guest_did(guest, "text", text, lambda: guest.wechat.say(text))

    async def guest_sends(self, guest_id: str, kind: str, medium: Medium | None = None) -> None:
        """A photo (`image`) or a voice note (`voice`): the sample, or `medium`. WeChat's API keeps its
        bytes, and the push names it as WeChat's does (MediaId; an image's PicUrl, a voice note's Format)."""
        guest = self.guest(guest_id)
        if kind not in GUEST_MEDIA:
            raise ValueError(f"a guest sends {' or '.join(GUEST_MEDIA)}, not {kind!r}")
        if not guest.following:
            raise ValueError("follow the Official Account (or scan a QR code) before writing to it")
        medium = medium or self.sample(kind)
        media_id = await self.platforms[guest.account].put_media(medium.content, medium.content_type, kind)
        fields = {"PicUrl": self.picture_url(guest.account, media_id), "MediaId": media_id} if kind == "image" \
            else {"MediaId": media_id, "Format": "amr"}
        await self._guest_did(guest, kind, GUEST_MEDIA[kind], lambda: guest.wechat.send(kind, **fields),
                              media=media_id, seconds=medium.seconds)

    def sample(self, kind: str) -> Medium:
        if self.samples is None:
            raise RuntimeError("the sandbox has not started")
        medium = self.samples.photo if kind == "image" else self.samples.voice
        if medium is None:
            raise ValueError(self.samples.why_no_voice)
        return medium

    def picture_url(self, account: str, media_id: str) -> str:
        """Where a picture WeChat's API holds is served to the page (a guest's PicUrl: WeChat's CDN)."""
        return (self.qr_base_url or self.urls[account]) + WECHAT_MEDIA_PATH.format(account=account, media_id=media_id)

    async def guest_follows(self, guest_id: str) -> None:
        guest = self.guest(guest_id)
        if guest.following:
            raise ValueError("already following")
        await self._guest_did(guest, "follow", f"Followed {self.accounts[guest.account].name}",
                              lambda: guest.wechat.follow())

    async def guest_scans(self, guest_id: str, employee_key: str) -> None:
        """The guest scans the employee's QR code (scene emp_<aad>): a follow through it, or a SCAN."""
        guest, employee = self.guest(guest_id), self.employee(employee_key)
        if employee.account != guest.account:
            raise ValueError(f"{employee.name}'s QR code belongs to {self.accounts[employee.account].name}")
        scene = f"emp_{employee.user.aad_object_id}"
        if guest.following:
            await self._guest_did(guest, "scan", f"Scanned {employee.name}'s QR code",
                                  lambda: guest.wechat.scan(scene))
        else:
            await self._guest_did(guest, "follow", f"Followed {self.accounts[guest.account].name} "
                                  f"through {employee.name}'s QR code", lambda: guest.wechat.follow(scene=scene))

    async def guest_unfollows(self, guest_id: str) -> None:
        guest = self.guest(guest_id)
        if not guest.following:
            raise ValueError("not following")
        await self._guest_did(guest, "unfollow", f"Unfollowed {self.accounts[guest.account].name}",
                              lambda: guest.wechat.unfollow())

    # -- the employees' side -------------------------------------------------------------------
    def employee(self, key: str) -> Employee:
        if key not in self.employees:
            raise KeyError(f"no employee {key!r}")
        return self.employees[key]

    def conversation_ids(self) -> dict[str, str]:
        """Page key → Teams conversation id: each employee's chat with the bot, each inbox channel."""
        ids = {f"chat:{e.key}": personal_conversation_id(e.user, BOT) for e in EMPLOYEES}
        ids.update({f"channel:{i.key}": i.channel.id for i in INBOXES})
        return ids

    def _activity(self, key: str, employee: Employee, text: str | None, *, thread: str = "",
                  value: Any = None, reply_to: str = "") -> tuple[dict[str, Any], str]:
        self._check_member(key, employee)
        activity_id = self.connector.next_activity_id()  # Teams' ids: unique epoch milliseconds
        if key.startswith("chat:"):
            activity = personal_message(text, service_url=self.urls["connector"], user=employee.user, value=value,
                                        activity_id=activity_id, clock=self.clock)
        else:
            inbox = self.inboxes[key.split(":", 1)[1]]
            if not thread:
                raise ValueError("choose the guest's thread to reply in")
            activity = channel_message(text, service_url=self.urls["connector"], user=employee.user,
                                       channel=inbox.channel, thread_root_id=thread, value=value,
                                       mention_bot=False, activity_id=activity_id, clock=self.clock)
        if reply_to:
            activity["replyToId"] = reply_to  # a card's button: Teams names the card's message
        return activity, activity_id

    async def _post(self, activity: dict[str, Any]) -> None:
        response = await post_activity(self.session, self.urls["bridge"] + "/api/messages", activity)
        if response.status not in (200, 201, 202):
            raise RuntimeError(f"the bot answered {response.status}")

    def members(self, key: str) -> list[Employee]:
        """Who is in the conversation: the employee of a personal chat, the team of an inbox channel."""
        kind, _, name = key.partition(":")
        if kind == "channel" and name in self.inboxes:
            return [e for e in EMPLOYEES if e.sub_org == self.inboxes[name].sub_org]
        return [self.employees[name]] if kind == "chat" and name in self.employees else []

    def _check_member(self, key: str, employee: Employee) -> None:
        if key not in self.conversation_ids():
            raise KeyError(f"no conversation {key!r}")
        if employee not in self.members(key):
            raise ValueError(f"{employee.name} is not in this conversation")

    def _mentions(self, key: str, text: str, mentioned: Sequence[str]) -> list[dict[str, Any]]:
        """Teams' mention entities for the members `mentioned` (keys) of the channel, each of whom
        the text names as Teams writes a mention: <at>Name</at>."""
        if mentioned and not key.startswith("channel:"):
            raise ValueError("mentions are of a channel's members")
        members = {e.key: e for e in self.members(key)}
        entities = []
        for who in dict.fromkeys(mentioned):
            if who not in members:
                raise ValueError(f"{who!r} is not a member of this channel's team")
            e = members[who]
            if f"<at>{e.name}</at>" not in text:
                raise ValueError(f"the text does not mention {e.name} (<at>{e.name}</at>)")
            entities.append({"type": "mention", "text": f"<at>{e.name}</at>",
                             "mentioned": {"id": e.user.user_id, "name": e.name}})
        return entities

    async def employee_says(self, key: str, employee_key: str, text: str, *, thread: str = "",
                            mentions: Sequence[str] = (), card: dict[str, Any] | None = None) -> None:
        """A message written in Teams: text with @mentions of the channel's members (`mentions`, their
        keys), and/or a card the message extension inserted (sent with the message, as Teams does)."""
        text = text.strip()
        if not text and card is None:
            raise ValueError("nothing to send")
        employee = self.employee(employee_key)
        async with self._lock:
            activity, activity_id = self._activity(key, employee, text or None, thread=thread)
            entities = self._mentions(key, text, mentions)
            activity["entities"][:0] = entities
            if card is not None:
                activity["attachments"] = [{"contentType": CARD, "content": card}]
            self.said.append({"id": activity_id, "conversationId": activity["conversation"]["id"],
                              "at": self.clock.now(), "employee": employee.key, "text": text,
                              "mentions": [m["text"] for m in entities], "cards": [card] if card is not None else []})
            await self._post(activity)
            await self.settle()

    async def employee_searches(self, key: str, employee_key: str, query: str | None, *,
                                thread: str = "") -> dict[str, Any]:
        """The message extension in the conversation's compose box: the `composeExtension/query`
        invoke Teams sends (`query` None: its initial run, as it opens) and what the bot answered,
        as Teams lists it: each result's preview and the card choosing it inserts, or a message."""
        employee = self.employee(employee_key)
        self._check_member(key, employee)
        inbox = self.inboxes[key.split(":", 1)[1]] if key.startswith("channel:") else None
        async with self._lock:
            activity = messaging_extension_query(query, service_url=self.urls["connector"], user=employee.user,
                                                 channel=inbox.channel if inbox else None,
                                                 thread_root_id=thread or None, clock=self.clock)
            response = await post_activity(self.session, self.urls["bridge"] + "/api/messages", activity)
            if response.status != 200:
                raise RuntimeError(f"the bot answered {response.status}")
            answer = (await response.json()).get("composeExtension") or {}
        if answer.get("type") != "result":
            return {"results": [], "message": str(answer.get("text") or "")}
        results = []
        for found in answer.get("attachments") or []:
            preview = (found.get("preview") or {}).get("content") or {}
            results.append({"title": preview.get("title", ""), "text": preview.get("text", ""),
                            "card": found.get("content")})
        return {"results": results, "message": ""}

    async def employee_presses(self, key: str, employee_key: str, card_activity_id: str, data: Any, *,
                               thread: str = "") -> None:
        """An Action.Submit on the card of message `card_activity_id`: its data with the card's inputs."""
        employee = self.employee(employee_key)
        async with self._lock:
            activity, _ = self._activity(key, employee, None, thread=thread, value=data if data is not None else {},
                                         reply_to=card_activity_id)
            await self._post(activity)
            await self.settle()

    # -- time ------------------------------------------------------------------------------------
    async def advance(self, hours: float) -> None:
        """Moves the clock, then does what the bridge's sweepers would do within seconds: fires the
        policy's due deadlines (24 h warning, 48 h expiry) and runs the jobs that have come due."""
        if not 0 < hours <= 24 * 30:
            raise ValueError("hours: between 0 and 720")
        async with self._lock:
            self.clock.advance(hours * HOUR)
            c = self.components
            await c.conversations.fire_due_timers()
            await self.settle()
            await c.worker.sweep()
            await self.settle()
