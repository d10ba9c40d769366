"""The notice posted to the employees when a WeChat user starts a chat: WeChat's rules, in numbers."""
from __future__ import annotations

from typing import Any

from cards.common import actions_from, card, fill, fill_runs, guest_header, rich, text
from cards.views import PolicyNoticeView


def policy_notice_card(view: PolicyNoticeView) -> dict[str, Any]:
    t = view.texts
    numbers = {"max_messages": view.max_messages, "window_hours": view.window_hours}
    who = view.guest.name or view.guest.phone or t.guest.unnamed
    body = [
        guest_header(view.guest, t.guest, id_prefix="notice"),
        rich(fill_runs(t.intro, {"guest": who}, literal_style={"weight": "Bolder"}, **numbers), id="notice-intro"),
        text(f"- {fill(t.rule_count, **numbers)}\r- {fill(t.rule_time, **numbers)}", id="notice-rules"),
        text(fill(t.paused, **numbers), id="notice-paused", isSubtle=True),
    ]
    return card(body, actions_from(view.actions))
