"""Wrong connections and misses of blind26 and blind27 (issue 20, session 16), a test per kind: words joined before
one head share it (Life and long-term care insurance is life insurance too); a place's name is no name misspelt
(Hong Kong is no Hong Hong), nor is a nickname that is the family name a full name with it; Macau's Ieong is 楊; a
given name that is an everyday word after a word a question starts with (想问下天明之前…: before dawn) is the word;
whom a possessive's clause or the guest's own people name ("Sunny Wong's branch sent me", "my cousin works with Bill
Lam") is someone else; a Chinese word the guest wrote is one second word however many of a desk's words it is; an
e-mail address spelt out against spam is the address."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CHOOSE, CONNECT, Glossary, PeopleIndex
from core.person_match.reading import spelt_emails
from tests.core import verdicts

INSURANCE = PeopleIndex((
    Person("head", "Frank Lau", "wealth", desk=("Head of Insurance", "Life insurance and annuities")),
    Person("agent", "Fanghua Wang", "wealth", desk=("Licensed Insurance Agent", "Life and long-term care insurance")),
    Person("cards", "Amy Ho", "retail", desk=("Credit cards",)),
))


@pytest.mark.parametrize("text", ["life insurance quote please", "想买一份人寿保险"])
def test_a_word_joined_to_another_before_their_head_shares_it(text):
    # The agent's "Life and long-term care insurance" is life insurance as the head's is: the guest is asked.
    assert verdicts.judged(INSURANCE, text) == (CHOOSE, ["agent", "head"])


def test_joined_words_share_only_a_head_that_is_a_kind_of_product():
    # "Import financing and documentary collections": financing is no collections
    index = PeopleIndex((Person("tf", "Min Zhou", "trade", desk=("Import financing and documentary collections",)),
                         Person("coll", "Gary Yang", "loans", desk=("Collections and loan recovery",))))
    assert verdicts.connects(index, "my loan is with collections, who can I talk to") == "coll"


MACAU = PeopleIndex((
    Person("ieong", "Ieong Kuok Hong", "trade", "楊國雄", aliases=("楊總", "Hong哥"),
           desk=("Head of Portuguese-speaking Countries Trade",)),
    Person("jason", "Jason Chan", "private",
           desk=("Private Banker, Hong Kong", "Private banking for Hong Kong clients")),
    Person("leong", "Jason Leong", "corporate", desk=("Relationship Director, Gaming and Hospitality",)),
    Person("grace", "Grace Ieong", "retail", "楊恩慈", desk=("Personal Banking Officer",)),
))


@pytest.mark.parametrize("text", ["Jason in Hong Kong private banking", "I live in Hong Kong, Jason please"])
def test_a_places_name_is_no_name_misspelt(text):
    assert verdicts.connects(MACAU, text) == "jason"


def test_macaus_ieong_is_the_family_name_written_first():
    assert verdicts.connects(MACAU, "Ieong Kuok Hong") == "ieong"
    assert verdicts.judged(MACAU, "Mr Ieong") == (CHOOSE, ["grace", "ieong"])


GLOSSARY = Glossary({"天明": "dawn/daybreak"})
DAWN = PeopleIndex((
    Person("chao", "Chao Tin Ming", "insurance", "趙天明", desk=("Life Insurance Manager",)),
    Person("brazil", "Joao Pereira", "remittance", desk=("Remittance Officer, Sao Paulo", "Transfers to Brazil")),
), glossary=GLOSSARY)


def test_an_everyday_given_name_after_a_question_is_the_word():
    kind, aads = verdicts.judged(DAWN, "想问下天明之前可以到账吗，汇款去巴西")
    assert "chao" not in aads and kind != CONNECT or aads == ["brazil"], (kind, aads)


@pytest.mark.parametrize("text", ["同天明讲", "想问下天明在吗", "天明"])
def test_the_everyday_given_name_where_written_as_a_name_is_still_theirs(text):
    assert verdicts.connects(DAWN, text) == "chao"


BANK = PeopleIndex((
    Person("sunny", "Sunny Wong", "branches", desk=("Branch Manager, Flushing Main Street Branch",)),
    Person("cds", "Hope Lin", "deposits", desk=("Deposit Specialist", "Certificates of deposit (CDs)")),
    Person("bill", "Bill Lam", "commercial", desk=("Head of Commercial Banking",)),
    Person("sba", "Jason Zhang", "commercial", desk=("SBA Loan Officer", "SBA loans for small businesses")),
))


@pytest.mark.parametrize("text", ["Sunny Wong's branch sent me to the CD specialist",
                                  "my cousin works with Bill Lam; I need a CD"])
def test_whom_a_possessive_clause_or_the_guests_people_name_is_someone_else(text):
    assert verdicts.connects(BANK, text) == "cds"


@pytest.mark.parametrize("text", ["my cousin works with Bill Lam; I need an SBA loan",
                                  "Sunny Wong's team said to ask about SBA loans"])
def test_the_one_wanted_is_not_whom_the_guest_only_mentions(text):
    kind, aads = verdicts.judged(BANK, text)
    assert aads[:1] == ["sba"] and "bill" not in aads and "sunny" not in aads, (kind, aads)


def test_whom_the_guest_asks_for_by_name_is_still_connected():
    assert verdicts.connects(BANK, "Sunny Wong please") == "sunny"
    assert verdicts.connects(BANK, "I work with Bill Lam") == "bill"


def test_a_chinese_word_is_one_second_word_however_many_desk_words_it_is():
    # 汇款 is both a Brazil desk's "money" and "remittance"; 里斯本 is the Lisbon desk's Lisbon.
    index = PeopleIndex((
        Person("brazil", "Ana Pereira", "remit", desk=("Remittance Officer, Sao Paulo", "Receiving money from Brazil")),
        Person("lisbon", "Maria Sousa", "remit", desk=("Remittance Officer, Lisbon", "Transfers to Portugal")),
    ), glossary=Glossary({"汇款": "to remit money/remittance", "里斯本": "Lisbon, capital of Portugal"}))
    lisbon, brazil = index.rank("想汇款去里斯本俾我个仔")
    assert (lisbon.person.aad, brazil.person.aad) == ("lisbon", "brazil") and lisbon.score > brazil.score


@pytest.mark.parametrize(("written", "address"), [
    ("ck.vong at goldenlotus dot com dot mo", "ck.vong@goldenlotus.com.mo"),
    ("amy(at)bank(dot)com", "amy@bank.com"),
    ("amy [at] bank.com", "amy@bank.com"),
])
def test_an_address_spelt_out_is_the_address(written, address):
    assert spelt_emails(written) == address


@pytest.mark.parametrize("text", ["meet at hsbc.com.hk", "i arrived at 5 dot", "tell amy at hk"])
def test_at_and_dot_in_a_sentence_are_words(text):
    assert spelt_emails(text) == text


def test_a_spelt_address_connects_to_its_holder():
    index = PeopleIndex((Person("vong", "Vong Chi Keong", "deposits", email="ck.vong@goldenlotus.com.mo"),
                         Person("frank", "Frank Vong", "fraud", email="frank.vong@goldenlotus.com.mo")))
    assert verdicts.connects(index, "ck.vong at goldenlotus dot com dot mo") == "vong"


VOCABULARY = PeopleIndex((
    Person("heloc", "Samuel Wu", "loans", desk=("Home Equity Loan Officer", "Home equity lines of credit")),
    Person("stocks", "Amy Chan", "brokerage", desk=("Equities dealer", "Hong Kong stocks")),
    Person("wires", "Penny Liu", "payments", desk=("Remittance Specialist", "Outgoing wires to China")),
    Person("fx", "Kelly Fong", "fx", desk=("Foreign Exchange Desk", "Currency exchange (RMB, NTD, HKD)")),
    Person("payroll", "Ng Ka Lok", "cash", desk=("Cash Management Services", "Corporate payroll")),
    Person("login", "Chen Jing", "digital", desk=("Digital Banking Support", "Internet banking login problems")),
    Person("hr", "Joyce Kwan", "hr", desk=("Human Resources Director",)),
))


@pytest.mark.parametrize(("text", "aad"), [
    ("I want to buy some shares", "stocks"),  # a home equity desk is no equities desk
    ("我打算远走高飞了，走之前想把钱汇回国内", "wires"),
    ("祝你们一帆风顺！想换点台币", "fx"),
    ("我老闆叫我搵人幫公司出糧", "payroll"),
    ("login problems with internet banking", "login"),
    ("想找人力资源部", "hr"),
])
def test_words_of_a_need_reach_its_desk(text, aad):
    assert verdicts.connects(VOCABULARY, text) == aad


def test_a_place_named_as_a_person_is_in_a_desk_where_the_firm_writes_its_offices():
    # "xian" is as often a given name: in a guest's words it is none of the place's, in a desk (Xi'an) it is
    index = PeopleIndex((Person("xian", "Bing Yan", "branches", desk=("Branch Manager, Xi'an",)),
                         Person("beijing", "Lei Wang", "branches", desk=("Branch Manager, Beijing",)),
                         Person("wong", "Xian Wong", "cards", desk=("Credit cards",))))
    assert verdicts.judged(index, "西安分公司的老大")[1][:1] == ["xian"]
    assert verdicts.connects(index, "Xian please") == "wong"


TRUSTS = PeopleIndex((
    Person("hk", "Iris Lam", "trust", desk=("Trust Officer, Hong Kong", "Trust administration")),
    Person("ningbo-trust", "Pingan Wang", "trust", desk=("Trust Officer, Ningbo", "Family trusts")),
    Person("ningbo", "Jie Wu", "branches", desk=("Branch Manager, Ningbo", "Ningbo office")),
    Person("sydney", "Summer He", "property", desk=("Overseas Property Consultant, Australia", "Australian property")),
    Person("uk", "Amy Luo", "property", desk=("Overseas Property Consultant", "UK property")),
))


@pytest.mark.parametrize(("text", "aad"), [("not the HK trust person, the Ningbo one", "ningbo-trust"),
                                           ("不是香港做信托那个，宁波那个", "ningbo-trust")])
def test_the_other_one_pointed_to_elsewhere_does_what_the_one_excluded_does(text, aad):
    assert verdicts.connects(TRUSTS, text) == aad


def test_a_described_one_excluded_is_whom_of_them_is_in_the_place_named():
    # 悉尼的买房顾问: the Australia desk (Sydney is in Australia), not every property consultant
    kind, aads = verdicts.judged(TRUSTS, "不是悉尼的买房顾问，我想买英国的房子")
    assert aads == ["uk"], (kind, aads)


OFFICE = PeopleIndex((
    Person("ceo", "Raymond Chan", "executive", desk=("Chief Executive Officer",)),
    Person("ea", "Joy Yip", "executive", desk=("Executive Assistant to the Chief Executive Officer", "CEO diary")),
    Person("cfo", "Tony Lau", "executive", desk=("Chief Financial Officer",)),
))


@pytest.mark.parametrize("text", ["想约你们CEO开个会，找谁安排？", "想約你哋行政總裁開會，邊位幫手安排時間",
                                  "can I book a meeting with your CEO?", "我想見下你哋CEO，點約？"])
def test_a_meeting_with_a_titles_holder_is_arranged_by_whoever_assists_them(text):
    assert verdicts.connects(OFFICE, text) == "ea"


@pytest.mark.parametrize(("text", "aad"), [("I want to talk to your CEO", "ceo"), ("your CEO please", "ceo"),
                                           ("can I book a meeting with your CFO?", "cfo")])
def test_the_holder_is_still_whom_the_guest_asks_for_without_a_meeting_or_an_assistant(text, aad):
    assert verdicts.connects(OFFICE, text) == aad


UK = PeopleIndex((
    Person("newcomer", "Joy Wong", "uk",
           desk=("Newcomer Adviser", "National Insurance number and council tax guidance")),
    Person("landlord", "Leo Zheng", "uk", desk=("Property Tax Adviser", "Non-resident landlord scheme")),
    Person("careers", "Hope Chen", "advice", desk=("Financial Adviser", "Redundancy payouts and career breaks")),
    Person("banking", "Grace Chan", "uk", desk=("Relationship Manager", "UK current accounts for BN(O) visa holders")),
))


@pytest.mark.parametrize("text", ["有冇旅遊保險賣？", "你们招人吗，我想投简历",
                                  "need a bank account as a non-resident"])
def test_a_desks_word_inside_a_phrase_of_another_sense_is_no_fit(text):
    # National Insurance is a tax, the non-resident landlord scheme no non-resident's account, a career break no job
    kind, aads = verdicts.judged(UK, text)
    assert kind != CONNECT or aads == ["banking"], (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [
    ("Cherry Yiu forwarded me, I need whoever does helper policy renewals", "renewals"),
    ("吴慧敏说外汇对冲要找另一个同事", "fx"),
])
def test_whom_the_guest_was_passed_on_by_is_someone_else(text, aad):
    index = PeopleIndex((Person("cherry", "Cherry Yiu", "personal", desk=("Renewals Team Leader",)),
                         Person("renewals", "Ken Lau", "personal", desk=("Renewals of domestic helper policies",)),
                         Person("wu", "Hui Min Wu", "sme", "吴慧敏", desk=("SME Relationship Manager",)),
                         Person("fx", "Tony Lai", "sme", desk=("FX hedging for companies",))))
    kind, aads = verdicts.judged(index, text)
    assert aads[:1] == [aad] and "cherry" not in aads[:1] and "wu" not in aads[:1], (kind, aads)
