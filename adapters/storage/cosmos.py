"""The storage protocol on Azure Cosmos DB for NoSQL (azure-cosmos, async client).

One Cosmos container per storage container, partitioned on `/pk`. A stored document is the body
plus `id` and `pk`; Cosmos adds `_etag`, `_ts`, `_rid`, ... which never reach `Item.body`.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Sequence, cast

from azure.core import MatchConditions
from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient, DatabaseProxy
from azure.cosmos.exceptions import CosmosHttpResponseError, CosmosResourceExistsError

from core.storage import CONTAINERS, Conflict, Item, NonceRecord, NotFound, PreconditionFailed, create_job_in_order

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

from ._common import (
    check_at_most,
    check_container,
    check_equals_value,
    check_identifier,
    check_key,
    stored_body,
)
from .cosmos_indexes import Composite, composites, indexing_policy, order_fields, present
from .query import Query, QueryByFilters

log = logging.getLogger(__name__)

# Cosmos SQL keywords; as property names they only parse in bracket notation (c["value"]).
_KEYWORDS = frozenset(
    """and array as asc between by case cast convert cross desc distinct else end escape exists false
    for from group having in inner insert into is join left like limit not null offset on or order
    outer over right select set then top true udf undefined update value when where with""".split()
)


def _prop(field: str) -> str:
    check_identifier(field)
    return f'c["{field}"]' if field.lower() in _KEYWORDS else f"c.{field}"


def _item(doc: Mapping[str, Any]) -> Item:
    body = {k: v for k, v in doc.items() if k not in ("id", "pk") and not k.startswith("_")}
    return Item(doc["id"], doc["pk"], body, doc["_etag"])


def _translate(exc: CosmosHttpResponseError, what: str) -> Exception:
    if exc.status_code == 409:
        return Conflict(f"{what} already exists")
    if exc.status_code == 412:
        return PreconditionFailed(f"{what} was changed by someone else (stale etag)")
    if exc.status_code == 404:
        return NotFound(f"{what} does not exist")
    return exc


class CosmosStorage(QueryByFilters):
    def __init__(
        self,
        endpoint: str,
        key: str,
        database: str,
        containers: Sequence[str] = CONTAINERS,
        *,
        connection_verify: bool | None = None,
        credential: AsyncTokenCredential | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._key = str(key)
        # A Microsoft Entra identity instead of the key (owned: closed with the storage). Its data-plane role
        # reads and writes items but cannot create a database or a container: they must exist (infra/ makes them).
        self._credential = credential
        self.database = database
        self.containers = frozenset(check_identifier(c, "container") for c in containers)
        # None: the SDK's default, which verifies TLS except for localhost / 127.0.0.1 (azure-cosmos
        # 4.17.1 never verifies those, whatever is passed: emulators have self-signed certificates).
        # False turns verification off for any host, e.g. an emulator reached by another name.
        self.connection_verify = connection_verify
        self._client: CosmosClient | None = None
        self._proxies: dict[str, ContainerProxy] = {}
        self._composites: dict[str, frozenset[Composite]] = {}  # what each container has (cosmos_indexes.py)
        self._open_lock = asyncio.Lock()

    def __repr__(self) -> str:  # never show the key
        return f"CosmosStorage({self.endpoint!r}, database={self.database!r})"

    async def open(self) -> None:
        async with self._open_lock:
            if self._client is not None:
                return
            kwargs: dict[str, Any] = {}
            if self.connection_verify is not None:
                kwargs["connection_verify"] = self.connection_verify
            client = CosmosClient(self.endpoint, credential=self._credential or self._key, **kwargs)
            try:
                await client.__aenter__()  # reads the account (regions) once, up front
                if self._credential is None:
                    db = await _ensure_database(client, self.database)
                    proxies = {name: await _ensure_container(db, name) for name in sorted(self.containers)}
                else:
                    proxies = await _existing_containers(client, self.database, sorted(self.containers))
                indexed = {name: await _composite_indexes(name, proxy) for name, proxy in proxies.items()
                           if composites(name)}
            except BaseException:
                await client.close()
                raise
            self._client, self._proxies, self._composites = client, proxies, indexed

    async def close(self) -> None:
        async with self._open_lock:
            client, self._client, self._proxies = self._client, None, {}
            if client is not None:
                await client.close()
            if self._credential is not None:
                await self._credential.close()

    def _container(self, container: str) -> ContainerProxy:
        check_container(container, self.containers)
        if self._client is None:
            raise RuntimeError("CosmosStorage is not open; await open() first")
        return self._proxies[container]

    @staticmethod
    def _document(pk: str, id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        # Round-trip through the shared encoder: the same checks and the same JSON normalisation
        # (tuples become lists, ...) as SQLite.
        return {**stored_body(body)[1], "id": id, "pk": pk}

    async def get(self, container: str, pk: str, id: str) -> Item | None:
        proxy = self._container(container)
        check_key(pk, id)
        try:
            return _item(await proxy.read_item(item=id, partition_key=pk))
        except CosmosHttpResponseError as exc:
            if exc.status_code == 404:
                return None
            raise

    async def _write(self, container: str, pk: str, id: str, body: Mapping[str, Any],
                     send: Callable[[ContainerProxy, dict[str, Any]], Awaitable[dict[str, Any]]]) -> Item:
        """What every write shares (checks, the document, error translation); `send` is the SDK call."""
        proxy = self._container(container)
        check_key(pk, id)
        doc = self._document(pk, id, body)
        try:
            return _item(await send(proxy, doc))
        except CosmosHttpResponseError as exc:
            raise _translate(exc, f"{container}/{pk}/{id}") from exc

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        return await self._write(container, pk, id, body, lambda proxy, doc: proxy.create_item(body=doc))

    async def create_job(self, pk: str, id: str, body: Mapping[str, Any],
                         nonce: NonceRecord | None = None) -> tuple[str, str]:
        # A transactional batch holds one partition of one container; a job and its nonce record are in two.
        return await create_job_in_order(self, pk, id, body, nonce)

    async def replace(
        self, container: str, pk: str, id: str, body: Mapping[str, Any], etag: str
    ) -> Item:
        return await self._write(container, pk, id, body, lambda proxy, doc: proxy.replace_item(
            item=id, body=doc, etag=etag, match_condition=MatchConditions.IfNotModified))

    async def upsert(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        return await self._write(container, pk, id, body, lambda proxy, doc: proxy.upsert_item(body=doc))

    async def delete(self, container: str, pk: str, id: str, etag: str | None = None) -> None:
        proxy = self._container(container)
        check_key(pk, id)
        kwargs: dict[str, Any] = {}
        if etag is not None:
            kwargs = {"etag": etag, "match_condition": MatchConditions.IfNotModified}
        try:
            await proxy.delete_item(item=id, partition_key=pk, **kwargs)
        except CosmosHttpResponseError as exc:
            raise _translate(exc, f"{container}/{pk}/{id}") from exc

    async def _select(self, container: str, query: Query) -> Sequence[Item]:
        if query.limit == 0:
            return []
        where, params = _where(query)
        order = ""
        if query.order_by is not None:
            fields = order_fields(query.equals, query.order_by, self._composites.get(container, ()))
            order = " ORDER BY " + ", ".join(_prop(f) for f in fields)
        top = f"TOP {query.limit} " if query.limit is not None else ""  # an int checked by QueryByFilters
        kwargs: dict[str, Any] = {"partition_key": query.pk} if query.pk is not None else {}
        return [_item(doc) async for doc in self._container(container).query_items(
            query=f"SELECT {top}* FROM c{where}{order}", parameters=params, **kwargs)]

    async def _count(self, container: str, query: Query) -> int:
        where, params = _where(query)
        kwargs: dict[str, Any] = {"partition_key": query.pk} if query.pk is not None else {}
        # Across partitions Cosmos DB may answer one count per partition range: their sum is the count.
        counts: list[Any] = [n async for n in self._container(container).query_items(
            query=f"SELECT VALUE COUNT(1) FROM c{where}", parameters=params, **kwargs)]
        return sum(int(n) for n in counts)


def _where(query: Query) -> tuple[str, list[dict[str, Any]]]:
    """The query's filters as Cosmos DB SQL (" WHERE …", or "") and their parameters."""
    where: list[str] = []
    params: list[dict[str, Any]] = []

    def bind(value: Any) -> str:
        name = f"@p{len(params)}"
        params.append({"name": name, "value": value})
        return name

    if query.pk is not None:
        # Also in the SQL, not only as the request's partition key: the local test server
        # refuses a partition-scoped query whose SQL does not name the partition key.
        where.append("c.pk = @pk")
        params.append({"name": "@pk", "value": query.pk})
    for field, value in query.equals.items():
        check_equals_value(field, value)
        where.append(f"{_prop(field)} = {bind(value)}")
    if query.at_most is not None:
        field, bound = check_at_most(query.at_most)
        where.append(f"{_prop(field)} <= {bind(bound)}")
    return (" WHERE " + " AND ".join(where) if where else ""), params


async def _ensure_database(client: CosmosClient, name: str) -> DatabaseProxy:
    try:
        return await client.create_database_if_not_exists(id=name)
    except CosmosResourceExistsError:  # another instance created it between the SDK's read and create
        return client.get_database_client(name)


async def _existing_containers(client: CosmosClient, database: str, names: list[str]) -> dict[str, ContainerProxy]:
    """The containers, each checked to be there (an identity may not create them): a clear error if one is not."""
    db = client.get_database_client(database)
    proxies = {}
    for name in names:
        proxy = db.get_container_client(name)
        try:
            await proxy.read()
        except CosmosHttpResponseError as exc:
            if exc.status_code == 404:
                raise RuntimeError(f"Cosmos DB container {database}/{name} does not exist: with COSMOS_AUTH=identity "
                                   "the database and its containers are made beforehand (infra/main.bicep)") from None
            raise
        proxies[name] = proxy
    return proxies


async def _ensure_container(db: DatabaseProxy, name: str) -> ContainerProxy:
    policy = indexing_policy(name)
    try:
        # None: the default policy (the SDK types it dict[str, str]; a policy is nested JSON)
        return await db.create_container_if_not_exists(id=name, partition_key=PartitionKey(path="/pk"),
                                                       indexing_policy=cast(Any, policy))
    except CosmosResourceExistsError:  # as above: lost a creation race, the container is there
        return db.get_container_client(name)


async def _composite_indexes(name: str, proxy: ContainerProxy) -> frozenset[Composite]:
    """The composite indexes the container has (one read at start); a warning for those it lacks (a container
    made before they were defined, or by an older infra/main.bicep): its queries still work, walking more."""
    found = present(await proxy.read())
    missing = [fields for fields in composites(name) if fields not in found]
    if missing:
        log.warning("Cosmos DB container %s has no composite index on %s: its sweeps read more items as it grows "
                    "(infra/main.bicep defines them; a container the app creates has them)", name,
                    ", ".join("(" + ", ".join(fields) + ")" for fields in missing))
    return found
