"""One-time PINs for the guest phone-number validation: made, kept and checked safely. Pure.

- A PIN is 6 random digits from `secrets` (`new_pin`); the caller makes it and hands it to the
  dialog, so the dialog stays pure and testable.
- Only a keyed hash is ever kept: HMAC-SHA256 with a server key over the E.164 number and the PIN
  (`pin_hash`), so a leaked state does not reveal the PIN, and the hash of one number's PIN is
  useless for another. Checked in constant time (`pin_matches`).
- How often a PIN may be sent is data (`PinLimits`) and one pure function (`may_send_pin`): a
  cooldown between sends to the same number, a daily cap per number and per guest (UTC days).
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Callable

from core.config_error import ConfigError

PIN_DIGITS = 6

COOLDOWN = "cooldown"  # PinRefusal reasons
NUMBER_CAP = "number_cap"
GUEST_CAP = "guest_cap"


def new_pin(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh PIN: `PIN_DIGITS` digits, zero-padded (000042 is a PIN like any other)."""
    value = randbelow(10 ** PIN_DIGITS)
    if not 0 <= value < 10 ** PIN_DIGITS:
        raise ValueError("randbelow returned a value out of range")
    return f"{value:0{PIN_DIGITS}d}"


def is_pin_shaped(pin: str) -> bool:
    return isinstance(pin, str) and len(pin) == PIN_DIGITS and pin.isascii() and pin.isdigit()


def pin_hash(key: bytes, number_e164: str, pin: str) -> str:
    """HMAC-SHA256(key, number NUL pin) as hex. The NUL keeps (number, pin) pairs apart."""
    if not key:
        raise ValueError("the PIN key must not be empty")
    message = f"{number_e164}\x00{pin}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def pin_matches(key: bytes, number_e164: str, pin: str, stored_hash: str | None) -> bool:
    """Whether `pin` is the PIN whose hash for `number_e164` is `stored_hash`, in constant time."""
    if not stored_hash:
        return False
    return hmac.compare_digest(pin_hash(key, number_e164, pin).encode("ascii"),
                               stored_hash.encode("ascii", "replace"))


@dataclass(frozen=True)
class PinLimits:
    expiry_seconds: int = 300  # a PIN is valid this long after it is sent
    resend_cooldown_seconds: int = 60  # between two sends to the same number
    per_number_per_day: int = 5  # PINs sent to one number per UTC day
    per_guest_per_day: int = 10  # PINs one guest may have sent per UTC day (all numbers)
    pin_tries: int = 3  # wrong PINs per PIN sent before the guest is stopped
    number_tries: int = 3  # invalid phone numbers before the guest is stopped
    help_after_seconds: int = 120  # no PIN entered this long after it was sent: offer help

    def __post_init__(self) -> None:
        problems = [f"{name} must be a positive integer, got {value!r}"
                    for name, value in vars(self).items()
                    if isinstance(value, bool) or not isinstance(value, int) or value < 1]
        if problems:
            raise ConfigError(problems, "PIN limits")


@dataclass(frozen=True)
class PinRefusal:
    """Why a PIN may not be sent now: COOLDOWN (`seconds_left` until it may), NUMBER_CAP or
    GUEST_CAP (not before the next UTC day)."""

    reason: str
    seconds_left: int = 0


def may_send_pin(limits: PinLimits, now: float, *, sent_for_number_today: int, sent_for_guest_today: int,
                 last_sent_at: float | None) -> PinRefusal | None:
    """None when another PIN may be sent, else why not. The counters are of the current UTC day;
    `last_sent_at` is when a PIN last went to this number (None: not recently). Caps come first:
    they are final for the day, a cooldown passes."""
    if sent_for_guest_today >= limits.per_guest_per_day:
        return PinRefusal(GUEST_CAP)
    if sent_for_number_today >= limits.per_number_per_day:
        return PinRefusal(NUMBER_CAP)
    if last_sent_at is not None:
        left = last_sent_at + limits.resend_cooldown_seconds - now
        if left > 0:
            return PinRefusal(COOLDOWN, math.ceil(left))
    return None
