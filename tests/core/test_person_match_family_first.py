"""Names written family name first, as Hong Kong, Singapore and the mainland write them (Cheung Siu Ming,
Tan Ah Meng, Li Wei), the directory's names against its desks' words, an alias that is the given name,
a greeting in pinyin (issue 20: what connected wrongly on blind6's first run, which nobody had tuned on)."""
from __future__ import annotations

from core.people import Person
from core.person_match import CHOOSE, CONNECT, PeopleIndex
from tests.core.verdicts import connects, judged

PEOPLE = (
    Person("cheung-siuming", "Cheung Siu Ming", "sec", name_zh="张少明", desk=("Head of Securities",)),
    Person("cheung-kafai", "Cheung Ka Fai", "ops", name_zh="张家辉", desk=("Human resources",)),
    Person("cheung-hope", "Hope Cheung", "fo", name_zh="张咏欣", desk=("Philanthropy",)),
    Person("tan-ahkow", "Tan Ah Kow", "fo", name_zh="陈亚九", aliases=("Tan Sir",), desk=("Trust structuring",)),
    Person("tan-ahmeng", "Tan Ah Meng", "ops", name_zh="陈亚明", desk=("Singapore operations",)),
    Person("chen-jing-1", "Chen Jing", "gba", name_zh="陈静", desk=("Client onboarding", "Chengdu office")),
    Person("chen-jing-2", "Chen Jing", "gba", name_zh="陈晶", desk=("Wealth connect", "Zhuhai office")),
    Person("li-wei-1", "Li Wei", "lending", name_zh="李伟", desk=("SME loans",)),
    Person("li-wei-2", "Li Wei", "ops", name_zh="李维", desk=("Payments",)),
)
INDEX = PeopleIndex(PEOPLE)


def test_a_family_name_written_first_is_the_family_name():
    assert judged(INDEX, "Mr Tan please") == (CHOOSE, ["tan-ahkow", "tan-ahmeng"])
    assert CHOOSE == judged(INDEX, "Mr Cheung please")[0]
    assert {"cheung-siuming", "cheung-kafai"} <= set(judged(INDEX, "Mr Cheung please")[1])


def test_namesakes_are_asked_about_even_when_written_as_the_directory_writes_them():
    assert judged(INDEX, "Chen Jing") == (CHOOSE, ["chen-jing-1", "chen-jing-2"])
    assert judged(INDEX, "li wei") == (CHOOSE, ["li-wei-1", "li-wei-2"])


def test_a_name_is_no_stem_of_a_longer_desk_word():
    """"Chen" is not Chengdu: it does not tell the two Chen Jings apart."""
    assert judged(INDEX, "Ms Chen please")[0] == CHOOSE
    assert "chen-jing-1" in judged(INDEX, "Chen Jing from the Chengdu office")[1]


def test_the_full_name_still_connects():
    assert connects(INDEX, "Cheung Siu Ming please") == "cheung-siuming"
    assert connects(INDEX, "can I speak to Tan Ah Meng") == "tan-ahmeng"


def test_an_alias_that_is_the_given_name_is_no_full_name():
    """Lau Ka Wai's alias "Ka Wai" is their given name, which 李家伟 (Lee Ka Wai) shares: asked, not connected."""
    index = PeopleIndex((
        Person("lau-kawai", "Lau Ka Wai", "lending", name_zh="刘嘉慧", aliases=("Ka Wai",), desk=("Mortgages",)),
        Person("lee-kelvin", "Kelvin Lee", "sec", name_zh="李家伟", aliases=("Lee Ka Wai",), desk=("Margin",)),
        Person("cheung-siuming", "Cheung Siu Ming", "sec", name_zh="张少明", aliases=("Big Ming",)),
        Person("ho-ming", "Ming Ho", "ops", name_zh="何明"),
    ))
    assert judged(index, "Ka Wai please") == (CHOOSE, ["lau-kawai", "lee-kelvin"])
    assert connects(index, "Lau Ka Wai please") == "lau-kawai"
    assert connects(index, "Big Ming please") == "cheung-siuming"


def test_a_greeting_in_pinyin_names_nobody():
    index = PeopleIndex((Person("chen-hao", "Chen Hao", "gba", name_zh="陈浩"),))
    assert judged(index, "ni hao")[0] != CONNECT
    assert connects(index, "Chen Hao please") == "chen-hao"


def test_a_chinese_alias_that_is_the_given_name_needs_a_name_context():
    """小雨 (light rain) as 黄小雨's alias: the weather is no request for her; 找小雨 is."""
    index = PeopleIndex((Person("huang-xiaoyu", "Huang Xiaoyu", "gba", name_zh="黄小雨", aliases=("小雨", "Rainie")),))
    assert judged(index, "今天下小雨了，出门记得带伞")[0] != CONNECT
    assert connects(index, "找小雨") == "huang-xiaoyu"


HK_NAMES = PeopleIndex((
    Person("ivy", "Ivy Leung Ka Yee", "banca", name_zh="梁嘉怡", desk=("Relationship manager",)),
    Person("yeeman", "Chan Yee Man", "pension", name_zh="陈绮雯", aliases=("Yee Man",), desk=("Employer enrolment",)),
    Person("leo", "Leo Huang", "gba", name_zh="黄立", aliases=("Huang Li",), desk=("Wealth connect",)),
    Person("siewling", "Tan Siew Ling", "general", name_zh="陈秀玲", aliases=("Siew Ling",), desk=("Marine cargo",)),
))


def test_an_english_name_before_the_family_name_and_the_chinese_given_name():
    """Ivy Leung Ka Yee: Leung is the family name, not Yee; Ivy Leung is her too."""
    assert connects(HK_NAMES, "looking for Yee Man") == "yeeman"
    assert connects(HK_NAMES, "Ivy Leung please") == "ivy"
    assert connects(HK_NAMES, "Ms Leung") == "ivy"


def test_a_name_spelt_otherwise_is_two_words_not_one():
    """Li Ng (Huang Li, Huang spelt Ng) is no "Ling"."""
    assert connects(HK_NAMES, "Siew Ling please") == "siewling"


def test_a_familiar_ah_is_no_name_of_its_own():
    """Ah Huat (阿发) is Boon Huat called familiarly; "ah" alone (dim ah: 点呀) names nobody."""
    index = PeopleIndex((Person("huat", "Ng Boon Huat", "insurance", name_zh="黄文发", aliases=("Boon Huat", "Ah Huat"),
                                desk=("Life insurance",)),))
    assert connects(index, "Ah Huat please") == "huat"
    assert judged(index, "dim ah")[1] == []


def test_a_given_name_two_people_share_called_familiarly_is_asked_about():
    """美玲姐: either Mei Ling, whichever the directory gives that alias; 陈美玲 written whole is hers."""
    index = PeopleIndex((Person("wong", "Wong Mei Ling", "care", name_zh="黄美玲", aliases=("美玲姐",),
                                desk=("Complaints",)),
                         Person("chan", "Chan Mei Ling", "loans", name_zh="陈美玲", aliases=("美玲",),
                                desk=("Personal loans",))))
    assert judged(index, "美玲姐呀") == (CHOOSE, ["chan", "wong"])
    assert index.rank("美玲姐呀")[0].person.aad == "wong"
    assert connects(index, "陈美玲") == "chan"


def test_an_alias_in_both_scripts_is_read_as_written():
    """Lim姐 is Siew Ling's alias in the directory, not any Lim."""
    index = PeopleIndex((Person("sl", "Lim Siew Ling", "mortgages", name_zh="林秀玲", aliases=("Lim姐",),
                                desk=("Mortgage advisor",)),
                         Person("ivy", "Ivy Lim", "insurance", name_zh="林慧仪", desk=("Travel insurance",))))
    assert connects(index, "Lim姐你好") == "sl"


# Hokkien, Hakka, Teochew and Wade-Giles spellings of a family name (blind19's first run: Yap Fook Kwai of 叶富贵
# read as a given name "Yap Fook").
SOUTHERN = PeopleIndex((
    Person("yap-fookkwai", "Yap Fook Kwai", "wealth", name_zh="叶富贵", desk=("Relationship Manager, Penang",)),
    Person("yap-bill", "Bill Yap", "cards", name_zh="叶伟明", desk=("Merchant services",)),
    Person("tsai-yiting", "Tsai Yi-ting", "securities", name_zh="蔡宜庭", desk=("Sub-brokerage",)),
    Person("cai-min", "Min Cai", "ops", name_zh="蔡敏", desk=("Payments",)),
    Person("ong-kokwei", "Ong Kok Wei", "executive", name_zh="王国伟", desk=("Chief Investment Officer",)),
    Person("zhang-wei", "Zhang Wei", "executive", name_zh="张伟", desk=("Chief Risk Officer",)),
    Person("lim-weijie", "Lim Wei Jie", "banca", name_zh="林伟杰", desk=("Branch sales",)),
    Person("ong-liping", "Ong Li Ping", "international", name_zh="王丽萍", aliases=("Li Ping",)),
    Person("li-chunhua", "Li Chunhua", "life", name_zh="李春花", desk=("Annuities",)),
    Person("huang-leo", "Leo Huang", "gba", name_zh="黄立", aliases=("Huang Li",)),
    Person("leung-anna", "Anna Leung", "trusts", name_zh="梁安娜", desk=("Trusts",)),
))


def test_a_family_name_spelt_as_the_south_and_taiwan_spell_it_is_written_first():
    assert judged(SOUTHERN, "Mr Yap") == (CHOOSE, ["yap-bill", "yap-fookkwai"])
    assert connects(SOUTHERN, "Yap Fook Kwai") == "yap-fookkwai"
    assert connects(SOUTHERN, "Mr Tsai please") == "tsai-yiting"  # as written, before Min Cai
    assert connects(SOUTHERN, "Ms Tsai Yi-ting") == "tsai-yiting"


def test_a_given_name_is_no_family_name_and_a_title():
    """Wei Jie is 伟杰, someone's given name here, not 魏姐 (Sister Wei); nor is Wei alone Zhang Wei's."""
    assert connects(SOUTHERN, "Wei Jie please") == "lim-weijie"


def test_a_given_name_of_two_words_written_whole_says_more_than_one_of_them():
    """Li Ping is Ong Li Ping's given name (and alias): not Li Chunhua's family name, nor Leo Huang's "Li"."""
    assert connects(SOUTHERN, "Li Ping please") == "ong-liping"


def test_another_spelling_of_the_family_name_is_asked_about():
    """Anna Leong for Anna Leung (梁: Leong in Macau and Malaysia): most likely her, but asked."""
    assert judged(SOUTHERN, "Anna Leong") == (CHOOSE, ["leung-anna"])


def test_without_chinese_characters_a_family_name_may_come_first_or_last():
    """A directory without 中文 names: Tan Mei Ling and Yap Fook Kwai are written family name first, Siu Ming Cheung
    last; both readings are kept, so the family name with a title and the given name alone find them."""
    index = PeopleIndex((
        Person("tan-meiling", "Tan Mei Ling", "ops", desk=("Payments",)),
        Person("yap-fookkwai", "Yap Fook Kwai", "wealth", desk=("Penang clients",)),
        Person("cheung-siuming", "Siu Ming Cheung", "sec", desk=("Securities",)),
    ))
    assert connects(index, "Ms Tan please") == "tan-meiling"
    assert connects(index, "Mr Yap") == "yap-fookkwai"
    assert connects(index, "Mei Ling Tan") == "tan-meiling"
    assert connects(index, "Mr Cheung") == "cheung-siuming"
    assert connects(index, "Siu Ming please") == "cheung-siuming"


def test_a_misspelt_name_starts_as_the_name_does():
    """"is aiming" is one slip from "tsai ming" run together, yet no Tsai Ming (blind21)."""
    index = PeopleIndex((Person("tsai-ming", "Ming Tsai", "brokerage", name_zh="蔡明", desk=("Taiwan stocks",)),
                         Person("lin-jade", "Jade Lin", "trust", desk=("Education trusts",))))
    assert connects(index, "my son is aiming for an Ivy League school, want an education trust for him") == "lin-jade"
    assert connects(index, "Ming Tsia please") == "tsai-ming"
