"""The processes' own logs, as an operator's log store reads them (LOG_FORMAT=json): one JSON object a
line with its time, level and logger, the job or Teams activity it is about, and never an openid or a
configured secret, in a conversation both ways through the real processes."""
from __future__ import annotations

import json
import time

from simulators.teams_client import personal_message, post_activity
from simulators.wechat_guest import WeChatPlatform
from tests.e2e.app_process import AppProcess, real_time_simulators
from tests.e2e.conftest import ALICE, APP_ID, SECRET, TOKEN, base_env
from tests.e2e.test_crash_recovery import until

GUEST = "oGuestJsonLogs00000000000001"  # 28 characters, as WeChat's openids


async def test_a_conversation_logs_json_lines_about_jobs_and_activities_without_openids_or_secrets(tmp_path):
    async with real_time_simulators(APP_ID, SECRET) as sims:
        env = base_env(sims.wechat_url, str(tmp_path / "bridge.sqlite3"), LOG_FORMAT="json",
                       DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
        app = AppProcess(env, tmp_path / "app.log")
        try:
            await app.start()
            await sims.install(app, ALICE)
            platform = WeChatPlatform(sims.session, api_url=sims.wechat_url, webhook_url=app.url + "/api/wechat",
                                      token=TOKEN, aes=None, now=time.time)
            await platform.guest(GUEST, "Json").say(f"hello, my id is {GUEST}")
            await until(lambda: any("hello" in (a["activity"].get("text") or "") for a in sims.teams.activities),
                        "the guest's message in Teams")
            reply = personal_message("Hello from Teams", service_url=sims.connector_url, user=ALICE)
            assert (await post_activity(sims.session, app.url + "/api/messages", reply)).status in (200, 201)
            await until(lambda: any(t.endswith("Hello from Teams") for t in sims.wechat.texts(GUEST)),
                        "the reply in WeChat")
        finally:
            await app.stop()
    text = app.log()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines and all({"ts", "level", "logger", "msg"} <= line.keys() for line in lines)
    assert any("job" in line and "kind" in line and line.get("guest", "").startswith("g:") for line in lines)
    assert any("activity" in line for line in lines)
    secrets = [v for k, v in env.items() if k in ("WECHAT_APP_SECRET", "WECHAT_TOKEN", "PIN_KEY") and len(v) >= 6]
    assert GUEST not in text and not any(secret in text for secret in secrets)
