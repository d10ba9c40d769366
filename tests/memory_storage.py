"""An in-memory Storage for tests: the protocol's ETag and Conflict rules, nothing persisted.

Each call yields to the event loop once, as a real backend's I/O would, so concurrent tasks
interleave at storage calls and races show up in tests.
"""
from __future__ import annotations

import asyncio
import copy
import itertools
from typing import Any, Mapping, Sequence

from adapters.storage.query import Query, QueryByFilters
from core.storage import CONTAINERS, Conflict, Item, NonceRecord, NotFound, PreconditionFailed, create_job_in_order


class MemoryStorage(QueryByFilters):
    def __init__(self, containers: Sequence[str] = CONTAINERS) -> None:
        self._data: dict[str, dict[tuple[str, str], Item]] = {c: {} for c in containers}
        self._etags = itertools.count(1)
        self.calls: list[tuple[str, str]] = []  # (operation, container): lets tests count reads

    async def open(self) -> None:
        await asyncio.sleep(0)

    async def close(self) -> None:
        await asyncio.sleep(0)

    def _container(self, name: str) -> dict[tuple[str, str], Item]:
        if name not in self._data:
            raise KeyError(f"no container {name!r}")
        return self._data[name]

    def _item(self, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        # A deep copy, like a round trip through a database: callers cannot alias stored bodies.
        return Item(id=id, pk=pk, body=copy.deepcopy(dict(body)), etag=f'"{next(self._etags)}"')

    async def _enter(self, op: str, container: str) -> dict[tuple[str, str], Item]:
        await asyncio.sleep(0)
        self.calls.append((op, container))
        return self._container(container)

    async def get(self, container: str, pk: str, id: str) -> Item | None:
        item = (await self._enter("get", container)).get((pk, id))
        return copy.deepcopy(item)

    async def create(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        items = await self._enter("create", container)
        if (pk, id) in items:
            raise Conflict(f"{container}/{pk}/{id} exists")
        items[(pk, id)] = item = self._item(pk, id, body)
        return copy.deepcopy(item)

    async def create_job(self, pk: str, id: str, body: Mapping[str, Any],
                         nonce: NonceRecord | None = None) -> tuple[str, str]:
        return await create_job_in_order(self, pk, id, body, nonce)

    async def _count(self, container: str, query: Query) -> int:
        return len(await self._select(container, query))

    async def replace(self, container: str, pk: str, id: str, body: Mapping[str, Any], etag: str) -> Item:
        items = await self._enter("replace", container)
        current = items.get((pk, id))
        if current is None:
            raise NotFound(f"{container}/{pk}/{id}")
        if current.etag != etag:
            raise PreconditionFailed(f"{container}/{pk}/{id} changed")
        items[(pk, id)] = item = self._item(pk, id, body)
        return copy.deepcopy(item)

    async def upsert(self, container: str, pk: str, id: str, body: Mapping[str, Any]) -> Item:
        items = await self._enter("upsert", container)
        items[(pk, id)] = item = self._item(pk, id, body)
        return copy.deepcopy(item)

    async def delete(self, container: str, pk: str, id: str, etag: str | None = None) -> None:
        items = await self._enter("delete", container)
        current = items.get((pk, id))
        if current is None:
            raise NotFound(f"{container}/{pk}/{id}")
        if etag is not None and current.etag != etag:
            raise PreconditionFailed(f"{container}/{pk}/{id} changed")
        del items[(pk, id)]

    async def _select(self, container: str, query: Query) -> Sequence[Item]:
        items = list((await self._enter("query", container)).values())
        if query.pk is not None:
            items = [i for i in items if i.pk == query.pk]
        for key, value in query.equals.items():
            items = [i for i in items if key in i.body and i.body[key] == value]
        if query.at_most is not None:
            key, bound = query.at_most
            items = [i for i in items if isinstance(i.body.get(key), (int, float)) and i.body[key] <= bound]
        if (order_by := query.order_by) is not None:
            items.sort(key=lambda i: (i.body.get(order_by) is None, i.body.get(order_by)))
        if query.limit is not None:
            items = items[:query.limit]
        return [copy.deepcopy(i) for i in items]
