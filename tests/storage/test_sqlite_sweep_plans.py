"""What the sweeps ask SQLite every second (due jobs, stale leases, the threads' deadlines, old nonces) is
answered from an index: its cost does not grow with the jobs and threads kept (bench/scale.py measures it)."""
from __future__ import annotations

from adapters.storage.sqlite import SqliteStorage
from adapters.wechat.replay import NonceGuard
from core.clock import FakeClock
from services.jobs import JobQueue
from services.threads import ThreadStore


async def _plans(storage: SqliteStorage, ask) -> list[str]:
    """SQLite's plan of each SELECT that `ask()` sends (read on the storage's own connection)."""
    sent: list[str] = []
    await storage._conn().run(lambda db: db.set_trace_callback(sent.append), write=False)
    await ask()
    await storage._conn().run(lambda db: db.set_trace_callback(None), write=False)
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert selects
    return [" / ".join(row[3] for row in await storage._conn().run(
        lambda db, s=s: db.execute("EXPLAIN QUERY PLAN " + s).fetchall(), write=False)) for s in selects]


async def test_every_sweep_query_searches_an_index(sqlite_storage):
    clock = FakeClock()
    queue, threads = JobQueue(sqlite_storage, clock, "i1"), ThreadStore(sqlite_storage, clock=clock)

    async def sweep() -> None:
        await queue.claimable(limit=256)
        await threads.due(clock.now(), limit=100)
        await NonceGuard(sqlite_storage, clock, 300).purge()
        await queue.wake("employee:someone")

    plans = await _plans(sqlite_storage, sweep)
    assert len(plans) == 5
    for plan in plans:
        assert plan.startswith("SEARCH") and "USING INDEX" in plan and "SCAN" not in plan, plan
