"""A new WeChat guest tells the routing assistant whom they want, in their own words, and is
connected: the employee's Teams conversation shows the notice with the guest's words, then their
messages. Through HTTP, as WeChat and Teams would drive it, with the directory in a CSV file the
app reloads when it changes."""
from __future__ import annotations

import asyncio
import time

import pytest

from core.clock import FakeClock
from simulators.teams_client import TeamsChannel, post_activity, team_installation
from tests.e2e.conftest import ALICE, BOB, _close, _stack

CHANNEL = TeamsChannel(team_id="19:team-wealth@thread.tacv2", team_name="Wealth", channel_name="WeChat inbox",
                       channel_id="19:wechat-inbox@thread.tacv2")
INBOX = CHANNEL.id
ORGS = f'''
[[organizations]]
id = "c"
people = "people.csv"
routing = {{ max_failed_turns = 2 }}
  [[organizations.sub_organizations]]
  id = "hk"
  name = "HK Private Banking"
  inbox = "{INBOX}"
'''
PEOPLE = f"""aad,name,name_zh,aliases,email,phone,sub_organization,desk,languages
{ALICE.aad_object_id},Alice Wong,王嘉欣,Ally,alice.wong@contoso.example,+852 9123 4567,hk,Mortgage advisor,en;yue
{BOB.aad_object_id},Bob Li,李波,,bob.li@contoso.example,+852 9123 4599,hk,Investment funds,en;zh
"""


@pytest.fixture
async def routing(tmp_path):
    clock = FakeClock(start=time.time())
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"channel:{INBOX}", organizations=ORGS)
    try:
        await stack.install(ALICE)
        await stack.install(BOB)
        await stack.session.post(f"{stack.connector_url}/sim/conversations", json={
            "id": INBOX, "conversationType": "channel", "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "teamId": CHANNEL.team_id, "members": []})
        for activity in team_installation(service_url=stack.connector_url, user=ALICE, channel=CHANNEL,
                                          clock=stack.clock):
            await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
        await stack.settle()
        yield stack
    finally:
        await _close(stack)


async def test_a_new_guest_names_an_employee_and_is_connected(routing):
    stack = routing
    guest = stack.wechat.guest("oGuestRoute00000000000001", "Chen", language="en")

    [ask] = await stack.guest_says(guest, "Hello")
    assert ask.startswith("Hello! Whom would you like to reach?")
    assert not any("Hello" in t for t in stack.teams_texts(ALICE) + stack.teams_texts(BOB))  # nobody yet

    # One WeChat message: whom they are connected with, then WeChat's rules (they cost one message, not two).
    [answer] = await stack.guest_says(guest, "I'd like to talk to Alice about my mortgage")
    assert answer.startswith("Thank you. You are now connected with Alice Wong 王嘉欣, who will answer you here. "
                             "Please note, WeChat allows your contact 5 consecutive messages")
    assert "start messaging your contact" not in answer
    # Every number Alice sees is the same quantity: her 4, less the one the connection took.
    assert any("3 of 4 messages left" in t for t in stack.teams_texts(ALICE)), stack.teams_texts(ALICE)
    assert any("you can send 4 consecutive messages, including system messages" in t for t in stack.teams_texts(ALICE))
    [told] = [t for t in stack.teams_texts(ALICE) if "routing assistant connected" in t]
    assert "> Hello" in told and "> I'd like to talk to Alice about my mortgage" in told  # their own words
    assert not any("routing assistant" in t for t in stack.teams_texts(BOB))

    await stack.guest_says(guest, "Are you there?")
    assert any("Are you there?" in t for t in stack.teams_texts(ALICE))  # the assistant has left
    await stack.employee_says(ALICE, "Yes, Alice here.")
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong: Yes, Alice here."

    kinds = [e.body.get("kind") for e in await stack.components.storage.query("records")
             if e.body.get("thread") == guest.openid]
    assert kinds.count("routing") == 2  # both of the assistant's turns are in the compliance record


async def test_a_chinese_guest_chooses_among_namesakes_and_a_lost_guest_reaches_the_inbox(routing, tmp_path):
    stack = routing
    (tmp_path / "people.csv").write_text(
        PEOPLE + "c0ffee00-0000-4000-8000-000000000009,Wei Wang,王伟,,wei.wang@contoso.example,,hk,Tax advisory,zh\n",
        encoding="utf-8")
    assert await asyncio.to_thread(stack.components.directory.reload_if_changed)  # as its watch does

    guest = stack.wechat.guest("oGuestRoute00000000000002", "王", language="zh_CN")
    [choice] = await stack.guest_says(guest, "你好，我想找王经理")
    assert choice.startswith("请问您想联系哪一位？") and "1. " in choice and "2. " in choice
    assert choice.rstrip().endswith("请回复 1 或 2。")
    number = "1" if "1. Alice Wong" in choice else "2"
    [answer] = await stack.guest_says(guest, number)
    assert answer.startswith("谢谢！您现在已与 Alice Wong 王嘉欣 建立联系，对方会在这里回复您。请注意：")

    lost = stack.wechat.guest("oGuestRoute00000000000003", "Zhou", language="en")
    await stack.guest_says(lost, "hi")
    [guided] = await stack.guest_says(lost, "Mr Smith please")
    assert guided.startswith("We still could not find that colleague.")  # max_failed_turns = 2: one try left
    [answer] = await stack.guest_says(lost, "the guy from last week")
    assert answer.startswith("We have passed your message to our team; a colleague will answer you here shortly. "
                             "Please note, WeChat allows")
    assert "start messaging your contact" not in answer  # nobody was found: there is no "contact" to message
    inbox = [a["activity"].get("text") or "" for a in stack.connector.activities_for(INBOX)
             if "could not tell whom" in (a["activity"].get("text") or "")]
    assert len(inbox) == 1 and "> Mr Smith please" in inbox[0] and "> the guy from last week" in inbox[0]


async def test_with_phone_validation_the_guest_validates_first_then_the_assistant_finds_whom(tmp_path):
    """Validation comes first; once the number is proven, the assistant takes the guest's words,
    and the employee sees both the validated number and what the guest wrote."""
    import re

    from aiohttp.test_utils import TestServer

    from simulators.otp import TWILIO_STATE, create_twilio_simulator

    sid, token = "AC" + "0123456789abcdef" * 2, "tw-auth-token-9f8e7d6c5b4a39281706"
    clock = FakeClock(start=time.time())
    twilio = TestServer(create_twilio_simulator(sid, token, clock=clock), host="127.0.0.1")
    await twilio.start_server()
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"channel:{INBOX}",
                         organizations=ORGS.replace('routing = {', 'phone_validation = { region = "HK" }\nrouting = {'),
                         OTP_PROVIDER="twilio", PIN_KEY="p" * 40,
                         TWILIO_ACCOUNT_SID=sid, TWILIO_AUTH_TOKEN=token, TWILIO_FROM_NUMBER="+14155550100",
                         TWILIO_API_BASE_URL=str(twilio.make_url("")).rstrip("/"))
    try:
        await stack.install(BOB)
        guest = stack.wechat.guest("oGuestRoute00000000000004", "Ho", language="en")
        await stack.guest_says(guest, "hello")  # asked for their number
        await stack.guest_says(guest, "9123 4568")
        pin = re.search(r"\d{6}", twilio.app[TWILIO_STATE].last_message("+85291234568").body).group(0)
        asked = await stack.guest_says(guest, pin)
        assert asked[-1].startswith("Whom would you like to reach?")
        answer = await stack.guest_says(guest, "the funds person please")
        assert answer[-1].startswith("Thank you. You are now connected with Bob Li 李波, who will answer you here. ")
        [told] = [t for t in stack.teams_texts(BOB) if "routing assistant connected" in t]
        assert "Validated the phone number +852 9123 4568" in told and "> the funds person please" in told
        assert pin not in told

        await stack.guest_says(guest, "#LEAVE")
        [confirm] = await stack.guest_says(guest, "I'm back")
        assert "+852 **** 4568" in confirm  # a returning guest: still this number?
    finally:
        await _close(stack)
        await twilio.close()


async def test_the_employee_is_also_told_at_their_notification_address_by_smtp(tmp_path):
    """MAIL_SMTP_HOST set and a notify_email in the directory: one e-mail, with the guest's words,
    through a real SMTP server; sent again after the server was down, never twice."""
    from tests.compliance.smtp_server import SmtpServer

    (tmp_path / "people.csv").write_text(PEOPLE.replace("aad,name,name_zh,aliases,email,phone",
                                                        "aad,name,name_zh,aliases,email,phone,notify_email")
                                         .replace("+852 9123 4567,hk", "+852 9123 4567,alice-alerts@contoso.example,hk")
                                         .replace("+852 9123 4599,hk", "+852 9123 4599,,hk"), encoding="utf-8")
    async with SmtpServer() as smtp:
        port = smtp.port
        await smtp.stop()  # down at first: the e-mail waits
        stack = await _stack(tmp_path, DEFAULT_TARGET=f"channel:{INBOX}",
                             organizations=ORGS, MAIL_SMTP_HOST="127.0.0.1",
                             MAIL_SMTP_PORT=str(port), MAIL_FROM="wechat@contoso.example")
        try:
            await stack.install(ALICE)
            guest = stack.wechat.guest("oGuestRoute00000000000005", "Lam", language="en")
            await stack.guest_says(guest, "alice.wong@contoso.example please, about refinancing")
            assert any("routing assistant connected" in t for t in stack.teams_texts(ALICE))  # Teams does not wait
            assert smtp.received == []

            await smtp.start()
            stack.clock.advance(3600)
            await stack.components.worker.sweep()
            await stack.settle()
            [mail] = smtp.received
            message = mail.message()
            assert mail.rcpt_tos == ("alice-alerts@contoso.example",) and message["From"] == "wechat@contoso.example"
            body = message.get_body(("plain",)).get_content()
            assert "> alice.wong@contoso.example please, about refinancing" in body
            await stack.components.worker.sweep()
            await stack.settle()
            assert len(smtp.received) == 1
        finally:
            await _close(stack)


async def test_what_the_guest_told_the_assistant_reaches_the_employee_as_inbound_dlp_lets_it(tmp_path):
    dlp = 'dlp.rules = [{ name = "cards", detector = "card", direction = "inbound", action = "block" }]\n'
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"channel:{INBOX}",
                         organizations=ORGS.replace('routing = {', dlp + 'routing = {'))
    try:
        await stack.install(ALICE)
        guest = stack.wechat.guest("oGuestRoute00000000000006", "Ng", language="en")
        await stack.guest_says(guest, "my card 4111 1111 1111 1111 was charged twice")
        await stack.guest_says(guest, "Alice Wong please")
        [told] = [t for t in stack.teams_texts(ALICE) if "routing assistant connected" in t]
        assert "4111" not in told and "> Alice Wong please" in told
        assert "> \\[withheld by data-loss prevention\\]" in told
        recorded = [str(e.body) for e in await stack.components.storage.query("records")
                    if e.body.get("thread") == guest.openid]
        assert any("4111 1111 1111 1111" in r for r in recorded)  # the record keeps what was written
    finally:
        await _close(stack)


async def test_a_connection_made_hours_later_keeps_wechats_window_from_the_guests_message(tmp_path):
    """Bob installs the app two hours after the guest named him: the conversation's 48 h still count
    from the guest's message, as WeChat's do, so nothing is sent that WeChat would refuse."""
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    clock = FakeClock(start=time.time())
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"channel:{INBOX}", organizations=ORGS)
    try:
        guest = stack.wechat.guest("oGuestRoute00000000000007", "Yip", language="en")
        written_at = clock.now()
        await stack.guest_says(guest, "Bob Li please")
        clock.advance(2 * 3600)
        await stack.install(BOB)  # wakes the connection that waited for him
        await stack.components.worker.sweep()
        await stack.settle()
        assert any("routing assistant connected" in t for t in stack.teams_texts(BOB))
        thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
        assert abs(thread["policy"]["window_ends_at"] - (written_at + 48 * 3600)) < 5
    finally:
        await _close(stack)
