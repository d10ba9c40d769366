"""Who may use a typed command or a card's button: the rights that bots/commands.py's and
bots/card_actions.py's tables name for each.

ENABLED and ADMIN are checked here, before anything runs. The others need the guest's conversation,
so what runs checks them, with it (the service named); they are in the tables so that who may do
what reads in one place.
"""
from __future__ import annotations

import logging
from enum import Enum, auto

from bots.turn import Turn
from services.enablement import NOT_ENABLED

log = logging.getLogger(__name__)


class Who(Enum):
    ENABLED = auto()  # an employee WeChat is enabled for
    ADMIN = auto()  # an administrator (WeChat enabled for them or not)
    PARTICIPANT = auto()  # an employee taking part in the guest's conversation (services/participants.py)
    IN_THE_CHAT = auto()  # anyone in the chat where the guest's conversation lives (services/outbound.py)
    WHO_ASKED = auto()  # the employee who pressed Leave conversation, taking part still (services/participants.py)


ANYONE: tuple[Who, ...] = ()


async def refused(turn: Turn, who: tuple[Who, ...]) -> bool:
    """Whether the employee of this turn lacks a right checked here; if so, they were told."""
    if Who.ADMIN in who and not turn.services.enablement.is_admin(turn.aad):
        log.warning("refused something for administrators to someone who is not one")
        await turn.say(turn.texts("teams_admins_only"))
        return True
    if Who.ENABLED in who and not await turn.services.enablement.allows(turn.aad):
        log.info("refused WeChat to an employee it is not enabled for")
        await turn.say(turn.texts(NOT_ENABLED))
        return True
    return False
