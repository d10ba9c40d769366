"""Who a guest means (core/person_match/): `verdict(index.rank(text))` on a small directory with
shared family names, a 王伟/汪伟 pair, the 张伟/张薇 pair, a Cantonese-romanised Wong, a colleague with
only an English name, and desks. Covers e-mails, phone numbers in any format, full names (either
order, joined, tone marks and digits, Traditional characters, aliases, one typo), titles, given
names, needs in English and Chinese, name + need, the guest naming themselves, and the cases that
must never connect: ties, names that only sound right, another family name, small talk."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CHOOSE, CONNECT, MAX_CHOICES, NARROW, UNKNOWN, PeopleIndex, verdict
from core.person_match.reading import CJK_RUN, plain

PEOPLE = (
    Person("wang-wei", "Wei Wang", "pb", name_zh="王伟", email="wei.wang@bank.example", phone="+8613800138000",
           desk=("Relationship manager",)),
    Person("wang-wei-2", "Wei Wang", "retail", name_zh="汪伟", desk=("Mortgage advisor", "Home loans")),
    Person("wang-fang", "Fang Wang", "retail", name_zh="王芳", desk=("Gold",)),
    Person("zhang-wei", "Wei Zhang", "retail", name_zh="张伟", desk=("Funds",)),
    Person("zhang-wei-2", "Wei Zhang", "retail", name_zh="张薇", desk=("Life insurance",)),
    Person("zhang-xiaoming", "Xiaoming Zhang", "retail", name_zh="张小明", desk=("Foreign exchange",)),
    Person("li-david", "David Li", "retail", name_zh="李大卫", aliases=("Dave",), desk=("Credit cards",)),
    Person("li-na", "Na Li", "retail", name_zh="李娜", desk=("Fixed deposits",)),
    Person("wong-alice", "Alice Wong", "hk", name_zh="王嘉欣", aliases=("Ally", "Wong Ka Yan"),
           email="alice.wong@bank.example", phone="+85291234567", desk=("Bonds",)),
    Person("smith-john", "John Smith", "retail", desk=("Account opening",)),
    Person("zhou-xin", "Xin Zhou", "retail", name_zh="周欣", desk=("Tax",)),
    Person("zhou-min", "Min Zhou", "retail", name_zh="周敏", desk=("Insurance",)),
    Person("ho-kevin", "Kevin Ho", "hk", name_zh="何家豪", desk=("Agency manager",)),
    Person("liu-fang", "Fang Liu", "retail", name_zh="刘芳", desk=("Funds", "Equities")),
)
INDEX = PeopleIndex(PEOPLE)


def judged(text: str, index: PeopleIndex = INDEX) -> tuple[str, list[str]]:
    v = verdict(index.rank(text))
    return v.kind, sorted(c.person.aad for c in v.candidates)


def connects(text: str) -> tuple[str, str]:
    """The one person `text` connects to, and how they were found."""
    v = verdict(INDEX.rank(text))
    assert v.kind == CONNECT, (text, v)
    return v.candidates[0].person.aad, v.candidates[0].how


@pytest.mark.parametrize("text", ["wei.wang@bank.example", "Please connect me to WEI.WANG@BANK.EXAMPLE"])
def test_an_e_mail_address_connects_even_to_one_of_namesakes(text):
    assert connects(text) == ("wang-wei", "email")


@pytest.mark.parametrize("text, aad", [
    ("13800138000", "wang-wei"),
    ("+86 138 0013 8000", "wang-wei"),
    ("0086 13800138000", "wang-wei"),
    ("(+86) 138-0013-8000", "wang-wei"),
    ("call １３８００１３８０００ please", "wang-wei"),
    ("+852 9123 4567", "wong-alice"),
    ("852-9123-4567", "wong-alice"),
    ("+852 (0) 9123 4567", "wong-alice"),
    ("her number is 9123 4567", "wong-alice"),
])
def test_a_phone_number_in_any_format_connects(text, aad):
    assert connects(text) == (aad, "phone")


def test_a_number_that_only_ends_with_a_colleagues_digits_is_not_theirs():
    assert judged("139 9123 4567") == (UNKNOWN, [])  # a mainland mobile, not +852 9123 4567
    assert connects("my number is 139 9123 4567, I want David") == ("li-david", "given name")


@pytest.mark.parametrize("text", ["Alice Wong", "wong alice", "I'd like to speak to alicewong", "Wong Ka Yan",
                                  "王嘉欣", "ALICE WONG please"])
def test_a_full_name_in_either_order_joined_or_as_an_alias_connects(text):
    assert connects(text)[0] == "wong-alice"


@pytest.mark.parametrize("text", ["Xiaoming Zhang", "zhang xiaoming", "zhangxiaoming", "Zhang Xiao Ming", "张小明"])
def test_a_chinese_name_in_pinyin_or_characters_connects(text):
    assert connects(text)[0] == "zhang-xiaoming"


@pytest.mark.parametrize("text, aads", [("Wang Wei", ["wang-wei", "wang-wei-2"]),
                                        ("wangwei", ["wang-wei", "wang-wei-2"]),
                                        ("Wei Wang please", ["wang-wei", "wang-wei-2"]),
                                        ("Zhang Wei", ["zhang-wei", "zhang-wei-2"])])
def test_namesakes_in_pinyin_are_a_choice(text, aads):
    assert judged(text) == (CHOOSE, aads)


@pytest.mark.parametrize("text, aad", [
    ("zhāng wěi", "zhang-wei"), ("zhang1 wei3", "zhang-wei"),
    ("zhāng wēi", "zhang-wei-2"), ("Zhang1 Wei1", "zhang-wei-2"),
    ("Wáng Wěi", "wang-wei"), ("wang1 wei3", "wang-wei-2"),
])
def test_written_tones_single_out_one_of_namesakes(text, aad):
    assert connects(text) == (aad, "name")


@pytest.mark.parametrize("text, aad", [("王偉", "wang-wei"), ("汪偉", "wang-wei-2"), ("張偉", "zhang-wei"),
                                       ("張薇", "zhang-wei-2"), ("劉芳", "liu-fang")])
def test_traditional_characters_are_the_simplified_name(text, aad):
    best = INDEX.rank(text)[0]
    assert (best.person.aad, best.how) == (aad, "chinese name")


@pytest.mark.parametrize("text, aads", [("王偉", ["wang-wei", "wang-wei-2"]), ("张伟", ["zhang-wei", "zhang-wei-2"])])
def test_the_characters_of_a_name_a_namesake_sounds_like_are_asked_about(text, aads):
    """王伟 and 汪伟 both work here: the keyboard offers the commoner characters for either (the characters first)."""
    v = verdict(INDEX.rank(text))
    assert v.kind == CHOOSE and sorted(c.person.aad for c in v.candidates) == aads
    assert v.candidates[0].person.aad == aads[0]


def test_characters_without_a_namesake_that_sounds_alike_connect():
    assert connects("劉芳") == ("liu-fang", "chinese name")


@pytest.mark.parametrize("text, aads", [("汪维", ["wang-wei-2"]), ("王维", ["wang-wei"]),
                                        ("张玮", ["zhang-wei", "zhang-wei-2"])])
def test_a_chinese_name_that_only_sounds_right_is_asked_never_connected(text, aads):
    v = verdict(INDEX.rank(text))
    assert v.kind == CHOOSE
    assert [(c.person.aad, c.how, c.certain) for c in v.candidates] == [(a, "sounds like", False) for a in aads]


def test_a_family_name_spelt_another_way_is_asked_never_connected():
    v = verdict(INDEX.rank("David Lee"))
    assert v.kind == CHOOSE
    assert [(c.person.aad, c.certain) for c in v.candidates] == [("li-david", False)]


@pytest.mark.parametrize("text", ["Mr Li", "Miss Li", "李先生", "李小姐", "老李"])
def test_a_title_and_a_shared_family_name_is_a_choice(text):
    assert judged(text) == (CHOOSE, ["li-david", "li-na"])


@pytest.mark.parametrize("text, aad", [("Mr Smith", "smith-john"), ("Ms Wong", "wong-alice"),
                                       ("刘经理", "liu-fang"), ("小刘", "liu-fang"), ("何生", "ho-kevin")])
def test_a_title_and_a_unique_family_name_connects(text, aad):
    assert connects(text) == (aad, "family name")


def test_wang_as_a_title_in_english_and_chinese_keeps_to_those_so_named():
    assert judged("Mr Wang") == (CHOOSE, ["wang-fang", "wang-wei", "wang-wei-2"])  # not Alice Wong
    assert judged("王经理") == (CHOOSE, ["wang-fang", "wang-wei", "wong-alice"])  # 王, not 汪


@pytest.mark.parametrize("text, aad", [("Alice", "wong-alice"), ("Xiaoming", "zhang-xiaoming"),
                                       ("小明", "zhang-xiaoming"), ("Kevin", "ho-kevin"), ("Ally", "wong-alice"),
                                       ("Dave", "li-david")])
def test_a_given_name_or_alias_alone_connects_when_only_one_has_it(text, aad):
    assert connects(text) == (aad, "given name")


@pytest.mark.parametrize("text, aad", [("Alise Wong", "wong-alice"), ("Jhon Smith", "smith-john"),
                                       ("Zhang Xiaomng", "zhang-xiaoming")])
def test_a_full_name_with_one_typo_connects(text, aad):
    assert connects(text) == (aad, "name, misspelt")


def test_a_family_name_run_into_a_little_word_is_not_a_misspelt_full_name():
    # "zhou in" is one edit from "zhouxin": taken for a typo it would connect to Xin Zhou (tax).
    assert connects("Zhou in insurance") == ("zhou-min", "family name")


@pytest.mark.parametrize("text", ["I need my mortgage advisor", "someone about a home loan", "我想办房贷",
                                  "想找负责按揭的同事"])
def test_a_need_only_one_desk_has_connects(text):
    assert connects(text) == ("wang-wei-2", "desk")


@pytest.mark.parametrize("text", ["funds", "who handles mutual funds?", "想找负责基金的同事"])
def test_a_need_two_desks_share_is_a_choice(text):
    assert judged(text) == (CHOOSE, ["liu-fang", "zhang-wei"])


@pytest.mark.parametrize("text, aad", [("Mr Zhang about funds", "zhang-wei"), ("the Zhou who does tax", "zhou-xin"),
                                       ("李先生，信用卡的事", "li-david"), ("周先生，保险", "zhou-min"),
                                       ("Wei Zhang, life insurance", "zhang-wei-2")])
def test_a_name_and_a_need_narrow_to_one(text, aad):
    assert connects(text)[0] == aad


@pytest.mark.parametrize("text, aad", [("Hi I'm Wang Wei, I want David", "li-david"),
                                       ("My name is Alice Wong, looking for Kevin", "ho-kevin"),
                                       ("我叫王伟，想找李娜", "li-na"), ("我是汪伟，找何生", "ho-kevin")])
def test_the_guest_naming_themselves_is_not_whom_they_want(text, aad):
    assert connects(text)[0] == aad


def test_a_guest_who_is_a_client_of_mr_li_still_wants_mr_li():
    assert judged("我是李先生的客户") == (CHOOSE, ["li-david", "li-na"])


@pytest.mark.parametrize("text, aad", [("王小明", "zhang-xiaoming"), ("Alice Brown", "wong-alice"),
                                       ("陈小明", "zhang-xiaoming"), ("I want Kevin Chan", "ho-kevin")])
def test_a_given_name_with_another_family_name_is_never_a_connect(text, aad):
    v = verdict(INDEX.rank(text))
    assert v.kind != CONNECT
    assert [(c.person.aad, c.certain) for c in v.candidates] == [(aad, False)]


def test_more_namesakes_than_can_be_listed_ask_for_more():
    chens = [Person(f"chen-{i}", f"{given} Chen", "retail") for i, given in
             enumerate(("Amy", "Ben", "Cindy", "Derek", "Eva", "Frank"))]
    index = PeopleIndex(chens)

    kind, aads = judged("Mr Chen", index)
    assert kind == NARROW and len(aads) == len(chens) > MAX_CHOICES
    assert judged("Mr Chen, the one called Derek", index) == (CONNECT, ["chen-3"])
    assert judged("Mr Chen", PeopleIndex(chens[:MAX_CHOICES]))[0] == CHOOSE


@pytest.mark.parametrize("text", ["hello, how are you?", "thanks", "你好", "在吗？", "ok", ""])
def test_small_talk_names_nobody(text):
    assert judged(text) == (UNKNOWN, [])


def test_a_lone_desk_word_does_not_connect():
    # "opening" is a word of John Smith's "Account opening" desk, not what the guest needs.
    assert judged("what are your opening hours?")[0] != CONNECT
    assert connects("I want to open an account") == ("smith-john", "desk")
    assert connects("我要开户") == ("smith-john", "desk")


def test_rank_within_keeps_to_the_people_offered():
    ranked = INDEX.rank("Wei", within={"wang-wei", "zhang-wei"})
    assert sorted(c.person.aad for c in ranked) == ["wang-wei", "zhang-wei"]
    assert judged("Wei") == (CHOOSE, ["wang-wei", "wang-wei-2", "zhang-wei", "zhang-wei-2"])


def test_hong_kong_characters_are_read_as_typed_in_one_run_of_chinese():
    # OpenCC "simplifies" 嗰 to 𠮶, outside the Basic Plane: patterns written with 嗰 would never match it.
    assert plain("唔係保險嗰個喎") == "唔系保险嗰个喎"
    assert CJK_RUN.fullmatch(plain("嗰個餸"))
