"""Cosmos DB's composite indexes (adapters/storage/cosmos_indexes.py): the job sweep's query is one Cosmos DB
serves from an index, whatever the number of finished jobs; containers made without them still answer."""
from __future__ import annotations

import logging
import uuid

from azure.cosmos import PartitionKey
from azure.cosmos.aio import CosmosClient

from adapters.storage.cosmos import CosmosStorage
from adapters.storage.cosmos_indexes import composites, order_fields, present
from core.storage import JOBS
from tests.cosmos_server import KEY

PENDING = "pending"

DUE = {"equals": {"status": PENDING}, "at_most": ("due_at", 100), "order_by": "due_at"}


def test_the_equality_fields_are_ordered_by_first_when_a_composite_index_has_them():
    available = {("status", "due_at"), ("status", "lease_owner")}
    assert order_fields(["status"], "due_at", available) == ("status", "due_at")
    assert order_fields([], "due_at", available) == ("due_at",)
    assert order_fields(["status", "lease_owner"], "created_at", available) == ("created_at",)
    assert order_fields(["status"], "due_at", set()) == ("due_at",)


def _sent(storage: CosmosStorage, container: str) -> list[str]:
    """The SQL of each query the storage sends to `container` from now on."""
    proxy, sent = storage._proxies[container], []
    original = proxy.query_items

    def query_items(query, **kwargs):
        sent.append(query)
        return original(query=query, **kwargs)

    proxy.query_items = query_items
    return sent


async def _jobs(storage: CosmosStorage) -> None:
    for i, (status, due) in enumerate([(PENDING, 30), ("done", 5), (PENDING, 10), ("done", 1), (PENDING, 200)]):
        await storage.create(JOBS, f"g{i}", f"j{i}", {"status": status, "due_at": due})


async def test_a_container_the_app_makes_has_the_composite_indexes_and_the_sweep_uses_them(cosmos_endpoint):
    database = f"test-{uuid.uuid4().hex}"
    storage = CosmosStorage(cosmos_endpoint, KEY, database)
    await storage.open()
    try:
        async with CosmosClient(cosmos_endpoint, credential=KEY) as client:
            properties = await client.get_database_client(database).get_container_client(JOBS).read()
        assert set(composites(JOBS)) <= present(properties)
        await _jobs(storage)
        sent = _sent(storage, JOBS)
        due = await storage.query(JOBS, **DUE)
        # the local server, as Cosmos DB, refuses an ORDER BY of two fields without their composite index
        assert "ORDER BY c.status, c.due_at" in sent[0]
        assert [i.id for i in due] == ["j2", "j0"]
        # An instance restarted takes back its own jobs oldest first: from an index too, not every job's created_at.
        for i, at in enumerate((30, 10, 20)):
            await storage.create(JOBS, f"o{i}", f"o{i}", {"status": "leased", "lease_owner": "me", "created_at": at})
        mine = await storage.query(JOBS, equals={"status": "leased", "lease_owner": "me"}, order_by="created_at")
        assert "ORDER BY c.status, c.lease_owner, c.created_at" in sent[1]
        assert [i.id for i in mine] == ["o1", "o2", "o0"]
    finally:
        await storage.close()


async def test_a_container_made_without_them_still_answers_ordered_and_a_warning_says_so(cosmos_endpoint, caplog):
    database = f"test-{uuid.uuid4().hex}"
    async with CosmosClient(cosmos_endpoint, credential=KEY) as client:  # as an older version made it
        db = await client.create_database_if_not_exists(database)
        await db.create_container_if_not_exists(id=JOBS, partition_key=PartitionKey(path="/pk"))
    storage = CosmosStorage(cosmos_endpoint, KEY, database)
    with caplog.at_level(logging.WARNING, logger="adapters.storage.cosmos"):
        await storage.open()
    try:
        assert "no composite index on (status, due_at)" in caplog.text
        await _jobs(storage)
        sent = _sent(storage, JOBS)
        assert [i.id for i in await storage.query(JOBS, **DUE)] == ["j2", "j0"]
        assert "ORDER BY c.due_at" in sent[0]
    finally:
        await storage.close()
