"""The routing dialog (dialogs/routing.py), in English and in Chinese: one certain match connects;
several are a numbered choice answered by number or by words; "no" and finding nobody lead to a
guided question, and after `max_failed_turns` to the inbox; a first "hi" is only asked whom they
want; a finished dialog does nothing more. Every step checks at most one reply per guest message
and that the state survives `to_body`/`from_body`."""
from __future__ import annotations

import json

import pytest

from core.notices import EN, ZH_CN, Notices
from core.people import Person
from core.person_match import PeopleIndex
from dialogs.routing import (
    ASK, CHOOSING, CONNECTED, START, TEXT_KEPT, TO_INBOX, TRANSCRIPT_KEPT, ConnectRoutedGuest, GuestSays, Note, Reply,
    RoutingSettings, RoutingState, ToInbox, decide_routing,
)

INDEX = PeopleIndex((
    Person("li-david", "David Li", "retail", name_zh="李大卫", desk=("Credit cards",)),
    Person("li-na", "Na Li", "retail", name_zh="李娜", desk=("Fixed deposits",)),
    Person("wong-alice", "Alice Wong", "hk", name_zh="王嘉欣", desk=("Bonds",)),
    Person("wang-wei", "Wei Wang", "retail", name_zh="汪伟", desk=("Mortgage advisor",)),
    Person("zhou-min", "Min Zhou", "retail", name_zh="周敏", desk=("Insurance",)),
    Person("zhou-xin", "Xin Zhou", "retail", name_zh="周欣", desk=("Tax",)),
    Person("zhou-jie", "Jie Zhou", "retail", name_zh="周杰"),
))
NOTICES = Notices()
# What a guest of each language writes, and the language WeChat reports (None: guessed from the text).
GUESTS = {
    EN: dict(wechat=None, alice="I'd like to talk to Alice Wong", li="Mr Li", cards="the one for credit cards",
             no="no", nothing="blah blah", hi="hi", sounds="Wei Wong", yes="yes", two="1 or 2", three="1, 2 or 3"),
    ZH_CN: dict(wechat="zh_CN", alice="请帮我联系王嘉欣", li="李先生", cards="负责信用卡的那位", no="都不是",
                nothing="嗯嗯", hi="你好", sounds="汪维", yes="是的", two="1 或 2", three="1、2 或 3"),
}
LI_CHOICES = "1. David Li 李大卫 – Credit cards\n2. Na Li 李娜 – Fixed deposits"


class Guest:
    """Drives the dialog as the caller does, checking what must hold after every message."""

    def __init__(self, language: str, settings: RoutingSettings = RoutingSettings(), index: PeopleIndex = INDEX):
        self.language, self.settings, self.index = language, settings, index
        self.state = RoutingState()

    def says(self, text: str) -> list:
        decision = decide_routing(self.state, GuestSays(text, GUESTS[self.language]["wechat"]), self.index,
                                  self.settings, NOTICES)
        self.state = decision.state
        assert RoutingState.from_body(json.loads(json.dumps(self.state.to_body()))) == self.state
        said = [c for c in decision.commands if isinstance(c, (Reply, ConnectRoutedGuest, ToInbox))]
        assert len(said) <= 1, said  # one message to the guest per message of theirs, at most
        return [c for c in decision.commands if not isinstance(c, Note)]

    def says_it(self, key: str) -> list:
        return self.says(GUESTS[self.language][key])

    def text(self, key: str, **params) -> str:
        return NOTICES.render(key, self.language, **params)


def keys(commands) -> list[str]:
    return [c.notice_key if isinstance(c, Reply) else type(c).__name__ for c in commands]


languages = pytest.mark.parametrize("language", [EN, ZH_CN])


@languages
def test_one_certain_match_connects_in_one_line(language):
    guest = Guest(language)

    (connect,) = guest.says_it("alice")

    assert connect == ConnectRoutedGuest("wong-alice", "Alice Wong 王嘉欣", connect.how,
                              guest.text("routing_connected", name="Alice Wong 王嘉欣"))
    assert connect.how in ("name", "chinese name")
    assert (guest.state.step, guest.state.connected_to, guest.state.language) == (CONNECTED, "wong-alice", language)


@languages
@pytest.mark.parametrize("answer, aad", [
    ("1", "li-david"), ("first", "li-david"), ("①", "li-david"), ("第一个", "li-david"), ("the first one", "li-david"),
    ("2", "li-na"), ("2号", "li-na"), ("No. 2", "li-na"), ("second", "li-na"), ("２.", "li-na"), ("选2", "li-na"),
])
def test_several_matches_are_a_numbered_choice_answered_by_number(language, answer, aad):
    guest = Guest(language)

    (reply,) = guest.says_it("li")
    assert reply == Reply("routing_choose", guest.text("routing_choose", choices=LI_CHOICES,
                                                       numbers=GUESTS[language]["two"]))
    assert reply.text.endswith("Please reply 1 or 2." if language == EN else "请回复 1 或 2。")
    assert (guest.state.step, guest.state.choices, guest.state.failed) == (CHOOSING, ("li-david", "li-na"), 0)

    (connect,) = guest.says(answer)
    assert (connect.aad, connect.how) == (aad, "chosen")
    assert connect.text == guest.text("routing_connected", name=connect.name)
    assert (guest.state.step, guest.state.connected_to, guest.state.choices) == (CONNECTED, aad, ())


@languages
def test_three_choices_are_numbered_as_the_language_says_them(language):
    guest = Guest(language)

    (reply,) = guest.says("Mr Zhou" if language == EN else "周先生")

    assert reply.text.endswith(f"Please reply {GUESTS[language]['three']}." if language == EN
                               else f"请回复 {GUESTS[language]['three']}。")
    assert len(guest.state.choices) == 3


@languages
def test_a_choice_is_answered_by_words_that_single_one_out(language):
    guest = Guest(language)
    guest.says_it("li")

    (connect,) = guest.says_it("cards")

    assert (connect.aad, connect.how, guest.state.step) == ("li-david", "chosen", CONNECTED)


@languages
def test_an_uncertain_match_is_a_choice_of_one_and_yes_connects(language):
    guest = Guest(language)

    (reply,) = guest.says_it("sounds")
    assert reply.text.endswith("Please reply 1." if language == EN else "请回复 1。")
    assert "Wei Wang 汪伟" in reply.text and guest.state.choices == ("wang-wei",)

    (connect,) = guest.says_it("yes")
    assert (connect.aad, connect.how) == ("wang-wei", "chosen")


@languages
def test_no_to_a_choice_is_a_guided_question_and_a_failed_turn(language):
    guest = Guest(language)
    guest.says_it("li")

    assert guest.says_it("no") == [Reply("routing_not_found", guest.text("routing_not_found"))]
    assert (guest.state.step, guest.state.failed, guest.state.choices) == (ASK, 1, ())
    assert keys(guest.says("不是" if language == ZH_CN else "none of them")) == ["routing_not_found_last"]
    assert guest.state.failed == 2


@languages
def test_a_new_name_instead_of_an_answer_is_matched_afresh(language):
    guest = Guest(language)
    guest.says_it("li")

    (connect,) = guest.says_it("alice")

    assert (connect.aad, guest.state.failed) == ("wong-alice", 0)


@languages
def test_a_number_out_of_the_choice_is_not_an_answer(language):
    guest = Guest(language)
    guest.says_it("li")

    assert keys(guest.says("3")) == ["routing_not_found"]
    assert (guest.state.step, guest.state.failed) == (ASK, 1)


@languages
def test_finding_nobody_is_guided_then_goes_to_the_inbox_after_max_failed_turns(language):
    guest = Guest(language, RoutingSettings(max_failed_turns=3))

    assert keys(guest.says_it("hi")) == ["routing_ask"]
    assert (guest.state.step, guest.state.failed) == (ASK, 0)
    assert guest.says_it("nothing") == [Reply("routing_not_found", guest.text("routing_not_found"))]
    assert guest.says_it("nothing") == [Reply("routing_not_found_last", guest.text("routing_not_found_last"))]
    assert guest.state.failed == 2
    assert guest.says_it("nothing") == [ToInbox(guest.text("routing_to_inbox"))]
    assert (guest.state.step, guest.state.failed) == (TO_INBOX, 3)
    assert guest.says_it("alice") == []  # the team has them now
    assert guest.state.step == TO_INBOX


@languages
def test_only_the_first_message_naming_nobody_is_free(language):
    guest = Guest(language, RoutingSettings(max_failed_turns=2))
    assert guest.state.step == START

    assert guest.says_it("hi") == [Reply("routing_ask", guest.text("routing_ask"))]
    assert (guest.state.step, guest.state.failed) == (ASK, 0)
    assert keys(guest.says_it("hi")) == ["routing_ask_again"]  # a greeting is asked again, shorter, not counted
    assert guest.state.failed == 0
    assert keys(guest.says_it("nothing")) == ["routing_not_found_last"]
    assert keys(guest.says_it("hi")) == ["ToInbox"]  # once a turn failed, greetings count too


@languages
def test_too_many_namesakes_to_list_ask_for_more_and_count_as_failed(language):
    index = PeopleIndex([Person(f"chen-{g.lower()}", f"{g} Chen", "retail", name_zh=f"陈{z}")
                         for g, z in zip(("Amy", "Ben", "Cindy", "Derek", "Eva", "Frank"), "安本欣德娃凡")])
    guest = Guest(language, index=index)

    said = guest.says("Mr Chen" if language == EN else "陈先生")
    assert said == [Reply("routing_narrow", guest.text("routing_narrow"))]
    assert (guest.state.step, guest.state.failed, guest.state.choices) == (ASK, 1, ())


@languages
def test_once_connected_the_dialog_does_nothing_more(language):
    guest = Guest(language)
    guest.says_it("alice")
    connected = guest.state

    for text in ("hi", "Mr Li", "1", "no", ""):
        assert guest.says(text) == []
        assert guest.state == connected


def test_the_language_is_wechats_else_guessed_from_the_first_message_and_kept():
    english = Guest(EN)
    english.says("hi")
    (reply,) = english.says("李先生")  # a Chinese name later does not change the language
    assert english.state.language == EN and reply.text.endswith("Please reply 1 or 2.")

    chinese = Guest(EN)
    chinese.says("你好")
    assert chinese.state.language == ZH_CN

    told = decide_routing(RoutingState(), GuestSays("Mr Li", "zh_CN"), INDEX, RoutingSettings(), NOTICES)
    assert told.state.language == ZH_CN and told.commands[-1].text.endswith("请回复 1 或 2。")


def test_the_transcript_keeps_the_guests_words_not_empty_ones_and_is_capped():
    guest = Guest(EN, RoutingSettings(max_failed_turns=100))
    guest.says("  hi  ")
    guest.says("   ")
    guest.says("x" * (TEXT_KEPT + 50))
    assert guest.state.transcript == ("hi", "x" * TEXT_KEPT)

    for i in range(TRANSCRIPT_KEPT + 5):
        guest.says(f"message {i}")
    assert len(guest.state.transcript) == TRANSCRIPT_KEPT
    assert guest.state.transcript[-1] == f"message {TRANSCRIPT_KEPT + 4}"
    assert guest.state.transcript[0] == "message 5"


def test_the_transcript_goes_with_the_guest_to_the_inbox_and_to_the_colleague():
    guest = Guest(ZH_CN, RoutingSettings(max_failed_turns=1))
    guest.says("你好")
    guest.says("我想问问")
    assert (guest.state.step, guest.state.transcript) == (TO_INBOX, ("你好", "我想问问"))

    guest = Guest(EN)
    guest.says("Mr Li")
    guest.says("2")
    assert guest.state.transcript == ("Mr Li", "2")


def test_the_state_round_trips_through_its_body():
    state = RoutingState(step=CHOOSING, language=ZH_CN, failed=2, choices=("li-david", "li-na"),
                         transcript=("李先生",), connected_to="")
    body = json.loads(json.dumps(state.to_body()))

    assert RoutingState.from_body(body) == state
    assert body == {"step": CHOOSING, "language": ZH_CN, "failed": 2, "choices": ["li-david", "li-na"],
                    "transcript": ["李先生"], "connected_to": ""}
    assert RoutingState.from_body({"step": START}) == RoutingState()


def test_what_the_assistant_understood_is_noted_for_the_record():
    decision = decide_routing(RoutingState(), GuestSays("Mr Li"), INDEX, RoutingSettings(), NOTICES)

    (note,) = [c for c in decision.commands if isinstance(c, Note)]
    assert note.fields["understood"] == "choose"
    assert [c["aad"] for c in note.fields["candidates"]] == ["li-david", "li-na"]


def test_the_record_has_the_evidence_what_of_a_desk_fits_and_whom_the_guest_left_out():
    decision = decide_routing(RoutingState(), GuestSays("Not Alice Wong, someone for my credit card"), INDEX,
                              RoutingSettings(), NOTICES)

    (note,) = [c for c in decision.commands if isinstance(c, Note)]
    assert note.fields["understood"] == "connect"
    (found,) = note.fields["candidates"]
    assert (found["aad"], found["how"], found["evidence"]) == ("li-david", "desk",
                                                               ['"credit cards', "#cards", "card", "credit"])
    assert note.fields["left_out"] == [{"aad": "wong-alice", "named_as": "alice wong"}]


@languages
def test_with_choices_hidden_namesakes_are_not_listed_and_the_guest_is_asked_for_more(language):
    guest = Guest(language, RoutingSettings(show_choices=False))
    (reply,) = guest.says_it("li")
    assert reply == Reply("routing_narrow", guest.text("routing_narrow"))
    assert "David" not in reply.text and "李娜" not in reply.text  # no colleague's name to a stranger
    assert (guest.state.failed, guest.state.choices) == (1, ())
    (reply,) = guest.says_it("sounds")  # one uncertain match: not named either
    assert reply.notice_key == "routing_not_found_last" and "汪伟" not in reply.text
    (connect,) = guest.says_it("alice")  # a sure match still connects
    assert connect.aad == "wong-alice"
