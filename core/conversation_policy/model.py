"""The conversation's policy: its statuses, WeChat's answers it knows, and its state (what a
thread stores). Pure: no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from core.chat_status import ChatStatus
from core.outgoing_media import OutgoingMedia

# --- statuses, kinds, WeChat's answers -------------------------------------------------------------

NEW, ACTIVE, CLOSED = ChatStatus.NEW, ChatStatus.ACTIVE, ChatStatus.CLOSED
INACTIVE_TIME, INACTIVE_COUNT = ChatStatus.INACTIVE_TIME, ChatStatus.INACTIVE_COUNT
STATUSES = tuple(ChatStatus)

MESSAGE = "message"  # window kinds: opened by a guest message …
EVENT = "event"  # … or by a follow / scan

EMPLOYEE = "employee"  # send kinds
SYSTEM = "system"
NOTICE = "notice"  # pending only: a SendToGuest(kind=SYSTEM) carrying one of the policy's notices
TEMPLATE = "template"  # pending only: a SendTemplate

GUEST = "guest"  # Leave.by for the guest

QUEUED = "queued"  # Receipt outcomes
REFUSED = "refused"
CANCELLED = "cancelled"
UNCONFIRMED = "unconfirmed"  # WeChat never answered: it may or may not have reached the guest

WINDOW_CLOSED = 45015  # out of the 48 h window (or the user unfollowed)
QUOTA_SPENT = 45047  # out of response count limit
UNREACHABLE = frozenset({43004, 43019, 48002, 40003})  # not a follower, blocked us, messages off, bad openid
NOT_DELIVERED = frozenset({40001, 40007, 40008, 40014, 41001, 42001, 44004, 45002, 45009, 45011, 47001})
ERRMSG = {  # WeChat's own wording, for the employees' notice when the adapter has none
    -1: "system busy", 40001: "invalid access token", 40003: "invalid openid", 40007: "invalid media_id",
    40008: "invalid message type", 43004: "the user does not follow the account",
    43019: "the user blocked the account", 44004: "empty content", 45002: "content too long",
    45009: "daily API quota reached", 45011: "API minute quota reached", 47001: "data format error",
    48001: "API not authorised", 48002: "the user turned messages off",
}

ONCE_PER_CONVERSATION = frozenset({"welcome_guest", "welcome_employee"})
UNCONFIRMED_KEPT = 10  # employee messages whose delivery was not confirmed, kept for "Send again"


# --- state ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """An employee message waiting for the window (or in flight): a text, or a medium (one WeChat
    message each). `seq` is its writing order."""

    message_id: str
    text: str
    author: str
    queued_at: float
    seq: int
    media: OutgoingMedia | None = None

    @property
    def shown(self) -> str:
        """What the employees see of it in the queue: the text, or "[image] photo.png"."""
        return self.media.label() if self.media else self.text

    def to_body(self) -> dict[str, Any]:
        body = {"message_id": self.message_id, "text": self.text, "author": self.author,
                "queued_at": self.queued_at, "seq": self.seq}
        return {**body, "media": self.media.to_body()} if self.media else body

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "QueueItem":
        media = body.get("media")  # bodies written before media went out have none
        return cls(body["message_id"], body["text"], body["author"], body["queued_at"], body["seq"],
                   OutgoingMedia.from_body(media) if media else None)


@dataclass(frozen=True)
class Pending:
    """A send that WeChat has not answered yet. `epoch` tells which window it was counted in."""

    message_id: str
    kind: str  # EMPLOYEE | SYSTEM | NOTICE | TEMPLATE
    epoch: int
    item: QueueItem | None = None  # employee messages: what goes back in the queue if refused
    notice: str | None = None

    def to_body(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "kind": self.kind, "epoch": self.epoch,
                "item": self.item.to_body() if self.item else None, "notice": self.notice}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "Pending":
        item = body.get("item")
        return cls(body["message_id"], body["kind"], body["epoch"],
                   QueueItem.from_body(item) if item else None, body.get("notice"))


@dataclass(frozen=True)
class PolicyState:
    status: str = NEW
    last_guest_message_at: float | None = None
    window_kind: str | None = None  # MESSAGE | EVENT: the last window opened (open while now < window_ends_at)
    window_ends_at: float | None = None
    sent: int = 0  # business messages counted in that window, system messages included
    employee_sent: int = 0  # of which the employees'
    epoch: int = 0  # windows opened so far
    queue: tuple[QueueItem, ...] = ()  # in writing order
    pending: tuple[Pending, ...] = ()
    notices_sent: frozenset[str] = frozenset()  # in this window (welcomes: in this conversation)
    guest_language: str | None = None  # None: the policy's default
    participants_changed: bool = False  # since the guest's last message, not told yet
    unconfirmed: tuple[QueueItem, ...] = ()  # employee messages WeChat never answered for (newest last)
    next_seq: int = 1
    next_due_at: float | None = None  # the earliest deadline: feed a Tick at or after it

    def to_body(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "last_guest_message_at": self.last_guest_message_at,
            "window_kind": self.window_kind,
            "window_ends_at": self.window_ends_at,
            "sent": self.sent,
            "employee_sent": self.employee_sent,
            "epoch": self.epoch,
            "queue": [item.to_body() for item in self.queue],
            "pending": [p.to_body() for p in self.pending],
            "notices_sent": sorted(self.notices_sent),
            "guest_language": self.guest_language,
            "participants_changed": self.participants_changed,
            "unconfirmed": [item.to_body() for item in self.unconfirmed],
            "next_seq": self.next_seq,
            "next_due_at": self.next_due_at,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "PolicyState":
        status = body.get("status", NEW)
        if status not in STATUSES:
            raise ValueError(f"unknown policy status {status!r}")
        return cls(
            status=status,
            last_guest_message_at=body.get("last_guest_message_at"),
            window_kind=body.get("window_kind"),
            window_ends_at=body.get("window_ends_at"),
            sent=body.get("sent", 0),
            employee_sent=body.get("employee_sent", 0),
            epoch=body.get("epoch", 0),
            queue=tuple(QueueItem.from_body(b) for b in body.get("queue") or ()),
            pending=tuple(Pending.from_body(b) for b in body.get("pending") or ()),
            notices_sent=frozenset(body.get("notices_sent") or ()),
            guest_language=body.get("guest_language"),
            participants_changed=bool(body.get("participants_changed", False)),
            unconfirmed=tuple(QueueItem.from_body(b) for b in body.get("unconfirmed") or ()),
            next_seq=body.get("next_seq", 1),
            next_due_at=body.get("next_due_at"),
        )
