"""`python -m tools.export`: a thread, a contact or a date range as EML files or JSON Lines, each
thread's chain verified on the way out. Run as an operator would, on the database of a real run."""
from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

from core.journal.communication import communications
from core.record import entry_hash
from services.record import Recorder
from tests.e2e.app_process import ROOT
from tests.e2e.conftest import ALICE


async def export(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "APP_ENV": "local", "WECHAT_APP_ID": "wx0000000000000001", "WECHAT_APP_SECRET": "s",
           "WECHAT_TOKEN": "token1", "SQLITE_PATH": str(tmp_path / "bridge.sqlite3")}
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "tools.export", *args], cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=60)


async def two_conversations(stack) -> tuple[str, str]:
    await stack.install(ALICE)
    chen = stack.wechat.guest("oGuestExport0000000000001", "Chen Li")
    wang = stack.wechat.guest("oGuestExport0000000000002", "王芳")
    for guest in (chen, wang):
        await guest.say(f"hello, {guest.openid[-1]}")
        await stack.settle()
    await stack.employee_says(ALICE, "Good morning")
    await stack.settle()
    return chen.openid, wang.openid


async def test_a_thread_as_eml_one_message_per_communication(stack, tmp_path):
    chen, _ = await two_conversations(stack)
    entries = await Recorder(stack.components.storage, stack.clock).entries(chen)
    done = await export(tmp_path, "--thread", chen, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    files = sorted(os.listdir(tmp_path / "out" / chen))
    assert files == sorted([f"{e['seq']:012d}.{c.index}.eml" for e in entries for c in communications(e)]
                           + [f"{e['seq']:012d}.eml" for e in entries if not communications(e)])
    assert f"({len([f for f in files if f.count('.') == 2])} communications)" in done.stdout
    first = email.message_from_bytes((tmp_path / "out" / chen / files[0]).read_bytes(), policy=email.policy.default)
    assert first["X-WeChat-Thread"] == chen and "Chen Li" in first["From"] and not first.defects


async def test_a_contact_by_name_and_a_date_range_as_json_lines(stack, tmp_path):
    chen, wang = await two_conversations(stack)
    today = datetime.fromtimestamp(stack.clock.now(), timezone.utc).strftime("%Y-%m-%d")
    by_contact, by_days = await asyncio.gather(  # at once: a process a core
        export(tmp_path, "--contact", "王芳", "--format", "jsonl", "--out", str(tmp_path / "c")),
        export(tmp_path, "--from", today, "--to", today, "--format", "jsonl", "--out", str(tmp_path / "d")))
    assert by_contact.returncode == 0, by_contact.stderr
    lines = [json.loads(line) for line in (tmp_path / "c" / "records.jsonl").read_text("utf-8").splitlines()]
    assert lines and {e["thread"] for e in lines} == {wang}
    assert all(entry_hash(e) == e["hash"] for e in lines)  # exactly as stored

    assert by_days.returncode == 0, by_days.stderr
    lines = [json.loads(line) for line in (tmp_path / "d" / "records.jsonl").read_text("utf-8").splitlines()]
    assert {e["thread"] for e in lines} == {chen, wang}


async def test_a_tampered_thread_is_exported_and_named_as_broken(stack, tmp_path):
    chen, _ = await two_conversations(stack)
    with sqlite3.connect(tmp_path / "bridge.sqlite3") as db:
        db.execute("UPDATE records SET body = json_set(body, '$.at', 1.5) WHERE pk = ? AND id = ?", (chen, f"{1:012d}"))
    done = await export(tmp_path, "--thread", chen, "--format", "jsonl", "--out", str(tmp_path / "t"))
    assert done.returncode == 1 and f"BROKEN: thread {chen}: entry 1 was altered" in done.stdout


async def test_usage_errors_exit_2(stack, tmp_path):
    no_choice, no_one = await asyncio.gather(export(tmp_path, "--out", str(tmp_path / "x")),
                                             export(tmp_path, "--contact", "nobody", "--out", str(tmp_path / "x")))
    assert no_choice.returncode == 2 and no_one.returncode == 2
