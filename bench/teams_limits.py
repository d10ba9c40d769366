"""Delivery to Teams at Teams' rate limits: a burst of guest messages against a Bot Connector that limits.

    python -m bench.teams_limits [--scenarios spread,chat,inbox] [--rate 300] [--seconds 10] [--guests 200]
                                 [--employees 50] [--wait-max 240] [--app-env NAME=VALUE] [--json out.json] [--keep]

Each scenario runs in its own processes: this one (the load generator), `python app.py` (one process
doing everything, SQLite in a temporary folder) and `bench/sims.py` (the WeChat API and Bot Connector
simulators). Every guest first writes one message, delivered with the limits off and the app unpaced
(TEAMS_PACING=off: their threads exist, as in bench.webhook); then the app is restarted on the same
storage as configured (paced, unless `--app-env TEAMS_PACING=off`), the connector enforces Teams'
limits (simulators/teams_rate_limits.py: per conversation 7/s, 8/2 s, 60/30 s, 1,800/h; per tenant
50/s) and `--rate` messages a second arrive for `--seconds`, round-robin over the guests:

  spread  the guests spread over `--employees` employees' chats (each scanned their employee's QR code)
  chat    all in one employee's chat
  inbox   all in one inbox channel, a thread per guest

Then it waits until every acknowledged message reached Teams, or `--wait-max` seconds, and prints per
scenario: delivered once / missing / doubled; guests whose messages arrived out of order; 429s (and in
how many conversations); Bot Connector requests per message; the delivered rate; end-to-end p50/p99
(push sent -> activity taken by the connector); when the last one arrived, or how many are left.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from bench import loadgen
from bench.common import (
    HOST, Child, PushFactory, app_env, free_port, guest_openid, new_tag, python_child, run_and_exit, run_in_workdir,
    sims_child, start_listening, summary_ms,
)
from core.threads import EMPLOYEE_SCENE_PREFIX
from simulators.teams_client import (
    DEFAULT_TENANT, TeamsChannel, TeamsUser, personal_installation, post_activity, team_installation,
)
from simulators.wechat_push import event

SCENARIOS = ("spread", "chat", "inbox")
CHILD_MAX_SECONDS = 3600
WARM_UP_MAX = 180.0  # seconds for the warm-up's messages to reach Teams (no limits then)
INBOX = TeamsChannel(team_id="19:bench-team@thread.tacv2", team_name="Bench", channel_name="WeChat",
                     channel_id="19:bench-wechat@thread.tacv2")


def employee(k: int) -> TeamsUser:
    return TeamsUser(f"Bench employee {k}", aad_object_id=f"e0000000-0000-4000-8000-{k:012d}")


def out_of_order(arrivals: dict[str, list[float]], indexes: list[int], guests: int) -> int:
    """Guests (index i belongs to guest i % guests) one of whose messages arrived before an earlier one."""
    last: dict[int, float] = {}
    late: set[int] = set()
    for i in sorted(indexes):
        seen = arrivals.get(str(i))
        if not seen:
            continue
        guest, at = i % guests, min(seen)
        if at < last.get(guest, float("-inf")):
            late.add(guest)
        last[guest] = max(at, last.get(guest, at))
    return len(late)


class Scenario:
    def __init__(self, args: argparse.Namespace, name: str, workdir: Path) -> None:
        self.args = args
        self.name = name
        workdir.mkdir()
        self.sims = sims_child(workdir, args.guests, max_seconds=CHILD_MAX_SECONDS, written=True)
        self.employees = [employee(k) for k in range(args.employees if name == "spread" else 1)]
        target = f"channel:{INBOX.id}" if name == "inbox" else f"employee:{self.employees[0].aad_object_id}"
        self.env = {**app_env(self.sims.wechat_url, workdir / "bridge.sqlite3", target),
                    "INSTANCE_ID": f"limits-{name}"}
        self.workdir = workdir
        # The warm-up makes the guests' threads as on a connector without limits: unpaced (paced, a chat's
        # 200 first messages, welcome notices and live cards alone would take 5 minutes); the burst is the
        # same app restarted on the same storage, paced as configured (--app-env).
        self.app = self.app_child("app-warm-up", {"TEAMS_PACING": "off"})
        self.children: list[Child] = [self.sims, self.app]
        self.session: aiohttp.ClientSession | None = None

    def app_child(self, name: str, env: dict[str, str]) -> Child:
        port = free_port()
        return python_child(name, ["app.py"], port=port, log_path=self.workdir / f"{name}.log",
                            env={**self.env, **env, "PORT": str(port)})

    async def restart_app(self) -> None:
        self.app.stop()
        self.children.remove(self.app)
        self.app = self.app_child("app", dict(kv.split("=", 1) for kv in self.args.app_env))
        self.children.append(self.app)
        await start_listening([self.app])

    async def get(self, path: str, **params: str) -> Any:
        async with self.session.get(self.sims.url + path, params=params) as r:
            r.raise_for_status()
            return await r.json()

    async def start(self) -> None:
        await start_listening(self.children)
        self.session = aiohttp.ClientSession()
        if self.name == "inbox":
            async with self.session.post(self.sims.url + "/sim/conversations", json={
                    "id": INBOX.id, "conversationType": "channel", "tenantId": DEFAULT_TENANT,
                    "teamId": INBOX.team_id, "members": [self.employees[0].account(DEFAULT_TENANT)]}) as r:
                r.raise_for_status()
            installs = team_installation(service_url=self.sims.url, user=self.employees[0], channel=INBOX)
        else:
            installs = [a for e in self.employees for a in personal_installation(service_url=self.sims.url, user=e)]
        for activity in installs:
            response = await post_activity(self.session, self.app.url + "/api/messages", activity)
            if response.status not in (200, 201):
                raise RuntimeError(f"installing the app failed: {response.status}\n{self.app.log_tail()}")

    async def warm_up(self) -> None:
        """Each guest writes once (spread: after scanning their employee's QR code), limits off."""
        a, pushes = self.args, PushFactory(HOST, self.app.port)
        now, tag = int(time.time()), new_tag(f"warm-{self.name}")
        requests = []
        for g in range(a.guests):
            if self.name == "spread":
                scene = EMPLOYEE_SCENE_PREFIX + self.employees[g % len(self.employees)].aad_object_id
                requests.append(pushes.signed(guest_openid(g), event(guest_openid(g), "SCAN", create_time=now,
                                                                     event_key=scene), now))
            requests.append(pushes.request(guest_openid(g), f"Hello [m:{tag}:{g}]", now))
        r = await loadgen.closed_loop(HOST, self.app.port, requests, concurrency=1, duration=120)
        if r.ok != len(requests):
            raise RuntimeError(f"warm-up: {r.ok} of {len(requests)} acknowledged ({r.errors})\n{self.app.log_tail()}")
        deadline = time.perf_counter() + WARM_UP_MAX
        while (await self.get("/bench/count", tag=tag))["markers"] < a.guests:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"warm-up: not all in Teams after {WARM_UP_MAX:g}s\n{self.app.log_tail()}")
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # the last live cards' updates

    async def burst(self) -> dict[str, Any]:
        a = self.args
        await self.restart_app()
        async with self.session.post(self.sims.url + "/sim/rate-limits", json={"enabled": True}) as r:
            r.raise_for_status()
        tag = new_tag(f"burst-{self.name}")
        requests = PushFactory(HOST, self.app.port).batch(int(a.rate * a.seconds), guests=a.guests, tag=tag)
        started = time.time()
        r = await loadgen.open_loop(HOST, self.app.port, requests, rate=a.rate, duration=a.seconds)
        while time.time() - started < a.wait_max:
            if (await self.get("/bench/count", tag=tag))["markers"] >= r.ok:
                break
            await asyncio.sleep(0.5)
        waited = time.time() - started
        await asyncio.sleep(0.5)  # a double would show right behind the last one
        return self.figures(r, tag, started, waited, await self.get("/bench/arrivals", tag=tag),
                            await self.get("/sim/rate-limits"), (await self.get("/sim/requests"))["requests"])

    def figures(self, r: loadgen.Result, tag: str, started: float, waited: float, arrivals: dict[str, Any],
                limits: dict[str, Any], requests: list[dict[str, Any]]) -> dict[str, Any]:
        arrivals = arrivals["arrivals"]
        acknowledged = set(r.ok_index)
        once = sum(1 for i in acknowledged if len(arrivals.get(str(i), [])) == 1)
        doubled = sum(1 for i in acknowledged if len(arrivals.get(str(i), [])) > 1)
        firsts = [min(arrivals[str(i)]) for i in acknowledged if arrivals.get(str(i))]
        latencies = [min(arrivals[str(i)]) - r.sent_at_wall[i] for i in acknowledged if arrivals.get(str(i))]
        during = [q for q in requests if q["at"] >= started]
        statuses = Counter(q["status"] for q in during)
        last = max(firsts, default=started)
        delivered = len(firsts)
        return {
            "scenario": self.name, "sent": r.sent, "acknowledged": r.ok, "ack_errors": dict(r.errors),
            "delivered_once": once, "doubled": doubled, "missing": len(acknowledged) - delivered,
            "unexpected": len(set(arrivals) - {str(i) for i in acknowledged}),
            "out_of_order_guests": out_of_order(arrivals, r.ok_index, self.args.guests),
            "throttled": limits["refusedTotal"], "throttled_conversations": len(limits["refused"]),
            "throttled_tenant": sum(limits["refusedTenants"].values()),
            "requests": len(during), "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "requests_per_message": len(during) / delivered if delivered else float("nan"),
            "delivered_rate": delivered / (last - started) if delivered and last > started else 0.0,
            "e2e_ms": summary_ms(latencies), "last_arrival_s": round(last - started, 1), "waited_s": round(waited, 1),
        }

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        for child in reversed(self.children):
            child.stop()


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.children: list[Child] = []  # each scenario stops its own
        self.results: list[dict[str, Any]] = []
        self.current: Scenario | None = None

    async def run(self) -> None:
        for name in self.args.scenarios:
            self.current = scenario = Scenario(self.args, name, self.workdir / name)
            try:
                print(f"# {name}: starting", file=sys.stderr)
                await scenario.start()
                await scenario.warm_up()
                print(f"# {name}: burst of {self.args.rate:g}/s for {self.args.seconds:g}s", file=sys.stderr)
                self.results.append(await scenario.burst())
            finally:
                await scenario.close()
                self.current = None

    async def close(self) -> None:
        if self.current is not None:
            await self.current.close()

    def report(self) -> dict[str, Any]:
        return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "args": vars(self.args), "scenarios": self.results}

    def print_report(self, report: dict[str, Any]) -> None:
        a = self.args
        print(f"\nTeams at its limits, {report['date']}: {a.rate:g} messages/s for {a.seconds:g}s from {a.guests} "
              f"guests, one app process, waiting up to {a.wait_max:g}s")
        for s in report["scenarios"]:
            e = s["e2e_ms"]
            left = f"{s['missing']} still missing after {s['waited_s']:g}s" if s["missing"] else "none left"
            print(f"\n{s['scenario']}: {s['acknowledged']}/{s['sent']} acknowledged; delivered once "
                  f"{s['delivered_once']}, missing {s['missing']}, doubled {s['doubled']}; "
                  f"guests out of order {s['out_of_order_guests']}")
            print(f"  429s {s['throttled']} ({s['throttled_tenant']} at the tenant's limit) in "
                  f"{s['throttled_conversations']} conversations; {s['requests']} requests, "
                  f"{s['requests_per_message']:.2f} per message delivered; statuses {s['statuses']}")
            print(f"  delivered {s['delivered_rate']:.1f}/s; end to end (of those delivered) "
                  f"p50 {e['p50'] / 1000:.1f} s, p99 {e['p99'] / 1000:.1f} s; "
                  f"last arrived after {s['last_arrival_s']:g}s; {left}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenarios", type=lambda s: [x for x in s.split(",") if x], default=list(SCENARIOS),
                   help=f"comma-separated, of {', '.join(SCENARIOS)}")
    p.add_argument("--rate", type=float, default=300.0, help="guest messages a second during the burst")
    p.add_argument("--seconds", type=float, default=10.0, help="the burst's length")
    p.add_argument("--guests", type=int, default=200)
    p.add_argument("--employees", type=int, default=50, help="employees' chats the guests spread over (spread)")
    p.add_argument("--wait-max", type=float, default=240.0,
                   help="stop waiting for the burst's messages this long after it began (s)")
    p.add_argument("--app-env", action="append", default=[], metavar="NAME=VALUE",
                   help="more settings of the app for the burst (e.g. TEAMS_PACING=off: as before pacing)")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, SQLite files)")
    args = p.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main() -> None:
    run_and_exit(run_in_workdir(Bench, parse_args(), "bench-teams-limits-"))


if __name__ == "__main__":
    main()
