"""`python app.py` killed with SIGKILL after acknowledging a push still delivers it once restarted."""
from __future__ import annotations

import asyncio
import time

import aiohttp
from aiohttp.test_utils import TestServer

from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, create_connector_simulator
from simulators.teams_client import personal_installation, post_activity
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from simulators.wechat_guest import WeChatPlatform
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import ALICE, APP_ID, SECRET, TOKEN, base_env

USER_INFO = "/cgi-bin/user/info"


async def until(predicate, what: str, timeout: float = 20.0) -> None:
    """Poll another process's visible effects, with a deadline (no fixed sleep stands in for it)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_killed_after_acknowledging_then_restarted_still_delivers(tmp_path):
    clock = SystemClock()  # the app is a separate process on real time
    wechat = TestServer(create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET), host="127.0.0.1")
    connector = TestServer(create_connector_simulator(clock=clock), host="127.0.0.1")
    await wechat.start_server()
    await connector.start_server()
    wechat_url, connector_url = (str(s.make_url("")).rstrip("/") for s in (wechat, connector))
    env = base_env(wechat_url, str(tmp_path / "bridge.sqlite3"), INSTANCE_ID="web-1",
                   DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    app = AppProcess(env, tmp_path / "app.log")
    sim, teams = wechat.app[STATE_KEY], connector.app[CONNECTOR_STATE]
    session = aiohttp.ClientSession()
    try:
        await app.start()
        for activity in personal_installation(service_url=connector_url, user=ALICE):
            assert (await post_activity(session, app.url + "/api/messages", activity)).status in (200, 201)

        # WeChat stalls on the guest's profile lookup, which the app makes before posting to Teams:
        # the app has acknowledged the push and is in the middle of the work when it dies.
        sim.hold(USER_INFO)
        platform = WeChatPlatform(session, api_url=wechat_url, webhook_url=app.url + "/api/wechat", token=TOKEN,
                                  aes=None, now=clock.now)
        result = await platform.guest("oGuestCrash000000000000001", "Survivor").say("please do not lose me")
        assert (result.status, result.text) == (200, "success")
        await until(lambda: USER_INFO in sim.held, "the app to start working on the message")
        app.kill()
        sim.release(USER_INFO)
        assert not any("please do not lose me" in (a["activity"].get("text") or "") for a in teams.activities)

        await app.start()  # same INSTANCE_ID: it takes back the job its previous life held

        def delivered() -> list[dict]:
            return [a for a in teams.activities if "please do not lose me" in (a["activity"].get("text") or "")]

        await until(lambda: len(delivered()) >= 1, "the message to reach Teams after the restart")
        assert len(delivered()) == 1
    finally:
        app.stop()
        await session.close()
        await wechat.close()
        await connector.close()
