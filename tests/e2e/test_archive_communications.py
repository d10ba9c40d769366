"""Issue 18, from outside: a conversation journaled to a real SMTP archive as its communications. A guest's
message (to the inbox: nobody took part yet), two colleagues' replies in a channel thread, the welcome, the
24 h warning, the on-hold notice, a queued message, one cancelled, a blocked one and a refused one: each
exactly once as its own journal message, From and To right, the body what the recipient received
(blocked, refused and cancelled: what was written), all threaded together; the reconciliation counts
them as archived."""
from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from core.journal.communication import communications
from services.archive import reconciliation
from services.record import Recorder
from tests.card_walk import actions
from tests.compliance.smtp_server import SmtpServer
from tests.e2e.app_process import ROOT
from tests.e2e.conftest import ALICE, BOB, _close, _stack
from tests.e2e.test_groups import INBOX, Inbox

JOURNAL_TO = "journal@archive.test"
DAY = 24 * 3600
ORGANIZATIONS = f"""
[[organizations]]
id = "contoso"
  [[organizations.sub_organizations]]
  id = "hk"
  name = "HK Private Banking"
  inbox = "{INBOX.id}"
  attribution = "{{name}}: "
  policy = {{ queue_limit = 1 }}
  notices.welcome_guest = {{ zh-CN = "Welcome to HK." }}
  notices.rules_guest = {{ zh-CN = "Reply #LEAVE to leave." }}
  notices.on_hold = {{ zh-CN = "Your advisers wait for your reply." }}
  employees = [{{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }},
               {{ aad = "{BOB.aad_object_id}", name = "Bob Li" }}]
  dlp.rules = [{{ name = "promises", lexicon = ["guaranteed return"], direction = "outbound", action = "block" }}]
"""
GUEST = "oGuestComms0000000000000001"


def addr(user) -> str:
    return f"{user.aad_object_id}@teams.bank.example"


GUEST_ADDR = f"{GUEST}@wechat.bank.example"
BOT_ADDR = "wechat-bridge@bank.example"
INBOX_ADDR = "inbox-19-hk-wechat-inbox-thread-tacv2@teams.bank.example"


@pytest.fixture
async def archived_inbox(tmp_path):
    async with SmtpServer() as smtp:
        stack = await _stack(tmp_path, DEFAULT_TARGET=f"channel:{INBOX.id}", organizations=ORGANIZATIONS,
                             ARCHIVE_SMTP_HOST="127.0.0.1", ARCHIVE_SMTP_PORT=str(smtp.port), ARCHIVE_SMTP_TLS="none",
                             ARCHIVE_JOURNAL_TO=JOURNAL_TO, ARCHIVE_SENDER_DOMAIN="bank.example",
                             ARCHIVE_THREAD_HEADER="X-GlobalRelay-ThreadId")
        try:
            inbox = Inbox(stack)
            await inbox.install()
            yield inbox, smtp
        finally:
            await _close(stack)


def journal(smtp) -> list[dict]:
    """Each message the archive took, as what a supervisor reads of it."""
    out = []
    for received in smtp.received:
        msg = received.message()
        out.append({"from": msg["From"].addresses[0].addr_spec,
                    "to": sorted(a.addr_spec for a in msg["To"].addresses),
                    "cc": sorted(a.addr_spec for a in msg["Cc"].addresses) if msg["Cc"] else [],
                    "body": msg.get_body(("plain",)).get_content(), "delivery": msg["X-WeChat-Delivery"],
                    "reason": msg["X-WeChat-Not-Delivered-Reason"], "rules": msg["X-DLP-Rules"],
                    "kind": msg["X-WeChat-Communication"], "notice": msg["X-WeChat-Notice"],
                    "id": msg["Message-ID"], "subject": msg["Subject"],
                    "references": msg["References"], "thread": msg["X-GlobalRelay-ThreadId"]})
    return out


def one(messages: list[dict], **wanted) -> dict:
    found = [m for m in messages if all(m[k] == v for k, v in wanted.items())]
    assert len(found) == 1, (wanted, [(m["kind"], m["body"][:40]) for m in messages])
    return found[0]


async def tool(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """A compliance command on the run's database, configured as the app was."""
    env = {**os.environ, "APP_ENV": "local", "WECHAT_APP_ID": "wx0000000000000001", "WECHAT_APP_SECRET": "s",
           "WECHAT_TOKEN": "token1", "SQLITE_PATH": str(tmp_path / "bridge.sqlite3"), "ARCHIVE_SMTP_HOST": "127.0.0.1",
           "ARCHIVE_JOURNAL_TO": JOURNAL_TO, "ARCHIVE_SENDER_DOMAIN": "bank.example"}
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", *args], cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=60)


async def test_a_conversation_reaches_the_archive_as_its_communications_each_once(archived_inbox, tmp_path):
    inbox, smtp = archived_inbox
    s = inbox.stack
    guest, root = await inbox.guest_writes(GUEST, "Mr Chan", "I would like to rebalance")
    await inbox.reply(ALICE, root, "Hello Mr Chan, Alice here.")
    await inbox.reply(BOB, root, "And Bob from the desk.")
    await inbox.reply(ALICE, root, "A guaranteed return of 8%!")  # blocked by DLP
    await inbox.reply(ALICE, root, "Shall we meet?")  # the last the window allows (the welcome counted)
    s.clock.advance(DAY + 60)
    assert await s.components.conversations.fire_due_timers() == 1  # the 24 h warning, the on-hold notice
    await s.settle()
    await inbox.reply(BOB, root, "An early draft.")  # queued
    await inbox.reply(BOB, root, "And the fees.")  # refused: the queue holds one
    card, cancel = next((w["activityId"], a["data"]) for w in reversed(inbox.writes(root))
                        for a in actions(w["activity"]) if a.get("data", {}).get("verb") == "cancelQueued")
    await inbox.reply(BOB, root, None, value=cancel, card=card)  # cancelled
    await inbox.reply(BOB, root, "Here is the proposal.")  # queued
    await guest.say("Yes, send it")  # the queued message goes
    await s.settle()

    mail = journal(smtp)
    guest_texts = await s.guest_texts(GUEST)
    asked = one(mail, body="I would like to rebalance")
    assert (asked["from"], asked["kind"], asked["delivery"]) == (GUEST_ADDR, "guest message", "delivered")
    assert asked["to"] == [INBOX_ADDR]  # nobody took part yet: the channel it was posted in
    welcome = one(mail, kind="automatic message to the guest", body=guest_texts[0])
    assert welcome["body"].startswith("Welcome to HK.") and (welcome["from"], welcome["to"]) == (BOT_ADDR, [GUEST_ADDR])
    alice = one(mail, body="Alice Wong: Hello Mr Chan, Alice here.")  # as the guest read it
    assert (alice["from"], alice["to"], alice["cc"]) == (addr(ALICE), [GUEST_ADDR], [])
    bob = one(mail, body="Bob Li: And Bob from the desk.")  # the group's reply: the colleague in Cc
    assert (bob["from"], bob["to"], bob["cc"]) == (addr(BOB), [GUEST_ADDR], [addr(ALICE)])
    blocked = one(mail, body="A guaranteed return of 8%!")
    assert (blocked["from"], blocked["to"], blocked["delivery"], blocked["reason"], blocked["rules"]) == (
        addr(ALICE), [GUEST_ADDR], "not delivered", "dlp", "promises")
    queued = one(mail, body="Bob Li: Here is the proposal.")
    assert (queued["from"], queued["delivery"]) == (addr(BOB), "delivered")
    cancelled = one(mail, body="An early draft.")  # as written, from its writer
    assert (cancelled["from"], cancelled["to"], cancelled["delivery"], cancelled["reason"]) == (
        addr(BOB), [GUEST_ADDR], "not delivered", "cancelled by Bob Li")
    refused = one(mail, body="And the fees.")
    assert (refused["from"], refused["delivery"], refused["reason"]) == (addr(BOB), "not delivered", "queue_full")
    on_hold = one(mail, body="Your advisers wait for your reply.")
    assert (on_hold["from"], on_hold["to"], on_hold["notice"]) == (BOT_ADDR, [GUEST_ADDR], "on_hold")
    warning = one(mail, notice="no_reply_24h")
    assert (warning["from"], warning["to"], warning["kind"]) == (
        BOT_ADDR, sorted([addr(ALICE), addr(BOB)]), "automatic message to employees")
    assert "24 hours" in warning["body"]
    one(mail, body="Yes, send it", **{"from": GUEST_ADDR})

    # Everything the guest received is in the archive as they received it, each once.
    to_guest = [m["body"] for m in mail if GUEST_ADDR in m["to"] and m["delivery"] == "delivered"]
    assert sorted(to_guest) == sorted(guest_texts)
    # Each once, threaded together, under one subject.
    assert len({m["id"] for m in mail}) == len(mail)
    assert {(m["subject"], m["references"], m["thread"]) for m in mail} == {
        (f"WeChat conversation with Mr Chan ({GUEST})", f"<{GUEST}.conversation@bank.example>", GUEST)}

    # The reconciliation counts the same communications, all archived.
    storage = s.components.storage
    record = await Recorder(storage, s.clock).entries(GUEST)
    assert len(mail) == sum(len(communications(e)) for e in record)
    result = await reconciliation(storage, Recorder(storage, s.clock), s.clock.now() - 3 * DAY, s.clock.now() + 60)
    assert result.gaps == []
    assert sum(d.delivered for d in result.days) == sum(d.recorded for d in result.days) == len(mail)

    # The commands agree: reconcile counts them all archived; the export holds the same messages.
    days = [datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")
            for t in (s.clock.now() - 2 * DAY, s.clock.now())]
    reconciled, exported = await asyncio.gather(
        tool(tmp_path, "tools.reconcile", "--from", days[0], "--to", days[1], "--json"),
        tool(tmp_path, "tools.export", "--thread", GUEST, "--out", str(tmp_path / "export")))
    assert reconciled.returncode == 0, reconciled.stderr
    assert json.loads(reconciled.stdout)["recorded"] == json.loads(reconciled.stdout)["delivered"] == len(mail)
    assert exported.returncode == 0, exported.stderr
    folder = tmp_path / "export" / GUEST
    in_export = [email.message_from_bytes((folder / name).read_bytes(), policy=email.policy.default)
                 for name in os.listdir(folder) if name.count(".") == 2]  # <seq>.<n>.eml: the communications
    assert sorted(m["Message-ID"] for m in in_export) == sorted(m["id"] for m in mail)
    assert sorted(m.get_body(("plain",)).get_content() for m in in_export) == sorted(m["body"] for m in mail)
