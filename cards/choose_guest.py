"""Asked when an employee's message could be for more than one WeChat guest: never guess.

Once a contact is chosen the bot updates the card in place: the outcome instead of the buttons."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import card, fill, fill_runs, literal, rich, submit, text

VERB = "sendDraft"
MAX_BUTTONS = 5  # beyond that a drop-down reads better than a wall of buttons
PREVIEW_CHARS = 200


@dataclass(frozen=True)
class ChooseTexts:
    question: str       # also the card's summary
    send_to: str        # a button: {guest}
    contact: str        # the drop-down's label
    choose: str         # the drop-down's error message
    send: str           # the drop-down's button
    sent: str           # the outcome: {guest}, shown literally


@dataclass(frozen=True)
class ChooseView:
    draft_id: str
    preview: str                            # the employee's message ("" if no longer known)
    guests: Sequence[tuple[str, str]]       # (openid, label) pairs, most recent first
    texts: ChooseTexts
    sent_to: str | None = None              # done: the label of the guest it went to
    refused: str = ""                       # done: why it did not go (our text)


def choose_guest_card(view: ChooseView) -> dict[str, Any]:
    t = view.texts
    shown = view.preview if len(view.preview) <= PREVIEW_CHARS else view.preview[:PREVIEW_CHARS - 1] + "…"
    body = [text(t.question, weight="Bolder")]
    if shown:
        body.append(rich([literal(shown, isSubtle=True)], id="choose-preview"))
    if view.sent_to is not None:
        return card(body + [rich(fill_runs(t.sent, {"guest": view.sent_to}, style={"color": "Good"}),
                                 id="choose-outcome")], summary=t.question)
    if view.refused:
        return card(body + [text(view.refused, id="choose-outcome", color="Attention")], summary=t.question)
    if len(view.guests) <= MAX_BUTTONS:
        return card(body, [submit(fill(t.send_to, guest=label), VERB, draft=view.draft_id, openid=openid)
                           for openid, label in view.guests], summary=t.question)
    choices = [{"title": label, "value": openid} for openid, label in view.guests]
    body.append({"type": "Input.ChoiceSet", "id": "openid", "isRequired": True, "label": t.contact,
                 "errorMessage": t.choose, "choices": choices})
    return card(body, [submit(t.send, VERB, draft=view.draft_id)], summary=t.question)
