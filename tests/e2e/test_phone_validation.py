"""A new guest validates their phone number over WeChat (the PIN through the Twilio simulator) and
reaches the employee whose number they give; the employee sees the validated number on the
contact card. Through HTTP, as WeChat and Teams would drive it."""
from __future__ import annotations

import functools
import logging
import re
import time

import pytest
from aiohttp.test_utils import TestServer

from core.clock import FakeClock
from simulators.otp import TWILIO_STATE, create_twilio_simulator
from tests.e2e.conftest import ALICE, BOB, _close, _stack

SID, TOKEN, FROM = "AC" + "0123456789abcdef" * 2, "tw-auth-token-9f8e7d6c5b4a39281706", "+14155550100"
ORGS = f'''
[[organizations]]
id = "c"
  [[organizations.sub_organizations]]
  id = "hk"
  phone_validation = {{ region = "HK" }}
  employees = [{{ aad = "{ALICE.aad_object_id}", name = "Alice Wong", phone = "+852 9123 4567" }},
               {{ aad = "{BOB.aad_object_id}", name = "Bob Li", phone = "+852 9123 4599" }}]
'''


@pytest.fixture
async def validating(tmp_path):
    clock = FakeClock(start=time.time())
    twilio = TestServer(create_twilio_simulator(SID, TOKEN, clock=clock), host="127.0.0.1")
    await twilio.start_server()
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         organizations=ORGS, OTP_PROVIDER="twilio", PIN_KEY="p" * 40,
                         TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_FROM_NUMBER=FROM,
                         TWILIO_API_BASE_URL=str(twilio.make_url("")).rstrip("/"))
    try:
        await stack.install(ALICE)
        yield stack, twilio.app[TWILIO_STATE]
    finally:
        await _close(stack)
        await twilio.close()


async def test_a_guest_validates_by_sms_and_reaches_the_employee_who_sees_the_number(validating, caplog):
    caplog.set_level(logging.DEBUG)
    stack, twilio = validating
    guest = stack.wechat.guest("oGuestPhone00000000000001", "Chen", language="en")
    says = functools.partial(stack.guest_says, guest)

    assert len(await says("Hello, I'd like to talk to my banker")) == 1  # asked for their number
    assert stack.teams_texts(ALICE) == [t for t in stack.teams_texts(ALICE) if "Hello" not in t]  # not yet in Teams
    await says("9123 4568")
    pin = re.search(r"\d{6}", twilio.last_message("+85291234568").body).group(0)
    await says(pin)
    answer = await says("+852 9123 4567")
    # through the conversation's policy: with WeChat's rules, in one message
    assert answer[-1].startswith("You are now connected with Alice Wong. Please note, WeChat allows your contact 5")

    told = [t for t in stack.teams_texts(ALICE) if "Validated the phone number +852 9123 4568 and asked for you" in t]
    assert len(told) == 1
    cards = [" ".join(t.split()) for t in stack.teams_texts(ALICE)]
    assert any("Validated phone number: +852 9123 4568 · " in t for t in cards)  # the contact card, and when

    await stack.employee_says(ALICE, "Hello Mr Chen, Alice here.")
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong: Hello Mr Chen, Alice here."

    alone = re.compile(rf"(?<!\d){pin}(?!\d)")  # the PIN as such, not six digits inside a MsgId
    assert not any(alone.search(record.getMessage()) for record in caplog.records)  # no PIN in any log
    for container in ("kv", "jobs", "records", "threads"):
        stored = [item.body for item in await stack.components.storage.query(container)]
        found = [m.start() for body in stored for m in [alone.search(str(body))] if m]
        assert not found, (container, [str(b)[max(0, i - 80): i + 20] for b in stored for i in found
                                       if alone.search(str(b))])


async def test_a_returning_guest_confirms_the_masked_number_and_is_connected_again(validating):
    stack, twilio = validating
    guest = stack.wechat.guest("oGuestPhone00000000000002", "Wang", language="en")
    says = functools.partial(stack.guest_says, guest)

    await says("hi")
    await says("9123 4568")
    await says(re.search(r"\d{6}", twilio.last_message("+85291234568").body).group(0))
    await says("91234567")
    await says("#LEAVE")  # the conversation ends
    [confirm] = await says("Hello again")
    assert "+852 **** 4568" in confirm and "9123" not in confirm  # still this number? (masked)
    stack.clock.advance(120)  # past the resend cooldown of the first PIN
    await says("Yes")
    await says(re.search(r"\d{6}", twilio.last_message("+85291234568").body).group(0))
    answer = await says("+852 9123 4567")
    assert answer[-1].startswith("You are now connected with Alice Wong. Please note")
    assert len(twilio.messages) == 2  # one PIN each time


async def test_an_employee_without_the_app_yet_is_connected_once_they_install_it(validating):
    stack, twilio = validating
    guest = stack.wechat.guest("oGuestPhone00000000000003", "Li", language="en")
    for text in ("hi", "9123 4568"):
        await guest.say(text)
        await stack.settle()
    await guest.say(re.search(r"\d{6}", twilio.last_message("+85291234568").body).group(0))
    await stack.settle()
    named_at = stack.clock.now()
    await guest.say("+852 9123 4599")  # Bob, who has not installed the app
    await stack.settle()
    assert not any("connected with Bob Li" in t for t in await stack.guest_texts(guest.openid))

    stack.clock.advance(3600)
    await stack.install(BOB)  # wakes what waited for him, an hour later
    await stack.components.worker.sweep()
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1].startswith("You are now connected with Bob Li. Please note")
    assert sum("Validated the phone number +852 9123 4568" in t for t in stack.teams_texts(BOB)) == 1
    thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
    assert abs(thread["policy"]["window_ends_at"] - (named_at + 48 * 3600)) < 5  # WeChat's window, from the message


async def test_a_guest_who_came_through_a_qr_code_validates_and_reaches_that_employee_without_being_asked(validating):
    stack, twilio = validating
    await stack.install(BOB)
    guest = stack.wechat.guest("oGuestPhone00000000000004", "Kwok", language="en")
    await guest.follow(scene=f"emp_{BOB.aad_object_id}")
    await stack.settle()
    [ask] = await stack.guest_texts(guest.openid)
    assert "phone number" in ask  # the follow begins the validation
    await guest.say("9123 4568")
    await stack.settle()
    await guest.say(re.search(r"\d{6}", twilio.last_message("+85291234568").body).group(0))
    await stack.settle()
    texts = await stack.guest_texts(guest.openid)
    # verified, connected and WeChat's rules: one WeChat message
    assert texts[-1].startswith("Thank you, your phone number +852 **** 4568 is verified. "
                                "You are now connected with Bob Li. Please note")
    assert not any("person you want to reach" in t for t in texts)  # Bob's QR code said whom
    assert sum("Validated the phone number +852 9123 4568" in t for t in stack.teams_texts(BOB)) == 1
    # The policy counts what WeChat counted since the PIN: the dialog's "verified" too, not only its own.
    thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
    assert thread["policy"]["sent"] == 5 - stack.sim.user_view(guest.openid)["remaining"]


async def test_a_new_follower_is_asked_for_their_number_at_once(validating):
    stack, _ = validating
    guest = stack.wechat.guest("oGuestPhone00000000000005", "Tse", language="en")
    await guest.follow()
    await stack.settle()
    [ask] = await stack.guest_texts(guest.openid)
    assert "phone number" in ask
