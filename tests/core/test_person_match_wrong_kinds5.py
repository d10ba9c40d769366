"""Wrong connections of blind55 to blind60 (issue 20, session 19), a test per kind: a desk's code (a visa's D7, a
loan's 504, a fund scheme's 13O) is a term of that desk, as an acronym is; "Social Security" is no securities, nor a
card's security, nor a debt owed (债务) a bond; a checking account (支票账户) is an account, no cheque, a business
checking account a company account, and the cheques
an American bank writes of (cashier's checks, check orders) cheques; a currency changed into renminbi is an exchange,
no RMB service; whom the guest names as someone's (X's branch manager, the CEO's office, 劉生個助手), whose client
they were (我係X嘅客，佢放假; 我係X嘅舊客，今次…), who told them where to go (X話搵…) or did something for them
("X translated my documents, now I need …") is someone else; a head asked for is of what the guest names, not of what
is broader (the head of claims is no chief medical officer); a family name written alone is no full name run together
(Leong is no Leo Ng); a card issuer's, an insurer's and a bank's everyday words: someone pretending to be the firm
(冒充你们公司), a reminder to repay (提我还款), a purchase the guest never made (没买过的), a PIN mailer (密码信), a
car that broke down (拖车), a motorcycle, a van, a windscreen, lost luggage, how a claim pays (点赔), data deleted,
a card's balance moved over, a rider added or the sum insured raised (加保额), a partnership (倾合作), "I'm not a
resident"; a short form of an English name (Steve of Stephen, Ray of Raymond) or a familiar one (Ah Meng of Kah Meng)
no alias gives is most likely them, and asked; a familiar one the directory gives in Chinese (阿强) is theirs
romanised (Ah Keung); a name the directory writes (Mike) is no other one's short form (Michael's); whom someone else
names is their whole name (not "tor chen" of Victor Chen); Hong Kong's districts (观塘, 沙田) and Singapore's (乌节)
are places, in Latin letters where the firm's desks name them, and a branch's or a centre's manager (分行经理,
中心的主管) heads it; a need excluded (唔係想退保, 不是卖保险那个) leaves whom the rest asks for, though they do the
excluded need too; Philadelphia (Philly, 费城), Houston and Washington DC are American cities of the gazetteer; an
immigration and education consultancy's desks: language tests (雅思), doctorates (读博), personal statements, start-up
visas, provincial nominations, family sponsorship, relocation, settling in (接机; no trade settled), police
certificates. From blind61 to blind66 (opened at mid-session): whose analyst, counterpart or officer; a possessive
after an s alone (Hughes'); a dash ends what is excluded; X叫我直接找; a government's policy is no insurance, a bull
contract no bullion, wealth structuring no structured product, real estate no estate (a desk of its own); 搵人 in
romanised Cantonese (wan yan) is someone, no name; a securities broker's words (开个港股账户: an account opened to
trade them; 注销账户, 纸质股票, 转数快入钱, 提款, 去香港上市) and a form's code (W-8BEN); a private bank's (Oxbridge,
a family's relocation, a painting, a link in a text message, transactions not recognised); a charitable foundation
(慈善基金) is no fund, a will (遗嘱) no trust; a Canadian bank's (newcomers' accounts, a student account, a study
permit, a card stolen, wealth transfer planning: no payment)."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from core.person_match.forms import codes_in, desk_terms
from core.person_match.reading import fold, topics_named
from tests.core import verdicts

CODES = PeopleIndex((
    Person("d7", "Yang Liu", "immigration", desk=("Consultant, Portugal D7 passive income visa",
                                                  "Retiring to Portugal")),
    Person("golden", "Hao Chen", "immigration", desk=("Senior Consultant, Portugal Golden Visa",
                                                      "Portugal investment fund route")),
    Person("sba", "Tony Wong", "business", desk=("SBA Lending Officer", "SBA 7(a) and 504 loans")),
    Person("cre", "Kevin Chen", "business", desk=("Commercial Real Estate Lender",
                                                  "Investment property, mixed-use and construction loans")),
))


def test_a_desks_codes_are_its_terms():
    assert desk_terms(("SBA 7(a) and 504 loans", "Portugal D7 visa", "Section 13O/13U funds", "EB-5")) \
        >= {"504", "d7", "13o", "13u", "eb5"}
    # not a year, nor a phone number's groups, nor an e-mail address's digits
    assert codes_in(fold("call 9123 4567 or +852 9123 4567 after 3pm in 2024, ho2@example.com")) == frozenset()


@pytest.mark.parametrize("text, who", [
    ("想問下葡萄牙D7簽證點申請", "d7"),  # not the golden visa consultant, though both are Portugal's visas
    ("我们想买个厂房自用，听说有504贷款", "sba"),  # not the commercial property lender
])
def test_a_code_the_guest_writes_is_never_passed_over(text, who):
    # put through to that desk, or asked between it and the desk their other words fit
    v = verdict(CODES.rank(text))
    assert who in {c.person.aad for c in v.candidates} and (v.kind != CONNECT or v.candidates[0].person.aad == who), v


def test_social_security_is_no_securities():
    assert "equities" not in topics_named(fold("Home loans for borrowers without a Social Security number"))


@pytest.mark.parametrize("text", ["Card Security Officer; Lost and stolen cards", "Digital Security Analyst",
                                  "我欠咗好多卡數，聽講可以申請債務舒緩", "卡债太多了"])
def test_a_cards_security_or_a_debt_owed_is_no_security_traded(text):
    assert not topics_named(fold(text)) & {"equities", "bonds"}


BANK = PeopleIndex((
    Person("personal", "Ping'an Lin", "retail", desk=("Personal Banker, Flushing",
                                                      "Personal checking and savings accounts, debit cards")),
    Person("teller", "Ming Wang", "retail", desk=("Teller Supervisor, Flushing",
                                                  "Cash, coin, money orders and cashier's checks")),
    Person("deposits", "Daniel Deng", "operations", desk=("Deposit Operations",
                                                          "Check orders, stop payments, returned checks")),
    Person("business", "Michelle Li", "business", desk=("Business Relationship Manager, Boston",
                                                        "Business checking, merchant services")),
    Person("boston", "Amy Wong", "retail", desk=("Personal Banker, Boston Chinatown",
                                                 "Personal checking and savings accounts")),
    Person("fx", "Wendy Lam", "wealth", desk=("Foreign Exchange Specialist", "Currency conversion, FX orders")),
    Person("rmb", "Joy Wu", "payments", desk=("Remittance Officer", "Telegraphic transfers to China",
                                              "Cross-border RMB payments")),
))


def test_the_cheques_an_american_bank_writes_of_are_cheques():
    assert "cheques" in topics_named(fold("money orders and cashier's checks"))
    assert "corporate_account" in topics_named(fold("Business checking, merchant services"))


@pytest.mark.parametrize("text, who", [
    ("你好，我想在法拉盛开个支票账户", "personal"),  # an account, no cheque: not the deposit operations desk
    ("我在波士顿有个小公司，想开公司账户", "business"),  # a company's: not the personal banker there
])
def test_a_checking_account_is_an_account_and_a_business_one_a_companys(text, who):
    assert verdict(BANK.rank(text)).kind != CONNECT or verdicts.connects(BANK, text) == who
    assert BANK.rank(text)[0].person.aad == who


@pytest.mark.parametrize("text", ["想把新币换成人民币，汇率多少", "need to convert SGD to RMB, best rate?"])
def test_a_currency_changed_into_renminbi_is_an_exchange(text):
    # never put through to the RMB remittance desk
    v = verdict(BANK.rank(text))
    assert "fx" in {c.person.aad for c in v.candidates} and (v.kind != CONNECT or v.candidates[0].person.aad == "fx")


PEOPLE = PeopleIndex((
    Person("lily", "Lily Chan", "branches", desk=("Customer Service Officer, Causeway Bay branch",)),
    Person("fiona", "Fiona Tang", "branches", desk=("Branch Manager, Causeway Bay",)),
    Person("ceo", "Raymond Chan", "executive", desk=("Chief Executive Officer",)),
    Person("angel", "Angel Cheung", "executive", desk=("Executive Assistant to the Chief Executive Officer",)),
    Person("lau", "Frank Lau", "commercial", name_zh="刘志明", aliases=("劉生",),
           desk=("Commercial Lines Manager", "Head of commercial insurance")),
    Person("lily_k", "Lily Kwok", "commercial", desk=("Underwriting Assistant, Commercial Lines",
                                                      "Assistant to the Commercial Lines Manager")),
    Person("joy", "Joy Lee", "loans", desk=("Relationship Manager, Personal Loans",)),
    Person("early", "Rose Chow", "loans", desk=("Loan Officer", "Early loan repayment")),
    Person("amy", "Amy Wong", "education", desk=("Education Consultant, Hong Kong school places",)),
    Person("moving", "Sophie Tse", "relocation", desk=("Relocation Coordinator", "International moving and shipping")),
    Person("kit", "Kit Wong", "bancassurance", desk=("Head of Bancassurance", "Hong Kong partner banks")),
    Person("gba", "Huang Wen", "bancassurance", desk=("Bancassurance Partner Manager, Greater Bay Area banks",)),
    Person("translation", "Xiaoyu Sun", "community", desk=("Translation and Interpretation Services",
                                                           "Document translation")),
    Person("notary", "Mei Ling Lam", "community", desk=("Notary Public", "Notarization, apostille guidance")),
))


@pytest.mark.parametrize("text, not_who", [
    ("Lily Chan's branch manager", "lily"),
    ("Angel from the CEO's office", "ceo"),
    ("劉生個助手喺度嗎", "lau"),
    ("我係Joy Lee嘅客，佢放假，想搵同事跟進提早還款", "joy"),
    ("我係Amy Wong嘅舊客，今次想搵人幫我搬屋去英國", "amy"),
    ("Kit Wong話搵你哋深圳嗰邊負責大灣區銀行嘅同事", "kit"),
    ("Sun Xiaoyu translated my documents, now I need them notarized", "translation"),
])
def test_whom_the_guest_names_as_someone_elses_is_not_whom_they_want(text, not_who):
    v = verdict(PEOPLE.rank(text))
    assert not (v.kind == CONNECT and v.candidates[0].person.aad == not_who), (text, v)


CLAIMS = PeopleIndex((
    Person("cmo", "Alan Ho", "health", desk=("Chief Medical Officer", "Medical opinions for claims and underwriting")),
    Person("death", "Alice Lau", "claims", desk=("Claims Manager, Death Claims", "Bereavement support")),
    Person("ci", "Dennis Chow", "claims", desk=("Claims Manager, Critical Illness and Disability Claims",)),
))


def test_a_head_asked_for_is_of_what_the_guest_names_not_of_what_is_broader():
    # the chief medical officer heads medicine, which is insurance as claims are: no head of claims
    v = verdict(CLAIMS.rank("head of claims"))
    assert not (v.kind == CONNECT and v.candidates[0].person.aad == "cmo"), v


NAMES = PeopleIndex((
    Person("leo", "Leo Ng", "claims", desk=("Marine Cargo Surveyor",)),
    Person("ricardo", "Ricardo Leong", "macau", desk=("General Manager, Macau Office",)),
))


def test_a_family_name_written_alone_is_no_full_name_run_together():
    assert verdicts.connects(NAMES, "Rikardo Leong") == "ricardo"  # Leong is no Leo Ng
    assert verdicts.connects(NAMES, "Leo Ng") == "leo"


@pytest.mark.parametrize("text, topic", [
    ("有人冒充你们公司打电话给我要验证码", "fraud"),
    ("someone called me pretending to be from Pearl Credit asking for my OTP", "fraud"),
    ("沙田嗰邊有人打嚟提我還款", "collections"),
    ("月结单上有一笔我没买过的东西，想要退款", "card_dispute"),
    ("密碼信一直未收到，可唔可以補寄？", "card_pin"),
    ("can I move my HSBC card balance over to you?", "debt_consolidation"),
    ("I want to add a hospital cash rider to my plan", "policy_service"),
    ("想把保额调高一点", "policy_service"),
    ("我系银行嘅客户经理，想倾下合作卖保险", "partnerships"),
    ("Partnerships Manager; Bank and online partner sales", "partnerships"),  # a desk's words
    ("need a mortgage for a UK property, I'm not a resident", "non_resident"),
    # a general insurer's: a car that broke down, a motorcycle, a van, a windscreen, lost luggage, how it pays
    ("架車壞咗喺屯門公路，要拖車！！", "roadside_assistance"),
    ("想問下電單車保險點買", "motorcycle"),
    ("我有架貨van想買保險", "commercial_vehicle"),
    ("我擋風玻璃裂咗，保險賠唔賠㗎？", "motor_insurance"),
    ("我行李喺機場唔見咗，點樣申請賠償", "travel"),
    ("我嘅電單車撞咗，想知點賠", "claims"),
    ("我要求删除你们保存的我的个人资料", "privacy"),
    ("Service Manager; Cards, account maintenance and change of particulars", "details_change"),  # a desk's words
    ("Customer Service Officer; Address and contact detail changes", "details_change"),
    ("I lost my job and can't pay this month, can we work something out", "hardship"),
    ("I want to split a big purchase into monthly payments", "card_instalment"),
    ("there's a charge I don't recognise on my statement", "card_dispute"),
    ("I want to become an insurance agent", "agent_recruitment"),
    ("I'm moving to the UK next year, how will I be taxed as a non-dom", "tax_planning"),
    # an immigration and education consultancy's: a language test, a doctorate, a personal statement, a start-up
    # visa, a provincial nomination, a spouse sponsored, an airport pick-up, a police certificate, a study permit
    ("想報個雅思補習班", "language_tests"),
    ("想申请读博，有人可以指导吗", "postgraduate"),
    ("個人陳述想搵人幫手改下", "personal_statement"),
    ("我在国内开了个科技公司，想去加拿大创业移民", "startup_visa"),
    ("想申请加拿大省提名，安省那种", "provincial_nominee"),
    ("我想擔保我老婆移民加拿大", "family_sponsorship"),
    ("落機可唔可以安排接機？去多倫多", "settling_in"),
    ("需要办无犯罪记录公证", "police_certificate"),
    ("我拿到加拿大学校的offer了，要办学签", "visas"),
    ("Settling-in Consultant, London; Renting a home", "settling_in"),  # a desk's words: no securities settlement
])
def test_a_card_issuers_an_insurers_and_a_banks_everyday_words(text, topic):
    assert topic in topics_named(fold(text))


@pytest.mark.parametrize("text", ["I lost my job and can't pay this month", "we're hiring our first employees, need "
                                  "employees' compensation"])
def test_a_job_lost_or_a_first_employee_hired_is_no_career_with_the_firm(text):
    assert "careers" not in topics_named(fold(text))


def test_a_newcomer_settling_in_is_no_trade_settled():
    assert "settlement" not in topics_named(fold("Settling-in Consultant, London; Renting a home"))


CALLED = PeopleIndex((
    Person("stephen", "Stephen Ng", "lines", desk=("Personal Lines Manager",)),
    Person("raymond", "Raymond Chan", "executive", desk=("Chief Executive Officer",)),
    Person("mike", "Mike Lau", "claims", desk=("Claims Officer",)),
    Person("michael", "Michael Ho", "claims", desk=("Claims Manager",)),
    Person("kelvin", "Kelvin Chan", "investments", name_zh="陈国强", aliases=("Chan Kwok Keung", "阿强"),
           desk=("Fixed Income Specialist",)),
    Person("tony", "Tony Leong", "insurance", name_zh="梁家明", aliases=("Leong Kah Meng",),
           desk=("Insurance Specialist",)),
    Person("victor", "Victor Chen", "private", name_zh="陈伟东", desk=("Head of Private Banking",)),
    Person("trust", "Summer Lau", "private", desk=("Trust Officer", "Trust administration")),
))


@pytest.mark.parametrize("text, who", [("Steve please", "stephen"), ("Ray在嗎", "raymond"),
                                       ("Is Ah Meng there", "tony")])
def test_a_short_form_or_a_familiar_name_no_alias_gives_is_most_likely_them_and_asked(text, who):
    v = verdict(CALLED.rank(text))
    assert v.kind != CONNECT and v.candidates[0].person.aad == who, v


def test_a_familiar_name_the_directory_gives_in_chinese_is_theirs_romanised():
    assert verdicts.connects(CALLED, "Ah Keung") == "kelvin"  # 阿强


def test_a_name_the_directory_writes_is_not_another_ones_short_form():
    assert verdicts.connects(CALLED, "Mike pls") == "mike"  # Michael Ho is no Mike


def test_whom_someone_else_names_is_their_whole_name():
    # "tor chen" is no name: the whole of Victor Chen told the guest whom to ask (no Vic left behind)
    v = verdict(CALLED.rank("Victor Chen叫我找你们做信托的同事"))
    assert "victor" not in {c.person.aad for c in v.candidates} and v.candidates[0].person.aad == "trust", v


BRANCHES = PeopleIndex((
    Person("kt", "Alan Kwok", "service", desk=("Branch Manager, Kwun Tong",)),
    Person("st", "Iris Mak", "service", desk=("Branch Manager, Sha Tin",)),
    Person("mk", "Tim Chow", "service", desk=("Branch Manager, Mong Kok",)),
    Person("cso_st", "Candy Wu", "service", desk=("Customer Service Officer, Sha Tin branch",)),
    Person("orchard", "Grace Chan", "priority", desk=("Centre Manager, Orchard Priority Banking Centre",)),
    Person("mortgage", "Kevin Lee", "lending", desk=("Mortgage Specialist", "Home loans")),
))


@pytest.mark.parametrize("text, who", [
    ("觀塘分行嘅經理", "kt"),  # a district in Chinese, a branch's manager in Chinese: who heads that branch
    ("我明天去沙田分行，想搵分行經理", "st"),
    ("the branch manager in Mong Kok please", "mk"),  # in Latin letters: where the firm's desks name it
    ("乌节中心的主管", "orchard"),
])
def test_a_branch_in_a_district_and_its_manager_are_who_heads_it(text, who):
    assert verdicts.connects(BRANCHES, text) == who


def test_a_district_where_a_flat_is_bought_is_no_branch():
    # a mortgage for a flat in Tuen Mun, where the firm has no branch: the mortgage desk, no branch's manager
    assert verdicts.connects(BRANCHES, "I want a mortgage for a flat in Tuen Mun") == "mortgage"


POLICIES = PeopleIndex((
    Person("loans", "Rose Cheung", "policy-services", desk=("Policy Services Manager", "Policy loans",
                                                            "Partial withdrawals and surrenders")),
    Person("surrender", "Kelvin Ng", "policy-services", desk=("Policy Services Officer", "Policy surrenders")),
    Person("sales", "Wei Zhang", "sales", name_zh="张伟",
           desk=("Customer Manager", "Life and savings insurance sales")),
    Person("service", "Wei Zhang", "policy-services", name_zh="章玮", desk=("Policy Services Officer",
                                                                          "Policy changes and premium payments")),
    Person("remit", "Nina Li", "payments", desk=("Remittance Specialist", "Remittances to China")),
    Person("fx", "Jun Xu", "payments", desk=("Foreign Exchange Services", "Currency exchange")),
))


@pytest.mark.parametrize("text, who", [
    ("唔係想退保，只係想借保單貸款", "loans"),  # the policy loans desk does surrenders too: still whom the guest wants
    ("张伟，不是卖保险那个，是做保单服务的那个", "service"),  # at an insurer everyone "sells insurance" broadly
    ("不要汇款的，我要找换外币的那个", "fx"),
])
def test_a_need_excluded_leaves_whom_the_rest_asks_for(text, who):
    assert POLICIES.rank(text)[0].person.aad == who


US_BRANCHES = PeopleIndex((
    Person("philly", "Mark Zhou", "retail", desk=("Branch Manager, Philadelphia Chinatown",)),
    Person("boston", "Bill Leung", "retail", desk=("Branch Manager, Boston Chinatown",)),
    Person("philly_pb", "Na Li", "retail", desk=("Personal Banker, Philadelphia Chinatown",
                                                 "Personal checking and savings accounts")),
    Person("boston_pb", "Amy Wong", "retail", desk=("Personal Banker, Boston Chinatown",
                                                    "Personal checking and savings accounts")),
))


@pytest.mark.parametrize("text, who", [("费城分行的经理在吗", "philly"),
                                       ("hi, want to open a checking account at your Philly branch", "philly_pb")])
def test_philadelphia_is_a_place_philly_and_费城_too(text, who):
    assert US_BRANCHES.rank(text)[0].person.aad == who


# blind61 to blind66 (opened at mid-session 19)
THEIRS = PeopleIndex((
    Person("kelvin", "Kelvin Chen", "wealth", desk=("Head of Wealth Planning",)),
    Person("eric", "Eric Mak", "wealth", desk=("Analyst, Wealth Planning", "Fund research and portfolio reports")),
    Person("charlotte", "Charlotte Hughes", "property", desk=("Head of Property and Lending",)),
    Person("lettings", "Li Sun", "property", desk=("Lettings and Property Management Liaison",)),
    Person("leong", "Michelle Leong", "fx", desk=("Foreign Exchange Counter Supervisor",)),
    Person("wu", "Michelle Wu", "insurance", desk=("Insurance Specialist", "Life insurance and savings insurance")),
    Person("ceo", "Raymond Chan", "executive", desk=("Chief Executive Officer",)),
    Person("ea", "Will Ho", "executive", name_zh="何伟", desk=("Executive Assistant to the Chief Executive Officer",)),
    Person("faith", "Faith Leung", "wealth", name_zh="梁欣", aliases=("Leung Yan",), desk=("Relationship Manager",)),
))


@pytest.mark.parametrize("text, who", [
    ("Kelvin Chen's analyst", "eric"),  # whose analyst: someone of theirs
    ("Charlotte Hughes' colleague who handles lettings", "lettings"),  # a possessive after an s alone
    ("not Michelle Leong - the Michelle who does insurance", "wu"),  # a dash ends what is excluded
    ("何伟叫我直接找你们的行政总裁", "ceo"),  # X叫我直接找…: whom X said to ask
])
def test_whose_someone_and_whom_another_sends_the_guest_to(text, who):
    assert THEIRS.rank(text)[0].person.aad == who


@pytest.mark.parametrize("text, topic", [
    ("Chief China Strategist, A-share strategy; Macro and policy", "insurance"),  # a government's policy
    ("Dealer, Warrants and callable bull/bear contracts (CBBCs)", "gold"),  # a bull is no bullion
    ("Structuring Manager, Real Estate; Property holding structures", "derivatives"),  # no structured product
    ("Structuring Manager, Real Estate; Property holding structures", "trust"),  # real estate is no estate
])
def test_a_word_of_another_sense_names_no_topic(text, topic):
    assert topic not in topics_named(fold(text))


def test_real_estate_is_a_desk_of_its_own():
    assert "real_estate" in topics_named(fold("Structuring Manager, Real Estate; Property holding structures"))


def test_a_guest_who_asks_for_someone_in_romanised_cantonese_names_nobody():
    # 搵人 (wan yan): to find someone, not Leung Yan
    assert not [c for c in THEIRS.rank("nei hou, ngo seung wan yan") if c.how != "desk"]


@pytest.mark.parametrize("text, topic", [
    ("你好，我是内地客户，想在你们这里开个港股账户，要准备什么材料？", "account"),  # an account to trade HK stocks
    ("公司想開個證券戶口", "account"),
    ("我不想用了，想把账户注销掉", "account_closure"),
    ("家里翻出来几张纸质股票，想存进账户里", "securities_transfer"),
    ("請問點樣用轉數快入錢去證券戶口？", "account_funding"),
    ("我想攞返啲錢出嚟，點樣提款？", "account_funding"),
    ("我们是一家深圳的科技公司，想明年去香港上市", "ipo"),
])
def test_a_securities_brokers_everyday_words(text, topic):
    assert topic in topics_named(fold(text))


def test_a_forms_code_is_a_term():
    assert "w8ben" in codes_in(fold("美股账户说要填W-8BEN表，找谁？"))


@pytest.mark.parametrize("text, topic", [
    ("女儿想申请牛津剑桥，有没有顾问可以指导", "study_abroad"),
    ("我们全家准备搬去伦敦，谁能帮忙安排搬迁", "relocation"),
    ("Student Visas and Family Relocation", "relocation"),  # a desk's words
    ("我想买一幅画，想要专业意见", "art"),
    ("收到一个短信说我账户被冻结，要我点链接，是真的吗", "fraud"),
    ("我個戶口有幾筆唔認識嘅交易，係咪俾人盜咗", "fraud"),
])
def test_a_private_banks_everyday_words(text, topic):
    assert topic in topics_named(fold(text))


@pytest.mark.parametrize("text, topic", [("想捐一笔钱给母校，成立慈善基金", "funds"), ("想在英国立一份遗嘱", "trust")])
def test_a_charitable_foundation_is_no_fund_and_a_will_no_trust(text, topic):
    assert topic not in topics_named(fold(text))


@pytest.mark.parametrize("text, topic", [
    ("Newcomer Banking Specialist, Vancouver; New to Canada accounts", "account"),  # a desk's words
    ("我是留学生，想开个学生账户", "student"),
    ("International Student Banking Advisor; Student GIC program for study permits", "visas"),
    ("張卡俾人偷咗，點算好", "card_loss"),
    ("我资产比较多，想做财富传承规划", "estate_planning"),
    ("Private Wealth Manager; High net worth clients; Wealth transfer planning", "estate_planning"),
])
def test_a_canadian_banks_everyday_words(text, topic):
    assert topic in topics_named(fold(text))


def test_a_familys_wealth_transfer_is_no_payment():
    assert "payments" not in topics_named(fold("Private Wealth Manager; Wealth transfer planning"))
