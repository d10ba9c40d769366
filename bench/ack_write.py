"""The acknowledgement's write alone: what SQLite costs per push, the app's storage beside the durable reference's.

    python -m bench.ack_write [--calls 20000] [--warm 20000] [--batch 32] [--guests 200] [--json out.json]

- **app**: `SqliteStorage.create_job` with the push's nonce record, what the webhook writes before `success`,
  `--batch` calls at a time (as a closed loop of that many connections hands them to the storage thread in one turn:
  one batch, one commit), the pushes spread over `--guests` guests;
- **reference**: bench/wechatpy_server.py's guarded write (the nonce pair and the message row, one commit a push,
  on the calling thread, as `wpy-loop-guarded` does).

Each writes `--warm` pushes into a new file first, then `--calls` measured. Per push: the wall and CPU time of the
thread that writes (the app's: its storage thread, measured around each batch), and the process's write and read
system calls and bytes written (/proc/self/io: a WAL frame is two writes, its header and its page; checkpoints copy
pages into the database file). Nothing else runs in the process.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from adapters.storage import sqlite_batches
from adapters.storage.sqlite import SqliteStorage
from bench.common import guest_openid
from bench.wechatpy_server import keeper, open_db
from core.storage import NonceRecord


def io_counters() -> dict[str, int]:
    """The process's I/O counters (Linux)."""
    return {k: int(v) for k, v in (line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())}


class Meter:
    """What the measured part cost per push: the writing thread's wall and CPU, and the process's I/O."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.pushes = 0

    def timed(self, run: Callable[[], Any], pushes: int) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return run()
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.thread_time() - cpu
            self.pushes += pushes

    def per_push(self, io_before: dict[str, int]) -> dict[str, float]:
        io = io_counters()
        n = self.pushes
        return {"wall_us": self.wall / n * 1e6, "cpu_us": self.cpu / n * 1e6,
                "write_calls": (io["syscw"] - io_before["syscw"]) / n,
                "write_kb": (io["wchar"] - io_before["wchar"]) / n / 1024,
                "read_calls": (io["syscr"] - io_before["syscr"]) / n}


class Pushes:
    """Distinct pushes as the webhook sees them: guest, MsgId, the nonce record, the job's body."""

    def __init__(self, guests: int) -> None:
        self.guests = [guest_openid(i) for i in range(guests)]
        self.random = random.Random(21)
        self.msg_id = self.random.getrandbits(60)
        self.at = time.time()

    def next(self, i: int) -> tuple[str, str, NonceRecord, dict[str, Any]]:
        guest, now = self.guests[i % len(self.guests)], self.at + i / 1000
        timestamp, msg_id = str(int(now)), str(self.msg_id + i)
        push = {"ToUserName": "gh_bench", "FromUserName": guest, "CreateTime": timestamp, "MsgType": "text",
                "Content": f"Bench message {i}", "MsgId": msg_id}
        nonce = NonceRecord(f"{timestamp}:{self.random.getrandbits(40)}", f"{self.random.getrandbits(256):064x}",
                            now + 600)
        body = {"kind": "wechat_inbound", "payload": {"push": push, "received_at": now, "account": "default"},
                "status": "pending", "attempts": 0, "created_at": now, "due_at": now}
        return guest, f"msg:{msg_id}", nonce, body


async def app_write(path: Path, a: argparse.Namespace) -> dict[str, float]:
    meter = Meter()
    run_batch = sqlite_batches.Batcher._run_batch
    measuring = False

    def timed_batch(db: sqlite3.Connection, batch: list) -> list:
        if not measuring:
            return run_batch(db, batch)
        return meter.timed(lambda: run_batch(db, batch), len(batch))

    sqlite_batches.Batcher._run_batch = staticmethod(timed_batch)  # type: ignore[method-assign]
    storage = SqliteStorage(str(path))
    await storage.open()
    pushes = Pushes(a.guests)
    try:
        async def write(count: int, start: int) -> None:
            for first in range(start, start + count, a.batch):
                calls = [pushes.next(i) for i in range(first, min(first + a.batch, start + count))]
                await asyncio.gather(*(storage.create_job(guest, id, body, nonce)
                                       for guest, id, nonce, body in calls))

        await write(a.warm, 0)
        measuring, before = True, io_counters()
        await write(a.calls, a.warm)
        return meter.per_push(before)
    finally:
        await storage.close()
        sqlite_batches.Batcher._run_batch = staticmethod(run_batch)  # type: ignore[method-assign]


def reference_write(path: Path, a: argparse.Namespace) -> dict[str, float]:
    db = open_db(str(path))
    keep, pushes, meter = keeper(db), Pushes(a.guests), Meter()
    try:
        def write(i: int) -> None:
            guest, id, nonce, body = pushes.next(i)
            keep(id, guest, json.dumps(body["payload"]["push"]), (nonce.key, nonce.digest))

        for i in range(a.warm):
            write(i)
        before = io_counters()
        for i in range(a.warm, a.warm + a.calls):
            meter.timed(functools.partial(write, i), 1)
        return meter.per_push(before)
    finally:
        db.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=20_000, help="pushes measured")
    p.add_argument("--warm", type=int, default=20_000, help="pushes written before")
    p.add_argument("--batch", type=int, default=32, help="the app's calls per batch")
    p.add_argument("--guests", type=int, default=200)
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ack-write-") as folder:
        figures = {"app": asyncio.run(app_write(Path(folder) / "app.sqlite3", a)),
                   "reference": reference_write(Path(folder) / "reference.sqlite3", a)}
    print(f"The acknowledgement's write, per push ({a.calls:,} after {a.warm:,}; the app {a.batch} a batch, "
          f"{a.guests} guests)")
    print(f"{'':12}{'wall µs':>9}{'CPU µs':>9}{'writes':>9}{'KB written':>12}{'reads':>8}")
    for name, f in figures.items():
        print(f"{name:12}{f['wall_us']:9.1f}{f['cpu_us']:9.1f}{f['write_calls']:9.2f}{f['write_kb']:12.2f}"
              f"{f['read_calls']:8.2f}")
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
