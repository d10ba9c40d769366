"""The storage protocol on SQLite (aiosqlite): one table per container, JSON bodies.

Every operation is a single SQL statement in autocommit mode, so each one is atomic on its own
(also across processes sharing the file) and concurrent coroutines cannot interleave inside it.
"""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import uuid
from typing import Any, Mapping, Sequence

import aiosqlite

from core.storage import CONTAINERS, INDEXES, Conflict, Item, NotFound, PreconditionFailed

from ._common import (
    check_at_most,
    check_container,
    check_equals_value,
    check_identifier,
    check_key,
    check_limit,
    encode_body,
)

BUSY_TIMEOUT_MS = 5000


def _path(field: str) -> str:
    # Written into the SQL (not bound) so that SQLite can use the expression indexes below; the
    # identifier check keeps it a plain top-level field of letters, digits and underscores.
    return "'$." + check_identifier(field) + "'"


def _value(field: str) -> str:
    return f"json_extract(body, {_path(field)})"


class SqliteStorage:
    def __init__(self, path: str, containers: Sequence[str] = CONTAINERS) -> None:
        self.path = path
        self.containers = frozenset(check_identifier(c, "container") for c in containers)
        self._db: aiosqlite.Connection | None = None
        self._open_lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._open_lock:  # two concurrent open() calls must not connect twice
            if self._db is not None:
                return
            if self.path != ":memory:":
                parent = os.path.dirname(os.path.abspath(self.path))
                await asyncio.to_thread(os.makedirs, parent, exist_ok=True)
            # isolation_level=None: autocommit, no implicit transaction left open between awaits.
            db = await aiosqlite.connect(self.path, isolation_level=None)
            try:
                await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                # WAL lets readers in other processes proceed while one writes; NORMAL is durable
                # enough with WAL (a power cut may lose the last commits, never corrupt).
                await db.execute("PRAGMA journal_mode = WAL")
                await db.execute("PRAGMA synchronous = NORMAL")
                for name in sorted(self.containers):
                    await db.execute(
                        f'CREATE TABLE IF NOT EXISTS "{name}" ('
                        "pk TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, etag TEXT NOT NULL, "
                        "PRIMARY KEY (pk, id)) WITHOUT ROWID"
                    )
                    # Without these, every sweep reads every job ever stored (finished ones are kept).
                    for fields in INDEXES.get(name, ()):
                        columns = ", ".join(_value(f) for f in fields)
                        await db.execute(
                            f'CREATE INDEX IF NOT EXISTS "{name}__{"__".join(fields)}" ON "{name}" ({columns})'
                        )
            except BaseException:
                await db.close()
                raise
            self._db = db

    async def close(self) -> None:
        async with self._open_lock:
            db, self._db = self._db, None
            if db is not None:
                await db.close()

    def _conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("SqliteStorage is not open; await open() first")
        return self._db

    def _table(self, container: str) -> str:
        return '"' + check_container(container, self.containers) + '"'

    async def get(self, container: str, pk: str, id: str) -> Item | None:
        table = self._table(container)
        check_key(pk, id)
        async with self._conn().execute(
            f"SELECT body, etag FROM {table} WHERE pk = ? AND id = ?", (pk, id)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else Item(id, pk, json.loads(row[0]), row[1])

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        table = self._table(container)
        check_key(pk, id)
        text, etag = encode_body(body), _new_etag()
        try:
            async with self._conn().execute(
                f"INSERT INTO {table} (pk, id, body, etag) VALUES (?, ?, ?, ?)", (pk, id, text, etag)
            ):
                pass
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{container}/{pk}/{id} already exists") from exc
        return Item(id, pk, json.loads(text), etag)

    async def replace(
        self, container: str, pk: str, id: str, body: Mapping[str, Any], etag: str
    ) -> Item:
        table = self._table(container)
        check_key(pk, id)
        text, new_etag = encode_body(body), _new_etag()
        # The etag test is inside the UPDATE itself, so a concurrent writer cannot slip in
        # between checking and writing.
        async with self._conn().execute(
            f"UPDATE {table} SET body = ?, etag = ? WHERE pk = ? AND id = ? AND etag = ?",
            (text, new_etag, pk, id, etag),
        ) as cur:
            updated = cur.rowcount
        if updated == 0:
            await self._raise_missing_or_stale(table, container, pk, id)
        return Item(id, pk, json.loads(text), new_etag)

    async def upsert(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        table = self._table(container)
        check_key(pk, id)
        text, etag = encode_body(body), _new_etag()
        async with self._conn().execute(
            f"INSERT INTO {table} (pk, id, body, etag) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (pk, id) DO UPDATE SET body = excluded.body, etag = excluded.etag",
            (pk, id, text, etag),
        ):
            pass
        return Item(id, pk, json.loads(text), etag)

    async def delete(self, container: str, pk: str, id: str, etag: str | None = None) -> None:
        table = self._table(container)
        check_key(pk, id)
        if etag is None:
            sql, params = f"DELETE FROM {table} WHERE pk = ? AND id = ?", (pk, id)
        else:
            sql, params = f"DELETE FROM {table} WHERE pk = ? AND id = ? AND etag = ?", (pk, id, etag)
        async with self._conn().execute(sql, params) as cur:
            deleted = cur.rowcount
        if deleted == 0:
            await self._raise_missing_or_stale(table, container, pk, id)

    async def _raise_missing_or_stale(self, table: str, container: str, pk: str, id: str) -> None:
        # Only tells the two failures apart; the write already did (or did not do) its job atomically.
        async with self._conn().execute(f"SELECT 1 FROM {table} WHERE pk = ? AND id = ?", (pk, id)) as cur:
            exists = await cur.fetchone() is not None
        if exists:
            raise PreconditionFailed(f"{container}/{pk}/{id} was changed by someone else (stale etag)")
        raise NotFound(f"{container}/{pk}/{id} does not exist")

    async def query(
        self,
        container: str,
        *,
        pk: str | None = None,
        equals: Mapping[str, Any] | None = None,
        at_most: tuple[str, float] | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> Sequence[Item]:
        table = self._table(container)
        limit = check_limit(limit)
        where: list[str] = []
        params: list[Any] = []
        if pk is not None:
            if not isinstance(pk, str) or not pk:
                raise ValueError(f"partition key must be a non-empty string, got {pk!r}")
            where.append("pk = ?")
            params.append(pk)
        for field, value in (equals or {}).items():
            path = _path(field)
            check_equals_value(field, value)
            # Compare JSON types as well as values, as Cosmos DB does: SQLite would otherwise
            # find true == 1 and could not tell a JSON null from a missing field.
            if value is None:
                where.append(f"json_type(body, {path}) = 'null'")
            elif isinstance(value, bool):
                where.append(f"json_type(body, {path}) = ?")
                params.append("true" if value else "false")
            elif isinstance(value, str):
                where.append(f"{_value(field)} = ?")  # only JSON strings come back as TEXT
                params.append(value)
            else:
                where.append(f"json_type(body, {path}) IN ('integer', 'real') AND {_value(field)} = ?")
                params.append(value)
        if at_most is not None:
            field, bound = check_at_most(at_most)
            where.append(f"{_value(field)} <= ? AND json_type(body, {_path(field)}) IN ('integer', 'real')")
            params.append(bound)
        sql = f"SELECT pk, id, body, etag FROM {table}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if order_by is not None:
            sql += f" ORDER BY {_value(order_by)}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        async with self._conn().execute(sql, params) as cur:
            rows = await cur.fetchall()
        return [Item(row[1], row[0], json.loads(row[2]), row[3]) for row in rows]


def _new_etag() -> str:
    return uuid.uuid4().hex
