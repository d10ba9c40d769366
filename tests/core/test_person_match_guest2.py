"""Guests describe a need of investing, cover and pensions, advice or the firm's own functions in their own words
(issue 20; guest_words_*.py): the description reaches the fine desk among its siblings, in English, Simplified,
Traditional and Cantonese; a phrase inside a longer word, or an everyday expression, reaches none of them."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import PeopleIndex
from core.person_match.lexicon import TOPICS
from core.person_match.reading import plain
from core.person_match.situations import GUEST_AREAS, SITUATIONS


def index(*desks: str) -> PeopleIndex:
    return PeopleIndex(tuple(Person(f"p{i}", f"Person {i}", "unit", desk=(d,)) for i, d in enumerate(desks)))


def desk_of(ix: PeopleIndex, text: str) -> str:
    ranked = ix.rank(text)
    return ranked[0].person.desk[0] if ranked else ""


MARKETS = index("IPO subscriptions", "Margin financing", "Securities transfers", "Equities trading",
                "Corporate actions", "Settlements", "Fund dealing")
COVER = index("Claims appeals", "Claims status", "Policy surrender", "MPF withdrawals", "MPF fund switching",
              "Employees' compensation insurance", "Pet insurance", "Medical insurance", "Motor insurance")
ADVISORY = index("Study abroad advisory", "Visa services", "Tax filing", "Tax planning", "Estate planning",
                 "School placement", "Student accounts")
FIRM = index("App support", "Security tokens and SMS codes", "Password reset", "Complaints", "Careers",
             "Promotions", "Investor relations", "Procurement")


@pytest.mark.parametrize("ix, text, desk", [
    (MARKETS, "did I get any shares? where do I see the allotment results", "IPO subscriptions"),
    (MARKETS, "新股又抽唔中，想問下點算", "IPO subscriptions"),
    (MARKETS, "我想借錢炒股，利息幾多", "Margin financing"),
    (MARKETS, "they force sold my shares last night without calling me", "Margin financing"),
    (MARKETS, "I want to move my shares to you from another bank", "Securities transfers"),
    (MARKETS, "我想將啲股票轉過來你哋度", "Securities transfers"),
    (MARKETS, "the company is being taken private, what happens to my holding", "Corporate actions"),
    (COVER, "my insurer rejected my claim and they won't pay, I want to appeal the decision", "Claims appeals"),
    (COVER, "幾時賠呀？等咗兩個月", "Claims status"),
    (COVER, "I'm leaving Hong Kong for good, can I cash out my MPF", "MPF withdrawals"),
    (COVER, "我啲積金蝕咗好多，想轉去保守啲", "MPF fund switching"),
    (COVER, "one of my workers got hurt at work yesterday", "Employees' compensation insurance"),
    (COVER, "伙計受傷咗，要唔要報", "Employees' compensation insurance"),
    (COVER, "can I get cover for my dog", "Pet insurance"),
    (ADVISORY, "my visa expires next month, can someone help me extend my stay", "Visa services"),
    (ADVISORY, "how can I reduce my tax legally", "Tax planning"),
    (ADVISORY, "报税截止几时？", "Tax filing"),
    (ADVISORY, "我百年歸老之後層樓點分俾仔女", "Estate planning"),
    (ADVISORY, "想幫個仔搵學校，轉校要點做", "School placement"),
    (ADVISORY, "女儿在准备考雅思，之后想出国", "Study abroad advisory"),
    (FIRM, "the app keeps closing as soon as I open it", "App support"),
    (FIRM, "收唔到短訊，登入唔到", "Security tokens and SMS codes"),
    (FIRM, "I forgot my username", "Password reset"),
    (FIRM, "I was promised a gift when I opened the account and never got it", "Promotions"),
    (FIRM, "I'm a shareholder, when is the AGM", "Investor relations"),
    (FIRM, "we supply office furniture and would like to become a vendor", "Procurement"),
    (FIRM, "想搵工，可以寄CV俾邊個", "Careers"),
])
def test_a_guests_own_words_reach_the_fine_desk_among_its_siblings(ix, text, desk):
    assert desk_of(ix, text) == desk, text


@pytest.mark.parametrize("ix, text", [
    (ADVISORY, "請問報名表喺邊度攞"),  # a sign-up form (报名表) holds no watch (名表), nor a school place
    (ADVISORY, "我想补领大学学位证书"),  # a degree (学位) is no school place
    (FIRM, "我想开个联名户口"),  # a joint account (联名) is no co-branding partnership
    (FIRM, "我想换手机号码"),  # a new number is a change of details, not the app
    (MARKETS, "我们要加强平台建设"),  # 加强平台: no forced liquidation (强平)
    (COVER, "我想开车去深圳"),  # driving, no motor cover
])
def test_a_phrase_inside_a_longer_word_or_an_everyday_use_reaches_none_of_the_desks(ix, text):
    assert not ix.rank(text), text


def test_every_area_writes_for_topics_the_matcher_knows_and_each_topic_in_one_area():
    names = [name for area in GUEST_AREAS for name in area.WORDS]
    assert len(names) == len(set(names))
    assert all(name in TOPICS for name in names)


def test_the_guests_words_are_merged_after_the_situations_already_written():
    for area in GUEST_AREAS:
        for name, (english, chinese) in area.WORDS.items():
            assert SITUATIONS[name][0][-len(english):] == english or not english
            assert set(chinese) <= set(SITUATIONS[name][1]) and set(chinese) <= set(TOPICS[name][1])


def test_the_chinese_words_are_written_as_text_is_folded():
    """Simplified as OpenCC folds Traditional (搵 is read 揾), and without the Cantonese aspect marks the reading
    drops between characters (蝕咗好多 is read 蚀好多)."""
    for area in GUEST_AREAS:
        for _, chinese in area.WORDS.values():
            assert all(plain(w) == w and not {"咗", "紧"} & set(w) for w in chinese)
