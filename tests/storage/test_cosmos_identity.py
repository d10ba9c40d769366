"""Cosmos DB signed in with a Microsoft Entra identity (COSMOS_AUTH=identity) instead of the account key,
against the local Cosmos server: the SDK's token path runs (the credential is asked for Cosmos DB's scope and
its bearer token goes out as `type=aad` authorization), and the storage contract's operations work.

How far this goes: @vercel/cosmosdb-server does not check authorization at all (it takes any key), so what is
shown is our side: the token is fetched, sent, refreshed by the SDK, and the storage works with it; that Azure
accepts the token for the identity's data-plane role is infra/'s role assignment, tested there as text."""
from __future__ import annotations

import time
import uuid

import pytest
from azure.core.credentials import AccessToken

from azure.cosmos.aio import CosmosClient

from adapters.storage.cosmos import CosmosStorage
from core.storage import KV, Conflict
from tests.cosmos_server import KEY


class StaticToken:
    """An AsyncTokenCredential that hands out one token and notes what it was asked."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []
        self.closed = False

    async def get_token(self, *scopes: str, **kwargs) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken("header.payload.signature", int(time.time()) + 3600)

    async def get_token_info(self, *scopes: str, options=None):
        from azure.core.credentials import AccessTokenInfo

        self.scopes.append(scopes)
        return AccessTokenInfo("header.payload.signature", int(time.time()) + 3600)

    async def close(self) -> None:
        self.closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


async def test_an_identity_signs_in_and_the_storage_works(cosmos_endpoint):
    database = f"test-{uuid.uuid4().hex}"
    made = CosmosStorage(cosmos_endpoint, KEY, database)  # what infra/main.bicep does: the containers exist
    await made.open()
    await made.close()

    token = StaticToken()
    storage = CosmosStorage(cosmos_endpoint, "", database, credential=token)
    await storage.open()
    try:
        item = await storage.create(KV, "k", "k", {"n": 1})
        assert (await storage.get(KV, "k", "k")).body == {"n": 1}
        await storage.replace(KV, "k", "k", {"n": 2}, item.etag)
        with pytest.raises(Conflict):
            await storage.create(KV, "k", "k", {"n": 3})
        assert [i.body for i in await storage.query(KV, pk="k")] == [{"n": 2}]
    finally:
        await storage.close()
    assert token.scopes and all(scope[0].endswith("/.default") for scope in token.scopes)
    assert token.closed  # the storage owns the credential


async def test_with_an_identity_a_missing_container_is_a_clear_error_not_a_creation(cosmos_endpoint):
    storage = CosmosStorage(cosmos_endpoint, "", f"test-{uuid.uuid4().hex}", credential=StaticToken())
    with pytest.raises(RuntimeError, match="COSMOS_AUTH=identity"):
        await storage.open()
    async with CosmosClient(cosmos_endpoint, credential=KEY) as client:  # nothing was created meanwhile
        assert storage.database not in [db["id"] async for db in client.list_databases()]
