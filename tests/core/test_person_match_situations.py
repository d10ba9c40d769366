"""Guests describe situations and life events, not products (issue 20): a situation reaches the desk for it
without a product word, the desk on the specific topic ranks above the general one, and a situation's words
inside an unrelated sentence (or inside other words) connect nobody."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict

PEOPLE = (
    Person("mok-ada", "Ada Mok", "ins", name_zh="莫雅婷", desk=("Medical claims",)),
    Person("fung-ben", "Ben Fung", "ins", name_zh="馮家俊", desk=("Critical illness claims",)),
    Person("ip-cora", "Cora Ip", "ins", name_zh="葉慧珊", desk=("Motor insurance",)),
    Person("kan-dora", "Dora Kan", "ins", name_zh="簡美玉", desk=("Claims",)),
    Person("siu-ethan", "Ethan Siu", "ins", name_zh="蕭子健", desk=("Motor claims",)),
    Person("tong-fay", "Fay Tong", "retail", name_zh="湯嘉慧", desk=("Mortgages",)),
    Person("lui-gary", "Gary Lui", "retail", name_zh="呂志偉", desk=("Personal loans",)),
    Person("hui-hana", "Hana Hui", "commercial", name_zh="許海倫", desk=("SME lending",)),
    Person("pang-ian", "Ian Pang", "commercial", name_zh="彭國豪", desk=("Trade finance",)),
    Person("yau-jade", "Jade Yau", "retail", name_zh="丘慧儀", desk=("Card services",)),
    Person("kong-kit", "Kit Kong", "pb", name_zh="江家傑", desk=("Bereavement services",)),
    Person("mak-leo", "Leo Mak", "retail", name_zh="麥浩然", desk=("Fraud and disputes",)),
    Person("chan-peter", "Peter Chan", "gm", name_zh="陳志明", desk=("Equities trading",)),
    Person("tam-mia", "Mia Tam", "ins", name_zh="譚美琪", desk=("Travel insurance",)),
    Person("wan-nora", "Nora Wan", "ins", name_zh="溫淑貞", desk=("Domestic helper insurance",)),
    Person("lo-owen", "Owen Lo", "ins", name_zh="盧俊傑", desk=("Home insurance",)),
)
INDEX = PeopleIndex(PEOPLE)


def judged(text: str) -> tuple[str, list[str]]:
    v = verdict(INDEX.rank(text))
    return v.kind, [c.person.aad for c in v.candidates]


def first(text: str) -> str:
    return INDEX.rank(text)[0].person.aad


@pytest.mark.parametrize("text, aad", [
    ("my husband is in hospital since Monday, can the bills be reimbursed?", "mok-ada"),
    ("爸爸上星期住咗院，啲醫藥費點樣攞返", "mok-ada"),
    ("someone stole my wallet with my card in it, please block it", "yau-jade"),
    ("張卡唔見咗，想掛失", "yau-jade"),
    ("my father passed away last week, what do we do with his accounts", "kong-kit"),
    ("我老公上个月过世了，他的户口怎么处理", "kong-kit"),
    ("I got a call from someone pretending to be the bank and now money is missing, I think I was scammed",
     "mak-leo"),
    ("我们厂要资金周转", "hui-hana"),
    ("we import furniture from Vietnam and the supplier wants a letter of credit", "pang-ian"),
    ("做出口貨，買家要信用證", "pang-ian"),
    ("our flight was cancelled and we lost a night of the hotel, can we get that back", "tam-mia"),
    ("我屋企菲傭想買保險", "wan-nora"),
    ("a pipe burst in the kitchen and the flat below is flooded", "lo-owen"),
])
def test_a_situation_without_a_product_word_reaches_its_desk(text, aad):
    kind, who = judged(text)
    assert first(text) == aad and (kind != CONNECT or who == [aad]), text


@pytest.mark.parametrize("text, aad", [
    ("張卡唔見咗，想掛失", "yau-jade"),
    ("my father passed away last week, what do we do with his accounts", "kong-kit"),
    ("我们厂要资金周转", "hui-hana"), ("做出口貨，買家要信用證", "pang-ian"), ("我屋企菲傭想買保險", "wan-nora"),
])
def test_a_situation_that_fits_one_desk_clearly_connects(text, aad):
    assert judged(text) == (CONNECT, [aad]), text


@pytest.mark.parametrize("text, specific, general", [
    ("my wife was diagnosed with a tumour, how do we claim", "fung-ben", "mok-ada"),
    ("阿媽確診咗癌症，想索償", "fung-ben", "mok-ada"),
    ("I need to claim, somebody hit my car in the car park", "siu-ethan", "kan-dora"),
    ("we are buying an apartment in Sha Tin and need to borrow", "tong-fay", "lui-gary"),
    ("想買樓，想借錢", "tong-fay", "lui-gary"),
    ("my cafe needs a loan for working capital", "hui-hana", "lui-gary"),
    ("我间公司想借钱周转", "hui-hana", "lui-gary"),
])
def test_the_specific_desk_ranks_above_the_general_one(text, specific, general):
    ranked = [c.person.aad for c in INDEX.rank(text)]
    assert specific in ranked and (general not in ranked or ranked.index(specific) < ranked.index(general)), ranked
    assert ranked[0] == specific


@pytest.mark.parametrize("text", [
    "my card is not working at the ATM",  # "my car" is no word of "my card"
    "I work in hospitality, who handles equities",  # "hospital" no word of it: the equities desk
    "我笑死了，你们的app太好用",  # a laugh, not a death in the family
    "地铁出口在哪里",  # an exit, not exports
])
def test_a_situations_words_inside_other_words_name_nothing_of_it(text):
    assert not {"ip-cora", "siu-ethan", "mok-ada", "kong-kit", "pang-ian"} & {c.person.aad for c in INDEX.rank(text)}


@pytest.mark.parametrize("text, aad", [
    ("I'm in hospital this week, could Peter Chan call me back about my shares", "chan-peter"),
    ("陳志明，我老豆過咗身，想問下佢啲股票點處理", "chan-peter"),
])
def test_a_situation_beside_a_name_does_not_take_the_guest_elsewhere(text, aad):
    assert judged(text) == (CONNECT, [aad])


# Desks of what the firm itself does and of clients' causes, each a topic a guest describes.
FIRM = PeopleIndex((
    Person("ma-ann", "Ann Ma", "exec", name_zh="馬安琪", desk=("Media enquiries",)),
    Person("ho-bill", "Bill Ho", "exec", name_zh="何志華", desk=("Client events and seminars",)),
    Person("sze-cat", "Cat Sze", "ops", name_zh="施嘉怡", desk=("Data protection officer",)),
    Person("au-don", "Don Au", "gba", name_zh="區志東", desk=("Investment immigration",)),
    Person("fok-eve", "Eve Fok", "fo", name_zh="霍曉彤", desk=("Philanthropy",)),
    Person("lai-finn", "Finn Lai", "fo", name_zh="黎家輝", desk=("Art advisory",)),
    Person("noor-gul", "Gul Noor", "ins", desk=("Takaful",)),
    Person("yim-hal", "Hal Yim", "ins", name_zh="嚴浩文", desk=("Underwriting",)),
    Person("chu-ivy", "Ivy Chu", "lending", name_zh="朱凱琳", desk=("Premium financing",)),
    Person("koo-jon", "Jon Koo", "ins", name_zh="古俊明", desk=("Policy servicing", "Premium payments")),
    Person("wu-kay", "Kay Wu", "lending", name_zh="胡家儀", desk=("Loan administration",)),
    Person("tse-lou", "Lou Tse", "ins", name_zh="謝樂怡", desk=("Medical insurance",)),
    Person("yu-max", "Max Yu", "retail", name_zh="余文傑", desk=("Personal loans",)),
))


@pytest.mark.parametrize("text, aad", [
    ("我是记者，想约个采访", "ma-ann"), ("a reporter here, could someone comment on the merger", "ma-ann"),
    ("how do I register for the webinar on Thursday", "ho-bill"), ("下星期嘅講座點報名", "ho-bill"),
    ("under the privacy ordinance I want a copy of what you hold about me", "sze-cat"),
    ("我們想透過投資移民來香港", "au-don"), ("想捐一笔钱做慈善", "fok-eve"),
    ("we own some antiques and paintings, can someone advise", "lai-finn"), ("屋企有啲字畫想估價", "lai-finn"),
    ("do you offer shariah compliant cover", "noor-gul"), ("我有哮喘，買保險會唔會被拒保", "yim-hal"),
    ("點樣交保費", "koo-jon"),  # premiums are paid to policy servicing, not financed
    ("贷款批了，什么时候放款", "wu-kay"),
])
def test_a_desk_of_the_firm_or_a_cause_is_found_by_what_the_guest_describes(text, aad):
    v = verdict(FIRM.rank(text))
    assert (v.kind, [c.person.aad for c in v.candidates]) == (CONNECT, [aad]), text


def test_a_topic_word_inside_a_longer_word_names_nothing_of_it():
    """"media" is no stem of "medical": a question on medical insurance is not for the press office."""
    assert [c.person.aad for c in FIRM.rank("who handles medical insurance")][:1] == ["tse-lou"]
    assert not any("#medical" in c.evidence for c in FIRM.rank("who handles medical insurance")
                   if c.person.aad == "ma-ann")


# No motor claims desk: a car claim is for the motor insurance desk, not a claims desk of another line.
LINES = PeopleIndex((
    Person("hon-ray", "Ray Hon", "ins", name_zh="韓志強", desk=("Motor insurance",)),
    Person("kwan-sue", "Sue Kwan", "ins", name_zh="關淑芬", desk=("Medical claims",)),
    Person("ling-tim", "Tim Ling", "ins", name_zh="凌天佑", desk=("Critical illness claims",)),
    Person("yung-uma", "Uma Yung", "retail", name_zh="容玉梅", desk=("Personal loans",)),
    Person("chiu-val", "Val Chiu", "retail", name_zh="趙惠芳", desk=("Remittances",)),
    Person("shum-wes", "Wes Shum", "retail", name_zh="岑偉成", desk=("Statements",)),
    Person("lok-xen", "Xen Lok", "gm", name_zh="駱思恆", desk=("Bonds",)),
))


@pytest.mark.parametrize("text, aad", [
    ("a taxi hit my car yesterday, I want to make a claim", "hon-ray"),
    ("架車俾人撞凹咗，想索償", "hon-ray"),
    ("I'd like to remit money to my parents in Manila", "chiu-val"),
    ("我需要一份存款证明", "shum-wes"),  # a deposit certificate is a statement, no certificate of deposit
])
def test_a_desk_on_another_line_gives_way_to_the_one_on_the_guests(text, aad):
    v = verdict(LINES.rank(text))
    assert (v.kind, [c.person.aad for c in v.candidates]) == (CONNECT, [aad]), text


def test_a_desk_gives_way_only_to_one_that_fits_what_both_are_kinds_of():
    """A car loan: motor insurance fits no loan, so personal loans stay, and the guest is asked."""
    v = verdict(LINES.rank("想贷款买车"))
    assert v.kind != CONNECT and "yung-uma" in {c.person.aad for c in v.candidates}


@pytest.mark.parametrize("text", [
    "I'm driving now, will call you later", "我们公司的年会好热闹", "佢走咗啦，听日再揾佢", "我笑死了",
    "my card reader at home is broken, never mind", "我明天出差",
])
def test_chat_that_holds_a_situations_word_connects_nobody(text):
    assert all(verdict(index.rank(text)).kind != CONNECT for index in (INDEX, FIRM, LINES))


def test_a_phrase_of_one_need_does_not_name_another_by_a_word_inside_it():
    """Tax residency is a tax form, not residency by investment."""
    assert "au-don" not in {c.person.aad for c in FIRM.rank("which form do I sign for my tax residency")}
