"""Crashes while guests write and employees answer: the app is killed (SIGKILL) at random moments and
restarted; afterwards every guest message must be in Teams once, every answer in WeChat once.

    python -m bench.crash [--runs 3] [--messages 1000] [--rate 100] [--replies 100] [--kills 5]
                          [--mode one|split|both] [--guests 200] [--teams-latency-ms 0] [--wechat-latency-ms 0]
                          [--kills-from 0.5] [--kills-after-load 3] [--seed N] [--json out.json] [--keep]

Per run, on 127.0.0.1: `bench/sims.py` (the WeChat API and Bot Connector simulators, real time) and the
app on SQLite in a temporary folder, either `python app.py` doing everything (mode one) or `python app.py`
with WORKER=off beside one `python worker.py` (mode split). New guests go to a team channel, each guest's
messages in a thread of their own, so an answer written in a thread is for that guest. Then, at once:

  guests   --messages pushes at --rate per second, round-robin over --guests guests (distinct MsgIds),
           each sent again as WeChat does when it gets no `success` (5 s, at most 3 more times);
  answers  --replies employee answers, one to each of the first guests, posted to /api/messages in the
           guest's thread as Teams does, and delivered again (same activity id) while not answered 2xx;
  kills    --kills SIGKILLs at random moments of the load (in split mode the app and the worker in
           turn), each process restarted at once with the same INSTANCE_ID and SQLite file.

Then the run settles (every message in Teams, every answer in WeChat or "not confirmed", no job left to
run), the app is stopped with SIGTERM (its worker logs the "effects:" line: from each remote answer to
its outcome written), and what the simulators received is counted; each double with the kill that
explains it. Exit status 1 if anything was lost or doubled. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench import loadgen
from bench.common import (
    ALICE, HOST, Child, PushFactory, app_env, free_port, guest_openid, new_tag, python_child, run_and_exit,
    sims_child,
)
from cards.warning import SEND_AGAIN
from simulators.teams_client import DEFAULT_TENANT, TeamsChannel, channel_message, post_activity, team_installation

MODES = ("one", "split")
INBOX = TeamsChannel(team_id="19:bench-team@thread.tacv2", team_name="Bench", channel_name="WeChat",
                     channel_id="19:bench-wechat@thread.tacv2")
PUSH_TIMEOUT, PUSH_RETRIES = 5.0, 3  # WeChat: no answer in 5 s, it drops the push and sends it again, 3 times
REDELIVER_AFTER = (1.0, 2.0, 4.0, 8.0)  # Teams: an activity not answered 2xx comes again, same id (our model)
ANSWER_TIMEOUT = 15.0  # what Teams waits for a bot's answer
ANSWERS_FROM = 1.5  # s into the load: the first guests' threads exist by then
CHILD_MAX_SECONDS = 900
IN_FLIGHT = 0.1  # s: a post accepted this long after a kill may have been sent before it
EFFECTS_LINE = re.compile(r"effects: (\d+) outcomes written; from the remote answer to the write "
                          r"p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms")


NOT_SENT = "This message was not sent."  # the bot, in a thread it does not know after a start made again
SHOWN_AGAIN = ("_Shown again after a restart", "_Posted again after an interruption")  # a repeat saying so
POSTS = ("create", "send", "reply")  # the connector's operations that make a new message (not update, delete)
WHAT = ("guest message", "answer", "bot post", "notice to a guest")  # what is counted, in the report's order


def post_identity(entry: dict[str, Any]) -> str:
    """What makes one of the bot's posts in Teams one message: a thread's live card is one card
    (then updated in place); a guest's message is its dedup key; a notice, its kind and content."""
    activity = entry["activity"]
    bridge = (activity.get("channelData") or {}).get("wechatBridge") or {}
    if bridge.get("card") == "status":
        return f"{entry['conversationId']} status card"
    attachments = json.dumps(activity.get("attachments"))
    text = activity.get("text") or ""
    if text.startswith(SHOWN_AGAIN):  # a repeat saying so is still the same message
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    return f"{entry['conversationId']} {json.dumps(bridge)} {text} {attachments}"


def said(activity: dict[str, Any]) -> str:
    """A bot's post as the employee reads it first: its text, or its card's summary."""
    cards = [a.get("content") or {} for a in activity.get("attachments") or []]
    return activity.get("text") or " ".join(c.get("fallbackText", "") for c in cards)


@dataclass
class Kill:
    at: float  # s from the start of the load
    target: str
    down: float  # s until it was ready again


@dataclass
class Double:
    what: str  # one of WHAT
    id: str  # its index, or what it is
    copies_at: list[float]  # s from the start of the load, as the simulator accepted each copy
    kill: int | None  # the kill (its index) that cut the first copy's job short …
    kill_after_first_ms: float | None  # … and how long after that copy was accepted it came (< 0: on its way)
    jobs: list[dict[str, Any]] = field(default_factory=list)  # a message's jobs, as storage has them
    told: bool = False  # every copy after the first says it may show twice


@dataclass
class Report:
    mode: str
    number: int
    seed: int
    started_at: float = 0.0  # time.time() when the load began: the origin of every time in here
    kills: list[Kill] = field(default_factory=list)
    pushes: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    guest_lost: list[int] = field(default_factory=list)  # never reached Teams
    answer_lost: list[int] = field(default_factory=list)  # never reached WeChat, and not "not confirmed"
    not_confirmed: list[int] = field(default_factory=list)  # answers whose send a kill cut short
    not_confirmed_untold: list[int] = field(default_factory=list)  # … of which the employee was not told
    answered_again: list[int] = field(default_factory=list)  # written in a thread's first copy, told, written again
    doubles: list[Double] = field(default_factory=list)
    lost_jobs: list[dict[str, Any]] = field(default_factory=list)  # the jobs of what was lost
    lost_answers_said: dict[int, list[str]] = field(default_factory=dict)  # what the bot said where they were written
    unfinished_jobs: dict[str, int] = field(default_factory=dict)  # kind and status -> count, after the run
    leased_jobs: list[dict[str, Any]] = field(default_factory=list)  # (a few) still leased after the run
    effects: list[dict[str, Any]] = field(default_factory=list)  # the "effects:" lines of the graceful stops
    settled: bool = False
    seconds: float = 0.0

    def doubled(self, what: str) -> list[Double]:
        return [d for d in self.doubles if d.what == what]

    @property
    def silent(self) -> list[Double]:
        """Doubles whose repeat does not say it may show twice."""
        return [d for d in self.doubles if not d.told]

    @property
    def unexplained(self) -> list[Double]:
        """Doubles no kill explains: another cause than the crash window."""
        return [d for d in self.doubles if d.kill is None]

    @property
    def failed(self) -> bool:
        return bool(self.guest_lost or self.answer_lost or self.not_confirmed_untold or self.doubles)


class Run:
    def __init__(self, args: argparse.Namespace, mode: str, number: int, workdir: Path, seed: int) -> None:
        self.args = args
        self.rng = random.Random(seed)
        self.report = Report(mode, number, seed)
        self.workdir = workdir
        self.db = workdir / "bridge.sqlite3"
        self.sims = sims_child(workdir, args.guests, max_seconds=CHILD_MAX_SECONDS, written=True,
                               teams_latency_ms=args.teams_latency_ms, wechat_latency_ms=args.wechat_latency_ms)
        # Unpaced by default: its connector has no limits, and 150 new guests' threads in one channel in 3 s would
        # take Teams' 60 writes per 30 s minutes to show; what it tests is what a kill loses or doubles.
        # --teams-pacing: paced as the product is by default (permits, the outbox's coalesced posts) under the kills.
        env = {**app_env(self.sims.wechat_url, self.db, f"channel:{INBOX.id}"),
               "TEAMS_PACING": "on" if args.teams_pacing else "off"}
        port = free_port()
        split = mode == "split"
        self.app = python_child("app", ["app.py"], port=port, log_path=workdir / "app.log", env={
            **env, "PORT": str(port), "INSTANCE_ID": "crash-app", "WORKER": "off" if split else "on"})
        self.worker = python_child("worker", ["worker.py"], port=0, log_path=workdir / "worker.log", env={
            **env, "INSTANCE_ID": "crash-worker", "WORKER_POLL_MS": "20"}) if split else None
        self.victims = [self.app, self.worker] if self.worker else [self.app]
        self.children: list[Child] = [self.sims, *self.victims]
        self.guest_tag, self.answer_tag = new_tag("guest"), new_tag("answer")
        self.first_activity = int(time.time() * 1000)  # Teams' message ids are epoch milliseconds
        self.threads: dict[int, str] = {}  # guest index -> root message id of their channel thread
        self.answered_again: set[int] = set()
        self.answered: Counter[str] = Counter()
        self.session: aiohttp.ClientSession | None = None

    # -- processes ------------------------------------------------------------------------------
    async def start(self, child: Child) -> None:
        since = child.log_size()
        child.start()
        if child is self.worker:
            await child.wait_for_log("running jobs", since=since)
        else:
            await child.wait_listening()

    async def setup(self) -> None:
        for child in self.children:
            await self.start(child)
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=ANSWER_TIMEOUT))
        async with self.session.post(self.sims.url + "/sim/conversations", json={
                "id": INBOX.id, "conversationType": "channel", "tenantId": DEFAULT_TENANT, "teamId": INBOX.team_id,
                "members": [ALICE.account(DEFAULT_TENANT)]}) as r:
            r.raise_for_status()
        for activity in team_installation(service_url=self.sims.url, user=ALICE, channel=INBOX):
            response = await post_activity(self.session, self.app.url + "/api/messages", activity)
            if response.status not in (200, 201):
                raise RuntimeError(f"installing the app in the team failed: {response.status}\n{self.app.log_tail()}")

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        for child in reversed(self.children):
            child.stop()

    # -- the load, the answers, the kills ---------------------------------------------------------
    async def guests_write(self) -> None:
        a = self.args
        requests = PushFactory(HOST, self.app.port).batch(a.messages, guests=a.guests, tag=self.guest_tag)
        r = await loadgen.open_loop(HOST, self.app.port, requests, rate=a.rate, duration=(a.messages + 0.5) / a.rate,
                                    timeout=PUSH_TIMEOUT, retries=PUSH_RETRIES, retry_after=PUSH_TIMEOUT)
        self.report.pushes = {"sent": r.sent, "acknowledged": r.ok, "retried": r.retried,
                              "unacknowledged": r.sent - r.ok, "failed_attempts": dict(r.errors)}

    async def employees_answer(self, t0: float) -> None:
        a = self.args
        spacing = max(0.0, a.messages / a.rate - ANSWERS_FROM) / max(1, a.replies)
        tasks = []
        for j in range(a.replies):
            await asyncio.sleep(max(0.0, t0 + ANSWERS_FROM + j * spacing - time.perf_counter()))
            tasks.append(asyncio.ensure_future(self.answer(j)))
        await asyncio.gather(*tasks)
        self.report.answers = {"sent": a.replies, **self.answered}

    async def answer(self, j: int, root: str | None = None, activity_id: int | None = None) -> None:
        """Alice answers guest j in their thread (`root`: the one their first message started, by
        default); delivered again while the app does not answer 2xx."""
        root = root or await self.thread_of(j)
        activity = channel_message(f"Answer [m:{self.answer_tag}:{j}]", service_url=self.sims.url, user=ALICE,
                                   channel=INBOX, thread_root_id=root, mention_bot=False,
                                   activity_id=str(activity_id or self.first_activity + j))
        for delay in (0.0, *REDELIVER_AFTER):
            if delay:
                await asyncio.sleep(delay)
                self.answered["redelivered"] += 1
            try:
                response = await post_activity(self.session, self.app.url + "/api/messages", activity)
                if 200 <= response.status < 300:
                    self.answered["acknowledged"] += 1
                    return
                self.answered[f"status {response.status}"] += 1
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                self.answered[type(exc).__name__] += 1
        self.answered["unacknowledged"] += 1

    async def thread_of(self, j: int, timeout: float = 60.0) -> str:
        """The root message id of guest j's channel thread, once their first message is in Teams."""
        deadline = time.perf_counter() + timeout
        while j not in self.threads:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"guest {j}'s first message did not reach Teams in {timeout:g}s")
            async with self.session.get(self.sims.url + "/bench/threads", params={"tag": self.guest_tag}) as r:
                found = (await r.json())["threads"]
            self.threads.update({int(i): c.split(";messageid=", 1)[1] for i, c in found.items()})
            if j not in self.threads:
                await asyncio.sleep(0.1)  # polling another process
        return self.threads[j]

    async def chaos(self, t0: float) -> None:
        a = self.args
        times = sorted(self.rng.uniform(a.kills_from, a.messages / a.rate + a.kills_after_load) for _ in range(a.kills))
        for k, at in enumerate(times):
            await asyncio.sleep(max(0.0, t0 + at - time.perf_counter()))
            victim = self.victims[k % len(self.victims)]
            killed = time.perf_counter()
            victim.kill()
            await self.start(victim)
            self.report.kills.append(Kill(round(killed - t0, 4), victim.name, round(time.perf_counter() - killed, 3)))

    # -- what arrived ---------------------------------------------------------------------------
    async def copies(self, route: str, key: str, tag: str) -> dict[int, list[float]]:
        async with self.session.get(route, params={"tag": tag}) as r:
            return {int(i): at for i, at in (await r.json())[key].items()}

    async def in_teams(self) -> dict[int, list[float]]:
        return await self.copies(self.sims.url + "/bench/arrivals", "arrivals", self.guest_tag)

    async def in_wechat(self) -> dict[int, list[float]]:
        return await self.copies(self.sims.wechat_url + "/bench/sent", "sent", self.answer_tag)

    def _query(self, sql: str, *params: Any) -> list[tuple]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    async def query(self, sql: str, *params: Any) -> list[tuple]:
        return await asyncio.to_thread(self._query, sql, *params)

    async def not_confirmed(self) -> dict[int, str]:
        """Answers WeChat never confirmed (a kill cut their send short): index -> the message's id."""
        rows = await self.query("SELECT json_extract(body, '$.policy.unconfirmed') FROM threads "
                                "WHERE json_array_length(json_extract(body, '$.policy.unconfirmed')) > 0")
        found = {}
        for (items,) in rows:
            for item in json.loads(items):
                match = re.search(rf"\[m:{self.answer_tag}:(\d+)\]", item["text"])
                if match:
                    found[int(match.group(1))] = item["message_id"]
        return found

    async def answer_again_where_told(self, wechat: dict[int, list[float]]) -> None:
        """An answer written in the first copy of a thread a crash started twice is told there that it
        was not sent: Alice writes it again in the thread the app knows, as the bot asks."""
        pending = [j for j in range(self.args.replies) if j not in wechat and j not in self.answered_again]
        if not pending:
            return
        async with self.session.get(self.sims.url + "/sim/activities") as r:
            activities = (await r.json())["activities"]
        for j in pending:
            where = f"{INBOX.id};messageid={self.threads.get(j)}"
            if not any(x["conversationId"] == where and NOT_SENT in said(x["activity"]) for x in activities):
                continue
            (known,), = await self.query("SELECT json_extract(body, '$.teams_conversation_id') FROM threads "
                                         "WHERE pk = ?", guest_openid(j))
            self.answered_again.add(j)
            self.report.answered_again.append(j)
            await self.answer(j, known.split(";messageid=", 1)[1], self.first_activity + self.args.replies + j)

    async def unfinished(self) -> int:
        """Jobs due or running: a job still to run may still post or send (a kill's orphan)."""
        (n,), = await self.query("SELECT count(*) FROM jobs WHERE json_extract(body, '$.status') = 'leased' OR "
                                 "(json_extract(body, '$.status') = 'pending' AND json_extract(body, '$.due_at') <= ?)",
                                 time.time())
        return n

    async def settle(self) -> None:
        """Until every message is in Teams, every answer in WeChat or not confirmed, and no job is left
        to run (bounded: --settle-stall s without progress, --settle-max s in all)."""
        a = self.args
        start = last_progress = time.perf_counter()
        last = None
        while True:
            teams, wechat, unconfirmed = await self.in_teams(), await self.in_wechat(), await self.not_confirmed()
            await self.answer_again_where_told(wechat)
            unfinished = await self.unfinished()
            state = (len(teams), len(wechat), len(unconfirmed), unfinished)
            now = time.perf_counter()
            if state != last:
                last, last_progress = state, now
            if len(teams) >= a.messages and len(wechat.keys() | unconfirmed.keys()) >= a.replies and not unfinished:
                self.report.settled = True
                return
            if now - last_progress > a.settle_stall or now - start > a.settle_max:
                return
            await asyncio.sleep(0.2)  # polling other processes

    async def count(self) -> None:
        a, report = self.args, self.report
        async with self.session.get(self.sims.url + "/sim/activities") as r:
            activities = (await r.json())["activities"]
        async with self.session.get(self.sims.wechat_url + "/sim/sent") as r:
            wechat = await r.json()
        for name, received in (("teams.json", activities), ("wechat.json", wechat)):  # kept with --keep
            (self.workdir / name).write_text(json.dumps(received))
        in_teams, in_wechat, unconfirmed = await self.in_teams(), await self.in_wechat(), await self.not_confirmed()
        report.guest_lost = [i for i in range(a.messages) if i not in in_teams]
        report.answer_lost = [i for i in range(a.replies) if i not in in_wechat and i not in unconfirmed]
        report.not_confirmed = sorted(unconfirmed)
        cards = [json.dumps(x["activity"]) for x in activities if SEND_AGAIN in json.dumps(x["activity"])]
        report.not_confirmed_untold = [i for i, message_id in sorted(unconfirmed.items())
                                       if not any(json.dumps(message_id) in card for card in cards)]
        for tag, lost in ((self.guest_tag, report.guest_lost), (self.answer_tag, report.answer_lost)):
            report.lost_jobs += [job for i in lost for job in await self.jobs_of(tag, i)]
        for j in report.answer_lost:  # the bot's own words in the thread the answer was written in
            where = f"{INBOX.id};messageid={self.threads.get(j)}"
            report.lost_answers_said[j] = [said(x["activity"]) for x in activities if x["conversationId"] == where
                                           and x["operation"] in POSTS and "[m:" not in json.dumps(x["activity"])]
        posts, notices = defaultdict(list), defaultdict(list)
        copies_said = defaultdict(list)  # a guest message (its index) or a bot post: its copies' texts, in order
        for x in sorted(activities, key=lambda x: x["at"]):
            if x["operation"] not in POSTS:
                continue
            text = x["activity"].get("text") or ""
            match = re.search(rf"\\?\[m:{self.guest_tag}:(\d+)\\?\]", text)
            if match:
                copies_said[int(match.group(1))].append(text)
            elif "[m:" not in json.dumps(x["activity"]):
                posts[post_identity(x)].append(x["at"])
                copies_said[post_identity(x)].append(text)
        for d in wechat["delivered"]:
            if "[m:" not in json.dumps(d["json"]):
                notices[f"{d['openid']} {json.dumps(d['json'], ensure_ascii=False)}"].append(d["at"])
        for what, tag, copies in (("guest message", self.guest_tag, in_teams), ("answer", self.answer_tag, in_wechat),
                                  ("bot post", None, posts), ("notice to a guest", None, notices)):
            for key, seen in copies.items():
                if len(seen) > 1:
                    jobs = await self.jobs_of(tag, key) if tag else []
                    double = self.double(what, str(key)[:160], sorted(seen), jobs)
                    double.told = what in ("guest message", "bot post") and all(
                        text.startswith(SHOWN_AGAIN) for text in copies_said[key][1:])
                    report.doubles.append(double)
        rows = await self.query("SELECT json_extract(body, '$.kind'), json_extract(body, '$.status'), count(*) "
                                "FROM jobs WHERE json_extract(body, '$.status') != 'done' GROUP BY 1, 2")
        report.unfinished_jobs = {f"{kind} {status}": n for kind, status, n in rows}
        rows = await self.query("SELECT body FROM jobs WHERE json_extract(body, '$.status') = 'leased' LIMIT 3")
        report.leased_jobs = [json.loads(body) for body, in rows]

    def double(self, what: str, key: str, seen: list[float], jobs: list[dict[str, Any]]) -> Double:
        copies = [round(at - self.report.started_at, 4) for at in seen]
        # The first kill between the copies; or just before the first, which was on its way then (a
        # request written before the kill is still taken).
        kill = next((i for i, k in enumerate(self.report.kills) if copies[0] - IN_FLIGHT <= k.at <= copies[1]), None)
        after = None if kill is None else round((self.report.kills[kill].at - copies[0]) * 1000, 2)
        return Double(what, key, copies, kill, after, jobs)

    async def jobs_of(self, tag: str, i: int) -> list[dict[str, Any]]:
        """The jobs of message i, as storage has them."""
        rows = await self.query("SELECT id, json_extract(body, '$.kind'), json_extract(body, '$.status'), "
                                "json_extract(body, '$.attempts'), json_extract(body, '$.effects'), "
                                "json_extract(body, '$.last_error') FROM jobs WHERE body LIKE ?", f"%[m:{tag}:{i}]%")
        return [{"id": r[0], "kind": r[1], "status": r[2], "attempts": r[3],
                 "effects": json.loads(r[4]) if r[4] else None, "last_error": r[5]} for r in rows]

    def effects(self) -> list[dict[str, float]]:
        """The "effects:" lines the graceful stops logged."""
        found = []
        for child in self.victims:
            for m in EFFECTS_LINE.finditer(child.log_path.read_text(errors="replace")):
                found.append({"process": child.name, "outcomes": int(m.group(1)), "p50_ms": float(m.group(2)),
                              "p99_ms": float(m.group(3)), "max_ms": float(m.group(4))})
        return found

    async def run(self) -> Report:
        started = time.perf_counter()
        await self.setup()
        t0 = time.perf_counter()
        self.report.started_at = time.time()
        await asyncio.gather(self.guests_write(), self.employees_answer(t0), self.chaos(t0))
        await self.settle()
        for child in self.victims:  # SIGTERM: the graceful stop, whose worker logs its effects' windows
            child.stop(timeout=30)
        await self.count()
        self.report.effects = self.effects()
        self.report.seconds = round(time.perf_counter() - started, 1)
        return self.report


# -- the report ----------------------------------------------------------------------------------
def print_run(r: Report) -> None:
    kills = ", ".join(f"{k.target} at {k.at:.1f}s (down {k.down:.1f}s)" for k in r.kills)
    p, a = r.pushes, r.answers
    print(f"\n{r.mode} #{r.number} (seed {r.seed}, {r.seconds:.0f}s{'' if r.settled else ', DID NOT SETTLE'}): "
          f"kills {kills}")
    print(f"  pushes {p.get('sent')} sent, {p.get('acknowledged')} acknowledged, {p.get('retried')} retried"
          f" (failed attempts {p.get('failed_attempts')}); answers {a.get('sent')} posted, "
          f"{a.get('acknowledged', 0)} acknowledged, {a.get('redelivered', 0)} redelivered")
    print(f"  lost: guest messages {len(r.guest_lost)}, answers {len(r.answer_lost)}; doubled: "
          + ", ".join(f"{what} {len(r.doubled(what))}" for what in WHAT)
          + f"; answers not confirmed {len(r.not_confirmed)} (not told {len(r.not_confirmed_untold)})"
          + f"; answers told not sent and written again {len(r.answered_again)}")
    for e in r.effects:
        print(f"  effects ({e['process']}, its last life): {e['outcomes']} outcomes, remote answer -> outcome "
              f"written p50 {e['p50_ms']:.3f} ms, p99 {e['p99_ms']:.3f} ms, max {e['max_ms']:.3f} ms")
    if r.unfinished_jobs:
        print(f"  jobs not done: {r.unfinished_jobs}")
    for job in r.leased_jobs:
        print(f"  still leased: {json.dumps(job)[:600]}")
    for d in r.doubles:
        killed = "NO KILL BETWEEN THEM" if d.kill is None else \
            f"kill {d.kill + 1} came {d.kill_after_first_ms} ms after the first"
        told = " (the repeat says so)" if d.told else ""
        print(f"  doubled {d.what} {d.id}{told}: copies at {d.copies_at} s, {killed}"
              + (f"; jobs {json.dumps(d.jobs)}" if d.jobs else ""))
    for job in r.lost_jobs:
        print(f"  lost: job {json.dumps(job)}")
    started_twice = {int(d.id) for d in r.doubled("guest message")}
    for j, words in r.lost_answers_said.items():
        print(f"  lost answer {j}: written in the thread of guest {j}'s first message"
              + (", which was posted twice (two threads; the app knows the second)" if j in started_twice else "")
              + f"; the bot said there {words}")


def print_summary(reports: list[Report]) -> None:
    print(f"\n{'mode':<6}{'run':>4}{'kills':>6}{'pushes':>7}{'retried':>8}{'lost':>5}{'doubled':>8}{'answers':>8}"
          f"{'lost':>5}{'doubled':>8}{'unconf.':>8}{'told':>5}{'again':>6}{'other doubles':>14}"
          "   effects (last life) p50 / p99 / max ms")
    for r in reports:
        windows = "; ".join(f"{e['p50_ms']:.3f} / {e['p99_ms']:.3f} / {e['max_ms']:.3f} (n={e['outcomes']})"
                            for e in r.effects)
        other = len(r.doubled("bot post")) + len(r.doubled("notice to a guest"))
        print(f"{r.mode:<6}{r.number:>4}{len(r.kills):>6}{r.pushes.get('acknowledged', 0):>7}"
              f"{r.pushes.get('retried', 0):>8}{len(r.guest_lost):>5}{len(r.doubled('guest message')):>8}"
              f"{r.answers.get('acknowledged', 0):>8}{len(r.answer_lost):>5}{len(r.doubled('answer')):>8}"
              f"{len(r.not_confirmed):>8}{len(r.not_confirmed) - len(r.not_confirmed_untold):>5}"
              f"{len(r.answered_again):>6}{other:>14}"
              f"   {windows}")
    doubles = [d for r in reports for d in r.doubles]
    kills = sum(len(r.kills) for r in reports)
    hit = {(r.mode, r.number, d.kill) for r in reports for d in r.doubles if d.kill is not None}
    print(f"\n{len(doubles)} doubles in {kills} kills ({sum(d.told for d in doubles)} whose repeat says it may "
          f"show twice); {len(hit)} kills doubled something; "
          f"{sum(len(r.unexplained) for r in reports)} doubles with no kill between their copies")
    failed = [r for r in reports if r.failed]
    print(f"{'FAILED' if failed else 'OK'}: {len(failed)} of {len(reports)} runs lost or doubled something")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="runs per mode")
    p.add_argument("--messages", type=int, default=1000, help="guest messages per run")
    p.add_argument("--rate", type=float, default=100.0, help="guest messages per second")
    p.add_argument("--replies", type=int, default=100, help="employee answers per run (one per guest)")
    p.add_argument("--kills", type=int, default=5, help="SIGKILLs per run")
    p.add_argument("--kills-from", type=float, default=0.5, help="the kills fall from this long into the load (s) …")
    p.add_argument("--kills-after-load", type=float, default=3.0, help="… to this long after its end (s)")
    p.add_argument("--mode", choices=(*MODES, "both"), default="both",
                   help="one: app.py does everything; split: app.py with WORKER=off and a worker.py")
    p.add_argument("--guests", type=int, default=200)
    p.add_argument("--teams-pacing", action="store_true",
                   help="the app paced under Teams' rate limits (TEAMS_PACING=on, the product's default)")
    p.add_argument("--teams-latency-ms", type=float, default=0.0,
                   help="each Bot Connector call takes this long (the simulator answers at once otherwise)")
    p.add_argument("--wechat-latency-ms", type=float, default=0.0, help="each WeChat API call takes this long")
    p.add_argument("--seed", type=int, help="the first run's seed (the kill moments); each run adds 1")
    p.add_argument("--settle-stall", type=float, default=15.0,
                   help="stop waiting for the run to settle after this long without progress (s)")
    p.add_argument("--settle-max", type=float, default=60.0, help="stop waiting for the run to settle after (s)")
    p.add_argument("--json", type=Path, help="also write the results to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary folders (logs, SQLite files)")
    args = p.parse_args(argv)
    if args.replies > min(args.guests, args.messages):
        p.error("--replies: one answer per guest who wrote, so at most --guests and --messages")
    return args


async def amain(args: argparse.Namespace) -> int:
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    reports = []
    modes = MODES if args.mode == "both" else (args.mode,)
    for mode in modes:
        for number in range(1, args.runs + 1):
            workdir = Path(tempfile.mkdtemp(prefix=f"bench-crash-{mode}-"))
            run = Run(args, mode, number, workdir, seed)
            seed += 1
            try:
                reports.append(await run.run())
            finally:
                await run.close()
                if args.keep:
                    print(f"# kept {workdir}", file=sys.stderr)
                else:
                    shutil.rmtree(workdir, ignore_errors=True)
            print_run(reports[-1])
    print_summary(reports)
    if args.json:
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "args": vars(args),
                                         "runs": [asdict(r) for r in reports]}, indent=2, default=str))
    return 1 if any(r.failed for r in reports) else 0


def main() -> None:
    run_and_exit(amain(parse_args()))


if __name__ == "__main__":
    main()
