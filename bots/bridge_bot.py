"""The Teams side: turns activities into calls on the services. No WeChat rules live here.

A message is a command (bots/commands.py) or goes to a guest, never both; in a team channel only
those that @mention the bot or are in a WeChat contact's thread are for it. A card whose button was
acted on is updated in place (Teams names the card's message in the action's `replyToId`): the
outcome instead of its buttons. Every text an employee reads comes from the notice catalogue, in
their sub-organization's language (services/teams_texts.py).
"""
from __future__ import annotations

import asyncio
import functools
import dataclasses
import logging
import re
from typing import Any, Awaitable, Callable

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ChannelAccount, ErrorResponseException, ThumbnailCard
from botbuilder.schema.teams import (MessagingExtensionAttachment, MessagingExtensionQuery,
                                     MessagingExtensionResponse, MessagingExtensionResult)

from adapters.teams.errors import TeamsError
from adapters.teams.chats import activity_of
from adapters.teams.references import reference_from_activity
from adapters.wechat.errors import WeChatApiError
from bots.commands import CHANNEL, COMMANDS, PERSONAL, as_written, parse_command
from cards.admin import ADMIN, ADMIN_SET, ADMIN_SET_TYPED, PERSON_INPUT, admin_card
from cards.choose_guest import VERB as SEND_DRAFT, ChooseTexts, ChooseView, choose_guest_card
from cards.contacts import OPEN_THREAD, ContactsTexts, contact_card, contacts_card
from cards.help import HelpTexts, help_card
from cards.leave import CANCEL_LEAVE, CONFIRM_LEAVE, LEAVE, leave_confirm_card
from cards.qr_code import QrTexts, qr_code_card
from cards.queue import CANCEL_QUEUED
from cards.warning import SEND_AGAIN
from cards.views import Guest, LeaveOutcome, LeaveTexts, LeaveView
from core.clock import Clock
from core.teams_chats import TeamsPost
from core.organizations import Directory
from core.threads import Target, Thread
from services.admin_panel import AdminPanel
from services.contacts import Contacts
from services.enablement import NOT_ENABLED, EnablementService
from services.jobs import JobQueue, RetryLater
from services.outbound import Choose, OutboundService, Queued, Refused, TeamsMessage
from services.participants import NOT_VALID, LeaveCheck, ParticipantService
from services.policy import PolicyRunner, unconfirmed_card
from services.qr_codes import QrCodes
from services.teams_texts import TeamsTexts, employee_texts, texts_of
from services.threads import ThreadStore, conversation_key

log = logging.getLogger(__name__)

ENABLED_ONLY_ACTIONS = frozenset({SEND_DRAFT, OPEN_THREAD})  # the others check their own rights
# a command used where it does not run → the answer, by where it runs (bots/commands.py)
RUNS_ONLY_IN = {PERSONAL: "teams_only_personal", CHANNEL: "teams_only_inbox_thread"}


def _base_channel_id(conversation_id: str) -> str:
    """A channel thread's conversation id is `<channel id>;messageid=<root>`: the channel is the part before."""
    return conversation_id.split(";", 1)[0]


def _conversation_key(activity: Activity) -> str | None:
    conversation = activity.conversation
    if conversation is None:
        return None
    if conversation.conversation_type == "channel":
        return conversation_key("channel", _base_channel_id(conversation.id))
    sender = activity.from_property
    if conversation.conversation_type in (None, "personal") and sender and sender.aad_object_id:
        return conversation_key("employee", activity.from_property.aad_object_id)
    return None  # a group chat: no WeChat conversation lives there (the manifest offers none)


def _place(activity: Activity) -> str:
    """Where a message was written, as bots/commands.py names the places (a group chat is neither)."""
    kind = activity.conversation.conversation_type
    return PERSONAL if kind in (None, "personal") else kind


def _mentions(activity: Activity) -> list[ChannelAccount]:
    """Who a message @mentions, the bot included. (The SDK's mentions are plain entities: what was
    mentioned is in their additional properties, as its `remove_mention_text` reads it.)"""
    people = []
    for entity in TurnContext.get_mentions(activity):
        mentioned = (getattr(entity, "additional_properties", None) or {}).get("mentioned") or {}
        if isinstance(mentioned, dict) and mentioned.get("id"):
            people.append(ChannelAccount(id=mentioned["id"], name=mentioned.get("name") or ""))
    return people


def _mentions_bot(activity: Activity) -> bool:
    return activity.recipient is not None and any(m.id == activity.recipient.id for m in _mentions(activity))


def _mentioned_people(activity: Activity) -> list[ChannelAccount]:
    """Who a message @mentions, the bot aside."""
    bot_id = activity.recipient.id if activity.recipient else None
    return [m for m in _mentions(activity) if m.id != bot_id]


def _pressed_card(activity: Activity) -> str | None:
    """The message id of the card whose button sent this activity (Teams names it in replyToId). A
    channel thread's root is the guest's first message, never a card with buttons: never named."""
    pressed = activity.reply_to_id
    return pressed if pressed and not activity.conversation.id.endswith(f";messageid={pressed}") else None


def _plain_text(activity: Activity) -> str:
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else (activity.text or "")
    return re.sub(r"\s+\n", "\n", (text or "")).strip()


class BridgeBot(TeamsActivityHandler):
    def __init__(self, *, threads: ThreadStore, outbound: OutboundService, participants: ParticipantService,
                 queue: JobQueue, qr_codes: QrCodes, clock: Clock, enablement: EnablementService,
                 admin: AdminPanel, contacts: Contacts, directory: Directory, live_cards: PolicyRunner) -> None:
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
        self.live_cards = live_cards
        # bots/commands.py's commands → what carries them out (with what followed the command word)
        self.commands: dict[str, Callable[[TurnContext, str], Awaitable[None]]] = {
            "help": self._help, "admin": self._admin, "qr": self._send_qr, "queue": self._queue,
            "leave": self._leave_here, "find": self._find, "add": self._add,
        }
        # a card button's verb → what carries it out (with the button's data)
        self.actions: dict[str, Callable[[TurnContext, dict[str, Any]], Awaitable[None]]] = {
            ADMIN: self._admin_action, ADMIN_SET: self._admin_action, ADMIN_SET_TYPED: self._admin_action,
            SEND_DRAFT: self._send_draft, OPEN_THREAD: self._open, CANCEL_QUEUED: self._cancel_queued,
            LEAVE: self._leave, CONFIRM_LEAVE: self._leave, CANCEL_LEAVE: self._leave,
            SEND_AGAIN: self._send_again,
        }

    # -- where things are --------------------------------------------------------------------------

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
        if activity.type in ("installationUpdate", "conversationUpdate") \
                and activity.conversation.conversation_type == "channel":
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
        except Exception as exc:  # noqa: BLE001 - the General channel is stored already; others are learnt when used
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
        personal = turn_context.activity.conversation.conversation_type == "personal"
        if personal and any(m.id == bot_id for m in members_added):
            await self._help(turn_context)

    # -- speaking ---------------------------------------------------------------------------------

    def _texts(self, turn_context: TurnContext) -> TeamsTexts:
        """The employee's words here: those of the sub-organization whose inbox this channel is, else
        of the employee's own sub-organization (else the default)."""
        activity = turn_context.activity
        if activity.conversation.conversation_type == "channel":
            sub = self.directory.for_target(Target("channel", _base_channel_id(activity.conversation.id)))
            if sub is not None:
                return texts_of(sub)
        return employee_texts(self.directory, activity.from_property.aad_object_id)

    async def _say(self, turn_context: TurnContext, text: str) -> None:
        await turn_context.send_activity(MessageFactory.text(text))

    async def _send_card(self, turn_context: TurnContext, card: dict[str, Any]) -> None:
        await turn_context.send_activity(activity_of(TeamsPost(card=card)))

    async def _replace_card(self, turn_context: TurnContext, card: dict[str, Any]) -> None:
        """The card whose button was pressed, updated in place; sent anew if Teams did not name it
        (or it is gone)."""
        pressed = _pressed_card(turn_context.activity)
        if pressed:
            replacement = activity_of(TeamsPost(card=card))
            replacement.id = pressed
            try:
                await turn_context.update_activity(replacement)
                return
            except ErrorResponseException as exc:
                log.info("the pressed card could not be updated (%s): sent anew", type(exc).__name__)
        await self._send_card(turn_context, card)

    # -- messages ---------------------------------------------------------------------------------

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
        if not await self._for_the_bot(activity):
            log.debug("a channel message neither mentioning the bot nor in a WeChat contact's thread: left alone")
            return
        text = _plain_text(activity)
        written = as_written(text)
        parsed = parse_command(text) if written is None else None
        if parsed is not None and _place(activity) not in parsed.command.where:
            await self._say(turn_context, self._texts(turn_context)(RUNS_ONLY_IN[parsed.command.where[0]],
                                                                    command=parsed.word))
        elif parsed is not None and parsed.command.for_everyone:
            await self.commands[parsed.command.name](turn_context, parsed.argument)
        elif not await self.enablement.allows(activity.from_property.aad_object_id):
            log.info("refused WeChat to an employee it is not enabled for")
            await self._say(turn_context, self._texts(turn_context)(NOT_ENABLED))
        elif parsed is not None:
            await self.commands[parsed.command.name](turn_context, parsed.argument)
        else:
            await self._relay(turn_context, text if written is None else written)

    async def _for_the_bot(self, activity: Activity) -> bool:
        """With resource-specific consent (the inbox needs it) the bot receives every message of every
        channel of its teams: there, only those that @mention it or are in a WeChat contact's thread
        (the employees' answers; closed since, they are still told so) are for it."""
        if activity.conversation.conversation_type != "channel" or _mentions_bot(activity):
            return True
        return await self.threads.guest_thread_in(activity.conversation.id)

    async def _relay(self, turn_context: TurnContext, text: str) -> None:
        activity = turn_context.activity
        message = TeamsMessage(
            conversation_id=activity.conversation.id,
            activity_id=activity.id or "",
            text=text,
            sender_aad=activity.from_property.aad_object_id or "",
            sender_name=activity.from_property.name or "",
            reference=reference_from_activity(activity),
        )
        outcome = await self.outbound.submit(message)
        if isinstance(outcome, Refused):
            await self._say(turn_context, outcome.reason)
        elif isinstance(outcome, Choose):
            await self._send_card(turn_context, choose_guest_card(ChooseView(
                draft_id=outcome.draft_id, preview=text, guests=[(t.openid, t.label) for t in outcome.candidates],
                texts=self._texts(turn_context).card(ChooseTexts))))

    # -- commands ---------------------------------------------------------------------------------

    async def _help(self, turn_context: TurnContext, argument: str = "") -> None:
        aad = turn_context.activity.from_property.aad_object_id
        place = _place(turn_context.activity)
        await self._send_card(turn_context, help_card(
            enabled=await self.enablement.allows(aad), admin=self.enablement.is_admin(aad),
            texts=self._texts(turn_context).card(HelpTexts),
            runs_here=frozenset(c.name for c in COMMANDS if place in c.where)))

    async def _admin(self, turn_context: TurnContext, argument: str = "") -> None:
        if not self.enablement.is_admin(turn_context.activity.from_property.aad_object_id):
            await self._say(turn_context, self._texts(turn_context)("teams_admins_only"))
            return
        await self._send_card(turn_context, admin_card(await self.admin.view(self._texts(turn_context))))

    async def _send_qr(self, turn_context: TurnContext, argument: str = "") -> None:
        aad = turn_context.activity.from_property.aad_object_id
        texts = self._texts(turn_context)
        if not aad:
            await self._say(turn_context, texts("teams_who_are_you"))
            return
        try:
            qr = await self.qr_codes.for_employee(aad)
        except WeChatApiError as exc:
            log.warning("QR code for an employee failed: %s", exc)
            await self._say(turn_context, texts("teams_qr_wechat_error", errcode=exc.errcode)
                            if exc.errcode is not None else texts("teams_qr_unreachable"))
            return
        await self._send_card(turn_context, qr_code_card(image_url=qr.image_url, url=qr.url,
                                                         account_name=qr.account_name, texts=texts.card(QrTexts)))

    async def _queue(self, turn_context: TurnContext, argument: str = "") -> None:
        """The messages waiting in this chat's WeChat conversations: their live cards, posted again
        as the latest messages here (the copies before become pointers to them)."""
        waiting = [t for t in await self.threads.open_in_conversation(turn_context.activity.conversation.id)
                   if t.policy.queue]
        if not waiting:
            await self._say(turn_context, self._texts(turn_context)("teams_nothing_queued"))
        for thread in waiting:
            try:
                await self.live_cards.repost_live_card(thread)
            except (RetryLater, TeamsError):
                await self._say(turn_context, self._texts(turn_context)("teams_open_unreachable"))

    async def _find(self, turn_context: TurnContext, query: str) -> None:
        texts = self._texts(turn_context)
        if not query:
            await self._say(turn_context, texts("teams_find_whom"))
            return
        found = await self.contacts.find(turn_context.activity.from_property.aad_object_id or "", query)
        await self._send_card(turn_context, contacts_card(query, [f.view for f in found], texts.card(ContactsTexts)))

    async def _add(self, turn_context: TurnContext, argument: str) -> None:
        """`add @colleague` in a guest's channel thread, by someone taking part in it."""
        activity = turn_context.activity
        texts = self._texts(turn_context)
        threads = await self.threads.open_in_conversation(activity.conversation.id)
        adder = activity.from_property.aad_object_id or ""
        if len(threads) != 1:  # a channel (bots/commands.py), but not a WeChat contact's thread
            await self._say(turn_context, texts("teams_add_where"))
            return
        thread = threads[0]
        if thread.participant(adder) is None:
            log.warning("refused an add to thread %s by someone not taking part in it", thread.openid)
            await self._say(turn_context, texts("teams_add_not_participant"))
            return
        mentioned_people = _mentioned_people(activity)
        if not mentioned_people:  # "add @Alice Wong" typed, not picked: a name is not a person
            await self._say(turn_context, texts("teams_add_mention"))
            return
        for mentioned in mentioned_people:
            try:  # the mention gives the Teams user id; the organization knows people by AAD object id
                member = await TeamsInfo.get_member(turn_context, mentioned.id)
            except Exception as exc:  # noqa: BLE001 - told, not raised: the others may still be added
                log.warning("could not look up a mentioned member: %s", type(exc).__name__)
                await self._say(turn_context, texts("teams_add_not_found", name=mentioned.name))
                continue
            found = await self.threads.get(thread.openid)
            refusal = await self.participants.admit(found[0], member.aad_object_id or "", member.name or "") \
                if found else texts(NOT_VALID)
            await self._say(turn_context, refusal or texts("teams_added", name=mentioned.name))

    async def _leave_here(self, turn_context: TurnContext, argument: str = "") -> None:
        """`leave` typed: the same as Leave conversation on the card of the one conversation here."""
        threads = await self.threads.open_in_conversation(turn_context.activity.conversation.id)
        if len(threads) != 1:
            said = "teams_leave_which" if threads else "teams_leave_none"
            await self._say(turn_context, self._texts(turn_context)(said))
            return
        await self._leave(turn_context, {"verb": LEAVE, "thread": threads[0].openid,
                                         "generation": threads[0].generation})

    # -- the message extension --------------------------------------------------------------------

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
        texts = self._texts(turn_context)
        if not await self.enablement.allows(aad):
            return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="message",
                                                                                        text=texts(NOT_ENABLED)))
        text = next((str(p.value or "") for p in query.parameters or [] if p.name == "query"), "")
        found = await self.contacts.find(aad or "", "" if text == "true" else text)  # initialRun sends "true"
        card_texts = texts.card(ContactsTexts)
        attachments = []
        for f in found:
            facts = [f.view.phone or card_texts.not_validated, f.view.where]
            preview = CardFactory.thumbnail_card(ThumbnailCard(title=f.view.name, text=" · ".join(filter(None, facts))))
            attachments.append(MessagingExtensionAttachment(content_type=CardFactory.content_types.adaptive_card,
                                                            content=contact_card(f.view, card_texts), preview=preview))
        return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
            type="result", attachment_layout="list", attachments=attachments))

    # -- card buttons -----------------------------------------------------------------------------

    async def _card_action(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        verb = value.get("verb")
        action = self.actions.get(verb) if isinstance(verb, str) else None
        if action is None:
            log.warning("refused a card action %r in %s", verb, turn_context.activity.conversation.id)
            await self._say(turn_context, self._texts(turn_context)(NOT_VALID))
            return
        aad = turn_context.activity.from_property.aad_object_id
        if verb in ENABLED_ONLY_ACTIONS and not await self.enablement.allows(aad):
            await self._say(turn_context, self._texts(turn_context)(NOT_ENABLED))
            return
        await action(turn_context, value)

    async def _admin_action(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """An administrators' card button: the card, updated in place with what it did."""
        aad = turn_context.activity.from_property.aad_object_id or ""
        texts = self._texts(turn_context)
        if not self.enablement.is_admin(aad):
            log.warning("refused an admin action by someone who is not an administrator")
            await self._say(turn_context, texts("teams_admins_only"))
            return
        typed = str(value.get(PERSON_INPUT) or "")
        said = "" if value["verb"] == ADMIN else await self.admin.act(aad, value, texts, typed)
        await self._replace_card(turn_context, admin_card(await self.admin.view(texts, said)))

    async def _send_draft(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """A contact chosen for a message: the "which contact?" card shows where it went (or why not)."""
        texts = self._texts(turn_context)
        if not isinstance(value.get("draft"), str) or not isinstance(value.get("openid"), str):
            await self._say(turn_context, texts(NOT_VALID))
            return
        activity = turn_context.activity
        outcome = await self.outbound.submit_draft(activity.conversation.id, value["draft"], value["openid"],
                                                   activity.from_property.aad_object_id or "")
        done = ChooseView(draft_id=value["draft"], preview="", guests=(), texts=texts.card(ChooseTexts))
        if isinstance(outcome, Queued):
            await self._replace_card(turn_context, choose_guest_card(dataclasses.replace(
                done, preview=outcome.text, sent_to=outcome.thread.label)))
        elif isinstance(outcome, Refused) and outcome.stale:
            await self._say(turn_context, outcome.reason)  # pressed again: the card already says what happened
        elif isinstance(outcome, Refused):
            await self._replace_card(turn_context, choose_guest_card(dataclasses.replace(done, refused=outcome.reason)))

    async def _open(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """`find` → Open (repeatable: each press makes the contact's card the latest in its conversation)."""
        await self._say(turn_context, await self.contacts.open(turn_context.activity.from_property.aad_object_id or "",
                                                               value.get("thread")))

    async def _message_action(self, turn_context: TurnContext, value: dict[str, Any],
                              act: Callable[..., Awaitable[Refused | None]]) -> str | None:
        """A button about one message of a conversation (`thread`, `message` in its data): `act`
        carried out, or the employee told why not. The conversation's openid, when it was."""
        activity = turn_context.activity
        openid, message_id = value.get("thread"), value.get("message")
        if not isinstance(openid, str) or not isinstance(message_id, str):
            await self._say(turn_context, self._texts(turn_context)(NOT_VALID))
            return None
        by = activity.from_property
        refused = await act(activity.conversation.id, openid, message_id, by.name or "", by.aad_object_id or "")
        if refused is not None:
            await self._say(turn_context, refused.reason)
            return None
        return openid

    async def _cancel_queued(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """Cancel on the queue card: the policy cancels it and updates the live card (a second press is
        told `not_queued`). A Cancel pressed on an older copy also turns that copy into a pointer."""
        openid = await self._message_action(turn_context, value, self.outbound.cancel)
        pressed, found = _pressed_card(turn_context.activity), await self.threads.get(openid) if openid else None
        if found and pressed and pressed != found[0].extra.get("status_activity_id"):
            await self.live_cards.retire_live_card(found[0], pressed)

    async def _send_again(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """Send again, on a message whose delivery WeChat did not confirm: the policy sends it (or
        queues it) as a new message; the card then says it was sent again, without its button (a
        second press is told there is nothing to send again)."""
        press = turn_context.activity.id or ""
        openid = await self._message_action(turn_context, value, functools.partial(self.outbound.send_again,
                                                                                   press=press))
        found = await self.threads.get(openid) if openid else None
        if found is not None:
            await self._replace_card(turn_context, unconfirmed_card(found[0], value["message"],
                                                                    self.directory.get(found[0].sub_org),
                                                                    sent_again=True))

    async def _leave(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """Leave Conversation: the live card's button asks to confirm; the confirmation leaves (or,
        Cancel, does not), and then shows what it did. It is bound to who asked for it (a colleague
        pressing it is refused); pressed again, the employee is told it was done."""
        activity = turn_context.activity
        verb, aad = value["verb"], activity.from_property.aad_object_id or ""
        if verb != LEAVE and value.get("by") != aad:
            log.warning("refused a Leave confirmation pressed by someone else than who asked for it")
            await self._say(turn_context, self._texts(turn_context)(NOT_VALID))
            return
        check = await self.participants.check_leave(activity.conversation.id, value.get("thread"),
                                                    value.get("generation"), aad, confirming=verb != LEAVE)
        if isinstance(check, str):
            await self._say(turn_context, check)
            return
        view = self._leave_view(check, aad)
        if verb == LEAVE:
            await self._send_card(turn_context, leave_confirm_card(view))
            return
        if verb == CONFIRM_LEAVE:
            await self.participants.leave(check)  # both sides are told by the policy's notices
        outcome = LeaveOutcome.LEFT if verb == CONFIRM_LEAVE else LeaveOutcome.STAYED
        await self._replace_card(turn_context, leave_confirm_card(dataclasses.replace(view, outcome=outcome)))

    def _leave_view(self, check: LeaveCheck, aad: str) -> LeaveView:
        thread: Thread = check.thread
        return LeaveView(guest=Guest(thread.openid, thread.nickname or None), generation=thread.generation,
                         last=check.last, to_inbox=check.last and self.participants.returns_to_inbox(thread), by=aad,
                         texts=texts_of(self.directory.get(thread.sub_org)).card(LeaveTexts))
