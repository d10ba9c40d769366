"""The guest phone-number validation dialog: every path of the state table, the limits, and the
properties (no PIN leaks, no brute force, no more than 2 replies per guest message)."""
from __future__ import annotations

import json
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core.notices import CATALOGUE, EN, GUEST, ZH_CN, Notices
from core.pins import GUEST_CAP, NUMBER_CAP, PinLimits, pin_hash
from dialogs.phone_validation import decision as pv_decision
from dialogs.phone_validation import (
    ASK_EMPLOYEE, ASK_NUMBER, ASK_PIN, CONFIRM_NUMBER, CONNECTED, EMPLOYEE_TRIES, GAVE_UP, HELP, LOOKING_UP,
    NUMBER_TRIES, PIN_TRIES, AskGuest, ConnectValidatedGuest, EmployeeFound, EmployeeNotFound, GaveUp, GuestText,
    PinDelivery, Record, SendPin, Start, Tick, Validated, ValidationSettings, ValidationState, WantsEmployee,
    decide_validation, keyword,
)

KEY = b"test-server-key"
T0 = 1_750_000_000.0  # 2025-06-15 15:06:40 UTC
DAY = 86_400.0
PINS = ("481926", "362958", "593847", "829364", "947362", "238496", "648293", "392846", "283946",
        "846392", "493628", "629384", "936248", "268439")
GUEST_NUMBER = "+8613800138000"


def check_no_leak(pins, state, commands, *, with_hash=True):
    body = state.to_body()
    if not with_hash:
        body = {k: v for k, v in body.items() if k != "pin_hash"}
    blobs = [repr(state), json.dumps(body, ensure_ascii=False)]
    for c in commands:
        blobs.append(repr(c))
        blobs.append(str(c))
        if not isinstance(c, SendPin):
            blobs.append(repr(vars(c)))
    for pin in pins:
        for blob in blobs:
            assert pin not in blob


class Flow:
    """Drives the dialog like the caller would: a clock moved by hand, a fresh PIN every call."""

    def __init__(self, settings: ValidationSettings | None = None, state: ValidationState | None = None,
                 now: float = T0) -> None:
        self.settings = settings or ValidationSettings()
        self.state = state or ValidationState()
        self.now = now
        self._n = 0
        self.sent: list[SendPin] = []
        self.all: list = []

    def __call__(self, event, after: float = 0.0) -> list:
        self.now += after
        fresh = PINS[self._n % len(PINS)]
        self._n += 1
        decision = decide_validation(self.state, event, self.now, self.settings, key=KEY, fresh_pin=fresh)
        self.state = decision.state
        assert ValidationState.from_body(json.loads(json.dumps(self.state.to_body()))) == self.state
        commands = list(decision.commands)
        self.sent += [c for c in commands if isinstance(c, SendPin)]
        check_no_leak([s.pin for s in self.sent], self.state, commands)
        self.all += commands
        return commands

    def say(self, text: str, after: float = 0.0, language: str | None = None) -> list:
        return self(GuestText(text, language), after)

    @property
    def pin(self) -> str:
        return self.sent[-1].pin


def asks(commands) -> list[str]:
    return [c.notice_key for c in commands if isinstance(c, AskGuest)]


def texts(commands) -> list[str]:
    return [c.text for c in commands if isinstance(c, AskGuest)]


def of(kind, commands) -> list:
    return [c for c in commands if isinstance(c, kind)]


def new_guest(language=EN, **kw) -> Flow:
    flow = Flow(**kw)
    flow(Start(language=language))
    return flow


def at_pin(language=EN, **kw) -> Flow:
    flow = new_guest(language, **kw)
    flow.say("13800138000")
    assert flow.state.step == ASK_PIN
    return flow


# --- the happy path --------------------------------------------------------------------------------


@pytest.mark.parametrize("language, connected", [(EN, "You are now connected with Ann Lee."),
                                                 (ZH_CN, "您现在已与 Ann Lee 建立联系。")])
def test_new_guest_happy_path(language, connected):
    flow = Flow()
    c = flow(Start(language=language))
    assert asks(c) == ["validation_ask_number"] and flow.state.step == ASK_NUMBER

    c = flow.say("138 0013 8000", after=20)
    assert of(SendPin, c) == [SendPin(GUEST_NUMBER, flow.pin, "sms")]
    assert asks(c) == ["validation_pin_sent"] and "+86 138 **** 8000" in texts(c)[0]
    assert flow.state.step == ASK_PIN and flow.state.number == GUEST_NUMBER
    assert flow.state.pin_hash == pin_hash(KEY, GUEST_NUMBER, flow.pin)
    assert flow.state.next_due_at == flow.now + 120

    c = flow.say(flow.pin, after=30)
    assert of(Validated, c) == [Validated(GUEST_NUMBER, flow.now)]
    assert asks(c) == ["validation_validated", "validation_ask_employee"]
    assert flow.state.step == ASK_EMPLOYEE and flow.state.pin_hash is None and flow.state.next_due_at is None
    assert flow.state.validated_number == GUEST_NUMBER and flow.state.validated_at == flow.now

    c = flow.say("+86 139 1234 5678", after=10)
    assert of(WantsEmployee, c) == [WantsEmployee("+8613912345678")] and asks(c) == []
    assert flow.state.step == LOOKING_UP

    c = flow(EmployeeFound("Ann Lee", "emp-1"))
    assert of(ConnectValidatedGuest, c) == [ConnectValidatedGuest("+8613912345678", "Ann Lee", "emp-1")]
    assert texts(c) == [connected] and flow.state.step == CONNECTED
    assert flow.say("hello, Ann") == []  # the conversation has it now


def test_texts_follow_the_guests_language_and_default_to_chinese():
    flow = Flow()
    text = texts(flow(Start()))[0]
    assert flow.state.language == ZH_CN and "手机号码" in text
    text = texts(flow.say("13800138000", language="en_US"))[0]
    assert flow.state.language == EN and text.startswith("We have sent a 6-digit PIN by SMS")


def test_a_number_inside_a_sentence_and_full_width_digits():
    flow = new_guest(ZH_CN)
    c = flow.say("我的号码是１３８００１３８０００")
    assert of(SendPin, c)[0].number == GUEST_NUMBER


def test_a_first_text_without_start_starts():
    flow = Flow()
    c = flow.say("hello")
    assert asks(c) == ["validation_ask_number"] and flow.state.step == ASK_NUMBER


# --- wrong numbers -----------------------------------------------------------------------------------


def test_three_wrong_numbers():
    flow = new_guest()
    c = flow.say("hello, I'd like to talk to my banker")  # no number at all: asked again, no try spent
    assert asks(c) == ["validation_ask_number"] and flow.state.number_tries_left == 3
    c = flow.say("no idea, 12-ab")
    assert asks(c) == ["validation_number_unreadable"] and "Tries left: 2." in texts(c)[0]
    c = flow.say("1380")
    assert asks(c) == ["validation_number_too_short"] and "too short" in texts(c)[0] and "Tries left: 1." in texts(c)[0]
    assert flow.state.step == ASK_NUMBER and not of(GaveUp, c)
    c = flow.say("+999 1234 5678")
    assert of(GaveUp, c) == [GaveUp(NUMBER_TRIES)]
    assert asks(c) == ["validation_too_many_numbers"] and "try again tomorrow" in texts(c)[0]
    assert flow.state.step == GAVE_UP and not flow.sent
    assert any(isinstance(r, Record) and r.fields["event"] == "gave_up" for r in c)
    # the same UTC day: stopped; the next day: a new start
    c = flow.say("13800138000", after=60)
    assert asks(c) == ["validation_locked"] and not of(SendPin, c)
    c = flow(Start(), after=60)
    assert asks(c) == ["validation_locked"] and flow.state.step == GAVE_UP
    c = flow.say("hi", after=DAY)
    assert asks(c) == ["validation_ask_number"] and flow.state.number_tries_left == 3


@pytest.mark.parametrize("text, notice", [
    ("garbage", "validation_ask_number"),  # no digit: no number tried (asked again, no try spent)
    ("", "validation_ask_number"),
    ("tel 12-ab-34", "validation_number_unreadable"),
    ("123", "validation_number_too_short"),
    ("1380013800012345678", "validation_number_too_long"),
    ("10000000000", "validation_number_invalid"),
    ("call me at 13800138000 or 13900139000", "validation_number_unreadable"),
])
def test_what_was_wrong_with_the_number(text, notice):
    flow = new_guest()
    assert asks(flow.say(text)) == [notice]


# --- wrong PINs, expiry --------------------------------------------------------------------------------


def test_three_wrong_pins():
    flow = at_pin()
    right = flow.pin
    wrong = "000000" if right != "000000" else "111111"
    c = flow.say(wrong)
    assert asks(c) == ["validation_pin_wrong"] and "Tries left: 2." in texts(c)[0]
    c = flow.say(wrong)
    assert "Tries left: 1." in texts(c)[0]
    c = flow.say("12345")  # not 6 digits: a reminder, no try used
    assert asks(c) == ["validation_ask_pin"] and flow.state.pin_tries_left == 1
    c = flow.say(wrong)
    assert of(GaveUp, c) == [GaveUp(PIN_TRIES)] and asks(c) == ["validation_too_many_pins"]
    assert flow.state.step == GAVE_UP and flow.state.pin_hash is None
    c = flow.say(right)
    assert not of(Validated, c) and asks(c) == ["validation_locked"]


def test_an_expired_pin_is_refused_and_resend_is_offered():
    flow = at_pin()
    old = flow.pin
    flow(Tick(), after=120)  # the help timeout
    c = flow(Tick(), after=181)  # past the expiry
    assert flow.state.pin_hash is None and asks(c) == [] and flow.state.next_due_at is None
    c = flow.say(old, after=5)
    assert asks(c) == ["validation_pin_expired"] and "Resend" in texts(c)[0]
    assert not of(Validated, c) and flow.state.step == HELP and flow.state.pin_tries_left == 3
    c = flow.say("Resend")
    assert of(SendPin, c) and flow.pin != old
    assert of(Validated, flow.say(flow.pin))


def test_a_pin_typed_after_expiry_without_a_tick_is_expired_too():
    flow = at_pin()
    c = flow.say(flow.pin, after=300)
    assert asks(c) == ["validation_pin_expired"] and not of(Validated, c)


def test_a_pin_in_time_with_spaces_and_full_width_digits():
    flow = at_pin()
    pin = flow.pin
    typed = " ".join([pin[:3], pin[3:]]).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert of(Validated, flow.say(typed, after=299))


def test_other_text_while_a_pin_is_awaited_is_no_try():
    flow = at_pin(ZH_CN)
    c = flow.say("收到了吗")
    assert asks(c) == ["validation_ask_pin"] and flow.state.pin_tries_left == 3


# --- help ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Help", "help", "HELP", "ＨＥＬＰ", " help! ", "帮助", "帮助。"])
def test_help_is_recognised(word):
    flow = at_pin()
    c = flow.say(word)
    assert asks(c) == ["validation_help"] and flow.state.step == HELP


def test_help_then_update_takes_the_new_number_path():
    flow = at_pin()
    old = flow.pin
    flow.say("Help")
    c = flow.say("Update")
    assert asks(c) == ["validation_ask_number"] and flow.state.step == ASK_NUMBER
    c = flow.say("+852 9123 4567")
    assert of(SendPin, c) == [SendPin("+85291234567", flow.pin, "sms")]
    assert "+852 **** 4567" in texts(c)[0]
    assert not of(Validated, flow.say(old))  # the old PIN went with the old number
    assert of(Validated, flow.say(flow.pin)) == [Validated("+85291234567", flow.now)]


def test_help_then_call_sends_the_pin_by_voice_after_the_cooldown():
    flow = at_pin()
    flow.say("Help", after=10)
    c = flow.say("Call", after=5)
    assert asks(c) == ["validation_resend_cooldown"] and "45 seconds" in texts(c)[0] and not of(SendPin, c)
    c = flow.say("电话", after=45)
    assert of(SendPin, c) == [SendPin(GUEST_NUMBER, flow.pin, "voice")]
    assert asks(c) == ["validation_pin_calling"]
    assert of(Validated, flow.say(flow.pin))


def test_help_then_resend_invalidates_the_old_pin():
    flow = at_pin()
    old = flow.pin
    flow.say("帮助", after=61)
    c = flow.say("重发")
    new = flow.pin
    assert of(SendPin, c) == [SendPin(GUEST_NUMBER, new, "sms")] and new != old
    c = flow.say(old)
    assert asks(c) == ["validation_pin_wrong"] and not of(Validated, c)
    assert of(Validated, flow.say(new))


def test_the_pin_still_counts_while_the_help_options_are_shown():
    flow = at_pin()
    flow.say("Help")
    c = flow.say("what?")
    assert asks(c) == ["validation_help"]
    assert of(Validated, flow.say(flow.pin))


def test_no_pin_in_time_offers_help_once():
    flow = at_pin()
    assert flow(Tick(), after=119) == [] and flow.state.step == ASK_PIN
    c = flow(Tick(), after=1)
    assert asks(c) == ["validation_help"] and flow.state.step == HELP
    assert flow.state.next_due_at == T0 + 300
    assert asks(flow(Tick(), after=30)) == []
    assert of(Validated, flow.say(flow.pin))


def test_an_undelivered_pin_offers_the_other_ways():
    flow = at_pin()
    c = flow(PinDelivery(ok=False, channel="sms", error="unknown subscriber"))
    assert asks(c) == ["validation_pin_not_delivered"] and flow.state.step == HELP
    assert flow.state.pin_hash is None
    c = flow.say("Call", after=60)
    assert of(SendPin, c)[0].channel == "voice"
    assert flow(PinDelivery(ok=True, channel="voice")) == [mock.ANY]  # a Record only
    assert of(Validated, flow.say(flow.pin))


# --- returning guests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("yes", ["Yes", "yes", "ＹＥＳ", "是", "是的", "y"])
def test_returning_guest_same_number(yes):
    flow = Flow()
    c = flow(Start(returning_number="+8613812345678", language=EN))
    assert asks(c) == ["validation_confirm_number"] and "+86 138 **** 5678" in texts(c)[0]
    assert flow.state.step == CONFIRM_NUMBER
    c = flow.say(yes)
    assert of(SendPin, c) == [SendPin("+8613812345678", flow.pin, "sms")]
    assert of(Validated, flow.say(flow.pin))


def test_returning_guest_update():
    flow = Flow()
    flow(Start(returning_number="+8613812345678", language=ZH_CN))
    c = flow.say("帮助")
    assert asks(c) == ["validation_help"] and flow.state.step == HELP and not flow.sent
    c = flow.say("更新")
    assert asks(c) == ["validation_ask_number"] and flow.state.step == ASK_NUMBER
    c = flow.say("13800138000")
    assert of(SendPin, c)[0].number == GUEST_NUMBER


def test_returning_guest_other_text_asks_again_and_no_asks_for_a_number():
    flow = Flow()
    flow(Start(returning_number="+8613812345678"))
    assert asks(flow.say("hmm")) == ["validation_confirm_number"]
    assert asks(flow.say("否")) == ["validation_ask_number"]


def test_the_number_validated_last_time_makes_a_returning_guest():
    flow = at_pin()
    flow.say(flow.pin)
    c = flow(Start(), after=DAY)
    assert asks(c) == ["validation_confirm_number"] and flow.state.number == GUEST_NUMBER


# --- the person to reach -----------------------------------------------------------------------------------


def test_the_person_to_reach_three_tries():
    flow = at_pin()
    flow.say(flow.pin)
    c = flow.say("nobody")
    assert asks(c) == ["validation_employee_number_invalid"] and "Tries left: 2." in texts(c)[0]
    flow.say("13912345678")
    c = flow(EmployeeNotFound())
    assert asks(c) == ["validation_employee_not_found"] and "+8613912345678" in texts(c)[0]
    assert "Tries left: 1." in texts(c)[0] and flow.state.step == ASK_EMPLOYEE
    flow.say("13912345679")
    c = flow(EmployeeNotFound())
    assert of(GaveUp, c) == [GaveUp(EMPLOYEE_TRIES)] and asks(c) == ["validation_too_many_employees"]
    assert flow(EmployeeFound("late")) == []  # news of a lookup no longer waited for


# --- the caps -----------------------------------------------------------------------------------------------


def test_resend_cooldown_holds():
    flow = at_pin()
    for after in (0, 30, 29):
        c = flow.say("Resend", after=after)
        assert not of(SendPin, c) and asks(c) == ["validation_resend_cooldown"]
    assert "1 seconds" in texts(c)[0]
    assert of(SendPin, flow.say("Resend", after=1))


def test_the_same_number_again_within_the_cooldown_keeps_the_pin_outstanding():
    flow = at_pin()
    pin = flow.pin
    flow.say("Update")
    c = flow.say("13800138000", after=10)
    assert asks(c) == ["validation_resend_cooldown"] and flow.state.step == ASK_PIN
    assert of(Validated, flow.say(pin))


def test_per_number_daily_cap_holds_and_a_new_utc_day_resets_it():
    flow = at_pin()  # PIN 1 of 5
    for _ in range(4):
        assert of(SendPin, flow.say("Resend", after=61))
    c = flow.say("Resend", after=61)
    assert of(GaveUp, c) == [GaveUp(NUMBER_CAP)] and asks(c) == ["validation_pin_cap"]
    assert flow.state.step == GAVE_UP and len(flow.sent) == 5
    midnight = 1_750_032_000.0  # 2025-06-16 00:00 UTC
    c = flow.say("hi", after=midnight - flow.now)
    assert asks(c) == ["validation_ask_number"]
    assert of(SendPin, flow.say("13800138000")) and flow.state.number_pins_today == ((GUEST_NUMBER, 1),)


def test_per_guest_daily_cap_holds_across_numbers():
    settings = ValidationSettings(limits=PinLimits(per_number_per_day=2, per_guest_per_day=3))
    flow = at_pin(settings=settings)
    assert of(SendPin, flow.say("Resend", after=61))
    flow.say("Update")
    assert of(SendPin, flow.say("13900139000"))
    flow.say("Update")
    c = flow.say("13700137000")
    assert of(GaveUp, c) == [GaveUp(GUEST_CAP)] and not of(SendPin, c) and len(flow.sent) == 3
    c = flow(Start(), after=DAY)
    assert asks(c) == ["validation_ask_number"]
    assert of(SendPin, flow.say("13700137000"))


def test_settings_are_checked():
    assert ValidationSettings(default_region="hk").default_region == "HK"
    with pytest.raises(ValueError, match="default_region"):
        ValidationSettings(default_region="XX")
    with pytest.raises(ValueError, match="max_replies_per_guest_message"):
        ValidationSettings(max_replies_per_guest_message=1)
    with pytest.raises(ValueError, match="employee_tries"):
        ValidationSettings(employee_tries=0)


def test_a_pin_to_send_needs_a_fresh_pin_and_a_key():
    state = new_guest().state
    with pytest.raises(ValueError, match="fresh_pin"):
        decide_validation(state, GuestText("13800138000"), T0, ValidationSettings(), key=KEY, fresh_pin=None)
    with pytest.raises(ValueError, match="fresh_pin"):
        decide_validation(state, GuestText("13800138000"), T0, ValidationSettings(), key=KEY, fresh_pin="12345")
    with pytest.raises(ValueError, match="key"):
        decide_validation(state, Tick(), T0, ValidationSettings(), key=b"", fresh_pin=None)
    # no PIN needed: none asked for
    decide_validation(state, GuestText("garbage"), T0, ValidationSettings(), key=KEY, fresh_pin=None)


# --- keywords ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, word", [("Update", "update"), ("更新", "update"), ("ＣＡＬＬ", "call"),
                                        ("重发!", "resend"), ("是", "yes"), ("No.", "no"), ("helpme", None)])
def test_keywords(text, word):
    assert keyword(text) == word


# --- state and notices -------------------------------------------------------------------------------------------


def test_state_round_trips_and_rejects_unknown_steps():
    flow = at_pin()
    assert ValidationState.from_body(flow.state.to_body()) == flow.state
    with pytest.raises(ValueError, match="step"):
        ValidationState.from_body({"step": "nope"})
    with pytest.raises(ValueError, match="language"):
        ValidationState.from_body({"language": "fr"})


def test_no_pin_in_state_commands_or_logs():
    flow = at_pin()
    pin = flow.pin
    send = flow.sent[-1]
    assert pin not in repr(send) and pin not in str(send) and send.pin == pin
    assert pin not in repr(GuestText(pin)) and pin not in repr(flow.state)
    assert "pin_hash" not in repr(flow.state)
    flow.say("Help")
    flow.say(pin)
    check_no_leak([pin], flow.state, flow.all)


def test_every_dialog_notice_is_for_the_guest_and_renders():
    keys = [k for k in CATALOGUE if k.startswith("validation_")]
    assert len(keys) >= 20
    for key in keys:
        assert CATALOGUE[key].audience == GUEST
        for lang in (EN, ZH_CN):
            assert "{" not in Notices().render(key, lang, **{p: 1 for p in CATALOGUE[key].placeholders})


def test_help_texts_name_the_keywords_in_both_languages():
    en = Notices().render("validation_help", EN, number="+86 138 **** 5678")
    zh = Notices().render("validation_help", ZH_CN, number="+86 138 **** 5678")
    assert all(w in en for w in ("Update", "Call", "Resend"))
    assert all(w in zh for w in ("更新", "电话", "重发", "Update", "Call", "Resend"))


def test_an_organization_override_is_used():
    notices = Notices({"validation_connected": {EN: "Say hi to {name}!"}})
    flow = at_pin()
    flow.say(flow.pin)
    flow.say("13912345678")
    d = decide_validation(flow.state, EmployeeFound("Ann"), flow.now, flow.settings, notices, key=KEY,
                          fresh_pin=None)
    assert texts(d.commands) == ["Say hi to Ann!"]


# --- properties ------------------------------------------------------------------------------------------------------

_TEXTS = ["RIGHT", "WRONG", "Help", "帮助", "Update", "更新", "Call", "电话", "Resend", "重发", "Yes", "是", "No",
          "13800138000", "+85291234567", "13900139000", "garbage", "123", "12345", "", "hello"]
_EVENTS = st.one_of(
    st.sampled_from(_TEXTS).map(lambda t: ("text", t)),
    st.text(max_size=12).map(lambda t: ("text", t)),
    st.just(("tick", None)),
    st.sampled_from([PinDelivery(True, "sms"), PinDelivery(False, "sms"), PinDelivery(False, "voice"),
                     EmployeeFound("Ann"), EmployeeNotFound(), Start(), Start("+8613812345678")])
    .map(lambda e: ("event", e)),
)
_STEPS = st.lists(st.tuples(_EVENTS, st.sampled_from([0, 1, 30, 61, 121, 301, DAY])), max_size=40)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=_STEPS, language=st.sampled_from([EN, ZH_CN]),
       limits=st.sampled_from([PinLimits(), PinLimits(pin_tries=1, per_number_per_day=2, per_guest_per_day=3)]))
def test_properties_over_random_sequences(steps, language, limits):
    settings = ValidationSettings(limits=limits)
    state = ValidationState(language=language)
    now = T0
    compared: list[int] = [0]
    real = pv_decision.pin_matches

    def counting(*args, **kwargs):
        compared[0] += 1
        return real(*args, **kwargs)

    sent: list[SendPin] = []
    replies = 0
    with mock.patch.object(pv_decision, "pin_matches", counting):
        for i, ((kind, value), after) in enumerate(steps):
            now += after
            event = Tick() if kind == "tick" else value
            typed = None
            if kind == "text":
                typed = value
                if value == "RIGHT":
                    typed = sent[-1].pin if sent else "111111"
                elif value == "WRONG":
                    typed = "000000" if not sent or sent[-1].pin != "000000" else "111111"
                event = GuestText(typed)
            decision = decide_validation(state, event, now, settings, key=KEY, fresh_pin=PINS[i % len(PINS)])
            state = decision.state
            commands = decision.commands
            if isinstance(event, (GuestText, Start)):
                replies = 0
            replies += len(of(AskGuest, commands))
            assert replies <= 2  # WeChat's quota: at most 2 answers to one guest message
            new_pins = of(SendPin, commands)
            assert len(new_pins) <= 1
            if new_pins:
                sent.append(new_pins[0])
                compared[0] = 0
            assert compared[0] <= limits.pin_tries  # per PIN sent
            validated = of(Validated, commands)
            if validated:
                assert sent and typed is not None and typed == sent[-1].pin
                assert validated[0].number == sent[-1].number
            check_no_leak({s.pin for s in sent}, state, [c for c in commands if not isinstance(c, SendPin)],
                          with_hash=False)
            assert ValidationState.from_body(json.loads(json.dumps(state.to_body()))) == state
            counts = dict(state.number_pins_today)
            assert sum(counts.values()) == state.guest_pins_today <= limits.per_guest_per_day
            assert all(c <= limits.per_number_per_day for c in counts.values())


@hsettings(max_examples=200, deadline=None)
@given(guesses=st.lists(st.from_regex(r"\A[0-9]{6}\Z"), min_size=1, max_size=12))
def test_a_pin_cannot_be_guessed_with_more_tries_than_allowed(guesses):
    flow = at_pin()
    pin = flow.pin
    compared = 0
    real = pv_decision.pin_matches

    def counting(*args, **kwargs):
        nonlocal compared
        compared += 1
        return real(*args, **kwargs)

    with mock.patch.object(pv_decision, "pin_matches", counting):
        for guess in guesses:
            c = flow.say(guess)
            if of(Validated, c):
                assert guess == pin
                break
    assert compared <= 3


# --- a guest who came through an employee's QR code ---------------------------------------------------


def test_a_qr_code_follow_starts_the_validation_and_the_guest_is_connected_to_that_employee_once_validated():
    from dialogs.phone_validation import ConnectValidatedGuest, Scanned

    flow = Flow()
    c = flow(Scanned("aad-ann", "Ann Lee", language="en"))
    assert asks(c) == ["validation_ask_number"] and flow.state.wanted_id == "aad-ann"
    flow.say("13800138000")
    c = flow.say(flow.pin)
    assert asks(c) == ["validation_connected"]  # never asked whom they want
    (said,) = [a.text for a in c if isinstance(a, AskGuest)]  # verified and connected: one WeChat message
    assert said == "Thank you, your phone number +86 138 **** 8000 is verified. You are now connected with Ann Lee."
    assert of(ConnectValidatedGuest, c) == [ConnectValidatedGuest("", "Ann Lee", "aad-ann")]
    assert flow.state.step == CONNECTED


def test_a_qr_code_scanned_while_asked_whom_connects_at_once_and_a_new_conversation_forgets_it():
    from dialogs.phone_validation import ConnectValidatedGuest, Scanned

    flow = at_pin()
    flow.say(flow.pin)
    assert flow.state.step == ASK_EMPLOYEE
    c = flow(Scanned("aad-ann", "Ann Lee"))
    assert of(ConnectValidatedGuest, c) == [ConnectValidatedGuest("", "Ann Lee", "aad-ann")]
    flow(Start(language=EN))  # the conversation ended; the guest writes again
    assert flow.state.wanted_id is None and flow.state.step == CONFIRM_NUMBER


def test_a_qr_code_scanned_right_after_two_replies_still_connects_with_its_words():
    from dialogs.phone_validation import ConnectValidatedGuest, Scanned

    flow = at_pin()
    c = flow.say(flow.pin)
    assert asks(c) == ["validation_validated", "validation_ask_employee"]  # the two replies this message allows
    c = flow(Scanned("aad-ann", "Ann Lee"))
    assert of(ConnectValidatedGuest, c) and asks(c) == ["validation_connected"]  # said by the conversation's policy
