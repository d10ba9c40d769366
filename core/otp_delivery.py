"""Delivery of one-time PINs that validate a WeChat guest's phone number: the interface every
provider implements (an SMS, or a voice call that reads the PIN out), its errors, and the texts.
Pure: no I/O.

Adapters (adapters/otp): Twilio (SMS and voice), Azure Communication Services (SMS), and a
development sender that shows the message on screen (never in production). `PinSender.send_sms`
and `PinSender.call` return the provider's id for the message or the call, or raise
`DeliveryUnavailable` (transient: a timeout, a refused connection, 429, 5xx; try again later,
honouring `retry_after`) or `DeliveryRejected` (permanent: an invalid or unreachable number, an
unverified sender, wrong credentials, any other 4xx; a provider without voice refuses `call`).

A PIN is a secret for as long as it is valid. The text sent contains it, so nothing built from the
text may leave the adapter: an error message never quotes the request body, a log line names the
number masked (`mask_number`: +86138****5678) and the provider's id, and whatever a provider
answers is passed through `redact` (runs of digits masked) before it goes into an error.
"""
from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

from core.http_answers import is_transient, retry_after, snippet as _snippet

PIN_LENGTH = 6
LANGUAGES = ("en", "zh-CN")
SNIPPET_CHARS = 200  # of a provider's answer, in an error message
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_PIN = re.compile(r"[0-9]{%d}" % PIN_LENGTH)
# A run of 4+ digits, or 4+ single digits read one by one ("1, 2, 3, 4", "1，2，3，4", "1 2 3 4").
_DIGITS = re.compile(r"[0-9]{4,}|(?<![0-9])[0-9](?:[ ,.\-，、。]{1,3}[0-9](?![0-9])){3,}")


# -- the interface -------------------------------------------------------------------------------

@runtime_checkable
class PinSender(Protocol):
    async def send_sms(self, to_e164: str, text: str) -> str:
        """Send `text` by SMS to `to_e164` (+8613812345678). Returns the provider's message id
        once the provider has taken it; raises DeliveryUnavailable or DeliveryRejected."""

    async def call(self, to_e164: str, spoken_text: str, language: str) -> str:
        """Call `to_e164` and read `spoken_text` out in `language` ("en" or "zh-CN"). Returns the
        provider's call id; a provider without voice raises DeliveryRejected."""


class DeliveryError(Exception):
    """Sending the PIN failed. `status`: the provider's HTTP status when it answered; `code`: its
    error code (Twilio's 21211, ACS's error code) when it gave one. The message never holds the
    text sent, a credential, or the whole number."""

    def __init__(self, message: str, *, status: int | None = None, code: int | str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class DeliveryUnavailable(DeliveryError):
    """Transient (a timeout, a refused or reset connection, 429, 5xx): try again later.
    `retry_after`: seconds the provider asked to wait (its Retry-After header), if it said."""

    def __init__(self, message: str, *, status: int | None = None, code: int | str | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class DeliveryRejected(DeliveryError):
    """Permanent: the number is invalid or unreachable, the sender is not verified, the
    credentials are wrong, or the provider cannot do this (voice); the same again will not help."""




# -- numbers, PINs and what is said --------------------------------------------------------------

def is_e164(number: object) -> bool:
    """`number` is an E.164 phone number: +, a country code, at most 15 digits in all."""
    return isinstance(number, str) and _E164.fullmatch(number) is not None


def mask_number(number: object) -> str:
    """A phone number fit for a log line: its start and its last four digits, the rest masked
    (+8613812345678 → +86138****5678, +14155550123 → +141****0123); "***" for what is not E.164."""
    if not is_e164(number):
        return "***"
    digits = str(number)[1:]
    tail = 4 if len(digits) >= 10 else 2
    head = max(1, min(5, len(digits) - tail - 4))
    return "+" + digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail:]


def redact(text: object) -> str:
    """`text` with every run of 4 or more digits (and 4 or more single digits read one by one,
    "1, 2, 3, 4") replaced by ***: for log lines and error messages."""
    return _DIGITS.sub("***", "" if text is None else str(text))


def snippet(body: str | bytes | None, *, hide: tuple[str | None, ...] = (), limit: int = SNIPPET_CHARS) -> str:
    """The start of a provider's answer, fit for an error message: credentials in `hide` and every
    digit run (a number, a PIN) masked."""
    return _snippet(body, hide=hide, limit=limit, scrub=redact)


def check_pin(pin: str) -> str:
    """`pin` if it is PIN_LENGTH ASCII digits; else ValueError (which never quotes it)."""
    if not isinstance(pin, str) or _PIN.fullmatch(pin) is None:
        raise ValueError(f"a PIN is {PIN_LENGTH} digits")
    return pin


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"the language is one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


def spoken_digits(pin: str, language: str = "en") -> str:
    """The PIN to be read digit by digit: "1, 2, 3, 4, 5, 6" ("1，2，3，4，5，6" in Chinese), so
    a text-to-speech voice says "one, two, three" and not "one hundred twenty-three thousand"."""
    check_pin(pin)
    return ("，" if check_language(language) == "zh-CN" else ", ").join(pin)


def spoken_text(pin: str, language: str = "en", *, repeat: int = 2) -> str:
    """What a voice call says: the PIN digit by digit, `repeat` times (twice by default).

    en:    "Your verification code is 1, 2, 3, 4, 5, 6. Again, your code is 1, 2, 3, 4, 5, 6."
    zh-CN: "您的验证码是：1，2，3，4，5，6。重复一遍：1，2，3，4，5，6。"
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    digits = spoken_digits(pin, language)
    if language == "zh-CN":
        return f"您的验证码是：{digits}。" + f"重复一遍：{digits}。" * (repeat - 1)
    return f"Your verification code is {digits}." + f" Again, your code is {digits}." * (repeat - 1)


def sms_text(pin: str, language: str = "en", *, minutes: int | None = 10) -> str:
    """The SMS carrying the PIN: "Your verification code is 123456. It expires in 10 minutes.
    Do not share it with anyone." (in Chinese for "zh-CN"); without the expiry when `minutes` is None."""
    check_pin(pin)
    if check_language(language) == "zh-CN":
        expiry = f"{minutes}分钟内有效。" if minutes else ""
        return f"您的验证码是{pin}，{expiry}请勿告诉他人。"
    expiry = f" It expires in {minutes} minutes." if minutes else ""
    return f"Your verification code is {pin}.{expiry} Do not share it with anyone."


# -- answers -------------------------------------------------------------------------------------

__all__ = [
    "DeliveryError", "DeliveryRejected", "DeliveryUnavailable", "LANGUAGES", "PIN_LENGTH", "PinSender",
    "check_language", "check_pin", "is_e164", "is_transient", "mask_number", "redact", "retry_after",
    "sms_text", "snippet", "spoken_digits", "spoken_text",
]
