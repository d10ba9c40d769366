"""Asked when an employee's message could be for more than one WeChat guest: never guess."""
from __future__ import annotations

from typing import Any, Sequence

from cards.common import card, submit, text

VERB = "sendDraft"
MAX_BUTTONS = 5  # beyond that a drop-down reads better than a wall of buttons


def choose_guest_card(*, draft_id: str, preview: str, guests: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """`guests`: (openid, label) pairs, most recent first."""
    shown = preview if len(preview) <= 200 else preview[:199] + "…"
    body = [text("Which WeChat contact is this message for?", weight="Bolder"), text(shown, isSubtle=True)]
    if len(guests) <= MAX_BUTTONS:
        return card(body, [submit(f"Send to {label}", VERB, draft=draft_id, openid=openid) for openid, label in guests])
    body.append({"type": "Input.ChoiceSet", "id": "openid", "isRequired": True, "label": "Contact",
                 "errorMessage": "Choose a contact", "choices": [{"title": label, "value": openid} for openid, label in guests]})
    return card(body, [submit("Send", VERB, draft=draft_id)])
