"""Places (core/person_match/places.py): the cities a firm has offices in, the provinces, states and countries that
hold them, and a place the guest goes to, which is not where they are."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex
from tests.core import verdicts

OFFICES = PeopleIndex((
    Person("to", "Karen Fong", "toronto", desk=("Toronto office",)),
    Person("va", "Wilson Yee", "vancouver", desk=("Vancouver office manager",)),
    Person("xm", "Lin Hui", "xiamen", desk=("Xiamen branch",)),
    Person("bj", "Wang Lei", "beijing", desk=("Beijing branch",)),
    Person("sf", "Amy Louie", "us", desk=("San Francisco office",)),
    Person("gba", "Chan Ka Ho", "gba", desk=("Greater Bay Area clients",)),
    Person("med", "Alan Cheung", "insurance", desk=("Visitor medical insurance",)),
))
judged = functools.partial(verdicts.judged, OFFICES)


@pytest.mark.parametrize("text, aad", [("I live in Toronto, who can I talk to", "to"),
                                       ("我住喺多倫多，想搵人傾下", "to"),
                                       ("we moved to Burnaby last year, any colleague nearby", "va"),
                                       ("我人在福建，想找个同事聊聊", "xm"),
                                       ("I'm in Ontario", "to")])
def test_a_city_a_district_or_what_holds_it_finds_the_office_there(text, aad):
    assert verdicts.connects(OFFICES, text) == aad


@pytest.mark.parametrize("text", ["my parents are visiting Vancouver for 3 months and need medical cover",
                                  "我爸妈去温哥华探亲三个月，要买医疗保险", "去加拿大旅遊要買醫療保險"])
def test_a_place_the_guest_goes_to_keeps_no_office_beside_the_need(text):
    assert judged(text) == (CONNECT, ["med"])


def test_a_place_the_guest_is_in_keeps_its_office_beside_the_need():
    assert judged("I live in Vancouver and need medical cover") != (CONNECT, ["med"])


def test_the_greater_bay_area_is_not_san_franciscos_bay_area():
    assert judged("大湾区有没有同事") == (CONNECT, ["gba"])
    assert judged("I'm in the Greater Bay Area") == (CONNECT, ["gba"])
    assert judged("我住在旧金山") == (CONNECT, ["sf"])
    assert sorted(c.person.aad for c in OFFICES.rank("I'm in the Bay Area")) == ["gba", "sf"]



GULF_AND_ALPS = PeopleIndex((Person("dxb", "Omar Lee", "gulf", desk=("Dubai office",)),
                             Person("zrh", "Anna Keller", "europe", desk=("Zurich office",)),
                             Person("ldn", "Peter Chan", "uk", desk=("London office",))))


@pytest.mark.parametrize("text, aad", [("I'm based in the UAE, who can I talk to", "dxb"),
                                       ("我住在瑞士，想找人聊聊", "zrh"),
                                       ("I'm studying in Leeds, is there a colleague nearby", "ldn")])
def test_a_country_or_a_city_in_it_finds_its_office(text, aad):
    assert verdicts.connects(GULF_AND_ALPS, text) == aad


CLIENTS_BY_REGION = PeopleIndex((
    Person("sea", "Maggie Lee", "private_banking", desk=("Relationship manager", "Southeast Asia clients")),
    Person("can", "Emily Chan", "private_banking", desk=("Relationship manager", "Canadian clients")),
    Person("mea", "Omar Haddad", "private_banking", desk=("Relationship manager", "Middle East clients")),
))


@pytest.mark.parametrize("text, aad", [("I live in Kuala Lumpur and want a private banker", "sea"),
                                       ("我哋一家喺溫哥華住，想搵私人銀行", "can"),
                                       ("I'm based in Abu Dhabi and looking for a private banker", "mea")])
def test_a_desk_for_a_region_s_clients_is_the_guests_where_the_region_holds_them(text, aad):
    assert CLIENTS_BY_REGION.rank(text)[0].person.aad == aad
