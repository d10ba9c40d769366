"""Properties of the policy core, against the WeChat simulator's own quota rules as the oracle.

Whatever guests, employees, dialogs and the clock do, the commands `decide` returns never make
WeChat answer 45015 / 45047, and no employee message is lost or reordered.
"""
from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.conversation_policy import (
    ACTIVE, CANCELLED, CLOSED, EMPLOYEE, INACTIVE_COUNT, QUEUED, REFUSED, STATUSES, CancelQueued,
    EmployeeMessage, Follow, GuestMessage, Leave, NotifyEmployees, ParticipantsChanged, Pending, PolicyState,
    QueueItem, Receipt, Scan, SendTemplate, SendToGuest, SystemMessage, Tick, Unfollow, UpdateStatus,
    WeChatAnswer, decide,
)
from core.conversation_settings import ConversationSettings
from simulators.wechat_api import Window, WindowRules

HOUR = 3600.0
T0 = 1_750_000_000.0
ONCE_PER_WINDOW = ("no_reply_24h", "limit_reached", "chat_inactive", "on_hold", "participants_changed",
                   "new_messages", "no_template", "welcome_guest", "welcome_employee")

policies = st.builds(
    lambda employee_quota, queue_limit, event_quota, template_id, guest_language: ConversationSettings(
        employee_quota=employee_quota, queue_limit=queue_limit, event_quota=event_quota,
        template_id=template_id, guest_language=guest_language),
    employee_quota=st.sampled_from([3, 4, 5, 1]),
    queue_limit=st.sampled_from([5, 2, 0]),
    event_quota=st.sampled_from([3, 1, 0]),
    template_id=st.sampled_from([None, "tpl-new-messages"]),
    guest_language=st.sampled_from(["zh-CN", "en"]),
)

# The interesting moments: just around the event window (60 s), the warning (24 h), the window (48 h).
waits = st.one_of(
    st.sampled_from([1.0, 59.0, 60.0, 61.0, HOUR, 23 * HOUR, 24 * HOUR, 24 * HOUR + 1, 47 * HOUR, 48 * HOUR]),
    st.floats(min_value=1.0, max_value=30 * HOUR, allow_nan=False),
)
# Weighted by repetition: closing events are rare, so that runs reach the late parts of a window.
_KINDS = (["wait"] * 8 + ["employee"] * 8 + ["guest"] * 4 + ["system", "follow", "scan", "participants"]
          + ["cancel"] * 2 + ["leave", "unfollow"])


def _step(kind: str) -> st.SearchStrategy[tuple]:
    if kind == "wait":
        return st.tuples(st.just("wait"), waits, st.booleans())  # False: time passes, no sweeper tick
    if kind == "guest":
        return st.tuples(st.just("guest"), st.sampled_from(["hello", "你好", "ok", "好的", "thanks", "#LEAVE"]))
    if kind == "leave":
        # (who, whether colleagues stay): only an employee can leave others behind
        return st.sampled_from([("leave", "guest", True), ("leave", "aad-bob", True), ("leave", "aad-bob", False)])
    if kind == "cancel":
        return st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=40))
    return st.just((kind,))


steps = st.lists(st.sampled_from(_KINDS).flatmap(_step), max_size=60)

# WeChat knows better: its window closes early, its quota is spent, it refuses the next send.
_DISAGREEMENTS = st.one_of(
    st.just(("wechat_close",)),
    st.just(("wechat_spend",)),
    st.tuples(st.just("wechat_refuse"), st.sampled_from([45015, 45047, 45002, -1, 43004, 48002])),
)
steps_with_wechat_disagreeing = st.lists(
    st.one_of(st.sampled_from(_KINDS).flatmap(_step), _DISAGREEMENTS), max_size=60)


class Harness:
    """The adapters' part: carry out each command against the simulator, answer every send."""

    def __init__(self, policy: ConversationSettings, wechat_disagrees: bool = False) -> None:
        self.policy = policy
        # False: the simulator's rules are the oracle, nothing may be refused. True: WeChat closes
        # windows early, spends quotas and refuses sends the policy could not foresee.
        self.wechat_disagrees = wechat_disagrees
        self.refuse_next: int | None = None
        self.corrected = False  # WeChat said 45015/45047 and the policy heard it
        self.window = Window(WindowRules(message_quota=policy.wechat_quota, message_seconds=policy.window_seconds,
                                         event_quota=policy.event_quota, event_seconds=policy.event_window_seconds))
        self.state = PolicyState()
        self.now = T0
        self.written: list[str] = []  # employee message ids, in writing order
        self.outcome: dict[str, str] = {}
        self.delivered: list[str] = []
        self.notices: Counter[str] = Counter()  # employee + guest notices since the guest's last message
        # The harness's own account of the rule, to check the policy neither over- nor under-uses it:
        self.guest_at: float | None = None  # the guest's last message
        self.closed = False  # left / unfollowed since
        self.sends_since_guest = 0

    def step(self, step: tuple) -> None:
        kind = step[0]
        if kind == "wait":
            self.now += step[1]
            if not step[2]:
                return
            event = Tick()
        elif kind == "wechat_close":
            self.window.close()
            self.corrected = False
            return
        elif kind == "wechat_spend":
            for grant in (self.window.message, self.window.event):
                if grant is not None:
                    grant.remaining = 0
            self.corrected = False
            return
        elif kind == "wechat_refuse":
            self.refuse_next = step[1]
            self.corrected = False
            return
        elif kind == "guest":
            self.window.user_message(self.now)
            self.corrected = False
            self.notices.clear()
            self.guest_at, self.sends_since_guest, self.closed = self.now, 0, step[1] == "#LEAVE"
            event = GuestMessage(step[1])
        elif kind in ("follow", "scan"):
            self.window.user_event(self.now)
            self.corrected = False
            event = Follow() if kind == "follow" else Scan()
        elif kind == "unfollow":
            self.window.close()
            self.closed = True
            event = Unfollow()
        elif kind == "employee":
            message_id = f"e{len(self.written)}"
            self.written.append(message_id)
            expected = None if self.wechat_disagrees else self.employee_may_send()
            self.feed(EmployeeMessage(message_id, f"message {len(self.written)}", "aad-alice"))
            if expected is not None:
                assert (message_id in self.delivered) == expected, (
                    f"{message_id}: sent={message_id in self.delivered}, the rule says {expected}")
            return
        elif kind == "system":
            event = SystemMessage("a dialog's question")
        elif kind == "leave":
            self.closed = self.closed or step[2]
            event = Leave(step[1], "Bob", closes=step[2])
        elif kind == "participants":
            event = ParticipantsChanged(added=("aad-carol",))
        elif kind == "cancel":
            ids = self.written or ["nothing"]
            event = CancelQueued(ids[step[1] % len(ids)], by="aad-alice")
        else:  # pragma: no cover
            raise AssertionError(kind)
        self.feed(event)

    def employee_may_send(self) -> bool:
        """Whether an employee message written now must go at once: the guest wrote within the
        window, employees' share of the quota is not used up, nothing waits before it. (Deadlines
        due now are let pass first, as a sweeper on time would have.)"""
        due = decide(self.state, Tick(), self.now, self.policy)
        sends = self.sends_since_guest + sum(isinstance(c, SendToGuest) for c in due.commands)
        return (not self.closed and self.guest_at is not None and self.now < self.guest_at + self.policy.window_seconds
                and sends < self.policy.employee_quota and not due.state.queue)

    def feed(self, event) -> None:
        events = [event]
        while events:
            event = events.pop(0)
            before = self.state
            decision = decide(before, event, self.now, self.policy)
            self.state = decision.state
            if isinstance(event, WeChatAnswer) and event.errcode in (45015, 45047):
                self.corrected = True
            for command in decision.commands:
                events.extend(self.carry_out(command))
            if self.state.status == CLOSED:
                self.notices.clear()
            self.check_invariants()
        assert not self.state.pending, "every send was answered"

    def carry_out(self, command) -> list:
        if isinstance(command, SendToGuest):
            code = self.window.check(self.now)
            if not self.wechat_disagrees:
                assert code == 0, f"WeChat would answer {code} to {command}"
            elif self.corrected:
                assert code == 0, f"WeChat said so before, and still: {code} to {command}"
            if code == 0 and self.refuse_next is not None:
                code, self.refuse_next = self.refuse_next, None
            if code != 0:
                return [WeChatAnswer(command.message_id, code)]
            assert self.window.consume(self.now) == 0
            if command.kind == EMPLOYEE:
                assert self.sends_since_guest < self.policy.employee_quota, "the reserved slots were used"
                assert command.message_id not in self.delivered, "sent twice"
                self.delivered.append(command.message_id)
                self.outcome[command.message_id] = "sent"
            else:
                assert command.message_id not in self.written
            if command.notice:
                self.notices[command.notice] += 1
            self.sends_since_guest += 1
            return [WeChatAnswer(command.message_id, 0)]
        if isinstance(command, SendTemplate):
            self.notices[command.notice] += 1
            return [WeChatAnswer(command.message_id, 0)]
        if isinstance(command, Receipt):
            if command.message_id in self.written:
                if command.outcome == REFUSED:
                    assert command.text, "an employee message refused without a notice"
                self.outcome[command.message_id] = command.outcome
            return []
        if isinstance(command, NotifyEmployees):
            self.notices[command.notice] += 1
            assert command.text
            return []
        assert isinstance(command, UpdateStatus)
        return []

    def check_invariants(self) -> None:
        s, p = self.state, self.policy
        assert s.status in STATUSES
        assert len(s.queue) <= p.queue_limit
        seqs = [item.seq for item in s.queue]
        assert seqs == sorted(seqs)
        for item in s.queue:
            assert self.outcome.get(item.message_id) == QUEUED
        if s.status == ACTIVE:
            assert not s.queue, "something queued while employees could send"
        assert s.next_due_at is None or s.next_due_at > self.now, "a deadline passed without firing"
        if s.status in (ACTIVE, INACTIVE_COUNT):
            assert s.window_ends_at is not None and self.now < s.window_ends_at
            if self.now >= s.last_guest_message_at + p.warning_after_seconds:
                assert "no_reply_24h" in s.notices_sent
        assert s.sent <= (p.wechat_quota if s.window_kind == "message" else p.event_quota) or s.window_kind is None
        if not self.wechat_disagrees:  # a notice refused by WeChat may be retried another way
            for key in ONCE_PER_WINDOW:
                assert self.notices[key] <= 1, f"{key} sent {self.notices[key]} times in one window"

    def check_end(self) -> None:
        queued = {item.message_id for item in self.state.queue}
        for message_id in self.written:
            outcome = self.outcome.get(message_id)
            assert outcome in ("sent", CANCELLED, REFUSED, QUEUED), f"{message_id} was lost"
            assert (outcome == QUEUED) == (message_id in queued), f"{message_id}: {outcome}, queue {queued}"
        order = [self.written.index(m) for m in self.delivered]
        assert order == sorted(order), "delivered out of writing order"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=policies, script=steps)
def test_wechat_never_refuses_and_no_employee_message_is_lost(policy, script):
    harness = Harness(policy)
    for step in script:
        harness.step(step)
    harness.check_end()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=policies, script=steps_with_wechat_disagreeing)
def test_when_wechat_refuses_the_policy_corrects_itself_and_loses_nothing(policy, script):
    """WeChat is the authority: after it answers 45015/45047 the policy stops sending into that
    window; a refused employee message goes back into the queue in writing order, or is refused
    (content) or cancelled (the guest is gone) with a notice: never lost, never out of order."""
    harness = Harness(policy, wechat_disagrees=True)
    for step in script:
        harness.step(step)
    harness.check_end()


def test_a_message_refused_while_the_next_one_reached_the_guest_is_not_sent_after_it():
    """Two queued messages go out when the guest writes; WeChat refuses the first for the window (it closed a moment
    before, or counted otherwise) and takes the second. The first is not sent after the second: the employees are
    told it was overtaken. (Found by the property above.)"""
    policy = ConversationSettings(employee_quota=3, queue_limit=5, event_quota=3, template_id=None,
                                  guest_language="zh-CN")
    harness = Harness(policy, wechat_disagrees=True)
    for step in [("employee",), ("employee",), ("follow",), ("wechat_refuse", 45015), ("guest", "hello"),
                 ("guest", "hello")]:
        harness.step(step)
    harness.check_end()
    assert harness.delivered == ["e1"] and harness.outcome["e0"] == REFUSED


# --- storage round trip --------------------------------------------------------------------------

texts = st.text(max_size=20)
times = st.floats(min_value=0, max_value=4e9, allow_nan=False, allow_infinity=False)
items = st.builds(QueueItem, message_id=texts, text=texts, author=texts, queued_at=times,
                  seq=st.integers(min_value=1, max_value=10**9))
states = st.builds(
    PolicyState,
    status=st.sampled_from(STATUSES),
    last_guest_message_at=st.none() | times,
    window_kind=st.sampled_from([None, "message", "event"]),
    window_ends_at=st.none() | times,
    sent=st.integers(min_value=0, max_value=20),
    employee_sent=st.integers(min_value=0, max_value=20),
    epoch=st.integers(min_value=0, max_value=10**6),
    queue=st.lists(items, max_size=5).map(tuple),
    pending=st.lists(st.builds(Pending, message_id=texts, kind=st.sampled_from(["employee", "system", "notice",
                                                                               "template"]),
                               epoch=st.integers(min_value=0, max_value=10**6), item=st.none() | items,
                               notice=st.none() | st.sampled_from(["new_messages", "on_hold"])),
                     max_size=5).map(tuple),
    notices_sent=st.frozensets(st.sampled_from(ONCE_PER_WINDOW)),
    guest_language=st.sampled_from([None, "en", "zh-CN"]),
    participants_changed=st.booleans(),
    next_seq=st.integers(min_value=1, max_value=10**9),
    next_due_at=st.none() | times,
)


@settings(max_examples=100, deadline=None)
@given(state=states)
def test_state_round_trips_through_a_json_body(state):
    body = json.loads(json.dumps(state.to_body(), ensure_ascii=False))
    assert PolicyState.from_body(body) == state


@settings(max_examples=60, deadline=None)
@given(policy=policies, script=steps)
def test_states_met_in_a_run_round_trip_and_resume_identically(policy, script):
    """Storing and loading the state between any two events changes nothing that follows."""
    stored, kept = Harness(policy), Harness(policy)
    for step in script:
        stored.state = PolicyState.from_body(json.loads(json.dumps(stored.state.to_body())))
        stored.step(step)
        kept.step(step)
        assert stored.state == kept.state
