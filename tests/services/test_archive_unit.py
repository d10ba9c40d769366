"""services/archive.py on the fakes (tests/fakes.py): every communication journaled to the archive once, what a
DLP flag rule found to compliance too; an archive that is down is waited for, one that refuses fails the entry's
job with its reason. Against a real SMTP server: tests/e2e/test_archive.py."""
from __future__ import annotations

from dataclasses import replace

from core.dlp import DlpPolicy, Rule
from core.journal import JournalSettings
from core.journal.communication import communications
from core.journal.communication_message import communication_id
from core.mail_relay import SmtpRejected, SmtpUnavailable
from core.organizations import Directory
from core.threads import Target
from services.jobs import DONE, FAILED, PENDING
from tests.fakes import ALERT_TO, ALICE, Bridge

GUEST = "oGuestArchiveUnit000000001"
JOURNAL = JournalSettings(sender_domain="bank.example", journal_to="journal@archive.example")
FLAGGING = Directory((replace(Directory.open().sub_organizations[0],
                              dlp=DlpPolicy((Rule("cards", "inbound", "flag", detector="card"),))),))


async def archived(directory: Directory | None = None) -> Bridge:
    bridge = Bridge.build(directory, archive=JOURNAL)
    await bridge.install(Target("employee", ALICE))
    return bridge


async def journaled_is_recorded(bridge: Bridge) -> bool:
    record = await bridge.record(GUEST)
    recorded = sorted(communication_id(c, JOURNAL) for entry in record for c in communications(entry))
    return bool(recorded) and sorted(message["Message-ID"] for message, _ in bridge.smtp.journaled) == recorded


async def test_each_communication_is_journaled_once_and_what_a_flag_rule_found_goes_to_compliance_too():
    bridge = await archived(FLAGGING)
    await bridge.guest(GUEST, "my card is 4111 1111 1111 1111")
    await bridge.employee(ALICE, "Noted.", name="Alice")
    assert await journaled_is_recorded(bridge)
    also = {message["X-WeChat-Communication"] + message["X-WeChat-Seq"]: to for message, to in bridge.smtp.journaled}
    flagged = "guest message1"  # the guest's message itself, not what the employees were told with it
    assert also[flagged] == [ALERT_TO] and all(to == [] for key, to in also.items() if key != flagged)


async def test_while_the_archive_is_down_the_entries_wait_and_all_arrive_after():
    bridge = await archived()
    bridge.smtp.refuse_next("deliver", SmtpUnavailable("connection refused"))
    await bridge.guest(GUEST, "sent while the archive is down")
    waiting = await bridge.jobs("archive")
    assert waiting and all((j["status"], j["waiting_for"], j["attempts"]) == (PENDING, "archive", 0) for j in waiting)

    bridge.clock.advance(10)  # past the pause the outage started
    await bridge.run_due()
    assert all(j["status"] == DONE for j in await bridge.jobs("archive"))
    assert await journaled_is_recorded(bridge)


async def test_an_archive_that_refuses_an_entry_fails_its_job_with_the_reason():
    bridge = await archived()
    bridge.smtp.refuse_next("deliver", SmtpRejected("550 5.7.1 mailbox disabled", 550))
    await bridge.guest(GUEST, "hello")
    [refused, *others] = sorted(await bridge.jobs("archive"), key=lambda j: j["id"])
    assert (refused["status"], refused["last_error"]) == (FAILED, "550 5.7.1 mailbox disabled")
    assert others and all(j["status"] == DONE for j in others)
