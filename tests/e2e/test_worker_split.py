"""`python app.py` with WORKER=off only acknowledges; `python worker.py` beside it, on the same
storage, delivers both ways. Real processes on real time, as an operator runs them."""
from __future__ import annotations

import sqlite3
import time

from simulators.teams_client import personal_message, post_activity
from simulators.wechat_guest import WeChatPlatform
from tests.e2e.app_process import AppProcess, WorkerProcess, real_time_simulators
from tests.e2e.conftest import ALICE, APP_ID, SECRET, TOKEN, base_env
from tests.e2e.test_crash_recovery import until

GUEST = "oGuestSplit00000000000001"


def jobs(path: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(path) as db:
        return [(row[0], row[1]) for row in db.execute(
            "SELECT json_extract(body, '$.status'), json_extract(body, '$.lease_owner') FROM jobs")]


async def test_an_acknowledging_instance_leaves_the_work_to_a_worker_process(tmp_path):
    async with real_time_simulators(APP_ID, SECRET) as sims:
        db = str(tmp_path / "bridge.sqlite3")
        common = dict(DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
        app = AppProcess(base_env(sims.wechat_url, db, INSTANCE_ID="web-1", WORKER="off", **common),
                         tmp_path / "app.log")
        worker = WorkerProcess(base_env(sims.wechat_url, db, INSTANCE_ID="worker-1", WORKER_POLL_MS="20", **common),
                               tmp_path / "worker.log")
        try:
            await app.start()
            await sims.install(app, ALICE)
            platform = WeChatPlatform(sims.session, api_url=sims.wechat_url, webhook_url=app.url + "/api/wechat",
                                      token=TOKEN, aes=None, now=time.time)
            result = await platform.guest(GUEST, "Split").say("hello from WeChat")
            assert (result.status, result.text) == (200, "success")
            # Persisted, due, and not taken by the instance that acknowledged it.
            assert ("pending", None) in jobs(db) and not any(owner == "web-1" for _, owner in jobs(db))

            await worker.start()

            def in_teams() -> list[dict]:
                return [a for a in sims.teams.activities if "hello from WeChat" in (a["activity"].get("text") or "")]

            await until(lambda: len(in_teams()) == 1, "the worker to post the guest's message into Teams")
            reply = personal_message("Hello from Teams", service_url=sims.connector_url, user=ALICE)
            assert (await post_activity(sims.session, app.url + "/api/messages", reply)).status in (200, 201)
            await until(lambda: any(t.endswith("Hello from Teams") for t in sims.wechat.texts(GUEST)),
                        "the worker to send the reply to WeChat")
            assert not any(owner == "web-1" for _, owner in jobs(db))
        finally:
            await worker.stop()
            await app.stop()
    assert worker.proc.returncode == 0, worker.log()
