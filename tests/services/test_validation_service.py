"""services/validation.py on the fakes (tests/fakes.py): the dialog's messages reach WeChat, the PIN reaches
the guest's phone (by SMS or a call), the guest who types it and names an employee's number is connected to
that employee; no PIN is ever stored; a deadline is a job; a provider's refusal and a crash between the
decision and the PIN's sending are told to the dialog as not delivered. Over HTTP, with the Twilio and
WeChat simulators: tests/e2e/test_phone_validation.py."""
from __future__ import annotations

import asyncio
import re

import pytest

from core.organizations import directory_from_mapping
from core.otp_delivery import DeliveryRejected
from core.threads import Target
from dialogs.phone_validation import GuestText, Start, ValidationEvent
from services.record import Recorder
from services.validation import SENDING_SECONDS, ValidationService
from tests.fakes import ALICE, Bridge, personal_conversation

GUEST = "oGuestValidate000000000001"
GUESTS_PHONE = "+85291234568"
KEY = b"k" * 32
DIRECTORY = directory_from_mapping({"organizations": [{"id": "c", "sub_organizations": [{
    "id": "hk", "phone_validation": {"region": "HK"},
    "employees": [{"aad": ALICE, "name": "Alice Wong", "phone": "+852 9123 4567"}]}]}]})
SUB = DIRECTORY.sub_organizations[0]


async def validating() -> Bridge:
    bridge = Bridge.build(DIRECTORY, pin_key=KEY)
    await bridge.install(Target("employee", ALICE))
    return bridge


def service(bridge: Bridge) -> ValidationService:
    assert bridge.validation is not None
    return bridge.validation


async def says(bridge: Bridge, event: ValidationEvent, event_id: str, openid: str = GUEST) -> None:
    """The guest's event decided by the dialog, and everything it started run."""
    await service(bridge).apply(openid, event, event_id, sub=SUB, account="default")
    await bridge.settle()


def pin(bridge: Bridge) -> str:
    to, text = bridge.pins.sms[-1]
    assert to == GUESTS_PHONE
    return re.search(r"\d{6}", text).group(0)


async def test_a_new_guest_validates_by_sms_and_reaches_the_employee_they_name():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    assert len(bridge.wechat.said_to(GUEST)) == 1  # asked for their number
    await says(bridge, GuestText("9123 4568"), "m2")  # a Hong Kong number, read in the region
    typed = pin(bridge)
    await says(bridge, GuestText(typed), "m3")
    await says(bridge, GuestText("+852 9123 4567"), "m4")  # Alice's

    thread = await bridge.thread(GUEST)
    assert (thread.target, thread.source, thread.validated_phone) == (
        Target("employee", ALICE), "validated", GUESTS_PHONE)
    assert bridge.wechat.said_to(GUEST)[-1].startswith("You are now connected with Alice Wong.")  # with the rules
    assert any("+852 9123 4568" in c.shown for c in bridge.teams.posts(personal_conversation(ALICE)))
    assert (await service(bridge).state(GUEST)).step == "connected"

    # No PIN anywhere in storage: not in the dialog's document, its outbox, any job or the record.
    for container in ("kv", "jobs", "records"):
        assert not any(typed in str(item.body) for item in await bridge.storage.query(container)), container
    record = await bridge.record(GUEST)
    assert any(f.get("validated") == GUESTS_PHONE for e in record for f in e.get("decided", ()))


async def test_an_unknown_employee_number_is_told_and_a_later_try_connects():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    await says(bridge, GuestText("91234568"), "m2")
    await says(bridge, GuestText(pin(bridge)), "m3")
    await says(bridge, GuestText("+852 9999 0000"), "m4")  # nobody here
    assert await bridge.threads.get(GUEST) is None and (await service(bridge).state(GUEST)).step == "ask_employee"
    await says(bridge, GuestText("91234567"), "m5")
    assert (await bridge.thread(GUEST)).target == Target("employee", ALICE)


async def test_no_pin_in_time_brings_the_help_through_a_deadline_job():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    await says(bridge, GuestText("91234568"), "m2")
    asked = len(bridge.wechat.said_to(GUEST))
    due = (await service(bridge).state(GUEST)).next_due_at
    assert due is not None
    bridge.clock.advance(due - bridge.clock.now() + 1)
    await bridge.run_due()
    assert len(bridge.wechat.said_to(GUEST)) == asked + 1 and (await service(bridge).state(GUEST)).step == "help"


async def test_a_decision_run_again_sends_nothing_twice():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    await says(bridge, GuestText("91234568"), "m2")
    sms, said = len(bridge.pins.sms), len(bridge.wechat.texts)
    await says(bridge, GuestText("91234568"), "m2")  # the same event again (a retried job)
    assert (len(bridge.pins.sms), len(bridge.wechat.texts)) == (sms, said) == (1, 2)


async def test_a_pin_a_crash_cut_off_is_told_as_not_delivered_and_never_sent_from_storage():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    bridge.pins.refuse_next("send_sms", asyncio.CancelledError())  # the process stops as it sends the PIN
    with pytest.raises(asyncio.CancelledError):
        await says(bridge, GuestText("91234568"), "m2")
    assert (await service(bridge).state(GUEST)).step == "ask_pin"  # decided and written, its PIN gone

    # A new process finds that outbox (once the one that wrote it cannot be sending it any more).
    fresh = ValidationService(storage=bridge.storage, worker=bridge.worker, pins=bridge.pins,
                              recorder=Recorder(bridge.storage, bridge.clock), directory=DIRECTORY, clock=bridge.clock,
                              key=KEY)
    bridge.clock.advance(SENDING_SECONDS)
    await fresh.apply(GUEST, GuestText("hello?"), "m3", sub=SUB, account="default")
    await bridge.settle()
    assert bridge.pins.sms == []  # never sent from storage: there is no PIN there
    assert (await fresh.state(GUEST)).step == "help"  # offered to send again, call, or change the number


async def test_a_pin_the_provider_refuses_is_told_as_not_delivered():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    bridge.pins.refuse_next("send_sms", DeliveryRejected("unreachable number", status=400, code=21211))
    await says(bridge, GuestText("91234568"), "m2")
    assert bridge.pins.sms == [] and (await service(bridge).state(GUEST)).step == "help"


async def test_the_pin_by_voice_call_read_digit_by_digit():
    bridge = await validating()
    await says(bridge, Start(language="en"), "m1")
    await says(bridge, GuestText("91234568"), "m2")
    bridge.clock.advance(61)  # past the resend cooldown
    await says(bridge, GuestText("Help"), "m3")
    await says(bridge, GuestText("Call"), "m4")
    [(to, spoken, language)] = bridge.pins.calls
    digits = re.findall(r"\d", spoken)[:6]  # "1, 2, 3, 4, 5, 6", said twice
    assert (to, language) == (GUESTS_PHONE, "en")  # in the guest's language
    await says(bridge, GuestText("".join(digits)), "m5")
    assert (await service(bridge).state(GUEST)).step == "ask_employee"


async def test_a_number_gets_no_more_pins_a_day_than_the_cap_whoever_asks():
    """SMS pumping: many WeChat accounts asking PINs for one number. Each guest is within its own
    caps; the number's cap holds across them."""
    bridge = await validating()
    cap = SUB.validation_limits.per_number_per_day
    for i in range(cap + 2):
        openid = f"oGuestPumping{i:013d}"
        await says(bridge, Start(language="en"), f"s{i}", openid)
        await says(bridge, GuestText("91234568"), f"n{i}", openid)
    assert len(bridge.pins.sms) == cap
    refused = await service(bridge).state(f"oGuestPumping{cap:013d}")
    assert (refused.step, refused.gave_up_reason) == ("gave_up", "number_cap")
    assert "PIN" in bridge.wechat.said_to(f"oGuestPumping{cap:013d}")[-1]  # told, in a sentence of its own


def test_an_answer_to_the_validation_is_not_kept_however_the_pin_is_written():
    from services.inbound import withheld

    for typed in ("123456", "123 456", "1-2-3-4-5-6", "１２３ ４５６", "my code is 123 456"):
        kept = withheld({"push": {"Content": typed, "MsgId": "42"}, "account": "default"})
        assert typed not in str(kept)
        assert kept["push"]["MsgId"] == "42" and kept["account"] == "default"
        # a job of an earlier version kept the message, its fields again and WeChat's raw XML
        payload = {"message": {"content": typed, "fields": {"Content": typed, "MsgId": "42"}},
                   "raw": f"<xml><Content><![CDATA[{typed}]]></Content><MsgId>42</MsgId></xml>", "account": "default"}
        kept = withheld(payload)
        assert typed not in str(kept)
        assert kept["message"]["fields"]["MsgId"] == "42" and "<MsgId>42</MsgId>" in kept["raw"]
