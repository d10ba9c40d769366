"""Leave Conversation: the button on the live card, and the confirmation it asks for.

The button (`LEAVE`) only brings this card; the thread is left when its button (`CONFIRM_LEAVE`)
is pressed. Both carry the thread and its generation, checked by the bot against who pressed and
where: a card from an earlier assignment of the guest, or naming another chat's thread, is refused.
"""
from __future__ import annotations

from typing import Any

from cards.common import card, fill_runs, guest_header, rich, submit
from cards.views import CardAction, LeaveView

LEAVE = "leaveConversation"          # data: {verb, thread: <openid>, generation}
CONFIRM_LEAVE = "confirmLeave"       # data: {verb, thread: <openid>, generation, by: <AAD id of who asked>}


def leave_action(openid: str, generation: int, title: str = "Leave conversation") -> CardAction:
    return CardAction(title, LEAVE, {"thread": openid, "generation": generation})


def leave_confirm_card(view: LeaveView) -> dict[str, Any]:
    t = view.texts
    name = {"guest": view.guest.name or t.guest.unnamed}
    after = (t.to_inbox if view.to_inbox else t.closes) if view.last else t.others_stay
    body = [
        guest_header(view.guest, t.guest, id_prefix="leave"),
        rich(fill_runs(t.question, name, style={"weight": "Bolder"}), id="leave-question"),
        rich(fill_runs(t.told, name), id="leave-told", spacing="Small"),
        rich(fill_runs(after, name, style={"isSubtle": True}), id="leave-after", spacing="Small"),
    ]
    return card(body, [submit(t.leave, CONFIRM_LEAVE, thread=view.guest.openid, generation=view.generation,
                              by=view.by)])
