"""Runs the real `python app.py` (or `python worker.py`) as a child process, as an operator would."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

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
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, self.script], cwd=ROOT, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
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

    async def ready(self, session: aiohttp.ClientSession) -> bool:
        try:
            async with session.get(self.url + "/healthz") as r:
                return r.status == 200
        except aiohttp.ClientError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks run, like a crashed host."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class WorkerProcess(AppProcess):
    """`python worker.py`: no HTTP; ready once it says it runs jobs."""

    script = "worker.py"

    async def ready(self, session: aiohttp.ClientSession) -> bool:
        return "running jobs" in self.log()
