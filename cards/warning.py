"""A notice that needs the employees' attention, as the policy worded it, under the guest's header:
the warning when the guest has been silent for a while (24 h by default), and a message whose
delivery WeChat did not confirm (with Send again)."""
from __future__ import annotations

from typing import Any

from cards.common import actions_from, card, guest_header, text
from cards.views import CardAction, WarningView

SEND_AGAIN = "sendAgain"  # Action.Submit verb; data: {verb, thread: <openid>, message: <message id>}


def send_again_action(openid: str, message_id: str, title: str) -> CardAction:
    return CardAction(title, SEND_AGAIN, {"thread": openid, "message": message_id})


def warning_card(view: WarningView) -> dict[str, Any]:
    body = [guest_header(view.guest, view.texts.guest, id_prefix="warning"),
            text(view.text, id="warning-text", color="Warning")]
    return card(body, actions_from(view.actions), summary=view.text)
