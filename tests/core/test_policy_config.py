"""The messaging policy as data: WeChat's defaults, firms' choices, clear errors."""
from __future__ import annotations

import pytest

from core.config_error import ConfigError
from core.conversation_settings import ConversationSettings


def test_the_defaults_are_wechat_today():
    p = ConversationSettings()
    assert (p.window_seconds, p.warning_after_seconds) == (48 * 3600, 24 * 3600)
    assert (p.wechat_quota, p.employee_quota, p.reserved) == (5, 4, 1)
    assert (p.event_quota, p.event_window_seconds) == (3, 60)
    assert (p.queue_limit, p.template_id, p.leave_keyword) == (5, None, "#LEAVE")
    assert (p.guest_language, p.employee_language) == ("zh-CN", "en")


@pytest.mark.parametrize("quota", [3, 4, 5])
def test_firms_choose_how_many_messages_employees_may_use(quota):
    p = ConversationSettings.from_mapping({"employee_quota": quota})
    assert p.employee_quota == quota and p.reserved == 5 - quota


def test_from_mapping_takes_config_data_as_it_comes():
    p = ConversationSettings.from_mapping({
        "window_seconds": "172800", "warning_after_seconds": 86400, "wechat_quota": "20", "employee_quota": 18.0,
        "queue_limit": " 10 ", "template_id": "  ", "guest_language": "zh_CN", "employee_language": "en-US",
    })
    assert (p.window_seconds, p.wechat_quota, p.employee_quota, p.queue_limit) == (172800.0, 20, 18, 10)
    assert p.template_id is None and (p.guest_language, p.employee_language) == ("zh-CN", "en")
    assert ConversationSettings.from_mapping(p.to_mapping()) == p
    assert ConversationSettings.from_mapping({"template_id": "tpl-1"}).template_id == "tpl-1"


@pytest.mark.parametrize("data, problem", [
    ({"employee_quota": 0}, "employee_quota: must be a whole number from 1 to wechat_quota (5), got 0"),
    ({"employee_quota": 6}, "employee_quota: must be a whole number from 1 to wechat_quota (5), got 6"),
    ({"wechat_quota": 3, "employee_quota": 4}, "from 1 to wechat_quota (3), got 4"),
    ({"wechat_quota": 0}, "wechat_quota: must be a whole number of at least 1"),
    ({"employee_quota": 3.5}, "employee_quota: expected a whole number"),
    ({"employee_quota": "four"}, "employee_quota: expected a whole number, got 'four'"),
    ({"queue_limit": True}, "queue_limit: expected a whole number, got a boolean"),
    ({"queue_limit": -1}, "queue_limit: must be a whole number of at least 0"),
    ({"event_quota": -1}, "event_quota: must be a whole number of at least 0"),
    ({"window_seconds": 0}, "window_seconds: must be a positive number of seconds"),
    ({"window_seconds": "2 days"}, "window_seconds: expected a number of seconds, got '2 days'"),
    ({"event_window_seconds": float("nan")}, "event_window_seconds: must be a positive number"),
    ({"warning_after_seconds": 48 * 3600}, "warning_after_seconds: must be less than window_seconds"),
    ({"template_id": 12}, "template_id: expected text or nothing, got int"),
    ({"guest_language": "fr"}, "guest_language: must be one of en, zh-CN, got 'fr'"),
    ({"employee_language": 1}, "employee_language: expected text, got int"),
    ({"leave_keyword": " #LEAVE"}, "leave_keyword: must be a non-empty text without surrounding spaces"),
    ({"queue_limt": 5}, "queue_limt: unknown setting (known: window_seconds,"),
])
def test_invalid_policies_are_refused_with_a_clear_error(data, problem):
    with pytest.raises(ConfigError) as info:
        ConversationSettings.from_mapping(data)
    assert problem in str(info.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as info:
        ConversationSettings.from_mapping({"queue_limt": 5, "employee_quota": "x", "window_seconds": False})
    assert len(info.value.problems) == 3


def test_an_invalid_policy_cannot_be_built_directly_either():
    with pytest.raises(ConfigError, match="employee_quota"):
        ConversationSettings(employee_quota=6)
    with pytest.raises(ConfigError, match="template_id"):
        ConversationSettings(template_id="")
