"""SQLite keeps the fields INDEXES queries in columns of their own, written with the body; a file of the
previous version (expression indexes over the body, no such columns) is migrated when it is opened."""
from __future__ import annotations

import sqlite3

from adapters.storage.sqlite import SqliteStorage
from core.storage import CONTAINERS, INDEXES


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
