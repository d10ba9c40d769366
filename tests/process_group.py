"""Servers run as children in their own process group (start_new_session=True), for the tests and
the benchmarks: stopped group and all, their log's last lines shown when they fail."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:  # the group is gone already
        pass


def stop_group(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, up to `timeout` seconds to finish; then whatever is still in the group (the child
    itself if it ignored SIGTERM) is killed."""
    signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def log_tail(log_path: Path, lines: int) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerChild:
    """A server run by `node` on 127.0.0.1 and a free port, in its own process group: `start` returns
    once it listens (or raises `error` with its log's tail), `stop` takes down the group."""

    name = "server"
    error: type[Exception] = RuntimeError

    def __init__(self, log_path: Path, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        """The arguments after `node`."""
        raise NotImplementedError

    def start(self, timeout: float = 30.0) -> None:
        arguments = self.command()
        node = shutil.which("node")
        if node is None:
            raise self.error(f"`node` is not on PATH: the {self.name} tests need Node 20 or newer")
        with open(self.log_path, "ab") as log:
            # Own process group, so stop() can take down anything the server spawned.
            self.proc = subprocess.Popen([node, *arguments], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_listening(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_until_listening(self, timeout: float) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise self.error(f"{self.name} exited with {self.proc.returncode} before listening:\n{self.log_tail()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise self.error(f"{self.name} not listening on {self.host}:{self.port} after {timeout}s:\n"
                                     f"{self.log_tail()}") from None
                time.sleep(0.05)  # poll interval between connection attempts, bounded by the deadline

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_group(proc, timeout)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)


@contextlib.contextmanager
def serving(server: ServerChild) -> Iterator[ServerChild]:
    """`server` started for a test session's fixture, or the session's tests failed (never skipped: CI
    must run them) with what went wrong; stopped after."""
    import pytest

    try:
        server.start()
        problem = None
    except server.error as exc:
        problem = str(exc)
    if problem:  # outside the except block, so the report is the message alone
        pytest.fail(problem, pytrace=False)
    try:
        yield server
    finally:
        server.stop()
