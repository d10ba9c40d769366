"""The glossary of desks (core/person_match/desk_terms*.py), a test per area: a need written in Chinese (Simplified,
Traditional, Cantonese) reaches the fine desk among sibling desks of the same broad topic, all titled in English; and
the risky words: a glossary word inside a longer word or fixed expression that means something else names nothing."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict
from core.person_match.desk_terms import DESK_TOPICS
from core.person_match.lexicon import TOPICS
from core.person_match.reading import fold, topics_named


def desks(*titles: str) -> PeopleIndex:
    """A directory of one person per desk, each desk's aad its title."""
    return PeopleIndex(tuple(Person(t, f"Person {i}", "unit", desk=(t,)) for i, t in enumerate(titles)))


AREAS = {
    "markets": desks("Equities trading", "IPO subscriptions", "Warrants and CBBCs", "Stock Connect",
                     "Margin financing", "Settlements", "Employee share plans"),
    "credit": desks("Loans", "Credit decisions", "Collections and hardship"),
    "cards": desks("Credit cards", "Card disputes and chargebacks", "Credit limit increases", "Rewards and air miles",
                   "Card PIN services"),
    "insurance": desks("Claims", "Claims appeals", "Policy servicing", "Policy loans", "Reinsurance"),
    "mpf": desks("MPF", "MPF fund switching", "Voluntary contributions", "MPF withdrawals"),
    "banking": desks("Trade finance", "Letters of credit", "Invoice financing", "Foreign exchange",
                     "Foreign currency cash"),
    "advisory": desks("Immigration", "Talent schemes", "Education", "Study abroad", "Tax", "Tax residency"),
    "firm": desks("Digital banking", "App support", "Security devices", "Password resets", "Company secretary",
                  "PA to the CEO"),
}


@pytest.mark.parametrize("area, text, desk", [
    ("markets", "想认购新股", "IPO subscriptions"), ("markets", "請問點樣抽新股", "IPO subscriptions"),
    ("markets", "我想打新", "IPO subscriptions"), ("markets", "想买窝轮", "Warrants and CBBCs"),
    ("markets", "牛熊證點買", "Warrants and CBBCs"), ("markets", "想用港股通买股票", "Stock Connect"),
    ("markets", "北向交易點開通", "Stock Connect"), ("markets", "想开融资融券", "Margin financing"),
    ("markets", "我想做孖展", "Margin financing"), ("markets", "交收出咗問題", "Settlements"),
    ("markets", "公司給的限制性股票怎麼賣", "Employee share plans"), ("cards", "唔記得信用卡密碼", "Card PIN services"),
    ("credit", "我的贷款申请被拒了", "Credit decisions"), ("credit", "貸款批唔到點算", "Credit decisions"),
    ("credit", "我筆貸款畀人拒咗", "Credit decisions"), ("credit", "贷款逾期了怎么办", "Collections and hardship"),
    ("credit", "我供唔到呀", "Collections and hardship"), ("credit", "想傾下還款安排", "Collections and hardship"),
    ("cards", "信用卡被重複扣款", "Card disputes and chargebacks"),
    ("cards", "信用卡有一笔唔认得嘅交易", "Card disputes and chargebacks"),
    ("cards", "想提高信用额度", "Credit limit increases"), ("cards", "我想加卡額", "Credit limit increases"),
    ("cards", "积分点样换里数", "Rewards and air miles"), ("cards", "飛行里數點儲", "Rewards and air miles"),
    ("insurance", "理赔被拒想上诉", "Claims appeals"), ("insurance", "理賠被拒", "Claims appeals"),
    ("insurance", "保险公司唔肯赔", "Claims appeals"), ("insurance", "想办保单贷款", "Policy loans"),
    ("insurance", "想用份保單借錢", "Policy loans"), ("insurance", "再保险业务找谁", "Reinsurance"),
    ("mpf", "想转换强积金成分基金", "MPF fund switching"), ("mpf", "我想轉基金", "MPF fund switching"),
    ("mpf", "可扣税自愿性供款点做", "Voluntary contributions"), ("mpf", "想做特別自願供款", "Voluntary contributions"),
    ("mpf", "我想攞返強積金", "MPF withdrawals"), ("mpf", "永久离港提取强积金", "MPF withdrawals"),
    ("banking", "想开信用证", "Letters of credit"), ("banking", "想做發票融資", "Invoice financing"),
    ("banking", "想预订外币现钞", "Foreign currency cash"), ("banking", "想換啲外幣現鈔", "Foreign currency cash"),
    ("advisory", "想申请优才计划", "Talent schemes"), ("advisory", "高才通點申請", "Talent schemes"),
    ("advisory", "想了解海外升学", "Study abroad"), ("advisory", "個仔想出國留學", "Study abroad"),
    ("advisory", "要交税务居民证明", "Tax residency"), ("advisory", "稅務居民身份點申報", "Tax residency"),
    ("firm", "手机app一直闪退", "App support"), ("firm", "收唔到驗證碼", "Security devices"),
    ("firm", "我唔记得密码", "Password resets"), ("firm", "想找公司秘书", "Company secretary"),
])
def test_a_need_in_chinese_reaches_the_fine_desk_among_its_siblings(area, text, desk):
    v = verdict(AREAS[area].rank(text))
    assert (v.kind, [c.person.aad for c in v.candidates]) == (CONNECT, [desk]), text


@pytest.mark.parametrize("text, topic", [
    ("我不批评你们", "credit_decision"), ("我们冇批发业务", "credit_decision"),
    ("我哋唔批量生产", "credit_decision"), ("保证不断供应", "collections"),
    ("公司拖欠工资", "collections"), ("稳赚不赔的产品", "claims_appeal"), ("银行保险箱", "bancassurance"),
    ("开车的公里数", "rewards_points"), ("我想打新冠疫苗", "ipo"), ("我想提交收据", "settlement"),
    ("小朋友托管班", "custody"), ("总结汇报", "fx_quota"), ("我有一个税务问题", "tax_filing"),
    ("开证明要多久", "letters_of_credit"), ("the warranty on my phone", "warrants_cbbc"),
    ("I came to collect my card", "collections"), ("estate settlement after my father died", "settlement"),
    ("child custody after a divorce", "custody"), ("I hold various stocks", "us_stocks"),
    ("someone passed away", "talent_schemes"), ("their team was helpful", "investor_relations"),
    ("I was late for my train", "training"), ("my partner and I", "partnerships"), ("an audio guide", "audit"),
    ("I work hard", "hardship"), ("my bank is over there", "hardship"), ("charge my phone", "card_dispute"),
    ("a security token for my app", "crypto"), ("a registration form", "fund_admin"),
    ("the deposit department", "it_department"), ("my credit card payment", "mobile_wallet"),
    ("确保理赔顺利", "invoice_financing"), ("当机立断", "app_support"), ("银保监的规定", "bancassurance"),
    ("圣诞节寄卡片", "card_activation"), ("明天停供应", "collections"), ("可以提供股票报价吗", "corporate_actions"),
    ("要加强平台管理", "margin_financing"), ("我知道指的是什么", "us_stocks"), ("想续签合同", "visas"),
    ("收数据", "collections"), ("汽车涡轮增压", "warrants_cbbc"), ("资深市场人员", "a_shares"),
    ("想找人全权委托管理我的投资组合", "custody"), ("my father's painting collection", "collections"),
    ("warrants and callable bull bear contracts", "contracts"), ("家居保險賠唔賠", "claims_appeal"),
    ("我想应聘管理培训生", "training"),
])
def test_a_glossary_word_inside_another_word_names_nothing(text, topic):
    assert topic not in topics_named(fold(text)), text


def test_a_company_secretary_is_no_assistant():
    v = verdict(AREAS["firm"].rank("想找公司秘书"))
    assert [c.person.aad for c in v.candidates] == ["Company secretary"]


@pytest.mark.parametrize("text", ["chu jing please", "dong shi hui please"])
def test_a_glossary_word_that_reads_as_a_name_in_pinyin_asks_for_no_desk(text):
    """除净 reads chu jing, 董事会 dong shi hui: names as often as needs, so in pinyin they ask for no desk."""
    index = PeopleIndex((Person("lam-ken", "Ken Lam", "unit", desk=("Dividends",)),
                         Person("ko-amy", "Amy Ko", "unit", desk=("Company secretary",))))
    assert not index.rank(text)


def test_a_narrower_desk_and_its_broader_topic_count_once_among_equals():
    """Among desks equally fit, a desk naming a topic and its narrower kind the guest did not name (derivatives,
    structured products) is more the generalist than one naming two other topics (FX, gold)."""
    index = desks("Equities, FX and gold", "Equity derivatives and structured products")
    assert index.rank("我想买证券")[0].person.aad == "Equity derivatives and structured products"


def test_the_glossary_is_merged_whole_and_names_none_of_the_lexicons_own():
    # what guests describe (situations.py) adds its Chinese words after a topic's own
    assert all(TOPICS[name][0] is entry[0] and TOPICS[name][1][:len(entry[1])] == entry[1]
               for name, entry in DESK_TOPICS.items())
