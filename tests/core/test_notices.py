"""The notice catalogue: the seeds' wording, both languages, and organizations' overrides."""
from __future__ import annotations

import re

import pytest

from core.notices import CATALOGUE, EMPLOYEES, EN, GUEST, KEYS, LANGUAGES, ZH_CN, NoticeError, Notices, \
    normalize_language

CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")

# The seeds' sentences (the product documents this product is modelled on), with the numbers the policy
# fills in. Where the seeds contradict WeChat, WeChat wins: they say WeChat allows "four" replies, and the
# limit reached "after 3 messages"; WeChat's number is 5 (`wechat_quota`), of which the firm lets employees
# use 4 (`employee_quota`), system messages included: the guest is told WeChat's number, the employees
# theirs, the same number everywhere they see it (status card, notices, queue card).
SEED_WORDING = {
    ("welcome_guest", ()):
        "Thank you! You can now start messaging your contact.",
    ("rules_guest", (("limit", 5), ("hours", 48), ("leave_keyword", "#LEAVE"))):
        "Please note, WeChat allows your contact 5 consecutive messages, including system messages, before "
        "requiring a response from you to continue messaging. If the conversation is inactive after 48 hours, "
        "your contact will not be able to send any messages until you send a message. To leave the chat at any "
        "time, reply with #LEAVE.",
    ("welcome_employee", (("limit", 4), ("hours", 48))):
        "Please note, you can send 4 consecutive messages, including system messages, before your contact must "
        "reply to continue messaging. If the conversation is inactive after 48 hours, you will not be able to "
        "send any messages until your contact responds.",
    ("limit_reached", (("count", 3), ("limit", 4))):
        "You have reached the maximum limit of 4 consecutive messages, including system messages, without a "
        "response from your contact. You cannot send any more messages until your contact replies.",
    ("no_reply_24h", (("hours", 24), ("remaining_hours", 24))):
        "Your contact has not responded for 24 hours. If no response is received in the next 24 hours, your "
        "chat will become inactive until your contact replies.",
    ("on_hold", ()):
        "Your contact is unable to send you any more messages, till you respond. Per WeChat Policy, this "
        "conversation is on-hold. Please reply to resume.",
    ("participants_changed", (("hours", 24),)):
        "If you do not reply in the next 24 hours, your contact will not be able to send any more messages. "
        "To keep the chat active, please reply with any message. Please note: Other user(s) have been added "
        "or removed from this chat.",
    ("chat_inactive", (("queue_limit", 5),)):
        "This chat is now inactive. You can queue up to 5 messages to be sent after the WeChat user responds.",
    ("new_messages", (("count", 2),)):
        "You have new messages from this sender. Please reply to the chat to resume the conversation and "
        "receive the latest messages.",
}

# The Teams app's variant of the welcome texts (the second seed): an organization's override.
TEAMS_WORDING = {
    "welcome_employee": {EN: "A WeChat user is contacting you. For chats to remain active:\n"
                             "- You can send up to {limit} messages before the WeChat user must reply.\n"
                             "- WeChat users must reply within {hours} hours.\n"
                             "For inactive chats, your messages will be paused until the WeChat user resumes "
                             "the conversation."},
    "welcome_guest": {EN: "Thank you! You can now start chatting.\n"
                          "This account can only message you while the chat is active. The chat becomes "
                          "inactive if you do not reply:\n- After receiving {limit} messages\n- After {hours} "
                          "hours\nYou can send a message at any time to resume the conversation."},
}


@pytest.mark.parametrize("key, params", [k for k in SEED_WORDING], ids=[k for k, _ in SEED_WORDING])
def test_the_english_defaults_are_the_seeds_wording(key, params):
    assert Notices().render(key, EN, **dict(params)) == SEED_WORDING[(key, params)]


def test_the_seeds_notices_are_all_there():
    assert {
        "welcome_guest", "welcome_employee", "limit_reached", "no_reply_24h", "on_hold", "participants_changed",
        "chat_inactive", "new_messages", "no_template", "queue_full", "queued", "cancelled", "wechat_refused",
        "guest_left", "employee_left", "employee_left_guest",
    } <= KEYS
    assert CATALOGUE["on_hold"].audience == GUEST and CATALOGUE["limit_reached"].audience == EMPLOYEES


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_notice_in_both_languages_with_the_same_placeholders(key):
    spec = CATALOGUE[key]
    assert set(spec.texts) == set(LANGUAGES)
    en, zh = spec.texts[EN], spec.texts[ZH_CN]
    assert set(FIELD.findall(en)) == set(FIELD.findall(zh)) <= spec.placeholders
    assert not CJK.search(en) and CJK.search(zh)
    params = {name: 7 for name in spec.placeholders}
    for lang in LANGUAGES:
        assert "{" not in Notices().render(key, lang, **params)


def test_an_organization_overrides_a_text_by_key_and_language():
    notices = Notices({"on_hold": {ZH_CN: "对话已暂停，请回复以继续。"}, **TEAMS_WORDING})
    assert notices.render("on_hold", ZH_CN) == "对话已暂停，请回复以继续。"
    assert notices.render("on_hold", EN) == SEED_WORDING[("on_hold", ())]  # the other language is untouched
    assert "send up to 5 messages" in notices.render("welcome_employee", EN, limit=5, hours=48)
    assert Notices().render("on_hold", EN) == SEED_WORDING[("on_hold", ())]  # no global state


def test_an_override_may_leave_a_number_out_and_use_literal_braces():
    notices = Notices({"chat_inactive": {EN: "Inactive {{paused}}."}})
    assert notices.render("chat_inactive", EN, queue_limit=5) == "Inactive {paused}."


@pytest.mark.parametrize("overrides, problem", [
    ({"on_hodl": {EN: "x"}}, "'on_hodl': unknown notice"),
    ({"on_hold": {"fr": "x"}}, "on_hold[fr]: unknown language"),
    ({"on_hold": {EN: "   "}}, "on_hold[en]: the text must be a non-empty string"),
    ({"on_hold": {EN: 5}}, "on_hold[en]: the text must be a non-empty string"),
    ({"on_hold": "text"}, "on_hold: expected {language: text}"),
    ({"chat_inactive": {EN: "up to {limit}"}}, "unknown placeholder(s) {limit} (allowed: {queue_limit})"),
    ({"on_hold": {EN: "{count}"}}, "unknown placeholder(s) {count} (allowed: none)"),
    ({"queued": {EN: "{position.__class__}"}}, "must be a plain {name}"),
    ({"queued": {EN: "{position[0]}"}}, "must be a plain {name}"),
    ({"queued": {EN: "{position!r}"}}, "must be a plain {name}"),
    ({"queued": {EN: "{position:>10}"}}, "must be a plain {name}"),
    ({"queued": {EN: "{0} {}"}}, "must be a plain {name}"),
    ({"queued": {EN: "unbalanced {position"}}, "malformed braces"),
])
def test_overrides_are_checked(overrides, problem):
    with pytest.raises(NoticeError) as info:
        Notices(overrides)
    assert problem in str(info.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(NoticeError) as info:
        Notices({"nope": {EN: "x"}, "on_hold": {"de": "x"}, "queued": {EN: "{who}"}})
    message = str(info.value)
    assert "'nope'" in message and "on_hold[de]" in message and "{who}" in message


def test_render_needs_every_value_the_text_uses():
    with pytest.raises(NoticeError, match="missing value.*queue_limit"):
        Notices().render("chat_inactive", EN)
    with pytest.raises(NoticeError, match="unknown notice"):
        Notices().render("nope", EN)
    with pytest.raises(NoticeError, match="unsupported language"):
        Notices().render("on_hold", "fr")


def test_values_are_inserted_as_text_never_interpreted():
    text = Notices().render("employee_left_guest", EN, name="{count} {name.__class__}")
    assert text == "{count} {name.__class__} has left the conversation."


@pytest.mark.parametrize("code, expected", [
    ("zh_CN", ZH_CN), ("zh-cn", ZH_CN), ("zh", ZH_CN), ("zh_TW", ZH_CN), ("en", EN), ("en_US", EN),
    ("EN-gb", EN), ("ja", None), ("", None), (None, None),
])
def test_language_codes_from_wechat_and_teams(code, expected):
    assert normalize_language(code) == expected
    if expected:
        assert Notices().render("on_hold", code) == Notices().render("on_hold", expected)
