"""The storage protocol on SQLite: one table per container, JSON bodies, run by the connection's own thread in
batches (sqlite_batches.py: group commit; each call atomic on its own, a failing statement, a Conflict, undoes only
itself).
"""
from __future__ import annotations

import asyncio
import itertools
import os
import sqlite3
import uuid
from typing import Any, Mapping, Sequence

from core.storage import (CONTAINERS, CREATED, EXISTS, JOBS, NONCES, REPLAYED, Conflict, Item, NonceRecord,
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
from .sqlite_batches import BUSY_TIMEOUT_MS, CACHE_KIB, WAL_CHECKPOINT_PAGES, Batcher, run_while_busy
from .sqlite_schema import Table, create_tables, json_path


class SqliteStorage(QueryByFilters):
    def __init__(self, path: str, containers: Sequence[str] = CONTAINERS) -> None:
        self.path = path
        self.containers = frozenset(check_identifier(c, "container") for c in containers)
        self._tables = {c: Table(c) for c in self.containers}
        self._db: Batcher | None = None
        self._open_lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._open_lock:  # two concurrent open() calls must not connect twice
            if self._db is not None:
                return
            if self.path != ":memory:":
                parent = os.path.dirname(os.path.abspath(self.path))
                await asyncio.to_thread(os.makedirs, parent, exist_ok=True)
            db = Batcher(self.path, self._set_up)
            await db.start()
            self._db = db

    def _set_up(self, db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL lets readers in other processes proceed while one writes; NORMAL is durable
        # enough with WAL (a power cut may lose the last commits, never corrupt). Processes starting
        # together on a new file: one may be writing it in its first mode while another switches it.
        run_while_busy(db, "PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        create_tables(db, (self._tables[name] for name in sorted(self.containers)))

    async def close(self) -> None:
        async with self._open_lock:
            db, self._db = self._db, None
            if db is not None:
                await db.stop()

    def _conn(self) -> Batcher:
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
            if nonce is not None and guard is not None and not _inserted(db, *guard):
                seen = db.execute(f'SELECT body FROM "{NONCES}" WHERE pk = ? AND id = ?',
                                  (nonce.key, nonce.key)).fetchone()
                if seen is None or decode_body(seen[0]).get("digest") != nonce.digest:
                    return REPLAYED
            return CREATED if _inserted(db, jobs.insert, job) else EXISTS

        outcome = await self._conn().run(write, write=True)
        return outcome, job[3] if outcome == CREATED else ""

    def _nonce_row(self, nonce: NonceRecord) -> tuple[str, tuple[Any, ...]]:
        """The nonce record's INSERT and its row (as `create` writes it)."""
        table = self._tables[check_container(NONCES, self.containers)]
        check_key(nonce.key, nonce.key)
        record = nonce.body()
        return table.insert, (nonce.key, nonce.key, body_text(record), _new_etag(), *table.values(record))

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
