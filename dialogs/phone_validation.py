"""The WeChat guest's phone-number validation, as a pure decision core.

`decide_validation(state, event, now, settings, notices, *, key, fresh_pin) -> ValidationDecision`:
no I/O, no clock reads, no randomness. The caller passes `now`, the server's PIN key, and a
fresh PIN (`core.pins.new_pin()`) on every call; the PIN is used only when one is sent, and then
appears in exactly one place: the `SendPin` command (whose repr hides it). The state keeps only
its keyed hash (`core.pins.pin_hash`).

The flow (the seeds' "WeChat Guest Phone Number validation flow"):
- a new guest is asked for their phone number, gets a 6-digit PIN on it, types it, then names the
  phone number of the person they want to reach; the caller looks that person up
  (`WantsEmployee` -> `EmployeeFound` / `EmployeeNotFound`) and the guest is connected or told why not;
- a returning guest is asked whether they still use the same number (masked); Yes -> PIN;
  Help -> Update (or No) -> the new-number path;
- three tries each for the number, the PIN (per PIN sent) and the person to reach; after the last
  the guest is told what to do next, `GaveUp(reason)` is emitted, and the dialog stays stopped
  for the rest of the UTC day (so nobody can brute-force PINs or enumerate employees' numbers);
- Help (typed, or offered once per PIN by a `Tick` after `help_after_seconds` without a PIN):
  Update the number, Call (PIN by voice), Resend (PIN by SMS);
- PINs expire, a new one invalidates the old, sends to a number have a cooldown, and daily caps
  per number and per guest hold (`core.pins.may_send_pin`);
- every message to the guest counts against WeChat's quota: at most
  `settings.max_replies_per_guest_message` (2) `AskGuest` between two guest messages, whatever
  happens in between (provider answers, ticks); a notice past that is dropped (and `Record`ed).

Steps (`ValidationState.step`):

```mermaid
stateDiagram-v2
    [*] --> ask_number: Start / first text (new guest)
    [*] --> confirm_number: Start (returning guest)
    ask_number --> ask_number: invalid number (tries left)
    ask_number --> ask_pin: valid number / SendPin(sms)
    ask_number --> gave_up: 3rd invalid number / daily PIN cap
    confirm_number --> ask_pin: Yes / SendPin(sms)
    confirm_number --> ask_number: No
    confirm_number --> help: Help
    ask_pin --> ask_pin: wrong PIN (tries left) / other text
    ask_pin --> help: Help / Tick after help_after_seconds / expired PIN / not delivered
    ask_pin --> ask_employee: right PIN / Validated
    ask_pin --> gave_up: 3rd wrong PIN
    help --> ask_number: Update / No
    help --> ask_pin: Call / SendPin(voice), Resend / SendPin(sms)
    help --> help: cooldown / other text
    help --> ask_employee: right PIN / Validated
    help --> gave_up: 3rd wrong PIN / daily PIN cap
    ask_employee --> looking_up: valid number / WantsEmployee
    ask_employee --> ask_employee: invalid number (tries left)
    ask_employee --> gave_up: 3rd invalid number
    looking_up --> connected: EmployeeFound / Connected
    looking_up --> ask_employee: EmployeeNotFound (tries left)
    looking_up --> gave_up: 3rd EmployeeNotFound
    gave_up --> ask_number: guest writes on a later UTC day (new guest)
    gave_up --> confirm_number: guest writes on a later UTC day (validated before)
    connected --> [*]
```

| step           | guest text                                   | other events                             |
|----------------|----------------------------------------------|------------------------------------------|
| start          | as `Start(None)`                             | -                                        |
| ask_number     | number -> PIN sent; invalid -> try used; Help -> asked again | -                        |
| confirm_number | Yes -> PIN sent; No -> ask_number; Help -> help; else asked again | -                   |
| ask_pin        | 6 digits -> compared (try used if wrong); Help -> help; | Tick: help once per PIN, expiry; |
|                | Update/Call/Resend work too; else reminder   | PinDelivery failed -> help               |
| help           | Update / Call / Resend / 6 digits; else the options again | Tick: expiry; PinDelivery failed |
| ask_employee   | number -> WantsEmployee; invalid -> try used  | -                                        |
| looking_up     | nothing (the lookup is under way)            | EmployeeFound / EmployeeNotFound         |
| connected      | nothing (the conversation has begun)         | -                                        |
| gave_up        | same UTC day: told again; later day: starts over | -                                    |

A `Start` always starts over (counters, caps, the lock and the validated number survive it).
Keywords are folded (NFKC: full-width ＨＥＬＰ, case, surrounding punctuation) and accepted in
both languages whatever the guest's language.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Union

import phonenumbers

from core.notices import LANGUAGES, ZH_CN, Notices, normalize_language
from core.clock import utc_day
from core.pins import COOLDOWN, NUMBER_CAP, PIN_DIGITS, PinLimits, is_pin_shaped, may_send_pin, pin_hash, pin_matches

# --- steps, channels, reasons --------------------------------------------------------------------

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

# parse problems (`parse_phone_number`)
UNREADABLE = "unreadable"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"

_KEYWORDS: Mapping[str, frozenset[str]] = {
    "help": frozenset({"help", "帮助"}),
    "update": frozenset({"update", "更新"}),
    "call": frozenset({"call", "电话"}),
    "resend": frozenset({"resend", "重发"}),
    "yes": frozenset({"yes", "y", "是", "是的", "对"}),
    "no": frozenset({"no", "n", "否", "不是"}),
}
_PUNCTUATION = " \t\r\n.!?,;:'\"。！？，；：、"
_NUMBER_CHARS = re.compile(r"^[0-9+\-().\s/]+$")


# --- phone numbers -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


@dataclass(frozen=True)
class ParsedNumber:
    """A phone number as the guest gave it: `e164` when valid, else `problem` (UNREADABLE,
    TOO_SHORT, TOO_LONG, INVALID)."""

    e164: str | None = None
    problem: str | None = None


_PARSE_PROBLEMS = {
    phonenumbers.NumberParseException.NOT_A_NUMBER: UNREADABLE,
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: INVALID,
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: TOO_SHORT,
    phonenumbers.NumberParseException.TOO_SHORT_NSN: TOO_SHORT,
    phonenumbers.NumberParseException.TOO_LONG: TOO_LONG,
}
_POSSIBLE_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: TOO_SHORT,
    phonenumbers.ValidationResult.TOO_LONG: TOO_LONG,
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: INVALID,
    phonenumbers.ValidationResult.INVALID_LENGTH: INVALID,
}


def parse_phone_number(text: str, region: str) -> ParsedNumber:
    """The E.164 form of a phone number typed by a person, read as `region`'s when it has no
    country code (CN: 13800138000 -> +8613800138000; HK: 91234567 -> +85291234567). Full-width
    digits are fine; a number inside a sentence is found when it is the only one."""
    folded = _fold(text).strip()
    if not any(ch.isdigit() for ch in folded):
        return ParsedNumber(problem=UNREADABLE)
    if not _NUMBER_CHARS.match(folded):
        matches = list(phonenumbers.PhoneNumberMatcher(folded, region, leniency=phonenumbers.Leniency.VALID))
        if len(matches) != 1:
            return ParsedNumber(problem=UNREADABLE)
        return _checked(matches[0].number)
    try:
        number = phonenumbers.parse(folded, region)
    except phonenumbers.NumberParseException as exc:
        return ParsedNumber(problem=_PARSE_PROBLEMS.get(exc.error_type, UNREADABLE))
    return _checked(number)


def _checked(number: phonenumbers.PhoneNumber) -> ParsedNumber:
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return ParsedNumber(problem=_POSSIBLE_PROBLEMS.get(possible, INVALID))
    if not phonenumbers.is_valid_number(number):
        return ParsedNumber(problem=INVALID)
    return ParsedNumber(e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def mask_number(e164: str) -> str:
    """A number as the guest sees it in a message: +86 138 **** 5678, +852 **** 4567."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "****"
    national = phonenumbers.national_significant_number(number)
    head = national[:3] + " " if len(national) >= 10 else ""
    return f"+{number.country_code} {head}**** {national[-4:]}"


def example_number(region: str) -> str:
    """A mobile number of `region` in its national format, for the guest's examples."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE) \
        or phonenumbers.example_number(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""


# --- settings ------------------------------------------------------------------------------------


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
            raise ValueError("invalid validation settings: " + "; ".join(problems))
        object.__setattr__(self, "default_region", region)


# --- state ---------------------------------------------------------------------------------------


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


# --- events --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """The guest's first message to the business (its text is not an answer to anything).
    `returning_number`: the E.164 number validated last time, if the caller knows one (else the
    state's). `language`: the guest's (WeChat's `zh_CN`, `en` …), if known."""

    returning_number: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class GuestText:
    """The guest wrote. `language`, if given, becomes the guest's language."""

    text: str
    language: str | None = None

    def __repr__(self) -> str:  # the text may be a PIN: never in a log
        return f"GuestText(<{len(self.text)} chars>, language={self.language!r})"


@dataclass(frozen=True)
class Tick:
    """Time passed (the sweeper, at or after `state.next_due_at`)."""


@dataclass(frozen=True)
class Scanned:
    """The guest followed or scanned an employee's QR code: that is whom they want."""

    employee_id: str
    name: str
    language: str | None = None


@dataclass(frozen=True)
class Routed:
    """The routing assistant connected the guest it was handed (HANDED_OVER -> CONNECTED)."""


@dataclass(frozen=True)
class PinDelivery:
    """The SMS / voice provider's answer to the last SendPin. `error` NUMBER_CAP: not sent, the
    number had all the PINs a day allows (counted across guests by the caller)."""

    ok: bool
    channel: str = SMS
    error: str = ""


@dataclass(frozen=True)
class EmployeeFound:
    """The caller's lookup of WantsEmployee found the person."""

    name: str
    employee_id: str = ""


@dataclass(frozen=True)
class EmployeeNotFound:
    """The caller's lookup of WantsEmployee found nobody (who may chat on WeChat)."""


ValidationEvent = Union[Start, GuestText, Tick, PinDelivery, EmployeeFound, EmployeeNotFound, Routed, Scanned]


# --- commands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskGuest:
    """A message to the guest (counts against WeChat's quota), in the guest's language."""

    notice_key: str
    text: str


@dataclass(frozen=True)
class SendPin:
    """Send `pin` to `number` by SMS or voice call; answer with PinDelivery. The only place a
    plain PIN ever appears: it is not in the repr, and must not be logged."""

    number: str
    pin: str = field(repr=False)
    channel: str = SMS

    def __str__(self) -> str:
        return repr(self)


@dataclass(frozen=True)
class Validated:
    """The guest proved they own `number` (E.164) at `at`: keep it for their next visit."""

    number: str
    at: float


@dataclass(frozen=True)
class WantsEmployee:
    """The guest wants to reach whoever has this number: look them up, answer with EmployeeFound
    or EmployeeNotFound."""

    phone_e164: str


@dataclass(frozen=True)
class Connected:
    """Connect the guest with the employee found (the conversation and its welcomes begin)."""

    phone_e164: str
    name: str
    employee_id: str = ""


@dataclass(frozen=True)
class GaveUp:
    """The validation stopped for today: NUMBER_TRIES, PIN_TRIES, EMPLOYEE_TRIES, NUMBER_CAP or
    GUEST_CAP. The guest was told what to do next. Record it."""

    reason: str


@dataclass(frozen=True)
class Record:
    """A line for the compliance record (never a PIN)."""

    fields: Mapping[str, Any]


ValidationCommand = Union[AskGuest, SendPin, Validated, WantsEmployee, Connected, GaveUp, Record]


@dataclass(frozen=True)
class ValidationDecision:
    state: ValidationState
    commands: tuple[ValidationCommand, ...]


# --- the decision --------------------------------------------------------------------------------

_DEFAULT_NOTICES = Notices()

_NUMBER_PROBLEM_NOTICES = {
    UNREADABLE: "validation_number_unreadable", TOO_SHORT: "validation_number_too_short",
    TOO_LONG: "validation_number_too_long", INVALID: "validation_number_invalid",
}


def keyword(text: str) -> str | None:
    """"help", "update", "call", "resend", "yes", "no" when the text is one of their words (either
    language, any case, full-width, surrounding punctuation); else None."""
    word = _fold(text).strip(_PUNCTUATION).casefold()
    return next((name for name, words in _KEYWORDS.items() if word in words), None)


def _pin_text(text: str) -> str | None:
    """The digits typed, when the text is only digits (spaces allowed): a PIN attempt if 6."""
    digits = re.sub(r"[\s\-]", "", _fold(text)).strip(_PUNCTUATION)
    return digits if digits.isascii() and digits.isdigit() else None


def decide_validation(state: ValidationState, event: ValidationEvent, now: float, settings: ValidationSettings,
                      notices: Notices | None = None, *, key: bytes, fresh_pin: str | None) -> ValidationDecision:
    """The new state of the guest's validation and what to do, in order.

    The caller's side: store the state before carrying out the commands; pass `new_pin()` as
    `fresh_pin` on every call (it is used only if a PIN is sent: a ValueError says when one was
    needed and not given); answer SendPin with PinDelivery, WantsEmployee with EmployeeFound /
    EmployeeNotFound; feed a Tick at or after `state.next_due_at`.
    """
    if not key:
        raise ValueError("the PIN key must not be empty")
    run = _Run(state, now, settings, notices or _DEFAULT_NOTICES, key, fresh_pin)
    run.handle(event)
    return run.finish()


class _Run:
    def __init__(self, state: ValidationState, now: float, settings: ValidationSettings, notices: Notices,
                 key: bytes, fresh_pin: str | None) -> None:
        self.s = state
        self.now = now
        self.settings = settings
        self.limits = settings.limits
        self.notices = notices
        self.key = key
        self.fresh_pin = fresh_pin
        self.commands: list[ValidationCommand] = []
        self.today = utc_day(now)

    # --- plumbing ----------------------------------------------------------------------------

    def set(self, **changes: Any) -> None:
        self.s = replace(self.s, **changes)

    def ask(self, notice_key: str, **params: Any) -> None:
        if self.s.replies >= self.settings.max_replies_per_guest_message:
            self.record("notice_suppressed", notice=notice_key)  # WeChat's quota is not ours to spend
            return
        self.commands.append(AskGuest(notice_key, self.notices.render(notice_key, self.s.language, **params)))
        self.set(replies=self.s.replies + 1)

    def say_connected(self, name: str, validated: str | None = None) -> None:
        """The dialog's last words: said by the conversation's policy, which counts WeChat's quota
        itself, so never dropped here (a QR code scanned right after two replies still connects).
        `validated`: the number just verified, said in the same WeChat message."""
        language = self.s.language
        parts = [self.notices.render("validation_validated", language, number=validated)] if validated else []
        parts.append(self.notices.render("validation_connected", language, name=name))
        text = ("" if normalize_language(language) == ZH_CN else " ").join(parts)
        self.commands.append(AskGuest("validation_connected", text))
        self.set(replies=self.s.replies + 1)

    def record(self, what: str, **fields: Any) -> None:
        self.commands.append(Record({"event": what, "at": self.now, **fields}))

    def example(self) -> str:
        return example_number(self.settings.default_region)

    def finish(self) -> ValidationDecision:
        s = self.s
        due = None
        if s.step in (ASK_PIN, HELP) and s.pin_hash and s.pin_expires_at is not None:
            due = s.pin_expires_at
            if s.step == ASK_PIN and not s.help_offered and s.pin_sent_at is not None:
                due = min(due, s.pin_sent_at + self.limits.help_after_seconds)
        self.set(next_due_at=due)
        return ValidationDecision(self.s, tuple(self.commands))

    # --- events ------------------------------------------------------------------------------

    def handle(self, event: ValidationEvent) -> None:
        if isinstance(event, (Start, GuestText)):
            self.set(replies=0)  # a guest message: a new allowance of replies
            language = normalize_language(event.language)
            if language:
                self.set(language=language)
        self.expire()
        if isinstance(event, Start):
            self.set(wanted_id=None, wanted_name=None)  # a new conversation: whom they want is asked again
            self.start(event.returning_number)
        elif isinstance(event, GuestText):
            self.guest_text(event.text)
        elif isinstance(event, Tick):
            self.tick()
        elif isinstance(event, PinDelivery):
            self.pin_delivery(event)
        elif isinstance(event, EmployeeFound):
            self.employee_found(event)
        elif isinstance(event, EmployeeNotFound):
            self.employee_not_found()
        elif isinstance(event, Routed):
            if self.s.step == HANDED_OVER:
                self.set(step=CONNECTED)
        elif isinstance(event, Scanned):
            self.scanned(event)
        else:
            raise TypeError(f"not a validation event: {type(event).__name__}")

    def expire(self) -> None:
        """An expired PIN's hash is dropped (its expiry is kept, to tell the guest it expired)."""
        if self.s.pin_hash and self.s.pin_expires_at is not None and self.now >= self.s.pin_expires_at:
            self.set(pin_hash=None)
            self.record("pin_expired", number=self.s.number)

    def start(self, returning_number: str | None) -> None:
        if self.s.locked_day == self.today:
            self.set(step=GAVE_UP)
            self.ask("validation_locked")
            return
        given = returning_number or self.s.validated_number
        returning = parse_phone_number(given, self.settings.default_region).e164 if given else None
        self.set(step=CONFIRM_NUMBER if returning else ASK_NUMBER, number=returning,
                 number_tries_left=self.limits.number_tries, pin_tries_left=self.limits.pin_tries,
                 employee_tries_left=self.settings.employee_tries, pin_hash=None, pin_channel=None,
                 pin_sent_at=None, pin_expires_at=None, help_offered=False, employee_number=None,
                 employee_name=None, gave_up_reason=None, locked_day=None)
        self.record("validation_started", returning=bool(returning))
        if returning:
            self.ask("validation_confirm_number", number=mask_number(self.s.number))
        else:
            self.ask("validation_ask_number", example=self.example())

    def scanned(self, event: Scanned) -> None:
        self.set(wanted_id=event.employee_id, wanted_name=event.name)
        language = normalize_language(event.language)
        if language and self.s.step == START:
            self.set(language=language)
        self.record("came_through_qr_code", employee_id=event.employee_id)
        if self.s.step in (START, CONNECTED):
            self.start(None)  # their first contact, or a new conversation: the validation begins
        elif self.s.step in (ASK_EMPLOYEE, HANDED_OVER):
            self.connect_wanted()

    def connect_wanted(self, validated: str | None = None) -> None:
        s = self.s
        self.set(step=CONNECTED, employee_name=s.wanted_name)
        self.commands.append(Connected("", s.wanted_name or "", s.wanted_id or ""))
        self.record("connected", employee_id=s.wanted_id, through="qr_code")
        self.say_connected(s.wanted_name or "", validated)

    def guest_text(self, text: str) -> None:
        step = self.s.step
        if step == START:
            self.start(None)
        elif step == GAVE_UP:
            if self.s.locked_day == self.today:
                self.ask("validation_locked")
            else:
                self.start(None)
        elif step == ASK_NUMBER:
            if keyword(text) == "help":
                self.ask("validation_ask_number", example=self.example())
            else:
                self.number_given(text)
        elif step == CONFIRM_NUMBER:
            word = keyword(text)
            if word == "yes":
                self.send_pin(SMS)
            elif word in ("no", "update"):
                self.update()
            elif word == "help":
                self.help()
            elif word in ("call", "resend"):
                self.send_pin(VOICE if word == "call" else SMS)
            else:
                self.ask("validation_confirm_number", number=mask_number(self.s.number))
        elif step in (ASK_PIN, HELP):
            self.pin_step_text(text)
        elif step == ASK_EMPLOYEE:
            if keyword(text) == "help":
                self.ask("validation_ask_employee", example=self.example())
            else:
                self.employee_given(text)
        # LOOKING_UP: the lookup is under way; CONNECTED: the conversation has it. Nothing to say.

    def pin_step_text(self, text: str) -> None:
        word = keyword(text)
        if word == "help":
            self.help()
        elif word in ("update", "no"):
            self.update()
        elif word == "call":
            self.send_pin(VOICE)
        elif word == "resend":
            self.send_pin(SMS)
        else:
            digits = _pin_text(text)
            if digits is not None and len(digits) == PIN_DIGITS:
                self.pin_given(digits)
            elif self.s.step == HELP:
                self.help()
            else:
                self.ask("validation_ask_pin", number=mask_number(self.s.number))

    def pin_given(self, pin: str) -> None:
        s = self.s
        if not s.pin_hash:
            if s.pin_expires_at is not None and self.now >= s.pin_expires_at:
                self.record("pin_after_expiry", number=s.number)
                self.set(step=HELP, help_offered=True)
                self.ask("validation_pin_expired")
            else:  # no PIN outstanding (not delivered, or never sent): the options
                self.help()
            return
        if pin_matches(self.key, s.number, pin, s.pin_hash):
            self.set(step=HANDED_OVER if self.settings.hand_over else ASK_EMPLOYEE, validated_number=s.number,
                     validated_at=self.now, pin_hash=None, pin_channel=None, pin_sent_at=None, pin_expires_at=None,
                     help_offered=False, employee_tries_left=self.settings.employee_tries)
            self.commands.append(Validated(s.number, self.now))
            self.record("validated", number=s.number)
            if s.wanted_id:  # came through an employee's QR code: no need to ask whom; one message says both
                self.connect_wanted(validated=mask_number(s.number))
                return
            self.ask("validation_validated", number=mask_number(s.number))
            if self.settings.hand_over:
                self.ask("validation_ask_whom")
            else:
                self.ask("validation_ask_employee", example=self.example())
            return
        left = s.pin_tries_left - 1
        self.set(pin_tries_left=left)
        self.record("pin_wrong", number=s.number, tries_left=left)
        if left <= 0:
            self.give_up(PIN_TRIES, "validation_too_many_pins")
        else:
            self.ask("validation_pin_wrong", tries_left=left)

    def help(self) -> None:
        self.set(step=HELP, help_offered=True)
        self.ask("validation_help", number=mask_number(self.s.number) if self.s.number else "-")

    def update(self) -> None:
        # The PIN outstanding stays valid until a different number is given (the same number again
        # within the cooldown goes back to waiting for it).
        self.set(step=ASK_NUMBER, number_tries_left=self.limits.number_tries, help_offered=False)
        self.ask("validation_ask_number", example=self.example())

    def number_given(self, text: str) -> None:
        if not any(ch.isdigit() for ch in _fold(text)):  # "hello": no number tried, no try spent
            self.record("number_missing")
            self.ask("validation_ask_number", example=self.example())
            return
        parsed = parse_phone_number(text, self.settings.default_region)
        if parsed.e164:
            if parsed.e164 != self.s.number:  # a different number: the PIN outstanding is void
                self.set(number=parsed.e164, pin_hash=None, pin_channel=None, pin_sent_at=None,
                         pin_expires_at=None)
            self.send_pin(SMS)
            return
        left = self.s.number_tries_left - 1
        self.set(number_tries_left=left)
        self.record("number_rejected", problem=parsed.problem, tries_left=left)
        if left <= 0:
            self.give_up(NUMBER_TRIES, "validation_too_many_numbers")
        else:
            self.ask(_NUMBER_PROBLEM_NOTICES[parsed.problem], tries_left=left, example=self.example())

    def send_pin(self, channel: str) -> None:
        s = self.s
        number = s.number
        if number is None:  # nothing to send to (cannot happen from the steps that send)
            self.update()
            return
        if s.day != self.today:
            self.set(day=self.today, guest_pins_today=0, number_pins_today=())
            s = self.s
        counts = dict(s.number_pins_today)
        refusal = may_send_pin(
            self.limits, self.now, sent_for_number_today=counts.get(number, 0),
            sent_for_guest_today=s.guest_pins_today,
            last_sent_at=s.last_pin_sent_at if s.last_pin_number == number else None)
        if refusal is not None:
            self.record("pin_refused", number=number, reason=refusal.reason, seconds_left=refusal.seconds_left)
            if refusal.reason == COOLDOWN:
                if s.step == ASK_NUMBER:  # a number given again right after: the PIN is on its way
                    self.set(step=ASK_PIN if s.pin_hash else HELP)
                self.ask("validation_resend_cooldown", seconds=refusal.seconds_left)
            else:
                self.give_up(refusal.reason, "validation_pin_cap")
            return
        pin = self.fresh_pin
        if pin is None or not is_pin_shaped(pin):
            raise ValueError("a PIN is to be sent: pass fresh_pin=core.pins.new_pin()")
        counts[number] = counts.get(number, 0) + 1
        self.set(step=ASK_PIN, pin_hash=pin_hash(self.key, number, pin), pin_channel=channel, pin_sent_at=self.now,
                 pin_expires_at=self.now + self.limits.expiry_seconds, pin_tries_left=self.limits.pin_tries,
                 help_offered=False, guest_pins_today=s.guest_pins_today + 1,
                 number_pins_today=tuple(sorted(counts.items())), last_pin_number=number,
                 last_pin_sent_at=self.now)
        self.fresh_pin = None  # one PIN per decision
        self.commands.append(SendPin(number, pin, channel))
        self.record("pin_sent", number=number, channel=channel)
        minutes = math.ceil(self.limits.expiry_seconds / 60)
        self.ask("validation_pin_calling" if channel == VOICE else "validation_pin_sent",
                 number=mask_number(number), minutes=minutes)

    def tick(self) -> None:
        s = self.s
        if (s.step == ASK_PIN and s.pin_hash and not s.help_offered and s.pin_sent_at is not None
                and self.now >= s.pin_sent_at + self.limits.help_after_seconds):
            self.help()

    def pin_delivery(self, event: PinDelivery) -> None:
        s = self.s
        if s.step not in (ASK_PIN, HELP) or s.pin_channel != event.channel:
            return  # late news of a PIN since replaced
        if event.ok:
            self.record("pin_delivered", number=s.number, channel=event.channel)
            return
        self.record("pin_not_delivered", number=s.number, channel=event.channel, error=event.error[:200])
        if event.error == NUMBER_CAP:  # the number's cap across every guest (kept by the caller)
            self.set(pin_hash=None, pin_expires_at=None, pin_sent_at=None, pin_channel=None)
            self.give_up(NUMBER_CAP, "validation_pin_cap")
            return
        self.set(step=HELP, help_offered=True, pin_hash=None, pin_expires_at=None, pin_sent_at=None,
                 pin_channel=None)
        self.ask("validation_pin_not_delivered", number=mask_number(s.number))

    def employee_given(self, text: str) -> None:
        parsed = parse_phone_number(text, self.settings.default_region)
        if parsed.e164:
            self.set(step=LOOKING_UP, employee_number=parsed.e164)
            self.commands.append(WantsEmployee(parsed.e164))
            self.record("employee_asked", phone=parsed.e164)
            return
        left = self.s.employee_tries_left - 1
        self.set(employee_tries_left=left)
        self.record("employee_number_rejected", problem=parsed.problem, tries_left=left)
        if left <= 0:
            self.give_up(EMPLOYEE_TRIES, "validation_too_many_employees")
        else:
            self.ask("validation_employee_number_invalid", tries_left=left, example=self.example())

    def employee_found(self, event: EmployeeFound) -> None:
        s = self.s
        if s.step != LOOKING_UP or s.employee_number is None:
            return
        self.set(step=CONNECTED, employee_name=event.name)
        self.commands.append(Connected(s.employee_number, event.name, event.employee_id))
        self.record("connected", phone=s.employee_number, employee_id=event.employee_id)
        self.say_connected(event.name)

    def employee_not_found(self) -> None:
        s = self.s
        if s.step != LOOKING_UP:
            return
        left = s.employee_tries_left - 1
        self.set(step=ASK_EMPLOYEE, employee_tries_left=left)
        self.record("employee_not_found", phone=s.employee_number, tries_left=left)
        if left <= 0:
            self.give_up(EMPLOYEE_TRIES, "validation_too_many_employees")
        else:
            self.ask("validation_employee_not_found", number=s.employee_number, tries_left=left)

    def give_up(self, reason: str, notice_key: str) -> None:
        self.set(step=GAVE_UP, gave_up_reason=reason, locked_day=self.today, pin_hash=None, pin_channel=None,
                 pin_sent_at=None, pin_expires_at=None)
        self.commands.append(GaveUp(reason))
        self.record("gave_up", reason=reason, number=self.s.number)
        self.ask(notice_key)
