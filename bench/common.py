"""What the benchmarks share: the account's settings, child processes, signed pushes, statistics."""
from __future__ import annotations

import asyncio
import itertools
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Coroutine, NoReturn, Sequence
from urllib.parse import urlencode

from adapters.wechat.crypto import WeChatCrypto
from simulators.teams_client import TeamsUser
from simulators.wechat_push import build_push, text_message
from tests.process_group import log_tail, signal_group, stop_group

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

APP_ID = "wx5a1b2c3d4e5f6a7b"
SECRET = "simulated-app-secret"
TOKEN = "bridgetoken42"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # the EncodingAESKey of safe-mode runs
ALICE = TeamsUser(name="Alice Advisor", aad_object_id="a11ce000-0000-4000-8000-0000000be4c0")

CLK_TCK = os.sysconf("SC_CLK_TCK")


def guest_openid(i: int) -> str:
    """The openid of bench guest `i` (28 characters, like WeChat's)."""
    return f"oBench{i:022d}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except FileNotFoundError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14 and 15)


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine have used so far (all cores; Linux /proc/stat)."""
    with open("/proc/stat", "rb") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def own_cpu_seconds() -> float:
    return time.process_time()


# -- child processes --------------------------------------------------------------------------------


class Child:
    """A child process in its own process group, stopped (group and all) by stop()."""

    def __init__(self, name: str, argv: Sequence[str], *, env: dict[str, str] | None, log_path: Path,
                 port: int) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = env
        self.log_path = log_path
        self.port = port
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid) if self.proc else float("nan")

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    async def wait_listening(self, timeout: float = 60.0) -> None:
        """Until the port accepts connections (bounded by `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited before listening:\n{self.log_tail()}")
            try:
                _, writer = await asyncio.open_connection(HOST, self.port)
                writer.close()
                await writer.wait_closed()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name} not listening after {timeout}s:\n{self.log_tail()}") from None
                await asyncio.sleep(0.05)

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    async def wait_for_log(self, text: str, timeout: float = 60.0, *, since: int = 0) -> None:
        """Until the child's log shows `text` after byte `since` (a process with no port: a worker)."""
        deadline = time.monotonic() + timeout
        while text not in self.log_path.read_bytes()[since:].decode(errors="replace"):
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} did not log {text!r} in {timeout}s:\n{self.log_tail()}")
            await asyncio.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_group(proc, timeout)

    def kill(self) -> None:
        """SIGKILL, group and all: no shutdown hook runs, as when a host dies."""
        proc, self.proc = self.proc, None
        if proc is not None:
            signal_group(proc.pid, signal.SIGKILL)
            proc.wait()

    def finish(self, timeout: float) -> None:
        """Let a process that ends by itself do so (bounded by `timeout`), then stop what is left."""
        if self.proc is not None:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)


async def start_listening(children: Sequence[Child]) -> None:
    """Start the children, then wait until each listens on its port."""
    for child in children:
        child.start()
    for child in children:
        await child.wait_listening()


def python_child(name: str, module_or_script: Sequence[str], *, port: int, log_path: Path,
                 env: dict[str, str] | None = None) -> Child:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    return Child(name, [sys.executable, *module_or_script], env={**base, **(env or {})}, log_path=log_path,
                 port=port)


def sims_child(workdir: Path, guests: int, *, max_seconds: float, written: bool = False,
               teams_latency_ms: float = 0.0, wechat_latency_ms: float = 0.0, marked_names: bool = False) -> Child:
    """bench/sims.py (the WeChat API simulator and the Bot Connector simulator); its `url` is the
    connector's, `wechat_url` the WeChat API's."""
    wechat_port, connector_port = free_port(), free_port()
    child = python_child("sims", ["-m", "bench.sims", "--wechat-port", str(wechat_port), "--connector-port",
                                  str(connector_port), "--guests", str(guests), "--max-seconds", str(max_seconds),
                                  "--teams-latency-ms", str(teams_latency_ms), "--wechat-latency-ms",
                                  str(wechat_latency_ms), *(["--written"] if written else []),
                                  *(["--marked-names"] if marked_names else [])],
                         port=connector_port, log_path=workdir / "sims.log")
    child.wechat_url = f"http://{HOST}:{wechat_port}"
    return child


def app_env(wechat_url: str, sqlite_path: Path, default_target: str) -> dict[str, str]:
    """The app's settings for a bench run: the simulated Official Account, SQLite, new guests to
    `default_target`; PORT and INSTANCE_ID are the caller's."""
    return {
        "APP_ENV": "local",
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": SECRET,
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_API_BASE_URL": wechat_url,
        "WECHAT_QR_BASE_URL": wechat_url,
        "SQLITE_PATH": str(sqlite_path),
        "DEFAULT_TARGET": default_target,
    }


def sigterm_raises() -> None:
    """SIGTERM to the benchmark runs its `finally` blocks (children are stopped) like Ctrl-C does."""
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)  # also when started in the background (SIGINT inherited ignored)


async def run_in_workdir(make_bench: Any, args: Any, prefix: str) -> int:
    """Build a benchmark (`make_bench(args, workdir)`) in a temporary folder, run it, print (and with --json
    write) its report; its children stopped and the folder removed (unless --keep) whatever happens."""
    import json
    import shutil
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    bench = make_bench(args, workdir)
    try:
        await bench.run()
        report = bench.report()
        bench.print_report(report)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str))
        return 0
    finally:
        await bench.close()
        for child in reversed(bench.children):
            child.stop()
        if args.keep:
            print(f"# kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_and_exit(main: Coroutine[Any, Any, int]) -> NoReturn:
    """A benchmark's entry point: runs `main` and exits with its status; SIGTERM and Ctrl-C stop it
    through its `finally` blocks, which stop its child processes."""
    sigterm_raises()
    try:
        sys.exit(asyncio.run(main))
    except KeyboardInterrupt:
        print("# interrupted; child processes stopped", file=sys.stderr)
        sys.exit(130)


async def exit_with_parent(stop: asyncio.Event, max_seconds: float) -> None:
    """For a child server: stop when its parent is gone or after `max_seconds`, whichever is first."""
    parent = os.getppid()
    deadline = time.monotonic() + max_seconds
    while not stop.is_set():
        if os.getppid() != parent or time.monotonic() > deadline:
            stop.set()
            return
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass


# -- WeChat pushes ------------------------------------------------------------------------------------

_run_ids = itertools.count(int(time.time() * 1000) % 10**9)


class PushFactory:
    """Distinct, correctly signed text pushes as raw HTTP/1.1 requests.

    Unique per push: MsgId (a 19-digit sequence from a random base), nonce (a numeric sequence from a
    random base, as WeChat's are numeric strings). Signed as WeChat does in plaintext mode:
    signature = sha1(sorted(token, timestamp, nonce)), with openid in the query; with `aes_key`, in
    safe mode as well (the XML encrypted, msg_signature over the Encrypt element too).
    """

    def __init__(self, host: str, port: int, *, token: str = TOKEN, aes_key: str | None = None) -> None:
        self.host = host
        self.port = port
        self.token = token
        self.aes = WeChatCrypto(token, aes_key, APP_ID) if aes_key else None
        self._msg_ids = itertools.count(10**18 + secrets.randbelow(10**18))
        self._nonces = itertools.count(10**9 + secrets.randbelow(10**9))

    def request(self, openid: str, content: str, timestamp: int) -> bytes:
        return self.signed(openid, text_message(openid, content, create_time=timestamp, msg_id=next(self._msg_ids)),
                           timestamp)

    def signed(self, openid: str, xml: bytes, timestamp: int) -> bytes:
        """Any push (`xml`, from simulators.wechat_push) as a signed raw request (encrypted too in safe mode)."""
        query, body = build_push(xml, token=self.token, timestamp=timestamp, nonce=str(next(self._nonces)),
                                 aes=self.aes, openid=openid)
        head = (f"POST /api/wechat?{urlencode(query)} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n")
        return head.encode("ascii") + body

    def batch(self, count: int, *, guests: int, tag: str, first_guest: int = 0) -> list[bytes]:
        """`count` pushes, round-robin over `guests` guests, each text carrying the marker [m:<tag>:<i>]."""
        now = int(time.time())
        return [self.request(guest_openid(first_guest + i % guests), f"Bench message [m:{tag}:{i}]", now)
                for i in range(count)]


def new_tag(name: str) -> str:
    return f"{name}-{next(_run_ids)}"


# -- statistics -----------------------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (NaN if empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary_ms(latencies_s: Sequence[float]) -> dict[str, float]:
    values = sorted(latencies_s)
    return {"n": len(values), "p50": percentile(values, 50) * 1000, "p90": percentile(values, 90) * 1000,
            "p99": percentile(values, 99) * 1000, "max": (values[-1] * 1000) if values else float("nan")}
