"""The warning to the employees when the guest has been silent for a while (24 h by default)."""
from __future__ import annotations

from typing import Any

from cards.common import actions_from, card, fill, guest_header, text
from cards.views import WarningView


def warning_card(view: WarningView) -> dict[str, Any]:
    t = view.texts
    body = [
        guest_header(view.guest, t.guest, id_prefix="warning"),
        text(fill(t.text, silent_hours=view.silent_hours, hours_left=view.hours_left),
             id="warning-text", color="Warning"),
    ]
    return card(body, actions_from(view.actions))
