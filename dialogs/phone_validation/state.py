"""Where one guest's phone-number validation is (`ValidationState`, JSON-able), its steps, and the
settings it runs with. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import phonenumbers

from core.config_error import ConfigError
from core.notices import LANGUAGES, ZH_CN
from core.pins import PinLimits

START = "start"
ASK_NUMBER = "ask_number"
CONFIRM_NUMBER = "confirm_number"
ASK_PIN = "ask_pin"
HELP = "help"
ASK_EMPLOYEE = "ask_employee"
LOOKING_UP = "looking_up"
CONNECTED = "connected"
GAVE_UP = "gave_up"
HANDED_OVER = "handed_over"  # validated; the routing assistant finds whom they want
STEPS = (START, ASK_NUMBER, CONFIRM_NUMBER, ASK_PIN, HELP, ASK_EMPLOYEE, LOOKING_UP, CONNECTED, GAVE_UP, HANDED_OVER)

SMS = "sms"
VOICE = "voice"
CHANNELS = (SMS, VOICE)

# GaveUp reasons: the number tries, the PIN tries, the employee tries, a daily PIN cap
NUMBER_TRIES = "number_tries"
PIN_TRIES = "pin_tries"
EMPLOYEE_TRIES = "employee_tries"
# … and core.pins.NUMBER_CAP / GUEST_CAP


@dataclass(frozen=True)
class ValidationSettings:
    default_region: str = "CN"  # how a number without a country code is read
    limits: PinLimits = field(default_factory=PinLimits)
    employee_tries: int = 3  # numbers of the person to reach that may be wrong / not found
    max_replies_per_guest_message: int = 2  # AskGuest between two guest messages (WeChat's quota)
    # The routing assistant (dialogs/routing.py) finds whom a validated guest wants, in their own
    # words, instead of the number of the person to reach.
    hand_over: bool = False

    def __post_init__(self) -> None:
        region = self.default_region.strip().upper() if isinstance(self.default_region, str) else ""
        problems = []
        if region not in phonenumbers.SUPPORTED_REGIONS:
            problems.append(f"default_region: unknown region {self.default_region!r} (an ISO 3166 code, "
                            f"e.g. CN, HK)")
        if not isinstance(self.limits, PinLimits):
            problems.append("limits: must be a PinLimits")
        if isinstance(self.employee_tries, bool) or not isinstance(self.employee_tries, int) \
                or self.employee_tries < 1:
            problems.append(f"employee_tries: must be a positive integer, got {self.employee_tries!r}")
        if isinstance(self.max_replies_per_guest_message, bool) \
                or not isinstance(self.max_replies_per_guest_message, int) \
                or not 2 <= self.max_replies_per_guest_message <= 5:
            problems.append("max_replies_per_guest_message: must be 2..5 (the validation's answer and the "
                            f"next question; WeChat allows 5), got {self.max_replies_per_guest_message!r}")
        if problems:
            raise ConfigError(problems, "validation settings")
        object.__setattr__(self, "default_region", region)


@dataclass(frozen=True)
class ValidationState:
    """Where one guest's validation is. JSON-able with `to_body()` / `from_body()`; of a PIN it
    holds only the keyed hash (left out of the repr as well)."""

    step: str = START
    language: str = ZH_CN
    number: str | None = None  # E.164: proposed (PIN sent / asked to confirm) or validated
    number_tries_left: int = 0
    pin_tries_left: int = 0
    employee_tries_left: int = 0
    pin_hash: str | None = field(default=None, repr=False)  # of the PIN outstanding, if any
    pin_channel: str | None = None
    pin_sent_at: float | None = None
    pin_expires_at: float | None = None  # kept after the hash is dropped at expiry: "expired"
    help_offered: bool = False  # for the PIN outstanding (by the timeout or by the guest)
    replies: int = 0  # AskGuest since the guest's last message
    # the caps: counters of `day` (a UTC day), the last send
    day: str | None = None
    guest_pins_today: int = 0
    number_pins_today: tuple[tuple[str, int], ...] = ()
    last_pin_number: str | None = None
    last_pin_sent_at: float | None = None
    # the outcome
    validated_number: str | None = None
    validated_at: float | None = None
    employee_number: str | None = None  # E.164 of the person to reach (while looked up / connected)
    employee_name: str | None = None
    gave_up_reason: str | None = None
    locked_day: str | None = None  # stopped for this UTC day
    next_due_at: float | None = None  # feed a Tick at or after it
    # The employee whose QR code the guest came through (aad, name): once validated, connected
    # to them without being asked whom they want.
    wanted_id: str | None = None
    wanted_name: str | None = None

    def to_body(self) -> dict[str, Any]:
        return {
            "step": self.step, "language": self.language, "number": self.number,
            "number_tries_left": self.number_tries_left, "pin_tries_left": self.pin_tries_left,
            "employee_tries_left": self.employee_tries_left, "pin_hash": self.pin_hash,
            "pin_channel": self.pin_channel, "pin_sent_at": self.pin_sent_at,
            "pin_expires_at": self.pin_expires_at, "help_offered": self.help_offered, "replies": self.replies,
            "day": self.day, "guest_pins_today": self.guest_pins_today,
            "number_pins_today": [[n, c] for n, c in self.number_pins_today],
            "last_pin_number": self.last_pin_number, "last_pin_sent_at": self.last_pin_sent_at,
            "validated_number": self.validated_number, "validated_at": self.validated_at,
            "employee_number": self.employee_number, "employee_name": self.employee_name,
            "gave_up_reason": self.gave_up_reason, "locked_day": self.locked_day,
            "next_due_at": self.next_due_at, "wanted_id": self.wanted_id, "wanted_name": self.wanted_name,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "ValidationState":
        step = body.get("step", START)
        if step not in STEPS:
            raise ValueError(f"unknown validation step {step!r}")
        language = body.get("language", ZH_CN)
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        return cls(
            step=step, language=language, number=body.get("number"),
            number_tries_left=int(body.get("number_tries_left", 0)),
            pin_tries_left=int(body.get("pin_tries_left", 0)),
            employee_tries_left=int(body.get("employee_tries_left", 0)),
            pin_hash=body.get("pin_hash"), pin_channel=body.get("pin_channel"),
            pin_sent_at=body.get("pin_sent_at"), pin_expires_at=body.get("pin_expires_at"),
            help_offered=bool(body.get("help_offered", False)), replies=int(body.get("replies", 0)),
            day=body.get("day"), guest_pins_today=int(body.get("guest_pins_today", 0)),
            number_pins_today=tuple((str(n), int(c)) for n, c in body.get("number_pins_today") or ()),
            last_pin_number=body.get("last_pin_number"), last_pin_sent_at=body.get("last_pin_sent_at"),
            validated_number=body.get("validated_number"), validated_at=body.get("validated_at"),
            employee_number=body.get("employee_number"), employee_name=body.get("employee_name"),
            gave_up_reason=body.get("gave_up_reason"), locked_day=body.get("locked_day"),
            next_due_at=body.get("next_due_at"), wanted_id=body.get("wanted_id"), wanted_name=body.get("wanted_name"),
        )

