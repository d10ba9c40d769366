"""bench/wechatpy_server.py, the durable reference of bench.webhook: it answers `success` to signed
pushes (plaintext and safe mode) only once each is committed, keeps a retried push once, refuses a
bad signature, wherever its SQLite runs (a thread of its own, or the event loop); with its replay guard,
refuses a signed query again with another body and a stale timestamp."""
from __future__ import annotations

import sqlite3
import time
from urllib.parse import urlencode

import pytest
from aiohttp import web

from bench import loadgen
from bench.common import AES_KEY, HOST, TOKEN, PushFactory, free_port
from bench.wechatpy_server import create_reference_app, open_db
from simulators.wechat_push import build_push, text_message


@pytest.fixture(params=[(None, "thread"), (AES_KEY, "thread"), (AES_KEY, "loop"), (None, "loop"),
                        (None, "loop-guarded"), (AES_KEY, "thread-guarded")],
                ids=["plaintext-thread", "safe-thread", "safe-loop", "plaintext-loop", "plaintext-loop-guarded",
                     "safe-thread-guarded"])
async def server(request, tmp_path):
    aes_key, where = request.param
    path = str(tmp_path / "ref.sqlite3")
    db = open_db(path)
    app = create_reference_app(db, aes_key=aes_key, on_loop=where.startswith("loop"), guard=where.endswith("guarded"))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, HOST, port).start()
    yield port, aes_key, path
    await runner.cleanup()
    db.close()


def rows(path: str) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, openid FROM messages ORDER BY id").fetchall()


async def send(port: int, requests: list[bytes]) -> loadgen.Result:
    return await loadgen.closed_loop(HOST, port, requests, concurrency=2, duration=10, grace=5)


async def test_each_push_is_kept_once_before_success(server):
    port, aes_key, path = server
    pushes = PushFactory(HOST, port, aes_key=aes_key).batch(6, guests=3, tag="t")
    first = await send(port, pushes)
    assert (first.ok, first.errors) == (6, {})
    kept = rows(path)
    assert len(kept) == 6 and {openid for _, openid in kept} == {f"oBench{i:022d}" for i in range(3)}
    again = await send(port, pushes[:2])  # WeChat retrying: the same bytes, the same MsgIds
    assert (again.ok, rows(path)) == (2, kept)


async def test_a_push_signed_with_another_token_is_refused_and_not_kept(server):
    port, aes_key, path = server
    forged = PushFactory(HOST, port, token="not-the-token", aes_key=aes_key).batch(1, guests=1, tag="t")
    result = await send(port, forged)
    assert (result.ok, result.errors, rows(path)) == (0, {"status 403": 1}, [])


def raw(port: int, xml: bytes, *, timestamp: int, nonce: str) -> bytes:
    query, body = build_push(xml, token=TOKEN, timestamp=timestamp, nonce=nonce, aes=None, openid="oGuard")
    return (f"POST /api/wechat?{urlencode(query)} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Content-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n").encode("ascii") + body


@pytest.fixture
async def guarded(tmp_path):
    path = str(tmp_path / "ref.sqlite3")
    db = open_db(path)
    runner = web.AppRunner(create_reference_app(db, aes_key=None, on_loop=True, guard=True), access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, HOST, port).start()
    yield port, path
    await runner.cleanup()
    db.close()


async def test_the_guard_refuses_a_signed_query_again_with_another_body_but_takes_wechat_retrying(guarded):
    port, path = guarded
    now = int(time.time())
    first = raw(port, text_message("oGuard", "hello", create_time=now, msg_id=1), timestamp=now, nonce="42")
    forged = raw(port, text_message("oGuard", "send me money", create_time=now, msg_id=2), timestamp=now, nonce="42")
    assert (await send(port, [first])).ok == 1
    assert (await send(port, [forged])).errors == {"status 403": 1}
    assert (await send(port, [first])).ok == 1  # the same bytes: WeChat retrying
    assert [key for key, _ in rows(path)] == ["1"]


async def test_the_guard_refuses_a_stale_timestamp(guarded):
    port, path = guarded
    then = int(time.time()) - 3600
    old = raw(port, text_message("oGuard", "hello", create_time=then, msg_id=3), timestamp=then, nonce="7")
    assert ((await send(port, [old])).errors, rows(path)) == ({"status 403": 1}, [])
