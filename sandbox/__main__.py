"""The product on one machine with no cloud accounts: `python -m sandbox`.

Runs the real application (webhook, bot, storage on SQLite, job worker) against the WeChat API
and Bot Connector simulators, installs the app for two demo employees, plays a short
conversation, and then lets you type as a WeChat guest or as an employee:

    guest <text>        the WeChat guest writes to the Official Account
    alice <text>        Alice answers in Teams (also: bob <text>)
    follow-bob          a new guest follows through Bob's QR code
    quit
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import aiohttp
from aiohttp import web

from app import COMPONENTS, create_app
from config import load_settings
from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, create_connector_simulator
from simulators.teams_client import TeamsUser, personal_installation, personal_message, post_activity
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from simulators.wechat_guest import WeChatPlatform

APP_ID, SECRET, TOKEN = "wxsandbox00000001", "sandbox-secret", "sandboxtoken"
ALICE = TeamsUser(name="Alice Advisor", aad_object_id="a11ce000-0000-4000-8000-00000000000a")
BOB = TeamsUser(name="Bob Banker", aad_object_id="b0b00000-0000-4000-8000-00000000000b")


async def serve(app: web.Application, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


class Sandbox:
    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.clock = SystemClock()
        self.wechat_app = create_wechat_simulator(clock=self.clock, app_id=APP_ID, app_secret=SECRET)
        self.connector_app = create_connector_simulator(clock=self.clock)
        self.urls = {name: f"http://127.0.0.1:{p}" for name, p in
                     (("app", port), ("wechat", port + 1), ("connector", port + 2))}
        self.settings = load_settings({
            "APP_ENV": "local", "PORT": str(port), "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET,
            "WECHAT_TOKEN": TOKEN, "WECHAT_API_BASE_URL": self.urls["wechat"],
            "WECHAT_QR_BASE_URL": self.urls["wechat"], "SQLITE_PATH": str(data_dir / "sandbox.sqlite3"),
            "DEFAULT_TARGET": f"employee:{ALICE.aad_object_id}", "INSTANCE_ID": "sandbox",
        })
        self.runners: list[web.AppRunner] = []
        self.shown = 0

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.runners.append(await serve(self.wechat_app, self.port + 1))
        self.runners.append(await serve(self.connector_app, self.port + 2))
        self.app = create_app(self.settings, clock=self.clock)
        self.runners.append(await serve(self.app, self.port))
        self.session = session
        self.platform = WeChatPlatform(session, api_url=self.urls["wechat"], token=TOKEN, aes=None,
                                       webhook_url=self.urls["app"] + "/api/wechat", now=self.clock.now)
        for user in (ALICE, BOB):
            for activity in personal_installation(service_url=self.urls["connector"], user=user):
                await post_activity(session, self.urls["app"] + "/api/messages", activity)

    async def stop(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()

    async def employee_says(self, user: TeamsUser, text: str) -> None:
        activity = personal_message(text, service_url=self.urls["connector"], user=user)
        await post_activity(self.session, self.urls["app"] + "/api/messages", activity)

    async def show_new(self) -> None:
        """Print what reached Teams and WeChat since the last call."""
        await self.app[COMPONENTS].worker.drain()
        teams = self.connector_app[CONNECTOR_STATE].activities_for()
        wechat = self.wechat_app[STATE_KEY].delivered
        events = [(a["at"], "Teams  ", _who(a["conversationId"]), a["activity"].get("text") or "[card]") for a in teams]
        events += [(d.at, "WeChat ", d.openid, d.text or f"[{d.msgtype}]") for d in wechat]
        events.sort(key=lambda e: e[0])
        for _, side, who, text in events[self.shown:]:
            print(f"  {side} → {who}: {text.splitlines()[0] if text else ''}")
        self.shown = len(events)


def _who(conversation_id: str) -> str:
    from simulators.teams_client import TeamsBot, personal_conversation_id

    for user in (ALICE, BOB):
        if personal_conversation_id(user, TeamsBot()) == conversation_id:
            return user.name
    return conversation_id


async def demo(box: Sandbox) -> None:
    print("\nA short conversation:")
    guest = box.platform.guest("oSandboxGuest000000000001", nickname="Li Lei")
    await guest.follow()
    await guest.say("你好! Could we review my portfolio this week?")
    await box.show_new()
    await box.employee_says(ALICE, "Of course, Mr Li. Thursday 10:00?")
    await box.show_new()


async def console(box: Sandbox) -> None:
    guest = box.platform.guest("oSandboxGuest000000000001", nickname="Li Lei")
    guest.following = True
    loop = asyncio.get_running_loop()
    new_guests = 0
    print(__doc__.split("\n\n", 2)[2])
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:  # no terminal (or end of input): keep serving until interrupted
            await asyncio.Event().wait()
        command, _, text = line.strip().partition(" ")
        if command == "quit":
            return
        if command == "guest" and text:
            await guest.say(text)
        elif command in ("alice", "bob") and text:
            await box.employee_says(ALICE if command == "alice" else BOB, text)
        elif command == "follow-bob":
            new_guests += 1
            other = box.platform.guest(f"oSandboxGuest10000000000{new_guests:02d}", nickname=f"Guest {new_guests}")
            await other.follow(scene=f"emp_{BOB.aad_object_id}")
            await other.say("Hello Bob, I scanned your code.")
        else:
            print("  ? guest <text> | alice <text> | bob <text> | follow-bob | quit")
            continue
        await box.show_new()


async def main() -> None:
    parser = argparse.ArgumentParser(description="Run the WeChat channel locally against simulators.")
    parser.add_argument("--port", type=int, default=3978)
    parser.add_argument("--data", type=Path, default=Path("data"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    box = Sandbox(args.port, args.data)
    async with aiohttp.ClientSession() as session:
        await box.start(session)
        try:
            print(f"The bridge is running at {box.urls['app']} (webhook {box.urls['app']}/api/wechat, "
                  f"bot {box.urls['app']}/api/messages)")
            print(f"WeChat API simulator: {box.urls['wechat']}/sim/sent   "
                  f"Bot Connector simulator: {box.urls['connector']}/sim/activities")
            await demo(box)
            await console(box)
        finally:
            await box.stop()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
