"""A need written as a thing and what is done with it, apart, names the narrower topic (guest_pairs.PAIRS); what is
done, alone, names nothing of it."""
from __future__ import annotations

import pytest

from core.person_match.guest_pairs import PAIRS
from core.person_match.reading import fold, topics_named

# (narrower topic, a guest's message in English, one in Chinese, the doing word alone in each)
CASES = [
    # Banking
    ("joint_account", "I'd like to open an account together with my wife, a joint one please", "想同老婆一齐开个户口",
     "a joint one please", "同老婆"),
    ("remittance", "How do I make a payment to my daughter's account overseas?", "我想转账俾喺海外读书嘅女儿",
     "my daughter's account overseas", "喺海外读书嘅女儿"),
    ("password_reset", "I forgot the password for my online banking", "我唔记得咗网银嘅密码", "I forgot it",
     "我唔记得"),
    # Cards
    ("card_loss", "My credit card was stolen on the MTR this morning", "我张信用卡今朝喺地铁唔见咗",
     "stolen on the MTR this morning", "今朝喺地铁唔见咗"),
    ("annual_fee", "Can you waive this year's fee on my card?", "张卡今年可唔可以豁免啲费用", "can you waive it",
     "可唔可以豁免"),
    # Credit
    ("credit_decision", "Why was my loan application rejected?", "点解我申请嘅贷款会被拒", "why was it rejected",
     "点解会被拒"),
    ("refinancing", "I want to switch my home loan to another bank with a better rate", "我想将按揭转银行，利率平啲",
     "switch to another bank", "转银行"),
    # Markets
    ("fund_dealing", "I'd like to sell part of the fund I hold", "我想卖出手上部分基金", "I'd like to sell part",
     "我想卖出手上部分"),
    ("portfolio_review", "Could we rebalance my investment holdings?", "想检视一下我嘅投资", "could we rebalance",
     "想检视一下"),
    # Cover
    ("claims_appeal", "My hospital claim was rejected last week", "我上个月嘅理赔申请被拒", "rejected last week",
     "上个月被拒"),
    ("claims_status", "What is the progress of the claim I sent in May?", "我五月交嘅索偿，而家仲未有消息",
     "what is the progress", "而家仲未有消息"),
    ("surrender", "I want to cancel the insurance I bought in 2019", "我想终止2019年买嘅保单", "I want to cancel",
     "我想终止"),
    ("pet_insurance", "Do you have insurance for our kitten?", "有冇保险可以保我屋企条狗", "our kitten", "我屋企条狗"),
    ("mpf_consolidation", "I want to move my MPF from the old employer", "我有三个强积金账户，想合并成一个",
     "move it from the old employer", "想合并成一个"),
    ("mpf_withdrawal", "Can I withdraw my MPF before I retire?", "我想提取我嘅强积金", "can I withdraw it",
     "我想提取"),
    ("mpf_statement", "What is the balance of my MPF?", "我嘅强积金结余有几多", "what is the balance",
     "结余有几多"),
    # Advisory
    ("tax_planning", "How can I reduce the tax I pay on my salary?", "点样可以减少交嘅税", "how can I reduce it",
     "点样可以减少"),
    ("study_abroad", "My son wants to go to university in the UK", "仔女想去英国读大学", "my son wants to go to the UK",
     "仔女想去英国"),
    # Firm
    ("call_centre", "What is the phone number for customer service?", "客服有冇电话可以打", "what is the phone number",
     "有冇电话可以打"),
    ("ombudsman", "My complaint is still unresolved after two months", "我嘅投诉两个月都未解决",
     "still unresolved after two months", "两个月都未解决"),
]


@pytest.mark.parametrize("topic, english, chinese, english_alone, chinese_alone", CASES,
                         ids=[c[0] for c in CASES])
def test_a_thing_and_what_is_done_with_it_apart_name_the_narrower_topic(topic, english, chinese, english_alone,
                                                                         chinese_alone):
    assert topic in topics_named(fold(english))
    assert topic in topics_named(fold(chinese))


@pytest.mark.parametrize("topic, english, chinese, english_alone, chinese_alone", CASES,
                         ids=[c[0] for c in CASES])
def test_what_is_done_alone_names_nothing_of_it(topic, english, chinese, english_alone, chinese_alone):
    assert topic not in topics_named(fold(english_alone))
    assert topic not in topics_named(fold(chinese_alone))


def test_every_case_is_a_pair():
    assert {topic for topic, *_ in CASES} <= set(PAIRS)


def test_a_doing_word_beside_another_thing_names_that_thing_s_need():
    """"overseas" beside a card is spending abroad, beside a payment a remittance."""
    card = topics_named(fold("can I use my credit card overseas"))
    payment = topics_named(fold("can I make a payment overseas"))
    assert "overseas_spending" in card and "remittance" not in card
    assert "remittance" in payment and "overseas_spending" not in payment


@pytest.mark.parametrize("text, topic", [("Rocky said he would help with our construction site policy", "helper"),
                                         ("just bought a new Tesla and want to insure it", "cooling_off"),
                                         ("我想提取住房公积金", "mpf_withdrawal"),
                                         ("我想提取住房公积金", "mpf")])
def test_a_word_that_only_looks_like_a_doing_word_or_a_thing_names_nothing(text, topic):
    assert topic not in topics_named(fold(text))
