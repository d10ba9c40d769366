"""An outside dictionary read with the lexicon (core/person_match/glossary.py), a test per kind: a guest's Chinese
word the lexicon does not know reaches the English desk its definitions name (and is asked about, not connected);
a common word makes nobody fit; a topic's word inside a longer word that means something else does not count, a
longer word that means it does, and one of our words crossing a dictionary word keeps it; a name inside a longer
word is no name. The dictionary here is a few entries written for the tests, as CC-CEDICT writes them."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CHOOSE, UNKNOWN, Glossary, PeopleIndex, verdict
from core.person_match.glossary import heads, same_word
from tests.core import verdicts

GLOSSARY = Glossary({
    "离休": "to retire; to leave office",
    "保管": "custody",
    "管理": "to supervise/to manage/to administer/management/administration",
    "保险丝": "fuse wire/(electrical) fuse",
    "股东": "shareholder/stockholder",
    "保险费": "insurance fee",
    "旧金山": "San Francisco, California",
    "下车": "to alight",
    "交保": "to release on bail",
    "保管理": "a made-up longer word",
})
PEOPLE = (
    Person("lee-rita", "Rita Lee", "retail", name_zh="李丽", desk=("Retirement planning",)),
    Person("ho-carl", "Carl Ho", "gm", name_zh="何嘉", desk=("Custody",)),
    Person("wu-ann", "Ann Wu", "pb", name_zh="吴安", desk=("Wealth management",)),
    Person("ma-ben", "Ben Ma", "gm", name_zh="马彬", desk=("Asset management",)),
    Person("so-kay", "Kay So", "risk", name_zh="苏琪", desk=("Risk management",)),
    Person("chow-ivy", "Ivy Chow", "ins", name_zh="周怡", desk=("Insurance advisor",)),
    Person("tam-leo", "Leo Tam", "gm", name_zh="谭力", desk=("Equities",)),
    Person("jin-shan", "Shan Jin", "retail", name_zh="金山", desk=("Deposits",)),
    Person("fok-mia", "Mia Fok", "ins", name_zh="霍敏", desk=("Travel insurance",)),
    Person("yau-sam", "Sam Yau", "retail", name_zh="邱森", desk=("Car loans",)),
    Person("kwok-eric", "Eric Kwok", "pb", name_zh="郭子健", desk=("Tax advisory",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=GLOSSARY)
LEXICON_ONLY = PeopleIndex(PEOPLE)
judged = functools.partial(verdicts.judged, INDEX)


@pytest.mark.parametrize("text, aad, word", [
    ("我想问下离休以后的安排", "lee-rita", "via dictionary: 离休 → retirement"),
    ("你们有没有做保管的？", "ho-carl", "via dictionary: 保管 → custody")])
def test_a_chinese_word_the_lexicon_lacks_reaches_the_desk_its_definitions_name_and_is_asked_about(text, aad, word):
    ranked = INDEX.rank(text)
    assert ranked[0].person.aad == aad and word in ranked[0].evidence  # the evidence says how
    assert verdict(ranked).kind == CHOOSE  # weaker than the lexicon: the guest confirms
    assert not LEXICON_ONLY.rank(text)


@pytest.mark.parametrize("text, found", [("想问交保管的事", True),  # 交保 crosses it, no longer: 保管 is read
                                         ("想问保管理的事", False)])  # a longer word crosses it: that is the word
def test_a_bridged_word_is_read_as_maximum_matching_reads(text, found):
    assert any("保管 → custody" in term for c in INDEX.rank(text) for term in c.evidence) is found


def test_a_bridged_word_tells_no_namesakes_apart():
    index = PeopleIndex((*PEOPLE, Person("lee-rita-2", "Rita Lee", "gm", name_zh="李丽", desk=("Custody services",))),
                        glossary=GLOSSARY)
    assert judged_by(index, "李丽，保管") == (CHOOSE, ["lee-rita", "lee-rita-2"])


def judged_by(index: PeopleIndex, text: str) -> tuple[str, list[str]]:
    return verdicts.judged(index, text)


def test_a_bridged_word_speaks_only_where_nothing_else_of_a_desk_fits():
    assert verdicts.connects(INDEX, "保管的税务问题") == "kwok-eric"  # not a question between tax and custody
    assert judged("保管的问题") == (CHOOSE, ["ho-carl"])


def test_a_common_word_makes_nobody_fit():
    # 管理 (to manage) names every desk of management: a word of many senses bridges to none
    assert judged("我想问一下管理") == (UNKNOWN, [])


@pytest.mark.parametrize("text", ["我家保险丝烧了，找谁", "股东的事情找谁"])
def test_a_topic_inside_a_longer_word_that_means_something_else_does_not_count(text):
    assert judged(text) == (UNKNOWN, [])
    assert verdict(LEXICON_ONLY.rank(text)).kind != UNKNOWN  # what the lexicon alone read into it


def test_a_longer_word_that_means_the_topic_is_the_topic():
    # 保险费 (an insurance fee) is about insurance: both insurance desks, as for 保险 alone
    assert judged("想问保险费的事") == judged("想问保险的事") == (CHOOSE, ["chow-ivy", "fok-mia"])


def test_a_word_of_ours_crossing_a_dictionary_word_keeps_it():
    # 下车 (to alight) holds 车 and means no car: but here 车贷 (a car loan) crosses it
    assert verdicts.connects(INDEX, "想问下车贷") == "yau-sam"


@pytest.mark.parametrize("text", ["下个月去旧金山，想买旅游保险", "下个月去舊金山，想買旅遊保險"])
def test_a_name_inside_a_longer_word_is_no_name(text):
    assert verdicts.connects(INDEX, text) == "fok-mia"
    assert verdicts.connects(LEXICON_ONLY, text) == "fok-mia"  # 旧金山 is a place's name (places.py) as well


def test_a_name_written_as_a_name_still_names():
    assert verdicts.connects(INDEX, "我想找金山") == "jin-shan"


def test_definitions_name_their_head_words_and_words_compare_inflected():
    assert heads("to settle a claim/claims settlement/(Tw) a thing/Bank of China") == {"claim", "settlement", "thing"}
    assert same_word("retire", "retired") and same_word("claim", "claims") and same_word("equitie", "equity")
    assert not same_word("custody", "customs") and not same_word("state", "statement")
