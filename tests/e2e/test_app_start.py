"""`python app.py` as an operator runs it: configuration errors and the local-mode warning."""
from __future__ import annotations

import subprocess
import sys

import aiohttp

from tests.e2e.app_process import ROOT, AppProcess
from tests.e2e.conftest import base_env


def test_bad_configuration_stops_start_up_naming_each_variable(tmp_path):
    env = {"PATH": "", "STORAGE": "cosmos", "WECHAT_ENCODING_AES_KEY": "too-short"}
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    for name in ("MicrosoftAppId", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_TOKEN",
                 "WECHAT_ENCODING_AES_KEY", "COSMOS_ENDPOINT", "COSMOS_KEY"):
        assert name in done.stderr


async def test_local_mode_without_app_id_runs_and_says_so_loudly(tmp_path):
    app = AppProcess(base_env("http://127.0.0.1:9", str(tmp_path / "b.sqlite3")), tmp_path / "app.log")
    try:
        await app.start()
        async with aiohttp.ClientSession() as session:
            async with session.get(app.url + "/healthz") as r:
                assert r.status == 200
            async with session.post(app.url + "/api/wechat", data=b"<xml/>") as r:
                assert r.status == 403  # unsigned
    finally:
        await app.stop()
    log = app.log()
    assert "AUTHENTICATION IS OFF" in log
    assert "timestamp=" not in log and "signature=" not in log  # no query strings in the access log
