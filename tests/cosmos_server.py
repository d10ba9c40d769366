"""Runs the local Cosmos DB server (npm `@vercel/cosmosdb-server`, see package.json) for tests.

`scripts/setup.sh dev` installs it and applies patches/ (reading a missing item must give 404, not 500).
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.process_group import log_tail, stop_group

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "node_modules" / "@vercel" / "cosmosdb-server"
# Any base64 string is accepted as the account key by the local server.
KEY = "dGVzdC1rZXktZm9yLXRoZS1sb2NhbC1jb3Ntb3MtZGItc2VydmVy"
# A line our patch adds; without it the server answers 500 for a missing item.
PATCH_MARKER = "patches/@vercel+cosmosdb-server+1.0.1.patch"


class CosmosServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_script() -> Path:
    """The package's bin, checked to be installed and patched; CosmosServerError says what to run."""
    manifest = PACKAGE / "package.json"
    if not manifest.is_file():
        raise CosmosServerError(
            f"{PACKAGE.relative_to(ROOT)} is missing: run ./scripts/setup.sh dev "
            "to install the local Cosmos DB server the tests need"
        )
    bin_field = json.loads(manifest.read_text())["bin"]
    script = PACKAGE / (bin_field if isinstance(bin_field, str) else bin_field["cosmosdb-server"])
    handler = PACKAGE / "lib" / "handler" / "read-document.js"
    if PATCH_MARKER not in handler.read_text():
        raise CosmosServerError(
            f"{handler.relative_to(ROOT)} is not patched: run ./scripts/setup.sh dev "
            "(or `npm run postinstall`: patch-package)"
        )
    return script


class CosmosServer:
    def __init__(self, log_path: Path, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"https://{self.host}:{self.port}/"

    def start(self, timeout: float = 30.0) -> None:
        script = server_script()
        node = shutil.which("node")
        if node is None:
            raise CosmosServerError("`node` is not on PATH: the Cosmos DB tests need Node 20 or newer")
        with open(self.log_path, "ab") as log:
            # Own process group, so stop() can take down anything the server spawned.
            self.proc = subprocess.Popen(
                [node, str(script), "--host", self.host, "--port", str(self.port)],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_listening(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise CosmosServerError(
                    f"cosmosdb-server exited with {self.proc.returncode} before listening:\n{self.log_tail()}"
                )
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise CosmosServerError(
                        f"cosmosdb-server not listening on {self.host}:{self.port} after {timeout}s:\n"
                        f"{self.log_tail()}"
                    ) from None
                time.sleep(0.05)  # poll interval between connection attempts, bounded by the deadline

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_group(proc, timeout)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)
