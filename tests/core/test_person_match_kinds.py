"""Kinds that connected wrongly on a set the matcher had not seen (issue 20, routing4): a given name that
is an everyday word (sunny, grace, 小雨) where it is the word; a Chinese title in pinyin read as a name
(zhou jingli); one syllable of a Cantonese given name; a person named as someone else's (X's friend, my
husband's RM, X说让我找…); a need with a place, where the place alone does not decide."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from tests.core import verdicts

PEOPLE = (
    Person("lam-sunny", "Sunny Lam", "pb", name_zh="林晓晴", desk=("Relationship manager",)),
    Person("tang-grace", "Grace Tang", "ins", desk=("Claims",)),
    Person("ho-jade", "Jade Ho", "gm", desk=("FX dealer", "Precious metals")),
    Person("mak-joyce", "Joyce Mak", "gba", name_zh="麦嘉雯", desk=("Guangzhou representative office",)),
    Person("chen-xiaoyu", "Xiaoyu Chen", "gm", name_zh="陈小雨", desk=("Bonds",)),
    Person("lam-alice", "Alice Lam", "retail", desk=("Deposits",)),
    Person("zhou-min", "Min Zhou", "mainland", name_zh="周敏", desk=("Client manager", "Students")),
    Person("li-jing", "Jing Li", "cs", name_zh="李静", desk=("Account opening",)),
    Person("wong-kayan", "Ka Yan Wong", "pb", name_zh="黄嘉欣", desk=("Relationship manager",)),
    Person("lau-kayan", "Ka Yan Lau", "ins", name_zh="刘嘉欣", desk=("Medical insurance",)),
    Person("ho-peter", "Peter Ho", "pb", name_zh="何志明", desk=("Trusts",)),
    Person("li-tony", "Tony Li", "mortgages", name_zh="李东", desk=("Mortgage advisor", "Refinancing")),
    Person("chen-hui", "Hui Chen", "pb", name_zh="陈慧",
           desk=("Relationship manager", "Shanghai office", "Cross-border wealth planning")),
    Person("wang-lei", "Lei Wang", "mortgages", name_zh="王磊",
           desk=("Mortgage specialist", "Shanghai office", "Hong Kong property for mainland buyers")),
)
MORE = (
    Person("sun-lily", "Lily Sun", "mainland", desk=("Insurance for mainland visitors",)),
    Person("yeung-may", "May Yeung", "ins", desk=("Life insurance", "Critical illness cover")),
    Person("ho-ken", "Kenneth Ho", "ops", desk=("Head of Compliance",)),
    Person("zhang-li", "Li Zhang", "ops", desk=("Compliance officer", "KYC", "Anti-money laundering")),
)
INDEX = PeopleIndex(PEOPLE + MORE)


judged = functools.partial(verdicts.judged, INDEX)
connects = functools.partial(verdicts.connects, INDEX)


@pytest.mark.parametrize("text", ["It's a sunny day, I'd like to ask about a fixed deposit",
                                  "wishing you joy and grace, and a question on a fixed deposit",
                                  "明天有小雨，我想问定期存款", "新年快乐，金玉满堂 jade and gold, 想问定期存款"])
def test_a_given_name_that_is_an_everyday_word_is_not_read_as_naming_them(text):
    assert connects(text) == "lam-alice"


@pytest.mark.parametrize("text", ["a sunny day and grace to all", "明天有小雨",
                                  "Happy Lunar New Year, wishing you a year of gold and jade"])
def test_an_everyday_word_alone_never_connects(text):
    assert judged(text)[0] != CONNECT


@pytest.mark.parametrize(("text", "aad"), [("Is Sunny there?", "lam-sunny"), ("can I speak to sunny", "lam-sunny"),
                                           ("I'd like to talk to Grace about a claim", "tang-grace"),
                                           ("ask for grace please", "tang-grace"),
                                           ("Grace, I need help with a claim", "tang-grace"), ("找小雨", "chen-xiaoyu"),
                                           ("小雨在吗", "chen-xiaoyu"), ("sunny", "lam-sunny")])
def test_the_same_word_in_a_name_context_names_them(text, aad):
    assert connects(text) == aad


@pytest.mark.parametrize("text", ["zhou jingli zai ma", "Zhou jingli, ni hao", "zau ging lei hai m hai dou"])
def test_a_chinese_title_in_pinyin_is_a_title_not_a_name(text):
    kind, aads = judged(text)
    assert "li-jing" not in aads and (kind != CONNECT or aads == ["zhou-min"])


@pytest.mark.parametrize("text", ["lei saang, ngo seung jyun on", "Li sir, I want to refinance",
                                  "lei saang, ngo seung zyun on", "李生，我想转按"])
def test_a_family_name_with_a_romanised_title_is_any_spelling_of_it(text):
    assert connects(text) == "li-tony"


@pytest.mark.parametrize("text", ["我住咗院想claim返啲钱", "我入咗院，想claim", "住紧院，点样claim"])
def test_cantonese_as_it_is_written_names_the_need(text):
    assert judged(text) == ("choose", ["lau-kayan", "tang-grace"])


@pytest.mark.parametrize("text", ["yau mo yan a", "yan", "Ka Yan please", "嘉欣在吗"])
def test_a_cantonese_given_name_shared_or_in_part_never_connects(text):
    assert judged(text)[0] != CONNECT


def test_one_syllable_of_a_cantonese_given_name_is_asked_about_even_where_one_has_it():
    index = PeopleIndex(PEOPLE[:8])
    assert verdict(index.rank("yau mo yan a")).kind != CONNECT


@pytest.mark.parametrize("text", ["Peter Ho's friend here, he said Tony can help me refinance",
                                  "I'm a client of Peter Ho's, Tony can help me refinance, he said",
                                  "何志明说让我找做转按的同事", "何生话佢叫我揾做转按嘅同事",
                                  "Peter Ho gave me this number, I need someone for refinancing",
                                  "何志明说，她让我找做转按的同事", "何志明说我可以找做转按的同事",
                                  "何志明话佢同事识做转按",
                                  "Peter Ho说他的同事可以帮我转按"])
def test_whom_a_referrer_named_is_wanted_not_the_referrer(text):
    assert connects(text) == "li-tony"


@pytest.mark.parametrize("text", ["My husband's RM is Sunny Lam, but I want my own",
                                  "my mother's relationship manager is Sunny Lam; I need one of my own",
                                  "我老公的客户经理是林晓晴，我想要自己的"])
def test_someone_elses_adviser_is_not_whom_the_guest_wants(text):
    kind, aads = judged(text)
    assert not (kind == CONNECT and aads == ["lam-sunny"])


@pytest.mark.parametrize(("text", "aad"), [
    ("I need cross-border wealth planning between Shanghai and Hong Kong", "chen-hui"),
    ("I'm a student from mainland China studying in HK, can I open an account?", "zhou-min"),
    ("I'm from the mainland and want to buy a flat in Hong Kong, who does mortgages?", "wang-lei")])
def test_a_place_counts_with_the_need_not_instead_of_it(text, aad):
    kind, aads = judged(text)
    assert aad in aads and not (kind == CONNECT and aads != [aad])


@pytest.mark.parametrize("text", ["我在广州，想开户", "I live in Guangzhou and want to open an account"])
def test_a_city_desk_and_a_need_desk_are_asked_about_where_none_does_both(text):
    assert judged(text) == ("choose", ["li-jing", "mak-joyce"])


def test_a_place_does_not_outweigh_a_desk_that_names_the_need():
    kind, aads = judged("I want to open an account, I moved to the mainland")
    assert "li-jing" in aads and not (kind == CONNECT and aads == ["zhou-min"])


@pytest.mark.parametrize(("text", "aad"), [
    ("I'm visiting from Shenzhen, can I buy insurance here?", "sun-lily"), ("我是来港旅客，想了解保险", "sun-lily"),
    ("游客可以买保险吗", "sun-lily"), ("想买个重疾险", "yeung-may"), ("危疾险点样买", "yeung-may"),
    ("你们的反洗黑钱审查要什么文件", "zhang-li"), ("a question on the source of funds check", "zhang-li")])
def test_a_need_written_in_the_words_of_its_family_finds_the_desk_that_names_it(text, aad):
    assert connects(text) == aad


UNIT = PeopleIndex((Person("ins-amy", "Amy Ho", "insurance", desk=("Senior advisor",)),
                    Person("ins-ben", "Ben Lo", "insurance", desk=("Team assistant",)),
                    Person("pb-cat", "Cat Ng", "pb", desk=("Insurance planning",))))


def test_a_unit_named_after_a_need_is_a_broad_fit_outweighed_by_a_desk_that_names_it():
    v = verdict(UNIT.rank("I want to buy insurance"))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "pb-cat")
    alone = PeopleIndex(e.person for e in UNIT.entries if e.person.sub_org == "insurance")
    assert verdict(alone.rank("I want to buy insurance")).kind != CONNECT


BANK = PeopleIndex((Person("lee-kh", "Kwok Hing Lee", "mgmt", desk=("Chief Executive Officer",)),
                    Person("ho-susan", "Susan Ho", "mgmt", desk=("Executive Assistant", "PA to the CEO")),
                    Person("chan-michael", "Michael Chan", "pb", desk=("Relationship manager",)),
                    Person("wong-michael", "Michael Wong", "ins", desk=("Claims",)),
                    Person("chan-taiman", "Tai Man Chan", "pb", desk=("Head of Private Banking",)),
                    Person("ho-peter", "Peter Ho", "pb", desk=("Trusts and estate planning",)),
                    Person("wang-wei", "Wei Wang", "mainland", desk=("Family trusts for mainland clients",)),
                    Person("cheung-alan", "Alan Cheung", "ins", desk=("Universal life", "Estate liquidity"))))


@pytest.mark.parametrize(("text", "aad"), [("I want to speak to the CEO", "lee-kh"), ("行政总裁", "lee-kh"),
                                           ("行政总裁的秘书", "ho-susan"), ("the CEO's assistant please", "ho-susan")])
def test_an_assistant_to_a_title_does_not_hold_it(text, aad):
    v = verdict(BANK.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, aad)


def test_a_given_name_excluded_leaves_out_all_who_have_it():
    v = verdict(BANK.rank("Mr Chan, not Michael, the head of private banking"))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "chan-taiman")
    assert not {"chan-michael", "wong-michael"} & {c.person.aad for c in verdict(BANK.rank("not Michael")).candidates}


@pytest.mark.parametrize("text", ["我想做传承规划，设立家族信托",
                                  "a trust for my children, as part of succession planning"])
def test_estate_planning_is_narrower_than_trusts(text):
    v = verdict(BANK.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "ho-peter")


@pytest.mark.parametrize("text", ["my husband Peter Ho banks with you, I need help to refinance",
                                  "Peter Ho is my friend, but I need someone to refinance",
                                  "I'm writing on behalf of Peter Ho, he wants to refinance",
                                  "我老公何志明在你们这里有户口，我想转按", "何志明是我朋友，我想找人做转按",
                                  "我帮何志明问一下转按的事"])
def test_the_guests_own_people_are_not_whom_they_want(text):
    assert connects(text) == "li-tony"


@pytest.mark.parametrize("text", ["我天天都在想转按的事", "明明说好了要转按", "国庆节后想办转按"])
def test_a_chinese_given_name_that_is_an_everyday_word_is_not_read_as_naming_them(text):
    index = PeopleIndex((*PEOPLE, Person("wang-tt", "Tiantian Wang", "retail", name_zh="王天天", desk=("Cards",)),
                         Person("li-mm", "Mingming Li", "retail", name_zh="李明明", desk=("Cards",)),
                         Person("zhao-gq", "Guoqing Zhao", "retail", name_zh="赵国庆", desk=("Cards",))))
    v = verdict(index.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "li-tony")


@pytest.mark.parametrize("text", ["Sunny Lam is my client manager, is she in?", "林晓晴是我的客户经理，她在吗",
                                  "my client manager Sunny Lam please"])
def test_the_guests_own_adviser_is_whom_they_want(text):
    assert connects(text) == "lam-sunny"


RUN_INTO = PeopleIndex((*PEOPLE, Person("ng-puiyee", "Pui Yee Ng", "retail", name_zh="吴佩仪", desk=("Cards",)),
                        Person("ho-kalok", "Ka Lok Ho", "gm", name_zh="何家乐", desk=("Equities",))))


@pytest.mark.parametrize("text", ["佩仪表很好，想问转按", "我家乐意转按"])
def test_a_chinese_given_name_run_into_the_words_around_it_does_not_name_them(text):
    v = verdict(RUN_INTO.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "li-tony")


@pytest.mark.parametrize(("text", "aad"), [("佩仪，我想问信用卡", "ng-puiyee"), ("我同家乐讲过", "ho-kalok"),
                                           ("找一下佩仪", "ng-puiyee"), ("家乐今天在吗", "ho-kalok"),
                                           ("佩仪", "ng-puiyee")])
def test_a_chinese_given_name_standing_as_a_name_names_them(text, aad):
    v = verdict(RUN_INTO.rank(text))
    assert (v.kind, v.candidates[0].person.aad) == (CONNECT, aad)


PLACES = PeopleIndex((Person("pb-hk", "Amy Ho", "pb", desk=("Private banking", "Hong Kong office")),
                      Person("pb-sh", "Bo Li", "pb", desk=("Private banking", "Shanghai office")),
                      Person("open", "Cat Ng", "retail", desk=("Account opening",)),
                      Person("remit", "Dan Wu", "retail", desk=("Remittances", "RMB services")),
                      Person("sz", "Eve Lau", "gba", desk=("Shenzhen branch",))))


@pytest.mark.parametrize(("text", "kind", "aads"), [
    ("open a private banking account in HK", CONNECT, ["pb-hk"]), ("在香港开私人银行户口", CONNECT, ["pb-hk"]),
    ("I want to open a private banking account", "choose", ["open", "pb-hk", "pb-sh"]),
    ("send RMB from my HK account to Shenzhen", "choose", ["remit", "sz"])])
def test_a_place_decides_between_desks_only_where_one_does_both(text, kind, aads):
    v = verdict(PLACES.rank(text))
    assert (v.kind, sorted(c.person.aad for c in v.candidates)) == (kind, aads)
