"""Leave Conversation: the button on the live card, and the confirmation it asks for.

The button (`LEAVE`) only brings this card; the thread is left when its button (`CONFIRM_LEAVE`)
is pressed, or not when Cancel (`CANCEL_LEAVE`) is. All carry the thread and its generation,
checked by the bot against who pressed and where: a card from an earlier assignment of the guest,
or naming another chat's thread, is refused. Once answered, the card shows the outcome instead of
its buttons (the bot updates it in place).
"""
from __future__ import annotations

from typing import Any

from cards.common import card, fill_runs, guest_header, rich, submit
from cards.views import CardAction, LeaveOutcome, LeaveView

LEAVE = "leaveConversation"          # data: {verb, thread: <openid>, generation}
CONFIRM_LEAVE = "confirmLeave"       # data: {verb, thread: <openid>, generation, by: <AAD id of who asked>}
CANCEL_LEAVE = "cancelLeave"         # data: as CONFIRM_LEAVE


def leave_action(openid: str, generation: int, title: str) -> CardAction:
    return CardAction(title, LEAVE, {"thread": openid, "generation": generation})


def leave_confirm_card(view: LeaveView) -> dict[str, Any]:
    t = view.texts
    name = {"guest": view.guest.name or t.guest.unnamed}
    after = (t.to_inbox if view.to_inbox else t.closes) if view.last else t.others_stay
    body = [guest_header(view.guest, t.guest, id_prefix="leave"),
            rich(fill_runs(t.question, name, style={"weight": "Bolder"}), id="leave-question")]
    outcome = {LeaveOutcome.LEFT: t.left, LeaveOutcome.STAYED: t.stayed}.get(LeaveOutcome(view.outcome))
    if outcome is not None:
        body.append(rich(fill_runs(outcome, name, style={"weight": "Bolder", "color": "Accent"}), id="leave-outcome",
                         spacing="Small"))
        return card(body, summary=t.summary)
    body += [rich(fill_runs(t.told, name), id="leave-told", spacing="Small"),
             rich(fill_runs(after, name, style={"isSubtle": True}), id="leave-after", spacing="Small")]
    data = {"thread": view.guest.openid, "generation": view.generation, "by": view.by}
    return card(body, [submit(t.leave, CONFIRM_LEAVE, **data), submit(t.cancel, CANCEL_LEAVE, **data)],
                summary=t.summary)
