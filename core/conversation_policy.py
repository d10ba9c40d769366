"""The WeChat policy of one thread: what may be sent to the guest, when, and what everyone is told.

A pure function, `decide(state, event, now, policy, notices) -> Decision(state, commands)`: no I/O,
no clock reads; the WeChat limits are the `Policy` (data), the texts are `Notices` (data). The
adapters carry out the commands in order and feed back what happened (`WeChatAnswer` for every
send), without knowing any WeChat rule.

The rules, as the seeds and docs/wechat-platform.md state them:
- The business may only answer: a guest message opens a window of `window_seconds` (48 h) with
  `wechat_quota` (5) customer-service messages; a follow / QR scan opens `event_quota` (3) for
  `event_window_seconds` (60 s). Nothing is ever sent outside a window or past its quota.
- Every message counts, system messages included. Employees (and other components' system
  messages) may use `employee_quota` of a guest message's quota; the rest is kept for the
  policy's own notices to the guest. Event windows carry system messages only: employees wait
  until the guest writes.
- While the chat cannot take an employee message it is queued, up to `queue_limit`; past that it is
  refused with a notice. A guest message sends the queue in order within the new quota; what
  does not fit stays queued. Nothing overtakes a queued message.
- Deadlines are data: `next_due_at` is the earliest of the 24 h warning and the window's end. A
  sweeper feeds `Tick` at or after it; any event first lets time pass the same way (a late
  sweeper cannot let a closed window be used), except news about the window itself: a guest
  message (pending deadlines are moot), an unfollow, WeChat's answer (which may close the window:
  it is applied first). Each fires once: the notices sent in the current window are in the state.
- WeChat is the authority: 45015 closes the window, 45047 spends the quota, 43004 & co. close the
  chat; the refused employee message goes back into the queue in writing order.

Statuses (`PolicyState.status`):

```mermaid
stateDiagram-v2
    [*] --> new
    new --> active: guest message
    active --> inactive_count: employee allowance used up / 45047
    active --> inactive_time: window ends (48 h) / 45015
    inactive_count --> inactive_time: window ends (48 h) / 45015
    inactive_count --> active: guest message (queue sent in order)
    inactive_time --> active: guest message (queue sent in order)
    new --> closed: leave / unfollow / 43004…
    active --> closed: leave / unfollow / 43004…
    inactive_count --> closed: leave / unfollow / 43004…
    inactive_time --> closed: leave / unfollow / 43004…
    closed --> active: guest message (a new conversation)
    closed --> new: follow / scan (a new conversation)
```
`new`: the guest has not written yet (a follow's event window may be open: notices only).
`inactive_count`: the window is open, the employees' share of its quota is used up.
`inactive_time`: no message window is open. `closed`: the guest or the employee left, or the
guest cannot be reached; queued messages were cancelled.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Mapping, Union

from core.chat_status import ChatStatus
from core.notices import ZH_CN, Notices, normalize_language
from core.policy import Policy

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

_ONCE_PER_CONVERSATION = frozenset({"welcome_guest", "welcome_employee"})
UNCONFIRMED_KEPT = 10  # employee messages whose delivery was not confirmed, kept for "Send again"


# --- state ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """An employee message waiting for the window (or in flight). `seq` is its writing order."""

    message_id: str
    text: str
    author: str
    queued_at: float
    seq: int

    def to_body(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "text": self.text, "author": self.author,
                "queued_at": self.queued_at, "seq": self.seq}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "QueueItem":
        return cls(body["message_id"], body["text"], body["author"], body["queued_at"], body["seq"])


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


# --- events --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestMessage:
    """The guest wrote (any message type). A text equal to the policy's leave keyword leaves.
    `withheld`: data-loss prevention kept it from the employees; why, by language, for the guest."""

    text: str = ""
    language: str | None = None  # e.g. WeChat's user-info `language`: zh_CN, en …
    withheld: Mapping[str, str] | None = None
    # When the guest wrote (WeChat's CreateTime): WeChat's window counts from then, however late the
    # message is decided (an employee who installs the app later, a retried job, a worker that was
    # down); and how many messages a dialog sent the guest since (WeChat counted them).
    at: float | None = None
    sent_since: int = 0
    # What a dialog says as it connects the guest ("You are now connected with Alice Wong"): said
    # instead of the welcome's opening, in the same WeChat message as the rules.
    said: str = ""


@dataclass(frozen=True)
class EmployeeMessage:
    message_id: str
    text: str
    author: str


@dataclass(frozen=True)
class SystemMessage:
    """Another component (a dialog, the routing assistant) wants to send the guest a message."""

    text: str
    message_id: str | None = None


@dataclass(frozen=True)
class Follow:
    language: str | None = None
    at: float | None = None  # when the guest followed (CreateTime): WeChat's grant counts from then


@dataclass(frozen=True)
class Scan:
    """A parametric QR scan (feed click / scancode menu events as this too: same grant)."""

    language: str | None = None
    at: float | None = None


@dataclass(frozen=True)
class Unfollow:
    pass


@dataclass(frozen=True)
class Tick:
    """Time passed (the sweeper, at or after `next_due_at`)."""


@dataclass(frozen=True)
class ParticipantsChanged:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Leave:
    """The guest (`by=GUEST`) or an employee (`by=` their id, `name` as shown) left the conversation.
    `closes`: False when other employees stay in it (only the guest and the last employee close it)."""

    by: str = GUEST
    name: str = ""
    closes: bool = True


@dataclass(frozen=True)
class CancelQueued:
    message_id: str
    by: str = ""


@dataclass(frozen=True)
class WeChatAnswer:
    """WeChat's answer to a SendToGuest / SendTemplate, by its message_id: errcode 0 is success."""

    message_id: str
    errcode: int
    errmsg: str = ""


@dataclass(frozen=True)
class Unconfirmed:
    """A SendToGuest / SendTemplate that WeChat never answered (a timeout after it was sent, a
    crash before its answer was written): it may or may not have reached the guest. It counts as
    spent and is not sent again on its own; an employee message can be sent again (SendAgain)."""

    message_id: str


@dataclass(frozen=True)
class SendAgain:
    """An employee asks to send again a message whose delivery was not confirmed."""

    message_id: str
    by: str = ""


@dataclass(frozen=True)
class Blocked:
    """Data-loss prevention refused an employee message: before it was queued, or when it was to go
    out (then it is pending, and did not reach WeChat). `reasons`: why, by language, for the employees."""

    message_id: str
    reasons: Mapping[str, str]


Event = Union[GuestMessage, EmployeeMessage, SystemMessage, Follow, Scan, Unfollow, Tick,
              ParticipantsChanged, Leave, CancelQueued, WeChatAnswer, Unconfirmed, SendAgain, Blocked]


# --- commands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendToGuest:
    """A customer-service text message. Send in order; answer each with WeChatAnswer(message_id, errcode).

    `kind` EMPLOYEE: an employee's message (`author` their id); SYSTEM: a system message, `notice`
    naming the policy notice it is, if it is one. Ids of system sends are made here: opaque."""

    message_id: str
    text: str
    kind: str
    author: str = ""
    notice: str | None = None


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


def status_view(state: PolicyState, policy: Policy) -> UpdateStatus:
    """The status line for a state (what UpdateStatus carries)."""
    open_window = state.status in (ACTIVE, INACTIVE_COUNT)
    return UpdateStatus(
        status=state.status,
        messages_left=max(0, policy.employee_quota - state.sent) if state.status == ACTIVE else 0,
        message_limit=policy.employee_quota,
        window_closes_at=state.window_ends_at if open_window else None,
        queue=state.queue,
        queue_limit=policy.queue_limit,
    )


_DEFAULT_NOTICES = Notices()


def decide(state: PolicyState, event: Event, now: float, policy: Policy,
           notices: Notices | None = None) -> Decision:
    """The new state of the thread and what to do, in order.

    The adapters' side of the contract: store `Decision.state` (optimistically: read-modify-write
    with the version) before carrying out its commands; carry them out in order; answer every
    SendToGuest and SendTemplate with `WeChatAnswer(message_id, errcode)`, 0 on success, after
    retrying what is transient (token refresh, -1): any other errcode is taken as final. Feed a
    `Tick` at or after `state.next_due_at`. Deduplicate inbound events before (the durable inbox):
    an employee message still queued or in flight is recognised, one answered long ago is not.
    """
    run = _Run(state, now, policy, notices or _DEFAULT_NOTICES)
    if not isinstance(event, (GuestMessage, Unfollow, WeChatAnswer, Unconfirmed)):
        # Time passes first. Not before news about the window itself: a guest message makes the
        # pending deadlines moot, an unfollow or WeChat's answer may have closed the window.
        run.settle()
    run.handle(event)
    run.settle()
    return run.finish(state)


# --- the decision --------------------------------------------------------------------------------


def _hours(seconds: float) -> int | float:
    hours = seconds / 3600
    return int(hours) if float(hours).is_integer() else round(hours, 1)


def _in(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else English, else any."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def _is_leave(text: str, keyword: str) -> bool:
    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).strip().casefold()  # ＃ＬＥＡＶＥ, #leave …

    return bool(text) and norm(text) == norm(keyword)


class _Run:
    """One decision being made: the state so far and the commands so far."""

    def __init__(self, state: PolicyState, now: float, policy: Policy, notices: Notices) -> None:
        self.s = state
        self.now = now
        self.p = policy
        self.n = notices
        self.out: list[Command] = []

    # state helpers ---------------------------------------------------------------------------

    def set(self, **changes: Any) -> None:
        self.s = replace(self.s, **changes)

    def mark(self, key: str) -> None:
        self.set(notices_sent=self.s.notices_sent | {key})

    def window_open(self) -> bool:
        s = self.s
        return s.window_kind is not None and s.window_ends_at is not None and self.now < s.window_ends_at

    def message_window_open(self) -> bool:
        return self.s.window_kind == MESSAGE and self.window_open()

    def wechat_room(self) -> int:
        """Messages WeChat still takes in the open window (the policy's notices may use them all)."""
        if not self.window_open():
            return 0
        quota = self.p.wechat_quota if self.s.window_kind == MESSAGE else self.p.event_quota
        return max(0, quota - self.s.sent)

    def shared_room(self) -> int:
        """Messages employees and other system messages may still use (event windows: system only)."""
        if not self.window_open():
            return 0
        quota = self.p.employee_quota if self.s.window_kind == MESSAGE else self.p.event_quota
        return max(0, quota - self.s.sent)

    def employee_room(self) -> int:
        return self.shared_room() if self.message_window_open() else 0

    def new_id(self, prefix: str, key: str = "") -> str:
        n = self.s.next_seq
        self.set(next_seq=n + 1)
        return f"{prefix}:{key}:{n}" if key else f"{prefix}:{n}"

    def open_window(self, kind: str, seconds: float, start: float | None = None, sent: int = 0) -> None:
        epoch = self.s.epoch + 1
        # answers to notices counted in earlier windows cannot correct anything any more; messages
        # (employees', other components') still get their outcome
        pending = tuple(p for p in self.s.pending if p.kind in (EMPLOYEE, SYSTEM))
        # Sends decided in the old window but not yet answered may reach WeChat after this event and
        # then count in the new window (WeChat counts at delivery): count them here too, to be safe.
        in_flight = sum(1 for p in self.s.pending if p.kind != TEMPLATE) + sent
        self.set(window_kind=kind, window_ends_at=(self.now if start is None else start) + seconds, sent=in_flight,
                 employee_sent=0, epoch=epoch,
                 pending=pending)

    def acted_at(self, at: float | None) -> float:
        """When the guest acted (a message or follow decided late): never after now."""
        return self.now if at is None else min(at, self.now)

    def guest_lang(self) -> str:
        return self.s.guest_language or self.p.guest_language

    def learn_language(self, code: str | None) -> None:
        language = normalize_language(code)
        if language is not None:
            self.set(guest_language=language)

    # commands ----------------------------------------------------------------------------------

    def send(self, message_id: str, text: str, kind: str, author: str = "", notice: str | None = None,
             item: QueueItem | None = None) -> None:
        self.out.append(SendToGuest(message_id, text, EMPLOYEE if kind == EMPLOYEE else SYSTEM, author, notice))
        pending = Pending(message_id, NOTICE if notice else kind, self.s.epoch, item, notice)
        self.set(sent=self.s.sent + 1, employee_sent=self.s.employee_sent + (kind == EMPLOYEE),
                 pending=self.s.pending + (pending,))

    def notice_to_guest(self, key: str, *, once: bool = True, said: str = "", append: tuple[str, ...] = (),
                        **params: Any) -> bool:
        """Send a policy notice to the guest (`once`: once per window) if WeChat takes one more message.
        `said`: a dialog's words, said instead of the notice's own text; `append`: more notices in the
        same WeChat message (they cost nothing more), rendered with the same `params`."""
        if (once and key in self.s.notices_sent) or self.wechat_room() <= 0:
            return False
        language = self.guest_lang()
        parts = [said or self.n.render(key, language, **params)]
        parts += [self.n.render(other, language, **params) for other in append]
        self.send(self.new_id(NOTICE, key), ("" if language == ZH_CN else " ").join(parts), SYSTEM, notice=key)
        if once:
            self.mark(key)
        return True

    def notify(self, key: str, *, once: bool = True, **params: Any) -> None:
        if once and key in self.s.notices_sent:
            return
        text = self.n.render(key, self.p.employee_language, **params)
        self.out.append(NotifyEmployees(key, text, dict(params)))
        if once:
            self.mark(key)

    def receipt(self, message_id: str, outcome: str, cause: str, notice: str | None = None,
                place: int | None = None, /, **params: Any) -> None:
        if place is not None:
            params["position"] = place
        text = self.n.render(notice, self.p.employee_language, **params) if notice else ""
        self.out.append(Receipt(message_id, outcome, cause, notice, text, place))

    # the queue -----------------------------------------------------------------------------------

    def enqueue(self, item: QueueItem, reason: str) -> None:
        """Into the queue in writing order; what the limit leaves out (the newest) is refused."""
        queue = tuple(sorted(self.s.queue + (item,), key=lambda q: q.seq))
        kept, overflow = queue[: self.p.queue_limit], queue[self.p.queue_limit:]
        self.set(queue=kept)
        if item in kept:
            self.receipt(item.message_id, QUEUED, reason, "queued", kept.index(item) + 1,
                         queue_limit=self.p.queue_limit)
        for dropped in overflow:
            self.receipt(dropped.message_id, REFUSED, "queue_full", "queue_full", queue_limit=self.p.queue_limit)

    def cancel_all(self, reason: str) -> int:
        queue = self.s.queue
        for item in queue:
            self.receipt(item.message_id, CANCELLED, reason)
        self.set(queue=())
        return len(queue)

    def close(self) -> None:
        self.set(status=CLOSED, queue=(), notices_sent=frozenset(), participants_changed=False, unconfirmed=())

    # events ----------------------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        if isinstance(event, GuestMessage):
            self.guest_message(event)
        elif isinstance(event, EmployeeMessage):
            self.employee_message(event)
        elif isinstance(event, SystemMessage):
            self.system_message(event)
        elif isinstance(event, (Follow, Scan)):
            self.follow(event)
        elif isinstance(event, Unfollow):
            self.unfollow()
        elif isinstance(event, Tick):
            pass  # settle() did it
        elif isinstance(event, ParticipantsChanged):
            self.participants_changed()
        elif isinstance(event, Leave):
            self.leave(event)
        elif isinstance(event, CancelQueued):
            self.cancel(event)
        elif isinstance(event, WeChatAnswer):
            self.wechat_answer(event)
        elif isinstance(event, Unconfirmed):
            self.unconfirmed(event)
        elif isinstance(event, SendAgain):
            self.send_again(event)
        elif isinstance(event, Blocked):
            self.blocked(event)
        else:
            raise TypeError(f"not a policy event: {event!r}")

    def guest_message(self, event: GuestMessage) -> None:
        was_closed = self.s.status == CLOSED
        self.learn_language(event.language)
        written = self.acted_at(event.at)
        last = self.s.last_guest_message_at
        if was_closed or last is None or written >= last:
            self.open_window(MESSAGE, self.p.window_seconds, start=written, sent=max(0, event.sent_since))
            self.set(status=ACTIVE, last_guest_message_at=written, participants_changed=False,
                     notices_sent=frozenset() if was_closed else self.s.notices_sent & _ONCE_PER_CONVERSATION)
        # else: an older message decided after a newer one (a retried job): WeChat's window and quota
        # are the newer one's, already open
        if _is_leave(event.text, self.p.leave_keyword):
            self.leave(Leave(GUEST))
            return
        self.welcome(said=event.said)
        if event.withheld:  # the guest is told why; the employees are not
            self.notice_to_guest("dlp_withheld_guest", once=False,
                                 reason=_in(event.withheld, self.guest_lang()))

    def welcome(self, said: str = "") -> None:
        """The welcome, once per conversation: to the guest in one WeChat message (who they are
        connected with, or a plain opening; then the rules; then that the chat is recorded: telling
        them must not cost one of their messages), and the employees' notice. A dialog's words come
        alone when the welcome was said before."""
        hours = _hours(self.p.window_seconds)
        rules = ("rules_guest", "recorded_guest") if self.p.recorded else ("rules_guest",)
        if not self.notice_to_guest("welcome_guest", said=said, append=rules, limit=self.p.wechat_quota,
                                    hours=hours, leave_keyword=self.p.leave_keyword) and said:
            self.notice_to_guest("connected", said=said, once=False)
        self.notify("welcome_employee", limit=self.p.employee_quota, hours=hours)

    def follow(self, event: Follow | Scan) -> None:
        self.learn_language(event.language)
        if self.s.status == CLOSED:  # a new conversation
            self.set(status=NEW, notices_sent=frozenset(), window_kind=None)
        if not self.message_window_open():  # during a message window WeChat's extra grant is not used
            self.open_window(EVENT, self.p.event_window_seconds, start=self.acted_at(event.at))
        self.welcome()

    def unfollow(self) -> None:
        if self.s.status != CLOSED:
            count = self.cancel_all("unfollowed")
            self.notify("guest_unfollowed", once=False, count=count)
            self.close()
        self.set(window_kind=None)  # WeChat closes the window

    def employee_message(self, event: EmployeeMessage) -> None:
        s = self.s
        if s.status == CLOSED:
            self.receipt(event.message_id, REFUSED, "closed", "chat_closed")
            return
        if any(q.message_id == event.message_id for q in s.queue) or any(
                p.message_id == event.message_id for p in s.pending):
            return  # the same message again (a redelivery): already handled
        item = QueueItem(event.message_id, event.text, event.author, self.now, s.next_seq)
        self.set(next_seq=s.next_seq + 1)
        if s.status == ACTIVE and not s.queue and self.employee_room() > 0:
            self.send(item.message_id, item.text, EMPLOYEE, author=item.author, item=item)
        else:
            self.enqueue(item, "inactive")

    def system_message(self, event: SystemMessage) -> None:
        message_id = event.message_id or self.new_id(SYSTEM)
        if self.s.status == CLOSED:
            self.receipt(message_id, REFUSED, "closed")
        elif self.shared_room() > 0:
            self.send(message_id, event.text, SYSTEM)
        else:
            self.receipt(message_id, REFUSED, "limit_reached" if self.window_open() else "window_closed")

    def participants_changed(self) -> None:
        hours = self.pause_hours_left()
        if hours is not None:
            self.notice_to_guest("participants_changed", hours=hours)

    def pause_hours_left(self) -> int | None:
        """People were added to or removed from the chat: the whole hours left to reply, when the guest
        is to be told now (the chat is past its 24 h mark: the pause); None when they are not, or are
        told later, with the 24 h warning (if they have not replied by then)."""
        s = self.s
        if s.status not in (ACTIVE, INACTIVE_COUNT) or not self.message_window_open():
            return None  # no pause to speak of, or nothing can reach the guest
        if "no_reply_24h" not in s.notices_sent:
            self.set(participants_changed=True)
            return None
        remaining = int((s.window_ends_at - self.now) // 3600)  # type: ignore[operator]
        return remaining if remaining >= 1 and "participants_changed" not in s.notices_sent else None

    def leave(self, event: Leave) -> None:
        if self.s.status == CLOSED:
            return
        if event.by == GUEST:
            self.notice_to_guest("guest_left_guest")
            count = self.cancel_all("guest_left")
            self.notify("guest_left", once=False, count=count)
        else:
            name = event.name or event.by
            if not event.closes:  # someone removed from the chat: the pause's notice comes with it
                hours = self.pause_hours_left()
                if self.notice_to_guest("employee_left_guest", once=False, name=name, hours=hours,
                                        append=("participants_changed",) if hours is not None else ()):
                    if hours is not None:
                        self.mark("participants_changed")
                self.notify("employee_left_others_stay", once=False, name=name)
                return
            self.notice_to_guest("employee_left_guest", once=False, name=name)  # each employee who leaves
            count = self.cancel_all("employee_left")
            self.notify("employee_left", once=False, name=name, count=count)
        self.close()

    def cancel(self, event: CancelQueued) -> None:
        queue = self.s.queue
        if not any(q.message_id == event.message_id for q in queue):
            self.notify("not_queued", once=False, message_id=event.message_id)
            return
        self.set(queue=tuple(q for q in queue if q.message_id != event.message_id))
        self.receipt(event.message_id, CANCELLED, "cancelled", "cancelled")

    def blocked(self, event: Blocked) -> None:
        reason = _in(event.reasons, self.p.employee_language)
        pending = next((p for p in self.s.pending if p.message_id == event.message_id), None)
        if pending is not None:  # stopped on its way out: it never reached WeChat, so it did not count
            self.set(pending=tuple(p for p in self.s.pending if p is not pending))
            if pending.epoch == self.s.epoch and self.window_open():
                self.set(sent=max(0, self.s.sent - 1),
                         employee_sent=max(0, self.s.employee_sent - (pending.kind == EMPLOYEE)))
        self.set(queue=tuple(q for q in self.s.queue if q.message_id != event.message_id))
        self.receipt(event.message_id, REFUSED, "dlp", "dlp_blocked", reason=reason)

    def wechat_answer(self, event: WeChatAnswer) -> None:
        pending = next((p for p in self.s.pending if p.message_id == event.message_id), None)
        if pending is None:
            return  # unknown, or answered before
        self.set(pending=tuple(p for p in self.s.pending if p is not pending))
        code = event.errcode
        if code == 0:
            return
        current = pending.epoch == self.s.epoch and self.window_open()
        reason = event.errmsg or ERRMSG.get(code, "error")
        if code == WINDOW_CLOSED:
            if current:
                self.set(window_ends_at=self.now)
            self.put_back(pending, code, current)
        elif code == QUOTA_SPENT:
            if current:
                quota = self.p.wechat_quota if self.s.window_kind == MESSAGE else self.p.event_quota
                self.set(sent=max(self.s.sent, quota))
            self.put_back(pending, code, current)
        elif code in UNREACHABLE:
            if pending.kind in (EMPLOYEE, SYSTEM):
                self.receipt(pending.message_id, CANCELLED if pending.kind == EMPLOYEE else REFUSED, "unreachable")
            if self.s.status != CLOSED:
                count = self.cancel_all("unreachable")
                self.notify("guest_unreachable", once=False, errcode=code, reason=reason, count=count)
                self.close()
        elif pending.kind == TEMPLATE:
            self.notify("template_failed", errcode=code, reason=reason)
        elif pending.kind in (EMPLOYEE, SYSTEM):
            if current and code in NOT_DELIVERED:  # it did not count: give the slot back
                self.set(sent=max(0, self.s.sent - 1),
                         employee_sent=max(0, self.s.employee_sent - (pending.kind == EMPLOYEE)))
            notice = "wechat_refused" if pending.kind == EMPLOYEE else None
            self.receipt(pending.message_id, REFUSED, f"wechat:{code}", notice, errcode=code, reason=reason)

    def unconfirmed(self, event: Unconfirmed) -> None:
        """WeChat never answered: the send stays counted (it may have reached the guest, and WeChat
        counted it then); nothing is sent again on its own. An employee message is kept, for Send again."""
        pending = next((p for p in self.s.pending if p.message_id == event.message_id), None)
        if pending is None:
            return  # unknown, or answered before
        self.set(pending=tuple(p for p in self.s.pending if p is not pending))
        if pending.kind == TEMPLATE and pending.notice == "new_messages":
            return  # the guest may not know messages wait; the next window tries again
        if pending.kind == EMPLOYEE and pending.item is not None:
            self.set(unconfirmed=(self.s.unconfirmed + (pending.item,))[-UNCONFIRMED_KEPT:])
            self.receipt(pending.message_id, UNCONFIRMED, "not_confirmed", "not_confirmed")
        elif pending.kind == SYSTEM:
            self.receipt(pending.message_id, UNCONFIRMED, "not_confirmed")

    def send_again(self, event: SendAgain) -> None:
        """The employee's word: the message goes again (a new message, counted and queued as any)."""
        item = next((q for q in self.s.unconfirmed if q.message_id == event.message_id), None)
        if item is None:
            self.notify("nothing_to_send_again", once=False, message_id=event.message_id)
            return
        self.set(unconfirmed=tuple(q for q in self.s.unconfirmed if q is not item))
        self.employee_message(EmployeeMessage(f"{item.message_id}:again", item.text, item.author))

    def put_back(self, pending: Pending, code: int, current: bool) -> None:
        """A send refused for the window or the quota: employee messages go back in the queue."""
        if pending.kind == NOTICE and pending.notice == "new_messages" and current:
            self.set(notices_sent=self.s.notices_sent - {"new_messages"})  # try the template instead
        if pending.kind == SYSTEM:  # another component's message: it decides whether to try again
            self.receipt(pending.message_id, REFUSED, f"wechat:{code}")
        if pending.kind != EMPLOYEE or pending.item is None:
            return
        if self.s.status == CLOSED:
            self.receipt(pending.message_id, CANCELLED, "closed")
            return
        self.enqueue(pending.item, f"wechat:{code}")

    # time and status --------------------------------------------------------------------------------

    def settle(self) -> None:
        """Bring the state up to `now`: due deadlines, the queue, the status and what it implies."""
        if self.s.status == CLOSED:
            return
        self.warn_if_due()
        while self.s.queue and self.employee_room() > 0:  # the queue goes first, in order
            item, rest = self.s.queue[0], self.s.queue[1:]
            self.set(queue=rest)
            self.send(item.message_id, item.text, EMPLOYEE, author=item.author, item=item)
        self.update_status()
        self.tell_guest_messages_wait()

    def warn_if_due(self) -> None:
        s = self.s
        if s.window_kind != MESSAGE or s.status not in (ACTIVE, INACTIVE_COUNT) or s.last_guest_message_at is None \
                or "no_reply_24h" in s.notices_sent \
                or self.now < s.last_guest_message_at + self.p.warning_after_seconds:
            return
        self.mark("no_reply_24h")
        if not self.window_open():
            return  # the sweeper came after the window's end: the expiry says it all
        # The policy's durations, not the clock's: a sweeper a minute late must not say "23 hours".
        remaining = _hours(self.p.window_seconds - self.p.warning_after_seconds)
        self.notify("no_reply_24h", once=False, hours=_hours(self.p.warning_after_seconds),
                    remaining_hours=remaining)
        if s.status == INACTIVE_COUNT:
            self.notice_to_guest("on_hold")
        if s.participants_changed:
            self.set(participants_changed=False)
            self.notice_to_guest("participants_changed", hours=remaining)

    def update_status(self) -> None:
        old = self.s.status
        if self.message_window_open():
            new = ACTIVE if self.s.sent < self.p.employee_quota else INACTIVE_COUNT
        else:
            new = NEW if old == NEW else INACTIVE_TIME
        if new == old:
            return
        self.set(status=new)
        if new == INACTIVE_COUNT:
            if self.s.employee_sent:  # the limit the status card shows: every message counts, system ones too
                self.notify("limit_reached", count=self.s.employee_sent, limit=self.p.employee_quota)
            self.notify("chat_inactive", queue_limit=self.p.queue_limit)
        elif new == INACTIVE_TIME and old in (ACTIVE, INACTIVE_COUNT):
            self.notify("chat_inactive", queue_limit=self.p.queue_limit)

    def tell_guest_messages_wait(self) -> None:
        s = self.s
        if not s.queue or s.status not in (NEW, INACTIVE_TIME, INACTIVE_COUNT) or "new_messages" in s.notices_sent:
            return
        count = len(s.queue)
        if self.notice_to_guest("new_messages", count=count):
            return
        if self.p.template_id:
            message_id = self.new_id(TEMPLATE, "new_messages")
            text = self.n.render("new_messages", self.guest_lang(), count=count)
            self.out.append(SendTemplate(message_id, self.p.template_id, "new_messages", text, {"count": count}))
            self.set(pending=self.s.pending + (Pending(message_id, TEMPLATE, self.s.epoch, None, "new_messages"),))
            self.mark("new_messages")
        else:
            self.notify("no_template", count=count)

    def finish(self, before: PolicyState) -> Decision:
        s = self.s
        due = None
        if s.status in (ACTIVE, INACTIVE_COUNT) and s.window_kind == MESSAGE and s.window_ends_at is not None:
            due = s.window_ends_at
            if "no_reply_24h" not in s.notices_sent and s.last_guest_message_at is not None:
                due = min(due, s.last_guest_message_at + self.p.warning_after_seconds)
        self.set(next_due_at=due)
        view = status_view(self.s, self.p)
        warned = "no_reply_24h" in self.s.notices_sent and "no_reply_24h" not in before.notices_sent
        if view != status_view(before, self.p) or warned:  # the warning: the card's "closes in" is a day old
            self.out.append(view)
        return Decision(self.s, tuple(self.out))
