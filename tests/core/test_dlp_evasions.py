"""DLP against the usual ways of writing around it, in both directions, in English and Chinese: each case
is found, quoted as the message wrote it, and masked exactly where it matched."""
from __future__ import annotations

import unicodedata

import pytest

from core.dlp import BLOCK, INBOUND, OUTBOUND, REDACT, dlp_from_mapping
from core.dlp.folding import _INVISIBLE, numbers, words

ZWSP, SHY, ZWJ, LRM, VS16 = "\u200b", "\u00ad", "\u200d", "\u200e", "\ufe0f"
CARD, CN_ID = "4111111111111111", "11010519491231002X"

RULES = [
    {"name": "cards", "detector": "card", "direction": "both", "action": "redact"},
    {"name": "ids", "detector": "cn_id", "direction": "both", "action": "redact"},
    {"name": "phones", "detector": "phone", "direction": "both", "action": "redact"},
    {"name": "promises", "lexicon": ["guaranteed return", "保证收益", "稳赚不赔"], "direction": "both",
     "action": "redact"},
]


def policy():
    problems: list[str] = []
    built = dlp_from_mapping({"phone_region": "CN", "rules": RULES}, "dlp", problems)
    assert problems == []
    return built


# (what the message says, the part of it a rule must find, that rule)
CASES = [
    # invisible characters inside what a rule looks for
    (f"card 4111{ZWSP}1111{ZWSP}1111{ZWSP}1111 ok", f"4111{ZWSP}1111{ZWSP}1111{ZWSP}1111", "cards"),
    (f"卡号4111{SHY}111111111111，谢谢", f"4111{SHY}111111111111", "cards"),
    (f"身份证 110105{ZWSP}19491231002X", f"110105{ZWSP}19491231002X", "ids"),
    (f"id {LRM}11010519491231{ZWJ}002X{LRM}", f"11010519491231{ZWJ}002X", "ids"),
    (f"a guaran{ZWSP}teed return", f"guaran{ZWSP}teed return", "promises"),
    (f"保{ZWSP}证收益百分之十", f"保{ZWSP}证收益", "promises"),
    (f"稳{VS16}赚不赔", f"稳{VS16}赚不赔", "promises"),
    # separators inside numbers
    ("card 4111.1111.1111.1111", "4111.1111.1111.1111", "cards"),
    ("card 4111/1111/1111/1111", "4111/1111/1111/1111", "cards"),
    ("card 4111_1111_1111_1111", "4111_1111_1111_1111", "cards"),
    ("card 4111 1111-1111.1111", "4111 1111-1111.1111", "cards"),  # mixed
    ("身份证 110105 19491231 002X", "110105 19491231 002X", "ids"),  # 6-8-4
    ("身份证 110105-1949-1231-002X", "110105-1949-1231-002X", "ids"),  # 6-4-4-4
    ("call 138_0013_8000", "138_0013_8000", "phones"),
    # Traditional Chinese against a Simplified lexicon
    ("保證收益百分之十", "保證收益", "promises"),
    ("我們穩賺不賠", "穩賺不賠", "promises"),
    # look-alike letters
    ("a guar\u0430nteed return", "guar\u0430nteed return", "promises"),  # Cyrillic а
    ("GUARANT\u0395ED RETURN", "GUARANT\u0395ED RETURN", "promises"),  # Greek Ε
    # digits written as Chinese numerals
    ("电话一三八零零一三八零零零", "一三八零零一三八零零零", "phones"),
    ("手机幺三八〇〇幺三八〇〇〇", "幺三八〇〇幺三八〇〇〇", "phones"),
    ("卡号肆壹壹壹壹壹壹壹壹壹壹壹壹壹壹壹", "肆壹壹壹壹壹壹壹壹壹壹壹壹壹壹壹", "cards"),
    # full-width, upper case, doubled spaces (caught before; kept caught)
    ("ＧＵＡＲＡＮＴＥＥＤ  return", "ＧＵＡＲＡＮＴＥＥＤ  return", "promises"),
]


@pytest.mark.parametrize("direction", [INBOUND, OUTBOUND])
@pytest.mark.parametrize("text, found, rule", CASES)
def test_an_evasion_is_found_quoted_as_written_and_masked_where_it_matched(text, found, rule, direction):
    verdict = policy().evaluate(text, direction)
    assert verdict.action == REDACT and rule in verdict.rules
    finding = next(f for f in verdict.findings if f.rule == rule)
    assert finding.text == found and text[finding.start:finding.end] == found
    start = text.index(found)
    assert verdict.delivered == text[:start] + "*" * len(found) + text[start + len(found):]


@pytest.mark.parametrize("text", [
    "一二三四五六七八九十",  # counting is no number
    "我们一定会保证服务质量",  # 保证 without 收益
    "收益保证金",  # the words, not the phrase
    "4111.1111",  # a version, a price: too short for anything
    "2024.01.05 at 13:00",
    "guaranteed returns are never promised here",  # "returns" is not listed: terms are matched as written
])
def test_what_only_resembles_an_evasion_passes(text):
    assert policy().evaluate(text, OUTBOUND).rules == ()


def test_a_blocked_evasion_is_blocked_in_both_languages():
    built = dlp_from_mapping({"rules": [{"name": "no-cards", "detector": "card", "direction": "both",
                                                  "action": "block"}]}, "dlp", [])
    verdict = built.evaluate(f"4111.1111.1111.11{ZWSP}11", OUTBOUND)
    assert verdict.action == BLOCK and verdict.delivered is None
    assert "payment card" in verdict.reason("en") and "银行卡号" in verdict.reason("zh-CN")


def test_the_views_keep_where_each_character_was():
    text = f"a{ZWSP}b{SHY}{SHY}c"
    view = words(text)
    assert view.text == "abc" and view.original(1, 3) == (2, 6) and view.original(0, 1) == (0, 1)
    assert numbers("一二").text == "12" and words("一二").text == "一二"  # numerals only where numbers are read


def test_the_invisible_characters_are_the_format_characters_of_this_python_and_the_listed_others():
    format_chars = {chr(c) for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert all(_INVISIBLE.fullmatch(c) for c in format_chars)
    visible = [chr(c) for c in range(0x20, 0x3000) if _INVISIBLE.fullmatch(chr(c)) and chr(c) not in format_chars]
    assert visible == ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180c", "\u180d", "\u180f"]
