"""Wrong connections of blind44 to blind46 (issue 20, session 18), a test per kind: a desk's own term, an acronym or a
name with a capital inside (FIRB, KiwiSaver), is what a guest who writes it asks for, as a topic is: never passed over
for a desk other words of theirs fit; WeChat, where every guest writes from, is no such term; money moved here from
another bank (从别的银行转到你们这里) is an account transfer; an English word the dictionary writes is no name misspelt
(mailing: no Mei-ling), unless it is a name of the directory; what only the dictionary guessed (礼拜, a week, read as a
church service: a servicing desk) tells desks that fit the need alike no more apart than a tie; a unit's manager (a
centre's, a branch's) heads it, "direct billing" is no director, HR is human resources, and a role is of what its
part of the desk names (a branch manager is no head of the insurance the branch sells); whom the guest asks for as a
head is never one who heads nothing; the countries a firm's clients live in, and their cities, are places (from a
gazetteer: Mumbai is India's, an NRI Indian, Amsterdam the Netherlands'), though no India inside 印度尼西亚 nor
荷兰 read in pinyin in a name misspelt (Helan); a banker is a relationship manager, corporate actions (dividends) no
business banking, and a restaurant the guest would book (订餐厅) no business of theirs; a word made a verb and its noun
are the word (hospital, hospitalisation); a death and a claim, told apart (我爸过世了…申请理赔; "my mum died"), are a
death claim, whatever the policy was; 奥克兰 is Auckland or Oakland, whichever the firm has or the place beside it
tells; money moved abroad (国内的钱转到澳洲) "more within the rules" (比较合规) is a remittance, no compliance
question; whose student or relative the guest is (我是X的学生, "I'm X's nephew") and who referred them ("referred by X
at BOC") are someone else, whose client they are whom they want; an insurer's everyday questions: where a claim has got
to (索偿去到边), premiums waived while one cannot work (不用交保费), the annual statement (年结, not 明年结婚); a
mortgage broker's and a superannuation adviser's: a loan without payslips (low doc), one to build a house, negative
gearing (负扣税), off-the-plan homes, a self-managed super fund (自管养老金), super accounts merged, landlord insurance
(房东保险), skilled visas; a private bank's: a business jet (公务机, a Gulfstream) and a yacht (a boat) financed,
shares pledged for a loan (股票组合做抵押), a company about to list (准备在科创板上市); aged care is long-term care; a
directory's own wording: fraudulent transactions are fraud, lines of credit loans, account inquiries and passbooks an
account's services; blind47 to blind50 (opened at mid-session): a numeral or two before another character is a word
(一直), no digit of the number before it; an account for the guest's company (我哋公司…戶口) is a company account;
who did something for the guest before (X帮我办好了…, "X did my …") is not whom they now ask for; a super fund's words:
super among Chinese (super账户, 取super), several accounts made one, leaving Australia (离开澳洲: DASP); blind51 to
blind54 (opened at the end): a corporate services provider's offshore and shelf companies, changes of directors, good
standing, nominees, deregistration, economic substance, a WFOE; a payment firm's collection accounts (收款账户),
returned payments (款被退回), rate alerts (汇率提醒), frozen accounts and withdrawals (提现); a general insurer's and a
consumer finance company's words, gathered by helpers before any set of either was written."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CHOOSE, CONNECT, Glossary, PeopleIndex, verdict
from core.person_match.forms import desk_terms
from tests.core import verdicts

BROKER = PeopleIndex((
    Person("kiwisaver", "Xiaomei Zhou", "super", desk=("KiwiSaver and Retirement Adviser", "NZ retirement savings")),
    Person("first_home", "Michelle Chan", "loans", desk=("Mortgage Broker", "First home buyers")),
    Person("auckland", "Sunny Liu", "loans", desk=("Mortgage Adviser, New Zealand", "Auckland home loans")),
    Person("firb", "Na Li", "property", desk=("Property Investment Advisor", "Foreign buyer approval (FIRB)")),
    Person("non_resident", "Wei Zhang", "loans", desk=("Mortgage Broker",
                                                       "Home loans for overseas income and non-resident borrowers")),
    Person("seminars", "Summer Li", "marketing", desk=("Marketing Manager", "WeChat official account", "Seminars")),
    Person("transfers", "Iris Wu", "wealth", desk=("Client Portfolio Associate",
                                                   "Account transfers from other institutions")),
))


def test_a_desks_terms_are_its_acronyms_and_names_written_with_a_capital_inside():
    assert desk_terms(("KiwiSaver and Retirement Adviser", "Foreign buyer approval (FIRB)", "SMSF and REITs",
                       "WeChat enquiries", "CEO office", "Hong Kong (HK) clients", "Life Insurance")) \
        == {"kiwisaver", "firb"}  # SMSF, REITs: topics already


@pytest.mark.parametrize("text, who", [
    ("新西兰的KiwiSaver能取出来买房吗", "kiwisaver"),  # not the New Zealand mortgage adviser
    ("can I take my KiwiSaver out for a first home", "kiwisaver"),  # not the first home buyers' broker
    ("我是外国人，买房是不是要申请FIRB？", "firb"),  # not the overseas borrowers' broker
])
def test_a_desks_own_term_the_guest_writes_is_never_passed_over(text, who):
    # the guest is asked, where other words of theirs fit another desk as well
    v = verdict(BROKER.rank(text))
    assert v.kind == CHOOSE and who in {c.person.aad for c in v.candidates}, (text, v)


def test_wechat_is_where_the_guest_writes_from_not_a_need():
    assert verdicts.connects(BROKER, "saw your post on WeChat, I'd like an Auckland home loan") == "auckland"


@pytest.mark.parametrize("text", ["想把在别的银行的钱转到你们这里", "I want to transfer my account from another bank"])
def test_money_moved_here_from_another_bank_is_an_account_transfer(text):
    assert verdicts.connects(BROKER, text) == "transfers"


CLIENTS = PeopleIndex((
    Person("mei-ling", "Crystal Chang", "rm", "张美玲", aliases=("Mei-ling",), desk=("Relationship Manager, Taiwan",)),
    Person("address", "Phoenix Wong", "operations", desk=("Client Services", "Change of address")),
), glossary=Glossary({"邮寄": "to post; to send by mail/mailing", "邮件": "mail; post/email"}))


def test_an_english_word_is_no_name_misspelt():
    assert verdicts.connects(CLIENTS, "I moved house, need to change my mailing address") == "address"


@pytest.mark.parametrize("text", ["Meiling please", "can I talk to Meilin Chang", "Crystal please"])
def test_a_name_misspelt_or_one_that_is_a_word_is_still_read(text):
    assert verdicts.connects(CLIENTS, text) == "mei-ling"


INSURER = PeopleIndex((
    Person("servicing", "Na Li", "service", desk=("Client Services Officer", "Policy servicing for mainland clients")),
    Person("issuance", "Candy Ieong", "service", desk=("New Business Officer", "Policy issuance and delivery")),
    *(Person(f"agent-{i}", f"Agent {name}", "agency", desk=("Insurance agent",))
      for i, name in enumerate(("Ho", "Lam", "Tam", "Yip", "Kwok", "Chow", "Fung", "Tang", "Lau", "Mak"))),
), glossary=Glossary({"礼拜": "week/religious service/to worship", "保单": "insurance policy"}))


def test_what_only_the_dictionary_guessed_tells_no_desks_apart():
    # 礼拜 (a week; a service in church) is no servicing desk's word: the guest is asked
    assert verdict(INSURER.rank("我上个礼拜签咗份保单，几时寄俾我？")).kind != CONNECT


CENTRES = PeopleIndex((
    Person("hk-centre", "Ka Ho Chan", "hk-centre", desk=("Centre Manager, Hong Kong Service Centre",)),
    Person("network", "Rose Yip", "hk-centre", desk=("Medical Network Coordinator, Hong Kong",
                                                     "Direct billing medical cards")),
    Person("zh-centre", "Wei Zhang", "zhuhai-centre", desk=("Centre Manager, Zhuhai Service Centre",)),
    Person("zh-finance", "Fang Wang", "zhuhai-centre", desk=("Finance Officer, Zhuhai", "Invoices and receipts")),
    Person("life-head", "Mei-ling Huang", "life", desk=("Head of Life Insurance", "Chief Agency Officer")),
    Person("branch", "Chia-hao Lee", "branches", desk=("Branch Manager, Kaohsiung",
                                                      "Walk-in clients for securities and insurance")),
    Person("hr", "Jasmine Ng", "head-office", desk=("Human Resources Manager", "Staff recruitment and vacancies")),
))


@pytest.mark.parametrize("text, who", [
    ("香港中心主管", "hk-centre"),  # a centre's manager heads it; "direct billing" is no director
    ("珠海中心的负责人", "zh-centre"),
    ("the head of insurance please", "life-head"),  # a branch's manager is no head of insurance it sells
    ("HR manager", "hr"),
])
def test_a_units_manager_heads_it_and_a_role_is_of_what_its_part_of_the_desk_names(text, who):
    assert verdicts.connects(CENTRES, text) == who


SALES = PeopleIndex((
    Person("japan", "Kenji Tanaka", "sales", desk=("Head of Institutional Sales, Japan", "Japanese pension funds")),
    Person("insurers", "Stephen Leung", "sales", desk=("Institutional Sales Manager", "Insurance companies")),
    Person("bonds", "Jing Li", "funds", desk=("Fixed Income Portfolio Manager",)),
))


def test_whom_the_guest_asks_for_as_a_head_is_never_one_who_heads_nothing():
    # the head of an insurance business the firm does not have: the guest is asked, never put through to a salesman
    assert verdict(SALES.rank("the head of your insurance business")).kind != CONNECT


MARKETS = PeopleIndex((
    Person("indonesia", "Mark Lim", "international", desk=("Relationship Manager, Indonesia clients",)),
    Person("india", "Rajesh Menon", "international", desk=("Relationship Manager, India",
                                                           "Non-resident Indian clients")),
    Person("netherlands", "Ruud de Vries", "international", desk=("Relationship Manager, Netherlands",)),
    Person("singapore", "Penny Tan", "international", desk=("Relationship Manager, Singapore entrepreneurs",)),
    Person("custody", "Lester Yeo", "operations", desk=("Custody and Corporate Actions (dividends)",)),
    Person("kyc", "Xiaoyu Chen", "compliance", desk=("KYC Officer, client onboarding",)),
    Person("helen", "Helen Ho", "compliance", desk=("Compliance Officer",)),
    Person("sme", "Tony Lau", "business", desk=("Business banking for restaurants and shops",)),
))


@pytest.mark.parametrize("text, first", [
    ("I run a business in Jakarta, looking for a banker", "indonesia"),  # corporate actions are no business banking
    ("NRI client here, based in Mumbai, want to open an account", "india"),
    ("we live in Amsterdam, who looks after clients there?", "netherlands"),
])
def test_the_countries_a_firms_clients_live_in_are_places_with_their_cities(text, first):
    ranked = MARKETS.rank(text)  # offered first, or connected
    assert ranked[0].person.aad == first and (verdict(ranked).kind != CONNECT or len(verdict(ranked).candidates) == 1)


def test_no_india_inside_indonesia_nor_the_netherlands_in_a_name_misspelt():
    assert "india" not in verdicts.judged(MARKETS, "我在印度尼西亚做生意，想找个客户经理")[1]
    assert verdicts.connects(MARKETS, "Helan Ho") == "helen"  # not 荷兰 read in pinyin


def test_a_restaurant_the_guest_would_book_is_no_business_of_theirs():
    companies = PeopleIndex((Person("sme", "Tony Lau", "business", desk=("Company accounts for Taiwanese businesses",)),
                             Person("statements", "Amy Ho", "operations", desk=("Statements",))))
    assert verdicts.judged(companies, "可以帮我订餐厅吗") == ("unknown", [])
    assert verdicts.connects(companies, "我开餐厅的，想开个公司户口") == "sme"


CLAIMS = PeopleIndex((
    Person("hospital", "Jing Chen", "claims", desk=("Claims Officer", "Medical and hospitalisation claims")),
    Person("critical", "Ivy Chow", "claims", desk=("Claims Officer", "Critical illness claims")),
    Person("donors", "Sam Ho", "charity", desk=("Organ donation programme",)),
    Person("organisations", "Amy Lo", "sales", desk=("Sales to organisations",)),
), glossary=Glossary({"住院": "to be in hospital/to be hospitalized"}))


@pytest.mark.parametrize("text", ["I was in hospital for 3 days, how do i claim the bill", "住院费用怎么报销"])
def test_a_word_made_a_verb_and_its_noun_are_the_word(text):
    # hospital ~ hospitalisation, in the evidence; not organ ~ organisation (a root of six letters or more)
    best = CLAIMS.rank(text)[0]
    assert best.person.aad == "hospital" and any("hospital" in term for term in best.evidence), best
    assert "organisations" not in verdicts.judged(CLAIMS, "I want to donate an organ")[1]


DEATHS = PeopleIndex((
    Person("death", "Vanessa Lau", "claims", desk=("Claims Officer", "Death claims", "Support for bereaved families")),
    Person("waiver", "Weiming Zhang", "claims", desk=("Claims Officer", "Waiver of premium claims",
                                                      "Income protection claims")),
    Person("life", "Fok Kei Lao", "agency", desk=("Financial Consultant", "Life insurance for families")),
))


@pytest.mark.parametrize("text", ["我爸上个月过世了，他有你们的人寿保单，想问怎么申请理赔",
                                  "my mum died, she had a life policy with you, how do we claim"])
def test_a_death_and_a_claim_told_apart_are_a_death_claim(text):
    assert DEATHS.rank(text)[0].person.aad == "death"


@pytest.mark.parametrize("desk, text, who", [
    ("Auckland home loans", "我们在奥克兰看中一套房子，需要办贷款", "auckland"),
    ("Oakland home loans", "我们在奥克兰看中一套房子，需要办贷款", "oakland"),
])
def test_auckland_and_oakland_share_a_chinese_name_which_is_whichever_the_firm_has(desk, text, who):
    index = PeopleIndex((Person(who, "Sunny Liu", "loans", desk=(desk,)),
                         Person("loans", "Jing Wang", "loans", desk=("Loan Processing Officer", "Loan documents"))))
    assert index.rank(text)[0].person.aad == who


def test_the_place_named_beside_it_tells_auckland_from_oakland():
    index = PeopleIndex((Person("auckland", "Sunny Liu", "loans", desk=("Auckland home loans",)),
                         Person("oakland", "Amy Ho", "loans", desk=("Oakland home loans",))))
    assert verdicts.connects(index, "我住新西兰奥克兰，想办房贷") == "auckland"
    assert verdicts.connects(index, "我住加州奥克兰，想办房贷") == "oakland"


def test_money_moved_abroad_within_the_rules_is_a_remittance_not_a_compliance_question():
    index = PeopleIndex((
        Person("transfers", "Wei Wang", "migration", desk=("Client Liaison Officer, Shanghai",
                                                           "Cross-border fund transfers")),
        Person("compliance", "Grace Leung", "executive", desk=("Head of Compliance and Risk", "Compliance Officer")),
    ))
    assert verdicts.connects(index, "想把国内的钱转到澳洲，怎么操作比较合规") == "transfers"


AGENCY = PeopleIndex((
    Person("training", "Winnie Fung", "agency", desk=("Training Manager", "Agent training")),
    Person("recruitment", "Will Chen", "agency", desk=("Agency Recruitment Manager", "Recruiting new agents")),
    Person("boc", "Alice Choi", "bancassurance", desk=("Relationship Manager, Bank of China partnership",)),
    Person("bank-training", "Fang Wang", "bancassurance", desk=("Training bank staff on insurance products",)),
))


@pytest.mark.parametrize("text, who", [
    ("我是Winnie Fung的学生，想问招聘代理的事", "recruitment"),  # whose student the guest is: someone else
    ("I'm Winnie Fung's nephew, want to ask about recruiting new agents", "recruitment"),
    ("referred by Alice Choi at BOC, want to talk to whoever trains bank staff", "bank-training"),
])
def test_whose_student_or_relative_the_guest_is_and_who_referred_them_are_someone_else(text, who):
    assert AGENCY.rank(text)[0].person.aad == who


def test_whose_client_the_guest_is_is_still_whom_they_want():
    assert verdicts.connects(AGENCY, "我是Winnie Fung的客户") == "training"


POLICIES = PeopleIndex((
    Person("status", "Penny Tam", "claims", desk=("Claims Payment Officer", "Claim status enquiries")),
    Person("medical", "Jing Chen", "claims", desk=("Claims Officer", "Medical and hospitalisation claims")),
    Person("waiver", "Weiming Zhang", "claims", desk=("Claims Officer", "Waiver of premium claims")),
    Person("premiums", "Wei Zhang", "service", desk=("Policy Services Officer", "Premium payments and direct debit")),
    Person("statements", "Joyce Lam", "service", desk=("Policy Services Officer", "Annual policy statements")),
    Person("events", "Summer Li", "marketing", desk=("Wedding and event planning for clients",)),
))


@pytest.mark.parametrize("text, who", [
    ("想查下我份索偿去到边", "status"), ("when will my claim money be paid into my account", "status"),
    ("做完手术好几个月不能上班，听说可以不用交保费？", "waiver"), ("今年嘅保单年结收唔到", "statements"),
])
def test_an_insurers_everyday_questions(text, who):
    assert POLICIES.rank(text)[0].person.aad == who


def test_a_wedding_next_year_is_no_annual_statement():
    assert "statements" not in verdicts.judged(POLICIES, "女儿明年结婚，想办一场婚礼，谁能帮忙策划")[1]


BROKERS = PeopleIndex((
    Person("low-doc", "Tony Yeung", "loans", desk=("Mortgage Broker", "Self-employed and low-doc loans")),
    Person("construction", "Kevin Wong", "loans", desk=("Mortgage Broker", "Refinancing", "Construction loans")),
    Person("gearing", "Will Tse", "property", desk=("Property Adviser", "Rental yield and negative gearing")),
    Person("off-plan", "Na Li", "property", desk=("Property Investment Advisor", "Off-the-plan apartments")),
    Person("smsf", "David Lee", "super", desk=("Head of Self-Managed Super Funds", "SMSF setup and strategy")),
    Person("super", "Penny Yang", "super", desk=("Superannuation Advisor", "Super consolidation and contributions")),
    Person("landlord", "Faith Lam", "insurance", desk=("Insurance Advisor", "Home and contents insurance",
                                                      "Landlord insurance")),
    Person("skilled", "Yan Liu", "migration", desk=("Registered Migration Agent", "Skilled visas")),
    Person("home-loans", "Jason Chen", "loans", desk=("Head of Home Loans", "Senior Mortgage Broker")),
))


@pytest.mark.parametrize("text, who", [
    ("我自己做生意的没有工资单，可以办房贷吗？", "low-doc"),
    ("我们买了块地想自己盖房子，盖房的贷款怎么办", "construction"),
    ("负扣税到底怎么算？我有一套出租房", "gearing"), ("想在墨尔本买楼花，有人懂吗", "off-plan"),
    ("想和老公一起开个自管养老金", "smsf"), ("I have 3 super accounts from old jobs, can someone merge them", "super"),
    ("出租房需要买房东保险吗", "landlord"), ("想問下技術移民嘅事", "skilled"),
])
def test_a_mortgage_brokers_and_a_superannuation_advisers_words(text, who):
    assert BROKERS.rank(text)[0].person.aad == who


PRIVATE_BANK = PeopleIndex((
    Person("lombard", "Winnie Lau", "lending", desk=("Lending Manager, Lombard loans",)),
    Person("aircraft", "Daniel Ong", "lending", desk=("Lending Manager, aircraft finance (business jets)",)),
    Person("yacht", "Marina Soh", "lending", desk=("Lending Manager, yacht finance and marine assets",)),
    Person("ipo", "Hao Wu", "rm", desk=("Relationship Manager, technology founders (IPO and pre-IPO liquidity)",)),
    Person("equities", "Ivy Leung", "advisory", desk=("Investment Advisor, equities",)),
    Person("credit", "Jie Huang", "operations", desk=("Credit Documentation Officer", "Loan and security documents")),
))


@pytest.mark.parametrize("text, who", [
    ("你好，我想用我的股票组合做抵押借点钱，找谁？", "lombard"),
    ("老板想买一架私人飞机，你们有没有融资方案", "aircraft"),
    ("my company is thinking about a Gulfstream, can you finance it?", "aircraft"),
    ("hi! looking at buying a 40m boat, do you lend for that?", "yacht"),
    ("我们公司准备在科创板上市，想提前做一下财富安排", "ipo"),
])
def test_a_private_banks_words(text, who):
    assert PRIVATE_BANK.rank(text)[0].person.aad == who


def test_aged_care_is_long_term_care_and_the_one_excluded_is_not_offered():
    index = PeopleIndex((
        Person("mandy", "Mandy Chan", "aged-care", desk=("Head of Aged Care Advice", "Residential aged care fees")),
        Person("shirley", "Shirley Wang", "aged-care", desk=("Aged Care Adviser", "Home care packages")),
        Person("ivy", "Ivy Tsang", "operations", desk=("Client Services Officer, Melbourne", "Appointments")),
    ))
    assert verdicts.connects(index, "Not Mandy, the other aged care person") == "shirley"


@pytest.mark.parametrize("desk, text", [("Fraudulent transactions", "I think there is fraud on my account"),
                                        ("Business lines of credit", "need a loan for my business"),
                                        ("Passbook updates", "想问下户口服务")])
def test_a_directorys_own_wording_of_a_need(desk, text):
    index = PeopleIndex((Person("desk", "Amy Ho", "ops", desk=(desk,)),
                         Person("other", "Ben Lo", "ops", desk=("Reception",))))
    assert verdicts.connects(index, text) == "desk"


COMPANIES = PeopleIndex((
    Person("feng", "Feng Gao", "private-wealth", desk=("Head of Hangzhou Office",), phone="+86 137 7717 1804"),
    Person("hotline", "Yu Song", "operations", desk=("Client Service Officer, Mandarin hotline",),
           phone="+86 139 5770 5424"),
    Person("company-accounts", "Lucy Poon", "corporate", desk=("Corporate Banking Liaison",
                                                               "Company bank account opening")),
    Person("onboarding", "Candy Lau", "operations", desk=("Client Onboarding Manager, Hong Kong", "Account opening")),
))


@pytest.mark.parametrize("text", ["打13777171804一直没人接，帮我转一下", "一三七 七七一七 一八零四"])
def test_a_numeral_before_another_character_is_a_word_not_a_digit_of_the_number(text):
    assert verdicts.connects(COMPANIES, text) == "feng"  # 一直: always, no 1 run into the number


@pytest.mark.parametrize("text", ["我哋公司想開香港銀行戶口，有冇人可以幫手？",
                                  "our company can't get a bank account opened in HK, can you help"])
def test_an_account_for_the_guests_company_is_a_company_account(text):
    assert COMPANIES.rank(text)[0].person.aad == "company-accounts"


def test_who_did_something_for_the_guest_before_is_not_whom_they_now_ask_for():
    index = PeopleIndex((
        Person("liu", "Yang Liu", "immigration", "刘洋", desk=("Immigration Consultant", "Dependant visas")),
        Person("relocation", "Sky Leung", "immigration", "梁天佑", desk=("Relocation Services Manager",
                                                                          "Schools and housing")),
    ))
    for text in ("刘洋帮我办好了受养人签证，现在要找学校和房子",
                 "Yang Liu did my dependant visa, now I need schools and housing"):
        assert verdict(index.rank(text)).candidates[0].person.aad != "liu", text


SUPER_FUND = PeopleIndex((
    Person("rollovers", "Kelvin Chan", "accounts", desk=("Team Leader, Rollovers and Consolidation",
                                                         "Consolidating multiple super accounts")),
    Person("dasp", "Winnie Hui", "claims", desk=("DASP Claims Officer", "Departing Australia superannuation payments")),
    Person("hk", "Alan Chan", "hong-kong", desk=("Relationship Manager, Hong Kong", "Members returning to Hong Kong")),
    Person("pensions", "Li Huang", "retirement", desk=("Pension Specialist", "Account-based pensions")),
))


@pytest.mark.parametrize("text, who", [("你好，我想把几个super账户合并成一个，找谁办？", "rollovers"),
                                       ("我要离开澳洲了，super能取出来吗", "dasp")])
def test_a_super_funds_words(text, who):
    assert SUPER_FUND.rank(text)[0].person.aad == who


CORPORATE_SERVICES = PeopleIndex((
    Person("offshore", "Joy Cheung", "formation", desk=("Company Formation Officer", "BVI incorporations",
                                                        "Shelf companies")),
    Person("changes", "Wilson Ng", "cosec", desk=("Corporate Services Officer",
                                                  "Changes of directors, shareholders and company name")),
    Person("standing", "Shanice Penn", "formation", desk=("Corporate Administrator",
                                                          "Certificates of good standing and of incumbency")),
    Person("nominee", "Rose Li", "cosec", desk=("Nominee Services Officer", "Nominee director arrangements")),
    Person("deregistration", "Jason Yeung", "cosec", desk=("Company Secretarial Officer",
                                                           "Company deregistration and striking off")),
    Person("substance", "Mark Lee", "compliance", desk=("Economic Substance Manager",)),
    Person("wfoe", "Wei Zhang", "formation", desk=("Manager, Cross-border Incorporation", "WFOE set-up")),
    Person("cosec", "Mandy Ho", "cosec", desk=("Company Secretary", "Annual returns and board minutes")),
))


@pytest.mark.parametrize("text, who", [
    ("我想办塞舌尔公司", "offshore"), ("有冇现成嘅空壳公司卖？", "offshore"), ("想改公司名同换董事", "changes"),
    ("我的BVI公司要拿一份存续证明给银行", "standing"), ("可以提供代名董事服务吗？", "nominee"),
    ("香港公司不做了，想撤销注册，怎么办", "deregistration"), ("BVI公司经济实质申报怎么做", "substance"),
    ("想在内地搞个外资独资企业", "wfoe"),
])
def test_a_corporate_services_providers_words(text, who):
    assert CORPORATE_SERVICES.rank(text)[0].person.aad == who


PAYMENTS = PeopleIndex((
    Person("collection", "Chenxi Chen", "collections", desk=("Product Specialist, Collection Accounts",
                                                             "USD, EUR and GBP receiving accounts")),
    Person("returned", "Jun Huang", "risk", desk=("Risk Analyst", "Returned and rejected payments")),
    Person("alerts", "Edward Harris", "fx", desk=("Senior FX Dealer", "Rate alerts")),
    Person("frozen", "Tao Wu", "risk", desk=("Account Review Specialist", "Frozen accounts")),
    Person("withdrawals", "Rose Chen", "collections", desk=("Customer Success Manager",
                                                            "Account balances and withdrawals")),
    Person("spot", "Kelvin Ng", "fx", desk=("FX Dealer", "Spot FX")),
))


@pytest.mark.parametrize("text, who", [
    ("你好，我想开一个美元收款账户，收美国客户的货款", "collection"),
    ("付给供应商的款被退回来了，不知道什么原因", "returned"),
    ("我想设置汇率提醒，英镑到某个价位通知我", "alerts"), ("我们的账户被冻结了，钱提不出来，急！", "frozen"),
    ("提现到国内银行卡要多久啊", "withdrawals"),
])
def test_a_payment_firms_words(text, who):
    assert PAYMENTS.rank(text)[0].person.aad == who


FIRM_TYPES = PeopleIndex((
    Person("motor", "Kelvin Wong", "motor", desk=("Motor Insurance Officer",)),
    Person("golf", "Summer Ho", "personal-lines", desk=("Underwriter", "Golf insurance")),
    Person("revolving", "Amy Lee", "lending", desk=("Loan Officer", "Revolving loans")),
    Person("personal", "Dora Ng", "lending", desk=("Loan Officer", "Personal loans")),
    Person("consolidation", "Ben Lo", "lending", desk=("Loan Officer", "Debt consolidation")),
    Person("service", "Cindy Ho", "service", desk=("Customer Service Officer",)),
))


@pytest.mark.parametrize("text, who", [("昨日俾人追尾，点算？", "motor"), ("打波一杆进洞，有冇保险？", "golf"),
                                       ("私人透支点申请？", "revolving"), ("卡债太多，想债务整合", "consolidation")])
def test_a_firm_types_words_gathered_before_any_set_of_it(text, who):
    assert verdicts.connects(FIRM_TYPES, text) == who
