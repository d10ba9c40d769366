"""SQLite's tables: one per container, a document's JSON body beside its key and ETag, and the fields the
queries filter and sort on (core/storage.py INDEXES) in columns of their own, indexed.

The columns are written from the body with it: an index over json_extract(body, …) parsed the body again
for each of its fields on every write. Each column holds what json_extract gives for its field, so a query
reads the column where it read json_extract before and answers the same. A file of an earlier version
(bodies only, json_extract indexes) gets its columns, filled from the bodies, when it is first opened.
All processes sharing a file run the same version: one of an earlier version would not write the columns.

The tables are rowid tables with a unique index on (pk, id). They were WITHOUT ROWID tables clustered by (pk, id),
which SQLite advises only for rows under about a twentieth of a page: a body is 0.1 to 3 KB, and what does not fit
in a quarter of a page goes to overflow pages (8,400 records of 1 KB took 9,636 pages, three quarters unused), and
each acknowledgement's job went into its guest's place in the table, a page of its own in each commit's WAL. A
rowid table appends: an acknowledgement's write took 6.9 `pwrite`s into the WAL, now 3.2 (bench/README.md, session
23). A file of the earlier layout is rebuilt when it is first opened.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any, Iterable, Mapping

from core.storage import INDEXES, JOBS

from ._common import check_identifier

log = logging.getLogger(__name__)

KEY_COLUMNS = ("pk", "id", "body", "etag")

# Fields only some rows have: a job's lease while it is leased, what it waits for while it waits. An index on one
# holds only the rows that have it (a partial index), so a job created pending writes one index and not four, a
# leased one three. SQLite takes such an index for any query comparing the field (=, <=: not null), as each of the
# worker's queries on them does (tests/storage/test_sqlite_columns.py reads their plans).
SPARSE: dict[str, frozenset[str]] = {JOBS: frozenset({"lease_until", "lease_owner", "waiting_for"})}


def json_path(field: str) -> str:
    # Written into the SQL (not bound); the identifier check keeps it a plain top-level field of
    # letters, digits and underscores.
    return "'$." + check_identifier(field) + "'"


def json_value(field: str) -> str:
    return f"json_extract(body, {json_path(field)})"


def column_value(value: Any) -> Any:
    """What json_extract gives for a body's field."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and not -2**63 <= value < 2**63:
        return float(value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_AS_IS = frozenset({str, float, type(None)})  # what json_extract gives as it is: no call for most fields


class Table:
    """One container's table: its columns, and the SQL that writes a document with them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields = tuple(dict.fromkeys(f for index in INDEXES.get(name, ()) for f in index))
        assert not set(self.fields) & set(KEY_COLUMNS), f"{name}: a queried field is named like a column"
        names = "".join(f', "{f}"' for f in self.fields)
        marks = ", ?" * len(self.fields)
        self.insert = f'INSERT INTO "{name}" (pk, id, body, etag{names}) VALUES (?, ?, ?, ?{marks})'
        self.update = (f'UPDATE "{name}" SET body = ?, etag = ?' + "".join(f', "{f}" = ?' for f in self.fields)
                       + " WHERE pk = ? AND id = ? AND etag = ?")
        self.upsert = (self.insert + " ON CONFLICT (pk, id) DO UPDATE SET body = excluded.body, etag = excluded.etag"
                       + "".join(f', "{f}" = excluded."{f}"' for f in self.fields))

    def values(self, body: Mapping[str, Any]) -> tuple[Any, ...]:
        """The columns' values for `body`, in the order of the SQL above."""
        return tuple([v if type(v) in _AS_IS else column_value(v) for v in map(body.get, self.fields)])

    def expression(self, field: str) -> str:
        """json_extract's answer for `field`: its column where it has one."""
        return f'"{field}"' if field in self.fields else json_value(field)

    def create(self, db: sqlite3.Connection) -> None:
        earlier = self._set_aside_clustered(db)
        # A rowid table: a row goes in after the last one (its rowid), and the unique index finds it by key.
        db.execute(f'CREATE TABLE IF NOT EXISTS "{self.name}" (pk TEXT NOT NULL, id TEXT NOT NULL, '
                   "body TEXT NOT NULL, etag TEXT NOT NULL, " + "".join(f'"{f}", ' for f in self.fields)
                   + "UNIQUE (pk, id))")
        if earlier is not None:
            db.execute(f'INSERT INTO "{self.name}" (pk, id, body, etag) SELECT pk, id, body, etag FROM "{earlier}"')
            db.execute(f'DROP TABLE "{earlier}"')  # and its indexes
            self.fill(db)
        self._migrate(db)
        # Without these, every sweep reads every job ever stored (finished ones are kept).
        for index in INDEXES.get(self.name, ()):
            present = " AND ".join(f'"{f}" IS NOT NULL' for f in index if f in SPARSE.get(self.name, ()))
            db.execute(f'CREATE INDEX IF NOT EXISTS "{self._index_name(index)}" ON "{self.name}" ('
                       + ", ".join(f'"{f}"' for f in index) + ")" + (f" WHERE {present}" if present else ""))

    def _index_name(self, index: tuple[str, ...]) -> str:
        """A partial index is named apart from the full one an earlier version made (dropped when opened)."""
        partial = any(f in SPARSE.get(self.name, ()) for f in index)
        return f'{self.name}__{"__".join(index)}__{"present" if partial else "columns"}'

    def _set_aside_clustered(self, db: sqlite3.Connection) -> str | None:
        """A table of the earlier layout (WITHOUT ROWID, clustered by key) renamed out of the way, for its rows to
        be copied into the new one: the name it has now; None if there is none."""
        clustered = db.execute("SELECT wr FROM pragma_table_list(?)", (self.name,)).fetchone()
        if not clustered or not clustered[0]:
            return None
        log.info("SQLite: the %s table is rebuilt as a rowid table (once; its rows are copied)", self.name)
        earlier = f"{self.name}__clustered"
        db.execute(f'ALTER TABLE "{self.name}" RENAME TO "{earlier}"')
        return earlier

    def _migrate(self, db: sqlite3.Connection) -> None:
        """A table of an earlier version: its missing columns added and filled from the bodies, its
        json_extract indexes (named as the column indexes are, without "__columns") dropped, and its full
        indexes on sparse fields (named "__columns") that are partial now."""
        have = {row[1] for row in db.execute(f'PRAGMA table_info("{self.name}")')}
        missing = [f for f in self.fields if f not in have]
        for field in missing:
            db.execute(f'ALTER TABLE "{self.name}" ADD COLUMN "{field}"')
        self.fill(db, missing)
        for index in INDEXES.get(self.name, ()):
            earlier = f'{self.name}__{"__".join(index)}'
            for name in {earlier, earlier + "__columns"} - {self._index_name(index)}:
                db.execute(f'DROP INDEX IF EXISTS "{name}"')


    def fill(self, db: sqlite3.Connection, fields: Iterable[str] | None = None) -> None:
        """Columns (all of them: None) written from the bodies already in the table, as json_extract reads them:
        for rows written without them (a file of an earlier version, rows put in by other means)."""
        fields = list(self.fields if fields is None else fields)
        if fields:
            db.execute(f'UPDATE "{self.name}" SET ' + ", ".join(f'"{f}" = {json_value(f)}' for f in fields))


def create_tables(db: sqlite3.Connection, tables: Iterable[Table]) -> None:
    """Every table created or migrated, in one transaction: one process at a time does it."""
    db.execute("BEGIN IMMEDIATE")
    for table in tables:
        table.create(db)
    db.execute("COMMIT")
