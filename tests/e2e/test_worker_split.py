"""`python app.py` with WORKER=off only acknowledges; `python worker.py` beside it, on the same
storage, delivers both ways. Real processes on real time, as an operator runs them."""
from __future__ import annotations

import sqlite3

import aiohttp
from aiohttp.test_utils import TestServer

from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, create_connector_simulator
from simulators.teams_client import personal_installation, personal_message, post_activity
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from simulators.wechat_guest import WeChatPlatform
from tests.e2e.app_process import AppProcess, WorkerProcess
from tests.e2e.conftest import ALICE, APP_ID, SECRET, TOKEN, base_env
from tests.e2e.test_crash_recovery import until

GUEST = "oGuestSplit00000000000001"


def jobs(path: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(path) as db:
        return [(row[0], row[1]) for row in db.execute(
            "SELECT json_extract(body, '$.status'), json_extract(body, '$.lease_owner') FROM jobs")]


async def test_an_acknowledging_instance_leaves_the_work_to_a_worker_process(tmp_path):
    clock = SystemClock()
    wechat = TestServer(create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET), host="127.0.0.1")
    connector = TestServer(create_connector_simulator(clock=clock), host="127.0.0.1")
    await wechat.start_server()
    await connector.start_server()
    wechat_url, connector_url = (str(s.make_url("")).rstrip("/") for s in (wechat, connector))
    db = str(tmp_path / "bridge.sqlite3")
    common = dict(DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    app = AppProcess(base_env(wechat_url, db, INSTANCE_ID="web-1", WORKER="off", **common), tmp_path / "app.log")
    worker = WorkerProcess(base_env(wechat_url, db, INSTANCE_ID="worker-1", WORKER_POLL_MS="20", **common),
                           tmp_path / "worker.log")
    sim, teams = wechat.app[STATE_KEY], connector.app[CONNECTOR_STATE]
    session = aiohttp.ClientSession()
    try:
        await app.start()
        for activity in personal_installation(service_url=connector_url, user=ALICE):
            assert (await post_activity(session, app.url + "/api/messages", activity)).status in (200, 201)
        platform = WeChatPlatform(session, api_url=wechat_url, webhook_url=app.url + "/api/wechat", token=TOKEN,
                                  aes=None, now=clock.now)
        result = await platform.guest(GUEST, "Split").say("hello from WeChat")
        assert (result.status, result.text) == (200, "success")
        # Persisted, due, and not taken by the instance that acknowledged it.
        assert ("pending", None) in jobs(db) and not any(owner == "web-1" for _, owner in jobs(db))

        await worker.start()

        def in_teams() -> list[dict]:
            return [a for a in teams.activities if "hello from WeChat" in (a["activity"].get("text") or "")]

        await until(lambda: len(in_teams()) == 1, "the worker to post the guest's message into Teams")
        reply = personal_message("Hello from Teams", service_url=connector_url, user=ALICE)
        assert (await post_activity(session, app.url + "/api/messages", reply)).status in (200, 201)
        await until(lambda: any(t.endswith("Hello from Teams") for t in sim.texts(GUEST)),
                    "the worker to send the reply to WeChat")
        assert {status for status, _ in jobs(db)} <= {"done", "leased", "pending"}
        assert not any(owner == "web-1" for _, owner in jobs(db))
    finally:
        worker.stop()
        app.stop()
        await session.close()
        await wechat.close()
        await connector.close()
    assert worker.proc.returncode == 0, worker.log()
