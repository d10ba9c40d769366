"""`Storage.query` and `Storage.count` once for every backend: their filters checked alike, then handed on
as one `Query`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from core.storage import Item

from ._common import check_limit, check_partition_key


@dataclass(frozen=True)
class Query:
    """The filters of one `Storage.query` call (see core/storage.py); `limit` and `pk` already checked."""

    pk: str | None
    equals: Mapping[str, Any]
    at_most: tuple[str, float] | None
    order_by: str | None
    limit: int | None


class QueryByFilters:
    """Gives a backend `Storage.query` and `Storage.count`; the backend answers one `Query` in `_select` and
    `_count`."""

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
        if pk is not None:
            check_partition_key(pk)
        return await self._select(container, Query(pk, equals or {}, at_most, order_by, check_limit(limit)))

    async def count(
        self,
        container: str,
        *,
        pk: str | None = None,
        equals: Mapping[str, Any] | None = None,
        at_most: tuple[str, float] | None = None,
    ) -> int:
        if pk is not None:
            check_partition_key(pk)
        return await self._count(container, Query(pk, equals or {}, at_most, None, None))

    async def _select(self, container: str, query: Query) -> Sequence[Item]:
        raise NotImplementedError

    async def _count(self, container: str, query: Query) -> int:
        raise NotImplementedError
