"""Flat at 100,000 threads (issue 21): the timer sweep, a follow-up message and memory, N threads in storage.

    python -m bench.scale [--sizes 100,100000] [--backends sqlite,cosmos] [--messages 50] [--ticks 20]
                          [--groups 5] [--cosmos-budget 120] [--cosmos-max 1000] [--cosmos-ticks 5]
                          [--json out.json] [--keep]

For each backend and each size, the data set is written straight into storage (bench/scale_data.py), then
a child process (`--child`: its memory is the app's alone) runs the app as bench/storage_requests.py does
(create_app with a FakeClock, the simulators in process, every storage call counted) and measures:

- **a sweep tick** (what the worker's 1 s loop and the 10 s housekeeping do: `Worker.sweep`,
  `fire_due_timers`, the nonce purge, then the jobs they started, drained), `--ticks` times with nothing
  due, then once per planted group (`--groups`) with a few due (5 threads' 24 h warnings, 5 jobs): storage
  requests, rows the queries returned, CPU ms of this process (its SQLite thread included; on Cosmos DB the
  local server's CPU apart: it scans), wall ms; on SQLite also the VM instructions SQLite ran (a progress
  handler: the rows it looked at, whatever it returned) and each query's plan;
- **messages**: `--messages` guests following the account write a first message, then a follow-up each,
  one at a time (pushed, then the worker drained): storage requests per message and latency p50 / p99;
- **memory**: resident set (VmRSS) and the tracemalloc peak after the app started, and after the run (a
  few ticks and follow-ups again with tracemalloc on; the timed parts run without it).

The worker's own loop polls once a minute here (WORKER_POLL_MS), so the ticks measured are the bench's;
the housekeeping loop still runs every 10 s (its calls are not counted). Cosmos DB is the local server
of the tests (tests/cosmos_server.py). It has no index: every query reads every document of its container
(about 0.15 ms each on this machine: 7 s a query at 6,856 threads, 48,701 documents), so the sizes there are
capped at `--cosmos-max` and fewer ticks are measured (`--cosmos-ticks`); a data set it cannot take within
`--cosmos-budget` seconds is cut short, and the size actually loaded is printed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from bench.common import cpu_seconds, guest_openid, percentile, sigterm_raises
from bench.storage_requests import PHASE, CountingStorage, Stack
from bench import scale_data
from core.clock import FakeClock
from core.storage import Item

COUNTED = ("tick", "ack", "processing")  # phases whose calls are the measured work's (not the background loops')
VM_STEP = 1  # the progress handler's period, in SQLite VM instructions (its cost is in the CPU ms)


class RowCountingStorage(CountingStorage):
    """Also counts the items each query returned, by phase."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.rows: Counter[str] = Counter()

    async def query(self, container: str, **kwargs: Any) -> Sequence[Item]:
        items = await super().query(container, **kwargs)
        self.rows[PHASE.get()] += len(items)
        return items

    def counted(self) -> tuple[int, int]:
        calls = sum(n for (phase, _, _), n in self.calls.items() if phase in COUNTED)
        return calls, sum(self.rows[p] for p in COUNTED)


class SqliteWatch:
    """On the storage's own connection: VM instructions run, and the SELECTs sent while `tracing`."""

    def __init__(self) -> None:
        self.instructions = 0
        self.tracing = False
        self.selects: list[str] = []

    async def install(self, sqlite) -> None:
        def install(db) -> None:
            db.set_progress_handler(self._step, VM_STEP)
            db.set_trace_callback(self._trace)

        await sqlite._conn().run(install, write=False)

    def _step(self) -> int:
        self.instructions += VM_STEP
        return 0

    def _trace(self, sql: str) -> None:
        if self.tracing and sql.lstrip().upper().startswith("SELECT"):
            self.selects.append(sql)

    async def plans(self, sqlite) -> dict[str, str]:
        """Each distinct SELECT seen (its numbers blanked) and SQLite's plan for it."""
        # point reads (by primary key) left out: the queries are the question
        shapes = {re.sub(r"'o\w{27}'|\b\d+(\.\d+)?\b", "?", s): s for s in self.selects if "json_" in s}
        self.tracing = False
        out = {}
        for shape, sql in shapes.items():
            rows = await sqlite._conn().run(lambda db, sql=sql: db.execute("EXPLAIN QUERY PLAN " + sql).fetchall(),
                                            write=False)
            out[shape] = "; ".join(r[3] for r in rows)
        return out


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


async def tick(stack: Stack, storage: RowCountingStorage, watch: SqliteWatch | None, server_pid: int | None) -> dict:
    """One round of the periodic work, as the worker's loop and the housekeeping run it, and what it cost."""
    c = stack.components
    token = PHASE.set("tick")
    calls, rows = storage.counted()
    vm = watch.instructions if watch else 0
    server = cpu_seconds(server_pid) if server_pid else 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        ran = await c.worker.sweep()
        fired = await c.conversations.fire_due_timers()
        if c.webhook.nonces:
            await c.webhook.nonces.purge()
        await c.worker.drain()
    finally:
        PHASE.reset(token)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    calls2, rows2 = storage.counted()
    return {"jobs_ran": ran, "timers_fired": fired, "requests": calls2 - calls, "rows": rows2 - rows,
            "cpu_ms": cpu * 1000, "wall_ms": wall * 1000,
            "vm_instructions": (watch.instructions - vm) if watch else None,
            "server_cpu_ms": (cpu_seconds(server_pid) - server) * 1000 if server_pid else None}


async def message(stack: Stack, storage: RowCountingStorage, openid: str, text: str) -> tuple[int, float]:
    calls, _ = storage.counted()
    started = time.perf_counter()
    await stack.message(openid, text)
    return storage.counted()[0] - calls, time.perf_counter() - started


def memory() -> dict[str, float]:
    return {"rss_mb": rss_mb(), "tracemalloc_peak_mb": tracemalloc.get_traced_memory()[1] / 2**20}


async def child(cfg: dict[str, Any]) -> dict[str, Any]:
    tracemalloc.start()
    workdir = Path(cfg["workdir"])
    if cfg["backend"] == "sqlite":
        from adapters.storage.sqlite import SqliteStorage

        inner: Any = SqliteStorage(cfg["sqlite_path"])
    else:
        from adapters.storage.cosmos import CosmosStorage
        from tests.cosmos_server import KEY

        inner = CosmosStorage(cfg["endpoint"], KEY, cfg["database"])
    storage = RowCountingStorage(inner)
    clock = FakeClock(start=cfg["now"])
    out: dict[str, Any] = {}
    async with Stack(storage, workdir, clock=clock, settings={"WORKER_POLL_MS": "60000"}) as stack:
        out["memory_start"] = memory()
        tracemalloc.stop()
        logging.disable(logging.WARNING)  # the planted timers' jobs retry (their employees have no chat): expected
        watch = None
        if cfg["backend"] == "sqlite":
            watch = SqliteWatch()
            await watch.install(inner)
            watch.tracing = True
        pid = cfg.get("server_pid")
        out["idle_ticks"] = [await tick(stack, storage, watch, pid) for _ in range(cfg["ticks"])]
        out["due_ticks"] = []
        for g in range(cfg["groups"]):
            clock.advance(scale_data.due_at(cfg["now"], g) + 1 - clock.now())
            out["due_ticks"].append(await tick(stack, storage, watch, pid))
        if watch:
            out["plans"] = await watch.plans(inner)
        guests = [guest_openid(700_000 + i) for i in range(cfg["messages"] + 1)]
        for i, openid in enumerate(guests):
            await stack.follow(openid, f"Scale guest {i}")
        await stack.message(guests[0], "warm-up")  # the WeChat token fetched: not in the figures
        for case in ("first", "follow-up"):
            before = Counter(storage.calls)
            out[case] = [await message(stack, storage, openid, f"{case} {i}") for i, openid in enumerate(guests[1:])]
            calls = Counter(storage.calls)
            calls.subtract(before)
            out[f"{case} calls"] = {f"{c}.{m}": round(n / cfg["messages"], 2)
                                    for (p, c, m), n in sorted(calls.items()) if p in COUNTED and n}
        tracemalloc.start()
        for i in range(3):
            await tick(stack, storage, watch, pid)
            await stack.message(guests[1 + i], f"again {i}")
        out["memory_end"] = memory()
        tracemalloc.stop()
    return out


def summarise(r: dict[str, Any]) -> dict[str, Any]:
    def ticks(rows: list[dict]) -> dict[str, float]:
        if not rows:
            return {}
        med = lambda k: percentile(sorted(x[k] for x in rows), 50)  # noqa: E731
        s = {k: med(k) for k in ("requests", "rows", "cpu_ms", "wall_ms", "jobs_ran", "timers_fired")}
        s["wall_ms_max"] = max(x["wall_ms"] for x in rows)
        for k in ("vm_instructions", "server_cpu_ms"):
            if rows[0][k] is not None:
                s[k] = med(k)
        return s

    def messages(rows: list[list]) -> dict[str, float]:
        lat = sorted(x[1] * 1000 for x in rows)
        return {"requests": sum(x[0] for x in rows) / len(rows), "p50_ms": percentile(lat, 50),
                "p99_ms": percentile(lat, 99)}

    return {"idle": ticks(r["idle_ticks"]), "due": ticks(r["due_ticks"]), "first": messages(r["first"]),
            "follow-up": messages(r["follow-up"]), "follow-up calls": r["follow-up calls"],
            "memory_start": r["memory_start"], "memory_end": r["memory_end"],
            "plans": r.get("plans", {})}


TICK_ROWS = [  # (label, key, format) of a tick's figures
    ("storage requests", "requests", "{:.0f}"),
    ("rows returned", "rows", "{:.0f}"),
    ("CPU ms (p50)", "cpu_ms", "{:.2f}"),
    ("wall ms (p50)", "wall_ms", "{:.2f}"),
    ("wall ms (max)", "wall_ms_max", "{:.2f}"),
    ("SQLite VM instructions", "vm_instructions", "{:,.0f}"),
    ("server CPU ms", "server_cpu_ms", "{:.1f}"),
]
ROWS = [  # (label, section, key, format); key None: a cell of its own (see cell())
    ("build: threads loaded", "build", "threads", "{:,.0f}"),
    ("build: documents", "build", "documents", "{:,.0f}"),
    ("build: seconds", "build", "seconds", "{:.1f}"),
    *[(f"tick, nothing due: {label}", "idle", key, fmt) for label, key, fmt in TICK_ROWS],
    ("tick, a few due: timers fired + jobs run", "due", None, None),
    *[(f"tick, a few due: {label}", "due", key, fmt) for label, key, fmt in TICK_ROWS],
    ("first message: storage requests", "first", "requests", "{:.2f}"),
    ("first message: p50 / p99 ms", "first", None, None),
    ("follow-up: storage requests", "follow-up", "requests", "{:.2f}"),
    ("follow-up: p50 / p99 ms", "follow-up", None, None),
    ("memory after start: RSS MB", "memory_start", "rss_mb", "{:.1f}"),
    ("memory after start: tracemalloc peak MB", "memory_start", "tracemalloc_peak_mb", "{:.1f}"),
    ("memory after the run: RSS MB", "memory_end", "rss_mb", "{:.1f}"),
    ("memory after the run: tracemalloc peak MB", "memory_end", "tracemalloc_peak_mb", "{:.1f}"),
]


def cell(result: dict[str, Any], section: str, key: str | None, fmt: str | None) -> str:
    s = result.get(section) or {}
    if key is None and section == "due":
        return f"{s.get('timers_fired', 0):.0f} + {s.get('jobs_ran', 0):.0f}" if s else "-"
    if key is None:
        return f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f}"
    value = s.get(key)
    return "-" if value is None else fmt.format(value)  # type: ignore[union-attr]


def print_comparison(backend: str, results: list[dict[str, Any]]) -> None:
    sizes = [r["size"] for r in results]
    print(f"\n== {backend}: " + " vs ".join(f"{n:,}" for n in sizes) + " threads")
    print(f"{'':44}" + "".join(f"{f'N={n:,}':>16}" for n in sizes))
    for label, section, key, fmt in ROWS:
        cells = [cell(r, section, key, fmt) for r in results]
        if all(c == "-" for c in cells):
            continue
        print(f"{label:44}" + "".join(f"{c:>16}" for c in cells))
    for r in results:
        calls = ", ".join(f"{k} {v:g}" for k, v in r["follow-up calls"].items())
        print(f"  N={r['size']:,} a follow-up's calls: {calls}")
    for r in results:
        for shape, plan in r.get("plans", {}).items():
            print(f"  N={r['size']:,} plan: {plan}\n      for {shape[:160]}")


async def run_child(cfg: dict[str, Any]) -> dict[str, Any]:
    """The measurement in a process of its own (its own group, stopped on the way out)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.scale", "--child", json.dumps(cfg),
                                                stdout=asyncio.subprocess.PIPE, start_new_session=True)
    try:
        out, _ = await proc.communicate()
    finally:
        if proc.returncode is None:
            os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"the measuring child failed ({proc.returncode})")
    return json.loads(out.decode().strip().splitlines()[-1])


async def run_backend(backend: str, args: argparse.Namespace, template: scale_data.Template,
                      workdir: Path) -> list[dict[str, Any]]:
    server = None
    if backend == "cosmos":
        from tests.cosmos_server import KEY, CosmosServer

        server = CosmosServer(workdir / "cosmosdb-server.log")
        server.start()
    results = []
    try:
        for n in args.sizes if server is None else sorted({min(n, args.cosmos_max) for n in args.sizes}):
            now = time.time()
            guests = scale_data.plan(n, now, args.groups, template)
            ticks = args.ticks if server is None else args.cosmos_ticks
            cfg: dict[str, Any] = {"backend": backend, "now": now, "ticks": ticks, "groups": args.groups,
                                   "messages": args.messages, "workdir": str(workdir)}
            if server is None:
                path = workdir / f"scale-{n}.sqlite3"
                build = await scale_data.build_sqlite(path, template, guests)
                cfg["sqlite_path"] = str(path)
            else:
                database = f"scale-{n}-{uuid.uuid4().hex[:8]}"
                build = await scale_data.build_cosmos(server.endpoint, KEY, database, template, guests,
                                                      args.cosmos_budget)
                cfg.update(endpoint=server.endpoint, database=database, server_pid=server.proc.pid)
            print(f"# {backend} N={n:,}: {build['threads']:,} threads, {build['documents']:,} documents written in "
                  f"{build['seconds']:.1f}s{'' if build.get('complete', True) else ' (cut short: out of time)'}",
                  flush=True)
            result = {"backend": backend, "size": build["threads"], "build": build,
                      **summarise(await run_child(cfg))}
            results.append(result)
            if server is None and not args.keep:
                Path(cfg["sqlite_path"]).unlink(missing_ok=True)
    finally:
        if server is not None:
            server.stop()
    return results


async def amain(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    started = time.perf_counter()
    everything = []
    try:
        template = await scale_data.capture_template(workdir)
        for backend in args.backends:
            results = await run_backend(backend, args, template, workdir)
            print_comparison(backend, results)
            everything += results
    finally:
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f}s")
    if args.json:
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "results": everything},
                                        indent=2))
    return 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=[100, 100_000])
    p.add_argument("--backends", type=lambda s: [b for b in s.split(",") if b], default=["sqlite", "cosmos"])
    p.add_argument("--messages", type=int, default=50, help="guests measured (a first message and a follow-up each)")
    p.add_argument("--ticks", type=int, default=20, help="sweep ticks measured with nothing due")
    p.add_argument("--groups", type=int, default=5, help="sweep ticks measured with a few due")
    p.add_argument("--cosmos-budget", type=float, default=120.0, help="seconds to load a Cosmos DB data set")
    p.add_argument("--cosmos-max", type=int, default=1000,
                   help="threads at most on the local Cosmos DB server (each query there reads every document)")
    p.add_argument("--cosmos-ticks", type=int, default=5, help="ticks with nothing due measured on Cosmos DB")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--json", type=Path)
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(json.loads(args.child)))))
        return
    sigterm_raises()
    try:
        sys.exit(asyncio.run(amain(args)))
    except KeyboardInterrupt:
        print("# interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
