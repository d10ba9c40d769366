"""How a desk's second word is found in what a guest wrote in Chinese (core/person_match/glossary.py `Words.seconds`),
a test per kind: a word inside one of ours it is part of (家族 in 家族信托), every word of a short definition (提单
"bill of lading"), a desk's whole phrase (客服 "customer service"), a single character that is a verb alone (借 "to
borrow": a loan, not inside 借记卡), a desk's word the dictionary writes otherwise (孕妇 "pregnant woman": maternity),
and Cantonese read as Mandarin (攞返: 取回). Each only orders desks that fit the topic alike: the guest is asked.
The dictionary here is a few entries written for the tests, as CC-CEDICT writes them."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, Glossary, PeopleIndex, verdict

GLOSSARY = Glossary({
    "家族": "family/clan",
    "提单": "bill of lading",
    "客服": "customer service",
    "孕妇": "pregnant woman",
    "取回": "to retrieve",
    "借记卡": "debit card",
}, characters={"借": "to lend/to borrow/by means of/to take (an opportunity)"})
PEOPLE = (
    Person("au-trust", "Amy Au", "trust", desk=("Charitable trusts",)),
    Person("ko-trust", "Kit Ko", "trust", desk=("Family trusts",)),
    Person("au-trade", "Ann Au", "trade", desk=("Letters of credit", "Trade finance")),
    Person("ko-trade", "Kay Ko", "trade", desk=("Trade finance documentation", "Bills of lading")),
    Person("au-ins", "Abe Au", "ins", desk=("Savings insurance",)),
    Person("ko-ins", "Kim Ko", "ins", desk=("Maternity insurance",)),
    Person("au-svc", "Ada Au", "svc", desk=("Policy servicing",)),
    Person("ko-svc", "Ken Ko", "svc", desk=("Customer service",)),
    Person("au-mpf", "Ali Au", "mpf", desk=("MPF fund switching",)),
    Person("ko-mpf", "Kai Ko", "mpf", desk=("MPF withdrawals",)),
    Person("au-sme", "Ava Au", "sme", desk=("SME lending", "SME deposits")),
    Person("ko-sme", "Koa Ko", "sme", desk=("SME loans",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=GLOSSARY)


@pytest.mark.parametrize("text, first, term", [
    ("想帮孙子成立家族信托", "ko-trust", "~家族 → family"),  # inside 家族信托, one of ours
    ("提单上的货名写错了，信用证怎么改", "ko-trade", "~提单 → lading"),  # every word of "bill of lading"
    ("我想找客服", "ko-svc", "~客服 → customer service"),  # the phrase: "service" alone is no desk word
    ("怀孕了还能买孕妇保险吗", "ko-ins", "~孕妇 → maternity"),  # pregnant: maternity
    ("移民想提早攞返强积金", "ko-mpf", "~取回 → withdrawal"),  # Cantonese: 攞返 is 取回, to retrieve
    ("我们中小企想借笔钱", "ko-sme", "~借 → loan"),  # a verb alone: to borrow
])
def test_a_desks_second_word_orders_the_desks_that_fit_the_topic_and_the_guest_is_asked(text, first, term):
    ranked = INDEX.rank(text)
    assert ranked[0].person.aad == first and term in ranked[0].evidence
    assert verdict(ranked).kind != CONNECT


def test_a_character_inside_a_word_is_no_verb_alone():
    assert not any(term.startswith("~借") for c in INDEX.rank("中小企的借记卡") for term in c.evidence)


PHRASAL = PeopleIndex((
    Person("cheung-tai", "Tai Ming Cheung", "digital", desk=("Digital banking support", "Mobile app")),
    Person("ng-kit", "Zoe Ng", "digital", desk=("Online banking", "App login problems")),
), glossary=Glossary({"登录": "to register/to log in"}))


@pytest.mark.parametrize("text", ["I can't log in to the app", "app登录不了"])
def test_a_phrasal_verb_is_the_desks_one_word(text):  # log in: login
    ranked = PHRASAL.rank(text)
    assert ranked[0].person.aad == "ng-kit" and verdict(ranked).kind != CONNECT
