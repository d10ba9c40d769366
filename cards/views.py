"""View models of the WeChat policy cards: what a card shows, as plain data.

The policy engine fills these (numbers from the organization's policy, texts from its configured
notices in the reader's language); the builders in `cards/` only lay them out. Plain on purpose:
strings, ints, epoch seconds (floats), tuples/lists, and string enums (`StrEnum` members are `str`,
so "active" works as well as `ChatState.ACTIVE`). Numbers have no defaults: they are policy, and the
engine must say them. Texts default to English and contain `{placeholders}` the builder fills from
the view's numbers; a placeholder for text somebody else wrote (`{guest}`, `{author}`, `{phone}`)
is rendered literally (see `cards/common.py`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping, Sequence


class ChatState(StrEnum):
    NEW = "new"                         # the guest has not written yet (a follow or scan opened the chat)
    ACTIVE = "active"
    INACTIVE_TIME = "inactive_time"     # the guest has not written within the window (48 h)
    INACTIVE_COUNT = "inactive_count"   # the business used its messages for the guest's last one
    CLOSED = "closed"                   # the guest left (#LEAVE, unfollow) or the chat was ended


class GuestTold(StrEnum):
    """Whether the guest knows that messages wait for their reply."""
    NOT_YET = "not_yet"
    NOTICE_SENT = "notice_sent"         # a customer-service message, while the window was still open
    TEMPLATE_SENT = "template_sent"     # a template message (the window was closed)
    NO_TEMPLATE = "no_template"         # could not be told: no template message is configured


@dataclass(frozen=True)
class Guest:
    openid: str                 # the thread's key; carried in action data, never shown
    name: str | None = None     # WeChat nickname or CRM name: guest-controlled, shown literally
    phone: str | None = None    # the validated phone number, if validation ran


@dataclass(frozen=True)
class CardAction:
    """A button at the bottom of a card (e.g. the coming "Leave conversation")."""
    title: str
    verb: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GuestTexts:
    """How the guest is named in a card's header."""
    brand: str = "WeChat"
    unnamed: str = "WeChat user"
    phone: str = "Validated phone number: {phone}"


# ------------------------------------------------------------------------------------------------
# The notice at the start of a chat
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyNoticeTexts:
    intro: str = "A WeChat user ({guest}) is contacting you. For chats to remain active:"
    rule_count: str = "You can send up to {max_messages} messages before the WeChat user must reply."
    rule_time: str = "WeChat users must reply within {window_hours} hours."
    paused: str = ("For inactive chats, your messages will be paused until the WeChat user resumes "
                   "the conversation.")
    guest: GuestTexts = GuestTexts()


@dataclass(frozen=True)
class PolicyNoticeView:
    guest: Guest
    max_messages: int           # messages the employees may send per guest message
    window_hours: int           # how long a guest message keeps the chat open
    texts: PolicyNoticeTexts = PolicyNoticeTexts()
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# The live status line
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DurationTexts:
    hours: str = "{n} h"
    minutes: str = "{n} min"
    closed: str = "closed"


@dataclass(frozen=True)
class StatusTexts:
    # every template may use {left} {limit} {closes_in} {queued} {queue_limit}
    new: str = "Waiting for the WeChat user's first message"
    active: str = "{left} of {limit} messages left · window closes in {closes_in}"
    inactive_time: str = "Inactive · the reply window has closed · your messages wait for the WeChat user's reply"
    inactive_count: str = "Inactive · {left} of {limit} messages left · your messages wait for the WeChat user's reply"
    closed: str = "Conversation closed"
    queued: str = "{queued} of {queue_limit} queued"
    participants: str = "In this conversation: {names}"  # {names}: the employees, shown literally
    durations: DurationTexts = DurationTexts()
    guest: GuestTexts = GuestTexts()


@dataclass(frozen=True)
class StatusView:
    state: str                          # a ChatState
    messages_left: int
    message_limit: int
    window_seconds_left: float | None   # None once the window is closed
    queued: int
    queue_limit: int
    guest: Guest | None = None          # named when a chat can hold several guests
    participants: Sequence[str] = ()    # the employees in the conversation (display names)
    texts: StatusTexts = StatusTexts()
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# The limit-reached / inactive card with the queue
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueuedMessage:
    id: str             # the engine's id of the queued message; the Cancel button carries it
    text: str           # as the employee wrote it: shown literally
    queued_at: float    # epoch seconds
    author: str         # the employee's display name: shown literally


@dataclass(frozen=True)
class QueueTexts:
    title_inactive: str = ("This chat is now inactive. You can queue up to {queue_limit} messages to be sent "
                           "after the WeChat user responds.")
    title_active: str = "Messages waiting to be sent"
    title_closed: str = "This chat is closed."
    reason_new: str = "The WeChat user has not written yet."
    reason_count: str = "You have reached the limit of {message_limit} messages without a reply."
    reason_time: str = "The WeChat user has not replied for {window_hours} hours."
    count: str = "{queued} of {queue_limit} queued"
    empty: str = "No messages are queued."
    full: str = "The queue is full: further messages will be refused until the WeChat user replies."
    queued_at: str = "Queued {when}"
    queued_by: str = "by {author}"
    cancel: str = "Cancel"
    told_not_yet: str = "The WeChat user has not yet been asked to reply."
    told_notice: str = "The WeChat user was asked to reply to resume the conversation."
    told_template: str = "The WeChat user was sent a template message asking them to reply."
    told_no_template: str = ("The WeChat user could not be told that messages are waiting: no template "
                             "message is configured for this account.")
    guest: GuestTexts = GuestTexts()


@dataclass(frozen=True)
class QueueView:
    guest: Guest
    state: str                          # a ChatState
    message_limit: int
    window_hours: int
    queue_limit: int
    queued: Sequence[QueuedMessage]     # oldest first: the order they will be sent in
    guest_told: str                     # a GuestTold
    can_cancel: bool = True
    texts: QueueTexts = QueueTexts()
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# The 24 h warning
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WarningTexts:
    text: str = ("Your contact has not responded for {silent_hours} hours. If no response is received in "
                 "the next {hours_left} hours, your chat will become inactive until your contact replies")
    guest: GuestTexts = GuestTexts()


@dataclass(frozen=True)
class WarningView:
    guest: Guest
    silent_hours: int       # since the guest's last message
    hours_left: int         # until the window closes
    texts: WarningTexts = WarningTexts()
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# Leave Conversation: the confirmation
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeaveTexts:
    question: str = "Leave the WeChat conversation with {guest}?"
    told: str = "{guest} and your colleagues will see a message that you left."
    others_stay: str = "Your colleagues stay in the conversation."
    closes: str = "You are the last one in it: the conversation closes. If {guest} writes again, they are connected anew."
    to_inbox: str = "You are the last one in it: if {guest} writes again, the message goes to your team's WeChat inbox."
    leave: str = "Leave conversation"
    guest: GuestTexts = GuestTexts()


@dataclass(frozen=True)
class LeaveView:
    guest: Guest
    generation: int          # the thread's assignment this card is for (a stale card is refused)
    last: bool               # the employee is the last one in the conversation
    to_inbox: bool = False   # … and the contact then goes back to the inbox
    by: str = ""             # who asked: only they can confirm
    texts: LeaveTexts = LeaveTexts()
