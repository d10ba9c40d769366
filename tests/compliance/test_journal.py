"""The journal's e-mail form of record entries (core/journal/), pure: one message per entry,
with its parties, its stable Message-ID, the chain's hashes in headers, the entry itself attached,
Chinese intact, and no way for a nickname or a message to add a header."""
from __future__ import annotations

import email
import functools
import email.policy
import json
import re
from email.message import EmailMessage

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.journal import (DLP_PART_LABEL, JournalError, JournalSettings, direction, eml, event_type,
                          message_id, record_json)
from core.record import GENESIS, canonical, chained, entry_hash
from tests.record_chains import sealed_chain

GUEST = "oGuestJournal00000000001"
ALICE = "11111111-aaaa-4aaa-8aaa-000000000001"
BOB = "22222222-bbbb-4bbb-8bbb-000000000002"
DAY0 = 1_763_769_600.0  # 2025-11-22 00:00 UTC
NAMES = {GUEST: "陈先生", ALICE: "Alice Advisor", BOB: "Bob Broker"}
SETTINGS = JournalSettings(sender_domain="bridge.example.com", journal_to="journal@archive.example.net",
                           extra_headers={"X-GlobalRelay-MsgType": "WeChat", "X-Archive-Source": "wechat-bridge"})


def push(content: str = "请卖出100股", **more) -> dict:
    return {"to_user": "gh_0123456789ab", "from_user": GUEST, "create_time": int(DAY0), "msg_type": "text",
            "msg_id": "24681357924681357", "content": content, "event": None, "event_key": None,
            "fields": {}, **more}


def guest_fields(text: str = "请卖出100股 please", **more) -> dict:
    return {"at": DAY0 + 60.25, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "guest_message", "text": text, "language": "zh_CN"},
            "decided": [{"type": "send_to_guest", "message_id": "sys-1", "kind": "system", "author": "",
                         "notice": "welcome_guest", "text": "您好！本对话将被记录并按监管要求保存。"},
                        {"type": "notify_employees", "notice": "guest_waiting", "text": "A guest is waiting",
                         "params": {"minutes": 5}}],
            "account": "default", "received_at": DAY0 + 60.0, "push": push(text),
            "teams_activity_id": "1:1AbCdEfGhIjKlMnOp", "event": "msg:24681357924681357", **more}


def employee_fields(text: str = "Noted, selling at market. 好的", author: str = "Alice Advisor", **more) -> dict:
    return {"at": DAY0 + 120, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "employee_message", "message_id": "teams:conv:act-7", "text": text, "author": author},
            "decided": [{"type": "send_to_guest", "message_id": "teams:conv:act-7", "text": text,
                         "kind": "employee", "author": author, "notice": None}],
            "event": "teams:conv:act-7", **more}


def answer_fields() -> dict:
    return {"at": DAY0 + 121, "kind": "decision", "participants": [ALICE, BOB],
            "what": {"type": "we_chat_answer", "message_id": "teams:conv:act-7", "errcode": 0, "errmsg": "ok"},
            "decided": [], "event": "answer:teams:conv:act-7"}


thread_entries = functools.partial(sealed_chain, thread=GUEST)


def parse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert not parsed.defects and all(not p.defects for p in parsed.walk())
    return parsed  # type: ignore[return-value]


def header_block(raw: bytes) -> str:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii")


def attachment(parsed: EmailMessage, content_type: str) -> EmailMessage:
    return next(p for p in parsed.iter_attachments() if p.get_content_type() == content_type)


# -- the headers ---------------------------------------------------------------------------------

def test_an_inbound_guest_message_carries_its_parties_ids_and_chain():
    first, = thread_entries(guest_fields())
    m = parse(eml(first, SETTINGS, names=NAMES))

    assert m["Message-ID"] == f"<{GUEST}.1.{first['hash'][:16]}@bridge.example.com>" == message_id(first, SETTINGS)
    assert m["Date"].datetime.isoformat() == "2025-11-22T00:01:00+00:00"
    assert m["From"].addresses[0].addr_spec == f"{GUEST}@wechat.bridge.example.com"
    assert m["From"].addresses[0].display_name == "陈先生"
    assert [a.addr_spec for a in m["To"].addresses] == [f"{ALICE}@teams.bridge.example.com",
                                                        f"{BOB}@teams.bridge.example.com"]
    assert m["Cc"] is None and m["Subject"] == "WeChat: inbound message from 陈先生"
    assert m["In-Reply-To"] is None  # the first of its thread
    assert {h: m[h] for h in ("X-WeChat-Channel", "X-WeChat-Direction", "X-WeChat-Thread", "X-WeChat-Seq",
                              "X-WeChat-Record-Hash", "X-WeChat-Prev-Hash", "X-WeChat-Event-Type",
                              "X-WeChat-MsgId", "X-Teams-Activity-Id", "X-WeChat-Official-Account",
                              "X-WeChat-Account", "X-WeChat-Record-Kind", "X-WeChat-Event-Id")} == {
        "X-WeChat-Channel": "wechat", "X-WeChat-Direction": "inbound", "X-WeChat-Thread": GUEST,
        "X-WeChat-Seq": "1", "X-WeChat-Record-Hash": first["hash"], "X-WeChat-Prev-Hash": GENESIS,
        "X-WeChat-Event-Type": "guest_message", "X-WeChat-MsgId": "24681357924681357",
        "X-Teams-Activity-Id": "1:1AbCdEfGhIjKlMnOp", "X-WeChat-Official-Account": "gh_0123456789ab",
        "X-WeChat-Account": "default", "X-WeChat-Record-Kind": "decision",
        "X-WeChat-Event-Id": "msg:24681357924681357"}
    assert m["X-DLP-Action"] is None


def test_an_employee_message_is_from_the_employee_to_the_contact_and_the_others_in_copy():
    _, second = thread_entries(guest_fields(), employee_fields())
    m = parse(eml(second, SETTINGS, names=NAMES))
    assert str(m["From"]) == f"Alice Advisor <{ALICE}@teams.bridge.example.com>"
    assert [a.addr_spec for a in m["To"].addresses] == [f"{GUEST}@wechat.bridge.example.com"]
    assert [a.addr_spec for a in m["Cc"].addresses] == [f"{BOB}@teams.bridge.example.com"]
    assert (m["X-WeChat-Direction"], m["X-WeChat-Author"], m["Subject"]) == (
        "outbound", "Alice Advisor", "WeChat: outbound message to 陈先生")
    # the chain, as mail threading: the entry before it
    assert m["In-Reply-To"] == m["References"] == f"<{GUEST}.1.{second['prev'][:16]}@bridge.example.com>"
    assert m["X-WeChat-Prev-Hash"] == second["prev"] and m["X-WeChat-Bridge-Message-Id"] == "teams:conv:act-7"


def test_real_addresses_come_from_a_map_or_a_function_and_an_unknown_author_is_never_guessed():
    _, second = thread_entries(guest_fields(), employee_fields())
    mapped = JournalSettings("bridge.example.com", "journal@archive.example.net",
                             employee_addresses={ALICE: "alice@corp.example.com", BOB: "not an address\r\nBcc: x@y.z"})
    m = parse(eml(second, mapped, names=NAMES))
    assert m["From"].addresses[0].addr_spec == "alice@corp.example.com"
    assert m["Cc"].addresses[0].addr_spec == f"{BOB}@teams.bridge.example.com"  # an invalid address: the made-up one
    called = JournalSettings("bridge.example.com", "journal@archive.example.net",
                             employee_addresses=lambda aad: {BOB: "bob@corp.example.com"}.get(aad))
    m = parse(eml(second, called, names=NAMES))
    assert (m["From"].addresses[0].addr_spec, m["Cc"].addresses[0].addr_spec) == (
        f"{ALICE}@teams.bridge.example.com", "bob@corp.example.com")

    _, stranger = thread_entries(guest_fields(), employee_fields(author="Someone Else"))
    m = parse(eml(stranger, SETTINGS, names=NAMES))
    assert str(m["From"]) == "Someone Else <unknown-employee@teams.bridge.example.com>"
    assert len(m["Cc"].addresses) == 2  # neither participant is taken for the author
    _, by_id = thread_entries(guest_fields(), employee_fields(author=BOB))
    assert parse(eml(by_id, SETTINGS))["From"].addresses[0].addr_spec == f"{BOB}@teams.bridge.example.com"


def test_automated_events_are_from_the_system_address_to_the_contact():
    *_, answer = thread_entries(guest_fields(), employee_fields(), answer_fields())
    m = parse(eml(answer, SETTINGS, names=NAMES))
    assert str(m["From"]) == "WeChat Bridge <wechat-bridge@bridge.example.com>"
    assert [a.addr_spec for a in m["To"].addresses] == [f"{GUEST}@wechat.bridge.example.com"]
    assert len(m["Cc"].addresses) == 2
    assert (m["X-WeChat-Direction"], m["X-WeChat-Event-Type"], m["Subject"]) == (
        "system", "we_chat_answer", "WeChat: we_chat_answer (陈先生)")
    assert "WeChat accepted message teams:conv:act-7: errcode 0 (ok)." in m.get_body(("plain",)).get_content()


def test_a_push_recorded_alone_is_inbound_to_the_official_account():
    click, = thread_entries({"at": DAY0, "kind": "inbound", "account": "default", "received_at": DAY0,
                             "push": push(None, msg_type="event", msg_id=None, event="CLICK", event_key="MENU_RATES"),
                             "event": "evt:1"})
    assert (direction(click), event_type(click)) == ("inbound", "event:CLICK")
    m = parse(eml(click, SETTINGS))
    assert m["From"].addresses[0].addr_spec == f"{GUEST}@wechat.bridge.example.com"
    assert m["To"].addresses[0].addr_spec == "gh_0123456789ab@wechat.bridge.example.com"
    assert (m["Subject"], m["X-WeChat-Push-Event"], m["X-WeChat-MsgId"]) == (
        f"WeChat: inbound event CLICK from {GUEST}", "CLICK", None)
    assert "event_key: MENU_RATES" in m.get_body(("plain",)).get_content()


def test_extra_headers_come_after_the_journals_own_in_their_order():
    first, = thread_entries(guest_fields())
    m = parse(eml(first, SETTINGS))
    assert m["X-GlobalRelay-MsgType"] == "WeChat" and m["X-Archive-Source"] == "wechat-bridge"
    keys = list(m.keys())
    assert keys.index("X-WeChat-Record-Hash") < keys.index("X-GlobalRelay-MsgType") < keys.index("X-Archive-Source")
    assert len(m.get_all("X-GlobalRelay-MsgType")) == 1


@pytest.mark.parametrize("name", ["Bad Name", "Bad:Name", "", "X-Ünicode", "X-Tab\t", "From", "content-type",
                                  "X-WeChat-Thread", "Message-ID", "BCC", "X-" + "a" * 80])
def test_an_invalid_or_clashing_extra_header_name_is_refused(name):
    with pytest.raises(JournalError):
        JournalSettings("bridge.example.com", "journal@archive.example.net", extra_headers={name: "v"})


@pytest.mark.parametrize("value", ["a\r\nBcc: evil@example.com", "a\nb", "a\rb", "nul\x00"])
def test_an_extra_header_value_with_a_line_break_is_refused(value):
    with pytest.raises(JournalError):
        JournalSettings("bridge.example.com", "journal@archive.example.net", extra_headers={"X-Good": value})


@pytest.mark.parametrize("domain, journal_to", [("localhost", "j@archive.example.net"), ("exa mple.com", "j@a.example"),
                                                ("bridge.example.com", "not-an-address"),
                                                ("bridge.example.com", "j@archive.example.net\r\nBcc: x@y.z"),
                                                ("例子.公司", "j@archive.example.net")])
def test_settings_need_a_domain_and_a_journaling_address(domain, journal_to):
    with pytest.raises(JournalError):
        JournalSettings(domain, journal_to)


def test_only_sealed_entries_make_messages():
    first, = thread_entries(guest_fields())
    for broken in ({k: v for k, v in first.items() if k != "hash"}, {**first, "seq": 0}, {**first, "at": "yesterday"},
                   {**first, "hash": "not-a-hash"}, {k: v for k, v in first.items() if k != "thread"}):
        with pytest.raises(JournalError):
            eml(broken, SETTINGS)


# -- identity and parsing ----------------------------------------------------------------------

def test_the_same_entry_gives_the_same_message_id_and_the_same_bytes():
    first, second = thread_entries(guest_fields(), employee_fields())
    once, again = eml(first, SETTINGS, names=NAMES), eml(dict(first), SETTINGS, names=dict(NAMES))
    assert once["Message-ID"] == again["Message-ID"]
    assert once.as_bytes() == again.as_bytes()
    ids = {eml(e, SETTINGS)["Message-ID"] for e in (first, second)}
    other, = thread_entries(guest_fields(), thread="oGuestJournal00000000002")
    altered = chained({**guest_fields(), "at": DAY0 + 61}, thread=GUEST, seq=1, prev=GENESIS)
    ids |= {eml(other, SETTINGS)["Message-ID"], eml(altered, SETTINGS)["Message-ID"]}
    assert len(ids) == 4


def test_it_parses_back_with_the_whole_entry_attached_in_canonical_json():
    first, = thread_entries(guest_fields(at=1_750_000_000.0))  # a whole float: the hash sees an integer
    raw = eml(first, SETTINGS, names=NAMES).as_bytes()
    m = parse(eml(first, SETTINGS, names=NAMES))
    assert m.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in m.iter_parts()] == ["text/plain", "application/json"]
    record = attachment(m, "application/json")
    assert record.get_filename() == f"record-{GUEST}-1.json"
    data = record.get_content()
    assert data == record_json(first)
    stored = json.loads(data)
    assert stored == {**first, "at": 1_750_000_000}
    assert entry_hash(stored) == first["hash"] == m["X-WeChat-Record-Hash"]  # checkable from the archive alone
    assert canonical(stored) == canonical(first)
    assert raw.isascii() and all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_chinese_survives_in_the_body_the_subject_and_the_names():
    text = "请帮我卖出100股腾讯控股，价格不低于¥380。谢谢！"
    _, second = thread_entries(guest_fields(), employee_fields(text=text, author="王经理"))
    names = {**NAMES, ALICE: "王经理"}
    raw = eml(second, SETTINGS, names=names).as_bytes()
    assert raw.isascii()  # 7-bit clean on the wire: encoded, not raw UTF-8
    m = parse(eml(second, SETTINGS, names=names))
    body = m.get_body(("plain",))
    assert body.get_content_charset() == "utf-8" and body["Content-Transfer-Encoding"] in ("base64", "quoted-printable")
    assert text in body.get_content() and "王经理 wrote" in body.get_content()
    assert m["From"].addresses[0].display_name == "王经理" and m["Subject"].endswith("陈先生")
    first = parse(eml(thread_entries(guest_fields())[0], SETTINGS, names=NAMES))
    assert "您好！本对话将被记录并按监管要求保存。" in first.get_body(("plain",)).get_content()


def test_where_dlp_acted_the_body_shows_what_was_delivered_and_a_part_holds_the_original():
    dlp = {"original": "My card is 4111 1111 1111 1111, 电话 13800138000",
           "delivered": "My card is [REDACTED], 电话 [REDACTED]", "action": "redact",
           "rules": ["pci-card", "cn-mobile"]}
    _, second = thread_entries(guest_fields(), employee_fields(text=dlp["delivered"], dlp=dlp))
    m = parse(eml(second, SETTINGS, names=NAMES))
    assert m["X-DLP-Action"] == "redact" and m["X-DLP-Rules"] == "pci-card, cn-mobile"
    body = m.get_body(("plain",)).get_content()
    assert "My card is [REDACTED], 电话 [REDACTED]" in body and "4111" not in body
    assert DLP_PART_LABEL in body
    original = next(p for p in m.iter_parts() if p["Content-Description"] == DLP_PART_LABEL)
    assert original.get_content_type() == "text/plain"
    content = original.get_content()
    assert dlp["original"] in content and "pci-card" in content and "cn-mobile" in content and "redact" in content
    assert [p.get_content_type() for p in m.iter_parts()] == ["text/plain", "text/plain", "application/json"]


def test_a_blocked_message_shows_nowhere_in_the_body_but_in_the_original_part():
    """The shape core/dlp's Verdict.to_record gives: the event's own text is the original, and
    a finding quotes it; the main body shows neither."""
    original = "Transfer to IBAN GB82 WEST 1234 5698 7654 32 today"
    dlp = {"direction": "outbound", "action": "block", "original": original, "delivered": None,
           "rules": ["no-iban"], "findings": [{"rule": "no-iban", "detector": "iban", "action": "block",
                                               "start": 17, "end": 44, "text": "GB82 WEST 1234 5698 7654 32"}]}
    fields = employee_fields(text=original, dlp=dlp)
    fields["decided"] = [{"type": "receipt", "message_id": "teams:conv:act-7", "outcome": "refused",
                          "reason": "dlp", "text": f"Not sent: {original}"}]
    _, second = thread_entries(guest_fields(), fields)
    m = parse(eml(second, SETTINGS, names=NAMES))
    assert m["X-DLP-Action"] == "block"
    body = m.get_body(("plain",)).get_content()
    assert "GB82" not in body and "[not delivered: blocked by DLP]" in body
    assert "Not sent: [not delivered: blocked by DLP]" in body  # a quote of it, as delivered
    part = next(p for p in m.iter_parts() if p["Content-Description"] == DLP_PART_LABEL).get_content()
    assert original in part and "iban" in part and "characters 17-44" in part and "outbound" in part
    assert json.loads(attachment(m, "application/json").get_content())["dlp"] == dlp  # the record, whole


def test_a_nickname_an_author_or_a_text_cannot_add_a_header():
    evil = "Chen\r\nBcc: spy@evil.example\r\nX-Injected: yes"
    text = "hello\r\nBcc: spy@evil.example\r\n\r\n<html>"
    _, second = thread_entries(guest_fields(text=text), employee_fields(text=text, author=evil))
    names = {GUEST: evil, ALICE: "Alice\nX-Injected: yes"}
    for entry in thread_entries(guest_fields(text=text), employee_fields(text=text, author=evil)):
        raw = eml(entry, SETTINGS, names=names).as_bytes()
        headers = header_block(raw)
        assert not re.search(r"^(Bcc|X-Injected):", headers, re.IGNORECASE | re.MULTILINE)
        m = parse(eml(entry, SETTINGS, names=names))
        assert m["Bcc"] is None and m["X-Injected"] is None
        assert "Bcc: spy@evil.example" in m["Subject"] or "Bcc: spy@evil.example" in str(m["From"])
    m = parse(eml(second, SETTINGS, names=names))
    assert m["X-WeChat-Author"] == "Chen Bcc: spy@evil.example X-Injected: yes"  # one line, inert


# hypothesis: whatever a guest calls themselves or writes, the headers are the journal's and the
# attached entry is the entry.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)


@hsettings(max_examples=60, deadline=None)
@given(nickname=TEXT, text=TEXT, author=TEXT)
def test_any_nickname_and_text_give_the_same_headers_and_the_exact_entry(nickname, text, author):
    _, second = thread_entries(guest_fields(text=text), employee_fields(text=text, author=author))
    raw = eml(second, SETTINGS, names={GUEST: nickname, ALICE: author}).as_bytes()
    assert raw.isascii()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    expected = {"message-id", "date", "from", "to", "subject", "in-reply-to", "references", "x-wechat-channel",
                "x-wechat-direction", "x-wechat-thread", "x-wechat-seq", "x-wechat-record-hash",
                "x-wechat-prev-hash", "x-wechat-record-kind", "x-wechat-event-type", "x-wechat-event-id",
                "x-wechat-bridge-message-id", "x-globalrelay-msgtype", "x-archive-source", "mime-version",
                "content-type"}
    optional = {"cc", "x-wechat-author"}  # Cc: unless the author is the only participant; Author: unless blank
    assert expected <= {k.lower() for k in m.keys()} <= expected | optional
    assert json.loads(attachment(m, "application/json").get_content()) == second
