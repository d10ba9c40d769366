"""`python -m sandbox` (what scripts/run.sh runs): it prints the page's URL, serves it, and stops
cleanly on Ctrl-C; a port in use is a clear message."""
from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp

from sandbox.world import listen, url_of

REPO = Path(__file__).resolve().parents[2]


async def start(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "sandbox", *args, cwd=REPO,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def test_the_command_prints_the_url_serves_the_page_and_stops_on_ctrl_c(tmp_path):
    probe = listen()
    port = probe.getsockname()[1]
    probe.close()  # a port free a moment ago
    process = await start("--port", str(port), "--data", str(tmp_path / "data"))
    try:
        first = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()
        assert first == f"Sandbox: http://127.0.0.1:{port}/\n"
        async with aiohttp.ClientSession() as session, session.get(first.split(" ", 1)[1].strip()) as page:
            assert page.status == 200 and "WeChat channel for Microsoft Teams" in await page.text()
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert (tmp_path / "data" / "organizations.toml").is_file() and (tmp_path / "data" / "sandbox.sqlite3").is_file()


async def test_a_port_in_use_is_refused_with_a_clear_message(tmp_path):
    taken = listen()
    taken.listen()
    address = url_of(taken).removeprefix("http://")
    try:
        process = await start("--port", str(taken.getsockname()[1]), "--data", str(tmp_path / "data"))
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        taken.close()
    assert process.returncode == 2 and out == b""
    assert f"Cannot start the sandbox on {address}: " in err.decode() and "--port" in err.decode()
