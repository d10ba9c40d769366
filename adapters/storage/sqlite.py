"""The storage protocol on SQLite: one table per container, JSON bodies.

The connection belongs to one thread of its own (SQLite's calls block; the event loop must not).
The loop hands it the calls made during one turn of the loop together; whatever has queued up
while it worked runs as one batch in one transaction, and all the answers go back to the loop in
one hop (group commit). Under load that is one commit and two thread switches for many writes
instead of two switches per statement, and every write has still been committed when its call
returns (a webhook acknowledges only then). Each call is atomic on its own: a failing statement
(a Conflict) undoes only itself.
"""
from __future__ import annotations

import asyncio
import itertools
import os
import queue
import sqlite3
import threading
import time
import uuid
from typing import Any, Callable, Mapping, Sequence, cast

from core.storage import (CONTAINERS, CREATED, DURABLE_AT, EXISTS, JOBS, NONCES, REPLAYED, Conflict, Item, NonceRecord,
                          NotFound, PreconditionFailed)

from ._common import (
    body_text,
    check_at_most,
    check_container,
    check_equals_value,
    check_identifier,
    check_key,
    decode_body,
    stored_body,
)
from .query import Query, QueryByFilters
from .sqlite_schema import Table, create_tables, json_path

BUSY_TIMEOUT_MS = 5000
MAX_BATCH = 256  # calls per transaction: bounds how long one batch holds the write lock
LOCK_POLL_SECONDS = 0.0005
# The WAL is copied into the file (and both synced) by the commit that takes it past this many pages: SQLite's
# 1,000 made that frequent under a burst, each a stall of the writes behind it; 10,000 (~40 MB) cut a write's CPU
# by a sixth and its time by a third (bench: 2 rows a call, 18 calls a commit; a power cut may lose more commits).
WAL_CHECKPOINT_PAGES = 10_000


Call = Callable[[sqlite3.Connection], Any]

# The sqlite3 module looks for an adapter for every None it binds (a job's lease while it is pending, …); with
# none registered, the look-up raises and clears an AttributeError each time (~3 k instructions). This one (a
# C method that answers None) makes it a dictionary hit. It binds None as NULL, as before, for every connection.
sqlite3.register_adapter(type(None), cast(Callable[[None], None], {}.get))


class StorageClosed(RuntimeError):
    """The SQLite thread has stopped (closed, or failed): nothing more can be run."""


Outcome = tuple[asyncio.Future, Any, BaseException | None]


class _Batcher:
    """The thread that owns the connection and runs the loop's calls in batches."""

    def __init__(self, path: str, set_up: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        self.set_up = set_up
        self._calls: queue.SimpleQueue = queue.SimpleQueue()  # lists of calls, one per turn of a loop; None: stop
        # The calls made during this turn of each loop, handed over at its end: one wake-up of the thread
        # for all of them, and one batch, instead of a thread woken (and a commit) for each.
        self._turn: dict[asyncio.AbstractEventLoop, list] = {}
        self._thread = threading.Thread(target=self._serve, name="sqlite", daemon=True)
        self._ready: asyncio.Future | None = None
        self._closed: asyncio.Future | None = None
        self._dead: BaseException | None = None  # why the thread stopped; set before it stops taking calls

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._ready, self._closed = loop.create_future(), loop.create_future()
        self._thread.start()
        await self._ready

    async def run(self, call: Call, *, write: bool) -> Any:
        if self._dead is not None:
            raise StorageClosed(f"the SQLite storage has stopped: {self._dead}")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        turn = self._turn.get(loop)
        if turn is None:
            turn = self._turn[loop] = []
            loop.call_soon(self._hand_over, loop)
        turn.append((call, write, future))
        result, committed_at = await future
        if write:
            DURABLE_AT.set(committed_at)
        return result

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        turn = self._turn.pop(loop)
        if self._dead is not None:  # stopped during this turn: nobody would take them
            self._answer_all([(future, None, StorageClosed(f"the SQLite storage has stopped: {self._dead}"))
                              for _, _, future in turn])
        else:
            self._calls.put(turn)

    async def stop(self) -> None:
        assert self._closed is not None, "stop() before start()"
        turn = self._turn.pop(asyncio.get_running_loop(), None)
        if turn:  # calls of this very turn go before the end (their hand-over finds nothing)
            self._calls.put(turn)
        self._calls.put(None)
        await self._closed

    @staticmethod
    def _answer(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
        if future.done():  # the caller was cancelled; the call ran all the same
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    @classmethod
    def _answer_all(cls, answers: list[Outcome]) -> None:
        for answer in answers:
            cls._answer(*answer)

    @classmethod
    def _settle(cls, outcomes: list[Outcome]) -> None:
        """Answer each caller on its own loop, in one hop per loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, answers in by_loop.items():
            try:
                loop.call_soon_threadsafe(cls._answer_all, answers)
            except RuntimeError:  # that loop is closed: nobody waits any more
                pass

    def _serve(self) -> None:
        ready, closed = self._ready, self._closed
        assert ready is not None and closed is not None
        try:
            # isolation_level=None: the transactions are the batches, begun and ended here.
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            try:
                self.set_up(db)
            except BaseException:
                db.close()
                raise
        except BaseException as exc:  # noqa: BLE001 - told to the loop, which raises it in open()
            self._dead = exc
            self._settle([(ready, None, exc), (closed, None, None)])
            return
        self._settle([(ready, None, None)])
        try:
            waiting: list = []  # calls handed over and not run yet (more than a batch came at once)
            stop = False
            while waiting or not stop:
                if not waiting:
                    waiting = self._calls.get()
                    if waiting is None:
                        break
                while not stop and len(waiting) < MAX_BATCH:
                    try:
                        more = self._calls.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                    else:
                        waiting += more
                batch, waiting = waiting[:MAX_BATCH], waiting[MAX_BATCH:]
                try:
                    outcomes = self._run_batch(db, batch)
                except BaseException as exc:  # noqa: BLE001 - the connection is unusable: say so to all
                    self._dead = exc
                    self._settle([(future, None, exc) for _, _, future in (*batch, *waiting)])
                    break
                self._settle(outcomes)
        finally:
            self._dead = self._dead or StorageClosed("closed")
            left = []  # calls queued after the end: refused, never left waiting
            while True:
                try:
                    calls = self._calls.get_nowait()
                except queue.Empty:
                    break
                for _, _, future in calls or ():
                    left.append((future, None, StorageClosed(f"the SQLite storage has stopped: {self._dead}")))
            db.close()
            self._settle([*left, (closed, None, None)])

    @staticmethod
    def _run_batch(db: sqlite3.Connection, batch: list) -> list[Outcome]:
        outcomes: list[Outcome] = []
        try:
            if any(write for _, write, _ in batch):
                _begin_writing(db)
            else:
                db.execute("BEGIN")
        except sqlite3.Error as exc:
            return [(future, None, exc) for _, _, future in batch]
        for call, _, future in batch:
            if not db.in_transaction:  # SQLite rolled the whole transaction back (a disk error)
                outcomes.append((future, None, sqlite3.OperationalError("the transaction was rolled back")))
                continue  # not run: outside the transaction it would commit on its own
            try:
                outcomes.append((future, call(db), None))
            except Exception as exc:  # noqa: BLE001 - each caller gets its own error
                outcomes.append((future, None, exc))
        try:
            if not db.in_transaction:
                raise sqlite3.OperationalError("the transaction was rolled back")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # nothing of the batch was committed either way
            return [(future, None, error or exc) for future, _, error in outcomes]
        committed_at = time.perf_counter()  # each answer carries it: when what it wrote became durable
        return [(future, (result, committed_at), error) for future, result, error in outcomes]


def _begin_writing(db: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE: the write lock up front (a read transaction upgraded later could fail at
    once). While another process holds it, try again every LOCK_POLL_SECONDS: SQLite's own busy
    handler sleeps in steps of up to 100 ms, which showed as a 100 ms tail in the acknowledgements
    of an instance beside a worker process."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    db.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                # extended codes too (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT): the primary code is the low byte
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(LOCK_POLL_SECONDS)  # this thread's own wait: the event loop is not blocked
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


class SqliteStorage(QueryByFilters):
    def __init__(self, path: str, containers: Sequence[str] = CONTAINERS) -> None:
        self.path = path
        self.containers = frozenset(check_identifier(c, "container") for c in containers)
        self._tables = {c: Table(c) for c in self.containers}
        self._db: _Batcher | None = None
        self._open_lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._open_lock:  # two concurrent open() calls must not connect twice
            if self._db is not None:
                return
            if self.path != ":memory:":
                parent = os.path.dirname(os.path.abspath(self.path))
                await asyncio.to_thread(os.makedirs, parent, exist_ok=True)
            db = _Batcher(self.path, self._set_up)
            await db.start()
            self._db = db

    def _set_up(self, db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL lets readers in other processes proceed while one writes; NORMAL is durable
        # enough with WAL (a power cut may lose the last commits, never corrupt).
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        create_tables(db, (self._tables[name] for name in sorted(self.containers)))

    async def close(self) -> None:
        async with self._open_lock:
            db, self._db = self._db, None
            if db is not None:
                await db.stop()

    def _conn(self) -> _Batcher:
        if self._db is None:
            raise RuntimeError("SqliteStorage is not open; await open() first")
        return self._db

    def _table(self, container: str) -> str:
        return '"' + check_container(container, self.containers) + '"'

    async def get(self, container: str, pk: str, id: str) -> Item | None:
        table = self._table(container)
        check_key(pk, id)
        row = await self._conn().run(
            lambda db: db.execute(f"SELECT body, etag FROM {table} WHERE pk = ? AND id = ?", (pk, id)).fetchone(),
            write=False)
        return None if row is None else Item(id, pk, decode_body(row[0]), row[1])

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        table = self._tables[check_container(container, self.containers)]
        check_key(pk, id)
        (text, stored), etag = stored_body(body), _new_etag()
        row = (pk, id, text, etag, *table.values(body))

        def insert(db: sqlite3.Connection) -> None:
            if not _inserted(db, table.insert, row):
                raise Conflict(f"{container}/{pk}/{id} already exists")

        await self._conn().run(insert, write=True)
        return Item(id, pk, stored, etag)

    async def create_job(self, pk: str, id: str, body: Mapping[str, Any],
                         nonce: NonceRecord | None = None) -> tuple[str, str]:
        # The rows `create` would write, bound here and inserted in one call of the batch: no Item, no read-back.
        jobs = self._tables[check_container(JOBS, self.containers)]
        check_key(pk, id)
        job = (pk, id, body_text(body), _new_etag(), *jobs.values(body))
        guard = None if nonce is None else self._nonce_row(nonce)

        def write(db: sqlite3.Connection) -> str:
            if guard is not None and not _inserted(db, guard[0], guard[1]):
                seen = db.execute(f'SELECT body FROM "{NONCES}" WHERE pk = ? AND id = ?', guard[1][:2]).fetchone()
                if seen is None or decode_body(seen[0]).get("digest") != guard[2]:
                    return REPLAYED
            return CREATED if _inserted(db, jobs.insert, job) else EXISTS

        outcome = await self._conn().run(write, write=True)
        return outcome, job[3] if outcome == CREATED else ""

    def _nonce_row(self, nonce: NonceRecord) -> tuple[str, tuple[Any, ...], str]:
        """The nonce record's INSERT, its row (as `create` writes it) and its digest."""
        table = self._tables[check_container(NONCES, self.containers)]
        check_key(nonce.key, nonce.key)
        record = {"digest": nonce.digest, "expires_at": nonce.expires_at}
        return table.insert, (nonce.key, nonce.key, body_text(record), _new_etag(), *table.values(record)), \
            nonce.digest

    async def replace(
        self, container: str, pk: str, id: str, body: Mapping[str, Any], etag: str
    ) -> Item:
        table = self._table(container)
        check_key(pk, id)
        (text, stored), new_etag = stored_body(body), _new_etag()

        sql, columns = self._tables[container].update, self._tables[container].values(body)

        def update(db: sqlite3.Connection) -> None:
            # The etag test is inside the UPDATE itself, so a concurrent writer cannot slip in
            # between checking and writing.
            cur = db.execute(sql, (text, new_etag, *columns, pk, id, etag))
            if cur.rowcount == 0:
                _raise_missing_or_stale(db, table, container, pk, id)

        await self._conn().run(update, write=True)
        return Item(id, pk, stored, new_etag)

    async def upsert(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        table = self._tables[check_container(container, self.containers)]
        check_key(pk, id)
        (text, stored), etag = stored_body(body), _new_etag()
        row = (pk, id, text, etag, *table.values(body))
        await self._conn().run(lambda db: db.execute(table.upsert, row), write=True)
        return Item(id, pk, stored, etag)

    async def delete(self, container: str, pk: str, id: str, etag: str | None = None) -> None:
        table = self._table(container)
        check_key(pk, id)
        params: tuple[str, ...]
        if etag is None:
            sql, params = f"DELETE FROM {table} WHERE pk = ? AND id = ?", (pk, id)
        else:
            sql, params = f"DELETE FROM {table} WHERE pk = ? AND id = ? AND etag = ?", (pk, id, etag)

        def remove(db: sqlite3.Connection) -> None:
            if db.execute(sql, params).rowcount == 0:
                _raise_missing_or_stale(db, table, container, pk, id)

        await self._conn().run(remove, write=True)

    async def _select(self, container: str, query: Query) -> Sequence[Item]:
        where, params = self._where(container, query)
        sql = f"SELECT pk, id, body, etag FROM {self._table(container)}{where}"
        if query.order_by is not None:
            sql += f" ORDER BY {self._tables[container].expression(query.order_by)}"
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        rows = await self._conn().run(lambda db: db.execute(sql, params).fetchall(), write=False)
        return [Item(row[1], row[0], decode_body(row[2]), row[3]) for row in rows]

    async def _count(self, container: str, query: Query) -> int:
        where, params = self._where(container, query)
        sql = f"SELECT COUNT(*) FROM {self._table(container)}{where}"
        return int(await self._conn().run(lambda db: db.execute(sql, params).fetchone()[0], write=False))

    def _where(self, container: str, query: Query) -> tuple[str, list[Any]]:
        """The query's filters as SQL (" WHERE …", or "") and their parameters."""
        extract = self._tables[container].expression  # json_extract's answer: the field's column where it has one
        where: list[str] = []
        params: list[Any] = []
        if query.pk is not None:
            where.append("pk = ?")
            params.append(query.pk)
        for field, value in query.equals.items():
            path = json_path(field)
            check_equals_value(field, value)
            # Compare JSON types as well as values, as Cosmos DB does: SQLite would otherwise
            # find true == 1 and could not tell a JSON null from a missing field.
            if value is None:
                where.append(f"json_type(body, {path}) = 'null'")
            elif isinstance(value, bool):
                where.append(f"json_type(body, {path}) = ?")
                params.append("true" if value else "false")
            elif isinstance(value, str):
                where.append(f"{extract(field)} = ?")  # only JSON strings come back as TEXT
                params.append(value)
            else:
                where.append(f"json_type(body, {path}) IN ('integer', 'real') AND {extract(field)} = ?")
                params.append(value)
        if query.at_most is not None:
            field, bound = check_at_most(query.at_most)
            where.append(f"{extract(field)} <= ? AND json_type(body, {json_path(field)}) IN ('integer', 'real')")
            params.append(bound)
        return (" WHERE " + " AND ".join(where) if where else ""), params


def _inserted(db: sqlite3.Connection, sql: str, row: tuple[Any, ...]) -> bool:
    """Whether the row went in (False: its key is taken; the failed statement undid only itself)."""
    try:
        db.execute(sql, row)
    except sqlite3.IntegrityError:
        return False
    return True


def _raise_missing_or_stale(db: sqlite3.Connection, table: str, container: str, pk: str, id: str) -> None:
    # Only tells the two failures apart; the write already did (or did not do) its job atomically.
    if db.execute(f"SELECT 1 FROM {table} WHERE pk = ? AND id = ?", (pk, id)).fetchone() is not None:
        raise PreconditionFailed(f"{container}/{pk}/{id} was changed by someone else (stale etag)")
    raise NotFound(f"{container}/{pk}/{id} does not exist")


# An ETag only has to differ from every other this file ever held: a random prefix per process and a
# counter (uuid4 per write cost ~9 % of an acknowledging process's CPU, in os.urandom).
_ETAG_PREFIX = uuid.uuid4().hex[:16]
_ETAGS = itertools.count(1)


def _new_etag() -> str:
    return f"{_ETAG_PREFIX}{next(_ETAGS):x}"
