"""Misses and wrong connections of blind79 to blind84 (issue 20, session 21), a test per kind: a desk's second word
written in Chinese weighs more the fewer desks it is in (审计: the audit desk's, beside 信托: every trust desk's); a
language to be served in (普通话, 粤语) is a need, and 广东话 is no place; a company listing on an exchange (港交所上市)
and a block trade are the capital markets desks'; a lender's guests' words for borrowing a sum, paying late, a family
in difficulty, a login that fails and an account taken over; an everyday word (登录, "to log in") is no name that
sounds like it (邓璐), a name the dictionary has (刘洋) still is; a possessive or a measure word inside a need's words
(员工的工资, 立个遗嘱) is read through; a company's bank account opened is no company formed; "current" is no currency
(a current trustee, a current account); a rate the guest asks to be told of is a rate alert's; characters that sound
like a name across two words (有些|问题: 些问, 谢文) are no name; 帐户 is 账户."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, Glossary, PeopleIndex, verdict
from core.person_match.reading import fold, topics_named
from tests.core import verdicts

GLOSSARY = Glossary({
    "审计": "to audit",
    "信托": "trust",
    "登录": "to register/to log in",
    "刘洋": "Liu Yang (1978-), China's first female astronaut",
    "有些": "some/somewhat",
    "问题": "question/problem",
})
TRUSTEES = PeopleIndex((
    Person("accounts", "Qing Liang", "trust-accounting", desk=("Accounts Officer",
                                                               "Distribution payments to beneficiaries")),
    Person("custody", "Tommy Chan", "client-service", desk=("Document Officer", "Safe custody of original wills")),
    Person("audit", "Eric Tang", "trust-accounting", desk=("Audit Liaison Officer", "Annual audit of trusts")),
    Person("statements", "Fang Wang", "trust-accounting", desk=("Head of Trust Accounting",
                                                                "Trust financial statements")),
    Person("trustee", "Terence Wong", "family-trusts", desk=("Trust Officer, Family Trusts",
                                                             "Changes of trustee and protector")),
    *(Person(f"trust-{i}", f"Officer {i}", "family-trusts", desk=("Trust Officer", "Family trusts")) for i in range(8)),
), glossary=GLOSSARY)


def test_a_second_word_of_one_desk_outweighs_a_broader_topic_of_few():
    ranked = TRUSTEES.rank("信托今年的审计什么时候做完？")
    assert ranked[0].person.aad == "audit" and "~审计 → audit" in ranked[0].evidence
    assert verdict(ranked).kind != CONNECT  # a second word orders, it never connects alone


BROKER = PeopleIndex((
    Person("mandarin", "Liu Yang", "client-service", desk=("Client Service Officer, Mandarin hotline",)),
    Person("dealer", "Jason Lee", "brokerage", desk=("Dealer, Hong Kong equities", "Phone orders")),
    Person("ecm", "Li Na", "capital-markets", desk=("Equity capital markets", "Placements and block trades")),
    Person("ipo", "Bill Lo", "capital-markets", desk=("Head of Corporate Finance", "IPO sponsorship",
                                                      "Listing advisory")),
    Person("gz", "Fang Li", "mainland", desk=("Client Manager, Guangzhou office",)),
))


@pytest.mark.parametrize("text", ["我想用普通话咨询一下，粤语听不太懂", "有没有讲普通话的同事？"])
def test_a_language_to_be_served_in_is_the_desk_that_names_it(text):
    assert verdicts.connects(BROKER, text) == "mandarin"


def test_cantonese_asked_for_is_no_place():
    ranked = BROKER.rank("請問有冇人講廣東話")
    assert not any("#guangdong" in c.evidence or "#south_china" in c.evidence for c in ranked)
    assert verdict(ranked).kind != CONNECT


@pytest.mark.parametrize("text, aad", [("我哋公司打算喺港交所上市", "ipo"), ("想做大宗交易，找哪位？", "ecm")])
def test_a_listing_and_a_block_trade_are_the_capital_markets_desks(text, aad):
    assert BROKER.rank(text)[0].person.aad == aad


LENDER = PeopleIndex((
    Person("personal", "Wing Sze Cheung", "lending", desk=("Team Lead, Personal Loans",
                                                           "New loan applications and pre-approval")),
    Person("arrears", "Chi Keung Ng", "collections", desk=("Collections Officer, Early Arrears",
                                                           "Missed repayments under 90 days")),
    Person("hardship", "Dan Wu", "collections", desk=("Hardship Officer",
                                                      "Repayment plans for customers in financial difficulty")),
    Person("medical", "Xiaoyan Liu", "lending", desk=("Loan Officer, Healthcare Instalments",
                                                      "Dental, medical and eye surgery loans")),
    Person("app", "Hui Zhou", "digital", desk=("App Support Lead", "Login problems, face verification")),
    Person("fraud", "Wai Man Tang", "risk", desk=("Fraud Investigator", "Identity theft")),
    Person("promo", "Lu Deng", "marketing", name_zh="邓璐", desk=("Promotions Officer", "Coupons")),
    Person("yang", "Yang Liu", "mainland-desk", name_zh="柳阳", desk=("Client Manager", "RMB services")),
), glossary=GLOSSARY)


@pytest.mark.parametrize("text, aad", [
    ("我想借五万块，怎么申请啊", "personal"),
    ("我上個月冇還到款，想補返，點算好", "arrears"),
    ("家里实在困难，贷款能缓一缓吗", "hardship"),
    ("APP一直登录不上，人脸识别老是失败", "app"),
    ("有人冒用我身份证借了钱！", "fraud"),
])
def test_a_borrowers_own_words_name_the_lenders_desk(text, aad):
    assert LENDER.rank(text)[0].person.aad == aad


def test_an_everyday_word_is_no_name_that_sounds_like_it():
    assert not any(c.how == "sounds like" for c in LENDER.rank("APP一直登录不上"))


def test_a_name_the_dictionary_has_still_sounds_like_a_namesake():
    ranked = LENDER.rank("刘洋在吗")
    assert ranked[0].person.aad == "yang" and ranked[0].how == "sounds like"


BANK = PeopleIndex((
    Person("payroll", "Xiaohong Chen", "accounts", desk=("Relationship Manager, Business Accounts",
                                                         "Payroll and salary payments")),
    Person("wills", "Kazuko Suzuki", "inheritance", desk=("Trust and Will Services", "Will drafting")),
    Person("heirs", "Lan Xu", "inheritance", desk=("Inheritance Specialist", "Estate planning for heirs in China")),
    Person("cosec", "Wilson Ng", "cosec", desk=("Corporate Services Officer", "Company formation in Hong Kong")),
    Person("opening", "Angel Tse", "banking", desk=("Relationship Manager", "Corporate bank accounts in Hong Kong")),
))


@pytest.mark.parametrize("text, aad", [("公司员工的工资能通过你们发吗", "payroll"), ("想立个遗嘱", "wills")])
def test_a_possessive_or_a_measure_word_inside_a_needs_words_is_read_through(text, aad):
    assert verdicts.connects(BANK, text) == aad


@pytest.mark.parametrize("text", ["朋友介绍我来，想开个香港公司银行账户", "想开香港公司银行账户"])
def test_a_companys_bank_account_opened_is_no_company_formed(text):
    assert not any("#corporate_services" in c.evidence for c in BANK.rank(text))


@pytest.mark.parametrize("text", ["we want to replace our current trustee", "my current account"])
def test_current_is_no_currency(text):
    assert "fx" not in topics_named(fold(text))


FX = PeopleIndex((
    Person("spot", "Wei Zhang", "fx", desk=("FX Dealer", "Spot FX")),
    Person("alerts", "Marco Conti", "fx", desk=("FX Dealer", "Rate alerts and limit orders")),
))


@pytest.mark.parametrize("text", ["汇率到8的时候能提醒我吗", "can you let me know when the exchange rate gets to 8?"])
def test_a_rate_the_guest_asks_to_be_told_of_is_a_rate_alerts(text):
    assert verdicts.connects(FX, text) == "alerts"


def test_characters_that_sound_like_a_name_across_two_words_are_no_name():
    index = PeopleIndex((Person("tse", "Michelle Tse", "trade", name_zh="谢文", desk=("Trade Sales Executive",)),),
                        glossary=GLOSSARY)
    assert not index.rank("我有些问题想问")
    assert index.rank("谢问在吗")[0].how == "sounds like"  # 谢问: no word crosses it


@pytest.mark.parametrize("text, topic", [("我要注销帐户", "account_closure"), ("我想查下帐户余额", "account_services")])
def test_a_variant_character_is_read_as_the_common_one(text, topic):
    assert topic in topics_named(fold(text))
