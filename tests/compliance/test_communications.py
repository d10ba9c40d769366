"""The communications a record entry holds (core/journal/communication.py), one kind at a time, and each
as its journal message (core/journal/communication_message.py): From and To right, the body exactly as
delivered (or, not delivered, as written, saying why), stable ids, threaded by conversation."""
from __future__ import annotations

import email
import email.policy
import json

import pytest

from core.journal import JournalError, JournalSettings
from core.journal.communication import (AUTOMATIC_TO_EMPLOYEES, AUTOMATIC_TO_GUEST, BOT, DELIVERED, EMPLOYEE,
                                        FROM_GUEST, GUEST, INBOX, NOT_CONFIRMED, NOT_DELIVERED, SENT, TO_GUEST, Party,
                                        communications, internal, underived)
from core.journal.communication_message import communication_eml, communication_id, conversation_id
from core.conversation_policy import CancelQueued, GuestMessage, Leave, Receipt, Tick
from core.conversation_policy.model import QueueItem
from core.record import decision_fields, entry_hash
from services.export import EML, UNDERIVED_FILE, write
from tests.record_chains import sealed_chain

GUEST_ID = "oGuestComms0000000000001"
ALICE = "11111111-aaaa-4aaa-8aaa-000000000001"
BOB = "22222222-bbbb-4bbb-8bbb-000000000002"
AT = 1_763_769_600.0
NAMES = {GUEST_ID: "陈先生", ALICE: "Alice Advisor", BOB: "Bob Broker"}
SETTINGS = JournalSettings(sender_domain="bank.example", journal_to="journal@archive.example",
                           thread_header="X-Archive-Thread")


def decision(what: dict, decided: list | None = None, **more) -> dict:
    return {"at": AT, "kind": "decision", "participants": [ALICE, BOB], "what": what, "decided": decided or [],
            **more}


def sealed(fields: dict) -> dict:
    return sealed_chain(fields, thread=GUEST_ID)[0]


def answer(message: dict, errcode: int = 0, decided: list | None = None, **more) -> dict:
    return sealed(decision({"type": "we_chat_answer", "message_id": message["message_id"], "errcode": errcode,
                            "errmsg": "ok"}, decided, message=message, **more))


def only(entry: dict):
    found = communications(entry, NAMES)
    assert len(found) == 1, found
    return found[0]


def parsed(entry: dict, index: int = 0):
    c = communications(entry, NAMES)[index]
    msg = communication_eml(c, entry, SETTINGS, names=NAMES)
    back = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert not back.defects
    return c, back


def test_a_guest_message_is_from_the_guest_to_the_employees_taking_part():
    entry = sealed(decision({"type": "guest_message", "text": "请卖出100股"}, [
        {"type": "send_to_guest", "message_id": "n:welcome", "kind": "system", "notice": "welcome_guest",
         "text": "Welcome"}]))
    c = only(entry)  # the welcome is journaled when WeChat answers its send, not here
    assert (c.kind, c.sender, c.to, c.body, c.delivery) == (
        FROM_GUEST, Party(GUEST, GUEST_ID), (Party(EMPLOYEE, ALICE), Party(EMPLOYEE, BOB)), "请卖出100股", DELIVERED)
    assert c.id == f"{entry['hash']}.0" and (c.seq, c.entry_hash) == (1, entry["hash"]) and c.media


def test_a_redacted_guest_message_is_journaled_as_the_employees_received_it():
    dlp = {"action": "redact", "rules": ["cards"], "original": "card 4111 1111 1111 1111",
           "delivered": "card [redacted]", "findings": []}
    c = only(sealed(decision({"type": "guest_message", "text": "card 4111 1111 1111 1111"}, dlp=dlp)))
    assert (c.body, c.delivery, c.rules) == ("card [redacted]", DELIVERED, ("cards",))


def test_a_withheld_guest_message_is_not_delivered_with_what_was_written():
    dlp = {"action": "block", "rules": ["ids"], "original": "my id 110101199003077777", "delivered": None}
    c = only(sealed(decision({"type": "guest_message", "text": ""}, dlp=dlp)))
    assert (c.body, c.delivery, c.reason, c.rules) == ("my id 110101199003077777", NOT_DELIVERED, "dlp", ("ids",))


def test_an_employee_message_that_reached_the_guest_is_from_its_writer_as_delivered():
    c = only(answer({"message_id": "teams:c:1", "kind": "employee", "author": "Alice Advisor",
                     "text": "Alice Advisor: Hi"}))
    assert (c.kind, c.sender.id, c.to, c.cc, c.body) == (
        TO_GUEST, ALICE, (Party(GUEST, GUEST_ID),), (Party(EMPLOYEE, BOB),), "Alice Advisor: Hi")
    assert c.delivery == DELIVERED and c.message_id == "teams:c:1"


def test_a_welcome_and_a_template_are_automatic_messages_from_the_bot():
    welcome = only(answer({"message_id": "n:w", "kind": "system", "notice": "welcome_guest", "text": "Welcome!"}))
    template = only(answer({"message_id": "t:1", "kind": "template", "notice": "new_messages", "text": "2 wait"}))
    for c, body in ((welcome, "Welcome!"), (template, "2 wait")):
        assert (c.kind, c.sender, c.to, c.body) == (AUTOMATIC_TO_GUEST, Party(BOT), (Party(GUEST, GUEST_ID),), body)
        assert c.cc == (Party(EMPLOYEE, ALICE), Party(EMPLOYEE, BOB))
    assert welcome.notice == "welcome_guest"


def test_a_send_wechat_never_answered_is_marked_not_confirmed():
    entry = sealed(decision({"type": "unconfirmed", "message_id": "teams:c:2"},
                            message={"message_id": "teams:c:2", "kind": "employee", "author": BOB, "text": "Bob: ok"}))
    c = only(entry)
    assert (c.sender.id, c.delivery, c.body) == (BOB, NOT_CONFIRMED, "Bob: ok")


def test_wechat_refusing_for_good_is_not_delivered_and_putting_back_holds_nothing_yet():
    message = {"message_id": "teams:c:3", "kind": "employee", "author": "Alice Advisor", "text": "Alice Advisor: x"}
    refused = answer(message, 40003, [{"type": "receipt", "message_id": "teams:c:3", "outcome": "refused",
                                       "reason": "wechat:40003", "text": ""}])
    c = only(refused)
    assert (c.sender.id, c.delivery, c.reason, c.body) == (ALICE, NOT_DELIVERED, "wechat:40003", "Alice Advisor: x")
    requeued = answer(message, 45047, [{"type": "receipt", "message_id": "teams:c:3", "outcome": "queued",
                                        "reason": "wechat:45047", "text": ""}])
    assert communications(requeued) == []


def test_a_blocked_message_is_from_its_writer_as_written_with_the_reason_and_the_rule():
    dlp = {"action": "block", "rules": ["no-promises"], "original": "guaranteed return 20%", "delivered": None}
    entry = sealed(decision({"type": "blocked", "message_id": "teams:c:4", "reasons": {"en": "blocked"},
                             "cause": "dlp"},
                            [{"type": "receipt", "message_id": "teams:c:4", "outcome": "refused", "reason": "dlp",
                              "notice": "dlp_blocked", "text": "Your message was blocked"}],
                            dlp=dlp, message={"message_id": "teams:c:4", "kind": "employee",
                                              "author": "Alice Advisor", "by": ALICE, "text": "guaranteed return 20%"}))
    blocked, told = communications(entry, NAMES)
    assert (blocked.kind, blocked.sender, blocked.to) == (
        TO_GUEST, Party(EMPLOYEE, ALICE, "Alice Advisor"), (Party(GUEST, GUEST_ID),))
    assert (blocked.body, blocked.delivery, blocked.reason, blocked.rules) == (
        "guaranteed return 20%", NOT_DELIVERED, "dlp", ("no-promises",))
    assert (told.kind, told.sender, told.body) == (AUTOMATIC_TO_EMPLOYEES, Party(BOT), "Your message was blocked")


def test_an_employee_message_refused_as_written_is_not_delivered_and_a_queued_one_waits():
    closed = sealed(decision({"type": "employee_message", "message_id": "teams:c:5", "text": "late", "author": BOB},
                             [{"type": "receipt", "message_id": "teams:c:5", "outcome": "refused", "reason": "closed",
                               "text": ""}]))
    c = only(closed)
    assert (c.sender.id, c.body, c.delivery, c.reason) == (BOB, "late", NOT_DELIVERED, "closed")
    queued = sealed(decision({"type": "employee_message", "message_id": "teams:c:6", "text": "later", "author": BOB},
                             [{"type": "receipt", "message_id": "teams:c:6", "outcome": "queued", "reason": "inactive",
                               "text": "Queued (1 of 5)"}]))
    (told,) = communications(queued)  # the employees told it waits; the message itself goes when sent
    assert (told.kind, told.body, told.to) == (AUTOMATIC_TO_EMPLOYEES, "Queued (1 of 5)",
                                               (Party(EMPLOYEE, ALICE), Party(EMPLOYEE, BOB)))


def test_the_24_hour_warning_to_employees_is_an_automatic_message_and_a_bare_tick_is_internal():
    warned = sealed(decision({"type": "tick"}, [{"type": "notify_employees", "notice": "no_reply_24h",
                                                 "text": "No reply for 24 hours", "params": {}}]))
    c = only(warned)
    assert (c.kind, c.notice, c.body) == (AUTOMATIC_TO_EMPLOYEES, "no_reply_24h", "No reply for 24 hours")
    assert internal(sealed(decision({"type": "tick"})))
    assert internal(sealed({"at": AT, "kind": "legal_hold", "on": True, "by": "x", "reason": "y"}))


def test_the_same_entry_gives_the_same_communications_and_messages():
    entry = answer({"message_id": "teams:c:7", "kind": "employee", "author": "Alice Advisor", "text": "Hi"})
    assert communications(entry, NAMES) == communications(dict(entry), NAMES)
    one = communication_eml(communications(entry, NAMES)[0], entry, SETTINGS, names=NAMES).as_bytes()
    assert one == communication_eml(communications(entry, NAMES)[0], entry, SETTINGS, names=NAMES).as_bytes()


# -- as journal messages ----------------------------------------------------------------------------------


def test_a_delivered_message_journaled_as_delivered_threaded_with_its_conversation():
    entry = answer({"message_id": "teams:c:8", "kind": "employee", "author": "Alice Advisor",
                    "text": "Alice Advisor: 好的\r\n明天见 "})
    c, msg = parsed(entry)
    assert msg.get_body(("plain",)).get_content() == "Alice Advisor: 好的\r\n明天见 "  # byte for byte
    assert msg["From"].addresses[0].addr_spec == f"{ALICE}@teams.bank.example"
    assert msg["From"].addresses[0].display_name == "Alice Advisor"
    assert [a.addr_spec for a in msg["To"].addresses] == [f"{GUEST_ID}@wechat.bank.example"]
    assert [a.addr_spec for a in msg["Cc"].addresses] == [f"{BOB}@teams.bank.example"]
    assert msg["Message-ID"] == communication_id(c, SETTINGS) and entry["hash"][:40] in msg["Message-ID"]
    assert msg["In-Reply-To"] == msg["References"] == conversation_id(GUEST_ID, SETTINGS)
    assert msg["Subject"] == f"WeChat conversation with 陈先生 ({GUEST_ID})"
    assert msg["X-Archive-Thread"] == GUEST_ID and msg["X-WeChat-Delivery"] == DELIVERED
    assert msg["X-WeChat-Record-Hash"] == entry["hash"]
    record = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/json")
    assert entry_hash(json.loads(record.get_content())) == entry["hash"]


def test_a_blocked_message_journaled_from_its_writer_marked_not_delivered():
    dlp = {"action": "block", "rules": ["no-promises"], "original": "guaranteed", "delivered": None}
    entry = sealed(decision({"type": "blocked", "message_id": "teams:c:9", "reasons": {}, "cause": "dlp"}, dlp=dlp,
                            message={"message_id": "teams:c:9", "kind": "employee", "author": "Bob Broker", "by": BOB,
                                     "text": "guaranteed"}))
    _, msg = parsed(entry)
    assert "Bob Broker" in msg["From"] and "WeChat Bridge" not in msg["From"]
    assert msg.get_body(("plain",)).get_content() == "guaranteed"
    assert (msg["X-WeChat-Delivery"], msg["X-WeChat-Not-Delivered-Reason"], msg["X-DLP-Rules"]) == (
        NOT_DELIVERED, "dlp", "no-promises")
    note = next(p for p in msg.iter_attachments() if p["Content-Description"] == "Delivery")
    assert "Delivery: not delivered" in note.get_content() and "no-promises" in note.get_content()


def test_a_thread_header_that_would_replace_the_journals_own_is_refused():
    with pytest.raises(JournalError):
        JournalSettings(sender_domain="bank.example", journal_to="j@archive.example", thread_header="Subject")


def test_a_picture_sent_or_refused_carries_its_media():
    sent = answer({"message_id": "teams:c:10:1", "kind": "employee", "author": "Alice Advisor",
                   "media": {"kind": "image", "key": "a" * 64}},
                  media=[{"key": "a" * 64, "type": "image", "role": "for_wechat"}])
    assert only(sent).media and only(sent).body == ""
    refused = sealed(decision({"type": "blocked", "message_id": "teams:c:11", "reasons": {}, "cause": "media"},
                              media=[{"key": "b" * 64, "type": "document", "role": "original"}],
                              message={"message_id": "teams:c:11", "kind": "employee", "by": BOB, "text": ""}))
    c = only(refused)
    assert (c.media, c.reason, c.sender.id, c.delivery) == (True, "media", BOB, NOT_DELIVERED)


def test_the_routing_assistants_exchange_with_the_guest_is_journaled_its_reply_marked_sent():
    entry = sealed({"at": AT, "kind": "routing", "what": {"type": "guest_message", "text": "Alice please"},
                    "decided": [{"type": "send_to_guest", "kind": "assistant", "notice": "routing_connected",
                                 "text": "Connecting you with Alice Wong", "message_id": "route:x:1.0"},
                                {"type": "understood", "found": ["Alice"]}]})
    asked, replied = communications(entry)
    assert (asked.kind, asked.sender, asked.to, asked.body) == (FROM_GUEST, Party(GUEST, GUEST_ID), (), "Alice please")
    assert (replied.kind, replied.sender, replied.body, replied.delivery) == (
        AUTOMATIC_TO_GUEST, Party(BOT), "Connecting you with Alice Wong", SENT)


def test_what_the_phone_validation_asked_the_guest_is_journaled_and_its_pins_sms_is_not():
    entry = sealed({"at": AT, "kind": "validation", "what": {"type": "GuestText", "text": "+852 9123 4567"},
                    "decided": [{"asked": "validation_pin_sent", "text": "We sent a PIN to +852 9123 ****"},
                                {"pin_sent_to": "+85291234567", "by": "sms"}], "event": "val:x:3.r"})
    answered, asked = communications(entry)
    assert (answered.kind, answered.body) == (FROM_GUEST, "+852 9123 4567")
    assert (asked.kind, asked.sender, asked.to, asked.body, asked.delivery) == (
        AUTOMATIC_TO_GUEST, Party(BOT), (Party(GUEST, GUEST_ID),), "We sent a PIN to +852 9123 ****", SENT)


def test_the_guests_answers_to_the_phone_validation_are_journaled_except_while_a_pin_is_outstanding():
    number = sealed({"at": AT, "kind": "validation", "what": {"type": "GuestText", "text": "9123 4567"},
                     "decided": [], "event": "val:x:2.r"})
    pin = sealed({"at": AT, "kind": "validation", "what": {"type": "GuestText", "withheld": "a PIN was outstanding"},
                  "decided": [], "event": "val:x:3.r"})
    assert (only(number).kind, only(number).sender, only(number).body) == (FROM_GUEST, Party(GUEST, GUEST_ID),
                                                                           "9123 4567")
    assert only(pin).body == "[withheld: a PIN was outstanding]"


def test_a_queued_message_cancelled_is_not_delivered_from_its_writer_as_written_saying_by_whom():
    queued = [QueueItem("teams:c:8", "Sell at 10", "Alice Advisor", AT, 1).to_body(),
              QueueItem("teams:c:9", "still waiting", "Bob Broker", AT, 2).to_body()]
    fields = decision_fields(CancelQueued("teams:c:8", by=BOB, name="Bob B."),
                             [Receipt("teams:c:8", "cancelled", "cancelled", "cancelled", text="Cancelled")],
                             [ALICE, BOB], queued=queued)
    assert [m["message_id"] for m in fields["cancelled"]] == ["teams:c:8"]  # what it cancelled, as written
    cancelled, told = communications(sealed({"at": AT, **fields}), NAMES)
    assert (cancelled.kind, cancelled.sender, cancelled.to, cancelled.cc) == (
        TO_GUEST, Party(EMPLOYEE, ALICE, "Alice Advisor"), (Party(GUEST, GUEST_ID),), (Party(EMPLOYEE, BOB),))
    assert (cancelled.body, cancelled.delivery, cancelled.reason, cancelled.message_id) == (
        "Sell at 10", NOT_DELIVERED, "cancelled by Bob Broker", "teams:c:8")
    assert (told.kind, told.body) == (AUTOMATIC_TO_EMPLOYEES, "Cancelled")
    assert communications(sealed({"at": AT, **fields}))[0].reason == "cancelled by Bob B."  # the name Teams showed
    by_name = decision_fields(CancelQueued("teams:c:8", by="Bob"), [Receipt("teams:c:8", "cancelled", "cancelled")],
                              [ALICE, BOB], queued=queued)  # as recorded before `by` was the id
    assert communications(sealed({"at": AT, **by_name}), NAMES)[0].reason == "cancelled by Bob"


def test_the_queue_cancelled_as_the_guest_leaves_is_each_message_not_delivered_with_the_reason():
    queued = [QueueItem(f"teams:c:{i}", f"message {i}", "Alice Advisor", AT, i).to_body() for i in (1, 2)]
    decided = [Receipt(f"teams:c:{i}", "cancelled", "guest_left") for i in (1, 2)]
    left = sealed({"at": AT, **decision_fields(Leave(), decided, [ALICE], queued=queued)})
    assert [(c.body, c.delivery, c.reason, c.sender.id) for c in communications(left, NAMES)] == [
        ("message 1", NOT_DELIVERED, "guest_left", ALICE), ("message 2", NOT_DELIVERED, "guest_left", ALICE)]
    nothing_cancelled = decision_fields(Leave(), [], [ALICE], queued=queued)
    assert "cancelled" not in nothing_cancelled


def test_an_answer_recorded_before_answers_kept_their_message_is_named_in_the_export_not_dropped(tmp_path):
    old = sealed_chain(decision({"type": "employee_message", "message_id": "teams:c:1", "text": "Hi", "author": BOB},
                                [{"type": "send_to_guest", "message_id": "teams:c:1", "kind": "employee",
                                  "author": BOB, "text": "Hi"}]),
                       decision({"type": "we_chat_answer", "message_id": "teams:c:1", "errcode": 0, "errmsg": "ok"}),
                       decision({"type": "we_chat_answer", "message_id": "teams:c:2", "errcode": 45047,
                                 "errmsg": "put back"}),  # back in the queue: nothing was missed
                       decision({"type": "unconfirmed", "message_id": "teams:c:3"}),
                       decision({"type": "we_chat_answer", "message_id": "teams:c:4", "errcode": 0, "errmsg": "ok"},
                                message={"message_id": "teams:c:4", "kind": "system", "text": "Welcome"}),
                       thread=GUEST_ID)
    assert [bool(underived(e)) for e in old] == [False, True, False, True, False]
    assert "message teams:c:1 (errcode 0)" in underived(old[1]) and "(no answer)" in underived(old[3])
    result = write({GUEST_ID: old}, str(tmp_path), EML, SETTINGS, {GUEST_ID: NAMES}, whole=True)
    lines = (tmp_path / UNDERIVED_FILE).read_text(encoding="utf-8").splitlines()
    assert lines == [f"{GUEST_ID} seq {e['seq']} ({e['hash']}): {underived(e)}" for e in (old[1], old[3])]
    assert result.underived == lines and result.communications == 1  # the welcome
    assert (tmp_path / GUEST_ID / f"{2:012d}.eml").exists()  # the old answer itself, marked internal
    write({GUEST_ID: old[4:]}, str(tmp_path / "new"), EML, SETTINGS, {GUEST_ID: NAMES}, whole=False)
    assert not (tmp_path / "new" / UNDERIVED_FILE).exists()


def test_a_guest_message_before_anyone_takes_part_is_to_the_inbox_channel_it_was_posted_in():
    channel = "19:hk-wechat-inbox@thread.tacv2"
    event = {"type": "guest_message", "text": "Anyone there?"}
    fields = decision_fields(GuestMessage("Anyone there?"), [], [], inbox=(channel, "HK Private Banking"))
    assert fields["inbox"] == {"id": channel, "name": "HK Private Banking"}
    c, back = parsed(sealed({"at": AT, **fields}))
    assert (c.kind, c.to, c.cc) == (FROM_GUEST, (Party(INBOX, channel, "HK Private Banking"),), ())
    assert back["To"].addresses[0].display_name == "HK Private Banking (WeChat inbox)"
    assert back["To"].addresses[0].addr_spec == "inbox-19-hk-wechat-inbox-thread-tacv2@teams.bank.example"
    joined = decision_fields(GuestMessage("Anyone there?"), [], [ALICE], inbox=(channel, "HK Private Banking"))
    assert "inbox" not in joined  # someone takes part: the message is to them
    assert "inbox" not in decision_fields(Tick(), [], [], inbox=(channel, "HK"))
    assert only(sealed(decision(event, participants=[ALICE]))).to == (Party(EMPLOYEE, ALICE),)
    assert only(sealed(decision(event, participants=[]))).to == ()  # recorded before the inbox was kept
