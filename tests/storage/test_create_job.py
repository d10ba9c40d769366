"""The acknowledgement's write (Storage.create_job) against every backend: created, exists, replayed, and the
documents it stores are those `create` stores (the worker, the sweeper and the purge read them as before)."""
from __future__ import annotations

import sqlite3

from core.storage import CREATED, EXISTS, JOBS, NONCES, REPLAYED, Item, NonceRecord

PUSH = {"kind": "wechat_inbound", "payload": {"push": {"MsgId": "1", "Content": "你好 ✓"}, "received_at": 1.5,
                                             "account": "default"},
        "status": "pending", "attempts": 0, "created_at": 1.5, "due_at": 1.5, "lease_owner": None, "lease_until": None}
LEASED = {**PUSH, "status": "leased", "lease_owner": "i1", "lease_until": 31.5}
NONCE = NonceRecord("1700000000:n1", "d" * 64, 601.0)


async def test_a_job_is_created_with_its_nonce_record_as_create_would_store_them(storage):
    outcome, etag = await storage.create_job("oGuest", "msg:1", PUSH, NONCE)
    assert outcome == CREATED and etag
    assert await storage.get(JOBS, "oGuest", "msg:1") == Item("msg:1", "oGuest", PUSH, etag)
    assert (await storage.get(NONCES, NONCE.key, NONCE.key)).body == {"digest": NONCE.digest, "expires_at": 601.0}
    # as the worker, the sweeper and the purge ask for them
    assert [i.id for i in await storage.query(JOBS, equals={"status": "pending"}, at_most=("due_at", 2))] == ["msg:1"]
    assert [i.id for i in await storage.query(NONCES, at_most=("expires_at", 601))] == [NONCE.key]


async def test_its_etag_is_the_stored_documents(storage):
    _, etag = await storage.create_job("oGuest", "msg:1", LEASED)
    replaced = await storage.replace(JOBS, "oGuest", "msg:1", {**LEASED, "status": "done"}, etag)
    assert replaced.body["status"] == "done"
    assert [i.id for i in await storage.query(JOBS, equals={"status": "leased", "lease_owner": "i1"})] == []


async def test_a_job_whose_id_is_there_exists_and_is_left_as_it_was(storage):
    first = (await storage.create_job("oGuest", "msg:1", LEASED))[1]
    assert await storage.create_job("oGuest", "msg:1", PUSH, NONCE) == (EXISTS, "")
    assert await storage.get(JOBS, "oGuest", "msg:1") == Item("msg:1", "oGuest", LEASED, first)
    assert await storage.get(NONCES, NONCE.key, NONCE.key) is not None  # made before the job was found there


async def test_a_nonce_seen_with_this_body_is_wechat_retrying(storage):
    await storage.create_job("oGuest", "msg:1", PUSH, NONCE)
    assert await storage.create_job("oGuest", "msg:1", PUSH, NONCE) == (EXISTS, "")
    assert (await storage.create_job("oGuest", "msg:2", PUSH, NONCE))[0] == CREATED  # the first write lost its job


async def test_a_nonce_seen_with_another_body_is_a_replay_and_creates_nothing(storage):
    await storage.create_job("oGuest", "msg:1", PUSH, NONCE)
    forged = NonceRecord(NONCE.key, "e" * 64, 700.0)
    assert await storage.create_job("oGuest", "msg:2", PUSH, forged) == (REPLAYED, "")
    assert await storage.get(JOBS, "oGuest", "msg:2") is None
    assert (await storage.get(NONCES, NONCE.key, NONCE.key)).body["digest"] == NONCE.digest


async def test_sqlite_rows_are_those_create_writes(sqlite_storage):
    await sqlite_storage.create_job("oGuest", "msg:1", PUSH, NONCE)
    await sqlite_storage.create(JOBS, "oGuest", "msg:2", PUSH)
    await sqlite_storage.create(NONCES, "k2", "k2", {"digest": NONCE.digest, "expires_at": 601.0})
    with sqlite3.connect(sqlite_storage.path) as db:
        def row(table: str, id: str) -> tuple:
            found = db.execute(f'SELECT * FROM "{table}" WHERE id = ?', (id,)).fetchone()
            return found[2:3] + found[4:]  # all but the key and the etag

        assert row(JOBS, "msg:1") == row(JOBS, "msg:2")
        assert row(NONCES, NONCE.key) == row(NONCES, "k2")
