"""A place in the message beside a need (core/person_match): the place where the need is (开香港账户: an account,
opened in Hong Kong) does not hide the need; where nothing else fits, the place and a word of a desk there, both
written in Chinese, find it (里斯本…讲中文: the Chinese client desk in Lisbon), and the guest is asked."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CHOOSE, Glossary, PeopleIndex, verdict

PEOPLE = (
    Person("zhang-wei", "Wei Zhang", "gba", desk=("Cross-border account opening",)),
    Person("wang-jg", "Jianguo Wang", "gba", desk=("Head of Beijing Representative Office",)),
    Person("lo-ivy", "Ivy Lo", "ops", desk=("Account opening",)),
)
INDEX = PeopleIndex(PEOPLE)


@pytest.mark.parametrize("text", ["我在深圳，能不能远程开香港账户", "内地人怎么开香港户口", "想开个香港账户",
                                  "I'm in Shenzhen and want to open a Hong Kong account without flying over"])
def test_a_place_between_open_and_account_is_where_the_account_is(text):
    assert "#account" in INDEX.rank(text)[0].evidence


def test_in_english_only_a_place_between_open_and_account():  # "open my account" is a login, not an opening
    assert not any("#account" in c.evidence for c in INDEX.rank("I can't open my HK account"))


# A city the gazetteer (places.py) does not know, bridged through the dictionary.
LISBON = PeopleIndex((
    Person("chan-daniel", "Daniel Chan", "lisbon", desk=("Relationship manager",)),
    Person("li-na", "Na Li", "lisbon", desk=("Chinese client desk",)),
    Person("ho-ken", "Ken Ho", "premier", desk=("Chinese tea",)),
), glossary=Glossary({"里斯本": "Lisbon, capital of Portugal", "中文": "Chinese language"}))


def test_where_nothing_else_fits_a_place_and_a_desks_word_in_chinese_find_the_desk_there_and_the_guest_is_asked():
    ranked = LISBON.rank("我想问问里斯本那边有没有讲中文的同事")
    assert [c.person.aad for c in ranked] == ["li-na"] and verdict(ranked).kind == CHOOSE


@pytest.mark.parametrize("text", ["里斯本今天天气怎么样", "中文怎么说"])
def test_one_such_word_alone_finds_nobody(text):
    assert not LISBON.rank(text)


MAINLAND = PeopleIndex((
    Person("lin-xh", "Amy Lin", "gba", desk=("Insurance policy servicing (GBA)",)),
    Person("liu-dp", "Dapeng Liu", "general_insurance", desk=("Mainland insurance liaison",)),
))


def test_a_place_counts_once_where_they_are_and_where_their_desk_is():
    ranked = MAINLAND.rank("我是内地客户，在你们这买了保险，想找个讲普通话的人对接一下")
    assert ranked[0].person.aad == "liu-dp" and "^mainland" not in ranked[1].evidence
