"""The organizations file: what it builds, and every mistake named with where it is."""
import tomllib
from pathlib import Path

import pytest

from core.config_error import ConfigError
from core.media_fit import MB
from core.organizations import CLOSE, INBOX, Directory, directory_from_mapping
from core.conversation_settings import ConversationSettings
from core.threads import Target

EXAMPLE = Path(__file__).resolve().parents[2] / "organizations.example.toml"


def test_the_example_file_builds_and_policies_layer():
    directory = directory_from_mapping(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")),
                                       ConversationSettings(queue_limit=2))
    hk, sg = directory.get("hk-private-banking"), directory.get("sg-retail")
    assert (hk.conversation.employee_quota, hk.conversation.queue_limit) == (3, 5)  # sub-organization over organization
    assert (sg.conversation.employee_quota, sg.conversation.queue_limit) == (4, 5)  # organization over the environment
    assert directory.of_employee("b0b00000-0000-4000-8000-000000000002") is hk
    assert directory.for_target(Target("channel", hk.inbox.id)) is hk
    assert directory.for_target(Target("channel", "19:unknown@thread.tacv2")) is None
    assert directory.name_of("a11ce000-0000-4000-8000-000000000001") == "Alice Wong"
    assert directory.name_of("ca401000-0000-4000-8000-000000000003", "Teams name") == "Teams name"
    assert (hk.when_last_leaves, sg.when_last_leaves) == (INBOX, CLOSE)
    assert hk.attribute("Alice Wong", "hi") == "Alice Wong: hi"
    assert (hk.media.allowed, sg.media.allowed) == ({"image", "document"}, {"image", "voice", "video"})
    assert (hk.media.limit("video"), sg.media.limit("video"), sg.media.limit("image")) == (50 * MB, 50 * MB, 20 * MB)


def test_every_mistake_is_reported_with_its_place():
    data = {"organizations": [{"id": "c/x", "colour": "red", "sub_organizations": [
        {"id": "hk", "inbox": "general", "max_participants": 0, "attribution": "by", "when_last_leaves": "inbox",
         "employees": [{"aad": "a"}, {"aad": "a"}, {"name": "no id"}], "policy": {"employee_quota": 9}},
        {"id": "hk", "employees": [{"aad": "a"}], "media": {"allow": ["fax"], "max_mb": {"video": 0}, "x": 1}}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    problems = "\n".join(caught.value.problems)
    for expected in (
        "organizations[0].id: required, without",
        "organizations[0].colour: unknown setting",
        "organizations[0].sub_organizations[0].inbox: must be a team channel id",
        "sub_organizations[0].max_participants: must be a whole number from 1 to 50, got 0",
        "sub_organizations[0].attribution: must contain {name}",
        "sub_organizations[0].when_last_leaves: 'inbox' needs an inbox channel",
        "sub_organizations[0].employees[1].aad: a is listed twice",
        "sub_organizations[0].employees[2].aad: required",
        "sub_organizations[0].policy.employee_quota",
        "sub_organizations[1].id: 'hk' is used twice",
        "sub_organizations[1].employees: a is already in hk",
        "sub_organizations[1].media.allow: a list of image, voice, video, document, got ['fax']",
        "sub_organizations[1].media.max_mb.video: a kind",
        "sub_organizations[1].media.x: unknown",
    ):
        assert expected in problems, expected


def test_an_item_of_a_list_that_is_not_a_table_is_named_with_its_place_and_the_others_still_read():
    data = {"official_accounts": ["wx"], "organizations": ["x", {"id": "c", "colour": "red", "sub_organizations": [
        7, {"id": "hk", "employees": ["alice", {"aad": "a", "x": 1}]}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    problems = caught.value.problems
    for expected in ("official_accounts[0]: must be a table", "organizations[0]: must be a table",
                     "organizations[1].sub_organizations[0]: must be a table",
                     "organizations[1].sub_organizations[1].employees[0]: must be a table with aad (and name)"):
        assert expected in problems, expected
    assert "organizations[1].colour: unknown setting (known: " in "\n".join(problems)  # the table after a bad one
    assert "organizations[1].sub_organizations[1].employees[1].x: unknown setting (known: " in "\n".join(problems)


@pytest.mark.parametrize("data", [{}, {"organizations": []}, {"organizations": [{"id": "x"}]}])
def test_an_empty_file_is_refused(data):
    with pytest.raises(ConfigError):
        directory_from_mapping(data)


def test_without_a_file_everyone_is_in_one_sub_organization():
    directory = Directory.open(ConversationSettings(employee_quota=3))
    anyone = directory.of_employee("any-aad")
    assert anyone is not None and anyone.has("someone-else") and anyone.conversation.employee_quota == 3
    assert directory.for_target(Target("channel", "19:any@thread.tacv2")) is anyone


def test_notice_texts_per_organization_and_sub_organization_in_both_languages():
    data = {"organizations": [{"id": "c", "notices": {"welcome_guest": {"en": "Welcome to Contoso. #LEAVE to leave.",
                                                                          "zh-CN": "欢迎。回复 #LEAVE 退出。"}},
                               "sub_organizations": [
                                   {"id": "hk", "employees": [{"aad": "a"}],
                                    "notices": {"welcome_guest": {"en": "HK welcome ({limit} messages, {hours} h)"}}},
                                   {"id": "sg", "employees": [{"aad": "b"}]}]}]}
    directory = directory_from_mapping(data)
    hk, sg = directory.get("hk").notices, directory.get("sg").notices
    assert (hk.render("welcome_guest", "en", limit=4, hours=48, leave_keyword="#LEAVE")
            == "HK welcome (4 messages, 48 h)")
    assert hk.render("welcome_guest", "zh-CN", limit=4, hours=48, leave_keyword="#LEAVE") == "欢迎。回复 #LEAVE 退出。"
    assert sg.render("welcome_guest", "en", limit=4, hours=48, leave_keyword="#LEAVE").startswith("Welcome to Contoso")


def test_wrong_notice_texts_are_named():
    data = {"organizations": [{"id": "c", "notices": {"no_such_notice": {"en": "x"}}, "sub_organizations": [
        {"id": "hk", "employees": [{"aad": "a"}], "notices": {"welcome_guest": {"fr": "Bienvenue",
                                                                                  "en": "Hi {nickname}"}}}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    problems = "\n".join(caught.value.problems)
    assert "organizations[0].notices.'no_such_notice': unknown notice" in problems
    assert "organizations[0].sub_organizations[0].notices.welcome_guest[fr]: unknown language" in problems
    assert "welcome_guest[en]: unknown placeholder(s) {nickname}" in problems


def test_official_accounts_are_checked():
    data = {"official_accounts": [
        {"id": "default", "app_id": "nope", "app_secret_env": "lower", "token_env": "T"},
        {"id": "cn", "app_id": "wxc0ffee0123456789", "app_secret_env": "S", "token_env": "T"},
        {"id": "hk2", "app_id": "wxc0ffee0123456780", "app_secret_env": "S2", "token_env": "T2"}],
        "organizations": [{"id": "c", "sub_organizations": [
            {"id": "mainland", "official_account": "cn", "employees": [{"aad": "a"}]},
            {"id": "x", "official_account": "missing", "employees": [{"aad": "b"}]}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    problems = "\n".join(caught.value.problems)
    for expected in ("official_accounts[0].id: 'default' is the account of the WECHAT_* variables",
                     "official_accounts[0].app_id: must be the Official Account's AppID",
                     "official_accounts[0].app_secret_env: the name of the environment variable",
                     "sub-organization x: official_account 'missing' is not defined",
                     "official account cn: its sub-organizations need an inbox",
                     "official account hk2: no sub-organization uses it"):
        assert expected in problems, expected


def test_dlp_rules_per_organization_and_sub_organization_with_mistakes_located():
    data = {"organizations": [{"id": "c", "dlp": {"rules": [{"name": "cards", "detector": "card", "action": "block"}]},
                               "sub_organizations": [
                                   {"id": "hk", "employees": []},
                                   {"id": "sg", "employees": [], "dlp": {"rules": []}},
                               ]}]}
    hk, sg = directory_from_mapping(data).sub_organizations
    assert hk.dlp.evaluate("4111 1111 1111 1111", "outbound").blocked  # the organization's rules
    assert not sg.dlp.evaluate("4111 1111 1111 1111", "outbound").blocked  # its own: none

    data["organizations"][0]["sub_organizations"][1]["dlp"] = {
        "rules": [{"name": "x", "pattern": "(", "action": "flag"}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    assert any(p.startswith("organizations[0].sub_organizations[1].dlp.rules[0].pattern")
               for p in caught.value.problems)


def test_phone_validation_region_limits_and_employees_numbers():
    data = {"organizations": [{"id": "c", "phone_validation": {"region": "HK", "pins_per_number_per_day": 2},
                               "sub_organizations": [
                                   {"id": "hk", "employees": [{"aad": "a1", "name": "Alice", "phone": "9123 4567"}]},
                                   {"id": "cn", "phone_validation": {"region": "CN", "pin_minutes": 10},
                                    "employees": [{"aad": "b1", "phone": "138 0013 8000"}]},
                                   {"id": "sg", "phone_validation": False, "employees": []},
                               ]}]}
    hk, cn, sg = directory_from_mapping(data).sub_organizations
    assert (hk.validation_region, hk.validation_limits.per_number_per_day) == ("HK", 2)
    assert hk.employee_by_phone("+85291234567") == "a1"  # read in the region, kept as E.164
    assert (cn.validation_region, cn.validation_limits.expiry_seconds) == ("CN", 600)
    assert cn.validation_limits.per_number_per_day == 2 and cn.employee_by_phone("+8613800138000") == "b1"
    assert sg.validation_region is None

    data["organizations"][0]["sub_organizations"][1]["phone_validation"] = {"region": "XX", "pin_minutes": 0,
                                                                            "sms": True}
    data["organizations"][0]["sub_organizations"][0]["employees"][0]["phone"] = "12"
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data)
    problems = "\n".join(caught.value.problems)
    for where in ("sub_organizations[1].phone_validation.pin_minutes", "sub_organizations[1].phone_validation.sms",
                  "sub_organizations[1].phone_validation: true, false or", "sub_organizations[0].employees[0].phone"):
        assert where in problems, where


def test_the_example_directory_file_adds_its_people_and_the_assistant_is_on():
    from adapters.directory_files import load_directory

    directory = load_directory(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")), EXAMPLE.parent,
                               ConversationSettings())
    hk, sg = directory.get("hk-private-banking"), directory.get("sg-retail")
    assert directory.of_employee("a11ce000-0000-4000-8000-000000000011") is hk  # from people.example.csv
    assert directory.name_of("a11ce000-0000-4000-8000-000000000011") == "Grace Chan"
    assert hk.employee_by_phone("+85291234501") == "a11ce000-0000-4000-8000-000000000011"
    assert (hk.routing.max_failed_turns, sg.routing.max_failed_turns) == (3, 3)  # the organization's
    index = directory.people_index(hk)  # the people of the organization on the same Official Account
    assert {e.person.sub_org for e in index.entries} == {"hk-private-banking", "sg-retail"}
    assert directory.person("ca401000-0000-4000-8000-000000000013").desk == ("Mortgage advisor", "Home loans")


def test_people_of_unknown_sub_organizations_or_in_two_of_them_are_refused():
    from core.people import Person

    data = {"organizations": [{"id": "o", "sub_organizations": [
        {"id": "a", "employees": [{"aad": "x1"}]}, {"id": "b"}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data, ConversationSettings(),
                               {"o": (Person("x1", "X One", "b"), Person("x2", "X Two", "nowhere"))})
    problems = "\n".join(caught.value.problems)
    assert "x1 is in b there and in a in the organizations file" in problems
    assert "x2: sub_organization 'nowhere' is not one of its sub-organizations (a, b)" in problems


def test_routing_settings_are_checked():
    data = {"organizations": [{"id": "o", "routing": {"max_failed_turns": 0}, "sub_organizations": [
        {"id": "a", "routing": False}, {"id": "b", "routing": {"turns": 2}}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data, ConversationSettings())
    problems = "\n".join(caught.value.problems)
    assert "organizations[0].routing.max_failed_turns: a whole number from 1 to 10, got 0" in problems
    assert "organizations[0].sub_organizations[1].routing.turns: unknown setting" in problems


def test_routing_may_hide_the_choice_of_colleagues():
    data = {"organizations": [{"id": "o", "routing": {"show_choices": False}, "sub_organizations": [
        {"id": "a"}, {"id": "b", "routing": {"max_failed_turns": 5}}, {"id": "c", "routing": {"show_choices": "no"}}]}]}
    with pytest.raises(ConfigError) as caught:
        directory_from_mapping(data, ConversationSettings())
    assert caught.value.problems == [
        "organizations[0].sub_organizations[2].routing.show_choices: true or false, got 'no'"]
    del data["organizations"][0]["sub_organizations"][2]
    directory = directory_from_mapping(data, ConversationSettings())
    assert directory.get("a").routing.show_choices is False
    assert (directory.get("b").routing.max_failed_turns, directory.get("b").routing.show_choices) == (5, False)


def test_the_routing_assistant_knows_sub_organizations_by_their_names_in_both_languages():
    from core.people import Person
    from core.person_match import CONNECT, verdict

    data = {"organizations": [{"id": "o", "routing": {}, "sub_organizations": [
        {"id": "gm", "name": "Global Markets", "name_zh": "环球市场部"}, {"id": "retail"}]}]}
    directory = directory_from_mapping(data, ConversationSettings(), {"o": (
        Person("t1", "Tom Wu", "gm", desk=("Trader",)), Person("m1", "Mary Lau", "retail", desk=("Trader",)))})
    gm = directory.get("gm")
    assert gm.name_zh == "环球市场部"
    for text in ("想找环球市场部的同事", "a trader in global markets"):
        v = verdict(directory.people_index(gm).rank(text))
        assert (v.kind, v.candidates[0].person.aad) == (CONNECT, "t1"), text
