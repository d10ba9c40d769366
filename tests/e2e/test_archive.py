"""Every communication the record holds reaches the compliance archive (a real SMTP server) once, as a
message the `email` package parses, with the journal's headers, and nothing is lost while the archive is
down."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from core.journal import JournalSettings
from core.journal.communication import communications
from core.journal.communication_message import communication_id
from core.reconcile import render
from services.archive import reconciliation
from services.record import Recorder
from tests.compliance.smtp_server import SmtpServer
from tests.e2e.app_process import ROOT
from tests.e2e.conftest import ALICE, _close, _stack

JOURNAL_TO = "journal@archive.test"
JOURNAL = JournalSettings(sender_domain="bank.example", journal_to=JOURNAL_TO)  # what the Message-IDs are made of


@pytest.fixture
async def archived(tmp_path):
    async with SmtpServer() as smtp:
        stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                             ARCHIVE_SMTP_HOST="127.0.0.1", ARCHIVE_SMTP_PORT=str(smtp.port), ARCHIVE_SMTP_TLS="none",
                             ARCHIVE_JOURNAL_TO=JOURNAL_TO, ARCHIVE_SENDER_DOMAIN="bank.example",
                             ARCHIVE_EXTRA_HEADERS='{"X-GlobalRelay-MsgType": "WeChat"}')
        try:
            yield stack, smtp
        finally:
            await _close(stack)


async def record_of(stack, openid: str) -> list[dict]:
    return await Recorder(stack.components.storage, stack.clock).entries(openid)


def journaled_ids(record: list[dict]) -> list[str]:
    """The Message-IDs the record's communications are journaled under, sorted."""
    return sorted(communication_id(c, JOURNAL) for entry in record for c in communications(entry))


def ids_received(smtp) -> list[str]:
    return [r.message()["Message-ID"] for r in smtp.received]


async def test_each_communication_arrives_once_with_the_journal_headers(archived):
    stack, smtp = archived
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestArchive00000000000001", "Chen")
    await guest.say("Please sell 100 shares")
    await stack.settle()
    await stack.employee_says(ALICE, "Noted.")
    await stack.settle()

    record = await record_of(stack, guest.openid)
    assert len(journaled_ids(record)) >= 3  # the guest's message, the welcome, Alice's answer …
    assert sorted(ids_received(smtp)) == journaled_ids(record)  # each once
    assert all(r.rcpt_tos == (JOURNAL_TO,) and not r.message().defects for r in smtp.received)

    first = next(r.message() for r in smtp.received if r.message()["X-WeChat-Seq"] == "1")
    assert first["X-WeChat-Communication"] == "guest message" and first["X-WeChat-Thread"] == guest.openid
    assert f"{guest.openid}@wechat.bank.example" in first["From"] and "Chen" in first["From"]
    assert first["X-WeChat-Record-Hash"] == record[0]["hash"]
    assert first["X-GlobalRelay-MsgType"] == "WeChat"
    assert first.get_body(("plain",)).get_content() == "Please sell 100 shares"
    answer = next(r.message() for r in smtp.received if r.message()["X-WeChat-Communication"] == "message to the guest")
    assert answer.get_body(("plain",)).get_content() == "Alice Advisor: Noted."  # as the guest read it


async def test_while_the_archive_is_down_nothing_is_lost_and_all_arrives_after(archived):
    stack, smtp = archived
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestArchive00000000000002")
    await guest.say("first")
    await stack.settle()
    before = len(smtp.received)

    await smtp.stop()
    await guest.say("sent while the archive is down")
    await stack.employee_says(ALICE, "answered while it is down")
    await stack.settle()
    assert len(smtp.received) == before
    waiting = [j for j in await stack.jobs() if j.body["kind"] == "archive" and j.body["status"] == "pending"]
    # Waiting for the archive is not the entry's failure: no attempt is spent on it.
    assert waiting and all(j.body["waiting_for"] == "archive" and j.body["attempts"] == 0 for j in waiting)

    stack.clock.advance(3600)
    await stack.components.worker.sweep()  # still down: put back again
    await smtp.start()  # the same port
    stack.clock.advance(3600)
    for _ in range(5):  # the first delivery wakes the rest; each sweep takes what is due
        await stack.components.worker.sweep()
        await stack.settle()

    record = await record_of(stack, guest.openid)
    assert sorted(ids_received(smtp)) == journaled_ids(record)
    assert all(j.body["status"] == "done" for j in await stack.jobs() if j.body["kind"] == "archive")


async def test_an_archive_that_refuses_fails_the_job_with_its_reason(archived):
    stack, smtp = archived
    smtp.handler.reject[JOURNAL_TO] = "550 5.7.1 mailbox disabled"
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestArchive00000000000003")
    await guest.say("hello")
    await stack.settle()
    failed = [j for j in await stack.jobs() if j.body["kind"] == "archive"]
    assert failed and all(j.body["status"] == "failed" and "550" in j.body["last_error"] for j in failed)


async def test_after_a_thousand_messages_the_reconciliation_shows_recorded_equal_to_archived(archived, tmp_path):
    stack, smtp = archived
    await stack.install(ALICE)
    guests = [stack.wechat.guest(f"oGuestReconcile{i:012d}") for i in range(50)]
    for round_ in range(20):  # 50 guests x 20 messages, a round of them at a time
        results = await asyncio.gather(*(g.say(f"message {round_} from guest {i}") for i, g in enumerate(guests)))
        assert all(r.text == "success" for r in results)
        await stack.settle()

    storage = stack.components.storage
    start, end = stack.clock.now() - 86_400, stack.clock.now() + 86_400
    result = await reconciliation(storage, Recorder(storage, stack.clock), start, end)
    recorded = sum(d.recorded for d in result.days)
    assert recorded >= 1000 and result.gaps == []
    assert sum(d.delivered for d in result.days) == recorded == len(smtp.received)

    # The command prints the same from the database file, and exits 0 (1 would mean gaps).
    day = datetime.fromtimestamp(stack.clock.now(), timezone.utc).strftime("%Y-%m-%d")
    env = {**os.environ, "APP_ENV": "local", "WECHAT_APP_ID": "wx0000000000000001", "WECHAT_APP_SECRET": "s",
           "WECHAT_TOKEN": "token1", "SQLITE_PATH": str(tmp_path / "bridge.sqlite3")}
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "tools.reconcile", "--from", day, "--to", day,
                                                    "--json"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["recorded"] == json.loads(done.stdout)["delivered"] == recorded


async def test_the_reconciliation_lists_what_the_archive_has_not_taken(archived, tmp_path):
    stack, smtp = archived
    await stack.install(ALICE)
    await smtp.stop()
    guest = stack.wechat.guest("oGuestArchive00000000000004")
    await guest.say("recorded, not yet archived")
    await stack.settle()
    storage = stack.components.storage
    now = stack.clock.now()
    result = await reconciliation(storage, Recorder(storage, stack.clock), now - 60, now + 60)
    assert result.gaps and {g.status for g in result.gaps} == {"pending"}
    assert all(g.thread == guest.openid and "unavailable" in g.error for g in result.gaps)
    assert "GAP" in render(result) and sum(d.delivered for d in result.days) == 0


async def test_what_a_flag_rule_finds_reaches_the_compliance_alert_address_too(tmp_path):
    organizations = ('[[organizations]]\nid = "c"\n[[organizations.sub_organizations]]\nid = "hk"\n'
                     f'employees = [{{ aad = "{ALICE.aad_object_id}" }}]\n'
                     'dlp.rules = [{ name = "watch", lexicon = ["insider"], action = "flag" }]\n')
    async with SmtpServer() as smtp:
        stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                             organizations=organizations, ARCHIVE_SMTP_HOST="127.0.0.1",
                             ARCHIVE_SMTP_PORT=str(smtp.port), ARCHIVE_SMTP_TLS="none", ARCHIVE_JOURNAL_TO=JOURNAL_TO,
                             ARCHIVE_SENDER_DOMAIN="bank.example", ARCHIVE_ALERT_TO="surveillance@bank.example")
        try:
            await stack.install(ALICE)
            guest = stack.wechat.guest("oGuestArchive00000000000005")
            await guest.say("hello")
            await stack.settle()
            await guest.say("I have insider news")
            await stack.settle()
        finally:
            await _close(stack)
    alerts = [r for r in smtp.received if "surveillance@bank.example" in r.rcpt_tos]
    assert len(alerts) == 1 and alerts[0].rcpt_tos == (JOURNAL_TO, "surveillance@bank.example")
    flagged = alerts[0].message()
    assert flagged["X-DLP-Action"] == "flag" and "insider" in flagged.get_body(("plain",)).get_content()
    assert all(r.rcpt_tos == (JOURNAL_TO,) for r in smtp.received if r is not alerts[0])  # the rest: archive only
