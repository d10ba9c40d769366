"""The WeChat API simulator and the Bot Connector simulator in one process, on real time (SystemClock).

    python -m bench.sims --wechat-port 9001 --connector-port 9002 --guests 200 [--written] [--marked-names]
                         [--teams-latency-ms 0] [--wechat-latency-ms 0]

The `--guests` bench guests (bench.common.guest_openid(0 … n-1)) follow the Official Account from the
start, so the app's profile look-ups find them; with `--written` they have also written to it (WeChat
then takes 5 messages to each for 48 h, instead of 3 for a minute after a follow). With
`--teams-latency-ms` (`--wechat-latency-ms`), each Bot Connector (WeChat API) call takes that long:
half on the way there, half on the way back (the message is taken while its answer travels). The
connector gets
routes of our own, for the benchmark to read what reached Teams and when (the simulator records `at`,
this process's time.time(), when it accepts an activity):

    GET /bench/count?tag=<tag>       {"activities": n, "markers": distinct, "duplicates": extra copies}
    GET /bench/arrivals?tag=<tag>    {"arrivals": {"<index>": [at, …]}}
    GET /bench/threads?tag=<tag>     {"threads": {"<index>": conversation id of its first post}}

and the WeChat API one, for what reached the guests:

    GET /bench/sent?tag=<tag>        {"sent": {"<index>": [at, …]}}   (messages WeChat accepted)

where a marker is the `[m:<tag>:<index>]` the benchmark puts in each message's text.
No access log. Stops on SIGTERM/SIGINT, when its parent process is gone, or after --max-seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import signal
from collections import defaultdict
from collections.abc import Iterable

from aiohttp import web

from bench.common import APP_ID, HOST, SECRET, exit_with_parent, guest_openid
from core.clock import SystemClock
from simulators.bot_connector import CONNECTOR_STATE, ConnectorState, create_connector_simulator
from simulators.wechat_api import STATE_KEY, create_wechat_simulator

# The app shows guest text literally: "[m:t:1]" arrives Markdown-escaped, as "\[m:t:1\]".
GUEST_TAG = "g"  # --marked-names: the tag of the markers in the guests' names
MARKER = re.compile(r"\[m:([A-Za-z0-9-]+):(\d+)\\?\]")


class Arrivals:
    """Markers seen in the connector's accepted activities, indexed incrementally (cheap to poll)."""

    def __init__(self, state: ConnectorState) -> None:
        self.state = state
        self.seen = 0
        self.by_tag: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.threads: dict[str, dict[str, str]] = defaultdict(dict)  # where each marker was first posted

    def update(self) -> None:
        activities = self.state.activities
        for entry in activities[self.seen:]:
            if entry["operation"] == "delete":
                continue
            for match in MARKER.finditer(entry["activity"].get("text") or ""):  # a coalesced post carries several
                self.by_tag[match.group(1)][match.group(2)].append(entry["at"])
                self.threads[match.group(1)].setdefault(match.group(2), entry["conversationId"])
        self.seen = len(activities)

    def of(self, tag: str) -> dict[str, list[float]]:
        self.update()
        return self.by_tag.get(tag, {})


ARRIVALS = web.AppKey("bench_arrivals", Arrivals)


def markers(texts: Iterable[tuple[str, float]]) -> dict[str, dict[str, list[float]]]:
    """tag -> index -> when each (text, at) carrying the marker [m:<tag>:<index>] was accepted."""
    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for text, at in texts:
        for match in MARKER.finditer(text):
            found[match.group(1)][match.group(2)].append(at)
    return found


async def _count(request: web.Request) -> web.Response:
    arrivals = request.app[ARRIVALS].of(request.query.get("tag", ""))
    total = sum(len(v) for v in arrivals.values())
    return web.json_response({"activities": total, "markers": len(arrivals), "duplicates": total - len(arrivals)})


async def _arrivals(request: web.Request) -> web.Response:
    return web.json_response({"arrivals": request.app[ARRIVALS].of(request.query.get("tag", ""))})


async def _threads(request: web.Request) -> web.Response:
    arrivals = request.app[ARRIVALS]
    arrivals.update()
    return web.json_response({"threads": arrivals.threads.get(request.query.get("tag", ""), {})})


async def _sent(request: web.Request) -> web.Response:
    delivered = request.app[STATE_KEY].delivered
    found = markers((d.text, d.at) for d in delivered if d.text)
    return web.json_response({"sent": found.get(request.query.get("tag", ""), {})})


def latency(seconds: float, api: str):
    """A middleware: a call to `api` (a path prefix) arrives after seconds / 2, its answer seconds / 2 later."""
    @web.middleware
    async def travel(request: web.Request, handler):
        if not request.path.startswith(api):
            return await handler(request)
        await asyncio.sleep(seconds / 2)
        response = await handler(request)
        await asyncio.sleep(seconds / 2)
        return response
    return travel


def build(guests: int, written: bool = False, teams_latency: float = 0.0,
          wechat_latency: float = 0.0, marked_names: bool = False) -> tuple[web.Application, web.Application]:
    clock = SystemClock()
    wechat = create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET)
    state = wechat[STATE_KEY]
    for i in range(guests):
        # Marked names: every post about guest i (a picture has no text of the guest's) carries [m:g:<i>].
        name = f"Bench guest [m:{GUEST_TAG}:{i}]" if marked_names else f"Bench guest {i}"
        state.follow(guest_openid(i), nickname=name)
        if written:
            state.user_message(guest_openid(i))
    wechat.router.add_get("/bench/sent", _sent)
    if wechat_latency:
        wechat.middlewares.append(latency(wechat_latency, "/cgi-bin/"))
    connector = create_connector_simulator(clock=clock)
    if teams_latency:
        connector.middlewares.append(latency(teams_latency, "/v3/"))
    connector[ARRIVALS] = Arrivals(connector[CONNECTOR_STATE])
    connector.router.add_get("/bench/count", _count)
    connector.router.add_get("/bench/arrivals", _arrivals)
    connector.router.add_get("/bench/threads", _threads)
    return wechat, connector


async def serve(args: argparse.Namespace) -> None:
    runners = []
    try:
        for app, port in zip(build(args.guests, args.written, args.teams_latency_ms / 1000,
                                   args.wechat_latency_ms / 1000, args.marked_names),
                             (args.wechat_port, args.connector_port)):
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, HOST, port).start()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await exit_with_parent(stop, args.max_seconds)
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wechat-port", type=int, required=True)
    parser.add_argument("--connector-port", type=int, required=True)
    parser.add_argument("--guests", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--written", action="store_true", help="the guests have written to the account")
    parser.add_argument("--marked-names", action="store_true",
                        help=f"guest i's nickname carries the marker [m:{GUEST_TAG}:i] (for posts of no text)")
    parser.add_argument("--teams-latency-ms", type=float, default=0.0, help="each Bot Connector call takes this long")
    parser.add_argument("--wechat-latency-ms", type=float, default=0.0, help="each WeChat API call takes this long")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
