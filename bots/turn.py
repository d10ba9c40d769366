"""One activity being answered: the services the bot's handlers call, and how they answer in the
employee's words (the notice catalogue's, services/teams_texts.py)."""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ErrorResponseException

from adapters.teams.chats import activity_of
from bots.activity import base_channel_id, pressed_card
from core.clock import Clock
from core.organizations import Directory
from core.teams_chats import TeamsPost
from core.threads import Target
from services.admin_panel import AdminPanel
from services.contacts import Contacts
from services.enablement import EnablementService
from services.interrupted_starts import InterruptedStarts
from services.jobs import JobQueue
from services.live_cards import LiveCards
from services.outbound import OutboundService
from services.participants import ParticipantService
from services.qr_codes import QrCodes
from services.teams_texts import TeamsTexts, employee_texts, texts_of
from services.threads import ThreadStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What the bot's handlers call (bots/bridge_bot.py's BridgeBot gets them)."""
    threads: ThreadStore
    outbound: OutboundService
    participants: ParticipantService
    queue: JobQueue
    qr_codes: QrCodes
    clock: Clock
    enablement: EnablementService
    admin: AdminPanel
    contacts: Contacts
    directory: Directory
    live_cards: LiveCards
    interrupted_starts: InterruptedStarts


@dataclass(frozen=True)
class Turn:
    context: TurnContext
    services: Services

    @property
    def activity(self) -> Activity:
        return self.context.activity

    @property
    def aad(self) -> str | None:
        """Who wrote or pressed: their AAD object id."""
        return self.activity.from_property.aad_object_id

    @functools.cached_property
    def texts(self) -> TeamsTexts:
        """The employee's words here: those of the sub-organization whose inbox this channel is, else
        of the employee's own sub-organization (else the default)."""
        directory = self.services.directory
        if self.activity.conversation.conversation_type == "channel":
            sub = directory.for_target(Target("channel", base_channel_id(self.activity.conversation.id)))
            if sub is not None:
                return texts_of(sub)
        return employee_texts(directory, self.aad)

    async def say(self, text: str) -> None:
        await self.context.send_activity(MessageFactory.text(text))

    async def send_card(self, card: dict[str, Any]) -> None:
        await self.context.send_activity(activity_of(TeamsPost(card=card)))

    async def replace_card(self, card: dict[str, Any]) -> None:
        """The card whose button was pressed, updated in place; sent anew if Teams did not name it
        (or it is gone)."""
        pressed = pressed_card(self.activity)
        if pressed:
            replacement = activity_of(TeamsPost(card=card))
            replacement.id = pressed
            try:
                await self.context.update_activity(replacement)
                return
            except ErrorResponseException as exc:
                log.info("the pressed card could not be updated (%s): sent anew", type(exc).__name__)
        await self.send_card(card)
