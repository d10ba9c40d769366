"""One decision being made: the state and commands so far, what WeChat still takes, what is said,
and time passing (deadlines, the status, the queue). The rules of each event: rules.py."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Any, Mapping

from core.conversation_policy.commands import (Command, Decision, NotifyEmployees, Receipt, SendTemplate,
                                                SendToGuest, status_view)
from core.conversation_policy.model import (ACTIVE, CLOSED, EMPLOYEE, INACTIVE_COUNT, INACTIVE_TIME, MESSAGE, NEW,
                                             NOTICE, QUEUED, REFUSED, CANCELLED, SYSTEM, TEMPLATE, Pending,
                                             PolicyState, QueueItem)
from core.notices import Notices, normalize_language, sentences
from core.conversation_settings import ConversationSettings


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


class Run:
    """One decision being made: the state so far and the commands so far."""

    def __init__(self, state: PolicyState, now: float, settings: ConversationSettings, notices: Notices) -> None:
        self.s = state
        self.now = now
        self.p = settings
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
        self.out.append(SendToGuest(message_id, text, EMPLOYEE if kind == EMPLOYEE else SYSTEM, author, notice,
                                    item.media if item else None))
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
        self.send(self.new_id(NOTICE, key), sentences(parts, language), SYSTEM, notice=key)
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

    # time and status --------------------------------------------------------------------------------

    def settle(self) -> None:
        """Bring the state up to `now`: due deadlines, the queue, the status and what it implies."""
        if self.s.status == CLOSED:
            return
        self.warn_if_due()
        # The queue goes first, in order; not while a later message is on its way: if WeChat takes that one, an earlier
        # one sent now would reach the guest after it (a refusal put the earlier one back while the later was sent).
        while self.s.queue and self.employee_room() > 0 and not self.later_in_flight(self.s.queue[0].seq):
            item, rest = self.s.queue[0], self.s.queue[1:]
            self.set(queue=rest)
            self.send(item.message_id, item.text, EMPLOYEE, author=item.author, item=item)
        self.update_status()
        self.tell_guest_messages_wait()

    def later_in_flight(self, seq: int) -> bool:
        return any(p.kind == EMPLOYEE and p.item is not None and p.item.seq > seq for p in self.s.pending)

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
