"""Words that read as names and are not (issue 20, routing10): an everyday word a given name spells, an idiom
holding a Chinese alias, need words in pinyin, a name of one syllable twice (Li Li) from one syllable."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex
from tests.core import verdicts

PEOPLE = (
    Person("rainbow", "Rainbow Chan", "ins", "陈彩虹", desk=("Travel insurance",)),
    Person("ocean", "Ocean Ho", "ops", desk=("Branch services",)),
    Person("laowang", "Jianguo Wang", "gba", "王建国", aliases=("老王",), desk=("Greater Bay Area",)),
    Person("trust", "Mei Lin", "wealth", "林美", desk=("Family trusts",), desk_zh=("家族信托",)),
    Person("lili", "Lili Zhao", "retail", "赵丽丽", desk=("Savings accounts",)),
    Person("li-li", "Lily Lee", "premier", "李莉", desk=("Premier relationship manager",)),
    Person("qiang", "Qiang Li", "corporate", "李强", desk=("Corporate lending",)),
    Person("mpf", "Crystal Yeung", "wealth", desk=("MPF",), desk_zh=("强积金",)),
    Person("joy", "Joy Wong", "wealth", "黄凯欣", desk=("Cross-border tax",)),
    Person("lc", "Chen Jing", "corporate", "陈静", desk=("Trade finance",), desk_zh=("信用证",)),
)
INDEX = PeopleIndex(PEOPLE)


@pytest.mark.parametrize(("text", "aad"), [
    ("Rainbow after the storm, what are your opening hours", "rainbow"),
    ("Ocean is calm today, are you open on Sunday", "ocean")])
def test_a_given_name_that_is_an_everyday_word_opening_a_sentence_names_nobody(text, aad):
    kind, aads = verdicts.judged(INDEX, text)
    assert not (kind == CONNECT and aads == [aad]), (kind, aads)


def test_the_everyday_given_name_written_as_a_name_still_names_them():
    assert verdicts.connects(INDEX, "Can I speak to Rainbow please") == "rainbow"


def test_an_idiom_holding_an_alias_names_nobody_but_the_need_after_it_counts():
    kind, aads = verdicts.judged(INDEX, "老王卖瓜自卖自夸，言归正传，想了解家族信托")
    assert (kind, aads) == (CONNECT, ["trust"])


def test_the_alias_outside_the_idiom_still_names_them():
    assert verdicts.connects(INDEX, "我找老王") == "laowang"


@pytest.mark.parametrize("text", ["qiang ji jin zen me ti qu", "wo xiang wen qiang ji jin"])
def test_need_words_in_pinyin_are_no_name_misspelt(text):
    kind, aads = verdicts.judged(INDEX, text)
    assert aads != ["qiang"], (kind, aads)


def test_a_given_name_spelt_by_need_syllables_is_no_name():
    kind, aads = verdicts.judged(INDEX, "xiang kai xin yong zheng")
    assert aads != ["joy"], (kind, aads)


def test_a_given_name_in_pinyin_beside_a_need_still_names_them():
    assert verdicts.connects(INDEX, "wo xiang zhao huang kai xin") == "joy"


def test_a_syllable_once_is_not_a_name_of_that_syllable_twice():
    kind, aads = verdicts.judged(INDEX, "xiang wen yi xia an jie li lv")
    assert not (kind == CONNECT and aads == ["li-li"]), (kind, aads)


NOBODY = PeopleIndex((Person("app", "Frankie Wu", "digital", desk=("Mobile banking app", "Online banking login")),
                      Person("coo", "Wai Kit Ng", "ops", desk=("Chief Operating Officer", "Operations"))))


@pytest.mark.parametrize("text", ["How do I reset my WeChat password", "my operation went well, thanks all"])
def test_a_message_about_something_else_that_shares_a_desk_word_connects_to_nobody(text):
    assert verdicts.judged(NOBODY, text)[0] != CONNECT


@pytest.mark.parametrize(("text", "aad"), [("I forgot my password for the app", "app"),
                                          ("I have a question for your operations team", "coo")])
def test_the_desk_word_alone_still_names_the_desk(text, aad):
    assert verdicts.connects(NOBODY, text) == aad
