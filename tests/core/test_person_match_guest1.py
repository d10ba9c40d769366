"""Guests write what happened, not the desk's word (issue 20, guest_words_banking / guest_words_credit): a
guest's own description reaches the fine desk among its siblings, in English, Simplified, Traditional and
Cantonese; the words inside a longer word or an everyday sentence reach nobody."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from core.person_match import guest_words_banking, guest_words_credit
from core.person_match.lexicon import TOPICS
from core.person_match.reading import fold

BANKING = PeopleIndex((
    Person("au-amy", "Amy Au", "retail", name_zh="區美儀", desk=("Dormant accounts",)),
    Person("ho-ben", "Ben Ho", "retail", name_zh="何志斌", desk=("Account closure",)),
    Person("ng-cal", "Cal Ng", "retail", name_zh="吳家樂", desk=("Payment investigations",)),
    Person("so-dee", "Dee So", "retail", name_zh="蘇迪雅", desk=("Remittances",)),
    Person("ko-eli", "Eli Ko", "treasury", name_zh="高以理", desk=("FX hedging",)),
    Person("yu-fay", "Fay Yu", "retail", name_zh="余菲菲", desk=("FX quota",)),
    Person("lam-gus", "Gus Lam", "retail", name_zh="林國新", desk=("Coin exchange and banknotes",)),
    Person("to-hal", "Hal To", "retail", name_zh="杜浩倫", desk=("Joint accounts",)),
    Person("ip-iris", "Iris Ip", "commercial", name_zh="葉思雅", desk=("Invoice financing",)),
    Person("mo-jay", "Jay Mo", "commercial", name_zh="巫志傑", desk=("Payroll services",)),
    Person("tse-kim", "Kim Tse", "commercial", name_zh="謝金妮", desk=("Letters of credit",)),
    Person("fu-lou", "Lou Fu", "commercial", name_zh="符樂賢", desk=("Export credit insurance",)),
))

CREDIT = PeopleIndex((
    Person("chu-mae", "Mae Chu", "cards", name_zh="朱美儀", desk=("Lost and stolen cards",)),
    Person("lai-ned", "Ned Lai", "cards", name_zh="黎乃德", desk=("Card disputes",)),
    Person("kwok-ona", "Ona Kwok", "cards", name_zh="郭安娜", desk=("Rewards points",)),
    Person("wong-pat", "Pat Wong", "cards", name_zh="黃柏濤", desk=("Card activation",)),
    Person("lee-quin", "Quin Lee", "cards", name_zh="李群英", desk=("Credit limit",)),
    Person("tang-roy", "Roy Tang", "lending", name_zh="鄧偉業", desk=("Collections",)),
    Person("hui-sam", "Sam Hui", "lending", name_zh="許森林", desk=("Financial hardship",)),
    Person("yip-tia", "Tia Yip", "lending", name_zh="葉婷婷", desk=("Mortgage discharge",)),
    Person("poon-ugo", "Ugo Poon", "lending", name_zh="潘宇高", desk=("Early repayment",)),
    Person("mak-vic", "Vic Mak", "lending", name_zh="麥偉傑", desk=("Credit decisions",)),
    Person("sit-wyn", "Wyn Sit", "lending", name_zh="薛詠欣", desk=("Car loans",)),
))


def top(index: PeopleIndex, text: str) -> str:
    ranked = index.rank(text)
    return ranked[0].person.aad if ranked else ""


@pytest.mark.parametrize("text, aad", [
    ("my account hasn't been used for years, can I still take the money out", "au-amy"),
    ("我的账户好多年没用了，还能用吗", "au-amy"),
    ("我個戶口好耐冇用，仲用唔用得", "au-amy"),
    ("I don't need the account any more, I no longer need my account here", "ho-ben"),
    ("唔再用個戶口，想關個戶口", "ho-ben"),
    ("I sent money to my son last week and the recipient hasn't received it", "ng-cal"),
    ("上星期匯咗錢，對方仲未收到", "ng-cal"),
    ("I want to send money back home to my family every month", "so-dee"),
    ("我想每個月寄錢俾屋企", "so-dee"),
    ("we pay our supplier in yen in six months and want to lock in the exchange rate", "ko-eli"),
    ("想锁定汇率，怕汇兑损失", "ko-eli"),
    ("我想用家人的额度换美金", "yu-fay"),
    ("I have a jar of coins to deposit", "lam-gus"),
    ("新年想換利是", "lam-gus"),
    ("can I open an account with my wife", "to-hal"),
    ("想同老公開個夫妻戶口", "to-hal"),
    ("our customers pay in 90 days and we are short of cash waiting for customers to pay", "ip-iris"),
    ("客户压款，回款慢", "ip-iris"),
    ("我間公司想俾員工出糧", "mo-jay"),
    ("the documents had discrepancies and the advising bank rejected them", "tse-kim"),
    ("單據有不符點", "tse-kim"),
    ("what if my buyer doesn't pay", "fu-lou"),
    ("海外买家倒闭怎么办", "fu-lou"),
])
def test_a_banking_guests_own_words_reach_the_fine_desk(text, aad):
    assert top(BANKING, text) == aad, text


@pytest.mark.parametrize("text, aad", [
    ("I lost my wallet on the bus this morning", "chu-mae"),
    ("銀包唔見咗，點算", "chu-mae"),
    ("钱包被偷了", "chu-mae"),
    ("the shop won't refund me and I never received the goods", "lai-ned"),
    ("张卡有笔数唔系我签嘅", "lai-ned"),
    ("how do I use my points before the points expire", "kwok-ona"),
    ("my new card arrived, how do I start using it", "wong-pat"),
    ("還沒收到新卡", "wong-pat"),
    ("I maxed out my card and the limit is too low", "lee-quin"),
    ("張卡碌爆卡，額度太低", "lee-quin"),
    ("I'm behind on my payments and a debt collector keeps calling", "tang-roy"),
    ("I was laid off and I'm struggling to pay", "hui-sam"),
    ("老公被裁員，冇工開", "hui-sam"),
    ("I've paid off my mortgage, how do I get the deeds back", "yip-tia"),
    ("我已经供完楼，之后要做什么", "yip-tia"),
    ("I want to settle my loan and need the payoff amount", "poon-ugo"),
    ("想提前還完筆錢", "poon-ugo"),
    ("my loan was turned down, can I know why", "mak-vic"),
    ("借錢被拒，點解", "mak-vic"),
    ("I want to finance a new car", "sit-wyn"),
    ("想分期買車", "sit-wyn"),
])
def test_a_borrowers_or_cardholders_own_words_reach_the_fine_desk(text, aad):
    assert top(CREDIT, text) == aad, text


@pytest.mark.parametrize("index, text, aad", [
    (BANKING, "我個戶口好耐冇用", "au-amy"),
    (BANKING, "對方仲未收到", "ng-cal"),
    (CREDIT, "銀包唔見咗", "chu-mae"),
    (CREDIT, "I've paid off my mortgage, how do I get the deeds back", "yip-tia"),
])
def test_a_description_that_fits_one_desk_connects(index, text, aad):
    v = verdict(index.rank(text))
    assert (v.kind, [c.person.aad for c in v.candidates]) == (CONNECT, [aad]), text


@pytest.mark.parametrize("text", [
    "推出人工智能的新功能",  # 出人工 is no payroll
    "这篇文章刷爆朋友圈",  # gone viral, no card limit
    "真相被扒出来了",  # exposed online, no pickpocket
    "重返现场看看",  # back at the scene, no cashback
    "今年失业率上升了",  # an economic figure, no guest out of work
    "填一份空白表格",  # a blank form, no white-form flat
    "I need a break, my card game night was cancelled",
    "my points of view were ignored in the meeting",
])
def test_a_guest_word_inside_a_longer_word_or_everyday_chat_connects_nobody(text):
    for index in (BANKING, CREDIT):
        assert verdict(index.rank(text)).kind != CONNECT, text


@pytest.mark.parametrize("module", [guest_words_banking, guest_words_credit])
def test_the_guest_words_are_of_known_topics_folded_and_none_of_two_topics(module):
    seen: dict[str, str] = {}
    for topic, (english, chinese) in module.WORDS.items():
        assert topic in TOPICS and isinstance(english, tuple) and isinstance(chinese, tuple), topic
        for phrase in (*english, *chinese):
            assert fold(phrase) == phrase, phrase  # written as text is read
            assert "咗" not in phrase and "紧" not in phrase[1:-1], phrase  # reading drops them between characters
            assert seen.setdefault(phrase, topic) == topic, phrase
