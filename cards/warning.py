"""The warning to the employees when the guest has been silent for a while (24 h by default): the
`no_reply_24h` notice, as the policy worded it, under the guest's header."""
from __future__ import annotations

from typing import Any

from cards.common import actions_from, card, guest_header, text
from cards.views import WarningView


def warning_card(view: WarningView) -> dict[str, Any]:
    body = [guest_header(view.guest, view.texts.guest, id_prefix="warning"),
            text(view.text, id="warning-text", color="Warning")]
    return card(body, actions_from(view.actions), summary=view.text)
