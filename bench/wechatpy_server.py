"""The durable reference: the least a WeChat bridge must do to lose nothing, written with wechatpy.

    python -m bench.wechatpy_server --port 8124 --db ref.sqlite3 [--aes-key KEY] [--sqlite thread|loop] [--guard]

What a Python developer would write with the design's own library (issue 21): `check_signature`
(and in safe mode wechatpy's `WeChatCrypto.decrypt_message`), `parse_message`, then one SQLite
`INSERT OR IGNORE` keyed by MsgId (FromUserName + CreateTime for an event), committed (WAL,
synchronous=NORMAL) before answering `success`. No freshness check, no nonce guard, no job.

`--sqlite thread` (the default, the fair reference): the connection lives in one thread of its own and
each push waits for its own commit there, as the product's storage never blocks the event loop.
`--sqlite loop`: the naive handler, the INSERT and COMMIT on the event loop itself.

`--guard`: what plaintext mode needs besides (docs: the signature covers the timestamp and nonce, not the
body, so a signed query seen once signs any body for as long as its timestamp passes): the timestamp fresh
(5 minutes), and its (timestamp, nonce) kept with the body's digest in the same commit as the message;
the pair again with another body is a replay (403), with the same one WeChat retrying. Safe mode signs the
body: nothing to guard there.

Same aiohttp and event loop as the app and bench/bare_server.py, no access log. It stops on
SIGTERM/SIGINT, when its parent process is gone, or after --max-seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from aiohttp import web
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from bench.common import APP_ID, HOST, TOKEN, exit_with_parent

SCHEMA = "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, openid TEXT NOT NULL, body TEXT NOT NULL)"
NONCES = ("CREATE TABLE IF NOT EXISTS nonces (pair TEXT PRIMARY KEY, digest TEXT NOT NULL, expires_at REAL NOT NULL)",
          "CREATE INDEX IF NOT EXISTS nonces_expires_at ON nonces (expires_at)")  # for a purge, as the app has
FRESH_SECONDS = 300


class Replayed(Exception):
    """A (timestamp, nonce) seen before with another body."""


def open_db(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for statement in (SCHEMA, *NONCES):
        db.execute(statement)
    db.commit()
    return db


def keeper(db: sqlite3.Connection) -> Callable[[str, str, str, tuple[str, str] | None], None]:
    def keep(key: str, openid: str, xml: str, pair: tuple[str, str] | None) -> None:
        """The message (and the pair: its key and the body's digest), committed together."""
        if pair is not None:
            try:
                db.execute("INSERT INTO nonces (pair, digest, expires_at) VALUES (?, ?, ?)",
                           (*pair, time.time() + 2 * FRESH_SECONDS))
            except sqlite3.IntegrityError:
                seen = db.execute("SELECT digest FROM nonces WHERE pair = ?", (pair[0],)).fetchone()
                if seen is None or seen[0] != pair[1]:
                    raise Replayed from None
        db.execute("INSERT OR IGNORE INTO messages (id, openid, body) VALUES (?, ?, ?)", (key, openid, xml))
        db.commit()
    return keep


def create_reference_app(db: sqlite3.Connection, *, aes_key: str | None, on_loop: bool,
                         guard: bool = False) -> web.Application:
    crypto = WeChatCrypto(TOKEN, aes_key, APP_ID) if aes_key else None
    keep = keeper(db)
    sqlite_thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite")  # one connection, one thread

    async def wechat(request: web.Request) -> web.Response:
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        body = await request.read()
        encrypted = crypto is not None and q.get("encrypt_type") == "aes"
        try:
            check_signature(TOKEN, q.get("signature", ""), timestamp, nonce)
            xml = crypto.decrypt_message(body, q.get("msg_signature", ""), timestamp, nonce) \
                if crypto is not None and encrypted else body
        except (InvalidSignatureException, InvalidAppIdException):
            return web.Response(status=403, text="bad signature")
        pair = None
        if guard and not encrypted:  # safe mode's signature covers the body: nothing to replay
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > FRESH_SECONDS:
                return web.Response(status=403, text="stale")
            pair = (f"{timestamp}:{nonce}", hashlib.sha256(body).hexdigest())
        msg = parse_message(xml)
        key = str(msg.id) if msg.id else f"{msg.source}:{msg.create_time}"
        text = xml if isinstance(xml, str) else xml.decode("utf-8")
        try:
            if on_loop:
                keep(key, msg.source, text, pair)
            else:
                await asyncio.get_running_loop().run_in_executor(sqlite_thread, keep, key, msg.source, text, pair)
        except Replayed:
            return web.Response(status=403, text="replayed")
        return web.Response(text="success")

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def stop_thread(app: web.Application) -> None:
        sqlite_thread.shutdown(wait=True)

    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/api/wechat", wechat)
    app.router.add_get("/healthz", healthz)
    app.on_cleanup.append(stop_thread)
    return app


async def serve(args: argparse.Namespace) -> None:
    db = open_db(args.db)
    app = create_reference_app(db, aes_key=args.aes_key, on_loop=args.sqlite == "loop", guard=args.guard)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, HOST, args.port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await exit_with_parent(stop, args.max_seconds)
    finally:
        await runner.cleanup()
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True, help="the SQLite file (created)")
    parser.add_argument("--aes-key", help="the EncodingAESKey: safe mode")
    parser.add_argument("--sqlite", choices=("thread", "loop"), default="thread",
                        help="where the INSERT and COMMIT run: a thread of their own, or the event loop")
    parser.add_argument("--guard", action="store_true",
                        help="plaintext's replay guard: a fresh timestamp, each (timestamp, nonce) once")
    parser.add_argument("--max-seconds", type=float, default=1800)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
