"""What an incoming activity says: where it was written, whom it @mentions, which card it answers."""
from __future__ import annotations

import re

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount

from services.threads import conversation_key

# where a message is written: the employee's chat with the bot, a team channel
PERSONAL, CHANNEL = "personal", "channel"


def base_channel_id(conversation_id: str) -> str:
    """A channel thread's conversation id is `<channel id>;messageid=<root>`: the channel is the part before."""
    return conversation_id.split(";", 1)[0]


def reference_key(activity: Activity) -> str | None:
    """Under which key the conversation's reference is kept (services/threads.py), None where no WeChat
    conversation lives."""
    conversation = activity.conversation
    if conversation is None:
        return None
    if conversation.conversation_type == "channel":
        return conversation_key("channel", base_channel_id(conversation.id))
    sender = activity.from_property
    if conversation.conversation_type in (None, "personal") and sender and sender.aad_object_id:
        return conversation_key("employee", sender.aad_object_id)
    return None  # a group chat: no WeChat conversation lives there (the manifest offers none)


def place(activity: Activity) -> str:
    """Where a message was written, PERSONAL or CHANNEL (a group chat is neither)."""
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


def mentions_bot(activity: Activity) -> bool:
    return activity.recipient is not None and any(m.id == activity.recipient.id for m in _mentions(activity))


def mentioned_people(activity: Activity) -> list[ChannelAccount]:
    """Who a message @mentions, the bot aside."""
    bot_id = activity.recipient.id if activity.recipient else None
    return [m for m in _mentions(activity) if m.id != bot_id]


def pressed_card(activity: Activity) -> str | None:
    """The message id of the card whose button sent this activity (Teams names it in replyToId). A
    channel thread's root is the guest's first message, never a card with buttons: never named."""
    pressed = activity.reply_to_id
    return pressed if pressed and not activity.conversation.id.endswith(f";messageid={pressed}") else None


def plain_text(activity: Activity) -> str:
    """The message's text without the bot's @mention, blanks before line ends dropped."""
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else (activity.text or "")
    return re.sub(r"\s+\n", "\n", (text or "")).strip()
