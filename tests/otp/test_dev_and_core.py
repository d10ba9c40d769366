"""The PIN delivery interface (core/otp_delivery.py) and the development sender (adapters/otp/dev.py):
the sandbox sender is refused in production and shows the message otherwise; digit runs are
masked for logs; numbers are masked; what a call says reads the PIN digit by digit, twice."""
from __future__ import annotations

import pytest

from adapters.otp.dev import REFUSED_IN_PRODUCTION, DevSender
from core.otp_delivery import (DeliveryError, DeliveryRejected, DeliveryUnavailable, PinSender, check_pin, is_e164,
                               is_transient, mask_number, redact, retry_after, sms_text, snippet, spoken_digits,
                               spoken_text)

PIN = "482915"


# -- the development sender ------------------------------------------------------------------------

def test_the_development_sender_is_refused_in_production():
    shown: list[str] = []
    with pytest.raises(ValueError) as refused:
        DevSender(shown.append, production=True)
    assert str(refused.value) == "the development PIN sender shows PINs on screen: refused in production"
    assert str(refused.value) == REFUSED_IN_PRODUCTION and shown == []
    with pytest.raises(TypeError):
        DevSender(shown.append)  # type: ignore[call-arg]  # production must be said


async def test_the_development_sender_shows_what_it_sends_and_keeps_it():
    shown: list[str] = []
    sender = DevSender(shown.append, production=False)
    assert isinstance(sender, PinSender)

    sms_id = await sender.send_sms("+8613812345678", sms_text(PIN))
    call_id = await sender.call("+8613812345678", spoken_text(PIN, "zh-CN"), "zh-CN")

    assert (sms_id, call_id) == ("dev-sms-1", "dev-call-2")
    assert len(shown) == 2 and PIN in shown[0] and "+8613812345678" in shown[0]
    assert spoken_digits(PIN, "zh-CN") in shown[1] and "zh-CN" in shown[1]
    assert [(d.kind, d.id, d.to, d.language) for d in sender.sent] == [
        ("sms", "dev-sms-1", "+8613812345678", None), ("call", "dev-call-2", "+8613812345678", "zh-CN")]
    assert sender.sent[0].text == sms_text(PIN) and sender.last is sender.sent[1]
    assert PIN not in repr(sender.sent[0]) and "+86138****5678" in repr(sender.sent[0])

    with pytest.raises(DeliveryRejected):
        await sender.send_sms("13812345678", "x")
    with pytest.raises(DeliveryRejected):
        await sender.call("+8613812345678", "x", "fr")
    assert len(sender.sent) == 2


async def test_the_development_sender_shows_with_print_by_default(capsys):
    await DevSender(production=False).send_sms("+14155550123", sms_text(PIN))
    assert PIN in capsys.readouterr().out


# -- redaction and masking -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Your verification code is 482915.", "Your verification code is ***."),
    ("The 'To' number +8613812345678 is not valid", "The 'To' number +*** is not valid"),
    ("1234 and 12 and 123", "*** and 12 and 123"),
    ("您的验证码是482915，10分钟内有效", "您的验证码是***，10分钟内有效"),
    ("Your code is 4, 8, 2, 9, 1, 5.", "Your code is ***."),
    ("您的验证码是：4，8，2，9，1，5。", "您的验证码是：***。"),
    ("HTTP 503, retry after 30 s", "HTTP 503, retry after 30 s"),
    ("", ""),
])
def test_redact_masks_runs_of_four_or_more_digits(text, expected):
    assert redact(text) == expected


def test_redact_takes_anything_and_snippet_hides_secrets_and_digits():
    assert redact(None) == "" and redact(1234567) == "***"
    assert snippet(b'{"message": "token s3cr3t-t0ken for +8613812345678"}', hide=("s3cr3t-t0ken",)) == \
        '{"message": "token *** for +***"}'
    assert snippet("x" * 500, limit=10) == "x" * 9 + "…" and snippet(None) == ""


@pytest.mark.parametrize("number, masked", [
    ("+8613812345678", "+86138****5678"),
    ("+14155550123", "+141****0123"),
    ("+447700900123", "+4477****0123"),
    ("+4915123", "+4****23"),
    ("13812345678", "***"),
    (None, "***"),
])
def test_a_number_in_a_log_is_masked(number, masked):
    assert mask_number(number) == masked


def test_e164():
    assert is_e164("+8613812345678") and is_e164("+14155550123")
    for bad in ("8613812345678", "+0861381234", "+86 138", "+1234567890123456", "", None, 8613812345678):
        assert not is_e164(bad)


# -- what is said and sent -------------------------------------------------------------------------

def test_a_call_reads_the_pin_digit_by_digit_twice():
    assert spoken_digits("123456") == "1, 2, 3, 4, 5, 6"
    assert spoken_digits("123456", "zh-CN") == "1，2，3，4，5，6"
    assert spoken_text("123456") == ("Your verification code is 1, 2, 3, 4, 5, 6. "
                                     "Again, your code is 1, 2, 3, 4, 5, 6.")
    assert spoken_text("123456", "zh-CN") == "您的验证码是：1，2，3，4，5，6。重复一遍：1，2，3，4，5，6。"
    assert spoken_text("123456", repeat=3).count("1, 2, 3, 4, 5, 6") == 3
    assert spoken_text("123456", repeat=1) == "Your verification code is 1, 2, 3, 4, 5, 6."
    assert "123456" not in spoken_text("123456") and redact(spoken_text("123456")).count("***") == 2
    with pytest.raises(ValueError):
        spoken_text("123456", "fr")
    with pytest.raises(ValueError):
        spoken_text("123456", repeat=0)


def test_a_pin_that_is_not_six_digits_is_refused_without_being_quoted():
    for bad in ("12345", "1234567", "12345a", "１２３４５６", "", None):
        with pytest.raises(ValueError) as refused:
            check_pin(bad)  # type: ignore[arg-type]
        assert str(bad) not in str(refused.value) or not bad
    assert check_pin(PIN) == PIN


def test_the_sms_text():
    assert sms_text(PIN) == f"Your verification code is {PIN}. It expires in 10 minutes. Do not share it with anyone."
    assert sms_text(PIN, minutes=None) == f"Your verification code is {PIN}. Do not share it with anyone."
    assert sms_text(PIN, "zh-CN") == f"您的验证码是{PIN}，10分钟内有效。请勿告诉他人。"


# -- errors --------------------------------------------------------------------------------------

def test_errors_and_retry_after():
    unavailable = DeliveryUnavailable("busy", status=429, code=20429, retry_after=30)
    assert isinstance(unavailable, DeliveryError) and isinstance(DeliveryRejected("no"), DeliveryError)
    assert (unavailable.status, unavailable.code, unavailable.retry_after) == (429, 20429, 30)
    assert not isinstance(DeliveryRejected("no"), DeliveryUnavailable)
    assert [s for s in (400, 401, 404, 408, 425, 429, 500, 503) if is_transient(s)] == [408, 425, 429, 500, 503]
    assert retry_after("30", 0) == 30 and retry_after(None, 0) is None and retry_after("soon", 0) is None
    assert retry_after("Thu, 01 Jan 1970 00:01:00 GMT", 0) == 60 and retry_after("-5", 0) == 0
    assert retry_after("nan", 0) is None
