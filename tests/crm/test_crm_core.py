"""What a CRM is told of the compliance record (core/crm.py), pure: one event per entry with its
ids and chain, the text as delivered (never DLP's original), a day as a readable transcript, the
day's Task key, and UTC days."""
from __future__ import annotations

import functools
import json
import re
from datetime import date

import pytest

from core.crm import (Crm, CrmRejected, CrmUnavailable, crm_event, day_of, day_span, day_transcript,
                      error_for_status, fit_end, retry_after, snippet, task_key)
from core.dlp import NOT_DELIVERED
from core.record import GENESIS, sent_fields
from tests.record_chains import sealed_chain

GUEST = "oGuestCrm000000000000001"
ALICE = "11111111-aaaa-4aaa-8aaa-000000000001"
BOB = "22222222-bbbb-4bbb-8bbb-000000000002"
DAY0 = 1_763_769_600.0  # 2025-11-22 00:00 UTC
NINE = DAY0 + 9 * 3600
NAMES = {GUEST: "陈先生", ALICE: "Alice Advisor", BOB: "Bob Broker"}


def push(content: str = "请卖出100股", **more) -> dict:
    return {"to_user": "gh_0123456789ab", "from_user": GUEST, "create_time": int(NINE), "msg_type": "text",
            "msg_id": "24681357924681357", "content": content, "event": None, "event_key": None, "fields": {}, **more}


def guest(text: str = "请卖出100股 please", at: float = NINE + 60.25, **more) -> dict:
    return {"at": at, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "guest_message", "text": text, "language": "zh_CN"},
            "decided": [{"type": "send_to_guest", "message_id": "sys-1", "kind": "system", "author": "",
                         "notice": "welcome_guest", "text": "您好！本对话将被记录并按监管要求保存。"},
                        {"type": "notify_employees", "notice": "guest_waiting", "text": "A guest is waiting",
                         "params": {"minutes": 5}}],
            "account": "default", "received_at": at - 0.25, "push": push(text),
            "teams_activity_id": "1:1AbCdEfGhIjKlMnOp", "event": "msg:24681357924681357", **more}


def employee(text: str = "Noted, selling at market.", at: float = NINE + 120, author: str = "Alice Advisor",
             **more) -> dict:
    return {"at": at, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "employee_message", "message_id": "teams:conv:act-7", "text": text, "author": author},
            "decided": [{"type": "send_to_guest", "message_id": "teams:conv:act-7", "text": text,
                         "kind": "employee", "author": author, "notice": None}],
            "event": "teams:conv:act-7", **more}


def answer(errcode: int = 0, at: float = NINE + 121, errmsg: str = "ok", *, text: str = "Noted, selling at market.",
           author: str = "Alice Advisor", message_id: str = "teams:conv:act-7") -> dict:
    """WeChat's answer to the send of an employee's message, as the runner records it (core.record.sent_fields);
    a refusal for good with its receipt."""
    refused = [{"type": "receipt", "message_id": message_id, "outcome": "refused", "reason": f"wechat:{errcode}"}]
    return {"at": at, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "we_chat_answer", "message_id": message_id, "errcode": errcode, "errmsg": errmsg},
            "decided": refused if errcode else [], "event": f"answer:{errcode}",
            **sent_fields({"message_id": message_id, "kind": "employee", "author": author}, None,
                          f"{author}: {text}")}


def tick(at: float) -> dict:
    return {"at": at, "kind": "decision", "participants": [ALICE], "what": {"type": "tick"}, "decided": []}


chain = functools.partial(sealed_chain, thread=GUEST)


# -- crm_event -----------------------------------------------------------------------------------

def test_an_event_carries_ids_chain_time_direction_text_and_participants():
    first, second, third = chain(guest(), employee(), answer())
    event = crm_event(first)
    assert {k: event[k] for k in ("id", "source", "thread", "seq", "prev", "hash", "at", "direction", "kind",
                                  "type", "text", "participants", "dlp", "message_type", "teams_activity_id",
                                  "account")} == {
        "id": f"{GUEST}:1", "source": "wechat", "thread": GUEST, "seq": 1, "prev": GENESIS, "hash": first["hash"],
        "at": "2025-11-22T09:01:00.250Z", "direction": "inbound", "kind": "decision", "type": "guest_message",
        "text": "请卖出100股 please", "participants": [ALICE, BOB], "dlp": None, "message_type": "text",
        "teams_activity_id": "1:1AbCdEfGhIjKlMnOp", "account": "default"}
    assert event["notices"] == [
        {"to": "guest", "notice": "welcome_guest", "text": "您好！本对话将被记录并按监管要求保存。",
         "message_id": "sys-1", "outcome": None},
        {"to": "employees", "notice": "guest_waiting", "text": "A guest is waiting", "message_id": None,
         "outcome": None}]
    assert "push" not in event and "received_at" not in event  # raw WeChat fields stay in the record
    assert json.loads(json.dumps(event, ensure_ascii=False)) == event

    out = crm_event(second)
    assert (out["id"], out["direction"], out["type"], out["author"], out["message_id"], out["text"], out["prev"]) == (
        f"{GUEST}:2", "outbound", "employee_message", "Alice Advisor", "teams:conv:act-7",
        "Noted, selling at market.", first["hash"])
    assert out["notices"] == []  # the employee's own message is not a notice
    system = crm_event(third)
    assert (system["direction"], system["type"], system["text"]) == (
        "system", "we_chat_answer", "WeChat accepted message teams:conv:act-7")


def test_a_push_recorded_alone_says_what_happened_without_its_raw_fields():
    entry, = chain({"at": NINE, "kind": "inbound", "account": "default",
                    "push": push(content=None, msg_type="event", event="CLICK", event_key="MENU_RATES")})
    event = crm_event(entry)
    assert (event["direction"], event["type"], event["text"]) == (
        "inbound", "event:CLICK", "[WeChat event CLICK MENU_RATES]")


def test_where_dlp_redacted_a_guest_message_the_event_has_what_was_delivered_only():
    original = "My card is 4111 1111 1111 1111, 电话 13800138000"
    dlp = {"direction": "inbound", "action": "redact", "original": original,
           "delivered": "My card is *******************, 电话 ***********", "rules": ["pci-card", "cn-mobile"],
           "findings": [{"rule": "pci-card", "detector": "card", "action": "redact", "start": 11, "end": 30,
                         "text": "4111 1111 1111 1111"},
                        {"rule": "cn-mobile", "detector": "phone", "action": "redact", "start": 35, "end": 46,
                         "text": "13800138000"}]}
    entry, = chain(guest(text=original, dlp=dlp))  # the event keeps the original, as the policy records it
    event = crm_event(entry)
    assert event["text"] == dlp["delivered"]
    assert event["dlp"] == {"action": "redact", "rules": ["pci-card", "cn-mobile"]}
    wire = json.dumps(event, ensure_ascii=False)
    assert "4111" not in wire and "13800138000" not in wire and original not in wire


def test_a_blocked_message_is_not_delivered_and_quotes_of_it_are_masked():
    original = "Transfer to IBAN GB82 WEST 1234 5698 7654 32 today"
    dlp = {"direction": "outbound", "action": "block", "original": original, "delivered": None,
           "rules": ["no-iban"], "findings": [{"rule": "no-iban", "detector": "iban", "action": "block",
                                               "start": 17, "end": 44, "text": "GB82 WEST 1234 5698 7654 32"}]}
    blocked = {"at": NINE, "kind": "decision", "participants": [ALICE],
               "what": {"type": "blocked", "message_id": "teams:conv:act-9", "reasons": {"en": "No IBANs"}},
               "decided": [{"type": "receipt", "message_id": "teams:conv:act-9", "outcome": "refused",
                            "reason": "dlp", "notice": "dlp_blocked", "text": f"Not sent: {original}"}],
               "dlp": dlp}
    inbound = guest(text=original, dlp={**dlp, "direction": "inbound"})
    out, into = chain(blocked, inbound)
    event = crm_event(out)
    assert (event["type"], event["text"], event["dlp"]) == (
        "blocked", NOT_DELIVERED, {"action": "block", "rules": ["no-iban"]})
    assert event["notices"][0]["text"] == f"Not sent: {NOT_DELIVERED}"
    assert "GB82" not in json.dumps(event, ensure_ascii=False)
    sent, told = event["communications"]  # as the archive journals them, what the parties saw only
    assert (sent["kind"], sent["text"], sent["delivery"], sent["reason"], sent["rules"]) == (
        "message to the guest", NOT_DELIVERED, "not delivered", "dlp", ["no-iban"])
    assert (told["from"]["role"], told["text"]) == ("bot", f"Not sent: {NOT_DELIVERED}")
    event = crm_event(into)
    assert event["text"] == NOT_DELIVERED and "GB82" not in json.dumps(event, ensure_ascii=False)
    assert "GB82" not in day_transcript([out, into], NAMES)


def test_a_flagged_message_was_delivered_as_written_and_shows_so():
    text = "call me on 13800138000"
    dlp = {"direction": "inbound", "action": "flag", "original": text, "delivered": text, "rules": ["watch"],
           "findings": [{"rule": "watch", "detector": "phone", "action": "flag", "start": 11, "end": 22,
                         "text": "13800138000"}]}
    entry, = chain(guest(text=text, dlp=dlp))
    assert crm_event(entry)["text"] == text and crm_event(entry)["dlp"]["action"] == "flag"


def test_an_entry_that_is_not_sealed_is_refused():
    with pytest.raises(ValueError, match="seq"):
        crm_event({"thread": GUEST, "hash": "x", "at": NINE})


# -- the day's transcript ----------------------------------------------------------------------------

def test_a_day_is_its_communications_in_order_who_to_whom_as_delivered_and_leaves_out_the_noise():
    multi = "Line one\nLine two\r\n"
    entries = chain(guest(), employee(), answer(), tick(NINE + 300), employee(text=multi, at=NINE + 400, author=BOB),
                    answer(errcode=45015, at=NINE + 401, errmsg="response out of time limit", text=multi,
                           author="Bob Broker"))
    text = day_transcript(list(reversed(entries)), NAMES)  # given in any order: read in seq order
    assert text.split("\n") == [  # the welcome and the notice to employees were never sent (no answer of WeChat's)
        "09:01 陈先生 → Alice Advisor, Bob Broker: 请卖出100股 please",
        "09:02 Alice Advisor → 陈先生: Alice Advisor: Noted, selling at market.",  # as WeChat delivered it
        "09:06 Bob Broker → 陈先生 [not delivered: wechat:45015]: Bob Broker: Line one",
        "      Line two",
    ]


def test_without_names_the_guest_is_guest_an_employee_their_id_and_the_author_as_recorded():
    entries = chain(guest(text="hi", participants=[ALICE]), employee(text="hello", author="Alice W."),
                    answer(text="hello", author="Alice W."))
    assert day_transcript(entries) == (f"09:01 Guest → {ALICE}: hi\n"
                                       "09:02 Alice W. → Guest: Alice W.: hello")


def test_a_guest_message_before_anyone_takes_part_is_to_the_inbox():
    entries = chain(guest(text="hi", participants=[], inbox={"id": "19:hk@thread.tacv2", "name": "HK Desk"}))
    assert day_transcript(entries, NAMES) == "09:01 陈先生 → HK Desk (WeChat inbox): hi"


def test_a_blocked_message_in_the_day_is_from_its_writer_not_delivered_and_masked():
    original = "Transfer to IBAN GB82 WEST 1234 5698 7654 32 today"
    dlp = {"direction": "outbound", "action": "block", "original": original, "delivered": None,
           "rules": ["no-iban"], "findings": [{"rule": "no-iban", "detector": "iban", "action": "block",
                                               "start": 17, "end": 44, "text": "GB82 WEST 1234 5698 7654 32"}]}
    blocked = {"at": NINE, "kind": "decision", "participants": [ALICE],
               "what": {"type": "blocked", "message_id": "teams:conv:act-9", "cause": "dlp"},
               "message": {"message_id": "teams:conv:act-9", "kind": "employee", "author": "Alice Advisor"},
               "decided": [], "dlp": dlp}
    assert day_transcript(chain(blocked), NAMES) == (
        f"09:00 Alice Advisor → 陈先生 [not delivered: dlp]: {NOT_DELIVERED}")


def test_control_characters_cannot_forge_lines():
    entries = chain(guest(text="ok\u2028[system] fake\x1b[31m", participants=[]))
    lines = day_transcript(entries, {GUEST: "Chen\nEvil"}).split("\n")
    assert lines[0] == "09:01 ChenEvil → nobody: ok" and lines[1] == "      [system] fake[31m"


def test_a_day_too_long_keeps_its_end_under_a_marker():
    text = "\n".join(f"line {i:05d}" for i in range(10_000))
    cut = fit_end(text, 1000, "[cut]")
    assert len(cut) <= 1000 and cut.startswith("[cut]\nline ") and cut.endswith("line 09999")
    assert cut.split("\n")[1].startswith("line ")  # whole lines
    assert fit_end("short", 1000, "[cut]") == "short"
    emoji = "😀" * 600  # two UTF-16 units each
    cut = fit_end(emoji, 1000, "[cut]")
    assert cut.startswith("[cut]\n") and len(cut[6:]) == (1000 - 6) // 2


# -- keys and days ---------------------------------------------------------------------------------

def test_task_keys_are_one_per_contact_per_day_short_and_plain():
    assert task_key(GUEST, "2025-11-22") == f"wechat-{GUEST}-20251122" == task_key(GUEST, date(2025, 11, 22))
    assert task_key(GUEST, "2025-11-23") != task_key(GUEST, "2025-11-22")
    assert task_key("oGuestcrm000000000000001", "2025-11-22") != task_key(GUEST, "2025-11-22")
    for thread in (GUEST, "x" * 64, "x" * 65, "ü b/c:d", "a" * 1000, "o" + "-_" * 20):
        key = task_key(thread, "2025-11-22")
        assert len(key) <= 80 and re.fullmatch(r"[A-Za-z0-9_-]+", key) and key.endswith("-20251122")
    assert task_key("ü b/c:d", "2025-11-22") == task_key("ü b/c:d", "2025-11-22")
    assert task_key("ü b/c:d", "2025-11-22") != task_key("ü b/c:e", "2025-11-22")
    with pytest.raises(ValueError):
        task_key(GUEST, "22/11/2025")


def test_days_are_utc_days():
    assert day_of(DAY0 - 0.001) == "2025-11-21"
    assert day_of(DAY0) == "2025-11-22" == day_of(DAY0 + 86_399.999)
    assert day_of(DAY0 + 86_400) == "2025-11-23"
    assert day_span("2025-11-22") == (DAY0, DAY0 + 86_400)


# -- errors ----------------------------------------------------------------------------------------

def test_answers_map_to_transient_or_permanent_errors():
    for status in (401, 403, 408, 429, 500, 502, 503, 504):  # 401/403: credentials an operator fixes
        assert isinstance(error_for_status("CRM", status, ""), CrmUnavailable)
    for status in (400, 404, 409, 422):
        assert isinstance(error_for_status("CRM", status, ""), CrmRejected)
    err = error_for_status("CRM", 503, "busy", retry_after=30)
    assert err.retry_after == 30 and err.status == 503 and "retry after 30 s" in str(err)


def test_retry_after_is_seconds_or_a_date_and_snippets_hide_secrets():
    assert retry_after("120", 0) == 120 and retry_after(" 1.5 ", 0) == 1.5 and retry_after("-3", 0) == 0
    assert retry_after("Sat, 22 Nov 2025 09:02:00 GMT", NINE) == 120
    assert retry_after("soon", NINE) is None and retry_after(None, NINE) is None and retry_after("nan", 0) is None
    assert snippet(b"token abc123 and s3cret\n\nend", hide=("s3cret", "abc123", None)) == "token *** and *** end"
    assert len(snippet("x" * 1000)) == 300


def test_the_adapters_are_crms():
    from adapters.crm.salesforce import SalesforceCrm
    from adapters.crm.webhook import WebhookCrm

    assert isinstance(WebhookCrm("https://crm.example.com/hook", "s", session=None), Crm)  # type: ignore[arg-type]
    assert isinstance(SalesforceCrm("https://x.my.salesforce.com", "id", "s", session=None), Crm)  # type: ignore[arg-type]


def test_a_message_delivered_to_the_guest_is_logged_as_a_communication_from_its_writer():
    delivered = {"at": NINE, "kind": "decision", "participants": [ALICE],
                 "what": {"type": "we_chat_answer", "message_id": "teams:conv:act-7", "errcode": 0},
                 "message": {"message_id": "teams:conv:act-7", "kind": "employee", "author": ALICE,
                             "text": "Alice Advisor: Noted."}}
    (entry,) = chain(delivered)
    [one] = crm_event(entry)["communications"]
    assert (one["from"], one["to"], one["text"], one["delivery"]) == (
        {"role": "employee", "id": ALICE, "name": ""}, [{"role": "guest", "id": GUEST, "name": ""}],
        "Alice Advisor: Noted.", "delivered")
    assert one["id"] == f"{entry['hash']}.0"
