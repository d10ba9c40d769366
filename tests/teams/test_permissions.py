"""Who may use each typed command and each card button (bots/permissions.py), as the two tables say."""
from __future__ import annotations

from bots.card_actions import CARD_ACTIONS
from bots.commands import COMMANDS, RELAY_WHO
from bots.permissions import Who
from cards.admin import ADMIN, ADMIN_SET, ADMIN_SET_TYPED
from cards.choose_guest import VERB as SEND_DRAFT
from cards.contacts import OPEN_THREAD
from cards.leave import CANCEL_LEAVE, CONFIRM_LEAVE, LEAVE
from cards.queue import CANCEL_QUEUED
from cards.warning import SEND_AGAIN

ENABLED, ADMIN_ONLY = (Who.ENABLED,), (Who.ADMIN,)


def test_who_may_type_each_command():
    assert {c.name: c.who for c in COMMANDS} == {
        "help": (), "admin": ADMIN_ONLY, "qr": ENABLED, "queue": ENABLED, "find": ENABLED,
        "leave": (Who.ENABLED, Who.PARTICIPANT), "add": (Who.ENABLED, Who.PARTICIPANT)}
    assert RELAY_WHO == ENABLED  # a line for a guest


def test_who_may_press_each_button():
    assert {verb: action.who for verb, action in CARD_ACTIONS.items()} == {
        ADMIN: ADMIN_ONLY, ADMIN_SET: ADMIN_ONLY, ADMIN_SET_TYPED: ADMIN_ONLY,
        SEND_DRAFT: ENABLED, OPEN_THREAD: ENABLED,
        CANCEL_QUEUED: (Who.IN_THE_CHAT,), SEND_AGAIN: (Who.IN_THE_CHAT,),
        LEAVE: (Who.PARTICIPANT,), CONFIRM_LEAVE: (Who.WHO_ASKED,), CANCEL_LEAVE: (Who.WHO_ASKED,)}


def test_every_right_is_named_by_a_table():
    named = {w for c in COMMANDS for w in c.who} | {w for a in CARD_ACTIONS.values() for w in a.who}
    assert named == set(Who)
