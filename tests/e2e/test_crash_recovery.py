"""`python app.py` killed with SIGKILL after acknowledging a push still delivers it once restarted."""
from __future__ import annotations

import asyncio
import time

from simulators.wechat_guest import WeChatPlatform
from tests.e2e.app_process import AppProcess, real_time_simulators
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
    async with real_time_simulators(APP_ID, SECRET) as sims:  # the app is a separate process on real time
        app = AppProcess(base_env(sims.wechat_url, str(tmp_path / "bridge.sqlite3"), INSTANCE_ID="web-1",
                                  DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}"), tmp_path / "app.log")
        try:
            await app.start()
            await sims.install(app, ALICE)

            # WeChat stalls on the guest's profile lookup, which the app makes before posting to Teams:
            # the app has acknowledged the push and is in the middle of the work when it dies.
            sims.wechat.hold(USER_INFO)
            platform = WeChatPlatform(sims.session, api_url=sims.wechat_url, webhook_url=app.url + "/api/wechat",
                                      token=TOKEN, aes=None, now=time.time)
            result = await platform.guest("oGuestCrash000000000000001", "Survivor").say("please do not lose me")
            assert (result.status, result.text) == (200, "success")
            await until(lambda: USER_INFO in sims.wechat.held, "the app to start working on the message")
            await app.kill()
            sims.wechat.release(USER_INFO)

            def delivered() -> list[dict]:
                return [a for a in sims.teams.activities
                        if "please do not lose me" in (a["activity"].get("text") or "")]

            assert not delivered()
            await app.start()  # same INSTANCE_ID: it takes back the job its previous life held
            await until(lambda: len(delivered()) >= 1, "the message to reach Teams after the restart")
            assert len(delivered()) == 1
        finally:
            await app.stop()
