"""Runs the real `python app.py` (or `python worker.py`) as a child process, as an operator would."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator

import aiohttp
from aiohttp.test_utils import TestServer

from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, create_connector_simulator
from simulators.teams_client import TeamsUser, personal_installation, post_activity
from simulators.wechat_api import STATE_KEY, create_wechat_simulator

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    script = "app.py"

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = int(env.get("PORT") or free_port())
        self.env = {**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
                    **env, "PORT": str(self.port)}
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 30.0) -> None:
        self.proc = await asyncio.to_thread(self._spawn)
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as session:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.script} exited with {self.proc.returncode}:\n{self.log()}")
                if await self.ready(session):
                    return
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"{self.script} was not ready in {timeout}s:\n{self.log()}")
                await asyncio.sleep(0.05)  # polling a starting process, not waiting for domain time

    def _spawn(self) -> subprocess.Popen:
        with open(self.log_path, "ab") as log:  # the child has its own copy of the descriptor
            return subprocess.Popen([sys.executable, self.script], cwd=ROOT, env=self.env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)

    async def ready(self, session: aiohttp.ClientSession) -> bool:
        try:
            async with session.get(self.url + "/healthz") as r:
                return r.status == 200
        except aiohttp.ClientError:
            return False

    # Waiting for the child happens off the event loop: the simulators run on this loop, and a child
    # shutting down may still be calling them (blocked, it would hang until the timeout kills it).
    async def kill(self) -> None:
        """SIGKILL: no shutdown hooks run, like a crashed host."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            await asyncio.to_thread(self.proc.wait, 10)

    async def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 10)
            except subprocess.TimeoutExpired:
                await self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class WorkerProcess(AppProcess):
    """`python worker.py`: no HTTP; ready once it says it runs jobs."""

    script = "worker.py"

    async def ready(self, session: aiohttp.ClientSession) -> bool:
        return "running jobs" in self.log()


@dataclass
class Simulators:
    wechat_url: str
    connector_url: str
    wechat: Any  # the WeChat API simulator's state
    teams: Any  # the Bot Connector simulator's state
    session: aiohttp.ClientSession

    async def install(self, app: AppProcess, user: TeamsUser) -> None:
        """The user installs the app (personal scope), through the app's /api/messages."""
        for activity in personal_installation(service_url=self.connector_url, user=user):
            assert (await post_activity(self.session, app.url + "/api/messages", activity)).status in (200, 201)


@contextlib.asynccontextmanager
async def real_time_simulators(app_id: str, app_secret: str) -> AsyncIterator[Simulators]:
    """Both simulators on real time (the app is another process), and a client session."""
    clock = SystemClock()
    wechat = TestServer(create_wechat_simulator(clock=clock, app_id=app_id, app_secret=app_secret), host="127.0.0.1")
    connector = TestServer(create_connector_simulator(clock=clock), host="127.0.0.1")
    await wechat.start_server()
    await connector.start_server()
    session = aiohttp.ClientSession()
    try:
        yield Simulators(str(wechat.make_url("")).rstrip("/"), str(connector.make_url("")).rstrip("/"),
                         wechat.app[STATE_KEY], connector.app[CONNECTOR_STATE], session)
    finally:
        await session.close()
        await wechat.close()
        await connector.close()
