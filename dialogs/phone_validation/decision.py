"""The validation's decision: `decide_validation(state, event, now, settings, notices, *, key,
fresh_pin) -> ValidationDecision`. No I/O, no clock reads, no randomness (see the package)."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from core.clock import utc_day
from core.notices import Notices, normalize_language, sentences
from core.phone import INVALID, TOO_LONG, TOO_SHORT, UNREADABLE, example_number, masked_for_guest, parse_phone_number
from core.pins import COOLDOWN, NUMBER_CAP, PIN_DIGITS, is_pin_shaped, may_send_pin, pin_hash, pin_matches
from dialogs.phone_validation.commands import (AskGuest, ConnectValidatedGuest, GaveUp, Record, SendPin, Validated,
                                               ValidationCommand, ValidationDecision, WantsEmployee)
from dialogs.phone_validation.events import (EmployeeFound, EmployeeNotFound, GuestText, PinDelivery, Routed,
                                             Scanned, Start, Tick, ValidationEvent)
from dialogs.phone_validation.guest_words import has_digit, keyword, pin_text
from dialogs.phone_validation.state import (ASK_EMPLOYEE, ASK_NUMBER, ASK_PIN, CONFIRM_NUMBER, CONNECTED,
                                            EMPLOYEE_TRIES, GAVE_UP, HANDED_OVER, HELP, LOOKING_UP, NUMBER_TRIES,
                                            PIN_TRIES, SMS, START, VOICE, ValidationSettings, ValidationState)

_DEFAULT_NOTICES = Notices()

_NUMBER_PROBLEM_NOTICES = {
    UNREADABLE: "validation_number_unreadable", TOO_SHORT: "validation_number_too_short",
    TOO_LONG: "validation_number_too_long", INVALID: "validation_number_invalid",
}



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
        text = sentences(parts, language)
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
            self.ask("validation_confirm_number", number=masked_for_guest(self.s.number))
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
        self.commands.append(ConnectValidatedGuest("", s.wanted_name or "", s.wanted_id or ""))
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
                self.ask("validation_confirm_number", number=masked_for_guest(self.s.number))
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
            digits = pin_text(text)
            if digits is not None and len(digits) == PIN_DIGITS:
                self.pin_given(digits)
            elif self.s.step == HELP:
                self.help()
            else:
                self.ask("validation_ask_pin", number=masked_for_guest(self.s.number))

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
                self.connect_wanted(validated=masked_for_guest(s.number))
                return
            self.ask("validation_validated", number=masked_for_guest(s.number))
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
        self.ask("validation_help", number=masked_for_guest(self.s.number) if self.s.number else "-")

    def update(self) -> None:
        # The PIN outstanding stays valid until a different number is given (the same number again
        # within the cooldown goes back to waiting for it).
        self.set(step=ASK_NUMBER, number_tries_left=self.limits.number_tries, help_offered=False)
        self.ask("validation_ask_number", example=self.example())

    def number_given(self, text: str) -> None:
        if not has_digit(text):  # "hello": no number tried, no try spent
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
                 number=masked_for_guest(number), minutes=minutes)

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
        self.ask("validation_pin_not_delivered", number=masked_for_guest(s.number))

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
        self.commands.append(ConnectValidatedGuest(s.employee_number, event.name, event.employee_id))
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
