"""The whole product over real HTTP: app.py's application, the WeChat API simulator, the Bot
Connector simulator, a WeChat platform that pushes signed messages, and Teams users."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.wechat.crypto import WeChatCrypto
from app import COMPONENTS, create_app
from config import load_settings
from core.clock import FakeClock
from simulators.bot_connector import CONNECTOR_STATE, create_connector_simulator
from simulators.teams_client import TeamsUser, personal_installation, personal_message, post_activity
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from simulators.wechat_guest import WeChatPlatform
from tests.card_walk import texts

APP_ID = "wx5a1b2c3d4e5f6a7b"
SECRET = "simulated-app-secret"
TOKEN = "bridgetoken42"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def base_env(wechat_url: str, sqlite_path: str, **extra: str) -> dict[str, str]:
    return {
        "APP_ENV": "local",
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": SECRET,
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_API_BASE_URL": wechat_url,
        "WECHAT_QR_BASE_URL": wechat_url,
        "SQLITE_PATH": sqlite_path,
        "INSTANCE_ID": "e2e-1",
        "TEAMS_PACING": "off",  # the fake clock stands still: a pacer would wait on it for ever (test_pacing.py)
        **extra,
    }


@dataclass
class Stack:
    session: aiohttp.ClientSession
    clock: FakeClock
    app_server: TestServer
    wechat_server: TestServer
    connector_server: TestServer
    wechat: WeChatPlatform
    employees: dict[str, TeamsUser] = field(default_factory=dict)
    sent_activities: int = 0

    @property
    def components(self):
        return self.app_server.app[COMPONENTS]

    @property
    def connector_url(self) -> str:
        return str(self.connector_server.make_url("")).rstrip("/")

    @property
    def sim(self):
        return self.wechat_server.app[STATE_KEY]

    @property
    def connector(self):
        return self.connector_server.app[CONNECTOR_STATE]

    async def settle(self) -> None:
        """Let the app finish what it acknowledged (its worker runs in this event loop)."""
        await self.components.worker.drain()

    async def install(self, user: TeamsUser) -> None:
        for activity in personal_installation(service_url=self.connector_url, user=user, clock=self.clock):
            r = await post_activity(self.session, str(self.app_server.make_url("/api/messages")), activity)
            assert r.status in (200, 201), r.status
        self.employees[user.aad_object_id] = user
        await self.settle()

    async def employee_says(self, user: TeamsUser, text: str | None, *, value=None, activity_id=None, card=None):
        """`user` writes in their chat with the bot; or, with `value`, presses a button on the card of
        message `card` (Teams names it in replyToId)."""
        # Teams gives every message its own id; the fake clock stands still, so count them.
        self.sent_activities += 1
        activity_id = activity_id or f"{int(self.clock.now() * 1000)}{self.sent_activities:04d}"
        activity = personal_message(text, service_url=self.connector_url, user=user, value=value,
                                    activity_id=activity_id, clock=self.clock)
        if card:
            activity["replyToId"] = card
        r = await post_activity(self.session, str(self.app_server.make_url("/api/messages")), activity)
        assert r.status in (200, 201), r.status
        await self.settle()
        return activity

    async def guest_says(self, guest, text: str) -> list[str]:
        """`guest` (a WeChatPlatform guest) writes `text`; what WeChat delivered to them in answer."""
        before = len(await self.guest_texts(guest.openid))
        await guest.say(text)
        await self.settle()
        return (await self.guest_texts(guest.openid))[before:]

    def teams_messages(self, user: TeamsUser | None = None) -> list[dict]:
        """Activities the bot posted (to one employee's personal chat, or anywhere)."""
        conversation = self.conversation_of(user) if user is not None else None
        return [a for a in self.connector.activities_for(conversation) if a["operation"] != "delete"]

    def teams_texts(self, user: TeamsUser | None = None) -> list[str]:
        """The text of each message, or of its card's text blocks."""
        return [a["activity"].get("text") or _card_text(a["activity"]) for a in self.teams_messages(user)]

    def conversation_of(self, user: TeamsUser) -> str:
        from simulators.teams_client import TeamsBot, personal_conversation_id

        return personal_conversation_id(user, TeamsBot())

    async def guest_texts(self, openid: str | None = None) -> list[str]:
        """Texts WeChat accepted for the guest(s), policy notices included."""
        return [d["json"]["text"]["content"] for d in await self.wechat.delivered(openid) if d["msgtype"] == "text"]

    async def jobs(self) -> list:
        return list(await self.components.storage.query("jobs"))


def _card_text(activity: dict) -> str:
    return " ".join(texts([a.get("content") for a in activity.get("attachments") or []]))


async def _stack(tmp_path, storage=None, clock: FakeClock | None = None, organizations: str | None = None,
                 **env_extra) -> Stack:
    """The product and its simulators; `organizations`, if given, is the organizations file's TOML."""
    clock = clock or FakeClock(start=time.time())
    if organizations is not None:
        (tmp_path / "orgs.toml").write_text(organizations, encoding="utf-8")
        env_extra["ORGANIZATIONS_FILE"] = str(tmp_path / "orgs.toml")
    session = aiohttp.ClientSession()
    wechat_server = TestServer(create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET),
                               host="127.0.0.1")
    connector_server = TestServer(create_connector_simulator(clock=clock), host="127.0.0.1")
    await wechat_server.start_server()
    await connector_server.start_server()
    wechat_url = str(wechat_server.make_url("")).rstrip("/")
    env = base_env(wechat_url, str(tmp_path / "bridge.sqlite3"), **env_extra)
    settings = load_settings(env)
    app_server = TestServer(create_app(settings, clock=clock, storage=storage), host="127.0.0.1")
    await app_server.start_server()
    aes = WeChatCrypto(TOKEN, [AES_KEY], APP_ID) if env.get("WECHAT_ENCODING_AES_KEY") else None
    platform = WeChatPlatform(session, api_url=wechat_url, webhook_url=str(app_server.make_url("/api/wechat")),
                              token=TOKEN, aes=aes, now=clock.now)
    return Stack(session, clock, app_server, wechat_server, connector_server, platform)


async def _close(stack: Stack) -> None:
    await stack.app_server.close()
    await stack.wechat_server.close()
    await stack.connector_server.close()
    await stack.session.close()


ALICE = TeamsUser(name="Alice Advisor", aad_object_id="a11ce000-0000-4000-8000-000000000001")
PUBLIC_BASE_URL = "https://bridge.example.com"  # where Teams clients fetch media links (not served: tests use the path)
BOB = TeamsUser(name="Bob Banker", aad_object_id="b0b00000-0000-4000-8000-000000000002")


@pytest.fixture
async def stack(tmp_path):
    s = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    try:
        yield s
    finally:
        await _close(s)


@pytest.fixture
async def aes_stack(tmp_path):
    s = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", WECHAT_ENCODING_AES_KEY=AES_KEY)
    try:
        yield s
    finally:
        await _close(s)
