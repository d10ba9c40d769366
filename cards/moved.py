"""What an older copy of a conversation's live card becomes when a newer one is posted (`find` →
Open, `queue`): a pointer to the latest, without buttons, so only one copy is ever live."""
from __future__ import annotations

from typing import Any

from cards.common import card, guest_header, text
from cards.views import MovedView


def moved_card(view: MovedView) -> dict[str, Any]:
    t = view.texts
    return card([guest_header(view.guest, t.guest, id_prefix="moved"),
                 text(t.text, id="moved-text", isSubtle=True)], summary=t.text)
