"""Telemetry is set up by app.py's start-up (the web app and worker.py alike) only where
APPLICATIONINSIGHTS_CONNECTION_STRING is set: without it nothing of OpenTelemetry is even imported; with it the
real exporter sends what was recorded to Application Insights' ingestion API (here a local one)."""
from __future__ import annotations

import asyncio
import gzip
import json
import os
import sys

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.e2e.conftest import APP_ID, SECRET, TOKEN

CONNECTION = "InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint={url}/"


async def start_and_stop(tmp_path, **env: str) -> dict:
    """tests/telemetry/process.py run with the settings of a local instance and `env`: what it printed."""
    settings = {"APP_ENV": "local", "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET, "WECHAT_TOKEN": TOKEN,
                "WECHAT_API_BASE_URL": "http://127.0.0.1:9", "SQLITE_PATH": str(tmp_path / "bridge.sqlite3"),
                "INSTANCE_ID": "telemetry-1", "PATH": os.environ.get("PATH", ""),
                "TMPDIR": str(tmp_path),  # where the exporter keeps what it could not send yet: none of another run's
                # Microsoft's own calls home (the SDK's usage statistics, its remote settings): none from a test
                "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true",
                "APPLICATIONINSIGHTS_CONTROLPLANE_DISABLED": "true",
                **env}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.telemetry.process", env=settings, cwd=os.getcwd(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    return json.loads(out.decode().strip().splitlines()[-1])


async def test_without_a_connection_string_nothing_is_set_up_or_imported(tmp_path):
    started = await start_and_stop(tmp_path)
    assert started == {"telemetry": "NoTelemetry", "modules": []}


async def test_with_a_connection_string_what_was_recorded_reaches_application_insights(tmp_path):
    received: list[dict] = []

    async def track(request: web.Request) -> web.Response:
        body = await request.read()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        items = json.loads(body)
        received.extend(items if isinstance(items, list) else [items])
        return web.json_response({"itemsReceived": len(received), "itemsAccepted": len(received), "errors": []})

    ingestion = web.Application()
    ingestion.router.add_post("/{path:.*track}", track)  # <endpoint>/v2.1/track
    server = TestServer(ingestion, host="127.0.0.1")
    await server.start_server()
    try:
        url = str(server.make_url("")).rstrip("/")
        started = await start_and_stop(tmp_path, APPLICATIONINSIGHTS_CONNECTION_STRING=CONNECTION.format(url=url))
    finally:
        await server.close()
    assert started["telemetry"] == "AzureMonitor" and "azure.monitor.opentelemetry.exporter" in started["modules"]
    metrics = [m for item in received if item["data"]["baseType"] == "MetricData"
               for m in item["data"]["baseData"]["metrics"]]
    assert {"name": "bridge.wechat.messages_in", "value": 1.0} in [{"name": m["name"], "value": m["value"]}
                                                                   for m in metrics]
    (job,) = [i for i in received if i["data"]["baseType"] == "RequestData"]  # a job is a request
    assert job["data"]["baseData"]["name"] == "job test" and job["tags"]["ai.cloud.role"] == "wechat-bridge"
    assert job["tags"]["ai.cloud.roleInstance"] == "telemetry-1"
