"""Where a person works, by their phone's numbering plan (forms.office_of): a guest who names a place tells namesakes
apart by it ("Zhang Wei, the Hangzhou one"), and among desks equally fit, whoever works there is named first (never a
connection on the place alone)."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CHOOSE, CONNECT, PeopleIndex, verdict
from core.person_match.forms import office_of
from tests.core import verdicts

STAFF = PeopleIndex((
    Person("zw-bj", "Wei Zhang", "trade", name_zh="张伟", desk=("Letters of credit",), phone="+8613811027745"),
    Person("zw-hz", "Wei Zhang", "trade", name_zh="章玮", desk=("Cash management",), phone="+8613588114620"),
    Person("pc", "Peter Chan", "lending", desk=("UK mortgages",), phone="+442079463144"),
    Person("mc", "Michael Chan", "private_banking", desk=("Non-resident clients",), phone="+442079463108"),
    Person("kc", "Karen Chan", "insurance", desk=("Life insurance",), phone="+85263457781"),
    Person("tw", "Tony Wong", "trade", desk=("Export finance",), phone="+12126884431"),
    Person("sw", "Sunny Wong", "retail", desk=("Account opening",), phone="+85261238890"),
    Person("hk", "Happy Kong", "lending", desk=("Collections",), phone="+85264550918"),
    Person("m-xm", "Lin Hui", "lending", desk=("Mortgages",), phone="+8618959260451"),
    Person("m-hk", "Alan Ho", "lending", desk=("Mortgages",), phone="+85291234501"),
))
judged = functools.partial(verdicts.judged, STAFF)


@pytest.mark.parametrize("phone, places", [
    ("+8613811027745", {"beijing", "north_china", "mainland"}),  # a Beijing mobile
    ("+8613588114620", {"hangzhou", "zhejiang", "east_china", "mainland"}),
    ("+442079463108", {"london", "united_kingdom"}),
    ("+12126884410", {"new_york", "united_states"}),  # a Manhattan area code
    ("", set()),
])
def test_a_phone_says_where_its_owner_works(phone, places):
    assert office_of(phone) == places


@pytest.mark.parametrize("text, aad", [
    ("Zhang Wei in Hangzhou", "zw-hz"),
    ("北京的张伟", "zw-bj"),
    ("Wong, the guy in New York", "tw"),
])
def test_a_place_tells_namesakes_apart(text, aad):
    assert verdicts.connects(STAFF, text) == aad


def test_namesakes_in_one_place_are_still_asked_about():
    assert judged("Chan in London") == (CHOOSE, ["mc", "pc"])


@pytest.mark.parametrize("text, aad", [
    ("Not Peter Chan, the other Chan in London", "mc"),
    ("Zhang Wei but not the one in Beijing, the Hangzhou one", "zw-hz"),
    ("I don't want Sunny, I want the Wong in New York", "tw"),
    ("不是杭州那个张伟，是北京做信用证的", "zw-bj"),
])
def test_the_other_one_is_found_by_where_they_are(text, aad):
    assert verdict(STAFF.rank(text)).candidates[0].person.aad == aad


def test_a_sound_alike_there_is_as_likely_as_the_characters_elsewhere():
    """The guest types 张伟 as the keyboard offers it; 章玮 is in Hangzhou, 张伟 is not: asked, 章玮 first."""
    v = verdict(STAFF.rank("杭州那个张伟"))
    assert v.kind == CHOOSE and v.candidates[0].person.aad == "zw-hz"
    v = verdict(STAFF.rank("我找张伟"))  # no place: the characters first, the namesake who sounds alike asked about
    assert v.kind == CHOOSE and [c.person.aad for c in v.candidates] == ["zw-bj", "zw-hz"]


def test_among_desks_equally_fit_who_works_there_comes_first_but_is_not_connected():
    assert verdict(STAFF.rank("I'm in Xiamen and need a mortgage")).candidates[0].person.aad == "m-xm"
    kind, whom = judged("I'm in Xiamen and need a mortgage")
    assert kind == CHOOSE and {"m-hk", "m-xm"} <= set(whom)
    assert verdict(STAFF.rank("我在香港，想做按揭")).candidates[0].person.aad == "m-hk"


def test_a_place_the_guest_goes_to_orders_nobody():
    assert [c.person.aad for c in STAFF.rank("moving to Xiamen next year, need a mortgage")][:2] == ["m-hk", "m-xm"]


def test_the_words_of_a_place_name_are_no_name():
    """Kong of Hong Kong is not Happy Kong."""
    assert "hk" not in {c.person.aad for c in STAFF.rank("I live in Hong Kong and need export finance")}
    assert verdicts.connects(STAFF, "Happy Kong") == "hk"


@pytest.mark.parametrize("text, aad", [("Wong, but not the HK one", "tw"), ("Chan, not the one in London", "kc")])
def test_namesakes_excluded_by_where_they_work_leave_the_others(text, aad):
    v = verdict(STAFF.rank(text))
    assert v.candidates[0].person.aad == aad and v.kind != CONNECT or [c.person.aad for c in v.candidates] == [aad]


REGIONAL = PeopleIndex((
    Person("group-north", "Yang Liu", "benefits", desk=("Group Benefits Manager, North China",
                                                        "Group medical for employers")),
    Person("claims-mainland", "Zhiming Chen", "claims", desk=("Claims Manager, Mainland China",
                                                              "Hospitalisation and medical claims")),
    Person("mortgage-hk", "Lei Wang", "lending", desk=("Mortgage specialist", "Shanghai office",
                                                       "Hong Kong property for mainland buyers")),
    Person("mortgage-overseas", "Jing Chen", "lending", desk=("Mortgage specialist", "Shanghai office",
                                                              "Overseas property loans")),
))


@pytest.mark.parametrize("text, aad", [
    ("公司有80个员工，想给他们买团体医疗险，我们在北京", "group-north"),
    ("our company (200 staff, Beijing) needs a group medical plan", "group-north"),
    ("I live in Shanghai and want to buy a flat in Hong Kong, who can help with the mortgage?", "mortgage-hk"),
])
def test_a_place_named_is_met_once_however_narrowly(text, aad):
    """A guest in Beijing is in North China and on the mainland: a North China desk is no more there than a mainland
    one, so the need decides between them (blind18: not the mainland claims desk for group medical in Beijing); a desk
    that is in both places named meets more of them."""
    assert verdicts.connects(REGIONAL, text) == aad


TOLD = PeopleIndex((
    Person("medical-hz", "Wei Zhang", "medical", desk=("Medical Insurance Specialist, Hangzhou",
                                                       "Hospital and outpatient plans")),
    Person("complaints-mainland", "Tian Tian", "complaints", desk=("Complaints Officer, Mainland China",
                                                                  "Mis-selling complaints")),
    Person("education-savings", "Ming Li", "education", desk=("Education Savings Planner",
                                                              "Children's education funds")),
    Person("office-bj", "Helen Zhang", "mainland", desk=("Head of the Beijing office",)),
    # the rest of a directory: what else is on the mainland, in insurance
    Person("life-bj", "Grace Huang", "life", desk=("Relationship Manager, Life Insurance, Beijing",)),
    Person("claims", "Zhiming Chen", "claims", desk=("Claims Manager, Mainland China",)),
    Person("trust-nb", "Pingan Wang", "trust", desk=("Trust Officer, Ningbo", "Family trusts")),
    Person("annuity", "Lily Cheung", "retirement", desk=("Annuity Specialist", "Retirement income")),
    Person("group", "Yang Liu", "benefits", desk=("Group Benefits Manager, North China",)),
    Person("hk-medical", "Summer Lee", "medical", desk=("Relationship Manager, Medical Insurance, Hong Kong",)),
))


@pytest.mark.parametrize("text, aad", [
    ("我在杭州买的保险，销售员误导我，我要投诉！！", "complaints-mainland"),
    ("I bought insurance in Hangzhou and I want to complain", "complaints-mainland"),
    ("想找北京做教育储蓄的同事", "education-savings"),
])
def test_a_place_weighs_less_beside_a_need_asked_for_in_so_many_words(text, aad):
    """Where the guest bought something is told; what they ask for is the need (blind18)."""
    assert TOLD.rank(text)[0].person.aad == aad


SUBJECT = PeopleIndex((
    Person("trader-sb", "Ming Wang", "brokerage", desk=("Sales Trader, Southbound Stock Connect",
                                                       "Mainland investors buying Hong Kong shares")),
    Person("research-banks", "Kai Yang", "research", desk=("Research Analyst", "China banks and insurers")),
))


def test_a_desk_that_names_a_need_none_there_names_is_kept_beside_them():
    """国内 is what the research is about, not where the guest is: the research desk is not left out for not being
    on the mainland (blind24); both are asked about."""
    ranked = SUBJECT.rank("想要一份关于国内银行股的研究报告")
    assert {c.person.aad for c in ranked} >= {"trader-sb", "research-banks"}
    assert verdict(ranked).kind != CONNECT
