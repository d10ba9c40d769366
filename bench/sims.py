"""The WeChat API simulator and the Bot Connector simulator in one process, on real time (SystemClock).

    python -m bench.sims --wechat-port 9001 --connector-port 9002 --guests 200

The `--guests` bench guests (bench.common.guest_openid(0 … n-1)) follow the Official Account from the
start, so the app's profile look-ups find them. The connector gets two routes of our own, for the
benchmark to read what reached Teams and when (the simulator records `at`, this process's
time.time(), when it accepts an activity):

    GET /bench/count?tag=<tag>       {"activities": n, "markers": distinct, "duplicates": extra copies}
    GET /bench/arrivals?tag=<tag>    {"arrivals": {"<index>": [at, …]}}

where a marker is the `[m:<tag>:<index>]` the benchmark puts in each message's text.
No access log. Stops on SIGTERM/SIGINT, when its parent process is gone, or after --max-seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import signal
from collections import defaultdict

from aiohttp import web

from bench.common import APP_ID, HOST, SECRET, exit_with_parent, guest_openid
from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, ConnectorState, create_connector_simulator
from simulators.wechat_api import STATE_KEY, create_wechat_simulator

# The app shows guest text literally: "[m:t:1]" arrives Markdown-escaped, as "\[m:t:1\]".
MARKER = re.compile(r"\[m:([A-Za-z0-9-]+):(\d+)\\?\]")


class Arrivals:
    """Markers seen in the connector's accepted activities, indexed incrementally (cheap to poll)."""

    def __init__(self, state: ConnectorState) -> None:
        self.state = state
        self.seen = 0
        self.by_tag: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))

    def update(self) -> None:
        activities = self.state.activities
        for entry in activities[self.seen:]:
            if entry["operation"] == "delete":
                continue
            match = MARKER.search(entry["activity"].get("text") or "")
            if match:
                self.by_tag[match.group(1)][match.group(2)].append(entry["at"])
        self.seen = len(activities)

    def of(self, tag: str) -> dict[str, list[float]]:
        self.update()
        return self.by_tag.get(tag, {})


ARRIVALS = web.AppKey("bench_arrivals", Arrivals)


async def _count(request: web.Request) -> web.Response:
    arrivals = request.app[ARRIVALS].of(request.query.get("tag", ""))
    total = sum(len(v) for v in arrivals.values())
    return web.json_response({"activities": total, "markers": len(arrivals), "duplicates": total - len(arrivals)})


async def _arrivals(request: web.Request) -> web.Response:
    return web.json_response({"arrivals": request.app[ARRIVALS].of(request.query.get("tag", ""))})


def build(guests: int) -> tuple[web.Application, web.Application]:
    clock = SystemClock()
    wechat = create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET)
    state = wechat[STATE_KEY]
    for i in range(guests):
        state.follow(guest_openid(i), nickname=f"Bench guest {i}")
    connector = create_connector_simulator(clock=clock)
    connector[ARRIVALS] = Arrivals(connector[CONNECTOR_STATE])
    connector.router.add_get("/bench/count", _count)
    connector.router.add_get("/bench/arrivals", _arrivals)
    return wechat, connector


async def serve(wechat_port: int, connector_port: int, guests: int, max_seconds: float) -> None:
    runners = []
    try:
        for app, port in zip(build(guests), (wechat_port, connector_port)):
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, HOST, port).start()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await exit_with_parent(stop, max_seconds)
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wechat-port", type=int, required=True)
    parser.add_argument("--connector-port", type=int, required=True)
    parser.add_argument("--guests", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    asyncio.run(serve(args.wechat_port, args.connector_port, args.guests, args.max_seconds))


if __name__ == "__main__":
    main()
