"""Wrong connections of blind33 to blind35 (issue 20, session 17), a test per kind: a firm's branches in one city's
districts or towns (Richmond and Burnaby are both Vancouver's) are told apart by where the guest is; a place's name
that is as often a person's (Markham, Richmond) is the place where the firm's desks have an office there, in the
guest's words too, and no name misspelt (Markham is not Mark Lam); what a research desk studies ("Research Analyst, Hong
Kong Banks and Insurers") fits a guest who asks for research on it, not one who buys it; a newcomer (new immigrant,
刚移民) is new to the country, and a company just registered (公司刚注册) a business; a given name that is an
everyday word is the name where it is written as one ("talk to Will"), not after an article ("a will please"); what
is tax-deductible or tax-free is no tax matter; a brokerage's money in and out (出金, 入金, withdrawals) and its
commission are needs of their own; whom the guest's people dealt with (我老公之前跟王芳做…) and someone's
colleague (林慧的香港同事) are someone else; a company handed to the next generation (交俾下一代) is family business
succession; a guest just arrived in a city (刚到洛杉矶) is there, and a desk "opening accounts" opens them;
settling for good (永居, ILR), a BN(O) visa and a guardian (监护人) are needs of their own, narrower than a visa or
schooling; the Bay Area is San Francisco's or the Greater Bay Area by the places named with it; a place's name holds
no familiar name (阿联酋 is no 阿联); a refi, a HELOC and an SBA loan are America's words for refinancing, home equity
lending and a business loan; a name of the directory in brackets is the name written another way (Zhang Wei (Will)),
and "mou yan ah?" (冇人呀) asks whether anyone is there; an adviser who has left (已经离职) is not the one wanted; an
insurer's "Life and Critical Illness" is life insurance; renminbi changed into pounds is an exchange, a landlord's
letting is no tenant's renting, CGT is a tax, and the Algarve is Portugal's; a contract note (成交单据) is a statement,
no contract, 追加保证金 a margin call and 弹性福利 employee benefits; a will (遗嘱), a family council (家族委员会),
mediation (调解) and consolidated reports are finer than estate planning, governance and the family office, and the
"will" of "Will I be able to" is no will; repairs to a let flat, off-plan homes (期房), summer camps (夏令营) and
translation (翻译) are needs of their own."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CHOOSE, CONNECT, PeopleIndex
from tests.core import verdicts

CANADA = PeopleIndex((
    Person("richmond", "Daisy Fung", "branch", desk=("Member Service Representative, Richmond", "Account opening")),
    Person("burnaby", "Kelly Ho", "branch", desk=("Member Service Representative, Burnaby", "Account opening")),
    Person("scarborough", "Jing Li", "branch", desk=("Member Service Representative, Scarborough", "Account opening")),
    Person("markham", "Wei Zhang", "mortgages", desk=("Mortgage Specialist, Markham",)),
    Person("hill", "Ann Lo", "mortgages", desk=("Mortgage Specialist, Richmond Hill",)),
    Person("mark", "Mark Lam", "compliance", desk=("Chief Compliance Officer",)),
))


@pytest.mark.parametrize("text, who", [
    ("我哋一家啱啱移民到列治文，想開戶口", "richmond"),  # Richmond (BC), not Burnaby, though both are Vancouver's
    ("I live in Burnaby, want to open an account", "burnaby"),
    ("公司刚注册，想开户，在士嘉堡", "scarborough"),
])
def test_a_branch_in_a_citys_district_is_for_the_guest_there(text, who):
    assert verdicts.connects(CANADA, text) == who


def test_a_guest_in_the_city_is_asked_which_of_its_branches():
    assert verdicts.judged(CANADA, "I live in Vancouver, want to open an account") == (CHOOSE, ["burnaby", "richmond"])


@pytest.mark.parametrize("text", ["hi, moving to Markham next month and need a mortgage", "想在万锦买房，要做按揭"])
def test_a_place_named_as_a_person_may_be_is_the_place_where_the_firm_is(text):
    # Markham is no Mark Lam misspelt; Richmond Hill is Toronto's, not Richmond (Vancouver)
    assert verdicts.connects(CANADA, text) == "markham"


def test_the_same_word_without_the_firm_there_stays_a_name():
    index = PeopleIndex((Person("mark", "Mark Lam", "compliance", desk=("Chief Compliance Officer",)),
                         Person("ho", "Kelly Ho", "loans", desk=("Mortgage Specialist",))))
    assert verdicts.connects(index, "Markham please") == "mark"  # misspelt, as before: no office in Markham


RESEARCH = PeopleIndex((
    Person("insurers", "Bill Ho", "research", desk=("Research Analyst, Hong Kong Banks and Insurers",)),
    Person("funds", "Yang Zhang", "sales", desk=("Institutional Sales", "Research access for hedge funds")),
    Person("dealer", "Frank Ng", "futures", desk=("Futures Dealer",)),
))


@pytest.mark.parametrize("text", ["I want to buy life insurance", "想买份保险", "the head of insurance please"])
def test_what_a_research_desk_studies_is_not_what_it_sells(text):
    assert verdicts.judged(RESEARCH, text)[0] != CONNECT  # no insurance desk here: the guest is asked


def test_what_a_research_desk_studies_fits_a_guest_asking_for_research_on_it():
    assert verdicts.connects(RESEARCH, "any research on insurers?") == "insurers"
    assert verdicts.connects(RESEARCH, "we are a hedge fund, can we get research access") == "funds"  # whom it is for


NEWCOMERS = PeopleIndex((
    Person("newcomer", "Hope Kwok", "branch", desk=("Newcomer Banking Advisor, Scarborough", "New to Canada accounts")),
    Person("branch", "Jing Li", "branch", desk=("Member Service Representative, Scarborough", "Everyday chequing")),
    Person("business", "Patrick Yip", "business", desk=("Business Account Manager, Scarborough",
                                                        "Small business accounts")),
))


@pytest.mark.parametrize("text, who", [
    ("new immigrant in Scarborough, want to open an account", "newcomer"),  # a newcomer is new to the country
    ("我们一家刚移民到士嘉堡，想开户", "newcomer"),
    ("公司刚注册，想开户，在士嘉堡", "business"),  # a company just registered: a business account
    ("just incorporated my company in Scarborough, need an account", "business"),
])
def test_who_the_guest_is_says_which_account(text, who):
    assert verdicts.connects(NEWCOMERS, text) == who


WILL = PeopleIndex((
    Person("will", "Will Chow", "governance", desk=("Family Dispute Mediation",)),
    Person("wills", "Vivian Zhang", "estate", desk=("Estate Planning Associate", "Wills")),
))


@pytest.mark.parametrize("text, who", [
    ("I want to talk to Will", "will"),  # a given name that is an everyday word, written as a name
    ("Is Will around?", "will"),
    ("I'd like to write a will please", "wills"),  # a will: a thing, though "please" follows it
    ("I will need a will for my mother", "wills"),
])
def test_an_everyday_word_given_as_a_name_is_the_name_where_it_is_written_so(text, who):
    assert verdicts.connects(WILL, text) == who


def test_what_is_tax_deductible_is_no_tax_matter():
    index = PeopleIndex((
        Person("tvc", "Tony Kwan", "mpf", desk=("MPF Consultant", "Tax-deductible voluntary contributions")),
        Person("cards", "Amy Ho", "retail", desk=("Credit cards",))))
    assert verdicts.judged(index, "need help filing my salaries tax return")[0] != CONNECT  # nobody does tax returns
    assert verdicts.connects(index, "tax deductible voluntary contributions please") == "tvc"


BROKERAGE = PeopleIndex((
    Person("funding", "Kelvin Chan", "client-services",
           desk=("Client Service Officer", "Deposits, withdrawals and fund transfers")),
    Person("fees", "Cherry Lai", "client-services", desk=("Client Service Officer", "Trading fees and commission")),
    Person("mpf", "Tony Kwan", "mpf", desk=("MPF withdrawals",)),
))


@pytest.mark.parametrize("text, who", [
    ("想出金到银行卡，怎么弄", "funding"),  # money out of a brokerage account
    ("withdrew money 3 days ago, still not in my bank", "funding"),
    ("手續費點計？佣金可唔可以平啲", "fees"),
    ("can I withdraw my MPF early", "mpf"),  # an MPF withdrawal is no account's
])
def test_a_brokerages_money_in_and_out_and_its_fees(text, who):
    assert verdicts.connects(BROKERAGE, text) == who


PLANNERS = PeopleIndex((
    Person("wang", "Fang Wang", "wealth", "王芳", desk=("Financial Planner", "Retirement planning")),
    Person("chen", "Jingyi Chen", "wealth", "陈静怡", desk=("Financial Planner", "Retirement planning",
                                                             "RRIF conversions")),
    Person("lin", "Hui Lin", "philanthropy", "林慧", desk=("Philanthropy Advisor (Shanghai)",)),
    Person("lam", "Ken Lam", "philanthropy", "林健", desk=("Philanthropy Advisor, Hong Kong", "Scholarships")),
))


def test_whom_the_guests_people_dealt_with_is_someone_else():
    assert verdicts.connects(PLANNERS, "我老公之前跟王芳做退休规划，现在我想办RRIF") == "chen"


def test_a_colleague_of_someone_named_is_not_them():
    assert verdicts.judged(PLANNERS, "林慧的香港同事，负责奖学金的") == (CHOOSE, ["lam"])  # in Hong Kong, not 林慧


def test_handing_the_company_to_the_next_generation_is_family_business_succession():
    index = PeopleIndex((
        Person("succession", "Hua Zheng", "governance", desk=("Family Business Succession Consultant",)),
        Person("retire", "Amy Lo", "wealth", desk=("Retirement planning",)),
    ))
    assert index.rank("老豆想退休，間公司點樣交俾下一代？")[0].person.aad == "succession"  # asked beside retiring


def test_a_guest_just_arrived_in_a_city_is_there():
    index = PeopleIndex((
        Person("la", "Amy He", "arrivals", desk=("New Arrival Banking (Los Angeles)", "Opening accounts")),
        Person("coo", "Grace Lin", "office", desk=("Chief Operating Officer", "Client onboarding")),
    ))
    assert verdicts.connects(index, "刚到洛杉矶，想开个银行账户") == "la"  # 刚到: there now, not going there


RESIDENCY = PeopleIndex((
    Person("bno", "Hope Cheung", "residency", desk=("Head of Residency", "BN(O) visa applications",
                                                   "Indefinite leave to remain (ILR)")),
    Person("visit", "Jing Chen", "residency", desk=("Residency Adviser, Beijing", "UK visitor visas")),
    Person("guardian", "Naxin Li", "education", desk=("Guardianship Coordinator", "Guardians for boarding pupils")),
    Person("schools", "Rose Lee", "education", desk=("Head of Education", "UK boarding school placement")),
))


@pytest.mark.parametrize("text, who", [
    ("我想办BNO签证，全家一起去英国", "bno"),
    ("我在英国住满五年了，想申请永居", "bno"),  # settling for good: indefinite leave to remain, not a visitor's visa
    ("孩子在英国读寄宿，学校要求找一个监护人", "guardian"),
])
def test_which_visa_and_which_schooling_need(text, who):
    assert offered(RESIDENCY, text, who)


def offered(index: PeopleIndex, text: str, who: str) -> bool:
    """`who` is connected or offered: never passed over for another."""
    kind, chosen = verdicts.judged(index, text)
    return who in chosen and (kind != CONNECT or chosen == [who])


BAY_AREA = PeopleIndex((
    Person("sf", "Kevin Zhou", "lending", desk=("Mortgage Advisor (San Francisco Bay Area)", "Jumbo loans",
                                                 "Bay Area homes")),
    Person("ny", "Penny Liang", "lending", desk=("Mortgage Advisor (New York)", "Jumbo loans")),
    Person("gba", "Amy Ho", "wealth", desk=("Relationship Manager, Greater Bay Area",)),
))


@pytest.mark.parametrize("text, who", [
    ("还没决定在纽约还是湾区买房，想先了解jumbo贷款", ["ny", "sf"]),  # New York's country's Bay Area: both asked
    ("haven't decided between NYC and the Bay Area yet, want to understand jumbo loans first", ["ny", "sf"]),
])
def test_the_bay_area_is_told_apart_by_the_places_named_with_it(text, who):
    assert verdicts.judged(BAY_AREA, text) == (CHOOSE, who)


def test_a_desk_in_the_san_francisco_bay_area_is_no_greater_bay_area_desk():
    assert [c.person.aad for c in BAY_AREA.rank("I'm in Shenzhen, want wealth advice in the Bay Area")] == ["gba"]


def test_a_places_name_holds_no_familiar_name():
    index = PeopleIndex((Person("lee", "Chi Luen Lee", "retail", "李志联", desk=("Personal Banking Officer",)),
                         Person("uae", "Omar Ho", "private", desk=("Relationship Manager, Dubai",))))
    assert "lee" not in [c.person.aad for c in index.rank("我在阿联酋，想开个户")]  # 阿联酋 is the UAE, no 阿联


US_LENDING = PeopleIndex((
    Person("refi", "Summer Tsai", "lending", desk=("Refinance Advisor", "Refinancing and cash-out")),
    Person("heloc", "Samuel Wu", "lending", desk=("Home Equity Loan Officer", "Home equity lines of credit (HELOC)")),
    Person("sba", "Ray Ho", "business", desk=("Business Lending Officer", "SBA 7(a) loans")),
    Person("buy", "Annie Chow", "lending", desk=("Mortgage Advisor", "Home purchase")),
))


@pytest.mark.parametrize("text, who", [
    ("rates came down, want to refi my house", "refi"),
    ("利率降了，想把房子重新贷款", "refi"),
    ("need a HELOC, house is paid off mostly", "heloc"),
    ("我想問下點樣申請房屋淨值信貸", "heloc"),
    ("restaurant in Manhattan, looking at an SBA loan for a second location", "sba"),
])
def test_americas_lending_words(text, who):
    assert US_LENDING.rank(text)[0].person.aad == who


def test_a_name_in_brackets_is_the_name_written_another_way_and_anyone_there_is_nobody():
    index = PeopleIndex((
        Person("will", "Will Zhang", "benefits", aliases=("Zhang Wei",), desk=("Account Manager, Group Benefits",)),
        Person("wei", "Wei Zhang", "life", desk=("Senior Advisor, Life Insurance", "Estate and legacy planning")),
        Person("yan", "Yan Ma", "claims", desk=("Group Claims Liaison",)),
    ))
    assert verdicts.connects(index, "Zhang Wei (Will)") == "will"  # (Will): a name, not a will to write
    assert verdicts.judged(index, "hello, mou yan ah?")[0] != CONNECT  # 冇人呀: anyone there?
    yau_yan = PeopleIndex((Person("yy", "Yau Yan Chan", "retail", desk=("Teller",)),))
    assert verdicts.connects(yau_yan, "Yau Yan Chan please") == "yy"  # the directory's name, no greeting


@pytest.mark.parametrize("text", ["My agent Hope Wang left, who now handles claims status for Suzhou?",
                                  "王希望已经离职了，苏州的理赔进度现在找谁？"])
def test_an_adviser_who_has_gone_is_not_the_one_wanted(text):
    index = PeopleIndex((
        Person("hope", "Hope Wang", "life", "王希望", desk=("Advisor, Life Insurance (Nanjing branch)",)),
        Person("claims", "Tao Zhu", "claims", desk=("Claims Officer (Suzhou branch)", "Claim status")),
    ))
    assert verdicts.connects(index, text) == "claims"


def test_an_insurers_life_and_critical_illness_unit_is_life_insurance():
    index = PeopleIndex((
        Person("life", "Ping'an Li", "life-ci", desk=("Head of Life and Critical Illness",)),
        Person("service", "Patrick Cheung", "servicing", desk=("Head of Hong Kong Policy Servicing",)),
    ))
    assert verdicts.connects(index, "head of life insurance") == "life"


UK_PROPERTY = PeopleIndex((
    Person("fx", "Helen Li", "wealth", desk=("Relationship Manager, Beijing", "Currency exchange and transfers")),
    Person("rmb", "Ping Li", "finance", desk=("Accounts Assistant", "RMB payments to the firm")),
    Person("lets", "Tom Baker", "property", desk=("Lettings Manager", "Finding tenants and collecting rent")),
    Person("rent", "Eric Yau", "property", desk=("Lettings Negotiator, London", "Renting a flat in London")),
    Person("cgt", "Will Harper", "tax", desk=("Tax Manager", "Capital gains tax on property sales")),
    Person("pt", "Joy Ma", "property", desk=("Property Consultant, Portugal", "Holiday homes")),
    Person("uk", "Ivy Wong", "property", desk=("Property Consultant, London", "Holiday homes")),
))


@pytest.mark.parametrize("text, who", [
    ("想把人民币换成英镑转到英国", "fx"),  # renminbi changed into pounds: an exchange, no RMB service
    ("I own 2 flats in Manchester and want someone to find tenants and collect the rent", "lets"),  # a landlord
    ("what's the CGT if I sell my London flat?", "cgt"),
    ("想在葡萄牙南部阿尔加维买个度假屋", "pt"),  # the Algarve is Portugal's
])
def test_a_uk_and_portugal_property_firms_needs(text, who):
    assert offered(UK_PROPERTY, text, who)


BROKER_OPS = PeopleIndex((
    Person("notes", "Quan Zhou", "services", desk=("Client Service Supervisor", "Statements and contract notes")),
    Person("margin", "Bonnie Ho", "credit", desk=("Margin Credit Officer", "Margin calls")),
    Person("legal", "Ada Lam", "legal", desk=("Legal Counsel", "Contract review")),
    Person("benefits", "Amy Sun", "benefits", desk=("Group Benefits Manager", "Flexible benefits")),
))


@pytest.mark.parametrize("text, who", [
    ("我想拿回我的成交单据", "notes"),  # a trade's contract note, no contract to review
    ("我收到追加保证金通知了，要补多少钱？", "margin"),
    ("我们是做互联网的初创公司，想搞弹性福利", "benefits"),
])
def test_a_brokerages_and_an_insurers_own_words(text, who):
    assert verdicts.connects(BROKER_OPS, text) == who


FAMILY_OFFICE = PeopleIndex((
    Person("wills", "Vivian Zhang", "estate", desk=("Estate Planning Associate (Hangzhou)", "Wills")),
    Person("estate", "Jing Chen", "estate", desk=("Head of Estate Planning", "Estate plans and inheritance")),
    Person("council", "Angel Mok", "governance", desk=("Head of Family Governance", "Family constitutions",
                                                       "Family councils")),
    Person("heirs", "Hope Tse", "governance", desk=("Next Generation Programme Manager",)),
    Person("mediation", "Will Chow", "governance", desk=("Family Dispute Mediation",)),
    Person("reports", "Jade Yuen", "office", desk=("Family Office Reporting Analyst", "Consolidated wealth reports")),
    Person("us", "Amy Ho", "brokerage", desk=("Dealer, US stocks",)),
))


@pytest.mark.parametrize("text, who", [
    ("我想立一份遗嘱，找谁办？", "wills"),
    ("想成立家族委員會，訂下家規，搵邊個？", "council"),
    ("我跟我弟弟因为家里公司的股份闹翻了，想找人调解", "mediation"),
    ("Will I be able to buy US stocks from Taipei?", "us"),  # "will": no wills
])
def test_a_family_offices_finer_needs_and_the_word_will(text, who):
    assert offered(FAMILY_OFFICE, text, who) and FAMILY_OFFICE.rank(text)[0].person.aad == who


PROPERTY_SERVICES = PeopleIndex((
    Person("repairs", "Mandy Ho", "property", desk=("Property Manager", "Maintenance and repairs for let properties")),
    Person("renting", "Eric Yau", "property", desk=("Lettings Negotiator, London", "Renting a flat in London")),
    Person("offplan", "Peter Chan", "property", desk=("Head of UK Property", "New-build and off-plan purchases")),
    Person("camps", "Bill Carter", "education", desk=("Education Consultant", "Summer schools and camps")),
    Person("translate", "Jing Chen", "residency", desk=("Residency Adviser", "Document translation")),
))


@pytest.mark.parametrize("text, who", [
    ("我在英国的出租房热水器坏了，租客天天催，谁能安排维修", "repairs"),  # a landlord's repair, no tenant's renting
    ("想买伦敦的期房，新楼盘那种", "offplan"),
    ("孩子暑假想参加英国的夏令营", "camps"),
    ("出生证明要翻译公证，谁负责", "translate"),
])
def test_a_property_and_education_advisorys_finer_needs(text, who):
    assert offered(PROPERTY_SERVICES, text, who)
