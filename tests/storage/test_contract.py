"""The storage contract (core/storage.py), run against every backend through the `storage` fixture."""
from __future__ import annotations

import asyncio

import pytest

from core.storage import CONTAINERS, Conflict, Item, NotFound, PreconditionFailed

C = "kv"
NESTED = {
    "name": "李雷 ✓ — \"quoted\" \\ back\nslash",
    "emoji": "😀",
    "n": 3,
    "x": 1.5,
    "neg": -7,
    "flag": True,
    "off": False,
    "nothing": None,
    "list": [1, "two", None, {"three": [3.0]}],
    "obj": {"a": {"b": {"c": "深い"}}, "empty": {}, "empty_list": []},
}


async def test_get_missing_is_none(storage):
    assert await storage.get(C, "p", "missing") is None


async def test_create_then_get_round_trips_unicode_and_nested_json(storage):
    created = await storage.create(C, "p", "a", NESTED)
    assert created == Item("a", "p", NESTED, created.etag)
    assert isinstance(created.etag, str) and created.etag
    got = await storage.get(C, "p", "a")
    assert got == created
    assert set(got.body) == set(NESTED)  # no id, pk or system keys


async def test_create_duplicate_is_conflict(storage):
    await storage.create(C, "p", "a", {"v": 1})
    with pytest.raises(Conflict):
        await storage.create(C, "p", "a", {"v": 2})
    assert (await storage.get(C, "p", "a")).body == {"v": 1}


async def test_same_id_in_different_partitions_are_distinct(storage):
    await storage.create(C, "p1", "a", {"v": 1})
    await storage.create(C, "p2", "a", {"v": 2})
    assert (await storage.get(C, "p1", "a")).body == {"v": 1}
    assert (await storage.get(C, "p2", "a")).body == {"v": 2}
    await storage.delete(C, "p1", "a")
    assert await storage.get(C, "p1", "a") is None
    assert (await storage.get(C, "p2", "a")).body == {"v": 2}


async def test_containers_are_separate(storage):
    await storage.create("jobs", "p", "a", {"v": "job"})
    assert await storage.get("threads", "p", "a") is None
    await storage.create("threads", "p", "a", {"v": "thread"})
    assert (await storage.get("jobs", "p", "a")).body == {"v": "job"}


async def test_replace_with_current_etag_succeeds_and_changes_the_etag(storage):
    first = await storage.create(C, "p", "a", {"v": 1})
    second = await storage.replace(C, "p", "a", {"v": 2, "new": "field"}, first.etag)
    assert second.body == {"v": 2, "new": "field"}
    assert second.etag != first.etag
    assert await storage.get(C, "p", "a") == second


async def test_replace_with_stale_etag_fails_and_keeps_the_stored_body(storage):
    first = await storage.create(C, "p", "a", {"v": 1})
    second = await storage.replace(C, "p", "a", {"v": 2}, first.etag)
    with pytest.raises(PreconditionFailed):
        await storage.replace(C, "p", "a", {"v": 3}, first.etag)
    assert await storage.get(C, "p", "a") == second


async def test_replace_missing_is_not_found(storage):
    with pytest.raises(NotFound):
        await storage.replace(C, "p", "missing", {"v": 1}, "some-etag")
    assert await storage.get(C, "p", "missing") is None


async def test_delete(storage):
    item = await storage.create(C, "p", "a", {"v": 1})
    await storage.delete(C, "p", "a", item.etag)
    assert await storage.get(C, "p", "a") is None
    await storage.create(C, "p", "b", {"v": 1})
    await storage.delete(C, "p", "b")  # without an etag: unconditional
    assert await storage.get(C, "p", "b") is None


async def test_delete_missing_is_not_found(storage):
    with pytest.raises(NotFound):
        await storage.delete(C, "p", "missing")
    with pytest.raises(NotFound):
        await storage.delete(C, "p", "missing", "some-etag")


async def test_delete_with_stale_etag_fails_and_keeps_the_item(storage):
    first = await storage.create(C, "p", "a", {"v": 1})
    second = await storage.replace(C, "p", "a", {"v": 2}, first.etag)
    with pytest.raises(PreconditionFailed):
        await storage.delete(C, "p", "a", first.etag)
    assert await storage.get(C, "p", "a") == second


async def test_upsert_creates_then_overwrites(storage):
    created = await storage.upsert(C, "p", "a", {"v": 1})
    assert await storage.get(C, "p", "a") == created
    overwritten = await storage.upsert(C, "p", "a", {"w": 2})
    assert overwritten.body == {"w": 2}  # a whole-document overwrite, not a merge
    assert overwritten.etag != created.etag
    assert await storage.get(C, "p", "a") == overwritten
    with pytest.raises(PreconditionFailed):
        await storage.replace(C, "p", "a", {"v": 3}, created.etag)


async def _jobs(storage):
    rows = [
        ("g1", "j1", {"status": "pending", "due_at": 30.0, "owner": "i1"}),
        ("g1", "j2", {"status": "pending", "due_at": 10.0, "owner": "i2"}),
        ("g2", "j3", {"status": "pending", "due_at": 20, "owner": "i1"}),
        ("g2", "j4", {"status": "done", "due_at": 5.0, "owner": "i1"}),
        ("g3", "j5", {"status": "pending", "due_at": 99.0, "owner": "i1"}),
        ("g3", "j6", {"status": "pending", "owner": "i1"}),  # no due_at: never "at most" anything
    ]
    for pk, id, body in rows:
        await storage.create("jobs", pk, id, body)


def _ids(items):
    return [i.id for i in items]


async def test_query_equals_at_most_order_by_limit(storage):
    await _jobs(storage)
    due = await storage.query("jobs", equals={"status": "pending"}, at_most=("due_at", 30), order_by="due_at")
    assert _ids(due) == ["j2", "j3", "j1"]
    assert due[0] == await storage.get("jobs", "g1", "j2")  # full items: pk, body and etag
    limited = await storage.query(
        "jobs", equals={"status": "pending"}, at_most=("due_at", 30.0), order_by="due_at", limit=2
    )
    assert _ids(limited) == ["j2", "j3"]
    both = await storage.query("jobs", equals={"status": "pending", "owner": "i1"}, at_most=("due_at", 100))
    assert sorted(_ids(both)) == ["j1", "j3", "j5"]
    assert _ids(await storage.query("jobs", at_most=("due_at", 5))) == ["j4"]
    assert await storage.query("jobs", equals={"status": "nope"}) == []
    assert len(await storage.query("jobs")) == 6
    assert await storage.query("jobs", limit=0) == []


async def test_query_within_one_partition(storage):
    await _jobs(storage)
    g1 = await storage.query("jobs", pk="g1", order_by="due_at")
    assert _ids(g1) == ["j2", "j1"]
    assert {i.pk for i in g1} == {"g1"}
    g2 = await storage.query("jobs", pk="g2", equals={"status": "pending"}, at_most=("due_at", 50), limit=5)
    assert _ids(g2) == ["j3"]
    assert await storage.query("jobs", pk="nobody") == []


async def test_query_equals_compares_json_types(storage):
    for id, value in [("t", True), ("one", 1), ("onef", 1.0), ("s1", "1"), ("null", None), ("f", False)]:
        await storage.create(C, "p", id, {"v": value})
    await storage.create(C, "p", "absent", {})

    async def ids(value):
        return sorted(_ids(await storage.query(C, equals={"v": value})))

    assert await ids(True) == ["t"]
    assert await ids(False) == ["f"]
    assert await ids(1) == ["one", "onef"]
    assert await ids("1") == ["s1"]
    assert await ids(None) == ["null"]  # an explicit null only, not a missing field


@pytest.mark.parametrize(
    "kwargs",
    [
        {"equals": {"status = 1 OR 1": "x"}},
        {"equals": {"a.b": "x"}},
        {"equals": {"'); DROP TABLE kv; --": 1}},
        {"at_most": ("due_at') OR 1=1 --", 1)},
        {"order_by": "due_at DESC"},
        {"order_by": "$.x"},
        {"equals": {"v": {"nested": 1}}},
        {"at_most": ("due_at", "soon")},
        {"limit": -1},
    ],
)
async def test_query_refuses_unsafe_field_names_and_odd_values(storage, kwargs):
    with pytest.raises(ValueError):
        await storage.query("jobs", **kwargs)


async def test_query_reads_fields_named_like_sql_keywords(storage):
    await storage.create(C, "p", "a", {"value": 1, "order": 2, "select": "x"})
    await storage.create(C, "p", "b", {"value": 2, "order": 1, "select": "y"})
    found = await storage.query(C, equals={"select": "x"}, at_most=("value", 1), order_by="order")
    assert _ids(found) == ["a"]
    assert _ids(await storage.query(C, order_by="order")) == ["b", "a"]


@pytest.mark.parametrize("key", ["id", "pk", "_etag", "_ts", "_anything"])
async def test_reserved_body_keys_are_refused(storage, key):
    body = {"v": 1, key: "x"}
    with pytest.raises(ValueError):
        await storage.create(C, "p", "a", body)
    with pytest.raises(ValueError):
        await storage.upsert(C, "p", "a", body)
    item = await storage.create(C, "p", "a", {"v": 1})
    with pytest.raises(ValueError):
        await storage.replace(C, "p", "a", body, item.etag)
    assert await storage.get(C, "p", "a") == item


@pytest.mark.parametrize("pk, id", [("p", "a/b"), ("p", "a?b"), ("p", "a#b"), ("p", "a\\b"), ("p", ""), ("", "a")])
async def test_keys_cosmos_cannot_address_are_refused(storage, pk, id):
    with pytest.raises(ValueError):
        await storage.create(C, pk, id, {"v": 1})


async def test_unknown_container_is_refused(storage):
    with pytest.raises(ValueError):
        await storage.get("nope", "p", "a")


async def test_non_json_values_are_refused(storage):
    with pytest.raises(ValueError):
        await storage.create(C, "p", "a", {"v": float("nan")})
    with pytest.raises(TypeError):
        await storage.create(C, "p", "a", {"v": object()})
    assert await storage.get(C, "p", "a") is None


async def test_open_is_idempotent(storage):
    await storage.open()
    await storage.open()
    item = await storage.create(C, "p", "a", {"v": 1})
    assert await storage.get(C, "p", "a") == item
    for container in CONTAINERS:
        assert await storage.get(container, "p", "missing") is None


async def test_data_survives_close_and_reopen(make_storage):
    first = make_storage()
    await first.open()
    item = await first.create("threads", "p", "a", NESTED)
    await first.close()

    second = make_storage()
    await second.open()  # open() of an existing database keeps its data
    try:
        assert await second.get("threads", "p", "a") == item
        await second.replace("threads", "p", "a", {"v": 2}, item.etag)
    finally:
        await second.close()
    await first.open()  # the same object can be opened again after close()
    try:
        assert (await first.get("threads", "p", "a")).body == {"v": 2}
    finally:
        await first.close()


async def test_concurrent_read_modify_write_loses_no_update(storage):
    n = 20
    await storage.create(C, "p", "counter", {"count": 0})
    conflicts = 0

    async def increment():
        nonlocal conflicts
        while True:
            item = await storage.get(C, "p", "counter")
            try:
                await storage.replace(C, "p", "counter", {"count": item.body["count"] + 1}, item.etag)
                return
            except PreconditionFailed:
                conflicts += 1  # somebody else wrote first: read again and retry

    await asyncio.gather(*(increment() for _ in range(n)))
    assert (await storage.get(C, "p", "counter")).body == {"count": n}
    assert conflicts > 0  # the writers did collide, and no collision went unnoticed


async def test_two_writers_with_the_same_etag_exactly_one_wins(storage):
    item = await storage.create(C, "p", "a", {"v": 0})
    results = await asyncio.gather(
        storage.replace(C, "p", "a", {"v": 1}, item.etag),
        storage.replace(C, "p", "a", {"v": 2}, item.etag),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, Item)]
    losers = [r for r in results if isinstance(r, PreconditionFailed)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert await storage.get(C, "p", "a") == winners[0]


async def test_concurrent_creates_of_one_id_exactly_one_wins(storage):
    results = await asyncio.gather(
        *(storage.create(C, "p", "a", {"v": i}) for i in range(5)), return_exceptions=True
    )
    winners = [r for r in results if isinstance(r, Item)]
    assert len(winners) == 1
    assert all(isinstance(r, Conflict) for r in results if r is not winners[0]), results
    assert await storage.get(C, "p", "a") == winners[0]


async def test_count_answers_what_query_would_return_without_reading_it(storage):
    await _jobs(storage)
    for filters in ({}, {"equals": {"status": "pending"}}, {"equals": {"status": "pending"}, "at_most": ("due_at", 30)},
                    {"pk": "g1"}, {"pk": "g2", "equals": {"status": "pending"}, "at_most": ("due_at", 50)},
                    {"equals": {"status": "nope"}}):
        assert await storage.count("jobs", **filters) == len(await storage.query("jobs", **filters)), filters
    assert await storage.count("jobs") == 6
    with pytest.raises(ValueError):
        await storage.count("jobs", equals={"status = 1 OR 1": "x"})
