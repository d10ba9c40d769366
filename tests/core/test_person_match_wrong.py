"""Kinds that connected someone not wanted on the development sets (issue 20, routing9): where two readings
compete, the guest is asked."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex
from tests.core import verdicts

PEOPLE = (
    Person("lim-bee", "Bee Hoon Lim", "ins", desk=("Life insurance sales", "Singapore")),
    Person("chan-joy", "Joy Chan", "ins", desk=("Death claims", "Life insurance claims")),
    Person("lau-kawai", "Ka Wai Lau", "private-banking", desk=("Relationship Manager", "Hong Kong private clients")),
    Person("yip-tracy", "Tracy Yip", "private-banking", desk=("Client Service Officer", "Account opening")),
)
INDEX = PeopleIndex(PEOPLE)
judged = functools.partial(verdicts.judged, INDEX)


@pytest.mark.parametrize(("text", "there", "elsewhere"), [
    ("my late husband had a policy with you in Singapore, how do I claim the death benefit", "lim-bee", "chan-joy"),
    ("I'm in HK and want to open a private banking account", "lau-kawai", "yip-tracy")])
def test_a_place_kept_does_not_outweigh_a_desk_elsewhere_that_names_more_of_the_need(text, there, elsewhere):
    kind, aads = judged(text)
    assert not (kind == CONNECT and aads == [there]), (kind, aads)


SAVINGS = PeopleIndex((Person("plans", "Hoi Yan Yeung", "insurance", desk=("Education savings plans",)),
                       Person("cards", "Di Ma", "retail", desk=("Credit cards",)),
                       Person("life", "May Ho", "insurance", desk=("Life insurance",))))


@pytest.mark.parametrize("text", ["can I open a savings account with you", "想开个储蓄户口", "钱存定期就好"])
def test_a_savings_plan_is_insurance_not_a_deposit(text):
    assert verdicts.judged(SAVINGS, text)[0] != CONNECT


@pytest.mark.parametrize("text", ["我想保险一点，钱放银行就好", "比較保險的做法是什麼"])
def test_insurance_as_being_safe_names_no_insurance_desk(text):
    assert verdicts.judged(SAVINGS, text)[0] != CONNECT


def test_a_savings_plan_still_finds_its_desk():
    assert verdicts.connects(SAVINGS, "I'd like an education savings plan for my son") == "plans"


OPERATIONS = PeopleIndex((Person("coo", "Wei Zhang", "executive", desk=("Chief Operating Officer",)),
                          Person("head-ops", "Joyce Li", "operations", desk=("Head of Operations",)),
                          Person("ops", "Mandy Lo", "operations", desk=("Settlements",))))


@pytest.mark.parametrize("text", ["运营总监", "營運總監", "operations director"])
def test_a_director_of_operations_is_its_head_or_the_coo_asked_which(text):
    assert verdicts.judged(OPERATIONS, text) == ("choose", ["coo", "head-ops"])


@pytest.mark.parametrize("text", ["COO", "首席运营官", "chief operating officer"])
def test_the_coo_asked_by_title_is_connected(text):
    assert verdicts.connects(OPERATIONS, text) == "coo"


VISITS = PeopleIndex((Person("visitors", "Jing Zhang", "insurance", desk=("Mainland visitors' policies",)),
                      Person("ceo-office", "Fiona Mak", "executive", desk=("CEO office",))))


@pytest.mark.parametrize("text", ["I want to visit your office next week", "can I visit you in person on Monday"])
def test_calling_on_the_firm_is_no_visitor_cover(text):
    assert verdicts.judged(VISITS, text)[0] != CONNECT


def test_a_visitor_still_finds_the_visitors_desk():
    assert verdicts.connects(VISITS, "I'm a visitor from the mainland, can I buy a policy?") == "visitors"


SHARIA = PeopleIndex((Person("a-shares", "Na Li", "securities", desk=("A-share research",)),
                      Person("takaful", "Nurul Aisyah", "insurance", desk=("Takaful", "Travel insurance"))))


def test_sharia_is_no_share_and_a_share_no_sharia():
    assert verdicts.judged(SHARIA, "is there shariah compliant insurance")[1] == ["takaful"]
    assert verdicts.connects(SHARIA, "A-share research") == "a-shares"


CITIES = PeopleIndex((Person("chengdu", "Jing Chen", "gba", name_zh="陈静",
                             desk=("Mainland client onboarding", "Chengdu office")),
                      Person("chen-hao", "Hao Chen", "retail", name_zh="陈浩", desk=("Account opening",)),
                      Person("tian", "Lei Tian", "retail", desk=("Deposits",)),
                      Person("tianjin", "Amy Ho", "gba", desk=("Tianjin office", "Deposits"))))


@pytest.mark.parametrize("text", ["I'm from Chengdu, how do I open an account with you", "我是成都人，想开户"])
def test_a_city_of_the_mainland_is_a_place_beside_the_need(text):
    assert "chengdu" in verdicts.judged(CITIES, text)[1]


@pytest.mark.parametrize(("text", "aad"), [("Hao Chen please", "chen-hao"), ("Lei Tian", "tian")])
def test_a_name_is_never_a_city_it_begins(text, aad):
    assert verdicts.connects(CITIES, text) == aad


def test_a_family_name_shared_is_asked_about_not_read_as_the_city_it_begins():
    assert verdicts.judged(CITIES, "hello, looking for Mr Chen") == ("choose", ["chen-hao", "chengdu"])


def test_a_short_place_name_is_only_itself():
    index = PeopleIndex((Person("hk", "Amy Ho", "retail", desk=("Hong Kong office",)),))
    assert verdicts.judged(index, "HKD 500")[0] != CONNECT
    assert verdicts.judged(index, "I'm a Singaporean in HK")[1] == ["hk"]
