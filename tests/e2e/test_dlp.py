"""Data-loss prevention through the whole product: per sub-organization, per direction, per action,
in English and Chinese; the record keeps the original, what was delivered and the rule."""
from __future__ import annotations

import pytest

from services.record import Recorder
from simulators.wechat_api import STATE_KEY
from tests.e2e.conftest import ALICE, _close, _stack

ORGS = f'''
[[organizations]]
id = "contoso"
  [[organizations.sub_organizations]]
  id = "hk"
  employees = [{{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }}]
  dlp.phone_region = "HK"
  dlp.rules = [
    {{ name = "no-cards", detector = "card", action = "block" }},
    {{ name = "ids", detector = "cn_id", direction = "outbound", action = "redact" }},
    {{ name = "hkid-in", detector = "hkid", direction = "inbound", action = "redact" }},
    {{ name = "promises", lexicon = ["guaranteed return", "保证收益"], direction = "outbound", action = "block" }},
    {{ name = "watch", lexicon = ["insider"], action = "flag" }},
  ]
'''
CARD = "4111 1111 1111 1111"
CN_ID = "11010519491231002X"


@pytest.fixture
async def stack(tmp_path):
    s = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", organizations=ORGS)
    try:
        await s.install(ALICE)
        yield s
    finally:
        await _close(s)


async def conversation(stack, openid: str):
    guest = stack.wechat.guest(openid, "Chen", language="en")
    await guest.say("hello")
    await stack.settle()
    return guest


def last_from_wechat(stack) -> str:
    return next(t for t in reversed(stack.teams_texts(ALICE)) if "(WeChat):" in t)


async def record_of(stack, openid: str) -> list[dict]:
    return await Recorder(stack.components.storage, stack.clock).entries(openid)


@pytest.mark.parametrize("text", [f"Your card {CARD}, as asked", "A guaranteed return of 8%", "我们保证收益8%"])
async def test_a_blocked_outbound_message_never_reaches_wechat_and_the_employee_is_told_why(stack, text):
    guest = await conversation(stack, "oGuestDlp0000000000000001")
    await stack.employee_says(ALICE, text)
    await stack.settle()

    assert not any(text in t for t in await stack.guest_texts(guest.openid))  # the guest hears nothing
    sent = stack.wechat_server.app[STATE_KEY].calls("/cgi-bin/message/custom/send")  # accepted or not
    assert sent and not any(text in r.raw.decode() for r in sent)
    told = [t for t in stack.teams_texts(ALICE) if "Data-loss prevention: Your message was not sent" in t]
    assert len(told) == 1 and CARD not in told[0]  # the reason never repeats what it found
    entry = next(e for e in await record_of(stack, guest.openid) if e.get("what", {}).get("type") == "blocked")
    assert entry["dlp"]["original"] == text and entry["dlp"]["delivered"] is None and entry["dlp"]["action"] == "block"
    assert entry["dlp"]["rules"] in (["no-cards"], ["promises"])


async def test_a_redacted_outbound_message_goes_out_masked_and_the_record_keeps_the_original(stack):
    guest = await conversation(stack, "oGuestDlp0000000000000002")
    await stack.employee_says(ALICE, f"Your ID {CN_ID} is on file")
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == f"Alice Wong: Your ID {'*' * 18} is on file"
    entry = next(e for e in await record_of(stack, guest.openid) if e.get("what", {}).get("type") == "employee_message")
    assert entry["what"]["text"] == f"Your ID {'*' * 18} is on file"
    assert entry["dlp"]["original"] == f"Your ID {CN_ID} is on file" and entry["dlp"]["rules"] == ["ids"]


async def test_a_blocked_inbound_message_is_withheld_from_teams_and_only_the_guest_is_told(stack):
    guest = await conversation(stack, "oGuestDlp0000000000000003")
    before = len(stack.teams_texts(ALICE))
    await guest.say(f"my card is {CARD}")
    await stack.settle()
    assert not any(CARD in t or "4111" in t for t in stack.teams_texts(ALICE))
    assert not any("not sent" in t for t in stack.teams_texts(ALICE)[before:])  # the employees are not told
    assert (await stack.guest_texts(guest.openid))[-1].startswith("Data protection: Your message was not sent: "
                                                                  "it contains a payment card number")
    entry = (await record_of(stack, guest.openid))[-2]  # the decision, then WeChat's answer to the notice
    assert entry["push"]["content"] == f"my card is {CARD}" and entry["dlp"]["action"] == "block"


async def test_an_inbound_redaction_and_a_flag_in_chinese_and_english(stack):
    guest = await conversation(stack, "oGuestDlp0000000000000004")
    await guest.say("我的身份证 A123456(3)，insider 消息")
    await stack.settle()
    shown = last_from_wechat(stack)
    # redacted (the mask escaped for Markdown), flagged: delivered
    assert "A123456(3)" not in shown and "\\*" * 10 in shown and "insider" in shown
    entry = (await record_of(stack, guest.openid))[-1]
    assert entry["dlp"]["action"] == "redact" and set(entry["dlp"]["rules"]) == {"hkid-in", "watch"}
    assert {f["action"] for f in entry["dlp"]["findings"]} == {"redact", "flag"}


async def test_rules_act_only_in_their_direction(stack):
    guest = await conversation(stack, "oGuestDlp0000000000000005")
    await guest.say(f"ID {CN_ID}; we want a guaranteed return")  # outbound-only rules: delivered as written
    await stack.settle()
    assert f"ID {CN_ID}; we want a guaranteed return" in last_from_wechat(stack)
    await stack.employee_says(ALICE, "Your HKID A123456(3) is fine")  # an inbound-only rule
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong: Your HKID A123456(3) is fine"
