"""PINs: random digits, kept only as a keyed hash, checked in constant time, sent within limits."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from core.clock import utc_day
from core.config_error import ConfigError
from core.pins import COOLDOWN, GUEST_CAP, NUMBER_CAP, PinLimits, PinRefusal, is_pin_shaped, may_send_pin, \
    new_pin, pin_hash, pin_matches

KEY = b"server-key"
NUMBER = "+8613800138000"


def test_new_pin_is_six_digits_zero_padded():
    assert new_pin(lambda n: 42) == "000042"
    assert new_pin(lambda n: 999_999) == "999999"
    pins = {new_pin() for _ in range(200)}
    assert all(is_pin_shaped(p) for p in pins) and len(pins) > 150


def test_new_pin_asks_for_a_number_below_a_million():
    asked = []
    new_pin(lambda n: asked.append(n) or 0)
    assert asked == [1_000_000]
    with pytest.raises(ValueError):
        new_pin(lambda n: n)


def test_the_hash_is_hmac_sha256_of_number_and_pin():
    expected = hmac.new(KEY, f"{NUMBER}\x00123456".encode(), hashlib.sha256).hexdigest()
    assert pin_hash(KEY, NUMBER, "123456") == expected
    assert "123456" not in expected


def test_the_hash_depends_on_key_number_and_pin():
    h = pin_hash(KEY, NUMBER, "123456")
    assert pin_hash(b"other", NUMBER, "123456") != h
    assert pin_hash(KEY, "+8613800138001", "123456") != h
    assert pin_hash(KEY, NUMBER, "123457") != h
    with pytest.raises(ValueError):
        pin_hash(b"", NUMBER, "123456")


def test_pin_matches():
    h = pin_hash(KEY, NUMBER, "123456")
    assert pin_matches(KEY, NUMBER, "123456", h)
    assert not pin_matches(KEY, NUMBER, "123457", h)
    assert not pin_matches(KEY, "+85291234567", "123456", h)
    assert not pin_matches(KEY, NUMBER, "123456", None)
    assert not pin_matches(KEY, NUMBER, "123456", "")
    assert not pin_matches(KEY, NUMBER, "123456", "não-ascii")


def test_pin_matches_compares_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    pin_matches(KEY, NUMBER, "123456", pin_hash(KEY, NUMBER, "123456"))
    assert calls == [1]


def test_utc_day():
    assert utc_day(0) == "1970-01-01"
    assert utc_day(86_399.9) == "1970-01-01" and utc_day(86_400) == "1970-01-02"


def test_limits_defaults_and_checks():
    limits = PinLimits()
    assert (limits.expiry_seconds, limits.resend_cooldown_seconds, limits.per_number_per_day,
            limits.per_guest_per_day, limits.pin_tries, limits.number_tries, limits.help_after_seconds) == \
        (300, 60, 5, 10, 3, 3, 120)
    with pytest.raises(ConfigError) as caught:
        PinLimits(expiry_seconds=0, pin_tries=-1)
    assert [p.split()[0] for p in caught.value.problems] == ["expiry_seconds", "pin_tries"]
    with pytest.raises(ValueError, match="per_number_per_day"):
        PinLimits(per_number_per_day=True)


L = PinLimits()


@pytest.mark.parametrize("number, guest, last, now, expected", [
    (0, 0, None, 1000.0, None),
    (4, 9, 900.0, 1000.0, None),  # under both caps, cooldown over
    (1, 1, 950.0, 1000.0, PinRefusal(COOLDOWN, 10)),
    (1, 1, 940.5, 1000.0, PinRefusal(COOLDOWN, 1)),  # rounded up
    (1, 1, 940.0, 1000.0, None),  # exactly 60 s later
    (5, 5, None, 1000.0, PinRefusal(NUMBER_CAP)),
    (0, 10, None, 1000.0, PinRefusal(GUEST_CAP)),
    (5, 10, 999.0, 1000.0, PinRefusal(GUEST_CAP)),  # caps before the cooldown: they are final
])
def test_may_send_pin(number, guest, last, now, expected):
    assert may_send_pin(L, now, sent_for_number_today=number, sent_for_guest_today=guest,
                        last_sent_at=last) == expected


def test_may_send_pin_follows_the_limits():
    limits = PinLimits(resend_cooldown_seconds=5, per_number_per_day=1, per_guest_per_day=2)
    assert may_send_pin(limits, 10, sent_for_number_today=0, sent_for_guest_today=1, last_sent_at=6) == \
        PinRefusal(COOLDOWN, 1)
    assert may_send_pin(limits, 10, sent_for_number_today=1, sent_for_guest_today=1, last_sent_at=None) == \
        PinRefusal(NUMBER_CAP)
