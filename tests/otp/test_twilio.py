"""PINs by Twilio (adapters/otp/twilio.py) against a local Twilio (simulators/otp.py) over real HTTP
on 127.0.0.1: an SMS arrives with the PIN, a call's TwiML reads it digit by digit in the guest's
language, wrong credentials and invalid numbers are refused for good, 429/503 wait with their
Retry-After, a provider that is not there is unavailable; and neither the PIN nor the auth token
ever shows in a log line, an error or a repr."""
from __future__ import annotations

import logging
import socket
from email.utils import formatdate

import pytest

from adapters.otp.twilio import TwilioSender, twiml
from core.otp_delivery import (DeliveryRejected, DeliveryUnavailable, PinSender, sms_text, spoken_digits,
                               spoken_text)
from simulators.otp import TWILIO_STATE, create_twilio_simulator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "tw-auth-token-9f8e7d6c5b4a39281706"
FROM = "+14155550100"
TO = "+8613812345678"
MASKED = "+86138****5678"
PIN = "482915"


@pytest.fixture
async def server(serve, clock):
    return await serve(create_twilio_simulator(ACCOUNT_SID, AUTH_TOKEN, clock=clock))


@pytest.fixture
def state(server):
    return server.app[TWILIO_STATE]


def make(server, session, clock, **kw) -> TwilioSender:
    kw.setdefault("from_number", FROM)
    token = kw.pop("auth_token", AUTH_TOKEN)
    return TwilioSender(ACCOUNT_SID, token, session, base_url=str(server.make_url("")).rstrip("/"),
                        timeout=5.0, clock=clock.now, **kw)


@pytest.fixture
def sender(server, session, clock):
    return make(server, session, clock)


@pytest.fixture(autouse=True)
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_nothing_leaks(caplog, *shown: object, secrets: tuple[str, ...] = (AUTH_TOKEN,)) -> None:
    """No log record, error or repr holds the PIN (as digits or read out), a secret, or the whole number."""
    forbidden = (PIN, spoken_digits(PIN, "en"), spoken_digits(PIN, "zh-CN"), TO) + secrets
    texts = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    texts += [str(x) for x in shown] + [repr(x) for x in shown]
    for text in texts:
        for value in forbidden:
            assert value not in text, f"{value!r} leaked into {text!r}"


async def test_an_sms_arrives_with_the_pin_and_the_log_names_the_masked_number_and_sid(sender, state, logs):
    assert isinstance(sender, PinSender)
    sid = await sender.send_sms(TO, sms_text(PIN))

    message = state.last_message(TO)
    assert message is not None and message.sid == sid and sid.startswith("SM")
    assert PIN in message.body and message.from_ == FROM and message.messaging_service_sid is None
    assert [(r.resource, r.status, r.authenticated) for r in state.requests] == [("Messages", 201, True)]
    said = [r.getMessage() for r in logs.records if r.name == "adapters.otp.twilio"]
    assert said == [f"Twilio accepted the SMS to {MASKED}: {sid}"]
    assert_nothing_leaks(logs, sender)


async def test_a_messaging_service_sends_instead_of_a_from_number(server, session, clock, state):
    sender = make(server, session, clock, from_number=None, messaging_service_sid="MG" + "a" * 32)
    await sender.send_sms(TO, sms_text(PIN, "zh-CN"))
    message = state.last_message()
    assert (message.from_, message.messaging_service_sid) == (None, "MG" + "a" * 32)
    assert f"您的验证码是{PIN}" in message.body
    with pytest.raises(DeliveryRejected, match="need a from_number"):
        await sender.call(TO, spoken_text(PIN), "en")
    assert state.calls == []


@pytest.mark.parametrize("language, digits, intro", [
    ("en", "4, 8, 2, 9, 1, 5", "Your verification code is"),
    ("zh-CN", "4，8，2，9，1，5", "您的验证码是"),
])
async def test_a_call_reads_the_pin_digit_by_digit_twice_in_the_guests_language(sender, state, logs, language,
                                                                                 digits, intro):
    sid = await sender.call(TO, spoken_text(PIN, language), language)

    call = state.last_call(TO)
    assert call.sid == sid and sid.startswith("CA") and call.from_ == FROM
    assert call.language == language and call.voice is None
    assert call.twiml.startswith(f'<Response><Say language="{language}">') and call.twiml.endswith("</Say></Response>")
    assert call.said.startswith(intro) and call.said.count(digits) == 2 and PIN not in call.said
    assert [r.getMessage() for r in logs.records if r.name == "adapters.otp.twilio"] == \
        [f"Twilio placed the call to {MASKED}: {sid}"]
    assert_nothing_leaks(logs, sender)


async def test_the_twiml_is_escaped_and_a_voice_can_be_chosen_per_language(server, session, clock, state):
    sender = make(server, session, clock, voices={"zh-CN": "Polly.Zhiyu"})
    await sender.call(TO, 'Code <1> & "2"', "zh-CN")
    call = state.last_call()
    assert call.said == 'Code <1> & "2"' and call.voice == "Polly.Zhiyu"
    assert "&lt;1&gt; &amp;" in call.twiml
    assert twiml("a'b", "en") == "<Response><Say language=\"en\">a'b</Say></Response>"
    with pytest.raises(DeliveryRejected, match="language"):
        await sender.call(TO, spoken_text(PIN), "fr")
    assert len(state.calls) == 1


async def test_a_wrong_auth_token_is_rejected_and_never_shown(server, session, clock, state, logs):
    wrong = "tw-wrong-token-00112233445566778899"
    sender = make(server, session, clock, auth_token=wrong)
    with pytest.raises(DeliveryRejected) as refused:
        await sender.send_sms(TO, sms_text(PIN))
    error = refused.value
    assert not isinstance(error, DeliveryUnavailable)
    assert (error.status, error.code) == (401, 20003) and "auth token is wrong" in str(error)
    assert state.messages == [] and state.requests[0].authenticated is False
    assert "auth_token=***" in repr(sender)
    assert_nothing_leaks(logs, error, sender, secrets=(AUTH_TOKEN, wrong))


@pytest.mark.parametrize("number, code, meaning", [
    ("+15005550001", 21211, "not a valid phone number"),
    ("+15005550009", 21614, "not a mobile number"),
    ("+15005550003", 21408, "region is not enabled"),
    ("+15005550004", 21610, "opted out"),
])
async def test_an_invalid_or_unreachable_number_is_rejected(sender, state, logs, number, code, meaning):
    for send in (lambda: sender.send_sms(number, sms_text(PIN)), lambda: sender.call(number, spoken_text(PIN), "en")):
        with pytest.raises(DeliveryRejected) as refused:
            await send()
        assert (refused.value.status, refused.value.code) == (400, code)
        assert meaning in str(refused.value) and number not in str(refused.value)
        assert_nothing_leaks(logs, refused.value, secrets=(AUTH_TOKEN, number))
    assert state.messages == [] and state.calls == []


async def test_a_number_not_in_e164_is_refused_here_and_by_twilio(sender, server, session, state):
    for bad in ("13812345678", "+0123456789", "+86 138 1234 5678", ""):
        with pytest.raises(DeliveryRejected, match="not an E.164 number"):
            await sender.send_sms(bad, sms_text(PIN))
    assert state.requests == []  # never sent

    url = server.make_url(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
    async with session.post(url, data={"To": "13812345678", "From": FROM, "Body": "x"},
                            headers={"Authorization": sender._basic()}) as response:
        answer = await response.json()
    assert response.status == 400 and answer["code"] == 21211 and answer["status"] == 400


async def test_429_and_503_are_unavailable_with_their_retry_after(sender, state, clock, logs):
    state.fail_next(429, retry_after=30)
    with pytest.raises(DeliveryUnavailable) as throttled:
        await sender.send_sms(TO, sms_text(PIN))
    assert (throttled.value.status, throttled.value.code, throttled.value.retry_after) == (429, 20429, 30)

    state.fail_next(503, retry_after=formatdate(clock.now() + 120, usegmt=True))
    with pytest.raises(DeliveryUnavailable) as down:
        await sender.call(TO, spoken_text(PIN), "en")
    assert (down.value.status, down.value.retry_after) == (503, 120)

    state.fail_next(400, code=20429)  # Twilio's "too many requests" code is transient whatever the status
    with pytest.raises(DeliveryUnavailable):
        await sender.send_sms(TO, sms_text(PIN))
    state.fail_next(500)
    with pytest.raises(DeliveryUnavailable) as failed:
        await sender.send_sms(TO, sms_text(PIN))
    assert failed.value.retry_after is None

    await sender.send_sms(TO, sms_text(PIN))  # the provider is back
    assert len(state.messages) == 1
    assert_nothing_leaks(logs, throttled.value, down.value, failed.value)


async def test_twilio_not_there_is_unavailable(session, clock, logs):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    sender = TwilioSender(ACCOUNT_SID, AUTH_TOKEN, session, from_number=FROM, base_url=f"http://127.0.0.1:{port}",
                          timeout=5.0, clock=clock.now)
    with pytest.raises(DeliveryUnavailable) as refused:
        await sender.send_sms(TO, sms_text(PIN))
    assert refused.value.status is None and "could not be reached" in str(refused.value)
    assert_nothing_leaks(logs, refused.value)


async def test_twilio_that_does_not_answer_in_time_is_unavailable(silent_server, session, clock, logs):
    sender = TwilioSender(ACCOUNT_SID, AUTH_TOKEN, session, from_number=FROM,
                          base_url=str(silent_server.make_url("")).rstrip("/"), timeout=0.2, clock=clock.now)
    with pytest.raises(DeliveryUnavailable, match="did not answer") as late:
        await sender.call(TO, spoken_text(PIN), "en")
    assert_nothing_leaks(logs, late.value)


def test_a_twilio_sender_needs_its_settings():
    for kw in ({}, {"from_number": "14155550100"}, {"from_number": FROM, "base_url": "ftp://api.twilio.com"},
               {"from_number": FROM, "timeout": 0}, {"messaging_service_sid": "MG/../x"}):
        with pytest.raises(ValueError):
            TwilioSender(ACCOUNT_SID, AUTH_TOKEN, None, **kw)  # type: ignore[arg-type]
    for sid, token in (("", AUTH_TOKEN), ("AC/../other", AUTH_TOKEN), (ACCOUNT_SID, "")):
        with pytest.raises(ValueError) as refused:
            TwilioSender(sid, token, None, from_number=FROM)  # type: ignore[arg-type]
        assert AUTH_TOKEN not in str(refused.value)
    shown = repr(TwilioSender(ACCOUNT_SID, AUTH_TOKEN, None, from_number=FROM))  # type: ignore[arg-type]
    assert AUTH_TOKEN not in shown and "auth_token=***" in shown and FROM not in shown
