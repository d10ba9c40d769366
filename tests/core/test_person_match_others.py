"""Other people in a message, roles and namesakes (issue 20, routing8), a test per kind: whom a pronoun
points back to ("…, she said I should see …", 她说让我找…, 佢叫我搵…); "X said to …", "X said Y would …";
a referrer described at length ("my friend X from your Y office told me …"); whose client a friend is (X嘅客);
the need stated beside a referrer's name kept; a desk excluded leaves out only the desk it describes; a place
alone never connects; roles: a head of a place by its Chinese title (行长), the firm's boss (你们老板) and the
CTO are who hold them, not the CEO's assistant by the "CEO office" of her desk; among heads equally fit, the head of
the unit named and with no place the guest did not name first; an alias that is an everyday word (小雨) names
them only where it is written as a name; a Chinese exclusion ends at a space before the turn (不找X 找Y); among
desks equally fit, whom a referrer's unit has first ("X's colleague", X说让我找…的同事); among namesakes, whom the
title fits (Mr Chan, 陈小姐, 張生) and whose name as written more of it is (Ms Tan 陈小姐) first, never connected."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, Glossary, PeopleIndex, verdict
from core.person_match.namesakes import MAN, WOMAN, sex_of
from tests.core import verdicts

PEOPLE = (
    Person("fong-irene", "Irene Fong", "wealth", name_zh="方慧琳", desk=("Relationship manager",)),
    Person("yeung-derek", "Derek Yeung", "insurance", name_zh="杨德华", desk=("Life insurance",)),
    Person("tam-olivia", "Olivia Tam", "insurance", name_zh="谭雅文", desk=("Travel insurance", "Travel cover")),
    Person("kwan-victor", "Victor Kwan", "operations", name_zh="关伟文", desk=("Dormant accounts",)),
    Person("kwan-nancy", "Nancy Kwan", "lending", name_zh="关丽娜", desk=("Car loans",)),
    Person("shum-felix", "Felix Shum", "lending", name_zh="沈家乐", desk=("Head of Lending",)),
    Person("chow-ming", "Ming Chow", "lending", name_zh="周明", desk=("Corporate lending",)),
    Person("chow-ming2", "Ming Chow", "wealth", name_zh="邹明", desk=("Pension planning",)),
    Person("lo-gary", "Gary Lo", "gba", name_zh="卢家辉", desk=("Head of Zhuhai office",)),
    Person("pang-cindy", "Cindy Pang", "gba", name_zh="彭思敏", desk=("Zhuhai clients", "Relationship manager")),
    Person("hui-ada", "Ada Hui", "executive", name_zh="许嘉仪", desk=("Chief Executive Officer",)),
    Person("so-bella", "Bella So", "executive", desk=("Executive assistant to the CEO", "CEO office")),
    Person("ip-kelvin", "Kelvin Ip", "executive", desk=("Chief Technology Officer",)),
    Person("lai-zoe", "Zoe Lai", "lending", desk=("Head of Zhuhai lending",)),
    Person("mok-ivan", "Ivan Mok", "asset_management", desk=("Chief Investment Officer",)),
    Person("chu-helen", "Helen Chu", "asset_management", desk=("Head of Asset Management",)),
    Person("ho-chingyu", "Ching Yu Ho", "insurance", name_zh="何静雨", aliases=("小雨",), desk=("Claims",)),
    Person("yip-sandy", "Sandy Yip", "wealth", name_zh="叶小芬", desk=("Claims",)),
    Person("fong-kit", "Kit Fong", "insurance", name_zh="方国杰", aliases=("方总",), desk=("Head of Insurance",)),
    Person("ng-kwokwai", "Kwok Wai Ng", "operations", name_zh="吴国伟", desk=("Statements",)),
    Person("lui-henry", "Henry Lui", "tax", name_zh="吕亨利", desk=("Tax advisor",)),
)
INDEX = PeopleIndex(PEOPLE, sub_names={"asset_management": "Asset Management 资产管理部"})

judged = functools.partial(verdicts.judged, INDEX)
connects = functools.partial(verdicts.connects, INDEX)


@pytest.mark.parametrize("text", ["I bank with Irene Fong, she said I should ask your travel insurance person",
                                  "My uncle knows Irene Fong and she told me someone does travel cover",
                                  "我的客户经理是方慧琳，她说让我找做旅游保险的同事",
                                  "我阿妈识方慧琳，佢叫我搵你哋做旅游保险嘅同事"])
def test_whom_a_pronoun_points_back_to_is_context_not_whom_the_guest_wants(text):
    assert connects(text) == "tam-olivia"


@pytest.mark.parametrize("text", ["my neighbour knows Irene Fong, she said someone would help",
                                  "我老公识方慧琳，她说有人会帮我"])
def test_a_person_named_only_as_context_without_a_need_is_asked_about_never_connected(text):
    assert judged(text) == ("choose", ["fong-irene"])


@pytest.mark.parametrize("text", ["Irene Fong said Olivia would help me with travel cover",
                                  "Irene said to talk to the travel insurance person",
                                  "Irene Fong said that your travel insurance colleague can help"])
def test_whom_someone_said_to_see_is_wanted_not_them(text):
    kind, aads = judged(text)
    assert "fong-irene" not in aads and INDEX.rank(text)[0].person.aad == "tam-olivia"


@pytest.mark.parametrize("text", ["My cousin Irene Fong from your wealth team told me to contact whoever does travel "
                                  "insurance", "我朋友係方慧琳嘅客，佢話要搵做旅遊保險嘅同事",
                                  "a friend of mine is a client of Irene Fong, she says travel insurance is Olivia's"])
def test_a_referrer_described_at_length_is_not_connected(text):
    kind, aads = judged(text)
    assert "fong-irene" not in aads and INDEX.rank(text)[0].person.aad == "tam-olivia"


@pytest.mark.parametrize("text", ["I'm a client of Victor Kwan, Nancy can sort out my car loan, he said",
                                  "Victor Kwan told me that the car loans lady is the one"])
def test_the_need_beside_a_referrers_name_is_kept_and_a_namesake_is_not_wanted(text):
    assert connects(text) == "kwan-nancy"


def test_a_desk_excluded_leaves_out_only_the_desk_it_describes():
    assert connects("Ming Chow please, but not the corporate lending one") == "chow-ming2"


@pytest.mark.parametrize("text", ["请问你们珠海办公室地址在哪", "where is your Zhuhai office?"])
def test_a_place_alone_never_connects(text):
    assert judged(text)[0] != CONNECT


@pytest.mark.parametrize("text", ["珠海分行行长", "珠海辦事處嘅話事人"])
def test_a_head_of_a_place_by_a_chinese_title_is_who_heads_it(text):
    assert INDEX.rank(text)[0].person.aad == "lo-gary"


@pytest.mark.parametrize("text", ["I want to speak to your CEO", "找你们老板", "你哋老細係邊個，我要搵最高負責人"])
def test_the_firms_boss_is_its_ceo_not_the_ceos_assistant(text):
    assert connects(text) == "hui-ada"


@pytest.mark.parametrize("text", ["CTO", "首席技术官"])
def test_a_chief_technology_officer_is_a_title_held(text):
    assert connects(text) == "ip-kelvin"


@pytest.mark.parametrize(("text", "first"), [("贷款部主管", "shum-felix"), ("head of lending", "shum-felix"),
                                            ("资产管理部的主管", "chu-helen")])
def test_among_heads_equally_fit_the_head_of_the_unit_named_comes_first(text, first):
    kind, aads = judged(text)
    assert INDEX.rank(text)[0].person.aad == first and kind != CONNECT or aads == [first]


@pytest.mark.parametrize("text", ["外面下紧小雨，你哋几点关门", "明天有小雨吗"])
def test_an_alias_that_is_an_everyday_word_out_of_a_names_context_never_connects(text):
    assert judged(text)[0] != CONNECT


@pytest.mark.parametrize("text", ["找小雨", "小雨在吗"])
def test_an_alias_that_is_an_everyday_word_in_a_names_context_names_them(text):
    assert connects(text) == "ho-chingyu"


@pytest.mark.parametrize("text", ["不找方总 找方慧琳", "唔揾方总 揾方慧琳"])
def test_a_chinese_exclusion_ends_at_a_space_before_the_turn(text):
    assert connects(text) == "fong-irene"


@pytest.mark.parametrize(("text", "first"), [("方慧琳说让我找做理赔的同事", "yip-sandy"),
                                            ("Irene Fong's colleague who does claims", "yip-sandy"),
                                            ("方慧琳话佢同事识做理赔", "yip-sandy")])
def test_among_desks_equally_fit_the_referrers_unit_comes_first_and_is_asked_about(text, first):
    kind, aads = judged(text)
    assert INDEX.rank(text)[0].person.aad == first and kind != CONNECT


NAMESAKES = PeopleIndex((
    Person("chan-kelvin", "Kelvin Chan", "wealth", desk=("Deposits",)),
    Person("chan-joy", "Joy Chan", "wealth", name_zh="陈欣", aliases=("Joy姐",), desk=("Deposits",)),
    Person("chan-wai", "Wai Chan", "insurance", name_zh="陈伟", desk=("Claims",)),
    Person("chan-ling", "Ling Chan", "insurance", name_zh="陈美玲", desk=("Claims",)),
    Person("tan-mei", "Mei Tan", "lending", name_zh="陈美", desk=("Car loans",)),
))


@pytest.mark.parametrize(("text", "first"), [("Mr Chan please", "chan-kelvin"), ("Ms Chan please", "chan-joy"),
                                            ("陈先生在吗", "chan-wai"), ("我想搵陳生", "chan-wai"),
                                            ("陈小姐在吗", "chan-joy"), ("chan je please", "chan-joy"),
                                            ("Ms Tan 陈小姐 please", "tan-mei")])
def test_among_namesakes_whom_the_title_fits_comes_first_and_is_asked_about(text, first):
    v = verdict(NAMESAKES.rank(text))
    assert v.kind != CONNECT and NAMESAKES.rank(text)[0].person.aad == first


def test_an_alias_with_a_title_or_the_given_names_characters_tell_a_man_from_a_woman():
    assert [sex_of(p.person) for p in NAMESAKES.entries] == [MAN, WOMAN, MAN, WOMAN, WOMAN]


ASSISTED = PeopleIndex((
    Person("ng-paul", "Paul Ng", "wealth", desk=("Senior relationship manager",)),
    Person("ng-rita", "Rita Ng", "wealth", desk=("Relationship manager",)),
    Person("ma-cherry", "Cherry Ma", "wealth", name_zh="马嘉欣",
           desk=("Assistant relationship manager", "PA to Paul Ng")),
    Person("ho-sam", "Sam Ho", "tax", desk=("Tax advisor",)),
))


@pytest.mark.parametrize("text", ["I'm Cherry's client but I need her boss", "Cherry Ma's boss please", "马小姐的上司"])
def test_an_assistants_boss_is_whom_they_assist(text):
    assert verdicts.connects(ASSISTED, text) == "ng-paul"


@pytest.mark.parametrize("text", ["our lawyer Mr Ng said I should talk to your tax person",
                                  "Mr Ng told me to ask for your tax advisor"])
def test_namesakes_named_only_as_context_do_not_outweigh_the_need(text):
    assert verdicts.connects(ASSISTED, text) == "ho-sam"


@pytest.mark.parametrize("text", ["I write on behalf of my boss Mr Ng Tak Wah, he wants Sam",
                                  "on behalf of Mr Ng Ka Ming: please put me through to Sam"])
def test_someone_named_after_a_title_as_the_guests_own_is_not_whom_they_want(text):
    assert verdicts.connects(ASSISTED, text) == "ho-sam"


@pytest.mark.parametrize("text", ["吴国伟话你哋有人识处理税务", "吴国伟说你们有同事做税务"])
def test_whom_x_said_you_have_is_wanted_not_x(text):
    kind, aads = judged(text)
    assert INDEX.rank(text)[0].person.aad == "lui-henry" and "ng-kwokwai" not in aads


BRIDGED = PeopleIndex((
    Person("lam-macau", "Joe Lam", "private_banking", desk=("Relationship manager", "Macau clients")),
    Person("yu-safe", "Amy Yu", "operations", desk=("Safe deposit boxes",)),
), glossary=Glossary({"支行": "sub-branch of a bank; banking"}))


def test_a_place_desk_with_a_word_bridged_through_the_dictionary_beside_a_need_desk_is_asked_about():
    ranked = BRIDGED.rank("澳门支行保险箱")
    assert verdict(ranked).kind != CONNECT and "yu-safe" in [c.person.aad for c in ranked]


@pytest.mark.parametrize("text", ["Dr Fong sent me, I need travel cover for my trip",
                                  "Irene Fong is my agent but she's on leave, who can sort out my travel insurance",
                                  "I met Irene Fong at an expo, she said one of her colleagues handles travel cover",
                                  "方慧琳说我的事要找做旅游保险的同事"])
def test_a_referrer_who_sent_the_guest_or_is_away_is_not_connected(text):  # the blind runs' referrers, by kind
    assert verdicts.connects(INDEX, text) == "tam-olivia"


def test_a_name_before_a_closing_negation_is_the_one_excluded():
    """马骏不是，我找的是马军: 马骏 is named to be left out (not 他不是, nor the question 是不是)."""
    index = PeopleIndex((Person("junA", "Ma Jun", "ops", name_zh="马骏", desk=("Payments",)),
                         Person("junB", "Ma Jun", "loans", name_zh="马军", desk=("Personal loans",))))
    assert index.rank("马骏不是，我找的是马军")[0].person.aad == "junB"
    assert "junA" not in {c.person.aad for c in index.rank("马骏不是，我找的是马军")}


CALLED = PeopleIndex((
    Person("tan-richard", "Richard Tan Boon Hock", "mgmt", name_zh="陈文福", aliases=("Boss Tan",),
           desk=("Chief Executive Officer",)),
    Person("lim-summer", "Summer Lim", "wealth", name_zh="林夏", desk=("Unit trust specialist",)),
    Person("lee-siewmei", "Lee Siew Mei", "wealth", name_zh="李秀美", desk=("Head of Wealth Management",)),
    Person("wong-kevin", "Kevin Wong", "priority", desk=("Relationship manager", "Kuala Lumpur clients")),
    Person("tan-chunseng", "Tan Chun Seng", "promotions", desk=("Festive promotions manager",)),
))


def test_what_an_alias_calls_someone_by_is_no_name_of_theirs_alone():
    """"Boss Tan" names Richard Tan whole; "Summer Lim's boss" is the head of her unit, not Boss Tan (blind19)."""
    assert verdicts.connects(CALLED, "Boss Tan please") == "tan-richard"
    assert verdicts.connects(CALLED, "Summer Lim's boss please") == "lee-siewmei"


@pytest.mark.parametrize("text", ["Kevin Wong's (KL) assistant asked me to call your promotions manager",
                                  "Kevin Wong (KL)'s assistant told me to call the promotions manager"])
def test_a_remark_in_brackets_beside_a_name_keeps_whose_assistant_it_is(text):
    assert verdicts.connects(CALLED, text) == "tan-chunseng"


COMPLAINED = PeopleIndex((
    Person("lee-summer", "Summer Lee", "medical", name_zh="李夏", desk=("Relationship manager, medical insurance",)),
    Person("chow-faith", "Faith Chow", "complaints", desk=("Complaints manager", "Client complaints and disputes")),
    Person("li-may", "May Li", "servicing", name_zh="李美", desk=("Policy servicing officer",)),
    Person("lin-andy", "Andy Lin", "migration", name_zh="林安迪", desk=("Immigration-linked planning",)),
))


@pytest.mark.parametrize("text", ["I want to complain about Summer Lee",
                                  "Summer Lee was rude to me, I want to make a complaint",
                                  "My friend bought a plan from Summer Lee in HK and I want to complain about how it "
                                  "was sold",
                                  "我要投诉李夏"])
def test_whom_the_guest_complains_about_is_not_whom_they_want(text):
    """Whoever handles complaints is (blind18); nor are little words run together a given name ("and I": Andi of
    林安迪, "to me, I": Mei of 李美)."""
    assert verdicts.connects(COMPLAINED, text) == "chow-faith"


def test_a_complaints_person_named_is_still_wanted():
    assert verdicts.connects(COMPLAINED, "Faith Chow please, about my complaint") == "chow-faith"


ON_BEHALF = PeopleIndex((
    Person("chen-grace", "Grace Chen", "fixed_income", name_zh="陈慧", desk=("Relationship Manager, Fixed Income",)),
    Person("zhou-minhua", "Minhua Zhou", "fixed_income", name_zh="周敏华", desk=("Head of Fixed Income",)),
    Person("wu-faith", "Faith Wu", "trusts", name_zh="吴倩", desk=("Trust Manager, Insurance Trusts",)),
    Person("ma-jun", "Jun Ma", "marketing", name_zh="马骏", desk=("Head of Marketing", "Events, seminars")),
    Person("li-ming", "Ming Li", "private_banking", name_zh="李明", aliases=("李总",),
           desk=("Head of Private Banking",)),
    Person("ma-li", "Li Ma", "lending", name_zh="马丽", desk=("Lending Manager, aircraft and yacht financing",)),
    Person("wang-jing", "Jing Wang", "family_office", name_zh="王静", desk=("Family office advisor",)),
    Person("wang-jing-2", "Jing Wang", "tax", name_zh="汪晶", desk=("Tax incentive schemes",)),
))


@pytest.mark.parametrize("text", ["我是陈慧的客户，她休假了，说有事找她们固收的负责人",
                                  "我是吴倩的妈妈，帮她问一下你们管市场活动的是谁",
                                  "我是李总的秘书，帮老板找一下做游艇贷款的同事"])
def test_whose_family_or_secretary_the_guest_is_or_whose_client_while_away_is_someone_else(text):
    """(blind22, blind23) Whom the guest acts for is not whom they want."""
    kind, aads = verdicts.judged(ON_BEHALF, text)
    assert aads[0] in {"zhou-minhua", "ma-jun", "ma-li"} and not {"chen-grace", "wu-faith", "li-ming"} & set(aads)


def test_a_name_in_pinyin_is_no_place_it_also_spells():
    """"wang jing" is the two Jing Wangs, not 望京 (a district of Beijing) that puts one of them ahead."""
    assert verdicts.judged(ON_BEHALF, "wang jing") == ("choose", ["wang-jing", "wang-jing-2"])


ACQUAINTED = PeopleIndex((
    Person("chan-daniel", "Daniel Chan", "wealth", desk=("Relationship Manager, United Kingdom",)),
    Person("ng-summer", "Summer Ng", "wealth", desk=("Relationship Manager, Middle East", "Clients in the UAE")),
    Person("xie-dawn", "Dawn Xie", "research", desk=("Head of Research",)),
    Person("zhang-yuhang", "Yuhang Zhang", "research", desk=("Research Analyst", "Technology")),
    Person("kwok-angela", "Angela Kwok", "underwriting", name_zh="郭安琪", desk=("Underwriting coordinator",)),
    Person("yip-daniel", "Daniel Yip", "claims", desk=("Claims specialist", "Insurance claims")),
    Person("yuen-april", "April Yuen", "hr", desk=("Human resources manager",)),
    Person("lin-mei", "Mei Lin", "newcomers", desk=("Newcomer banking coordinator",
                                                    "Bank accounts for new immigrants")),
))


@pytest.mark.parametrize("text, aad", [
    ("My friend banks with Daniel Chan in London, but I'm in Dubai and need an RM", "ng-summer"),
    ("Dawn Xie's ex-colleague here, looking for your technology analyst", "zhang-yuhang"),
    ("郭安琪叫我同處理理賠嘅同事講", "yip-daniel"),
])
def test_whose_banker_a_friend_has_an_ex_colleague_and_who_said_to_talk_to_someone_are_someone_else(text, aad):
    """(blind24, blind25)"""
    assert verdicts.connects(ACQUAINTED, text) == aad


def test_a_month_after_a_word_of_time_is_no_one_of_that_name():
    kind, aads = verdicts.judged(ACQUAINTED, "I'm moving to Canada in April, need a bank account as a newcomer")
    assert "yuen-april" not in aads
    assert verdicts.connects(ACQUAINTED, "April Yuen please") == "yuen-april"
