"""PINs by SMS through Azure Communication Services (adapters/otp/acs.py) against a local ACS
(simulators/otp.py) over real HTTP on 127.0.0.1: the request is signed as ACS requires (the
simulator recomputes the HMAC; a tampered body, a stale date or a wrong key is refused with 401);
an SMS arrives with the PIN; a recipient's failure is final; 429/503 wait with their Retry-After;
voice is refused; and neither the PIN nor the access key ever shows in a log line, an error or a
repr."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import socket
from email.utils import parsedate_to_datetime

import pytest

from adapters.otp.acs import AcsSmsSender, decode_key
from core.clock import FakeClock
from core.otp_delivery import DeliveryRejected, DeliveryUnavailable, PinSender, sms_text, spoken_digits, spoken_text
from simulators.otp import ACS_STATE, create_acs_simulator

KEY_BYTES = b"acs-access-key-bytes-0123456789abcdef-\x00\xff"
ACCESS_KEY = base64.b64encode(KEY_BYTES).decode()
FROM = "+18445550100"
TO = "+8613812345678"
MASKED = "+86138****5678"
PIN = "730264"


@pytest.fixture
async def server(serve, clock):
    return await serve(create_acs_simulator(ACCESS_KEY, clock=clock))


@pytest.fixture
def state(server):
    return server.app[ACS_STATE]


def endpoint(server) -> str:
    return str(server.make_url("/"))  # with its trailing slash, as the portal shows it


@pytest.fixture
def sender(server, session, clock):
    return AcsSmsSender(endpoint(server), ACCESS_KEY, FROM, session, timeout=5.0, clock=clock.now)


@pytest.fixture(autouse=True)
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_nothing_leaks(caplog, *shown: object, secrets: tuple[str, ...] = (ACCESS_KEY,)) -> None:
    forbidden = (PIN, spoken_digits(PIN), TO) + secrets
    texts = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    texts += [str(x) for x in shown] + [repr(x) for x in shown]
    for text in texts:
        for value in forbidden:
            assert value not in text, f"{value!r} leaked into {text!r}"


async def test_an_sms_arrives_signed_as_acs_requires_with_the_pin(sender, server, state, clock, logs):
    assert isinstance(sender, PinSender)
    message_id = await sender.send_sms(TO, sms_text(PIN))

    message = state.last_message(TO)
    assert message.message_id == message_id and message_id.startswith("Outgoing_")
    assert PIN in message.message and message.from_ == FROM and message.enable_delivery_report is False
    got = state.requests[0]
    assert (got.status, got.verified, got.reason) == (202, True, None)
    assert json.loads(got.body) == {"from": FROM, "smsRecipients": [{"to": TO}], "message": sms_text(PIN),
                                    "smsSendOptions": {"enableDeliveryReport": False}}

    # The signature, recomputed here from the documented scheme (not with the adapter's helpers).
    date = got.headers["x-ms-date"]
    assert date.endswith(" GMT") and parsedate_to_datetime(date).timestamp() == int(clock.now())
    digest = base64.b64encode(hashlib.sha256(got.body).digest()).decode()
    assert got.headers["x-ms-content-sha256"] == digest
    host = f"127.0.0.1:{server.port}"
    assert got.headers["Host"] == host
    to_sign = f"POST\n/sms?api-version=2021-03-07\n{date};{host};{digest}".encode()
    signature = base64.b64encode(hmac.new(KEY_BYTES, to_sign, hashlib.sha256).digest()).decode()
    assert got.headers["Authorization"] == ("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256"
                                            f"&Signature={signature}")

    said = [r.getMessage() for r in logs.records if r.name == "adapters.otp.acs"]
    assert said == [f"ACS accepted the SMS to {MASKED}: {message_id}"]
    assert_nothing_leaks(logs, sender)


async def test_a_tampered_body_or_a_stale_date_is_refused_with_401(sender, server, session, state, clock, logs):
    body, headers = sender.request(TO, sms_text(PIN))
    url = server.make_url("/sms?api-version=2021-03-07")
    tampered = body.replace(PIN.encode(), b"000000")
    async with session.post(url, data=tampered, headers=headers) as response:  # the content hash no longer fits
        assert response.status == 401 and (await response.json())["error"]["code"] == "Denied"
    assert "hash" in state.requests[-1].reason

    rehashed = {**headers, "x-ms-content-sha256": base64.b64encode(hashlib.sha256(tampered).digest()).decode()}
    async with session.post(url, data=tampered, headers=rehashed) as response:  # the hash is signed too
        assert response.status == 401
    assert state.requests[-1].reason == "the signature does not match"

    async with session.post(server.make_url("/sms?api-version=2022-03-31-preview"), data=body,
                            headers=headers) as response:  # the path and query are signed
        assert response.status == 401

    clock.advance(16 * 60)  # a captured request replayed 16 minutes later
    async with session.post(url, data=body, headers=headers) as response:
        assert response.status == 401
    assert "15 minutes" in state.requests[-1].reason
    assert state.messages == [] and not any(r.verified for r in state.requests)

    lagging = FakeClock(clock.now() - 16 * 60)  # our clock 16 minutes behind the service's
    late = AcsSmsSender(endpoint(server), ACCESS_KEY, FROM, session, timeout=5.0, clock=lagging.now)
    with pytest.raises(DeliveryRejected) as refused:
        await late.send_sms(TO, sms_text(PIN))
    assert refused.value.status == 401 and "check the access key" in str(refused.value)
    lagging.advance(2 * 60)  # 14 minutes behind: within ACS's tolerance
    await late.send_sms(TO, sms_text(PIN))
    assert len(state.messages) == 1
    assert_nothing_leaks(logs, refused.value)


async def test_a_wrong_access_key_is_rejected_and_never_shown(server, session, clock, state, logs):
    wrong = base64.b64encode(b"not-the-key-of-this-resource").decode()
    sender = AcsSmsSender(endpoint(server), wrong, FROM, session, timeout=5.0, clock=clock.now)
    with pytest.raises(DeliveryRejected) as refused:
        await sender.send_sms(TO, sms_text(PIN))
    assert not isinstance(refused.value, DeliveryUnavailable)
    assert refused.value.status == 401 and refused.value.code == "Denied"
    assert state.messages == [] and state.requests[0].reason == "the signature does not match"
    assert "access_key=***" in repr(sender)
    assert_nothing_leaks(logs, refused.value, sender, secrets=(ACCESS_KEY, wrong))


async def test_the_simulator_checks_the_host_it_was_told(serve, session, clock):
    sim = await serve(create_acs_simulator(ACCESS_KEY, clock=clock, host="myres.communication.azure.com"))
    sender = AcsSmsSender(endpoint(sim), ACCESS_KEY, FROM, session, clock=clock.now)
    with pytest.raises(DeliveryRejected):  # signed for 127.0.0.1:<port>, not the resource's host
        await sender.send_sms(TO, sms_text(PIN))
    assert sim.app[ACS_STATE].requests[0].reason == "the signature does not match"


async def test_an_invalid_number_fails_for_the_recipient_and_is_rejected(sender, state, logs):
    state.fail_recipient("+8613800000000")
    with pytest.raises(DeliveryRejected) as refused:
        await sender.send_sms("+8613800000000", sms_text(PIN))
    assert refused.value.status == 400 and "Invalid To phone number format" in str(refused.value)
    assert "+8613800000000" not in str(refused.value)

    with pytest.raises(DeliveryRejected, match="not an E.164 number"):  # refused before it is sent
        await sender.send_sms("013812345678", sms_text(PIN))

    state.fail_recipient(TO, status=503, message="Service unavailable for the recipient.")
    with pytest.raises(DeliveryUnavailable) as later:
        await sender.send_sms(TO, sms_text(PIN))
    assert later.value.status == 503
    assert state.messages == [] and len(state.requests) == 2
    assert_nothing_leaks(logs, refused.value, later.value)


async def test_the_simulator_fails_a_recipient_that_is_not_e164(server, session, clock, state):
    sender = AcsSmsSender(endpoint(server), ACCESS_KEY, FROM, session, clock=clock.now)
    body, headers = sender.request("12345", "hello")
    async with session.post(server.make_url("/sms?api-version=2021-03-07"), data=body, headers=headers) as response:
        answer = await response.json()
    assert response.status == 202
    assert answer["value"][0] | {"repeatabilityResult": None} == {
        "to": "12345", "httpStatusCode": 400, "errorMessage": "Invalid To phone number format.",
        "successful": False, "repeatabilityResult": None}


async def test_429_and_503_are_unavailable_with_their_retry_after(sender, state, logs):
    state.fail_next(429, retry_after=7)
    with pytest.raises(DeliveryUnavailable) as throttled:
        await sender.send_sms(TO, sms_text(PIN))
    assert (throttled.value.status, throttled.value.retry_after, throttled.value.code) == (429, 7, "TooManyRequests")
    state.fail_next(503, retry_after=60)
    with pytest.raises(DeliveryUnavailable) as down:
        await sender.send_sms(TO, sms_text(PIN))
    assert (down.value.status, down.value.retry_after) == (503, 60)
    state.fail_next(400)
    with pytest.raises(DeliveryRejected):
        await sender.send_sms(TO, sms_text(PIN))
    await sender.send_sms(TO, sms_text(PIN))
    assert len(state.messages) == 1
    assert_nothing_leaks(logs, throttled.value, down.value)


async def test_acs_not_there_is_unavailable(session, clock, logs):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sender = AcsSmsSender(f"http://127.0.0.1:{port}", ACCESS_KEY, FROM, session, timeout=5.0, clock=clock.now)
    with pytest.raises(DeliveryUnavailable) as refused:
        await sender.send_sms(TO, sms_text(PIN))
    assert refused.value.status is None and "could not be reached" in str(refused.value)
    assert_nothing_leaks(logs, refused.value)


async def test_voice_calls_are_refused(sender, state):
    with pytest.raises(DeliveryRejected, match="voice calls are not supported by Azure Communication Services"):
        await sender.call(TO, spoken_text(PIN), "en")
    assert state.requests == []


def test_settings_and_the_connection_string():
    sender = AcsSmsSender.from_connection_string(
        f"endpoint=https://myres.communication.azure.com/;accesskey={ACCESS_KEY}", FROM, None)  # type: ignore[arg-type]
    assert sender.host == "myres.communication.azure.com" and sender.path_and_query == "/sms?api-version=2021-03-07"
    assert ACCESS_KEY not in repr(sender) and "access_key=***" in repr(sender)
    assert AcsSmsSender("https://myres.communication.azure.com:443", ACCESS_KEY, FROM,
                        None).host == "myres.communication.azure.com"  # type: ignore[arg-type]
    assert AcsSmsSender("http://127.0.0.1:8080/", ACCESS_KEY, FROM, None).host == "127.0.0.1:8080"  # type: ignore[arg-type]
    for args in (("ftp://myres", ACCESS_KEY, FROM), ("https://myres", "not base64!", FROM),
                 ("https://myres", "", FROM), ("https://myres", ACCESS_KEY, "18445550100")):
        with pytest.raises(ValueError) as refused:
            AcsSmsSender(*args, None)  # type: ignore[arg-type]
        assert ACCESS_KEY not in str(refused.value) and "not base64!" not in str(refused.value)
    with pytest.raises(ValueError):
        AcsSmsSender.from_connection_string("endpoint=https://myres", FROM, None)  # type: ignore[arg-type]
    assert decode_key(ACCESS_KEY) == KEY_BYTES
