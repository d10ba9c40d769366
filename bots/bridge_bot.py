"""The Teams side: turns activities into calls on the services. No WeChat rules live here."""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ChannelAccount, ThumbnailCard
from botbuilder.schema.teams import (MessagingExtensionAttachment, MessagingExtensionQuery,
                                     MessagingExtensionResponse, MessagingExtensionResult)

from adapters.teams.references import reference_from_activity
from adapters.wechat.errors import WeChatApiError
from cards.admin import ADMIN, ADMIN_SET, ADMIN_SET_TYPED, PERSON_INPUT, admin_card
from cards.choose_guest import VERB as SEND_DRAFT, choose_guest_card
from cards.contacts import OPEN_THREAD, contact_card, contacts_card
from cards.help import help_card
from cards.leave import CONFIRM_LEAVE, LEAVE, leave_confirm_card
from cards.qr_code import qr_code_card
from cards.queue import CANCEL_QUEUED
from cards.views import Guest, LeaveView
from core.clock import Clock
from core.organizations import Directory
from services.admin_panel import AdminPanel
from services.contacts import Contacts
from services.enablement import NOT_ENABLED, EnablementService
from services.jobs import JobQueue
from services.policy import live_card
from services.outbound import Choose, TeamsMessage, OutboundService, Queued, Refused
from services.participants import NOT_VALID, ParticipantService
from services.qr_codes import QrCodes
from services.threads import ThreadStore, conversation_key

log = logging.getLogger(__name__)

QR_COMMANDS = {"qr", "qr code", "my qr", "my qr code"}
ADD_COMMAND = re.compile(r"^(add|添加)\b")
FIND_COMMAND = re.compile(r"^(?:find|查找)(?:\s+(.*))?$", re.DOTALL)
HELP_COMMANDS = {"help", "?", "帮助"}
QUEUE_COMMANDS = {"queue", "队列"}
ADMIN_COMMANDS = {"admin", "管理"}
ADMINS_ONLY = "Only the WeChat app's administrators can use admin."


def _base_channel_id(conversation_id: str) -> str:
    """A channel thread's conversation id is `<channel id>;messageid=<root>`: the channel is the part before."""
    return conversation_id.split(";", 1)[0]


def _conversation_key(activity: Activity) -> str | None:
    conversation = activity.conversation
    if conversation is None:
        return None
    if conversation.conversation_type == "channel":
        return conversation_key("channel", _base_channel_id(conversation.id))
    if conversation.conversation_type in (None, "personal") and activity.from_property and activity.from_property.aad_object_id:
        return conversation_key("employee", activity.from_property.aad_object_id)
    return None  # group chats come with the group-conversation issue


def _mentioned_people(activity: Activity) -> list[ChannelAccount]:
    """Who a message @mentions, the bot aside. (The SDK's mentions are plain entities: what was
    mentioned is in their additional properties, as its `remove_mention_text` reads it.)"""
    bot_id = activity.recipient.id if activity.recipient else None
    people = []
    for entity in TurnContext.get_mentions(activity):
        mentioned = (getattr(entity, "additional_properties", None) or {}).get("mentioned") or {}
        if isinstance(mentioned, dict) and mentioned.get("id") and mentioned["id"] != bot_id:
            people.append(ChannelAccount(id=mentioned["id"], name=mentioned.get("name") or ""))
    return people


def _plain_text(activity: Activity) -> str:
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else (activity.text or "")
    return re.sub(r"\s+\n", "\n", (text or "")).strip()


class BridgeBot(TeamsActivityHandler):
    def __init__(self, *, threads: ThreadStore, outbound: OutboundService, participants: ParticipantService,
                 queue: JobQueue, qr_codes: QrCodes, clock: Clock, enablement: EnablementService,
                 admin: AdminPanel, contacts: Contacts, directory: Directory) -> None:
        self.directory = directory
        self.threads = threads
        self.outbound = outbound
        self.participants = participants
        self.queue = queue
        self.qr_codes = qr_codes
        self.clock = clock
        self.enablement = enablement
        self.admin = admin
        self.contacts = contacts

    async def _remember(self, turn_context: TurnContext) -> None:
        """Keep where this chat or channel is, so WeChat messages can be posted to it later."""
        activity = turn_context.activity
        key = _conversation_key(activity)
        if key is None:
            return
        reference = reference_from_activity(activity)
        if activity.conversation.conversation_type == "channel":
            reference["conversation"]["id"] = _base_channel_id(activity.conversation.id)
        await self._store(key, reference)
        if activity.type in ("installationUpdate", "conversationUpdate") and activity.conversation.conversation_type == "channel":
            await self._remember_team_channels(turn_context, reference)

    async def _store(self, key: str, reference: dict[str, Any]) -> None:
        if await self.threads.remember(key, reference, self.clock.now()):
            woken = await self.queue.wake(key)
            log.info("stored the conversation reference %s (%d waiting jobs woken)", key, woken)

    async def _remember_team_channels(self, turn_context: TurnContext, general: dict[str, Any]) -> None:
        """Installed in a team: learn every channel, so any of them can be a WeChat inbox at once."""
        team_id = TeamsInfo.get_team_id(turn_context)
        if not team_id:
            return
        try:
            client = await TeamsInfo.get_teams_connector_client(turn_context)
            # The SDK's Teams operations are synchronous (requests): keep them off the event loop.
            channels = await asyncio.to_thread(client.teams.get_teams_channels, team_id)
        except Exception as exc:  # the General channel is stored already; others are learnt when used
            log.warning("could not list the channels of a team: %s", exc)
            return
        for channel in channels.conversations or []:
            reference = {**general, "conversation": {**general["conversation"], "id": channel.id}}
            await self._store(conversation_key("channel", channel.id), reference)

    async def on_installation_update(self, turn_context: TurnContext):
        await self._remember(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext):
        await self._remember(turn_context)
        return await super().on_conversation_update_activity(turn_context)

    async def on_teams_members_added(self, members_added: list[ChannelAccount], team_info, turn_context: TurnContext):
        bot_id = turn_context.activity.recipient.id
        if any(m.id == bot_id for m in members_added) and turn_context.activity.conversation.conversation_type == "personal":
            await self._help(turn_context)

    async def on_message_activity(self, turn_context: TurnContext):
        activity = turn_context.activity
        if activity.from_property and activity.recipient and activity.from_property.id == activity.recipient.id:
            return  # our own message, never echoed back
        if (activity.channel_data or {}).get("wechatBridge"):
            return
        await self._remember(turn_context)
        if isinstance(activity.value, dict) and activity.value.get("verb"):
            await self._card_action(turn_context, activity.value)
            return
        text = _plain_text(activity)
        command = text.lower()
        find = FIND_COMMAND.match(text.strip()) if command.startswith(("find", "查找")) else None
        if command in HELP_COMMANDS:
            await self._help(turn_context)
        elif command in ADMIN_COMMANDS:
            await self._admin(turn_context)
        elif not await self.enablement.allows(activity.from_property.aad_object_id):
            log.info("refused WeChat to an employee it is not enabled for")
            await turn_context.send_activity(MessageFactory.text(NOT_ENABLED))
        elif command in QR_COMMANDS:
            await self._send_qr(turn_context)
        elif find:
            await self._find(turn_context, (find.group(1) or "").strip())
        elif command in QUEUE_COMMANDS:
            await self._queue(turn_context)
        elif ADD_COMMAND.match(command) and _mentioned_people(activity):
            await self._add(turn_context)
        else:
            await self._relay(turn_context, text)

    async def _help(self, turn_context: TurnContext) -> None:
        aad = turn_context.activity.from_property.aad_object_id
        card = help_card(enabled=await self.enablement.allows(aad), admin=self.enablement.is_admin(aad))
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _admin(self, turn_context: TurnContext, message: str = "") -> None:
        """The administrators' card: sent, or (after one of its buttons) updated in place."""
        activity = turn_context.activity
        if not self.enablement.is_admin(activity.from_property.aad_object_id):
            await turn_context.send_activity(MessageFactory.text(ADMINS_ONLY))
            return
        reply = MessageFactory.attachment(CardFactory.adaptive_card(admin_card(await self.admin.view(message))))
        if activity.value and activity.reply_to_id:
            reply.id = activity.reply_to_id
            await turn_context.update_activity(reply)
        else:
            await turn_context.send_activity(reply)

    async def _find(self, turn_context: TurnContext, query: str) -> None:
        if not query:
            await turn_context.send_activity(MessageFactory.text("Find whom? For example: find Chen, or find 9123 4567."))
            return
        found = await self.contacts.find(turn_context.activity.from_property.aad_object_id or "", query)
        card = contacts_card(query, [f.view for f in found])
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _queue(self, turn_context: TurnContext) -> None:
        """The messages waiting in this chat's WeChat conversations (their queue cards)."""
        waiting = [t for t in await self.threads.open_in_conversation(turn_context.activity.conversation.id)
                   if t.policy.queue]
        if not waiting:
            await turn_context.send_activity(MessageFactory.text("No message is waiting to be sent here."))
        for thread in waiting:
            card = live_card(thread, self.directory.get(thread.sub_org).policy, self.clock.now())
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == "composeExtension/query":
            # botbuilder 4.17.1 serializes an invoke response's body twice (the handler, then
            # CloudAdapter.process, which fails on the dict): answer with the model, serialized once.
            query = MessagingExtensionQuery().deserialize(turn_context.activity.value or {})
            return InvokeResponse(status=200, body=await self.on_teams_messaging_extension_query(turn_context, query))
        return await super().on_invoke_activity(turn_context)

    async def on_teams_messaging_extension_query(self, turn_context: TurnContext,
                                                 query: MessagingExtensionQuery) -> MessagingExtensionResponse:
        """The message extension (`findContact`): contacts to insert into a message."""
        aad = turn_context.activity.from_property.aad_object_id
        if not await self.enablement.allows(aad):
            return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="message",
                                                                                        text=NOT_ENABLED))
        text = next((str(p.value or "") for p in query.parameters or [] if p.name == "query"), "")
        found = await self.contacts.find(aad or "", "" if text == "true" else text)  # initialRun sends "true"
        attachments = []
        for f in found:
            preview = CardFactory.thumbnail_card(ThumbnailCard(
                title=f.view.name, text=" · ".join(filter(None, [f.view.phone or "phone not validated", f.view.where]))))
            attachments.append(MessagingExtensionAttachment(content_type=CardFactory.content_types.adaptive_card,
                                                            content=contact_card(f.view), preview=preview))
        return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
            type="result", attachment_layout="list", attachments=attachments))

    async def _relay(self, turn_context: TurnContext, text: str, chosen_openid: str | None = None) -> None:
        activity = turn_context.activity
        message = TeamsMessage(
            conversation_id=activity.conversation.id,
            activity_id=activity.id or "",
            text=text,
            sender_aad=activity.from_property.aad_object_id or "",
            sender_name=activity.from_property.name or "",
            reference=reference_from_activity(activity),
        )
        await self._answer(turn_context, await self.outbound.submit(message, chosen_openid=chosen_openid))

    async def _answer(self, turn_context: TurnContext, outcome: Any) -> None:
        if isinstance(outcome, Refused):
            await turn_context.send_activity(MessageFactory.text(outcome.reason))
        elif isinstance(outcome, Choose):
            preview = _plain_text(turn_context.activity) if turn_context.activity.text else ""
            card = choose_guest_card(draft_id=outcome.draft_id, preview=preview,
                                     guests=[(t.openid, t.label) for t in outcome.candidates])
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))
        elif isinstance(outcome, Queued) and turn_context.activity.value:
            await turn_context.send_activity(MessageFactory.text(f"Sent to **{outcome.thread.label}**."))

    async def _card_action(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        verb = value.get("verb")
        aad = turn_context.activity.from_property.aad_object_id or ""
        if verb in (ADMIN, ADMIN_SET, ADMIN_SET_TYPED):
            if not self.enablement.is_admin(aad):
                log.warning("refused an admin action by someone who is not an administrator")
                await turn_context.send_activity(MessageFactory.text(ADMINS_ONLY))
                return
            said = "" if verb == ADMIN else await self.admin.act(aad, value, str(value.get(PERSON_INPUT) or ""))
            await self._admin(turn_context, said)
            return
        if verb in (SEND_DRAFT, OPEN_THREAD) and not await self.enablement.allows(aad):
            await turn_context.send_activity(MessageFactory.text(NOT_ENABLED))
            return
        if verb == OPEN_THREAD:
            await turn_context.send_activity(MessageFactory.text(await self.contacts.open(aad, value.get("thread"))))
            return
        if verb == SEND_DRAFT and isinstance(value.get("draft"), str) and isinstance(value.get("openid"), str):
            outcome = await self.outbound.submit_draft(turn_context.activity.conversation.id, value["draft"],
                                                       value["openid"])
            await self._answer(turn_context, outcome)
            return
        if verb in (LEAVE, CONFIRM_LEAVE):
            await self._leave(turn_context, value)
            return
        if verb == CANCEL_QUEUED and isinstance(value.get("thread"), str) and isinstance(value.get("message"), str):
            outcome = await self.outbound.cancel(turn_context.activity.conversation.id, value["thread"],
                                                 value["message"], turn_context.activity.from_property.name or "")
            if outcome is not None:
                await self._answer(turn_context, outcome)
            return
        log.warning("refused a card action %r in %s", verb, turn_context.activity.conversation.id)
        await turn_context.send_activity(MessageFactory.text(NOT_VALID))

    async def _add(self, turn_context: TurnContext) -> None:
        """`add @colleague` in a guest's channel thread, by someone taking part in it."""
        activity = turn_context.activity
        threads = await self.threads.open_in_conversation(activity.conversation.id)
        adder = activity.from_property.aad_object_id or ""
        if activity.conversation.conversation_type != "channel" or len(threads) != 1:
            await turn_context.send_activity(MessageFactory.text(
                "Colleagues are added in a WeChat contact's thread of your team's WeChat inbox channel."))
            return
        thread = threads[0]
        if thread.participant(adder) is None:
            log.warning("refused an add to thread %s by someone not taking part in it", thread.openid)
            await turn_context.send_activity(MessageFactory.text(
                "Only someone taking part in this WeChat conversation can add colleagues to it."))
            return
        for mentioned in _mentioned_people(activity):
            try:  # the mention gives the Teams user id; the organization knows people by AAD object id
                member = await TeamsInfo.get_member(turn_context, mentioned.id)
            except Exception as exc:  # noqa: BLE001 - told, not raised: the others may still be added
                log.warning("could not look up a mentioned member: %s", type(exc).__name__)
                await turn_context.send_activity(MessageFactory.text(f"I could not find {mentioned.name} in this team."))
                continue
            found = await self.threads.get(thread.openid)
            refusal = await self.participants.admit(found[0], member.aad_object_id or "", member.name or "") \
                if found else NOT_VALID
            text = refusal or f"{mentioned.name} now takes part in this WeChat conversation."
            await turn_context.send_activity(MessageFactory.text(text))

    async def _leave(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """Leave Conversation: the live card's button asks to confirm; the confirmation leaves.
        The confirmation is bound to who asked for it (a colleague pressing it is refused)."""
        activity = turn_context.activity
        aad = activity.from_property.aad_object_id or ""
        if value["verb"] == CONFIRM_LEAVE and value.get("by") != aad:
            log.warning("refused a Leave confirmation pressed by someone else than who asked for it")
            await turn_context.send_activity(MessageFactory.text(NOT_VALID))
            return
        check = await self.participants.check_leave(activity.conversation.id, value.get("thread"),
                                                    value.get("generation"), aad)
        if isinstance(check, str):
            await turn_context.send_activity(MessageFactory.text(check))
            return
        if value["verb"] == CONFIRM_LEAVE:
            await self.participants.leave(check)  # both sides are told by the policy's notices
            return
        thread = check.thread
        card = leave_confirm_card(LeaveView(
            guest=Guest(thread.openid, thread.nickname or None), generation=thread.generation, last=check.last,
            to_inbox=check.last and self.participants.returns_to_inbox(thread), by=aad))
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _send_qr(self, turn_context: TurnContext) -> None:
        aad = turn_context.activity.from_property.aad_object_id
        if not aad:
            await turn_context.send_activity(MessageFactory.text("I could not tell who you are in your organization."))
            return
        try:
            qr = await self.qr_codes.for_employee(aad)
        except WeChatApiError as exc:
            log.warning("QR code for an employee failed: %s", exc)
            why = f"WeChat error {exc.errcode}" if exc.errcode is not None else "WeChat could not be reached"
            await turn_context.send_activity(MessageFactory.text(f"No QR code this time ({why}); try again later."))
            return
        card = qr_code_card(image_url=qr.image_url, url=qr.url, account_name=qr.account_name)
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))
