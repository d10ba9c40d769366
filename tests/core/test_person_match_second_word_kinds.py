"""How a desk's second word is found in what a guest wrote in Chinese (core/person_match/glossary.py `Words.seconds`),
a test per kind: a word inside one of ours it is part of (家族 in 家族信托), every word of a short definition (提单
"bill of lading"), a desk's whole phrase (客服 "customer service"), a desk's word the dictionary writes otherwise
(准妈妈 "pregnant woman": maternity), a phrasal verb (登录 "to log in": login). Each only orders desks that fit the
topic alike: the guest is asked.
The dictionary here is a few entries written for the tests, as CC-CEDICT writes them."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, Glossary, PeopleIndex, verdict

GLOSSARY = Glossary({
    "家族": "family/clan",
    "提单": "bill of lading",
    "客服": "customer service",
    "准妈妈": "pregnant woman",
})
PEOPLE = (
    Person("au-trust", "Amy Au", "trust", desk=("Charitable trusts",)),
    Person("ko-trust", "Kit Ko", "trust", desk=("Family trusts",)),
    Person("au-trade", "Ann Au", "trade", desk=("Letters of credit", "Trade finance")),
    Person("ko-trade", "Kay Ko", "trade", desk=("Trade finance documentation", "Bills of lading")),
    Person("au-ins", "Abe Au", "ins", desk=("Savings insurance",)),
    Person("ko-ins", "Kim Ko", "ins", desk=("Maternity insurance",)),
    Person("au-svc", "Ada Au", "svc", desk=("Policy servicing",)),
    Person("ko-svc", "Ken Ko", "svc", desk=("Customer service",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=GLOSSARY)


@pytest.mark.parametrize("text, first, term", [
    ("想帮孙子成立家族信托", "ko-trust", "~家族 → family"),  # inside 家族信托, one of ours
    ("提单上的货名写错了，贸易融资的文件怎么改", "ko-trade", "~提单 → lading"),  # every word of "bill of lading"
    ("我想找客服", "ko-svc", "~客服 → customer service"),  # the phrase: "service" alone is no desk word
    ("准妈妈还能买保险吗", "ko-ins", "~准妈妈 → maternity"),  # pregnant: maternity
])
def test_a_desks_second_word_orders_the_desks_that_fit_the_topic_and_the_guest_is_asked(text, first, term):
    ranked = INDEX.rank(text)
    assert ranked[0].person.aad == first and term in ranked[0].evidence
    assert verdict(ranked).kind != CONNECT


PHRASAL = PeopleIndex((
    Person("cheung-tai", "Tai Ming Cheung", "digital", desk=("Digital banking support", "Mobile app")),
    Person("ng-kit", "Zoe Ng", "digital", desk=("Online banking", "App login problems")),
), glossary=Glossary({"登录": "to register/to log in"}))


@pytest.mark.parametrize("text", ["I can't log in to the app", "app登录不了"])
def test_a_phrasal_verb_is_the_desks_one_word(text):  # log in: login
    ranked = PHRASAL.rank(text)
    assert ranked[0].person.aad == "ng-kit" and verdict(ranked).kind != CONNECT


SPELT = PeopleIndex((
    Person("ho-ann", "Ann Ho", "wealth", desk=("Private wealth",)),
    Person("xu-xy", "Xiaoyu Xu", "wealth", desk=("Financial planning for families",)),
), glossary=Glossary({"家庭": "family/household", "理财": "to manage finances/financial management",
                      "规划": "to draw up a plan; to map out a program/a plan; a program"}))


def test_a_desks_phrase_written_word_by_word_in_chinese_fits_as_the_phrase_and_the_guest_is_asked():
    ranked = SPELT.rank("两个孩子，想做个家庭理财规划")
    assert ranked[0].person.aad == "xu-xy" and not ranked[0].certain and verdict(ranked).kind != CONNECT
    assert "\"financial planning for families ← 家庭 理财 规划" in ranked[0].evidence


def test_one_chinese_word_is_no_phrase_spelt():  # 理财 alone: financial management, not the families' desk
    assert not any("←" in term for c in SPELT.rank("想了解理财") for term in c.evidence)
