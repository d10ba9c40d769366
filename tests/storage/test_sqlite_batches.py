"""SQLite's group commit: calls that queue up together run in one transaction, each still atomic
on its own, and committed (visible to another connection) when its call returns."""
from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from adapters.storage.sqlite import SqliteStorage
from adapters.storage import sqlite_batches
from adapters.storage.sqlite_batches import CACHE_KIB, WAL_CHECKPOINT_PAGES
from core.storage import DURABLE_AT, Conflict


def _committed_ids(path: str) -> set[str]:
    with sqlite3.connect(path) as other:  # another connection sees only what was committed
        return {row[0] for row in other.execute('SELECT id FROM "jobs"')}


async def test_a_conflict_in_a_batch_undoes_only_itself(sqlite_storage):
    await sqlite_storage.create("jobs", "p", "taken", {"n": 0})
    results = await asyncio.gather(
        *(sqlite_storage.create("jobs", "p", "taken" if i % 10 == 0 else f"j{i}", {"n": i}) for i in range(100)),
        return_exceptions=True)
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 10
    assert _committed_ids(sqlite_storage.path) == {"taken"} | {f"j{i}" for i in range(100) if i % 10}


async def test_every_write_is_committed_when_its_call_returns(sqlite_storage):
    for i in range(5):
        await sqlite_storage.create("jobs", "p", f"w{i}", {"n": i})
        assert f"w{i}" in await asyncio.to_thread(_committed_ids, sqlite_storage.path)


async def test_a_cancelled_caller_does_not_break_the_batch(sqlite_storage):
    task = asyncio.ensure_future(sqlite_storage.create("jobs", "p", "cancelled", {"n": 1}))
    others = [asyncio.ensure_future(sqlite_storage.create("jobs", "p", f"o{i}", {"n": i})) for i in range(3)]
    await asyncio.sleep(0)  # the calls are queued
    task.cancel()
    await asyncio.gather(*others)
    assert {"o0", "o1", "o2"} <= _committed_ids(sqlite_storage.path)
    assert await sqlite_storage.get("jobs", "p", "o1") is not None


async def test_close_finishes_what_was_queued(tmp_path):
    s = SqliteStorage(str(tmp_path / "c.sqlite3"))
    await s.open()
    writes = [asyncio.ensure_future(s.create("jobs", "p", f"c{i}", {"n": i})) for i in range(20)]
    await asyncio.sleep(0)
    await s.close()
    await asyncio.gather(*writes)
    assert _committed_ids(s.path) == {f"c{i}" for i in range(20)}


async def test_an_unopenable_file_is_reported_by_open(tmp_path):
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(sqlite3.Error):
        await SqliteStorage(str(tmp_path / "dir.sqlite3")).open()


async def test_a_connection_that_breaks_answers_every_caller_and_refuses_what_comes_after(sqlite_storage):
    from adapters.storage.sqlite_batches import StorageClosed

    def breaks(db):
        raise SystemExit("the connection is gone")  # not an Exception: the thread cannot go on

    with pytest.raises(SystemExit):
        await sqlite_storage._conn().run(breaks, write=True)
    with pytest.raises(StorageClosed):  # at once, not a caller waiting for ever
        await sqlite_storage.get("jobs", "p", "x")


async def test_callers_on_another_event_loop_are_answered_on_theirs(sqlite_storage):
    await sqlite_storage.create("jobs", "p", "here", {"n": 1})

    def other_loop():
        return asyncio.run(sqlite_storage.get("jobs", "p", "here"))

    item = await asyncio.to_thread(other_loop)
    assert item.body == {"n": 1}


async def test_a_write_says_when_it_became_durable_and_a_read_does_not(sqlite_storage):
    """DURABLE_AT (core/storage.py) is the commit of the caller's own write, between its call and
    its return: services/jobs.py measures the window a crash could repeat an effect in up to it."""
    DURABLE_AT.set(None)
    await sqlite_storage.get("jobs", "p", "none")
    assert DURABLE_AT.get() is None
    called = time.perf_counter()
    await sqlite_storage.create("jobs", "p", "w", {"n": 1})
    returned = time.perf_counter()
    durable = DURABLE_AT.get()
    assert durable is not None and called <= durable <= returned


async def test_the_connection_is_set_up_for_a_server_s_writes(sqlite_storage):
    settings = await sqlite_storage._conn().run(
        lambda db: [db.execute(f"PRAGMA {name}").fetchone()[0]
                    for name in ("journal_mode", "synchronous", "wal_autocheckpoint", "cache_size")], write=False)
    assert settings == ["wal", 1, WAL_CHECKPOINT_PAGES, -CACHE_KIB]  # synchronous 1: NORMAL; cache in KiB


async def test_a_new_file_another_process_writes_in_its_first_mode_is_opened_once_that_write_ends(tmp_path,
                                                                                                  monkeypatch):
    # Two processes starting together on a new file: while one writes it in SQLite's first (rollback) mode, the
    # other's switch to WAL is refused at once, without SQLite's busy handler; open() tries again.
    path = str(tmp_path / "new.sqlite3")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE earlier (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO earlier VALUES (1)")
    waits = []

    def other_write_ends(seconds: float) -> None:  # while open() waits to try again
        waits.append(seconds)
        if len(waits) == 1:
            other.execute("COMMIT")

    monkeypatch.setattr(sqlite_batches.time, "sleep", other_write_ends)
    storage = SqliteStorage(path)
    await storage.open()
    assert waits == [sqlite_batches.LOCK_POLL_SECONDS]  # refused once, then opened
    try:
        assert await storage._conn().run(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0], write=False) \
            == "wal"
        await storage.create("jobs", "p", "after", {"n": 1})
    finally:
        await storage.close()
    other.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT x FROM earlier").fetchall() == [(1,)]
