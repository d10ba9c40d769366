"""The storage protocol every backend implements (SQLite, Cosmos DB).

A document store: containers of JSON documents addressed by (partition key, id),
each carrying an opaque ETag that changes on every write. Read-modify-write goes
through `replace(..., etag=...)`, which refuses a stale ETag instead of overwriting.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Protocol, Sequence


class StorageError(Exception):
    """Base class of storage failures."""


class Conflict(StorageError):
    """`create` found an item with that id already."""


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
        # The fields in one call: a frozen dataclass's own __init__ sets each through object.__setattr__ (an Item
        # 7 k instructions that way, 4 k this one).
        vars(self).update(id=id, pk=pk, body=body, etag=etag)


class NonceRecord(NamedTuple):
    """A plaintext push's (timestamp, nonce) pair, kept with its body's digest: stored in NONCES as the document
    (pk = id = key, {"digest": digest, "expires_at": expires_at})."""

    key: str
    digest: str
    expires_at: float

    def body(self) -> dict[str, Any]:
        return {"digest": self.digest, "expires_at": self.expires_at}


# What `Storage.create_job` answers: the job created; a job with that id there already (WeChat retrying a push);
# the nonce seen with another body (a replay: nothing created).
CREATED, EXISTS, REPLAYED = "created", "exists", "replayed"


class Storage(Protocol):
    async def open(self) -> None:
        """Create whatever is missing (tables, containers). Idempotent."""

    async def close(self) -> None: ...

    async def get(self, container: str, pk: str, id: str) -> Item | None: ...

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        """Insert; raises Conflict if (pk, id) exists."""

    async def create_job(self, pk: str, id: str, body: Mapping[str, Any],
                         nonce: NonceRecord | None = None) -> tuple[str, str]:
        """A job (JOBS, pk, id, body) created, its nonce record first in the same write where one is given:
        (CREATED, the job's ETag), or (EXISTS, "") where the job's id is there, or (REPLAYED, "") where the
        nonce's key is there with another digest (nothing created). The nonce's key there with this digest is
        WeChat retrying, no replay; a nonce record created stays so whatever the job's answer. The documents
        are those `create` would store; nothing is read back. One request where the backend can (SQLite: one
        call in the batch's transaction); `create_job_in_order` otherwise."""

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


async def create_job_in_order(storage: Storage, pk: str, id: str, body: Mapping[str, Any],
                              nonce: NonceRecord | None = None) -> tuple[str, str]:
    """`Storage.create_job` as a `create` of each document (a backend that cannot do both in one request)."""
    if nonce is not None:
        try:
            await storage.create(NONCES, nonce.key, nonce.key, nonce.body())
        except Conflict:
            seen = await storage.get(NONCES, nonce.key, nonce.key)
            if seen is None or seen.body.get("digest") != nonce.digest:
                return REPLAYED, ""
    try:
        return CREATED, (await storage.create(JOBS, pk, id, body)).etag
    except Conflict:
        return EXISTS, ""


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
