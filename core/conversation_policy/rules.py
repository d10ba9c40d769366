"""The rules of each event, and `decide`: the policy's one entry point."""
from __future__ import annotations

from typing import Any, Callable

from core.conversation_policy.commands import Decision
from core.conversation_policy.events import (Blocked, CancelQueued, EmployeeMessage, Event, Follow, GuestMessage,
                                              Leave, ParticipantsChanged, Scan, SendAgain, SystemMessage, Tick,
                                              Unconfirmed, Unfollow, WeChatAnswer)
from core.conversation_policy.model import (ACTIVE, CANCELLED, CLOSED, EMPLOYEE, ERRMSG, EVENT, GUEST,
                                             INACTIVE_COUNT, MESSAGE, NEW, NOT_DELIVERED, NOTICE, ONCE_PER_CONVERSATION,
                                             QUOTA_SPENT, REFUSED, SYSTEM, TEMPLATE, UNCONFIRMED,
                                             UNCONFIRMED_KEPT, UNREACHABLE, WINDOW_CLOSED, Pending, PolicyState,
                                             QueueItem)
from core.conversation_policy.run import Run, _hours, _in, _is_leave
from core.notices import Notices
from core.outgoing_media import OutgoingMedia
from core.conversation_settings import ConversationSettings


class Rules(Run):
    """A decision, with the rule of each event."""

    def guest_message(self, event: GuestMessage) -> None:
        was_closed = self.s.status == CLOSED
        self.learn_language(event.language)
        written = self.acted_at(event.at)
        last = self.s.last_guest_message_at
        if was_closed or last is None or written >= last:
            self.open_window(MESSAGE, self.p.window_seconds, start=written, sent=max(0, event.sent_since))
            self.set(status=ACTIVE, last_guest_message_at=written, participants_changed=False,
                     notices_sent=frozenset() if was_closed else self.s.notices_sent & ONCE_PER_CONVERSATION)
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
        for item in self.items_of(event):
            if self.s.status == ACTIVE and not self.s.queue and self.employee_room() > 0:
                self.send(item.message_id, item.text, EMPLOYEE, author=item.author, item=item)
            else:
                self.enqueue(item, "inactive")

    def items_of(self, event: EmployeeMessage) -> list[QueueItem]:
        """One item per WeChat message, in writing order: the text (if any), then each medium."""
        parts: list[tuple[str, OutgoingMedia | None]] = [(event.text, None)] if event.text or not event.media else []
        parts += [("", media) for media in event.media]
        items = []
        for n, (text, media) in enumerate(parts):
            message_id = f"{event.message_id}:{n}" if n else event.message_id
            items.append(QueueItem(message_id, text, event.author, self.now, self.s.next_seq + n, media))
        self.set(next_seq=self.s.next_seq + len(parts))
        return items

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
        self.receipt(event.message_id, REFUSED, event.cause, BLOCKED_NOTICES[event.cause], reason=reason)

    def wechat_answer(self, event: WeChatAnswer) -> None:
        pending = next((p for p in self.s.pending if p.message_id == event.message_id), None)
        if pending is None:
            return  # unknown, or answered before
        self.set(pending=tuple(p for p in self.s.pending if p is not pending))
        code = event.errcode
        if code == 0:
            if pending.kind == EMPLOYEE and pending.item is not None:
                self.overtaken(pending.item.seq)
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
        self.employee_message(EmployeeMessage(f"{item.message_id}:again", item.text, item.author,
                                              (item.media,) if item.media else ()))

    def overtaken(self, seq: int) -> None:
        """A message reached the guest while earlier ones waited in the queue (refused while it was on its way): they
        can no longer reach the guest in the order they were written. The employees are told; nothing goes out of
        order."""
        earlier = tuple(q for q in self.s.queue if q.seq < seq)
        if not earlier:
            return
        self.set(queue=tuple(q for q in self.s.queue if q.seq > seq))
        for item in earlier:
            self.receipt(item.message_id, REFUSED, "overtaken", "overtaken")

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



BLOCKED_NOTICES = {"dlp": "dlp_blocked", "media": "media_refused"}  # Blocked.cause -> the employees' notice

# The rule of each event ("Tick": time passing, which settle() does for every event).
RULES: dict[type, Callable[[Rules, Any], None]] = {
    GuestMessage: Rules.guest_message,
    EmployeeMessage: Rules.employee_message,
    SystemMessage: Rules.system_message,
    Follow: Rules.follow,
    Scan: Rules.follow,
    Unfollow: lambda run, event: run.unfollow(),
    Tick: lambda run, event: None,
    ParticipantsChanged: lambda run, event: run.participants_changed(),
    Leave: Rules.leave,
    CancelQueued: Rules.cancel,
    WeChatAnswer: Rules.wechat_answer,
    Unconfirmed: Rules.unconfirmed,
    SendAgain: Rules.send_again,
    Blocked: Rules.blocked,
}
# News about the window itself: decided before time passes (a guest message makes the pending
# deadlines moot; an unfollow or WeChat's answer may have closed the window).
WINDOW_NEWS = (GuestMessage, Unfollow, WeChatAnswer, Unconfirmed)
_DEFAULT_NOTICES = Notices()


def decide(state: PolicyState, event: Event, now: float, settings: ConversationSettings,
           notices: Notices | None = None) -> Decision:
    """The new state of the thread and what to do, in order.

    The adapters' side of the contract: store `Decision.state` (optimistically: read-modify-write
    with the version) before carrying out its commands; carry them out in order; answer every
    SendToGuest and SendTemplate with `WeChatAnswer(message_id, errcode)`, 0 on success, after
    retrying what is transient (token refresh, -1): any other errcode is taken as final. Feed a
    `Tick` at or after `state.next_due_at`. Deduplicate inbound events before (the durable inbox):
    an employee message still queued or in flight is recognised, one answered long ago is not.
    """
    rule = RULES.get(type(event))
    if rule is None:
        raise TypeError(f"not a policy event: {event!r}")
    run = Rules(state, now, settings, notices or _DEFAULT_NOTICES)
    if not isinstance(event, WINDOW_NEWS):
        run.settle()
    rule(run, event)
    run.settle()
    return run.finish(state)
