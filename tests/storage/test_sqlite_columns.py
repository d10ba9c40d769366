"""SQLite keeps the fields INDEXES queries in columns of their own, written with the body; a file of the
previous version (expression indexes over the body, no such columns) is migrated when it is opened."""
from __future__ import annotations

import sqlite3

import pytest

from adapters.storage.sqlite import SqliteStorage
from adapters.storage.sqlite_schema import Table
from core.storage import CONTAINERS, INDEXES, Conflict


def _previous_version(path: str, jobs: list[tuple[str, str]]) -> None:
    """A file as the previous version left it: bodies only, one json_extract index per INDEXES entry."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for name in CONTAINERS:
            db.execute(f'CREATE TABLE "{name}" (pk TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, '
                       "etag TEXT NOT NULL, PRIMARY KEY (pk, id)) WITHOUT ROWID")
            for fields in INDEXES.get(name, ()):
                columns = ", ".join(f"json_extract(body, '$.{f}')" for f in fields)
                db.execute(f'CREATE INDEX "{name}__{"__".join(fields)}" ON "{name}" ({columns})')
        db.executemany("INSERT INTO jobs (pk, id, body, etag) VALUES ('p', ?, ?, 'e1')", jobs)


def _indexes(path: str, table: str) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                               "AND sql IS NOT NULL", (table,)))


async def test_a_file_of_the_previous_version_opens_migrated_and_keeps_working(tmp_path):
    path = str(tmp_path / "old.sqlite3")
    _previous_version(path, [
        ("due", '{"kind": "k", "status": "pending", "due_at": 5, "lease_owner": null}'),
        ("later", '{"kind": "k", "status": "pending", "due_at": 50}'),
        ("mine", '{"kind": "k", "status": "leased", "lease_owner": "i1", "lease_until": 7}'),
        ("waits", '{"kind": "k", "status": "pending", "due_at": 9, "waiting_for": "conv:1"}'),
    ])
    storage = SqliteStorage(path)
    await storage.open()
    try:
        due = await storage.query("jobs", equals={"status": "pending"}, at_most=("due_at", 10), order_by="due_at")
        assert [i.id for i in due] == ["due", "waits"]
        assert [i.id for i in await storage.query("jobs", equals={"status": "leased", "lease_owner": "i1"})] == ["mine"]
        assert [i.id for i in await storage.query("jobs", equals={"waiting_for": "conv:1"})] == ["waits"]
        item = await storage.get("jobs", "p", "due")
        await storage.replace("jobs", "p", "due", {**item.body, "status": "done"}, item.etag)
        await storage.create("jobs", "p", "new", {"status": "pending", "due_at": 1})
        due = await storage.query("jobs", equals={"status": "pending"}, at_most=("due_at", 10), order_by="due_at")
        assert [i.id for i in due] == ["new", "waits"]
    finally:
        await storage.close()
    indexes = _indexes(path, "jobs")
    assert indexes and not any("json_extract" in sql for sql in indexes.values())  # the old ones are gone
    again = SqliteStorage(path)  # opening a migrated file changes nothing
    await again.open()
    try:
        assert [i.id for i in await again.query("jobs", equals={"status": "pending"}, order_by="due_at")] == [
            "new", "waits", "later"]
    finally:
        await again.close()
    assert _indexes(path, "jobs") == indexes


async def test_the_sweeps_queries_use_the_column_indexes(sqlite_storage):
    await sqlite_storage.create("jobs", "p", "a", {"status": "pending", "due_at": 1})
    with sqlite3.connect(sqlite_storage.path) as db:
        plan = " ".join(row[-1] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT body FROM jobs WHERE \"status\" = 'pending' AND \"due_at\" <= 5 "
            'ORDER BY "due_at"'))
    assert "USING INDEX jobs__status__due_at__columns" in plan, plan


async def test_columns_hold_what_json_extract_gives(sqlite_storage):
    body = {"status": True, "due_at": 2**70, "lease_owner": None, "lease_until": 1.5, "waiting_for": {"a": [1]}}
    await sqlite_storage.create("jobs", "p", "a", body)
    with sqlite3.connect(sqlite_storage.path) as db:
        columns = db.execute(", ".join(f'"{f}"' for f in body).join(("SELECT ", " FROM jobs"))).fetchone()
        extracted = db.execute(", ".join(f"json_extract(body, '$.{f}')" for f in body).join(
            ("SELECT ", " FROM jobs"))).fetchone()
    assert columns == extracted


async def test_a_file_with_full_indexes_on_the_sparse_fields_opens_with_partial_ones(tmp_path):
    path = str(tmp_path / "full.sqlite3")
    storage = SqliteStorage(path)
    await storage.open()
    await storage.create("jobs", "p", "mine", {"status": "leased", "due_at": 1, "lease_owner": "i1", "lease_until": 7})
    await storage.close()
    with sqlite3.connect(path) as db:  # as the previous version left it: every index over all the rows
        for name in _indexes(path, "jobs"):
            db.execute(f'DROP INDEX "{name}"')
        for fields in INDEXES["jobs"]:
            db.execute(f'CREATE INDEX "jobs__{"__".join(fields)}__columns" ON jobs ('
                       + ", ".join(f'"{f}"' for f in fields) + ")")
    again = SqliteStorage(path)
    await again.open()
    try:
        assert [i.id for i in await again.query("jobs", equals={"status": "leased", "lease_owner": "i1"})] == ["mine"]
    finally:
        await again.close()
    indexes = _indexes(path, "jobs")
    assert sorted(indexes) == ["jobs__status__due_at__columns", "jobs__status__lease_owner__created_at__present",
                               "jobs__status__lease_until__present", "jobs__status__waiting_for__present"]
    assert all("IS NOT NULL" in sql for name, sql in indexes.items() if name.endswith("__present"))


async def test_a_pending_job_is_in_one_index_and_every_query_of_the_worker_uses_one(sqlite_storage, monkeypatch):
    from core.clock import FakeClock
    from services.health import jobs_waiting
    from services.jobs import JobQueue

    queue = JobQueue(sqlite_storage, FakeClock(100.0), instance_id="i1")
    await queue.enqueue("k", "pending", {}, pk="p", leased=False)
    with sqlite3.connect(sqlite_storage.path) as db, sqlite3.connect(":memory:") as copy:
        db.backup(copy)  # ANALYZE counts each index's entries (in a copy: its statistics would steer the plans)
        copy.execute("ANALYZE")
        entries = {name: int(stat.split()[0]) for name, stat in copy.execute(
            "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'jobs' AND idx IS NOT NULL")}
        entries = {name: entries.get(name, 0) for name in _indexes(sqlite_storage.path, "jobs")}
    assert entries == {"jobs__status__due_at__columns": 1, "jobs__status__lease_until__present": 0,
                       "jobs__status__lease_owner__created_at__present": 0, "jobs__status__waiting_for__present": 0}

    seen: list[tuple[str, tuple]] = []

    class Recording:  # the storage's connection, noting each statement with its parameters
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def execute(self, sql: str, params=()):
            seen.append((sql, tuple(params)))
            return self.db.execute(sql, params)

    batcher = sqlite_storage._conn()
    run = batcher.run
    monkeypatch.setattr(batcher, "run", lambda call, *, write: run(lambda db: call(Recording(db)), write=write))
    await queue.claimable()
    await queue.orphans()
    await queue.wake("conv:1")
    await queue.untold()
    await jobs_waiting(sqlite_storage, 100.0)
    selects = [(sql, params) for sql, params in seen if sql.startswith("SELECT")]
    assert len(selects) == 7
    with sqlite3.connect(sqlite_storage.path) as db:
        for sql, params in selects:
            plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "USING" in plan and "INDEX" in plan and "SCAN" not in plan, (sql, plan)


def _clustered(path: str) -> None:
    """A file as the version before the rowid tables left it: each table WITHOUT ROWID, clustered by (pk, id),
    with its columns and their indexes."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for name in CONTAINERS:
            fields = Table(name).fields
            db.execute(f'CREATE TABLE "{name}" (pk TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, etag TEXT '
                       "NOT NULL, " + "".join(f'"{f}", ' for f in fields) + "PRIMARY KEY (pk, id)) WITHOUT ROWID")
            for index in INDEXES.get(name, ()):
                db.execute(f'CREATE INDEX "{name}__{"__".join(index)}__columns" ON "{name}" ('
                           + ", ".join(f'"{f}"' for f in index) + ")")
        db.executemany('INSERT INTO jobs (pk, id, body, etag, "status", "due_at") VALUES (?, ?, ?, ?, ?, ?)', [
            ("g1", "msg:2", '{"status": "pending", "due_at": 5}', "e2", "pending", 5),
            ("g2", "msg:1", '{"status": "pending", "due_at": 3}', "e1", "pending", 3),
            ("g1", "msg:3", '{"status": "done", "due_at": 1}', "e3", "done", 1)])
        db.execute("INSERT INTO kv (pk, id, body, etag) VALUES ('k', 'k', '{\"v\": 1}', 'e4')")


def _clustered_tables(path: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {name for name, wr in db.execute("SELECT name, wr FROM pragma_table_list") if wr}


async def test_a_file_of_clustered_tables_opens_as_rowid_tables_with_every_row(tmp_path):
    path = str(tmp_path / "clustered.sqlite3")
    _clustered(path)
    assert _clustered_tables(path) == set(CONTAINERS)
    storage = SqliteStorage(path)
    await storage.open()
    try:
        assert _clustered_tables(path) == set()
        assert (await storage.get("jobs", "g1", "msg:2")).etag == "e2"
        assert (await storage.get("kv", "k", "k")).body == {"v": 1}
        due = await storage.query("jobs", equals={"status": "pending"}, at_most=("due_at", 10), order_by="due_at")
        assert [(i.pk, i.id) for i in due] == [("g2", "msg:1"), ("g1", "msg:2")]
        with pytest.raises(Conflict):  # the key is still unique
            await storage.create("jobs", "g1", "msg:3", {"status": "pending", "due_at": 0})
        await storage.create("jobs", "g3", "msg:4", {"status": "pending", "due_at": 4})
        due = await storage.query("jobs", equals={"status": "pending"}, at_most=("due_at", 10), order_by="due_at")
        assert [i.id for i in due] == ["msg:1", "msg:4", "msg:2"]
    finally:
        await storage.close()
    indexes = _indexes(path, "jobs")
    assert sorted(indexes) == ["jobs__status__due_at__columns", "jobs__status__lease_owner__created_at__present",
                               "jobs__status__lease_until__present", "jobs__status__waiting_for__present"]
    again = SqliteStorage(path)  # opening it again changes nothing
    await again.open()
    try:
        assert len(await again.query("jobs")) == 4
    finally:
        await again.close()
    assert _indexes(path, "jobs") == indexes and _clustered_tables(path) == set()
