"""The buttons pressed on Adaptive Cards: each verb (the `verb` of the button's data), who may press
it, and what it does. A card whose button was acted on is updated in place with the outcome
instead of its buttons (bots/turn.py: Turn.replace_card)."""
from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from bots.activity import pressed_card
from bots.permissions import Who, refused
from bots.turn import Turn
from cards.admin import ADMIN, ADMIN_SET, ADMIN_SET_TYPED, PERSON_INPUT, admin_card
from cards.choose_guest import VERB as SEND_DRAFT, ChooseTexts, ChooseView, choose_guest_card
from cards.contacts import OPEN_THREAD
from cards.leave import CANCEL_LEAVE, CONFIRM_LEAVE, LEAVE, leave_confirm_card
from cards.queue import CANCEL_QUEUED
from cards.views import Guest, LeaveOutcome, LeaveTexts, LeaveView
from cards.warning import SEND_AGAIN
from services.outbound import Queued, Refused
from services.participants import NOT_VALID, LeaveCheck
from services.thread_cards import unconfirmed_card
from services.teams_texts import texts_of

log = logging.getLogger(__name__)

Value = dict[str, Any]  # the pressed button's data, its verb included


async def _admin(turn: Turn, value: Value) -> None:
    """An administrators' card button: the card, updated in place with what it did."""
    admin, typed = turn.services.admin, str(value.get(PERSON_INPUT) or "")
    said = "" if value["verb"] == ADMIN else await admin.act(turn.aad or "", value, turn.texts, typed)
    await turn.replace_card(admin_card(await admin.view(turn.texts, said)))


async def _send_draft(turn: Turn, value: Value) -> None:
    """A contact chosen for a message: the "which contact?" card shows where it went (or why not)."""
    if not isinstance(value.get("draft"), str) or not isinstance(value.get("openid"), str):
        await turn.say(turn.texts(NOT_VALID))
        return
    outcome = await turn.services.outbound.submit_draft(turn.activity.conversation.id, value["draft"],
                                                        value["openid"], turn.aad or "")
    done = ChooseView(draft_id=value["draft"], preview="", guests=(), texts=turn.texts.card(ChooseTexts))
    if isinstance(outcome, Queued):
        await turn.replace_card(choose_guest_card(dataclasses.replace(
            done, preview=outcome.text, sent_to=outcome.thread.label)))
    elif isinstance(outcome, Refused) and outcome.stale:
        await turn.say(outcome.reason)  # pressed again: the card already says what happened
    elif isinstance(outcome, Refused):
        await turn.replace_card(choose_guest_card(dataclasses.replace(done, refused=outcome.reason)))


async def _open(turn: Turn, value: Value) -> None:
    """`find` → Open (repeatable: each press makes the contact's card the latest in its conversation)."""
    await turn.say(await turn.services.contacts.open(turn.aad or "", value.get("thread")))


async def _about_a_message(turn: Turn, value: Value, act: Callable[..., Awaitable[Refused | None]]) -> str | None:
    """A button about one message of a conversation (`thread`, `message` in its data): `act`
    carried out, or the employee told why not. The conversation's openid, when it was."""
    openid, message_id = value.get("thread"), value.get("message")
    if not isinstance(openid, str) or not isinstance(message_id, str):
        await turn.say(turn.texts(NOT_VALID))
        return None
    by = turn.activity.from_property
    refusal = await act(turn.activity.conversation.id, openid, message_id, by.name or "", by.aad_object_id or "")
    if refusal is not None:
        await turn.say(refusal.reason)
        return None
    return openid


async def _cancel_queued(turn: Turn, value: Value) -> None:
    """Cancel on the queue card: the policy cancels it and updates the live card (a second press is
    told `not_queued`). A Cancel pressed on an older copy also turns that copy into a pointer."""
    services = turn.services
    openid = await _about_a_message(turn, value, services.outbound.cancel)
    pressed, found = pressed_card(turn.activity), await services.threads.get(openid) if openid else None
    if found and pressed and pressed != found[0].status_activity_id:
        await services.live_cards.retire_live_card(found[0], pressed)


async def _send_again(turn: Turn, value: Value) -> None:
    """Send again, on a message whose delivery WeChat did not confirm: the policy sends it (or
    queues it) as a new message; the card then says it was sent again, without its button (a
    second press is told there is nothing to send again)."""
    services = turn.services
    openid = await _about_a_message(turn, value, functools.partial(services.outbound.send_again,
                                                                   press=turn.activity.id or ""))
    found = await services.threads.get(openid) if openid else None
    if found is not None:
        await turn.replace_card(unconfirmed_card(found[0], value["message"], services.directory.get(found[0].sub_org),
                                                 sent_again=True))


async def leave(turn: Turn, value: Value) -> None:
    """Leave Conversation: the live card's button asks to confirm; the confirmation leaves (or,
    Cancel, does not), and then shows what it did. It is bound to who asked for it (a colleague
    pressing it is refused); pressed again, the employee is told it was done. (Also the `leave`
    command's, bots/commands.py.)"""
    participants, verb, aad = turn.services.participants, value["verb"], turn.aad or ""
    if verb != LEAVE and value.get("by") != aad:
        log.warning("refused a Leave confirmation pressed by someone else than who asked for it")
        await turn.say(turn.texts(NOT_VALID))
        return
    check = await participants.check_leave(turn.activity.conversation.id, value.get("thread"),
                                           value.get("generation"), aad, confirming=verb != LEAVE)
    if isinstance(check, str):
        await turn.say(check)
        return
    view = _leave_view(turn, check, aad)
    if verb == LEAVE:
        await turn.send_card(leave_confirm_card(view))
        return
    if verb == CONFIRM_LEAVE:
        await participants.leave(check)  # both sides are told by the policy's notices
    outcome = LeaveOutcome.LEFT if verb == CONFIRM_LEAVE else LeaveOutcome.STAYED
    await turn.replace_card(leave_confirm_card(dataclasses.replace(view, outcome=outcome)))


def _leave_view(turn: Turn, check: LeaveCheck, aad: str) -> LeaveView:
    thread, services = check.thread, turn.services
    return LeaveView(guest=Guest(thread.openid, thread.nickname or None), generation=thread.generation,
                     last=check.last, to_inbox=check.last and services.participants.returns_to_inbox(thread), by=aad,
                     texts=texts_of(services.directory.get(thread.sub_org)).card(LeaveTexts))


@dataclass(frozen=True)
class CardAction:
    who: tuple[Who, ...]  # who may press it (bots/permissions.py)
    run: Callable[[Turn, Value], Awaitable[None]]


CARD_ACTIONS: dict[str, CardAction] = {
    ADMIN: CardAction((Who.ADMIN,), _admin),
    ADMIN_SET: CardAction((Who.ADMIN,), _admin),
    ADMIN_SET_TYPED: CardAction((Who.ADMIN,), _admin),
    SEND_DRAFT: CardAction((Who.ENABLED,), _send_draft),
    OPEN_THREAD: CardAction((Who.ENABLED,), _open),
    CANCEL_QUEUED: CardAction((Who.IN_THE_CHAT,), _cancel_queued),
    SEND_AGAIN: CardAction((Who.IN_THE_CHAT,), _send_again),
    LEAVE: CardAction((Who.PARTICIPANT,), leave),
    CONFIRM_LEAVE: CardAction((Who.WHO_ASKED,), leave),
    CANCEL_LEAVE: CardAction((Who.WHO_ASKED,), leave),
}


async def act(turn: Turn, value: Value) -> None:
    """A card's button pressed: carried out for whom may press it; else they are told why not."""
    verb = value.get("verb")
    action = CARD_ACTIONS.get(verb) if isinstance(verb, str) else None
    if action is None:
        log.warning("refused a card action %r in %s", verb, turn.activity.conversation.id)
        await turn.say(turn.texts(NOT_VALID))
    elif not await refused(turn, action.who):
        await action.run(turn, value)
