"""Composite indexes on Cosmos DB: the fields core/storage.py INDEXES queries together.

Cosmos DB indexes every path on its own by default. A query that filters on one field and orders by
another (the job sweep: status = 'pending' AND due_at <= now ORDER BY due_at) is then served by walking the
ORDER BY field's index and testing the filter on each item it meets: every finished job ever stored, as their
due_at stays in the past, so the sweep's cost grows with the history. With a composite index (status,
due_at) and the equality field named in the ORDER BY as well (ORDER BY c.status, c.due_at: the same order,
the status being one value), Cosmos DB seeks straight to the due pending jobs. A multi-field ORDER BY
without its composite index is refused, so one is only used where the container has it.
"""
from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping

from core.storage import INDEXES

Composite = tuple[str, ...]  # field names, all ascending


def composites(container: str) -> list[Composite]:
    """The composite indexes the container should have: INDEXES' entries of two fields or more."""
    return [fields for fields in INDEXES.get(container, ()) if len(fields) > 1]


def indexing_policy(container: str) -> dict[str, Any] | None:
    """Cosmos DB's default policy plus the container's composite indexes; None: the default will do."""
    wanted = composites(container)
    if not wanted:
        return None
    return {"indexingMode": "consistent", "automatic": True, "includedPaths": [{"path": "/*"}],
            "excludedPaths": [{"path": '/"_etag"/?'}],
            "compositeIndexes": [[{"path": f"/{f}", "order": "ascending"} for f in fields] for fields in wanted]}


def present(properties: Mapping[str, Any]) -> frozenset[Composite]:
    """The all-ascending composite indexes of a container, from its properties as Cosmos DB returns them."""
    found = set()
    for index in (properties.get("indexingPolicy") or {}).get("compositeIndexes") or ():
        if all(path.get("order", "ascending") == "ascending" for path in index):
            found.add(tuple(path["path"].lstrip("/") for path in index))
    return frozenset(found)


def order_fields(equals: Iterable[str], order_by: str, available: Collection[Composite]) -> Composite:
    """What to ORDER BY: the equality fields, then `order_by`, when a composite index has exactly those
    (the order is the same: the equality fields are constant); else `order_by` alone."""
    equal = set(equals)
    for index in available:
        if equal and index[-1] == order_by and set(index[:-1]) == equal and len(index) == len(equal) + 1:
            return index
    return (order_by,)
