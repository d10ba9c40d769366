"""Wrong connections of the blind sets, by kind (issue 20, routing13), a test per kind: a desk is where the guest is
or in a place the guest names, not in a sibling of it (the Bay Area is not Xiamen); a unit named by its id
(private_banking) names its need, so namesakes in it are asked about (Chan, private banking); an alias that is only a
family name and a title (黄小姐) is no more than they where the guest says what the one wanted does and namesakes do
it; whom the guest names before asking for someone by role or need ("…, but I need the pension person", "…, who does
the bookings?", 我是X的朋友，想问…) is not whom they want; namesakes a guest tells apart ("not Wei Zhang in Beijing,
the Zhang Wei in Guangzhou", 不是北京的张伟，是广州那个) are whom the rest fits (a place decides), else asked about; a
thing sold or bought (a car) is no need to insure it; a guest who says they want nobody ("just browsing") is connected
to nobody; a place alone is no need of a desk that does something there ("HK stocks" for the weather in Hong Kong)."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from tests.core import verdicts

PEOPLE = (
    Person("huang-wei", "Wei Huang", "gba", desk=("GBA Wealth Connect",)),
    Person("ho-kevin", "Kevin Ho", "wealth", desk=("Private banking relationship manager",)),
    Person("lam-ivy", "Ivy Lam", "wealth", desk=("Relationship manager",)),
    Person("xu-jun", "Jun Xu", "mainland", desk=("Mainland clients", "Relationship manager")),
)
INDEX = PeopleIndex(PEOPLE)
judged = functools.partial(verdicts.judged, INDEX)


@pytest.mark.parametrize("text", ["我们是厦门的公司，想找你们的客户经理",
                                  "We're in Xiamen and want a relationship manager"])
def test_a_desk_in_a_sibling_place_is_not_where_the_guest_is(text):
    kind, aads = verdicts.judged(PeopleIndex(PEOPLE[:3]), text)
    assert not (kind == CONNECT and aads == ["huang-wei"]), (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [("I'm in Shenzhen, about wealth connect", "huang-wei"),
                                           ("我在厦门，想找客户经理", "xu-jun")])
def test_a_desk_where_the_guest_is_still_fits(text, aad):
    assert verdicts.connects(INDEX, text) == aad


CHANS = PeopleIndex((Person("chan-henry", "Henry Chan", "private_banking", desk=("Private banker",)),
                     Person("chan-rainbow", "Rainbow Chan", "private_banking", desk=("Fixed income", "Bonds")),
                     Person("chan-alan", "Alan Chan", "premier", desk=("Head of Premier Banking",))))


@pytest.mark.parametrize("text", ["Chan, private banking", "the Chan in private banking"])
def test_namesakes_in_the_unit_named_are_asked_about(text):
    assert verdicts.judged(CHANS, text) == ("choose", ["chan-henry", "chan-rainbow"])


HUANGS = PeopleIndex((
    Person("huang-grace", "Grace Huang", "private_banking", name_zh="黄思慧", aliases=("黄小姐",),
           desk=("Chief Investment Officer",)),
    Person("wong-angel", "Angel Wong", "general_insurance", name_zh="黄凯欣", desk=("Motor insurance",)),
    Person("huang-vivian", "Vivian Huang", "general_insurance", name_zh="黄蔚", desk=("Life insurance",))))


@pytest.mark.parametrize("text", ["黄小姐，做保险的那个", "黃小姐，保險嗰位", "黄小姐，保险部", "黄小姐，Insurance"])
def test_an_alias_of_family_name_and_title_is_no_more_than_they_where_namesakes_do_what_is_asked(text):
    assert verdicts.judged(HUANGS, text) == ("choose", ["huang-vivian", "wong-angel"])


@pytest.mark.parametrize("text", ["黄小姐", "黄小姐在吗", "黄小姐，做投资的那个", "黄小姐您好，想咨询一下保险"])
def test_an_alias_of_family_name_and_title_still_names_its_holder(text):
    assert verdicts.connects(HUANGS, text) == "huang-grace"


OTHERS = PeopleIndex((
    Person("whitfield", "Oliver Whitfield", "london", desk=("Relationship manager", "UK property finance")),
    Person("cheung-emily", "Emily Cheung", "london", desk=("UK pension transfers",)),
    Person("leung-michelle", "Michelle Leung", "wealth", name_zh="梁凯晴", desk=("Head of Private Wealth",)),
    Person("ho-angel", "Angel Ho", "operations", desk=("Reception", "Appointments")),
    Person("zheng-hao", "Hao Zheng", "gba", name_zh="郑浩", aliases=("郑总",), desk=("Head of Greater Bay Area",)),
    Person("khoo", "Siew Hua Khoo", "insurance", desk=("Group medical",)),
    Person("qian", "Mingyuan Qian", "gba", name_zh="钱明远", aliases=("钱总",), desk=("Head of Hangzhou Office",)),
    Person("zhou-yue", "Yue Zhou", "premier", name_zh="周悦", desk=("Family wealth planning",)),
    Person("zhang-wei", "Wei Zhang", "gba", name_zh="张薇", desk=("Wealth Management Connect",))))


@pytest.mark.parametrize(("text", "aad"), [
    ("My friend was helped by Oliver Whitfield, but I need the UK pension person", "cheung-emily"),
    ("I had an appointment with Michelle Leung next week and need to move it, who does the bookings?", "ho-angel"),
    ("我是郑总的朋友，想问团体医疗", "khoo"),
    ("我係鄭總嘅朋友，想問團體醫療", "khoo"),
    ("My sister was looked after by Oliver Whitfield, I want the pension transfer specialist", "cheung-emily"),
    ("我之前约了梁凯晴，想改时间，请问谁负责预约？", "ho-angel"),
    ("I met Michelle Leung at a seminar, who can help me with group medical?", "khoo"),
    ("Michelle Leung was my RM years ago, now I need group medical", "khoo"),
    ("I used to deal with Michelle Leung but need someone for group medical", "khoo"),
    ("梁凯晴帮过我妈妈，我想问团体医疗", "khoo"),
    ("我系郑总朋友，想了解团体医疗", "khoo"),
    ("I am a friend of Hao Zheng and want to ask about group medical", "khoo"),
    ("Hao Zheng is a friend, I need group medical", "khoo"),
    ("我朋友之前找过梁凯晴，我想问团体医疗", "khoo"),
    ("我妈妈的保险是梁凯晴帮忙买的，我想问团体医疗", "khoo"),
    ("我是郑总介绍来的，想问团体医疗", "khoo"),
    ("梁凯晴以前是我的客户经理，现在我想问团体医疗", "khoo"),
    ("我同事说梁凯晴很好，但我想找做团体医疗的", "khoo"),
    ("我老公认识郑浩，我想咨询团体医疗", "khoo"),
    ("郑总不在的话，找谁问团体医疗", "khoo")])
def test_whom_the_guest_names_before_asking_for_a_role_or_need_is_not_whom_they_want(text, aad):
    assert verdicts.connects(OTHERS, text) == aad


def test_whom_x_sent_the_guest_to_is_found_by_place_and_need_not_by_x():
    kind, aads = verdicts.judged(OTHERS, "钱总让我找杭州做家庭财富规划的同事")
    assert "qian" not in aads and "zhou-yue" in aads and (kind != CONNECT or aads == ["zhou-yue"]), (kind, aads)


@pytest.mark.parametrize("text", ["我是郑总的朋友", "我约了梁凯晴下周见面，想改期，找谁？",
                                  "My friend was helped by Oliver Whitfield, but I need the same"])
def test_whom_the_guest_names_as_context_alone_is_asked_about(text):
    kind, aads = verdicts.judged(OTHERS, text)
    assert kind != CONNECT, (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [
    ("I have an appointment with Michelle Leung, please tell her I'm here", "leung-michelle"),
    ("Is Michelle Leung the one who does the bookings?", "leung-michelle"),
    ("Michelle Leung, who handles bookings", "leung-michelle"),
    ("I'm looking for Michelle Leung, who can help me with private wealth?", "leung-michelle"),
    ("I met Michelle Leung last week, who handles private wealth?", "leung-michelle"),
    ("我想找梁凯晴，请问谁负责私人财富？", "leung-michelle"),
    ("我是郑总的客户，想问团体医疗", "zheng-hao"),
    ("郑总在不在", "zheng-hao"),
    ("梁凯晴喺唔喺度", "leung-michelle"),
    ("梁凯晴以前是我的客户经理，她还在吗", "leung-michelle")])
def test_whom_the_guest_wants_by_name_is_still_connected(text, aad):
    assert verdicts.connects(OTHERS, text) == aad


def _zhangs(beijing: tuple[str, ...], guangzhou: tuple[str, ...]) -> PeopleIndex:
    return PeopleIndex((Person("zhang-bj", "Wei Zhang", "gba", name_zh="张伟", desk=beijing),
                        Person("zhang-gz", "Wei Zhang", "gba", name_zh="张伟", desk=guangzhou),
                        Person("zhang-weiming", "Weiming Zhang", "gba", name_zh="张伟明", desk=("Payments",)),
                        Person("li-na", "Na Li", "gba", name_zh="李娜", desk=("Guangzhou office",)),
                        Person("tan-siewlan", "Tan Siew Lan", "lending", name_zh="陈秀兰", desk=("Working capital",)),
                        Person("tan-kokleong", "Tan Kok Leong", "trade", name_zh="陈国良", desk=("Shipping clients",))))


NEGATIONS = ["Not Wei Zhang in Beijing, the Zhang Wei in Guangzhou", "Not the Beijing Wei Zhang, the Guangzhou one",
             "不是北京的张伟，是广州那个", "不是北京嗰個張偉，係廣州嗰個"]


@pytest.mark.parametrize("text", NEGATIONS)
def test_namesakes_told_apart_by_place_the_place_decides(text):
    index = _zhangs(("Head of Beijing office",), ("Guangzhou clients",))
    assert verdicts.connects(index, text) == "zhang-gz"


@pytest.mark.parametrize("text", NEGATIONS)
def test_namesakes_told_apart_by_a_place_nobody_is_said_to_be_in_are_asked_about(text):
    index = _zhangs(("Cross-border account opening",), ("Wealth Management Connect",))
    assert verdicts.judged(index, text) == ("choose", ["zhang-bj", "zhang-gz"])


def test_a_family_name_again_after_excluding_a_given_name_is_not_the_one_excluded():
    index = _zhangs(("Head of Beijing office",), ("Guangzhou clients",))
    assert verdicts.connects(index, "Mr Tan, not Siew Lan") == "tan-kokleong"


CARS = PeopleIndex((Person("motor", "Angel Wong", "general_insurance", desk=("Motor insurance",)),
                    Person("car-loans", "Nancy Kwan", "lending", desk=("Car loans",))))


@pytest.mark.parametrize("text", ["I want to sell my car", "selling our old car", "我想卖车", "想把车卖掉",
                                  "I want to buy a car"])
def test_a_thing_sold_or_bought_is_no_need_to_insure_it(text):
    kind, aads = verdicts.judged(CARS, text)
    assert kind != CONNECT, (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [("I sold my car, how do I cancel the motor insurance", "motor"),
                                           ("I need a loan to buy a car", "car-loans"),
                                           ("想贷款买车", "car-loans")])
def test_insuring_or_borrowing_for_a_thing_still_finds_the_desk(text, aad):
    assert verdicts.connects(CARS, text) == aad


BROWSING = PeopleIndex((Person("cio", "Michael Cheung", "wealth", desk=("Chief Investment Officer",)),
                        Person("ho-angel", "Angel Ho", "operations", desk=("Reception",))))


@pytest.mark.parametrize("text", ["Angel investor here, just browsing your website", "随便看看，我做投资的"])
def test_a_guest_who_says_they_want_nobody_is_connected_to_nobody(text):
    kind, aads = verdicts.judged(BROWSING, text)
    assert kind != CONNECT, (kind, aads)


def test_an_investor_asking_is_still_connected():
    assert verdicts.connects(BROWSING, "I'm an investor, who is your chief investment officer?") == "cio"


@pytest.mark.parametrize("text", ["唔係做保險嗰個黃小姐，另外嗰個", "不是做保险的黄小姐，是另一个"])
def test_namesakes_excluded_by_what_they_do_leave_the_other_namesakes(text):
    assert verdicts.judged(HUANGS, text) == ("choose", ["huang-grace"])


PLACED = PeopleIndex((Person("sunny", "Sunny Wong", "equities", desk=("Equities dealing", "HK stocks")),
                      Person("lo-gary", "Gary Lo", "gba", desk=("Zhuhai office",))))


def test_a_place_alone_is_no_need_of_a_desk_that_does_something_there():
    kind, aads = verdicts.judged(PLACED, "How's the weather in Hong Kong today?")
    assert kind != CONNECT, (kind, aads)


def test_a_place_alone_still_finds_the_desk_of_the_place():
    assert verdicts.connects(PLACED, "I'm in Zhuhai, who can I talk to?") == "lo-gary"
    assert verdicts.connects(PLACED, "珠海") == "lo-gary"


@pytest.mark.parametrize("text", ["How's the weather in Zhuhai today?", "珠海今天天气怎么样"])
def test_a_place_said_in_passing_is_no_request_for_its_office(text):
    """The guest neither says they are there nor asks for anyone: asked, not connected."""
    assert verdicts.judged(PLACED, text)[0] != CONNECT


CHEN_JINGS = PeopleIndex((
    Person("chen-chengdu", "Chen Jing", "gba", name_zh="陈静", desk=("Client onboarding", "Chengdu office")),
    Person("chen-zhuhai", "Chen Jing", "gba", name_zh="陈晶", desk=("Wealth connect", "Zhuhai office")),
    Person("lo-zhuhai", "Gary Lo", "gba", name_zh="卢家辉", desk=("Head of Zhuhai office",))))


@pytest.mark.parametrize("text", ["Not Chen Jing in Chengdu, the one in Zhuhai", "不是成都的陈静，是珠海那个",
                                  "唔係成都嗰個陳靜，係珠海嗰個"])
def test_a_namesake_told_apart_by_the_place_of_a_desk_that_does_more_is_connected(text):
    assert verdicts.connects(CHEN_JINGS, text) == "chen-zhuhai"


def test_a_namesake_alone_doing_what_is_asked_beside_a_titled_alias_is_asked_about_not_connected():
    assert verdicts.judged(HUANGS, "黄小姐，做车险的那个") == ("choose", ["wong-angel"])


ASKED_AFTER = PeopleIndex((
    Person("huang", "Chun-hua Huang", "funds", desk=("Fund administration",)),
    Person("wu", "Ming Wu", "wealth", desk=("Investment counsellor",)),
    Person("tang", "Tony Tang", "insurance", desk=("General insurance", "Motor and home insurance")),
    Person("lo", "Amy Lo", "insurance", desk=("Medical insurance claims",))))


@pytest.mark.parametrize(("text", "aad"), [
    ("My mother was looked after by Chun-hua Huang, I want the investment counsellor", "wu"),
    ("Chun-hua Huang referred me, I want an investment counsellor", "wu"),
    ("I met Tony Tang at a seminar, who can help me with medical insurance claims?", "lo")])
def test_one_named_before_a_need_is_wanted_only_if_they_do_it_as_well_as_any(text, aad):
    assert verdicts.connects(ASKED_AFTER, text) == aad


TRUST = PeopleIndex((
    Person("zm-officer", "Zhang Min", "trustee", name_zh="张敏", desk=("Trust officer", "Mainland trusts")),
    Person("zm-accounts", "Zhang Min", "trustee", name_zh="章敏", desk=("Trust accounting",)),
    Person("lee", "Lee Hui Min", "trustee", desk=("Trust officer", "Singapore trusts")),
))


def test_an_exclusion_by_a_desks_phrase_leaves_a_namesake_on_the_same_topic():
    """"Not the trust officer" is not whoever does trusts: Trust accounting stays."""
    best = verdict(TRUST.rank("I need Zhang Min, no not the trust officer, the accounts one")).candidates[0]
    assert best.person.aad == "zm-accounts"



CAR_LOANS = Person("car-loans", "Yang Liu", "retail", desk=("Car loans", "Consumer loans"))
MOTOR = Person("motor", "Ka Wai Lau", "ins", desk=("Motor insurance",))
SAVINGS = Person("savings", "Joy Wong", "ins", desk=("Education savings plans",))
DEATH_CLAIMS = Person("death-claims", "Cherry Lee", "members", desk=("Claims on death of a scheme member",
                                                                   "Incapacity and terminal illness claims"))


@pytest.mark.parametrize(("text", "desk"), [("Do you sell car insurance?", CAR_LOANS), ("想买车险", CAR_LOANS),
                                            ("Can I get a car loan from you?", MOTOR), ("想申请汽车贷款", MOTOR),
                                            ("hi, I want to claim on my car insurance", DEATH_CLAIMS)])
def test_a_desk_on_another_line_fitting_only_what_both_are_kinds_of_is_asked_about(text, desk):
    kind, aads = verdicts.judged(PeopleIndex((desk, SAVINGS)), text)
    assert kind != CONNECT, (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [("Do you sell car insurance?", "motor"), ("想买车险", "motor"),
                                           ("Can I get a car loan from you?", "car-loans"),
                                           ("想申请汽车贷款", "car-loans"),
                                           ("my husband died, how do I claim his critical illness cover",
                                            "death-claims")])
def test_the_desk_on_the_line_named_is_still_connected(text, aad):
    assert verdicts.connects(PeopleIndex((CAR_LOANS, MOTOR, SAVINGS, DEATH_CLAIMS)), text) == aad


TURNS = PeopleIndex((
    Person("lau", "Winnie Lau", "complaints", "刘慧玲", desk=("Head of Complaints",)),
    Person("kwan", "Oscar Kwan", "complaints", desk=("Disputes over fees and transaction errors",)),
    Person("tsang", "Kenneth Tsang", "orso", "曾建明", aliases=("曾生",), desk=("ORSO scheme administration",)),
    Person("yip", "Peter Yip", "consulting", desk=("Actuarial valuations",), desk_zh=("精算",)),
    Person("zhang-beijing", "Wei Zhang", "executive", "张伟", phone="+86 10 6512 3808",
           desk=("Chief Representative, Beijing Representative Office",)),
    Person("zhang-pm", "Wei Zhang", "asset_management", "章玮", phone="+86 138 1093 4426",
           desk=("Portfolio Manager, China A-shares",)),
))


@pytest.mark.parametrize(("text", "aad"), [
    ("I got a letter signed by Winnie Lau, but I want whoever does fee disputes", "kwan"),
    ("曾生話要搵你哋做精算嗰位", "yip"),
    ("曾生说要找你们做精算的同事", "yip")])
def test_whom_the_guest_names_before_turning_to_whoever_does_something_is_not_whom_they_want(text, aad):
    ranked = TURNS.rank(text)
    assert ranked and ranked[0].person.aad == aad, [(c.person.aad, c.score) for c in ranked]


def test_namesakes_the_exclusion_fits_alike_are_told_apart_by_the_rest():
    text = "not Wei Zhang in the Beijing rep office, the other one, the portfolio manager"
    assert verdicts.connects(TURNS, text) == "zhang-pm"


FUND_HOUSE = PeopleIndex((
    Person("statements", "Fang Wang", "investor_services", desk=("Statements and contract notes",)),
    Person("onshore", "Jing Li", "asset_management", desk=("Fixed Income Portfolio Manager", "China onshore bonds")),
    Person("unit-trusts", "Ben Chan", "investor_services", desk=("Unit trust subscriptions and redemptions",)),
    Person("trusts", "Angel Wong", "trust", desk=("Family trusts",)),
    Person("death", "Cherry Lee", "members", desk=("MPF claims on death of a scheme member", "Incapacity claims")),
    Person("withdrawals", "Rose Lee", "members", desk=("MPF withdrawals on retirement",)),
    Person("transfers", "Sunny Ng", "members", desk=("Transfer of accrued benefits between MPF schemes",)),
    Person("trustee", "Alice Chan", "members", desk=("Head of MPF Trustee Services",)),
))


@pytest.mark.parametrize(("text", "aad"), [("想买债券", "onshore"),
                                           ("想设立家族信托", "trusts")])
def test_a_word_inside_a_phrase_that_means_something_else_is_no_need(text, aad):
    assert verdicts.connects(FUND_HOUSE, text) == aad


@pytest.mark.parametrize("text", ["my father passed away, he had an MPF account with you",
                                  "我工伤之后完全丧失工作能力了，想申请提取强积金"])
def test_a_death_or_an_incapacity_is_the_desk_of_those_claims_first(text):
    ranked = FUND_HOUSE.rank(text)
    assert ranked[0].person.aad == "death", [(c.person.aad, c.score) for c in ranked]


@pytest.mark.parametrize("text", ["我有三个强积金账户，想合并成一个", "轉咗新工，想將舊公司嘅強積金轉過嚟",
                                  "I just changed jobs and need to move my MPF from the old employer"])
def test_a_thing_and_what_is_done_with_it_written_apart_name_the_need(text):
    assert verdicts.connects(FUND_HOUSE, text) == "transfers"


@pytest.mark.parametrize("text", ["想合并两个户口", "我的强积金有问题"])
def test_the_doing_word_or_the_thing_alone_names_no_more_than_its_own(text):
    kind, aads = verdicts.judged(FUND_HOUSE, text)
    assert (kind, aads) != (CONNECT, ["transfers"])


REFERRERS = PeopleIndex((
    Person("ho", "Angel Ho", "claims", desk=("Critical illness claims",)),
    Person("lam", "Ping On Lam", "claims", desk=("Claims appeals",)),
    Person("macdonald", "Ryan MacDonald", "pb", phone="+1 604 555 0143",
           desk=("Estate liquidity", "Premium financing")),
    Person("hui", "Rose Hui", "pb", phone="+852 9123 4567", desk=("Premium financing", "Whole life policies")),
))


@pytest.mark.parametrize(("text", "aad"), [
    ("Angel Ho handled my claim, it was rejected, she told me to contact the appeals person", "lam"),
    ("Ryan MacDonald in Vancouver said Rose in HK could do the premium financing", "hui")])
def test_whom_a_pronoun_or_a_saying_points_back_to_across_clauses_is_not_whom_the_guest_wants(text, aad):
    ranked = REFERRERS.rank(text)
    assert ranked and ranked[0].person.aad == aad, [(c.person.aad, c.score) for c in ranked]


COUNTER = PeopleIndex((
    Person("fx", "Jing Xu", "treasury", desk=("FX deposits", "Currency exchange")),
    Person("car-loans", "Yang Liu", "retail", desk=("Car loans",)),
))


@pytest.mark.parametrize("text", ["what's the exchange rate for HKD to RMB today", "想問下今日港幣兌人民幣幾多",
                                  "你们那边停车方便吗"])
def test_a_rate_asked_of_the_day_or_parking_is_a_question_for_nobody_in_particular(text):
    kind, aads = verdicts.judged(COUNTER, text)
    assert kind != CONNECT, (kind, aads)


@pytest.mark.parametrize(("text", "aad"), [("I need currency exchange for a big payment", "fx"),
                                           ("想换一大笔美元，找谁", "fx"), ("想申请车贷买新车", "car-loans")])
def test_a_need_for_the_desk_itself_still_connects(text, aad):
    assert verdicts.connects(COUNTER, text) == aad


SERVICES = PeopleIndex((
    Person("chow-faith", "Faith Chow", "complaints", desk=("Complaints manager", "Client complaints and disputes")),
    Person("cheung-edmund", "Edmund Cheung", "trust", desk=("Head of Trust Services", "Private trusts")),
    Person("tse-ivy", "Ivy Tse", "servicing", desk=("Policy servicing officer",)),
    Person("ho-cs", "Cindy Ho", "service", desk=("Customer service",)),
))


@pytest.mark.parametrize("text", ["head of complaints", "I want to complain", "我要投诉", "投诉部主管"])
def test_a_complaint_is_for_whom_handles_complaints_not_for_a_head_of_any_service(text):
    """A complaint is a kind of service, as a broader topic: a desk of services (Head of Trust Services) is no
    complaints desk for "head of complaints" (blind18); customer service stays second."""
    ranked = SERVICES.rank(text)
    assert verdict(ranked).kind == CONNECT and ranked[0].person.aad == "chow-faith"


def test_customer_service_is_still_asked_for_by_its_name():
    assert verdicts.connects(SERVICES, "customer service please") == "ho-cs"
