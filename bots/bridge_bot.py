"""The Teams side: turns activities into calls on the services. No WeChat rules live here.

This module dispatches; the others of bots/ answer one question each: where the bot may post
(installation.py), which lines are commands and what each does (commands.py), what a card's button
does (card_actions.py), who may do which (permissions.py), the message extension
(message_extension.py). A message is a command or goes to a guest, never both; in a team channel
only those that @mention the bot or are in a WeChat contact's thread are for it. Every text an
employee reads comes from the notice catalogue, in their sub-organization's language
(services/teams_texts.py, through bots/turn.py).
"""
from __future__ import annotations

import logging

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount
from botbuilder.schema.teams import MessagingExtensionQuery, MessagingExtensionResponse

from adapters.teams.references import reference_from_activity
from bots import card_actions, commands
from bots.activity import base_channel_id, mentions_bot, plain_text
from bots.attachments import attachments_of
from bots.installation import Installation
from bots.message_extension import contacts_found
from bots.permissions import refused
from bots.turn import Services, Turn
from cards.choose_guest import ChooseTexts, ChooseView, choose_guest_card
from core.clock import Clock
from core.organizations import Directory
from core.outgoing_media import kind_of, label
from services.admin_panel import AdminPanel
from services.contacts import Contacts
from services.enablement import EnablementService
from services.interrupted_starts import InterruptedStarts
from services.jobs import JobQueue
from services.live_cards import LiveCards
from services.outbound import Choose, OutboundService, Refused, TeamsMessage
from services.participants import ParticipantService
from services.qr_codes import QrCodes
from services.threads import ThreadStore

log = logging.getLogger(__name__)


class BridgeBot(TeamsActivityHandler):
    def __init__(self, *, threads: ThreadStore, outbound: OutboundService, participants: ParticipantService,
                 queue: JobQueue, qr_codes: QrCodes, clock: Clock, enablement: EnablementService,
                 admin: AdminPanel, contacts: Contacts, directory: Directory, live_cards: LiveCards,
                 interrupted_starts: InterruptedStarts) -> None:
        self.services = Services(threads=threads, outbound=outbound, participants=participants, queue=queue,
                                 qr_codes=qr_codes, clock=clock, enablement=enablement, admin=admin,
                                 contacts=contacts, directory=directory, live_cards=live_cards,
                                 interrupted_starts=interrupted_starts)
        self.installation = Installation(threads=threads, queue=queue, clock=clock)

    def _turn(self, turn_context: TurnContext) -> Turn:
        return Turn(turn_context, self.services)

    # -- installed, added ---------------------------------------------------------------------------

    async def on_installation_update(self, turn_context: TurnContext):
        await self.installation.remember(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext):
        await self.installation.remember(turn_context)
        return await super().on_conversation_update_activity(turn_context)

    async def on_teams_members_added(self, members_added: list[ChannelAccount], team_info, turn_context: TurnContext):
        bot_id = turn_context.activity.recipient.id
        personal = turn_context.activity.conversation.conversation_type == "personal"
        if personal and any(m.id == bot_id for m in members_added):
            await commands.show_help(self._turn(turn_context))

    # -- messages -------------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext):
        activity = turn_context.activity
        if activity.from_property and activity.recipient and activity.from_property.id == activity.recipient.id:
            return  # our own message, never echoed back
        if (activity.channel_data or {}).get("wechatBridge"):
            return
        await self.installation.remember(turn_context)
        turn = self._turn(turn_context)
        if isinstance(activity.value, dict) and activity.value.get("verb"):
            await card_actions.act(turn, activity.value)
            return
        if not await self._for_the_bot(activity):
            await self._maybe_a_first_copy(turn)
            return
        text = plain_text(activity)
        written = commands.as_written(text)
        parsed = commands.parse_command(text) if written is None else None
        if parsed is not None:
            await commands.run(turn, parsed)
        elif not await refused(turn, commands.RELAY_WHO):
            await self._relay(turn, text if written is None else written)

    async def _for_the_bot(self, activity: Activity) -> bool:
        """With resource-specific consent (the inbox needs it) the bot receives every message of every
        channel of its teams: there, only those that @mention it or are in a WeChat contact's thread
        (the employees' answers; closed since, they are still told so) are for it."""
        if activity.conversation.conversation_type != "channel" or mentions_bot(activity):
            return True
        return bool(await self.services.threads.in_conversation(activity.conversation.id, closed_too=True))

    async def _maybe_a_first_copy(self, turn: Turn) -> None:
        """A channel message the bot would leave alone, unless its thread may be the first copy of a
        guest's thread a crash started twice: then the writer is told, once per thread, that it was
        not sent and where to answer (services/interrupted_starts.py)."""
        conversation = turn.activity.conversation.id
        guests = await self.services.interrupted_starts.unknown_thread(base_channel_id(conversation), conversation)
        if guests:
            await turn.say(turn.texts("inbound_thread_unknown", guests=", ".join(guests)))
        else:
            log.debug("a channel message neither mentioning the bot nor in a WeChat contact's thread: left alone")

    async def _relay(self, turn: Turn, text: str) -> None:
        """An employee's message, to the guest it answers (or a card asking which guest)."""
        activity = turn.activity
        message = TeamsMessage(
            conversation_id=activity.conversation.id,
            activity_id=activity.id or "",
            text=text,
            sender_aad=turn.aad or "",
            sender_name=activity.from_property.name or "",
            reference=reference_from_activity(activity),
            attachments=attachments_of(activity),
        )
        outcome = await self.services.outbound.submit(message)
        if isinstance(outcome, Refused):
            await turn.say(outcome.reason)
        elif isinstance(outcome, Choose):
            await turn.send_card(choose_guest_card(ChooseView(
                draft_id=outcome.draft_id, preview=_preview(message),
                guests=[(t.openid, t.label) for t in outcome.candidates], texts=turn.texts.card(ChooseTexts))))

    # -- the message extension ------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == "composeExtension/query":
            # botbuilder 4.17.1 serializes an invoke response's body twice (the handler, then
            # CloudAdapter.process, which fails on the dict): answer with the model, serialized once.
            query = MessagingExtensionQuery().deserialize(turn_context.activity.value or {})
            return InvokeResponse(status=200, body=await self.on_teams_messaging_extension_query(turn_context, query))
        return await super().on_invoke_activity(turn_context)

    async def on_teams_messaging_extension_query(self, turn_context: TurnContext,
                                                 query: MessagingExtensionQuery) -> MessagingExtensionResponse:
        return await contacts_found(self._turn(turn_context), query)


def _preview(message: TeamsMessage) -> str:
    """The message as the "which contact?" card shows it: its text, then its attachments."""
    files = [label(kind_of(a.content_type, a.name), a.name) for a in message.attachments]
    return " ".join(filter(None, [message.text, *files]))
