"""The SQLite connection's own thread, which runs the storage's calls in batches (group commit).

The connection belongs to one thread of its own (SQLite's calls block; the event loop must not).
The loop hands it the calls made during one turn of the loop together; whatever has queued up
while it worked runs as one batch in one transaction, and all the answers go back to the loop in
one hop (group commit). Under load that is one commit and two thread switches for many writes
instead of two switches per statement, and every write has still been committed when its call
returns (a webhook acknowledges only then). Each call is atomic on its own: a failing statement
(a Conflict) undoes only itself.
"""
from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import time
from typing import Any, Callable, cast

from core.storage import DURABLE_AT

BUSY_TIMEOUT_MS = 5000
MAX_BATCH = 256  # calls per transaction: bounds how long one batch holds the write lock
LOCK_POLL_SECONDS = 0.0005
# The WAL is copied into the file (and both synced) by the commit that takes it past this many pages: SQLite's
# 1,000 made that frequent under a burst, each a stall of the writes behind it; 10,000 (~40 MB) cut a write's CPU
# by a sixth and its time by a third (bench: 2 rows a call, 18 calls a commit; a power cut may lose more commits).
WAL_CHECKPOINT_PAGES = 10_000
# SQLite's page cache holds 2 MB by default: a burst of pushes (each guest's newest jobs, the indexes) outgrew it, and
# a batch read 4.6 pages a push back with a syscall each; 64 MB (taken as pages are read) read 0.5.
CACHE_KIB = 64 * 1024


Call = Callable[[sqlite3.Connection], Any]

# The sqlite3 module looks for an adapter for every None it binds (a job's lease while it is pending, …); with
# none registered, the look-up raises and clears an AttributeError each time (~3 k instructions). This one (a
# C method that answers None) makes it a dictionary hit. It binds None as NULL, as before, for every connection.
sqlite3.register_adapter(type(None), cast(Callable[[None], None], {}.get))


class StorageClosed(RuntimeError):
    """The SQLite thread has stopped (closed, or failed): nothing more can be run."""


Outcome = tuple[asyncio.Future, Any, BaseException | None]


class Batcher:
    """The thread that owns the connection and runs the loop's calls in batches."""

    def __init__(self, path: str, set_up: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        self.set_up = set_up
        self._calls: queue.SimpleQueue = queue.SimpleQueue()  # lists of calls, one per turn of a loop; None: stop
        # The calls made during this turn of each loop, handed over at its end: one wake-up of the thread
        # for all of them, and one batch, instead of a thread woken (and a commit) for each.
        self._turn: dict[asyncio.AbstractEventLoop, list] = {}
        self._thread = threading.Thread(target=self._serve, name="sqlite", daemon=True)
        self._ready: asyncio.Future | None = None
        self._closed: asyncio.Future | None = None
        self._dead: BaseException | None = None  # why the thread stopped; set before it stops taking calls

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._ready, self._closed = loop.create_future(), loop.create_future()
        self._thread.start()
        await self._ready

    async def run(self, call: Call, *, write: bool) -> Any:
        if self._dead is not None:
            raise StorageClosed(f"the SQLite storage has stopped: {self._dead}")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        turn = self._turn.get(loop)
        if turn is None:
            turn = self._turn[loop] = []
            loop.call_soon(self._hand_over, loop)
        turn.append((call, write, future))
        result, committed_at = await future
        if write:
            DURABLE_AT.set(committed_at)
        return result

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        turn = self._turn.pop(loop)
        if self._dead is not None:  # stopped during this turn: nobody would take them
            self._answer_all([(future, None, StorageClosed(f"the SQLite storage has stopped: {self._dead}"))
                              for _, _, future in turn])
        else:
            self._calls.put(turn)

    async def stop(self) -> None:
        assert self._closed is not None, "stop() before start()"
        turn = self._turn.pop(asyncio.get_running_loop(), None)
        if turn:  # calls of this very turn go before the end (their hand-over finds nothing)
            self._calls.put(turn)
        self._calls.put(None)
        await self._closed

    @staticmethod
    def _answer(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
        if future.done():  # the caller was cancelled; the call ran all the same
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    @classmethod
    def _answer_all(cls, answers: list[Outcome]) -> None:
        for answer in answers:
            cls._answer(*answer)

    @classmethod
    def _settle(cls, outcomes: list[Outcome]) -> None:
        """Answer each caller on its own loop, in one hop per loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, answers in by_loop.items():
            try:
                loop.call_soon_threadsafe(cls._answer_all, answers)
            except RuntimeError:  # that loop is closed: nobody waits any more
                pass

    def _serve(self) -> None:
        ready, closed = self._ready, self._closed
        assert ready is not None and closed is not None
        try:
            # isolation_level=None: the transactions are the batches, begun and ended here.
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            try:
                self.set_up(db)
            except BaseException:
                db.close()
                raise
        except BaseException as exc:  # noqa: BLE001 - told to the loop, which raises it in open()
            self._dead = exc
            self._settle([(ready, None, exc), (closed, None, None)])
            return
        self._settle([(ready, None, None)])
        try:
            waiting: list = []  # calls handed over and not run yet (more than a batch came at once)
            stop = False
            while waiting or not stop:
                if not waiting:
                    waiting = self._calls.get()
                    if waiting is None:
                        break
                while not stop and len(waiting) < MAX_BATCH:
                    try:
                        more = self._calls.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                    else:
                        waiting += more
                batch, waiting = waiting[:MAX_BATCH], waiting[MAX_BATCH:]
                try:
                    outcomes = self._run_batch(db, batch)
                except BaseException as exc:  # noqa: BLE001 - the connection is unusable: say so to all
                    self._dead = exc
                    self._settle([(future, None, exc) for _, _, future in (*batch, *waiting)])
                    break
                self._settle(outcomes)
        finally:
            self._dead = self._dead or StorageClosed("closed")
            left = []  # calls queued after the end: refused, never left waiting
            while True:
                try:
                    calls = self._calls.get_nowait()
                except queue.Empty:
                    break
                for _, _, future in calls or ():
                    left.append((future, None, StorageClosed(f"the SQLite storage has stopped: {self._dead}")))
            db.close()
            self._settle([*left, (closed, None, None)])

    @staticmethod
    def _run_batch(db: sqlite3.Connection, batch: list) -> list[Outcome]:
        outcomes: list[Outcome] = []
        try:
            if any(write for _, write, _ in batch):
                # the write lock up front (a read transaction upgraded later could fail at once)
                run_while_busy(db, "BEGIN IMMEDIATE")
            else:
                db.execute("BEGIN")
        except sqlite3.Error as exc:
            return [(future, None, exc) for _, _, future in batch]
        for call, _, future in batch:
            if not db.in_transaction:  # SQLite rolled the whole transaction back (a disk error)
                outcomes.append((future, None, sqlite3.OperationalError("the transaction was rolled back")))
                continue  # not run: outside the transaction it would commit on its own
            try:
                outcomes.append((future, call(db), None))
            except Exception as exc:  # noqa: BLE001 - each caller gets its own error
                outcomes.append((future, None, exc))
        try:
            if not db.in_transaction:
                raise sqlite3.OperationalError("the transaction was rolled back")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # nothing of the batch was committed either way
            return [(future, None, error or exc) for future, _, error in outcomes]
        committed_at = time.perf_counter()  # each answer carries it: when what it wrote became durable
        return [(future, (result, committed_at), error) for future, result, error in outcomes]


def run_while_busy(db: sqlite3.Connection, sql: str) -> None:
    """`sql` run, tried again every LOCK_POLL_SECONDS while another process holds the lock it needs, until
    BUSY_TIMEOUT_MS. SQLite's own busy handler sleeps in steps of up to 100 ms, which showed as a 100 ms tail
    in the acknowledgements of an instance beside a worker process; and it is not called at all where waiting
    could deadlock (a new file's switch to WAL while another process writes it in its first mode)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    db.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                db.execute(sql)
                return
            except sqlite3.OperationalError as exc:
                # extended codes too (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT): the primary code is the low byte
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(LOCK_POLL_SECONDS)  # this thread's own wait: the event loop is not blocked
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
