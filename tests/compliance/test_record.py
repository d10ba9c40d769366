"""The record in storage: appends from several writers make one chain (on SQLite and on the Cosmos
server: the `storage` fixture); the verification command finds an entry altered, deleted or
reordered by editing the database directly."""
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.storage import RECORDS
from services.record import Recorder, record_key

ROOT = Path(__file__).resolve().parents[2]
GUEST = "oGuestRecord000000000001"
DAY0 = 1_763_769_600.0  # 2025-11-22 00:00 UTC


async def record(storage, n: int, thread: str = GUEST, clock: FakeClock | None = None) -> Recorder:
    recorder = Recorder(storage, clock or FakeClock(start=DAY0 + 3600))
    for i in range(1, n + 1):
        await recorder.append(thread, {"kind": "inbound", "text": f"message {i}", "event": f"msg:{i}"})
    return recorder


async def test_two_instances_appending_at_once_make_one_unbroken_chain(storage):
    first, second = Recorder(storage, FakeClock()), Recorder(storage, FakeClock())
    await asyncio.gather(*(r.append(GUEST, {"kind": "inbound", "text": f"{name} {i}"})
                           for i in range(20) for name, r in (("a", first), ("b", second))))
    result = await first.verify_thread(GUEST)
    assert (result.entries, result.first_break) == (40, None)


async def test_a_new_process_finds_the_head_and_a_rerun_event_appends_nothing(storage):
    await record(storage, 37)
    later = Recorder(storage, FakeClock())  # no cached head: probes for it
    again = await later.append(GUEST, {"kind": "inbound", "text": "message 37", "event": "msg:37"})
    assert again["seq"] == 37
    entry = await later.append(GUEST, {"kind": "outbound", "text": "an answer"})
    assert entry["seq"] == 38 and (await later.verify_thread(GUEST)).first_break is None


def edit(db: Path, thread: str, change) -> None:
    """Edit the record as someone with access to the database file would."""
    with sqlite3.connect(db) as conn:
        rows = {i: json.loads(b) for i, b in conn.execute(f'SELECT id, body FROM "{RECORDS}" WHERE pk = ?', (thread,))}
        for key, body in change(rows).items():
            if body is None:
                conn.execute(f'DELETE FROM "{RECORDS}" WHERE pk = ? AND id = ?', (thread, key))
            else:
                conn.execute(f'UPDATE "{RECORDS}" SET body = ? WHERE pk = ? AND id = ?',
                             (json.dumps(body), thread, key))


async def verify_command(db: Path, *args: str) -> subprocess.CompletedProcess:
    """The command run off the event loop, so that several can run at once (one a core)."""
    env = {**os.environ, "APP_ENV": "local", "WECHAT_APP_ID": "wx0000000000000001", "WECHAT_APP_SECRET": "s",
           "WECHAT_TOKEN": "token1", "SQLITE_PATH": str(db), "STORAGE": "sqlite"}
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "tools.verify_record", *args], cwd=ROOT,
                                   env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("tampering, expected", [
    ("alter", "entry 3 was altered"),
    ("delete", "entry 3 is missing (removed)"),
    ("reorder", "entry 4 is out of order"),
])
async def test_the_command_names_the_first_entry_tampered_with(sqlite_storage, tampering, expected):
    await record(sqlite_storage, 6)
    await record(sqlite_storage, 3, thread="oOtherGuest0000000000001")
    await sqlite_storage.close()
    db = Path(sqlite_storage.path)  # the app's file, which this test edits as an intruder would
    whole = await verify_command(db, "--thread", GUEST)
    assert (whole.returncode, whole.stdout.strip()) == (0, "ok: 6 entries in 1 thread(s), every chain whole")

    def change(rows):
        if tampering == "alter":
            return {record_key(3): {**rows[record_key(3)], "text": "what the employee wishes they had said"}}
        if tampering == "delete":
            return {record_key(3): None}
        return {record_key(2): rows[record_key(4)], record_key(4): rows[record_key(2)]}

    edit(db, GUEST, change)
    *broken, untouched = await asyncio.gather(
        verify_command(db, "--thread", GUEST), verify_command(db, "--from", "2025-11-22", "--to", "2025-11-22"),
        verify_command(db, "--thread", "oOtherGuest0000000000001"))
    for result in broken:
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"BROKEN: thread {GUEST}: {expected}" in result.stdout
    assert untouched.returncode == 0


def test_the_command_says_how_to_use_it():
    result = subprocess.run([sys.executable, "-m", "tools.verify_record"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "give either --thread, or --from and --to" in result.stderr


async def test_an_event_handed_over_again_after_an_outlet_failed_is_not_appended_twice(storage):
    calls = []

    async def flaky(entry):
        calls.append(entry["seq"])
        if len(calls) == 1:
            raise ConnectionError("the job queue was unreachable")

    recorder = Recorder(storage, FakeClock(), outlets=[flaky])
    with pytest.raises(ConnectionError):
        await recorder.append(GUEST, {"kind": "inbound", "text": "once", "event": "msg:1"})
    again = await recorder.append(GUEST, {"kind": "inbound", "text": "once", "event": "msg:1"})  # the job's re-run
    assert again["seq"] == 1 and calls == [1, 1]  # handed over again, appended once
    assert [e["event"] for e in await recorder.entries(GUEST)] == ["msg:1"]
