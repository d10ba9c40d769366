"""What a guest means, not only which names appear (issue 20), a test per kind: negation and "the other
one"; other people in the message (a referrer, "X's assistant", a possessive fused into a name); needs in
Chinese against English desks (roles, sub-organization names in both languages, `desk_zh`); Chinese
aliases; phone numbers in Chinese numerals; a name inside a longer name; evidence combined; words
inside other words or idioms. Each on a directory with namesakes, so that a wrong reading shows."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from tests.core import verdicts

PEOPLE = (
    Person("chan-dawen", "David Chan", "ins", name_zh="陈大文", desk=("Insurance advisor",)),
    Person("chan-dewei", "David Chan", "retail", name_zh="陈德伟", desk=("Mortgage advisor",)),
    Person("chen-zhiqiang", "Michael Chen", "ins", name_zh="陈志强", aliases=("陈总",), desk=("Head of Insurance",)),
    Person("lau-mei", "Mary Lau", "ins", name_zh="刘美", desk=("Insurance advisor",)),
    Person("ho-kevin", "Kevin Ho", "pb", name_zh="何家豪", desk=("Private banking",)),
    Person("lee-amy", "Amy Lee", "pb", name_zh="李美玲", aliases=("李姐",), desk=("Executive assistant",)),
    Person("zhang-wei", "Wei Zhang", "retail", name_zh="张伟", phone="+8613800138000", desk=("Funds",)),
    Person("zhang-weiming", "Weiming Zhang", "retail", name_zh="张伟明", desk=("Equities",)),
    Person("wong-alice", "Alice Wong", "pb", name_zh="王嘉欣", aliases=("Ally",), desk=("Bonds",)),
    Person("lam-alice", "Alice Lam", "retail", name_zh="林嘉欣", aliases=("Ally",), desk=("Deposits",)),
    Person("yip-peter", "Peter Yip", "retail", desk=("Head of Mortgages",)),
    Person("ng-ray", "Ray Ng", "research", desk=("Fundamental research",)),
    Person("wu-tom", "Tom Wu", "gm", desk=("Trader",)),
    Person("tsang-joyce", "Joyce Tsang", "pb", desk=("Family governance",), desk_zh=("家族治理",)),
)
INDEX = PeopleIndex(PEOPLE, sub_names={"gm": "Global Markets 环球市场部", "ins": "Insurance 保险部"})


judged = functools.partial(verdicts.judged, INDEX)
connects = functools.partial(verdicts.connects, INDEX)


@pytest.mark.parametrize("text", ["Not David Chan in insurance, the other David Chan",
                                  "不是陈大文，是另一个David Chan", "David Chan, but not 陈大文"])
def test_the_person_excluded_is_not_the_one_connected(text):
    assert connects(text) == "chan-dewei"


@pytest.mark.parametrize("text", ["not Kevin Ho", "不是何家豪"])
def test_a_name_only_negated_never_connects_to_them(text):
    kind, aads = judged(text)
    assert kind != CONNECT and "ho-kevin" not in aads


@pytest.mark.parametrize("text", ["Kevin Ho referred me, I'd like to speak to someone about deposits",
                                  "I was referred by Kevin Ho, I need help with a fixed deposit",
                                  "何家豪介绍我来的，想办定期存款"])
def test_a_referrer_is_not_whom_the_guest_wants(text):
    assert connects(text) == "lam-alice"


@pytest.mark.parametrize("text", ["I'm looking for Kevin Ho's assistant", "Kevin Ho's colleague", "何家豪的助理",
                                  "kevin ho’s secretary please"])
def test_someone_of_another_is_not_that_other(text):
    kind, aads = judged(text)
    assert "ho-kevin" not in aads


def test_a_possessive_is_not_read_as_a_misspelt_longer_name():
    assert all(c.how != "name, misspelt" for c in INDEX.rank("Alice Wong's bonds"))
    assert connects("Alice Wong's desk please") == "wong-alice"


@pytest.mark.parametrize("text", ["我想找保险部的主管", "保险的负责人", "I'd like the head of insurance"])
def test_a_role_with_a_need_in_chinese_or_english_finds_who_holds_it(text):
    assert connects(text) == "chen-zhiqiang"


def test_a_role_alone_is_not_a_topic():
    kind, aads = judged("想找主管")
    assert kind != CONNECT


@pytest.mark.parametrize("text", ["想找环球市场部的同事", "someone in global markets"])
def test_a_sub_organization_by_its_name_in_either_language(text):
    assert connects(text) == "wu-tom"


def test_a_chinese_desk_column_is_matched():
    assert connects("想咨询家族治理") == "tsang-joyce"


@pytest.mark.parametrize("text, aad", [("找陈总", "chen-zhiqiang"), ("李姐在吗", "lee-amy")])
def test_a_chinese_alias_connects(text, aad):
    assert connects(text) == aad


@pytest.mark.parametrize("text", ["一三八零零一三八零零零", "打 幺三八 零零幺三 八零零零",
                                  "電話一三八〇〇一三八〇〇〇"])
def test_a_phone_number_in_chinese_numerals_connects(text):
    assert connects(text) == "zhang-wei"


@pytest.mark.parametrize("text, aad", [("找张伟明", "zhang-weiming"), ("张伟", "zhang-wei"),
                                       ("張偉明先生", "zhang-weiming")])
def test_a_name_inside_a_longer_name_takes_the_exact_full_match(text, aad):
    assert connects(text) == aad


@pytest.mark.parametrize("text, aad", [("Ally Wong", "wong-alice"), ("ally lam please", "lam-alice"),
                                       ("陈大文 (David Chan)", "chan-dawen"), ("Chen Dawen (David Chan)", "chan-dawen"),
                                       ("David Chan 陈德伟", "chan-dewei")])
def test_evidence_combined_fits_one(text, aad):
    assert connects(text) == aad


def test_a_short_need_word_is_not_found_inside_a_longer_desk_word():
    # "fund" is in "Fundamental research", which is not about funds.
    assert connects("who handles funds?") == "zhang-wei"


@pytest.mark.parametrize("text", ["保险起见，我想问问基金", "为了保险起见，基金的事想问一下"])
def test_a_topic_inside_an_idiom_is_not_that_topic(text):
    assert connects(text) == "zhang-wei"


@pytest.mark.parametrize("text, aad", [("Kevin in Singapore", "kevin-sg"), ("香港的Kevin", "kevin-hk"),
                                       ("想问强积金", "mpf"), ("我要投诉", "complaints"), ("信用咭嘅事", "cards")])
def test_places_and_needs_in_chinese_or_cantonese_against_english_desks_and_sub_organizations(text, aad):
    index = PeopleIndex((Person("kevin-hk", "Kevin Ho", "hk", desk=("Customer service",)),
                         Person("kevin-sg", "Kevin Tan", "sg", desk=("Customer service",)),
                         Person("mpf", "Ann Lo", "hk", desk=("MPF", "Mandatory Provident Fund")),
                         Person("annuities", "Bo Wu", "cn", desk=("Annuities",)),
                         Person("complaints", "Cy Ng", "hk", desk=("Complaints",)),
                         Person("cards", "Di Ma", "hk", desk=("Credit cards",))))
    v = verdict(index.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, aad)


CHANS = PeopleIndex((Person("chan-tm", "Tai Man Chan", "hk-wealth", name_zh="陈大文", aliases=("Peter",)),
                     Person("chan-sy", "Siu Yin Chan", "hk-insurance", name_zh="陈小燕", desk=("Life insurance",)),
                     Person("wang-jx", "Jiaxin Wang", "sh-wealth", name_zh="王佳欣", desk=("Mortgage specialist",)),
                     Person("wong-ky", "Ka Yan Wong", "hk-wealth", name_zh="王嘉欣", desk=("Private banker",)),
                     Person("cheung-h", "Hoi Cheung", "hk-cards", name_zh="张海", desk=("Credit cards",)),
                     Person("zhang-h", "Hai Zhang", "sh-cards", name_zh="张海", desk=("Credit cards",))),
                    sub_names={"sh-cards": "Shanghai Cards", "hk-cards": "HK Cards"})


@pytest.mark.parametrize("text, aad", [
    ("Peter Chan referred me, I need someone for mortgages", "wang-jx"),  # no other Chan for his name
    ("王嘉欣介绍我来的，想办按揭", "wang-jx"),  # 王佳欣 sounds like the referrer: not for that
    ("唔系陈大文，我要搵保险嘅陈小姐", "chan-sy"),  # Cantonese
    ("找信用卡部门的张海，在上海的那个", "zhang-h"),  # what is added to a name tells namesakes apart
    ("我想了解私人银行服务", "wong-ky"),  # a private banker does private banking
])
def test_what_else_a_message_says_is_read_for_what_it_means(text, aad):
    v = verdict(CHANS.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, aad), v


def test_a_place_is_not_a_misspelt_name():
    # "shanghai" is one letter from "zhanghai".
    assert all(c.how != "name, misspelt" for c in CHANS.rank("someone in Shanghai"))


def test_namesakes_are_told_apart_by_what_the_guest_adds_to_the_name_though_others_share_it():
    namesakes = (("cheung-h", "Hoi Cheung", "hk-cards"), ("zhang-h", "Hai Zhang", "sh-cards"))
    index = PeopleIndex((*(Person(aad, name, sub, name_zh="张海", desk=("Credit cards",))
                           for aad, name, sub in namesakes),
                         *(Person(f"sh-{i}", f"Fund Person{i}", "sh-wealth", desk=("Funds",)) for i in range(3))),
                        sub_names={"sh-cards": "Shanghai Cards", "sh-wealth": "Shanghai Wealth"})
    v = verdict(index.rank("找信用卡部门的张海，在上海的那个"))
    assert (v.kind, [c.person.aad for c in v.candidates]) == (CONNECT, ["zhang-h"])
    # A need alone: desks that fit nearly as well stay a choice.
    assert verdict(index.rank("信用卡")).kind != CONNECT


@pytest.mark.parametrize("text, aad", [("是不是何家豪？我想找他", "ho-kevin"), ("要不要找何家豪", "ho-kevin"),
                                       ("Kevin Ho sent me a message, I'd like to reply", "ho-kevin"),
                                       ("我想请何家豪推荐我一些基金", "ho-kevin"),
                                       ("Kevin Ho, not urgent", "ho-kevin")])
def test_words_like_a_negation_or_a_referral_that_are_not_leave_the_name_alone(text, aad):
    assert connects(text) == aad


@pytest.mark.parametrize("text, aad", [("香港信用卡", "cheung-h"), ("上海的信用卡部门", "zhang-h"),
                                       ("上海保险的负责人", "li-ming"), ("香港保险部负责人", "chan-sy"),
                                       ("环球市场部", "chen-yan")])
def test_a_place_and_a_role_asked_for_keep_to_who_is_there_and_holds_it(text, aad):
    index = PeopleIndex((Person("cheung-h", "Hoi Cheung", "hk-cards", desk=("Credit cards",)),
                         Person("zhang-h", "Hai Zhang", "sh-cards", desk=("Credit cards",)),
                         Person("chan-sy", "Siu Yin Chan", "hk-ins", desk=("Head of Insurance",)),
                         Person("ng-w", "Wai Ng", "hk-ins", desk=("Insurance claims",)),
                         Person("li-ming", "Ming Li", "sh-ins", desk=("Head of Insurance",)),
                         Person("chen-yan", "Yan Chen", "sh-gm", desk=("FX",))),
                        sub_names={"sh-cards": "Shanghai Cards", "hk-cards": "HK Cards", "hk-ins": "香港保险部",
                                   "sh-ins": "Shanghai Insurance", "sh-gm": "上海环球市场部"})
    v = verdict(index.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, aad), v
