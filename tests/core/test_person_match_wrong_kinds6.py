"""Wrong connections of blind67 to blind72 (issue 20, session 20), a test per kind: a desk paying death claims pays
a life policy's (人寿保险…想理赔: the claims officer, not the life insurance salesman), a desk's words joined before
"claims" are each a claim (death and medical claims); an account or a card stopped by the bank (被冻结) is a frozen
account's desk, not only the cards'; personal data asked about (你哋保存咗我乜嘢個人資料) is the privacy officer's,
personal details changed (更新個人資料) are not; a factory the guest owns is manufacturing, one they pay a supplier; a
title's holder's assistant run together (总裁助理, CEO秘书) is whoever assists them, unless the guest is that assistant;
a name before a street's ending (林森北路) is the street; "will" is no will unless one is written ("my son will take
over" is succession; "help me with a will" is a will); a familiar name the directory gives in Chinese for a
one-character given name (阿明 of 陈明) is theirs as much as another's; what someone set up or sold before ("X set up
our trust, now …") is done; a staff member added to a group plan is its enrolment; a participating policy's 红利 is
its bonus declared."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from core.person_match.reading import fold, topics_named
from tests.core import verdicts

INSURER = PeopleIndex((
    Person("life", "Hope Wong", "insurance", desk=("Insurance Specialist, Life and savings insurance", "Annuities")),
    Person("claims", "Rose Chan", "insurance", desk=("Claims Officer, Insurance claims", "Death and medical claims")),
    Person("medical", "Ivy Huang", "insurance", desk=("Insurance Specialist, Critical illness and medical insurance",)),
    Person("bonus", "Kai-wen Lin", "liaison", desk=("Actuarial Liaison",
                                                    "Dividend and bonus declarations for participating policies")),
    Person("savings", "Jing Chen", "products", desk=("Product Manager, Savings and Annuity Plans",
                                                     "Retirement income")),
    Person("group", "Queenie Tsang", "group-benefits", desk=("Group Insurance Advisor",
                                                             "Group life and disability insurance")),
    Person("enrol", "Yan Wang", "group-benefits", desk=("Group Benefits Administrator",
                                                        "Employee enrolment and plan changes")),
))


@pytest.mark.parametrize("text", ["我爸上个月走了，他在你们这有份人寿保险，想办理赔🙏",
                                  "他在你们这有份人寿保险，想理赔"])
def test_a_death_claims_desk_pays_a_life_policys_claim(text):
    assert verdicts.connects(INSURER, text) == "claims"


def test_words_joined_before_claims_are_each_a_claim():
    assert "death_claims" in topics_named(fold("Claims Officer; Death and medical claims"))


def test_a_staff_member_added_to_a_group_plan_is_its_enrolment():
    assert verdicts.connects(INSURER, "公司新来了个员工，要加进团体保险计划") == "enrol"


def test_a_participating_policys_bonus_is_declared_by_its_desk():
    assert INSURER.rank("今年分紅保單的紅利幾時公佈？")[0].person.aad == "bonus"


BANK = PeopleIndex((
    Person("cards", "Frank Ho", "premier", desk=("Cards and Digital Banking Specialist", "Credit cards",
                                                 "Debit cards")),
    Person("frozen", "Patrick Lee", "compliance", desk=("Account Review Officer", "Frozen and blocked accounts",
                                                        "Sanctions screening")),
    Person("privacy", "Stephen Cheung", "compliance", desk=("Data Privacy Officer", "Personal data access requests")),
    Person("service", "Joy Cheung", "service", desk=("Client Service Officer", "Account maintenance",
                                                     "Change of personal details")),
    Person("ceo", "Victor Lau", "executive", desk=("Chief Executive Officer",)),
    Person("ea", "Fiona Lai", "executive", desk=("Executive Assistant to the Chief Executive",)),
    Person("taipei", "Angel Lin", "advisory", desk=("Client Adviser, Taiwan", "Taipei clients")),
    Person("sen", "Sen Lin", "performance", name_zh="林森", desk=("Performance Analyst",)),
    Person("maker", "Wei Zhang", "coverage", desk=("Relationship Manager, Mainland Entrepreneurs",
                                                   "Manufacturing and export businesses")),
    Person("trade", "Kevin Ho", "trade", desk=("Trade Finance Manager", "Purchase order financing",
                                               "Supplier payments")),
    Person("trust", "Eric Kwok", "planning", desk=("Trust and Estate Planning Specialist", "Family trusts",
                                                   "Wills and estate planning")),
    Person("fo", "Alan Wu", "family-office", desk=("Family Office Accountant",
                                                   "Bookkeeping and annual audit of family offices")),
    Person("nextgen", "Alan Lee", "coverage", desk=("Relationship Manager, Next Generation",
                                                    "Second-generation clients")),
))


def test_a_frozen_card_is_no_cards_desk_alone():
    v = verdict(BANK.rank("我的卡突然被冻结了，怎么回事"))
    assert "frozen" in {c.person.aad for c in v.candidates} and (v.kind != CONNECT
                                                                 or v.candidates[0].person.aad == "frozen")


def test_personal_data_asked_about_is_the_privacy_officers_and_details_changed_are_not():
    assert BANK.rank("想查下你哋保存咗我啲乜嘢個人資料")[0].person.aad == "privacy"
    assert verdicts.connects(BANK, "我想更新個人資料") == "service"


@pytest.mark.parametrize("text", ["I own a factory in Shenzhen and want a private banker",
                                  "我是东莞开工厂做出口的，想找个客户经理"])
def test_a_factory_the_guest_owns_is_manufacturing(text):
    assert BANK.rank(text)[0].person.aad == "maker"


def test_a_factory_paid_is_a_supplier():
    text = "need cash to pay the factory upfront before Q4, do you finance purchase orders?"
    assert "manufacturing" not in topics_named(fold(text))
    assert BANK.rank(text)[0].person.aad == "trade"


@pytest.mark.parametrize("text", ["总裁助理", "CEO助理", "行政总裁秘书"])
def test_a_title_holders_assistant_run_together_is_whoever_assists_them(text):
    assert verdicts.connects(BANK, text) == "ea"


def test_the_guest_who_is_that_assistant_asks_for_no_assistant():
    assert "ea" not in {c.person.aad for c in verdict(BANK.rank("我是总裁助理")).candidates}


def test_a_name_before_a_streets_ending_is_the_street():
    assert verdicts.connects(BANK, "我住台北林森北路附近，想找台北的顾问") == "taipei"
    assert verdicts.connects(BANK, "林森") == "sen"


def test_will_is_no_will_unless_one_is_written():
    ranked = BANK.rank("My son will take over the family business, he needs his own banker")
    assert not any("will" in c.evidence for c in ranked)
    assert verdict(ranked).kind != CONNECT and "nextgen" in {c.person.aad for c in verdict(ranked).candidates}
    assert BANK.rank("I hope you can help me with a will")[0].person.aad == "trust"


def test_what_someone_set_up_before_is_done():
    v = verdict(BANK.rank("Eric Kwok set up our trust, now our family office needs its annual audit done"))
    assert v.candidates[0].person.aad == "fo" and "trust" not in {c.person.aad for c in v.candidates}


MINGS = PeopleIndex((
    Person("kaming", "Ka-ming Lee", "mortgages", name_zh="李家明", aliases=("Lee Ka Ming", "阿明"),
           desk=("Mortgage Advisor",)),
    Person("ming", "Ming Chan", "branches", name_zh="陈明", aliases=("阿明",), desk=("Branch Manager",)),
))


def test_a_familiar_name_given_in_chinese_for_a_one_character_given_name_is_theirs():
    assert verdicts.judged(MINGS, "wan Ah Ming") == ("choose", ["kaming", "ming"])


PRIVATE_BANK = PeopleIndex((
    Person("limits", "Winnie Cheung", "lending", desk=("Credit Analyst", "Credit limit reviews")),
    Person("savings", "Jing Chen", "products", desk=("Product Manager, Savings and Annuity Plans",
                                                     "Retirement income")),
    Person("app", "Andy Kwok", "operations", desk=("Mobile app support", "Online banking login")),
))


@pytest.mark.parametrize("text", ["我想办信用卡", "我想轉MPF"])
def test_a_thing_asked_for_is_no_desk_for_another_kind_of_it(text):
    # a credit card applied for, at a desk reviewing credit limits; an MPF moved, at a retirement income desk: the firm
    # may have no such desk, the guest is asked
    assert verdict(PRIVATE_BANK.rank(text)).kind != CONNECT


def test_a_desk_whose_words_the_guest_writes_fits_another_kind_of_it_too():
    assert verdicts.connects(PRIVATE_BANK, "forgot my password for the mobile banking app") == "app"


@pytest.mark.parametrize("text, topic", [
    ("我想把钱交给你们全权打理，主要投债券", "discretionary"),
    ("想了解下累計期權", "accumulators"),
    ("收到通知说要补交资料做定期审查", "kyc_review"),
    ("想了解一下新加坡的基金会架构", "foundations"),
    ("我想將啲金飾同古董放喺你哋度保管", "safe_box"),
    ("我的代理人离职了，想换一个负责我的保单", "agent_change"),
    ("想將年繳改成月繳，要填咩表？", "payment_mode"),
    ("保費過咗期未交，仲可以補交嗎？", "overdue_premium"),
    ("我阿爺八十幾歲唔識用手機，想搵人幫佢處理保單", "vulnerable_customers"),
    ("人民币每天兑换有没有上限？", "fx_quota"),
    ("Premier status, fees and waivers", "bank_charges"),
    # a mortgage broker's
    ("我想先做個按揭預批，睇樓前心中有數", "mortgage_preapproval"),
    ("我想买二手楼，唔知按揭成数可以做几多", "second_hand_property"),
    ("元朗村屋可以做按揭嗎？", "village_houses"),
    ("想問H按同P按邊個抵啲", "mortgage_rates"),
    ("想申请二按", "second_mortgage"),
    # a fund house's
    ("我想要每个月派息的基金份额，找谁问", "income_distribution"),
    ("想了解亚洲高收益债基金", "high_yield"),
    ("我想买美国国债基金，比较稳的那种", "treasuries"),
    ("想搵短債基金，風險低啲嘅", "short_duration"),
    ("我们是一家机构，想委托你们做独立账户管理", "segregated_mandates"),
    ("你好，我第一次买基金，完全不懂，可以找谁问问？", "first_time_investors"),
    ("新加坡这边想要你们基金的最新月报和宣传资料", "factsheets"),
    ("想把我在银行买的你们的基金转到另一个平台", "platform_transfers"),
    # a health insurer's
    ("医院要你们出担保函才给入院", "pre_authorisation"),
    ("家父想去美国治疗，你们能帮忙安排吗", "overseas_treatment"),
    ("想转介去内地的专科医生看心脏", "specialist_referral"),
    ("我是深圳一家诊所的医生，想加入你们的医疗网络", "provider_network"),
    ("看了普通科门诊，单据怎么报销", "outpatient"),
    ("睇中醫針灸可唔可以claim", "chinese_medicine"),
    ("BB啱啱出世，想幫佢買醫療保險", "newborns"),
    ("想请你们来公司做健康讲座", "wellness"),
    ("员工离职了，要从公司保单里删除", "benefits_enrolment"),
    ("之前做過手術，投保時要唔要申報？", "underwriting"),
    ("三个月后要付货款，想先锁定汇率", "fx_hedging"),
    # a UK bank's
    ("Relationship Manager, Hong Kong BN(O) Arrivals (London)", "bno"),
    ("Mortgage arrears and payment difficulties", "hardship"),
    ("想幫個女開個兒童ISA儲錢", "children_account"),
    ("律师说房贷放款还没到，交房卡住了", "mortgage_completion"),
    # a New Zealand bank's
    ("Relationship Manager - Investor Visa, Christchurch", "immigration"),
    ("我的固定利率下个月到期了，要重新锁定", "fixed_rate_expiry"),
    ("在基督城附近买了一个果园，想谈谈贷款", "agribusiness"),
    ("我想盘下一家现成的奶茶店", "business_purchase"),
    ("取款机把我的卡吞了", "card_loss"),
    # a thing of a kind the doing words go with: a remittance is a payment to trace
    ("匯咗錢去香港但係對方話收唔到，可以追返嗎", "remittance_tracing"),
])
def test_a_firms_everyday_needs_in_chinese_name_their_desks_topic(text, topic):
    assert topic in topics_named(fold(text))


@pytest.mark.parametrize("text, topic", [
    ("我想投资私募股权基金", "equities"),  # private equity, no shares
    ("Hi, I'm starting a charity foundation in memory of my late wife", "foundations"),  # philanthropy's
    ("I'm applying for a foundation year at a UK university", "foundations"),
    ("Head of Compliance; Regulatory affairs and Insurance Authority", "insurance"),  # a regulator's name
    ("want to buy a flat in Tai Po, what mortgage rates can you offer", "mortgage_rates"),  # a new mortgage's
    ("Financial Planner; Wealth planning for mainland visitors", "mortgage_rates"),  # no "h plan" in wealth planning
    ("Li Jing from your FX/treasury team", "treasuries"),
    ("please confirm my data will be deleted", "wills"),  # a phrase's short word is a word: no "a will" in "data will"
    ("我在深圳，想把内地汇款专户的钱转进理财通账户", "segregated_mandates"),
])
def test_words_of_another_sense_name_no_such_topic(text, topic):
    assert topic not in topics_named(fold(text))


KYC = PeopleIndex((
    Person("head", "Alice Wong", "onboarding", desk=("Head of Onboarding and KYC",)),
    Person("review", "Dawn Siu", "onboarding", desk=("KYC Review Analyst", "Periodic client reviews",
                                                     "Updating client documents")),
    Person("open", "Karen Wong", "onboarding", desk=("Onboarding Specialist", "New account opening")),
))


def test_documents_asked_for_again_are_the_periodic_reviews_desks():
    assert KYC.rank("收到通知说要补交资料做定期审查")[0].person.aad == "review"


# From blind73 to blind78 (opened at mid-session).
FUNDS = PeopleIndex((
    Person("service", "Tommy Lee", "service", desk=("Client Service Officer, Subscriptions and Redemptions",)),
    Person("complaints", "Ping On Ho", "compliance", desk=("Complaints Officer", "Client complaints and disputes")),
    Person("docs", "Amy Tsang", "service", desk=("Client Service Officer, Statements and Tax Documents",)),
    Person("crs", "Benson Mak", "compliance", desk=("FATCA and CRS Reporting Officer",
                                                    "Tax residency self-certification")),
    Person("planner", "Will Cheung", "wealth", desk=("Wealth Planner", "Wills and estate planning", "Trusts")),
    Person("iht", "Patrick Lam", "wealth", desk=("Inheritance Tax Specialist", "Inheritance tax on UK property")),
    Person("deeds", "Will Zhao", "trust", desk=("Legal Counsel, Trusts", "Trust deeds and trust legal documents")),
    Person("opening", "Joy Ma", "trust", desk=("Trust Services Associate", "Trust account opening paperwork")),
    Person("head", "Michael Cheung", "migrants", desk=("Head of Investor Migrant Banking",
                                                       "Investor visa client relationships")),
    Person("chch", "Angela Ma", "migrants", desk=("Relationship Manager - Investor Visa, Christchurch",
                                                  "Investor visa accounts")),
    Person("mandarin", "Jing Lin", "advice", desk=("Fund Adviser, Mandarin-speaking Clients (Singapore)",)),
    Person("aml", "Jing Lin", "compliance", desk=("AML Analyst, Customer Due Diligence",)),
    Person("analyst", "Grace Huang", "research", desk=("Investment Analyst", "Fund research and portfolio reviews")),
))


@pytest.mark.parametrize("text, who", [
    ("Tommy Lee couldn't help, I want to file a complaint now", "complaints"),
    ("Amy Tsang sent me a CRS form and said to ask the tax reporting person", "crs"),
    ("Will Cheung said inheritance tax isn't his area, who handles it?", "iht"),
    ("Will Zhao sent me the trust deed, now I need to open the trust account", "opening"),
])
def test_who_could_not_help_or_sent_the_guest_on_is_someone_else(text, who):
    assert FUNDS.rank(text)[0].person.aad == who
    assert verdict(FUNDS.rank(text)).kind != CONNECT or verdicts.connects(FUNDS, text) == who


def test_whose_rm_with_words_between_is_someone_else():
    text = "Michael Cheung said his Christchurch investor visa RM would call me"
    assert FUNDS.rank(text)[0].person.aad == "chch"


def test_asking_to_speak_with_a_name_is_no_desk_for_speakers():
    assert verdicts.judged(FUNDS, "Can I speak with Ms Lin Jing") == ("choose", ["aml", "mandarin"])


def test_what_a_research_desk_does_after_its_research_is_its_own():
    assert FUNDS.rank("can someone review my portfolio")[0].person.aad == "analyst"


def test_a_home_policy_is_home_insurance():
    assert "home_insurance" in topics_named(fold("Claims on mortgage protection and home policies"))
