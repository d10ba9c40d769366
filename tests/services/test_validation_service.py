"""The phone-number validation carried out: the dialog's messages reach the WeChat simulator, the
PIN reaches the Twilio simulator, the guest who types it and names an employee's number is
connected to that employee; no PIN is ever stored; a deadline is a job; a crash between the
decision and the PIN's sending is told to the dialog as not delivered."""
from __future__ import annotations

import re

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.otp.twilio import TwilioSender
from adapters.storage.sqlite import SqliteStorage
from adapters.wechat.client import WeChatClient
from adapters.wechat.token_cache import TokenCache
from core.clock import FakeClock
from core.organizations import directory_from_mapping
from dialogs.phone_validation import GuestText, Start
from services.jobs import JobQueue, Worker
from services.record import Recorder
from services.validation import ValidationService
from simulators.otp import TWILIO_STATE, create_twilio_simulator
from simulators.wechat_api import STATE_KEY, create_wechat_simulator

APP_ID, SECRET = "wx1234567890abcdef", "the-app-secret-0123456789"
SID, TOKEN, FROM = "AC" + "0123456789abcdef" * 2, "tw-auth-token-9f8e7d6c5b4a39281706", "+14155550100"
GUEST, ALICE = "oGuestValidate000000000001", "a11ce000-0000-4000-8000-000000000001"
KEY = b"k" * 32
DIRECTORY = directory_from_mapping({"organizations": [{"id": "c", "sub_organizations": [{
    "id": "hk", "phone_validation": {"region": "HK"},
    "employees": [{"aad": ALICE, "name": "Alice Wong", "phone": "+852 9123 4567"}]}]}]})


class Stack:
    def __init__(self, storage, clock, wechat_state, twilio_state, service, worker):
        self.storage, self.clock, self.wechat, self.twilio, self.service, self.worker = \
            storage, clock, wechat_state, twilio_state, service, worker
        self.connected: list[tuple[str, str]] = []
        self.connections: list = []

    async def guest(self, event, event_id):
        self.wechat.user_message(GUEST)  # the guest wrote: WeChat opens its window
        await self.service.apply(GUEST, event, event_id, sub=DIRECTORY.sub_organizations[0], account="default")
        await self.worker.drain()

    def said(self) -> list[str]:
        return self.wechat.texts(GUEST)

    def pin(self) -> str:
        return re.search(r"\d{6}", self.twilio.last_message("+85291234568").body).group(0)


@pytest.fixture
async def stack(tmp_path):
    clock = FakeClock()
    wechat = TestServer(create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET), host="127.0.0.1")
    twilio = TestServer(create_twilio_simulator(SID, TOKEN, clock=clock), host="127.0.0.1")
    await wechat.start_server()
    await twilio.start_server()
    storage = SqliteStorage(str(tmp_path / "v.sqlite3"))
    await storage.open()
    session = aiohttp.ClientSession()
    base = str(wechat.make_url("")).rstrip("/")
    client = WeChatClient(session, base, APP_ID, SECRET, lambda fetch: TokenCache(storage, clock, fetch, app_id=APP_ID,
                                                                                   instance_id="i1"))
    worker = Worker(JobQueue(storage, clock, "i1"))
    holder: list[Stack] = []

    async def connect(connection):
        holder[0].connected.append((connection.openid, connection.target.id))
        holder[0].connections.append(connection)

    service = ValidationService(storage=storage, worker=worker, wechat={"default": client},
                                pins=TwilioSender(SID, TOKEN, session, from_number=FROM,
                                                  base_url=str(twilio.make_url("")).rstrip("/")),
                                recorder=Recorder(storage, clock), directory=DIRECTORY, clock=clock, key=KEY,
                                connect=connect)
    service.register()
    s = Stack(storage, clock, wechat.app[STATE_KEY], twilio.app[TWILIO_STATE], service, worker)
    holder.append(s)
    s.wechat.follow(GUEST)
    try:
        yield s
    finally:
        await worker.stop()
        await session.close()
        await storage.close()
        await wechat.close()
        await twilio.close()


async def test_a_new_guest_validates_by_sms_and_reaches_the_employee_they_name(stack):
    await stack.guest(Start(language="en"), "m1")
    assert len(stack.said()) == 1  # asked for their number
    await stack.guest(GuestText("9123 4568"), "m2")  # a Hong Kong number, read in the region
    pin = stack.pin()
    await stack.guest(GuestText(pin), "m3")
    await stack.guest(GuestText("+852 9123 4567"), "m4")  # Alice's
    assert stack.connected == [(GUEST, ALICE)]
    [connection] = stack.connections
    assert connection.number == "+85291234568" and connection.text == "You are now connected with Alice Wong."
    assert not any("Alice Wong" in t for t in stack.said())  # said by the conversation, which counts it
    state = await stack.service.state(GUEST)
    assert state.step == "connected"

    # No PIN anywhere in storage: not in the dialog's document, its outbox, any job or the record.
    for container in ("kv", "jobs", "records"):
        assert not any(pin in str(item.body) for item in await stack.storage.query(container)), container
    record = await Recorder(stack.storage, stack.clock).entries(GUEST)
    assert any(f.get("validated") == "+85291234568" for e in record for f in e["decided"])


async def test_an_unknown_employee_number_is_told_and_a_later_try_connects(stack):
    await stack.guest(Start(language="en"), "m1")
    await stack.guest(GuestText("91234568"), "m2")
    await stack.guest(GuestText(stack.pin()), "m3")
    await stack.guest(GuestText("+852 9999 0000"), "m4")  # nobody here
    assert stack.connected == [] and (await stack.service.state(GUEST)).step == "ask_employee"
    await stack.guest(GuestText("91234567"), "m5")
    assert stack.connected == [(GUEST, ALICE)]


async def test_no_pin_in_time_brings_the_help_through_a_deadline_job(stack):
    await stack.guest(Start(language="en"), "m1")
    await stack.guest(GuestText("91234568"), "m2")
    asked = len(stack.said())
    due = (await stack.service.state(GUEST)).next_due_at
    assert due is not None
    stack.clock.advance(due - stack.clock.now() + 1)
    await stack.worker.sweep()
    await stack.worker.drain()
    assert len(stack.said()) == asked + 1 and (await stack.service.state(GUEST)).step == "help"


async def test_a_decision_re_run_sends_nothing_twice_and_a_lost_pin_is_told_as_not_delivered(stack):
    await stack.guest(Start(language="en"), "m1")
    await stack.guest(GuestText("91234568"), "m2")
    sms = len(stack.twilio.messages)
    said = len(stack.said())
    await stack.guest(GuestText("91234568"), "m2")  # the same event again (a retried job)
    assert (len(stack.twilio.messages), len(stack.said())) == (sms, said)

    # A new process (nothing started yet) finds the last outbox: its PIN is gone with the old process.
    fresh = ValidationService(storage=stack.storage, worker=stack.worker, wechat=stack.service.wechat,
                              pins=stack.service.pins, recorder=None, directory=DIRECTORY, clock=stack.clock,
                              key=KEY, connect=stack.service.connect)
    await fresh.apply(GUEST, GuestText("hello?"), "m3", sub=DIRECTORY.sub_organizations[0], account="default")
    await stack.worker.drain()
    assert len(stack.twilio.messages) == sms  # never re-sent from storage


async def test_the_pin_by_voice_call_read_digit_by_digit(stack):
    await stack.guest(Start(language="en"), "m1")
    await stack.guest(GuestText("91234568"), "m2")
    stack.clock.advance(61)  # past the resend cooldown
    await stack.guest(GuestText("Help"), "m3")
    await stack.guest(GuestText("Call"), "m4")
    call = stack.twilio.last_call("+85291234568")
    digits = re.findall(r"\d", call.said)[:6]  # "1, 2, 3, 4, 5, 6", said twice
    assert call.language.startswith("en")  # the guest's language
    await stack.guest(GuestText("".join(digits)), "m5")
    assert (await stack.service.state(GUEST)).step == "ask_employee"


async def test_a_number_gets_no_more_pins_a_day_than_the_cap_whoever_asks(stack):
    """SMS pumping: many WeChat accounts asking PINs for one number. Each guest is within its own
    caps; the number's cap holds across them."""
    sub = DIRECTORY.sub_organizations[0]
    cap = 5
    for i in range(cap + 2):
        openid = f"oGuestPumping{i:013d}"
        stack.wechat.follow(openid)
        stack.wechat.user_message(openid)
        await stack.service.apply(openid, Start(language="en"), f"s{i}", sub=sub, account="default")
        stack.wechat.user_message(openid)
        await stack.service.apply(openid, GuestText("91234568"), f"n{i}", sub=sub, account="default")
        await stack.worker.drain()
    assert len(stack.twilio.messages) == cap
    refused = await stack.service.state(f"oGuestPumping{cap:013d}")
    assert (refused.step, refused.gave_up_reason) == ("gave_up", "number_cap")
    assert "PIN" in stack.wechat.texts(f"oGuestPumping{cap:013d}")[-1]  # told, in a sentence of its own


def test_an_answer_to_the_validation_is_not_kept_however_the_pin_is_written():
    from services.inbound import withheld

    for typed in ("123456", "123 456", "1-2-3-4-5-6", "１２３ ４５６", "my code is 123 456"):
        payload = {"message": {"content": typed, "fields": {"Content": typed, "MsgId": "42"}},
                   "raw": f"<xml><Content><![CDATA[{typed}]]></Content><MsgId>42</MsgId></xml>", "account": "default"}
        kept = withheld(payload)
        assert typed not in str(kept)
        assert kept["message"]["fields"]["MsgId"] == "42" and "<MsgId>42</MsgId>" in kept["raw"]
