"""Data-loss prevention: each detector finds what it should and not what only looks like it; each
action, each direction, in English and Chinese; the record; and every configuration problem named
with where it is."""
import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import dlp
from core.config_error import ConfigError
from core.dlp import (ALLOW, BLOCK, DETECTORS, FLAG, INBOUND, NO_DLP, OUTBOUND, REDACT, DlpPolicy,
                      Finding, Rule, detect, dlp_from_mapping, fold)
from core.dlp.expressions import pattern_spans

AT = "organizations[0].sub_organizations[1].dlp"


def spans(findings):
    return [(f.detector, f.text) for f in findings]


def policy(*rules, phone_region="CN"):
    problems = []
    built = dlp_from_mapping({"phone_region": phone_region, "rules": list(rules)}, AT, problems)
    assert problems == []
    return built


# --- detectors: cards ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("4111 1111 1111 1111", "4111 1111 1111 1111"),  # Visa, in fours
    ("card 4111-1111-1111-1111 thanks", "4111-1111-1111-1111"),
    ("4111111111111111", "4111111111111111"),
    ("5555555555554444", "5555555555554444"),  # Mastercard
    ("Amex 378282246310005.", "378282246310005"),  # 15 digits
    ("Amex 3782 822463 10005", "3782 822463 10005"),  # 4-6-5
    ("银联卡6222021234567890128，请查收", "6222021234567890128"),  # 19 digits, between Chinese
    ("4111 1111 1111 1111 12/25", "4111 1111 1111 1111"),  # the expiry after it is not part of it
])
def test_card_numbers_that_pass_luhn_are_found(text, number):
    assert spans(dlp.card(text)) == [("card", number)]
    found = dlp.card(text)[0]
    assert text[found.start:found.end] == number


@pytest.mark.parametrize("text", [
    "订单号 1234567812345678",  # a 16-digit order number: fails Luhn
    "4111111111111112",  # one digit off
    "4111 1111 1111 1112",
    "1234567812345670",  # passes Luhn, but no payment card starts with 1
    "0000 0000 0000 0000",  # passes Luhn: one digit repeated
    "41111111111111110000",  # 20 digits: a longer number, not a card in it
    "+4111111111111111",  # after +: a phone number's form
    "4111111 1111 1116",  # Luhn-valid, but a group of seven is no card's grouping
    "on 2024-01-05 13800138000",  # a date and a phone number are no card
])
def test_numbers_that_only_look_like_cards_are_not_cards(text):
    assert dlp.card(text) == []


def test_a_16_digit_order_number_is_a_card_only_with_a_valid_check_digit():
    assert dlp.card("order 6234567812345678") == []  # starts as a UnionPay card would, fails Luhn
    assert spans(dlp.card("card 6234567812345679")) == [("card", "6234567812345679")]  # the valid check digit


def test_a_card_in_full_width_digits_is_found_and_quoted_as_written():
    text = "卡号：４１１１　１１１１　１１１１　１１１１。"  # full-width digits, ideographic spaces
    assert spans(dlp.card(text)) == [("card", "４１１１　１１１１　１１１１　１１１１")]


# --- detectors: Chinese resident identity numbers ----------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("11010519491231002X", "11010519491231002X"),  # GB 11643's own example
    ("身份证号：11010519491231002x。", "11010519491231002x"),  # lower-case x
    ("ID 310115200002291526 ok", "310115200002291526"),  # born 29 February 2000
    ("511702198704153215", "511702198704153215"),
])
def test_chinese_id_numbers_with_a_valid_check_digit_and_date_are_found(text, number):
    assert spans(dlp.cn_id(text)) == [("cn_id", number)]


@pytest.mark.parametrize("text", [
    "110105194912310021",  # check digit wrong (X expected)
    "511702198704153214",
    "110105199002301231",  # check digit right, 30 February
    "440524188001010014",  # check digit right, born 1880
    "111010519491231002X",  # 19 characters: part of a longer number
    "01010519491231002X",  # 18 characters starting with 0: no area code does
])
def test_chinese_id_numbers_with_a_wrong_check_digit_or_date_are_not_found(text):
    assert dlp.cn_id(text) == []


# --- detectors: Hong Kong identity numbers -----------------------------------------------------------

@pytest.mark.parametrize("number", [
    "A123456(3)",  # 36·9 + 10·8 + 1·7 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 = 481; 481 mod 11 = 8; 11 - 8 = 3
    "G123456(A)",  # 529 mod 11 = 1: check 10, written A
    "C123456(9)",
    "L555555(0)",  # 627 mod 11 = 0: check 11, written 0
    "AB987654(3)",  # 10·9 + 11·8 + 9·7 + 8·6 + 7·5 + 6·4 + 5·3 + 4·2 = 371; 371 mod 11 = 8; 11 - 8 = 3
    "AB123456(9)",
    "G123456A",  # without brackets
    "A123456 (3)",
])
def test_hong_kong_id_numbers_with_a_valid_check_digit_are_found(number):
    assert spans(dlp.hkid(f"香港身份证{number}，谢谢")) == [("hkid", number)]


def test_hong_kong_id_in_full_width_brackets_is_found():
    assert spans(dlp.hkid("身份证A123456（3）")) == [("hkid", "A123456（3）")]


@pytest.mark.parametrize("text", [
    "G123456(3)",  # check digit wrong
    "AB987654(2)",  # check digit wrong (3 is right)
    "A1234564",
    "ABC123456(7)",  # three letters
    "a123456(3)",  # printed in capitals only
    "A12345(3)",  # five digits
])
def test_hong_kong_id_numbers_with_a_wrong_check_digit_or_shape_are_not_found(text):
    assert dlp.hkid(text) == []


# --- detectors: IBAN ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("IBAN GB82 WEST 1234 5698 7654 32, thanks", "GB82 WEST 1234 5698 7654 32"),
    ("GB82WEST12345698765432", "GB82WEST12345698765432"),
    ("账户：DE89 3704 0044 0532 0130 00。", "DE89 3704 0044 0532 0130 00"),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
    ("CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
    ("NL91ABNA0417164300", "NL91ABNA0417164300"),
    ("BE68 5390 0754 7034 EUR", "BE68 5390 0754 7034"),  # 16 for Belgium: the currency after it is not in it
])
def test_ibans_with_a_valid_check_are_found(text, number):
    assert spans(dlp.iban(text)) == [("iban", number)]


@pytest.mark.parametrize("text", [
    "GB82 WEST 1234 5698 7654 33",  # mod 97 is not 1
    "GB82 WEST 1234 5698 7654",  # too short for Great Britain (22)
    "DE89 3704 0044 0532 0130 0012",  # too long for Germany, no group edge at 22
    "gb82 west 1234 5698 7654 32",  # printed in capitals only
    "HK45 3456 7890 1234 5678 0",  # mod 97 is 1, but Hong Kong has no IBAN
])
def test_ibans_with_a_wrong_check_or_length_are_not_found(text):
    assert dlp.iban(text) == []


# --- detectors: phone numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("请致电 +86 138 0013 8000。", "+86 138 0013 8000"),
    ("手机13800138000谢谢", "13800138000"),  # no country code: read as Chinese
    ("WhatsApp +852 9123 4567 please", "+852 9123 4567"),
    ("London office +44 20 7946 0958", "+44 20 7946 0958"),
    ("电话：１３８００１３８０００。", "１３８００１３８０００"),  # full-width digits
])
def test_phone_numbers_are_found(text, number):
    assert spans(dlp.phone(text)) == [("phone", number)]


@pytest.mark.parametrize("text", ["call 10086", "on 2024-01-05", "12345", "room 1203", "9123 4567"])
def test_short_numbers_dates_and_foreign_local_numbers_are_not_phones(text):
    assert dlp.phone(text) == []  # 9123 4567 is no Chinese number …


def test_the_phone_region_reads_local_numbers():
    assert spans(dlp.phone("9123 4567", "HK")) == [("phone", "9123 4567")]  # … but a Hong Kong one
    assert dlp.phone("13800138000", "HK") == []


# --- detectors: e-mail addresses ----------------------------------------------------------------------

@pytest.mark.parametrize("text, address", [
    ("write to john.doe@example.com.", "john.doe@example.com"),
    ("张三的邮箱是zhang.san@example.com.cn，谢谢", "zhang.san@example.com.cn"),
    ("mailto:first+tag@mail.example.org", "first+tag@mail.example.org"),
    ("13800138000@qq.com", "13800138000@qq.com"),
])
def test_email_addresses_are_found(text, address):
    assert spans(dlp.email(text)) == [("email", address)]


@pytest.mark.parametrize("text", ["a@b", "a@b.c", "user@localhost", "@example.com", "john@.com", "price 5@10"])
def test_what_is_no_email_address_is_not_found(text):
    assert dlp.email(text) == []


# --- precedence ------------------------------------------------------------------------------------------

def test_a_numeric_email_address_is_not_also_a_phone_number():
    text = "邮箱 13800138000@qq.com"
    assert spans(dlp.phone(text)) == [("phone", "13800138000")]  # on its own the matcher sees one
    assert spans(detect(text)) == [("email", "13800138000@qq.com")]


def test_an_id_number_that_also_passes_luhn_is_an_id_number():
    number = "440304199001010249"
    assert spans(dlp.card(number)) == [("card", number)] and spans(dlp.cn_id(number)) == [("cn_id", number)]
    assert spans(detect(number)) == [("cn_id", number)]
    assert spans(detect(number, ["card"])) == []  # what a span is does not depend on what is asked


def test_the_digits_of_an_iban_are_not_a_card():
    assert spans(detect("DE89 3704 0044 0532 0130 00")) == [("iban", "DE89 3704 0044 0532 0130 00")]


def test_detect_names_every_detector_in_text_order_and_refuses_unknown_ones():
    text = "卡 4111111111111111 身份证 11010519491231002X 邮箱 a.b@example.com 手机 13800138000"
    assert [f.detector for f in detect(text)] == ["card", "cn_id", "email", "phone"]
    with pytest.raises(ValueError, match="unknown detector"):
        detect(text, ["passport"])


def test_a_phone_rule_does_not_act_on_a_numeric_email_address():
    verdict = policy({"name": "phones", "detector": "phone", "action": "redact"}).evaluate(
        "我的QQ邮箱13800138000@qq.com", OUTBOUND)
    assert verdict.action == ALLOW and verdict.delivered == "我的QQ邮箱13800138000@qq.com"


# --- actions -------------------------------------------------------------------------------------------

def test_redact_masks_each_found_span_and_keeps_the_rest():
    verdict = policy({"name": "phones", "detector": "phone", "action": "redact"}).evaluate(
        "Call me on 13800138000 or +852 9123 4567 tomorrow", OUTBOUND)
    assert verdict.action == REDACT
    assert verdict.delivered == "Call me on *********** or ************** tomorrow"
    assert [(f.rule, f.start, f.end, f.action) for f in verdict.findings] == [
        ("phones", 11, 22, REDACT), ("phones", 26, 40, REDACT)]
    assert verdict.rules == ("phones",) and not verdict.blocked and not verdict.flagged


def test_block_delivers_nothing_and_tells_the_sender_why_in_english_and_chinese():
    verdict = policy({"name": "no-cards", "detector": "card", "action": "block"}).evaluate(
        "my card is 4111 1111 1111 1111", OUTBOUND)
    assert verdict.action == BLOCK and verdict.blocked and verdict.delivered is None
    assert verdict.reason("en") == "Your message was not sent: it contains a payment card number (rule 'no-cards')."
    assert verdict.reason("zh-CN") == "您的消息未发送：其中包含银行卡号（规则“no-cards”）。"
    assert verdict.reason("zh_CN") == verdict.reason("zh-cn") == verdict.reason("zh-CN")
    assert verdict.reason("fr") == verdict.reason(None) == verdict.reason("en")
    assert all("4111" not in text for text in verdict.reasons.values())  # never repeats what it found


def test_block_names_every_blocking_rule_and_uses_their_own_reasons():
    verdict = policy(
        {"name": "no-cards", "detector": "card", "action": "block"},
        {"name": "no-ids", "detector": "cn_id", "action": "block"},
        {"name": "hk", "detector": "hkid", "action": "block",
         "reason": {"en": "Hong Kong ID numbers stay off WeChat.", "zh-CN": "请勿通过微信发送香港身份证号码。"}},
        {"name": "phones", "detector": "phone", "action": "redact"},
    ).evaluate("4111111111111111 11010519491231002X A123456(3) 13800138000", INBOUND)
    assert verdict.reason("en") == ("Your message was not sent: it contains a payment card number (rule 'no-cards') "
                                    "and a Chinese resident identity card number (rule 'no-ids'); "
                                    "Hong Kong ID numbers stay off WeChat.")
    assert verdict.reason("zh-CN") == ("您的消息未发送：其中包含银行卡号（规则“no-cards”）、"
                                       "居民身份证号码（规则“no-ids”）；请勿通过微信发送香港身份证号码。")
    assert verdict.rules == ("no-cards", "no-ids", "hk", "phones") and verdict.delivered is None


def test_a_reason_given_once_is_used_in_every_language():
    verdict = policy({"name": "acct", "pattern": r"ACCT-\d{8}", "action": "block",
                      "reason": "Account numbers go through the portal"}).evaluate("ACCT-12345678", OUTBOUND)
    assert verdict.reason("en") == "Your message was not sent: Account numbers go through the portal."
    assert verdict.reason("zh-CN") == "您的消息未发送：Account numbers go through the portal。"


def test_flag_delivers_unchanged_and_alerts():
    text = "这个产品保证收益，稳赚不赔！"
    verdict = policy({"name": "guarantees", "lexicon": ["guaranteed return", "保证收益", "稳赚"],
                      "direction": "outbound", "action": "flag"}).evaluate(text, OUTBOUND)
    assert verdict.action == FLAG and verdict.flagged and verdict.delivered == text
    assert spans(verdict.findings) == [("lexicon", "保证收益"), ("lexicon", "稳赚")]
    assert verdict.reason() is None


def test_nothing_found_is_allowed_as_it_is():
    verdict = policy({"name": "no-cards", "detector": "card", "action": "block"}).evaluate("你好 hello", INBOUND)
    assert (verdict.action, verdict.delivered, verdict.findings, verdict.rules) == (ALLOW, "你好 hello", (), ())
    assert verdict.reason() is None and not verdict.flagged


def test_an_allow_rule_exempts_the_firms_own_hotline():
    verdict = policy(
        {"name": "hotline", "pattern": r"400-820-8820", "action": "allow"},
        {"name": "phones", "detector": "phone", "action": "redact"},
    ).evaluate("热线 400-820-8820 或我的手机 13800138000", OUTBOUND)
    assert verdict.delivered == "热线 400-820-8820 或我的手机 ***********"
    assert verdict.action == REDACT and verdict.rules == ("hotline", "phones")
    assert [(f.rule, f.action, f.text) for f in verdict.findings] == [
        ("hotline", ALLOW, "400-820-8820"), ("phones", REDACT, "13800138000")]


def test_an_allow_rule_exempts_only_findings_wholly_inside_what_it_found():
    rules = ({"name": "tail", "pattern": r"8000", "action": "allow"},  # touches the number, does not cover it
             {"name": "phones", "detector": "phone", "action": "block"})
    verdict = policy(*rules).evaluate("13800138000", OUTBOUND)
    assert verdict.action == BLOCK and verdict.rules == ("phones",)


def test_an_allow_rule_that_exempts_nothing_does_not_act():
    verdict = policy({"name": "hotline", "pattern": r"400-820-8820", "action": "allow"},
                     {"name": "no-cards", "detector": "card", "action": "block"}
                     ).evaluate("hotline 400-820-8820", INBOUND)
    assert verdict.action == ALLOW and verdict.rules == () and verdict.findings == ()


def test_the_strongest_action_wins_and_every_rule_acts():
    rules = ({"name": "guarantees", "lexicon": ["guaranteed return"], "action": "flag"},
             {"name": "phones", "detector": "phone", "action": "redact"},
             {"name": "no-cards", "detector": "card", "action": "block"})
    redacted = policy(*rules).evaluate("Guaranteed return! Call 13800138000", OUTBOUND)
    assert redacted.action == REDACT and redacted.flagged
    assert redacted.delivered == "Guaranteed return! Call ***********"
    blocked = policy(*rules).evaluate("Guaranteed return! Call 13800138000, card 4111111111111111", OUTBOUND)
    assert blocked.action == BLOCK and blocked.delivered is None and blocked.flagged
    assert blocked.rules == ("guarantees", "phones", "no-cards")


def test_overlapping_redactions_mask_their_union():
    verdict = policy({"name": "a", "pattern": r"ACCT-\d{4}", "action": "redact"},
                     {"name": "b", "pattern": r"\d{4}-X", "action": "redact"}).evaluate("id ACCT-1234-X end", INBOUND)
    assert verdict.delivered == "id *********** end"


# --- directions -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("direction, inbound_acts, outbound_acts", [
    ("inbound", True, False), ("outbound", False, True), ("both", True, True)])
def test_a_rule_acts_only_in_its_direction(direction, inbound_acts, outbound_acts):
    rules = policy({"name": "ids", "detector": "cn_id", "direction": direction, "action": "redact"})
    text = "身份证11010519491231002X"
    assert (rules.evaluate(text, INBOUND).action == REDACT) is inbound_acts
    assert (rules.evaluate(text, OUTBOUND).action == REDACT) is outbound_acts
    assert rules.evaluate(text, INBOUND).delivered == ("身份证" + "*" * 18 if inbound_acts else text)


def test_a_rule_without_direction_acts_both_ways():
    rules = policy({"name": "no-cards", "detector": "card", "action": "block"})
    assert rules.evaluate("4111111111111111", INBOUND).blocked and rules.evaluate("4111111111111111", OUTBOUND).blocked


def test_each_direction_has_its_own_rules():
    rules = policy({"name": "out", "detector": "email", "direction": "outbound", "action": "block"},
                   {"name": "in", "detector": "email", "direction": "inbound", "action": "flag"})
    assert rules.evaluate("a.b@example.com", OUTBOUND).rules == ("out",)
    assert rules.evaluate("a.b@example.com", INBOUND).rules == ("in",)


def test_a_message_goes_inbound_or_outbound():
    with pytest.raises(ValueError, match="direction"):
        NO_DLP.evaluate("hi", "both")


def test_no_dlp_allows_everything():
    verdict = NO_DLP.evaluate("4111111111111111 11010519491231002X", OUTBOUND)
    assert verdict.action == ALLOW and verdict.delivered == "4111111111111111 11010519491231002X"


# --- English and Chinese: lexicons and normalisation ---------------------------------------------------

GUARANTEES = {"name": "guarantees", "lexicon": ["guaranteed return", "sure", "保证收益", "稳赚"], "action": "flag"}


@pytest.mark.parametrize("text, found", [
    ("这个产品稳赚不赔", ["稳赚"]),  # a Chinese term inside a sentence without spaces
    ("A GUARANTEED RETURN of 8%", ["GUARANTEED RETURN"]),  # any case
    ("a guaranteed\n  return", ["guaranteed\n  return"]),  # any whitespace between its words
    ("我们guaranteed return的产品", ["guaranteed return"]),  # English right next to Chinese
    ("ＧＵＡＲＡＮＴＥＥＤ ＲＥＴＵＲＮ", ["ＧＵＡＲＡＮＴＥＥＤ ＲＥＴＵＲＮ"]),  # full-width, quoted as written
    ("I am sure.", ["sure"]),
    ("we are assured, surely", []),  # English terms are words: not inside other words
    ("unsure", []),
    ("guaranteed returns", []),
    ("保证金和收益", []),
])
def test_lexicons_match_english_words_and_chinese_anywhere(text, found):
    verdict = policy(GUARANTEES).evaluate(text, OUTBOUND)
    assert [f.text for f in verdict.findings] == found


def test_a_full_width_card_number_is_redacted_in_place():
    text = "卡号４１１１ １１１１ １１１１ １１１１谢谢"
    verdict = policy({"name": "cards", "detector": "card", "action": "redact"}).evaluate(text, INBOUND)
    assert verdict.delivered == "卡号" + "*" * 19 + "谢谢" and len(verdict.delivered) == len(text)
    assert verdict.findings[0].text == "４１１１ １１１１ １１１１ １１１１"


def test_folding_makes_each_compatibility_form_one_character_or_keeps_it():
    text = "４１１１　ＡＢＣ（３），你好㎏ﬁ"
    assert fold(text) == "4111 ABC(3),你好㎏ﬁ"  # ㎏ and ﬁ would become two characters: kept
    assert len(fold(text)) == len(text) and fold("plain ascii") == "plain ascii"


# --- patterns -------------------------------------------------------------------------------------------

def test_a_pattern_is_found_anywhere_in_a_long_message():
    text = "x" * 900 + " ACCT-12345678 " + "y" * 3000 + " ACCT-87654321"  # the first straddles a window edge
    verdict = policy({"name": "acct", "pattern": r"ACCT-\d{8}", "action": "redact"}).evaluate(text, OUTBOUND)
    assert [(f.start, f.text) for f in verdict.findings] == [(901, "ACCT-12345678"), (3916, "ACCT-87654321")]
    assert "ACCT" not in verdict.delivered and len(verdict.delivered) == len(text)


SHORT = re.compile(r"a[bc ]{0,10}a|c[bc]{1,11}")  # matches of at most 12 characters: not longer than the overlap


def test_a_window_searches_on_from_where_the_last_match_ended():
    text = "x" * 15 + "abbbbbbbbba" + "bbbba" + "x" * 20  # a match at 15-26, taken by the first window
    assert pattern_spans(SHORT, text, window=32, overlap=12) == [(15, 26)]  # not also 25-31


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abc ", min_size=33, max_size=300))
def test_windows_find_what_one_search_of_the_whole_text_finds(text):
    whole = [m.span() for m in SHORT.finditer(text)]
    assert pattern_spans(SHORT, text, window=32, overlap=12) == whole


# --- the record -----------------------------------------------------------------------------------------

def test_the_record_keeps_the_original_what_was_delivered_and_the_rules_that_acted():
    text = "卡号４１１１１１１１１１１１１１１１，手机13800138000"
    verdict = policy({"name": "cards", "detector": "card", "action": "redact"},
                     {"name": "phones", "detector": "phone", "direction": "inbound", "action": "flag"}
                     ).evaluate(text, INBOUND)
    record = verdict.to_record()
    assert record == {
        "direction": "inbound", "action": "redact", "original": text,
        "delivered": "卡号" + "*" * 16 + "，手机13800138000", "rules": ["cards", "phones"],
        "findings": [
            {"rule": "cards", "detector": "card", "action": "redact", "start": 2, "end": 18,
             "text": "４１１１１１１１１１１１１１１１"},
            {"rule": "phones", "detector": "phone", "action": "flag", "start": 21, "end": 32, "text": "13800138000"}]}
    assert all(record["original"][f["start"]:f["end"]] == f["text"] for f in record["findings"])


def test_a_blocked_record_delivers_nothing():
    record = policy({"name": "no-cards", "detector": "card", "action": "block"}).evaluate(
        "4111111111111111", OUTBOUND).to_record()
    assert record["delivered"] is None and record["action"] == BLOCK and record["original"] == "4111111111111111"


# --- configuration --------------------------------------------------------------------------------------

EXAMPLE = r'''
[organizations.sub_organizations.dlp]
phone_region = "HK"
rules = [
  { name = "no-cards", detector = "card", direction = "both", action = "block" },
  { name = "ids", detector = "cn_id", direction = "outbound", action = "redact" },
  { name = "guarantees", lexicon = ["guaranteed return", "保证收益", "稳赚"], direction = "outbound", action = "flag" },
  { name = "acct", pattern = "ACCT-\\d{8}", direction = "both", action = "redact" },
]
'''


def test_the_example_configuration_builds_its_rules():
    data = tomllib.loads(EXAMPLE)["organizations"]["sub_organizations"]["dlp"]
    problems = []
    built = dlp_from_mapping(data, AT, problems)
    assert problems == []
    assert built.phone_region == "HK"
    assert [(r.name, r.kind, r.direction, r.action) for r in built.rules] == [
        ("no-cards", "card", "both", "block"), ("ids", "cn_id", "outbound", "redact"),
        ("guarantees", "lexicon", "outbound", "flag"), ("acct", "pattern", "both", "redact")]
    assert built.rules[2].lexicon == ("guaranteed return", "保证收益", "稳赚")
    verdict = built.evaluate("ACCT-12345678 稳赚 11010519491231002X", OUTBOUND)
    assert verdict.delivered == "*" * 13 + " 稳赚 " + "*" * 18 and verdict.flagged


def test_no_dlp_table_is_no_dlp():
    problems = []
    assert dlp_from_mapping(None, AT, problems) is NO_DLP and problems == []
    assert dlp_from_mapping({}, AT, problems) == DlpPolicy() and problems == []


@pytest.mark.parametrize("rule, problem", [
    ({"name": "x", "detector": "card", "action": "block", "colour": "red"},
     f"{AT}.rules[0].colour: unknown setting"),
    ({"name": "x", "detector": "passport", "action": "block"}, f"{AT}.rules[0].detector: unknown detector 'passport'"),
    ({"name": "x", "detector": "card", "direction": "sideways", "action": "block"},
     f"{AT}.rules[0].direction: must be one of inbound, outbound, both, got 'sideways'"),
    ({"name": "x", "detector": "card", "action": "delete"},
     f"{AT}.rules[0].action: must be one of allow, redact, block, flag, got 'delete'"),
    ({"name": "x", "detector": "card"}, f"{AT}.rules[0].action: must be one of"),
    ({"name": "x", "action": "block"}, f"{AT}.rules[0]: needs exactly one of detector, lexicon or pattern, got none"),
    ({"name": "x", "detector": "card", "pattern": "x+", "action": "block"},
     f"{AT}.rules[0]: needs exactly one of detector, lexicon or pattern, got detector and pattern"),
    ({"detector": "card", "action": "block"}, f"{AT}.rules[0].name: required"),
    ({"name": "x", "pattern": "ACCT-(\\d{8}", "action": "block"},
     f"{AT}.rules[0].pattern: invalid regular expression: missing ), unterminated subpattern"),
    ({"name": "x", "pattern": "\\d*", "action": "block"}, f"{AT}.rules[0].pattern: matches the empty text"),
    ({"name": "x", "pattern": "(\\w+\\s?)+$", "action": "block"},
     f"{AT}.rules[0].pattern: an unbounded repetition inside another"),
    ({"name": "x", "lexicon": [], "action": "flag"}, f"{AT}.rules[0].lexicon: must be a non-empty list of terms"),
    ({"name": "x", "lexicon": "稳赚", "action": "flag"}, f"{AT}.rules[0].lexicon: must be a non-empty list of terms"),
    ({"name": "x", "lexicon": ["ok", " "], "action": "flag"}, f"{AT}.rules[0].lexicon[1]: must be a non-empty text"),
    ({"name": "x", "detector": "card", "action": "redact", "reason": "no"},
     f"{AT}.rules[0].reason: only a blocking rule tells the sender why"),
    ({"name": "x", "detector": "card", "action": "block", "reason": {"en": "No cards."}},
     f"{AT}.rules[0].reason: missing in zh-CN"),
    ({"name": "x", "detector": "card", "action": "block", "reason": {"en": "No.", "zh-CN": "不。", "fr": "Non."}},
     f"{AT}.rules[0].reason.fr: unknown language"),
    ("card", f"{AT}.rules[0]: must be a table"),
])
def test_each_rule_problem_is_reported_with_its_location(rule, problem):
    problems = []
    built = dlp_from_mapping({"rules": [rule]}, AT, problems)
    assert len(problems) == 1 and problems[0].startswith(problem), problems
    assert built.rules == ()  # an invalid rule is left out (and the caller raises)


@pytest.mark.parametrize("data, problem", [
    ({"rules": [], "enabled": True}, f"{AT}.enabled: unknown setting (known: phone_region, rules)"),
    ({"rules": {"name": "x"}}, f"{AT}.rules: must be a list of tables"),
    ({"phone_region": "XX"}, f"{AT}.phone_region: must be a region code libphonenumber knows"),
    ({"phone_region": 852}, f"{AT}.phone_region: must be a region code"),
    ("card", f"{AT}: must be a table"),
])
def test_each_table_problem_is_reported_with_its_location(data, problem):
    problems = []
    dlp_from_mapping(data, AT, problems)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_every_problem_is_reported_at_once_and_duplicate_names_point_at_the_first():
    problems = []
    built = dlp_from_mapping({"phone_region": "hk", "rules": [
        {"name": "cards", "detector": "card", "action": "block"},
        {"name": "cards", "detector": "phone", "action": "redact"},
        {"name": "bad", "pattern": "[", "action": "flag"},
        {"name": "ok", "lexicon": ["稳赚"], "direction": "inbound", "action": "flag"},
    ]}, AT, problems)
    assert [p.split(":")[0] for p in problems] == [f"{AT}.rules[1].name", f"{AT}.rules[2].pattern"]
    assert problems[0] == f"{AT}.rules[1].name: 'cards' is used twice (also at {AT}.rules[0].name)"
    assert [r.name for r in built.rules] == ["cards", "ok"] and built.phone_region == "HK"


def test_a_location_without_a_prefix_starts_at_the_key():
    problems = []
    dlp_from_mapping({"rules": [{"name": "x", "detector": "nope", "action": "block"}]}, "", problems)
    assert problems[0].startswith("rules[0].detector: unknown detector")


@pytest.mark.parametrize("pattern, refused", [
    (r"(a+)+$", True), (r"(?:[A-Z]+\s)+", True), (r"(\d*)*x", True), (r"(?:x|(?:ab+)){2,}", True),
    (r"(?:[A-Z]++\s)+", False), (r"(?>a+)+", False), (r"(\d{3}-)+\d{4}", False), (r"ACCT-\d{8}", False),
    (r"[A-Z]+\s[0-9]+", False), (r"(?:ab+)?c", False),
])
def test_nested_unbounded_repetitions_are_refused(pattern, refused):
    problems = []
    dlp_from_mapping({"rules": [{"name": "p", "pattern": pattern, "action": "flag"}]}, AT, problems)
    assert bool(problems) is refused, problems


def test_rules_and_policies_built_directly_are_validated_too():
    with pytest.raises(ConfigError) as caught:
        Rule("x", "sideways", "block", detector="card")
    assert caught.value.problems == ["rule 'x': direction: must be one of inbound, outbound, both, got 'sideways'"]
    with pytest.raises(ConfigError, match="used twice"):
        DlpPolicy((Rule("x", "both", "block", detector="card"), Rule("x", "both", "flag", detector="email")))
    with pytest.raises(ConfigError, match="phone_region"):
        DlpPolicy(phone_region="Mars")
    rule = Rule("acct", "both", "redact", pattern=r"ACCT-\d{8}")
    assert DlpPolicy((rule,)).evaluate("ACCT-12345678", INBOUND).delivered == "*" * 13


def test_the_detectors_are_named_in_their_order_of_precedence():
    assert DETECTORS == ("iban", "cn_id", "card", "hkid", "email", "phone")
    assert isinstance(dlp.card("4111111111111111")[0], Finding)
