"""The storage protocol every backend implements (SQLite, Cosmos DB).

A document store: containers of JSON documents addressed by (partition key, id),
each carrying an opaque ETag that changes on every write. Read-modify-write goes
through `replace(..., etag=...)`, which refuses a stale ETag instead of overwriting.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence


class StorageError(Exception):
    """Base class of storage failures."""


class Conflict(StorageError):
    """`create` found an item with that id already; `key` (container, pk, id) says which, where
    `create_many` raised it."""

    def __init__(self, message: str = "", key: tuple[str, str, str] | None = None) -> None:
        super().__init__(message)
        self.key = key


class PreconditionFailed(StorageError):
    """The ETag given no longer matches: somebody else wrote first."""


class NotFound(StorageError):
    """`replace` / `delete` of an item that does not exist."""


@dataclass(frozen=True)
class Item:
    id: str
    pk: str
    body: dict[str, Any]
    etag: str

    def __init__(self, id: str, pk: str, body: dict[str, Any], etag: str) -> None:
        vars(self).update(id=id, pk=pk, body=body, etag=etag)  # see New


@dataclass(frozen=True)
class New:
    """An item for `Storage.create_many` to create."""

    container: str
    pk: str
    id: str
    body: Mapping[str, Any]

    def __init__(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> None:
        # The fields in one call: a frozen dataclass's own __init__ sets each through object.__setattr__, and an
        # acknowledgement makes two New, two Item and a Job (7 k instructions each, 4 k this way).
        vars(self).update(container=container, pk=pk, id=id, body=body)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.container, self.pk, self.id


class Storage(Protocol):
    async def open(self) -> None:
        """Create whatever is missing (tables, containers). Idempotent."""

    async def close(self) -> None: ...

    async def get(self, container: str, pk: str, id: str) -> Item | None: ...

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        """Insert; raises Conflict if (pk, id) exists."""

    async def create_many(self, items: Sequence[New]) -> list[Item]:
        """Create each in order, stopping at the first that exists: Conflict, its `key` naming that one;
        those before it stay created. One request where the backend can (SQLite: one transaction);
        `create_in_order` otherwise."""

    async def replace(
        self, container: str, pk: str, id: str, body: Mapping[str, Any], etag: str
    ) -> Item:
        """Overwrite only if the stored ETag equals `etag`; else PreconditionFailed (NotFound if absent)."""

    async def upsert(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item: ...

    async def delete(self, container: str, pk: str, id: str, etag: str | None = None) -> None:
        """Delete; NotFound if absent, PreconditionFailed if `etag` is given and stale."""

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
        """Items whose top-level fields equal `equals` and whose `at_most[0]` field is <= `at_most[1]`,
        optionally within one partition, ascending by `order_by`, at most `limit` of them."""

    async def count(
        self,
        container: str,
        *,
        pk: str | None = None,
        equals: Mapping[str, Any] | None = None,
        at_most: tuple[str, float] | None = None,
    ) -> int:
        """How many items `query` with the same filters would return, without reading them."""


async def create_in_order(storage: Storage, items: Sequence[New]) -> list[Item]:
    """`Storage.create_many` as one `create` after the other (a backend that cannot do it in one request)."""
    created = []
    for item in items:
        try:
            created.append(await storage.create(item.container, item.pk, item.id, item.body))
        except Conflict as exc:
            raise Conflict(str(exc), item.key) from exc
    return created


# When the last write the current task awaited was durable (time.perf_counter()), where the backend can
# tell (SQLite: its commit, before the loop gets the answer back); unset elsewhere. For measuring the
# window in which a crash could repeat an effect (services/jobs.py), not for deciding anything.
DURABLE_AT: ContextVar[float | None] = ContextVar("durable_at", default=None)

# The containers the product uses, named here only; every backend creates all of them on open().
JOBS, THREADS, CONVERSATIONS, NONCES, KV, RECORDS = "jobs", "threads", "conversations", "nonces", "kv", "records"
CONTAINERS: tuple[str, ...] = (JOBS, THREADS, CONVERSATIONS, NONCES, KV, RECORDS)

# The fields queried together, per container: backends that index on demand (SQLite) create these;
# Cosmos DB indexes every path by default.
INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    JOBS: (("status", "due_at"), ("status", "lease_until"), ("status", "lease_owner", "created_at"),
           ("status", "waiting_for")),
    THREADS: (("teams_conversation_id", "status"), ("next_due_at",), ("target",)),
    NONCES: (("expires_at",),),
    RECORDS: (("at",),),
}
