"""View models of the WeChat policy cards: what a card shows, as plain data.

The policy engine fills these (numbers from the organization's policy, texts from its configured
notices in the reader's language); the builders in `cards/` only lay them out. Plain on purpose:
strings, ints, epoch seconds (floats), tuples/lists, and string enums (`StrEnum` members are `str`,
so "active" works as well as `ChatStatus.ACTIVE`). Numbers have no defaults: they are policy, and the
engine must say them. Texts have no defaults either: they are the notice catalogue's
(`core/notices/cards.py`, keys `card_<card>_<field>`, built by `services/teams_texts.py`) in the reader's
language, with `{placeholders}` the builder fills from the view's numbers; a placeholder for text
somebody else wrote (`{guest}`, `{author}`, `{phone}`) is rendered literally (see `cards/common.py`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping, Sequence


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
    brand: str          # "WeChat": beside the mark, and the mark's alternative text
    unnamed: str        # a guest with neither name nor phone number
    phone: str          # {phone}


# ------------------------------------------------------------------------------------------------
# The notice at the start of a chat
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyNoticeTexts:
    intro: str                  # {guest}
    guest: GuestTexts


@dataclass(frozen=True)
class PolicyNoticeView:
    guest: Guest
    text: str                   # the `welcome_employee` notice as the policy worded it (numbers filled in)
    texts: PolicyNoticeTexts
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# The live status line
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DurationTexts:
    hours: str          # {n}
    minutes: str        # {n}
    closed: str


@dataclass(frozen=True)
class StatusTexts:
    # every template may use {left} {limit} {closes_in} {queued} {queue_limit}
    new: str
    active: str
    inactive_time: str
    inactive_count: str
    closed: str
    queued: str
    participants: str   # {names}: the employees, shown literally
    durations: DurationTexts
    guest: GuestTexts


@dataclass(frozen=True)
class StatusView:
    state: str                          # a ChatStatus
    messages_left: int
    message_limit: int
    window_seconds_left: float | None   # None once the window is closed
    queued: int
    queue_limit: int
    guest: Guest | None = None          # named when a chat can hold several guests
    participants: Sequence[str] = ()    # the employees in the conversation (display names)
    texts: StatusTexts = field(kw_only=True)
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
    # the titles, reasons, counts and `told_*` may use {message_limit} {window_hours} {queue_limit} {queued}
    title_inactive: str
    title_active: str
    title_closed: str
    reason_new: str
    reason_count: str
    reason_time: str
    count: str
    empty: str
    full: str
    queued_at: str      # {when}
    queued_by: str      # {author}, shown literally
    cancel: str
    told_not_yet: str
    told_notice: str
    told_template: str
    told_no_template: str
    guest: GuestTexts


@dataclass(frozen=True)
class QueueView:
    guest: Guest
    state: str                          # a ChatStatus
    message_limit: int
    window_hours: int
    queue_limit: int
    queued: Sequence[QueuedMessage]     # oldest first: the order they will be sent in
    guest_told: str                     # a GuestTold
    can_cancel: bool = True
    texts: QueueTexts = field(kw_only=True)
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# The 24 h warning
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WarningTexts:
    guest: GuestTexts
    send_again: str     # the button of a message whose delivery WeChat did not confirm
    sent_again: str     # added to that card once it was pressed


@dataclass(frozen=True)
class WarningView:
    guest: Guest
    text: str               # the `no_reply_24h` notice as the policy worded it (numbers filled in)
    texts: WarningTexts
    actions: Sequence[CardAction] = ()


# ------------------------------------------------------------------------------------------------
# Leave Conversation: the confirmation
# ------------------------------------------------------------------------------------------------

class LeaveOutcome(StrEnum):
    """What became of a confirmation: the card then shows it, and no buttons."""
    ASKED = "asked"         # waiting for the employee's answer
    LEFT = "left"
    STAYED = "stayed"       # Cancel


@dataclass(frozen=True)
class LeaveTexts:
    # every template may use {guest} (shown literally)
    question: str
    told: str
    others_stay: str
    closes: str
    to_inbox: str
    leave: str          # the button (also the live card's)
    cancel: str         # the button
    left: str           # the outcome after Leave
    stayed: str         # the outcome after Cancel
    summary: str
    guest: GuestTexts


@dataclass(frozen=True)
class LeaveView:
    guest: Guest
    generation: int          # the thread's assignment this card is for (a stale card is refused)
    last: bool               # the employee is the last one in the conversation
    to_inbox: bool = False   # … and the contact then goes back to the inbox
    by: str = ""             # who asked: only they can confirm
    outcome: str = LeaveOutcome.ASKED
    texts: LeaveTexts = field(kw_only=True)


# ------------------------------------------------------------------------------------------------
# An older copy of the live card, once a newer one is posted
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MovedTexts:
    text: str
    guest: GuestTexts


@dataclass(frozen=True)
class MovedView:
    guest: Guest
    texts: MovedTexts
