"""What the policy decides: the commands the adapters carry out, in order, and the decision."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Union

from core.conversation_policy.model import ACTIVE, INACTIVE_COUNT, PolicyState, QueueItem
from core.conversation_settings import ConversationSettings
from core.outgoing_media import OutgoingMedia

# --- commands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendToGuest:
    """A customer-service message: a text, or an employee's `media` (a picture, voice note or video, or
    a document's link). Send in order; answer each with WeChatAnswer(message_id, errcode).

    `kind` EMPLOYEE: an employee's message (`author` their id); SYSTEM: a system message, `notice`
    naming the policy notice it is, if it is one. Ids of system sends are made here: opaque."""

    message_id: str
    text: str
    kind: str
    author: str = ""
    notice: str | None = None
    media: OutgoingMedia | None = None


@dataclass(frozen=True)
class SendTemplate:
    """A template message (reaches a follower outside the window). Answer with WeChatAnswer too.

    `text` is the whole notice in the guest's language; `params` its values, for the template's
    keyword fields (which fields a template has is the account's configuration)."""

    message_id: str
    template_id: str
    notice: str
    text: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class NotifyEmployees:
    """Tell the thread's employees something (a card or a message in Teams)."""

    notice: str
    text: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Receipt:
    """What became of one message that was not simply sent: QUEUED, REFUSED, CANCELLED or UNCONFIRMED.

    `text` (may be empty) is the notice to show next to that message in Teams."""

    message_id: str
    outcome: str
    reason: str  # inactive | queue_full | closed | cancelled | guest_left | employee_left | unfollowed |
    #              unreachable | window_closed | limit_reached | wechat:<errcode> | not_confirmed
    notice: str | None = None
    text: str = ""
    position: int | None = None  # QUEUED: 1-based place in the queue


@dataclass(frozen=True)
class UpdateStatus:
    """The live status line changed: update it in place."""

    status: str
    messages_left: int  # the employees' messages left in this window
    message_limit: int
    window_closes_at: float | None  # while the message window is open
    queue: tuple[QueueItem, ...]
    queue_limit: int


Command = Union[SendToGuest, SendTemplate, NotifyEmployees, Receipt, UpdateStatus]


@dataclass(frozen=True)
class Decision:
    state: PolicyState
    commands: tuple[Command, ...]


def status_view(state: PolicyState, settings: ConversationSettings) -> UpdateStatus:
    """The status line for a state (what UpdateStatus carries)."""
    open_window = state.status in (ACTIVE, INACTIVE_COUNT)
    return UpdateStatus(
        status=state.status,
        messages_left=max(0, settings.employee_quota - state.sent) if state.status == ACTIVE else 0,
        message_limit=settings.employee_quota,
        window_closes_at=state.window_ends_at if open_window else None,
        queue=state.queue,
        queue_limit=settings.queue_limit,
    )
