"""The signed CRM webhook (adapters/crm/webhook.py) against a local receiver (simulators/crm.py)
over real HTTP on 127.0.0.1: a delivery verifies, a tampered or replayed one does not, a 503 waits,
a 400 is final, a resend is kept once, a receiver that is not there is unavailable."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket

import pytest

from adapters.crm.webhook import WebhookCrm, signature, verify_signature
from core.clock import FakeClock
from core.crm import CrmRejected, CrmUnavailable, crm_event
from simulators.crm import WEBHOOK_STATE, create_webhook_receiver
from tests.crm.test_crm_core import GUEST, NINE, chain, employee, guest

SECRET = "whsec-0123456789abcdef-the-shared-secret"


@pytest.fixture
def clock():
    return FakeClock(NINE + 600)


@pytest.fixture
async def receiver(serve, clock):
    return await serve(create_webhook_receiver(SECRET, clock=clock))


@pytest.fixture
def state(receiver):
    return receiver.app[WEBHOOK_STATE]


@pytest.fixture
def crm(receiver, session, clock):
    return WebhookCrm(str(receiver.make_url("/hooks/wechat")), SECRET, session, timeout=5.0, clock=clock.now)


def entries():
    return chain(guest(), employee())


async def test_a_signed_delivery_is_verified_and_kept_as_the_entrys_event(crm, state, clock):
    first, second = entries()
    await crm.log(first, [first])
    await crm.log(second, [first, second])

    assert list(state.events) == [f"{GUEST}:1", f"{GUEST}:2"]
    assert state.events[f"{GUEST}:2"] == crm_event(second)
    got = state.deliveries[0]
    assert (got.path, got.status, got.verified) == ("/hooks/wechat", 200, True)
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["Idempotency-Key"] == f"{GUEST}:1"
    assert got.headers["X-WeChat-Bridge-Timestamp"] == str(int(clock.now()))
    expected = hmac.new(SECRET.encode(), f"{int(clock.now())}.".encode() + got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-WeChat-Bridge-Signature"] == f"sha256={expected}"
    assert got.body == json.dumps(crm_event(first), separators=(",", ":"), ensure_ascii=False).encode()
    assert "请卖出100股".encode() in got.body  # UTF-8, not \\u escapes


async def test_a_tampered_body_or_an_old_timestamp_fails_verification(crm, receiver, session, state, clock):
    first, _ = entries()
    body, headers = crm.request(first)
    now = clock.now()
    stamp, sig = headers["X-WeChat-Bridge-Timestamp"], headers["X-WeChat-Bridge-Signature"]
    assert verify_signature(SECRET, stamp, body, sig, now)
    tampered = body.replace("please".encode(), "pleasE".encode())
    assert not verify_signature(SECRET, stamp, tampered, sig, now)
    assert not verify_signature("another-secret", stamp, body, sig, now)
    assert not verify_signature(SECRET, str(int(stamp) + 1), body, sig, now)  # the timestamp is signed too
    assert not verify_signature(SECRET, stamp, body, sig, now + 301)  # replayed six minutes later
    assert not verify_signature(SECRET, stamp, body, sig, now - 301)  # from the future
    assert verify_signature(SECRET, stamp, body, sig, now + 300)
    for bad in (None, "", "sha256=", sig.upper(), "md5=" + sig[7:], sig + "0", "sha256=é" + sig[8:]):
        assert not verify_signature(SECRET, stamp, body, bad, now)
    for bad_stamp in (None, "", "abc", "-5", "1e9", "１２３"):
        assert not verify_signature(SECRET, bad_stamp, body, signature(SECRET, str(bad_stamp), body), now)

    url = receiver.make_url("/hooks/wechat")
    async with session.post(url, data=tampered, headers=headers) as response:
        assert response.status == 401
    clock.advance(301)
    async with session.post(url, data=body, headers=headers) as response:  # a captured request, replayed
        assert response.status == 401
    assert state.events == {} and [d.verified for d in state.deliveries] == [False, False]


async def test_a_503_is_unavailable_with_its_retry_after_and_the_entry_goes_later(crm, state):
    first, _ = entries()
    state.fail_next(503, retry_after=30)
    with pytest.raises(CrmUnavailable) as unavailable:
        await crm.log(first, [first])
    assert (unavailable.value.status, unavailable.value.retry_after) == (503, 30)
    assert state.events == {}
    state.fail_next(429)
    with pytest.raises(CrmUnavailable) as throttled:
        await crm.log(first, [first])
    assert throttled.value.retry_after is None
    await crm.log(first, [first])
    assert list(state.events) == [f"{GUEST}:1"]


async def test_a_400_is_rejected_for_good_without_the_secret(crm, state):
    first, _ = entries()
    state.fail_next(400)
    with pytest.raises(CrmRejected) as rejected:
        await crm.log(first, [first])
    assert rejected.value.status == 400 and "injected failure" in str(rejected.value)
    assert not isinstance(rejected.value, CrmUnavailable)
    assert SECRET not in str(rejected.value) and SECRET not in repr(crm) and "secret=***" in repr(crm)


async def test_a_wrong_secret_is_refused_by_the_receiver(receiver, session, clock, state):
    first, _ = entries()
    wrong = WebhookCrm(str(receiver.make_url("/hooks/wechat")), "not-the-secret", session, clock=clock.now)
    with pytest.raises(CrmUnavailable) as rejected:  # waits for the secret to be fixed, never given up
        await wrong.log(first, [first])
    assert rejected.value.status == 401 and "not-the-secret" not in str(rejected.value)


async def test_the_same_entry_twice_is_kept_once(crm, state):
    first, _ = entries()
    await crm.log(first, [first])
    await crm.log(first, [first])  # a retried job after a lost answer
    assert list(state.events) == [f"{GUEST}:1"] and state.received(f"{GUEST}:1") == 2
    assert [d.duplicate for d in state.deliveries] == [False, True]


async def test_a_receiver_that_is_not_there_is_unavailable(session, clock):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    first, _ = entries()
    crm = WebhookCrm(f"http://127.0.0.1:{port}/hook", SECRET, session, timeout=5.0, clock=clock.now)
    with pytest.raises(CrmUnavailable) as refused:
        await crm.log(first, [first])
    assert refused.value.status is None and SECRET not in str(refused.value)


async def test_a_receiver_that_does_not_answer_in_time_is_unavailable(silent_server, session, clock):
    first, _ = entries()
    crm = WebhookCrm(str(silent_server.make_url("/hook")), SECRET, session, timeout=0.2, clock=clock.now)
    with pytest.raises(CrmUnavailable, match="did not answer"):
        await crm.log(first, [first])


def test_a_webhook_needs_an_http_url_and_a_secret():
    for url, secret in (("ftp://crm.example.com/", "s"), ("not a url", "s"), ("https://crm.example.com/", "")):
        with pytest.raises(ValueError):
            WebhookCrm(url, secret, session=None)  # type: ignore[arg-type]
    shown = repr(WebhookCrm("https://user:pw@crm.example.com/hook?token=abc", "s", session=None))  # type: ignore[arg-type]
    assert "pw" not in shown and "abc" not in shown and "crm.example.com/hook" in shown
