"""A lean HTTP/1.1 load generator: prebuilt request bytes over keep-alive connections.

aiohttp's client costs more CPU per request than an aiohttp server, and the load generator shares
the machine's 2 cores with the servers it measures. This one writes prebuilt bytes and parses only
the status line, Content-Length and body of each answer, so it needs a fraction of a core.

- `closed_loop`: N connections, each sends its next request as soon as the previous answer is in,
  for a fixed duration: the maximum throughput.
- `open_loop`: requests sent at planned times (i / rate), whatever the server does; the latency of
  each request is measured from its *planned* time, so a server that stalls is charged for the
  requests that queued behind the stall (no coordinated omission). Connections are taken from a
  pool and opened on demand (a new connection's handshake is part of that request's latency).
  With `retries`, a request that was not answered `200 success` (refused, dropped, or unanswered
  after `timeout`) is sent again, the same bytes, as WeChat retries a push.

Every loop is bounded: by count, by duration, and by a grace period after which requests still
unanswered are abandoned and counted as errors.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Sequence


class _Conn(asyncio.Protocol):
    """One keep-alive connection; one request in flight at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if self.waiter is None:
            return
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buf[:end]).split(b"\r\n")
        status = int(head[0][9:12])
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                self._fail(ConnectionError("chunked answers are not supported by this client"))
                return
        total = end + 4 + length
        if len(self.buf) < total:
            return
        body = bytes(self.buf[end + 4:total])
        del self.buf[:total]
        waiter, self.waiter = self.waiter, None
        if not waiter.done():
            waiter.set_result((status, body))

    def _fail(self, exc: Exception) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc) -> None:
        self.closed = True
        self._fail(ConnectionError(f"connection lost: {exc}"))

    def send(self, data: bytes) -> asyncio.Future:
        if self.closed:
            raise ConnectionError("connection closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def close(self) -> None:
        self.closed = True  # at once: the pool must not hand it out while the transport closes
        if self.transport is not None:
            self.transport.close()


async def _connect(host: str, port: int) -> _Conn:
    _, conn = await asyncio.get_running_loop().create_connection(_Conn, host, port)
    return conn


@dataclass
class Result:
    sent: int = 0
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # "status 500", "timeout", "ConnectionError" …
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    elapsed: float = 0.0  # first send to last answer
    send_lag: list[float] = field(default_factory=list)  # open loop: actual send - planned send (s)
    sent_at_wall: dict[int, float] = field(default_factory=dict)  # request index -> time.time() at send
    ok_index: list[int] = field(default_factory=list)  # indexes of the requests answered 200 success
    retried: int = 0  # attempts after the first (open loop with retries)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


def _check(result: Result, index: int, answer: tuple[int, bytes], expect_body: bytes | None) -> bool:
    status, body = answer
    if status != 200:
        result.error(f"status {status}")
        return False
    if expect_body is not None and body != expect_body:
        result.error("unexpected body")
        return False
    result.ok += 1
    result.ok_index.append(index)
    return True


async def closed_loop(host: str, port: int, requests: Sequence[bytes], *, concurrency: int, duration: float,
                      grace: float = 10.0, expect_body: bytes | None = b"success", cycle: bool = False) -> Result:
    """`concurrency` connections send back to back for `duration` seconds, or until `requests` run out
    (with `cycle`, they are sent again from the start: only for a server that keeps no state)."""
    result = Result()
    conns = [await _connect(host, port) for _ in range(concurrency)]
    indexes = itertools.count()
    start = time.perf_counter()
    stop_at = start + duration
    last_answer = start

    async def client(conn: _Conn) -> None:
        nonlocal last_answer
        while time.perf_counter() < stop_at:
            i = next(indexes)
            if i >= len(requests):
                if not cycle:
                    return
                i %= len(requests)
            t = time.perf_counter()
            result.sent += 1
            try:
                answer = await conn.send(requests[i])
            except ConnectionError:
                result.error("ConnectionError")
                return
            now = time.perf_counter()
            last_answer = now
            if _check(result, i, answer, expect_body):
                result.latencies.append(now - t)

    tasks = [asyncio.ensure_future(client(c)) for c in conns]
    try:
        _, pending = await asyncio.wait(tasks, timeout=duration + grace)
        for task in pending:  # still waiting for an answer after the grace period
            task.cancel()
            result.error("timeout")
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for conn in conns:
            conn.close()
    result.elapsed = last_answer - start
    return result


class _Pool:
    def __init__(self, host: str, port: int, max_size: int) -> None:
        self.host, self.port, self.max_size = host, port, max_size
        self.idle: deque[_Conn] = deque()
        self.size = 0
        self.waiters: deque[asyncio.Future] = deque()

    async def prewarm(self, n: int) -> None:
        for _ in range(n):
            self.idle.append(await _connect(self.host, self.port))
            self.size += 1

    async def acquire(self) -> _Conn:
        while self.idle:
            conn = self.idle.popleft()
            if not conn.closed:
                return conn
            self.size -= 1
        if self.size < self.max_size:
            self.size += 1
            try:
                return await _connect(self.host, self.port)
            except BaseException:
                self.size -= 1
                raise
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        return await waiter

    def release(self, conn: _Conn) -> None:
        if conn.closed:
            self.size -= 1
            return
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self.idle.append(conn)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


async def open_loop(host: str, port: int, requests: Sequence[bytes], *, rate: float, duration: float,
                    max_connections: int = 256, prewarm: int = 16, grace: float = 10.0,
                    expect_body: bytes | None = b"success", timeout: float | None = None, retries: int = 0,
                    retry_after: float = 5.0) -> Result:
    """Request i is due at start + i / rate, for `duration` seconds; latency counts from that planned time.
    `retries`: a failed attempt is made again `retry_after` seconds after it began, at most that many
    times; `timeout`: how long an attempt waits for its answer (None: until the grace period ends)."""
    count = min(len(requests), int(rate * duration))
    result = Result()
    pool = _Pool(host, port, max_connections)
    await pool.prewarm(min(prewarm, max_connections))
    loop = asyncio.get_running_loop()
    start = time.perf_counter() + 0.05
    last_answer = start
    in_flight: set[asyncio.Task] = set()

    async def one(i: int, planned: float) -> None:
        for attempt in range(retries + 1):
            began = time.perf_counter()
            if attempt:
                result.retried += 1
            if await attempt_one(i, planned, first=not attempt):
                return
            await asyncio.sleep(max(0.0, began + retry_after - time.perf_counter()))

    async def attempt_one(i: int, planned: float, *, first: bool) -> bool:
        nonlocal last_answer
        try:
            conn = await pool.acquire()
        except OSError as exc:  # refused: nothing listens (the server is down)
            result.error(type(exc).__name__)
            return False
        if first:
            result.sent_at_wall[i] = time.time()
            result.send_lag.append(time.perf_counter() - planned)
        try:
            answer = await asyncio.wait_for(conn.send(requests[i]), timeout)
        except ConnectionError:
            result.error("ConnectionError")
            pool.release(conn)
            return False
        except asyncio.TimeoutError:
            result.error("timeout")
            conn.close()  # its answer may still come: the connection cannot carry another request
            pool.release(conn)
            return False
        now = time.perf_counter()
        last_answer = max(last_answer, now)
        pool.release(conn)
        if _check(result, i, answer, expect_body):
            result.latencies.append(now - planned)
            return True
        return False

    try:
        for i in range(count):
            planned = start + i / rate
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            result.sent += 1
            task = loop.create_task(one(i, planned))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            retrying = retries * (retry_after + (timeout or 0.0))
            _, pending = await asyncio.wait(set(in_flight), timeout=grace + retrying)
            for task in pending:
                task.cancel()
                result.error("timeout")
            await asyncio.gather(*pending, return_exceptions=True)
    finally:
        for task in list(in_flight):
            task.cancel()
        pool.close()
    result.elapsed = last_answer - start
    return result
