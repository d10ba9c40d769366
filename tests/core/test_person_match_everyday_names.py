"""Names that are everyday words (issue 20, blind20): a Chinese full name or alias the dictionary has as a word
of its own (黄金 "gold", 高明 "brilliant", 周全 "thorough") names its holder only where it is written as a
name (找高明, 高明在吗, 黄金先生); elsewhere it is the word, and the need around it is what counts. So is
a family name with a familiar prefix inside a word (老金 of 养老金: a pension), characters that sound like
a name with a particle no name has (过嚟 for 郭丽), and a given name whose pinyin is an English word the
dictionary writes (Wanting of 婉婷: "wanting to buy"). A name the dictionary has only as a proper name
(李娜, a tennis player) stays a name. The dictionary here is a few entries written as CC-CEDICT writes them."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import Glossary, PeopleIndex
from tests.core import verdicts

GLOSSARY = Glossary({
    "黄金": "gold/golden (opportunity)/prime (time)",
    "高明": "Gaoming District of Foshan City/brilliant; superior; wise",
    "周全": "comprehensive/thorough/to bring one's help/to assist",
    "李娜": "Li Na (1982-), Chinese tennis player",
    "叶伟文": "alias of 葉偉民|叶伟民[Ye4 Wei3 min2]",
    "欠缺": "to be deficient in/lacking/wanting",
})
PEOPLE = (
    Person("huang-jin", "Jin Huang", "complaints", "黄金", desk=("Complaints",)),
    Person("gao-ming", "Ming Gao", "funds", "高明", desk=("Unit trust products",)),
    Person("chow-chuen", "Chuen Chow", "mandates", "周全", desk=("Discretionary mandates",)),
    Person("li-na", "Na Li", "retail", "李娜", desk=("Savings accounts",)),
    Person("ye-wei-wen", "Wai Man Yip", "retail", "叶伟文", desk=("Cards",)),
    Person("etf", "Faith Yeung", "funds", desk=("ETF product enquiries",)),
    Person("mpf", "Sunny Ng", "members", desk=("MPF transfers between schemes",), desk_zh=("强积金转移",)),
    Person("kim", "Min-jun Kim", "sales", "金敏俊", desk=("Korean pension funds",)),
    Person("kwok", "Lucy Kwok", "privacy", "郭丽", desk=("Data privacy",)),
    Person("tse", "Stella Tse", "compliance", "谢婉婷", desk=("Head of Compliance",)),
    Person("stocks", "Siu Ming Cheung", "brokerage", desk=("Hong Kong stock orders",)),
    Person("tanaka", "Kenji Tanaka", "sales", "田中健司", desk=("Japanese pension funds",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=GLOSSARY)
judged = functools.partial(verdicts.judged, INDEX)


@pytest.mark.parametrize(("text", "name"), [("黄金ETF有冇得问", "huang-jin"),
                                            ("有什么高明的办法把强积金转移到新公司", "gao-ming"),
                                            ("你们服务很周全，我想问下强积金转移", "chow-chuen")])
def test_a_full_name_that_is_an_everyday_word_used_as_the_word_names_nobody(text, name):
    kind, aads = judged(text)
    assert name not in aads, (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [("你们服务很周全，我想问下强积金转移", "mpf"),
                                           ("有什么高明的办法把强积金转移到新公司", "mpf")])
def test_the_need_around_the_word_is_what_counts(text, aad):
    assert verdicts.connects(INDEX, text) == aad


@pytest.mark.parametrize(("text", "aad"), [("我找黄金", "huang-jin"), ("高明在吗", "gao-ming"),
                                           ("找一下周全", "chow-chuen"), ("黄金先生在吗？", "huang-jin"),
                                           ("李娜你好，想问下存款", "li-na"), ("叶伟文", "ye-wei-wen")])
def test_a_name_written_as_a_name_or_known_only_as_a_name_still_names_them(text, aad):
    assert verdicts.connects(INDEX, text) == aad


def test_without_the_dictionary_the_name_is_read_as_before():
    assert verdicts.connects(PeopleIndex(PEOPLE), "有什么高明的办法") == "gao-ming"


def test_a_family_name_with_a_familiar_prefix_inside_a_word_is_no_name():
    assert verdicts.connects(INDEX, "我们是日本的养老金，想了解你们的策略") == "tanaka"


@pytest.mark.parametrize("text", ["老金在吗", "金生，你好"])
def test_a_family_name_with_a_familiar_prefix_or_title_still_names_them(text):
    assert verdicts.connects(INDEX, text) == "kim"


def test_characters_that_sound_like_a_name_with_a_particle_no_name_has_are_no_name():
    assert verdicts.connects(INDEX, "转咗新工，想将旧公司嘅强积金转过嚟") == "mpf"  # 过嚟 (come over) sounds as 郭丽


def test_characters_that_sound_like_a_name_still_name_them():
    kind, aads = judged("我想找国立")
    assert aads == ["kwok"], (kind, aads)


def test_a_pinyin_given_name_that_is_an_english_word_used_as_the_word_names_nobody():
    assert verdicts.connects(INDEX, "a mainland investor wanting to buy Hong Kong stocks") == "stocks"


@pytest.mark.parametrize("text", ["Can I speak to Wanting please", "找谢婉婷", "wanting"])
def test_a_pinyin_given_name_that_is_an_english_word_written_as_a_name_still_names_them(text):
    assert verdicts.connects(INDEX, text) == "tse"
