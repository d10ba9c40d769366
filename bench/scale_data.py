"""bench.scale's data set: N threads written straight into storage, shaped as the product writes them.

The shape is taken from the product itself: one guest's first message is run through the app (in this
process, SQLite in a temporary folder) and what it wrote in the guest's partition (the thread, its four
finished jobs, its two record entries) becomes a template. Each bench thread is that template with
another guest, another employee (one of EMPLOYEES, each with a chat of their own) and its times moved:

- idle (90 %): the guest wrote between 0 and 47 h ago, nobody answered: the thread's deadline
  (`next_due_at`: the 24 h warning, or after it the window's end at 48 h) lies in the next 24 h, at
  least MARGIN from now (nothing of the data set falls due while the run's clock moves);
- active (10 %): the guest wrote in the last 10 minutes, and a job of theirs waits in storage, due
  between MARGIN and 48 h from now (a deadline of the phone validation: `validation_tick`);
- due: DUE_PER_GROUP threads whose 24 h warning and DUE_PER_GROUP jobs (`gave_up`, of a job that is
  not there: a get and the job done) per group, group g due at `due_at(now, g)`: a sweep that comes
  then has "a few due".

SQLite: one `executemany` per table in one transaction. Cosmos DB: the SDK's transactional batch (a guest's
documents of one container in one request), COSMOS_WRITERS guests at a time, until the data set is written or
the time budget is spent (then fewer threads: said). The local server takes about 1,000 documents a second
that way (4 times more than one `create_item` each: the SDK's CPU per request is most of the cost).
"""
from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from core.storage import JOBS, RECORDS, THREADS

EMPLOYEES = 1000
ACTIVE_SHARE = 0.10
MARGIN = 3600.0  # no deadline of the data set within an hour of the start: the run's clock moves minutes
DUE_PER_GROUP = 5
DAY = 86_400.0
COSMOS_WRITERS = 64
CONTAINERS = (THREADS, JOBS, RECORDS)  # what one guest's first message leaves in their partition

# A unix time in a JSON text (10 digits, optional fraction, not part of a longer word or number).
_TIME = re.compile(r"(?<![\w.])(\d{10}(?:\.\d+)?)(?![\w.])")


def due_at(now: float, group: int) -> float:
    """When the planted group `group` falls due (after the measured sweeps with nothing due)."""
    return now + 60 + 10 * group


class Shape:
    """One stored document's JSON text with holes for the guest, the employee, their chat and its times."""

    def __init__(self, text: str, at: float, names: dict[str, str]) -> None:
        text = text.replace("{", "{{").replace("}", "}}")
        for hole, value in names.items():
            text = text.replace(value, "{" + hole + "}")
        self.offsets: list[tuple[float, bool]] = []  # (from the guest's message, written as an integer)

        def hole(m: re.Match[str]) -> str:
            value = float(m.group(1))
            if abs(value - at) > 3 * DAY:
                return m.group(0)
            self.offsets.append((value - at, "." not in m.group(1)))
            return "{%d}" % (len(self.offsets) - 1)

        self.text = _TIME.sub(hole, text)

    def render(self, at: float, **names: str) -> str:
        times = [str(round(at + o)) if whole else repr(at + o) for o, whole in self.offsets]
        return self.text.format(*times, **names)


@dataclass
class Template:
    """One guest's documents after their first message: (container, id, Shape) and the names in them."""

    docs: list[tuple[str, str, Shape]]
    warned: Shape  # the thread once its 24 h warning was given (the deadline is then the window's end)
    openid: str
    warning_after: float  # seconds from the guest's message to the 24 h warning
    window: float  # … to the window's end


async def capture_template(workdir: Path) -> Template:
    """Run one guest's first message through the app and read back what it wrote for them."""
    from adapters.storage.sqlite import SqliteStorage
    from bench.common import ALICE, guest_openid
    from bench.storage_requests import CountingStorage, Stack

    path = workdir / "template.sqlite3"
    openid = guest_openid(1)
    async with Stack(CountingStorage(SqliteStorage(str(path))), workdir) as stack:
        await stack.follow(openid, "Guest")
        await stack.message(openid, "Hello, I would like to know more about the offer.")
    db = sqlite3.connect(str(path))
    try:
        found = {c: db.execute(f'SELECT id, body FROM "{c}" WHERE pk = ?', (openid,)).fetchall() for c in CONTAINERS}
    finally:
        db.close()
    thread = json.loads(found[THREADS][0][1])
    at, policy = thread["policy"]["last_guest_message_at"], thread["policy"]
    names = {"o": openid, "a": ALICE.aad_object_id, "c": thread["teams_conversation_id"]}
    docs = [(c, id, Shape(body, at, names)) for c in CONTAINERS for id, body in found[c]]
    warned = {**thread, "next_due_at": policy["window_ends_at"],
              "policy": {**policy, "next_due_at": policy["window_ends_at"],
                         "notices_sent": sorted({*policy["notices_sent"], "no_reply_24h"})}}
    return Template(docs, Shape(json.dumps(warned, ensure_ascii=False, separators=(",", ":")), at, names), openid,
                    policy["next_due_at"] - at, policy["window_ends_at"] - at)


@dataclass(frozen=True)
class Guest:
    i: int
    wrote_at: float  # the guest's last message
    warned: bool  # the 24 h warning was given
    job_due: float | None  # an active thread's waiting job
    planted: str = ""  # "due": planted to fall due in a measured sweep


def openid_of(i: int) -> str:
    return f"oScale{i:022d}"  # 28 characters, like WeChat's


def plan(n: int, now: float, groups: int, t: Template, seed: int = 21) -> list[Guest]:
    """The n guests: the planted ones first (so that a cut-short Cosmos load has them), then the rest."""
    rnd = random.Random(seed)
    planted = [Guest(g * DUE_PER_GROUP + j, due_at(now, g) - t.warning_after, False, None, "due")
               for g in range(groups) for j in range(DUE_PER_GROUP)]
    guests = list(planted)
    for i in range(len(planted), n):
        if rnd.random() < ACTIVE_SHARE:
            guests.append(Guest(i, now - rnd.uniform(0, 600), False, now + rnd.uniform(MARGIN, 2 * DAY)))
            continue
        # the deadline at least MARGIN ahead: before the warning, or after it and before the window's end
        ago = rnd.uniform(0, t.warning_after - MARGIN) if rnd.random() < 0.5 else \
            rnd.uniform(t.warning_after, t.window - MARGIN)
        guests.append(Guest(i, now - ago, ago >= t.warning_after, None))
    return guests


def documents(t: Template, g: Guest, only: str | None = None) -> Iterator[tuple[str, str, str, str]]:
    """(container, pk, id, body JSON) of guest g (`only`: in that container)."""
    openid, k = openid_of(g.i), g.i % EMPLOYEES
    names = {"o": openid, "a": f"e0000000-0000-4000-8000-{k:012d}", "c": f"a:scale-chat-{k}"}
    for container, id, shape in t.docs:
        if only not in (None, container):
            continue
        shape = t.warned if container == THREADS and g.warned else shape
        yield container, openid, id.replace(t.openid, openid), shape.render(g.wrote_at, **names)
    if only not in (None, JOBS):
        return
    if g.job_due is not None:
        yield JOBS, openid, f"valtick:{openid}:{g.job_due}", _job("validation_tick", {"openid": openid}, g, g.job_due)
    if g.planted:
        due = g.wrote_at + t.warning_after
        yield JOBS, openid, f"gave_up:scale:{g.i}", _job("gave_up", {"kind": "scale", "id": "gone", "pk": openid},
                                                         g, due)


def _job(kind: str, payload: dict[str, Any], g: Guest, due: float) -> str:
    return json.dumps({"kind": kind, "payload": payload, "status": "pending", "attempts": 0, "created_at": g.wrote_at,
                       "due_at": due, "lease_owner": None, "lease_until": None}, separators=(",", ":"))


async def build_sqlite(path: Path, t: Template, guests: Sequence[Guest]) -> dict[str, Any]:
    """The tables as the product creates them (SqliteStorage.open), then every row in one transaction."""
    from adapters.storage.sqlite import SqliteStorage

    started = time.perf_counter()
    storage = SqliteStorage(str(path))
    await storage.open()
    await storage.close()
    return await asyncio.to_thread(_insert_all, path, t, guests, started)


def _insert_all(path: Path, t: Template, guests: Sequence[Guest], started: float) -> dict[str, Any]:
    from adapters.storage.sqlite_schema import Table

    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")  # 256 MB: the indexes are built in memory
        db.execute("BEGIN")
        # The product's indexes, made again after the rows (one sort each instead of a B-tree insert per row)
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        rows = 0
        for container in CONTAINERS:
            batch = ((pk, id, body, f"scale{g.i}.{n}") for g in guests
                     for n, (_, pk, id, body) in enumerate(documents(t, g, container)))
            rows += db.executemany(f'INSERT INTO "{container}" (pk, id, body, etag) VALUES (?, ?, ?, ?)',
                                   batch).rowcount
            Table(container).fill(db)  # the queried fields' columns, as the storage writes them
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return {"threads": len(guests), "documents": rows, "seconds": time.perf_counter() - started,
            "bytes": path.stat().st_size}


async def build_cosmos(endpoint: str, key: str, database: str, t: Template, guests: Sequence[Guest],
                       budget_seconds: float) -> dict[str, Any]:
    """Every guest's documents with the SDK, COSMOS_WRITERS guests at a time, until done or out of time."""
    from adapters.storage.cosmos import CosmosStorage

    started = time.perf_counter()
    storage = CosmosStorage(endpoint, key, database)
    await storage.open()
    pending = iter(guests)
    written = {"threads": 0, "documents": 0}

    async def writer() -> None:
        for g in pending:
            if time.perf_counter() - started > budget_seconds:
                return
            for container in CONTAINERS:  # one transactional batch per container (a guest is one partition)
                docs = [{**json.loads(body), "id": id, "pk": pk} for _, pk, id, body in documents(t, g, container)]
                await storage._container(container).execute_item_batch(
                    [("create", (doc,)) for doc in docs], partition_key=openid_of(g.i))
                written["documents"] += len(docs)
            written["threads"] += 1

    try:
        await asyncio.gather(*(writer() for _ in range(COSMOS_WRITERS)))
    finally:
        await storage.close()
    return {**written, "seconds": time.perf_counter() - started, "complete": written["threads"] == len(guests)}
