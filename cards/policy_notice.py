"""The notice posted to the employees when a WeChat user starts a chat: who, and WeChat's rules (the
`welcome_employee` notice, as the policy worded it, numbers and organization's words included)."""
from __future__ import annotations

from typing import Any

from cards.common import actions_from, card, fill_runs, guest_header, rich, text
from cards.views import PolicyNoticeView


def policy_notice_card(view: PolicyNoticeView) -> dict[str, Any]:
    t = view.texts
    who = view.guest.name or view.guest.phone or t.guest.unnamed
    body = [
        guest_header(view.guest, t.guest, id_prefix="notice"),
        rich(fill_runs(t.intro, {"guest": who}, literal_style={"weight": "Bolder"}), id="notice-intro"),
        text(view.text, id="notice-rules"),
    ]
    return card(body, actions_from(view.actions), summary=view.text)
