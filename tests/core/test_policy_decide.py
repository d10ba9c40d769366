"""decide(), one row per rule and notice of the seeds (the product documents), each named after the
sentence it checks. Time is passed in (hours after a fixed start); no sleeping.

A row is a script of (hour, event) and what the LAST event's decision must contain: what went to
the guest, as a template, to the employees, which receipts, and the status / queue after it.
Lists are exact: a row that expects nothing for the guest checks that nothing was sent. Every
send is answered with success (errcode 0) right after its event unless the row holds it back.
Each row runs with the guest and the employees in English and in Simplified Chinese; `texts`
pins exact texts (the catalogue's, rendered with the numbers the policy must fill in).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from core.conversation_policy import (
    ACTIVE, CANCELLED, CLOSED, INACTIVE_COUNT, INACTIVE_TIME, NEW, QUEUED, REFUSED, CancelQueued, Decision,
    EmployeeMessage, Follow, GuestMessage, Leave, NotifyEmployees, ParticipantsChanged, PolicyState, Receipt,
    Scan, SendTemplate, SendToGuest, SystemMessage, Tick, Unfollow, UpdateStatus, WeChatAnswer, decide,
    status_view,
)
from core.notices import EN, ZH_CN, Notices, sentences
from core.conversation_settings import ConversationSettings

T0 = 1_750_000_000.0
H = 3600.0
NOTICES = Notices()
CJK = re.compile(r"[\u4e00-\u9fff]")

P3 = ConversationSettings(employee_quota=3)
P4 = ConversationSettings()  # employee_quota=4: the default
P5 = ConversationSettings(employee_quota=5)
QUOTAS = {3: P3, 4: P4, 5: P5}
TEMPLATE = "tpl-new-messages"


def G(text: str = "hello", language: str | None = None) -> GuestMessage:
    return GuestMessage(text, language)


def E(n: int) -> EmployeeMessage:
    return EmployeeMessage(f"e{n}", f"employee message {n}", "aad-alice")


def employees_write(first: int, last: int, at: float = 0.1) -> list[tuple[float, Any]]:
    return [(at, E(n)) for n in range(first, last + 1)]


@dataclass
class Row:
    script: list[tuple[float, Any]]  # (hours after T0, event or state -> event)
    policy: ConversationSettings = P4
    guest: list[str] = field(default_factory=list)  # "notice:<key>", an employee message id, or "system"
    template: list[str] = field(default_factory=list)  # notice keys sent as template messages
    employees: list[str] = field(default_factory=list)  # NotifyEmployees keys
    receipts: list[tuple[str, str, str | None]] = field(default_factory=list)  # (message id, outcome, notice)
    status: str | None = None
    queue: list[str] | None = None
    next_due: float | None | str = "unchecked"  # hours after T0
    left: int | None = None  # the employees' messages left (the status line)
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # notice key -> params of its exact text
    hold: tuple[str, ...] = ()  # ids (or id prefixes "notice:<key>") whose answers the script gives itself


ROWS: dict[str, Row] = {}


def row(name: str, **kwargs: Any) -> None:
    assert name not in ROWS, name
    ROWS[name] = Row(**kwargs)


# --- Before you start: WeChat's policies -----------------------------------------------------------

row("WeChat users must initiate conversations with business accounts "
    "(an employee writing first is queued, the guest is told when possible)",
    script=[(0, E(1))],
    receipts=[("e1", QUEUED, "queued")], employees=["no_template"], status=NEW, queue=["e1"],
    texts={"queued": {"position": 1, "queue_limit": 5}, "no_template": {"count": 1}})
row("WeChat users must initiate conversations: a follow's 3 messages in 1 minute carry notices, not "
    "employee messages",
    script=[(0, Follow()), (0.001, E(1))],
    receipts=[("e1", QUEUED, "queued")], guest=["notice:new_messages"], status=NEW, queue=["e1"])
row("WeChat will make a chat inactive when WeChat users do not reply after 48 hours",
    script=[(0, G()), (1, E(1)), (48, Tick())],
    employees=["chat_inactive"], status=INACTIVE_TIME, next_due=None,
    texts={"chat_inactive": {"queue_limit": 5}})
row("WeChat users do not reply after 48 hours: a late sweeper cannot let a closed window be used",
    script=[(0, G()), (49, E(1))],
    receipts=[("e1", QUEUED, "queued")], employees=["chat_inactive", "no_template"], status=INACTIVE_TIME)
row("WeChat will make a chat inactive when WeChat users do not reply after approximately 5 messages "
    "(employee_quota 5: all five, in a window without the welcome)",
    policy=P5, script=[(0, G()), (1, G()), *employees_write(1, 5, at=1.1)],
    guest=["e5"], employees=["limit_reached", "chat_inactive"], status=INACTIVE_COUNT,
    texts={"limit_reached": {"count": 5, "limit": 5}})
row("WeChat users do not reply after approximately 5 messages: the sixth waits",
    policy=P5, script=[(0, G()), (1, G()), *employees_write(1, 6, at=1.1)],
    receipts=[("e6", QUEUED, "queued")], status=INACTIVE_COUNT, queue=["e6"], employees=["no_template"])

# --- Initial Interaction ------------------------------------------------------------------------------

for quota, policy in QUOTAS.items():
    row(f"Initial Auto Message to the Customer: 'WeChat allows your contact 5 consecutive messages, "
        f"including system messages … reply with #LEAVE': WeChat's number, whatever the firm's "
        f"(employee_quota {quota}), in one WeChat message",
        policy=policy, script=[(0, G())],
        guest=["notice:welcome_guest"], employees=["welcome_employee"], status=ACTIVE,
        texts={"welcome_guest": {"limit": 5, "hours": 48, "leave_keyword": "#LEAVE"}})
    row(f"Auto Message to Employee: 'you can send {quota} consecutive messages, including system "
        f"messages': the number the status card counts down (employee_quota {quota})",
        policy=policy, script=[(0, G())],
        guest=["notice:welcome_guest"], employees=["welcome_employee"],
        texts={"welcome_employee": {"limit": quota, "hours": 48}})
row("Initial Interaction: a guest who followed first is welcomed in the follow's window, once",
    script=[(0, Follow())], guest=["notice:welcome_guest"], employees=["welcome_employee"], status=NEW)
row("Initial Interaction: the welcome is sent once per conversation, not per message",
    script=[(0, Follow()), (0.01, G()), (5, G())], status=ACTIVE)
row("Initial Interaction: after a follow's welcome the guest's first message leaves employees all four",
    script=[(0, Follow()), (0.01, G()), *employees_write(1, 4, at=0.1)],
    guest=["e4"], employees=["limit_reached", "chat_inactive"], status=INACTIVE_COUNT,
    texts={"limit_reached": {"count": 4, "limit": 4}})

# --- Message Limit Reached by Employee ------------------------------------------------------------

for quota, policy in QUOTAS.items():
    sent = quota - 1  # the welcome took one of the employees' share
    row(f"Message Limit Reached by Employee (after {sent} Messages): 'You have reached the maximum limit "
        f"of {quota} consecutive messages, including system messages': the status card's number "
        f"(employee_quota {quota})",
        policy=policy, script=[(0, G()), *employees_write(1, sent)],
        guest=[f"e{sent}"], employees=["limit_reached", "chat_inactive"], status=INACTIVE_COUNT,
        texts={"limit_reached": {"count": sent, "limit": quota}, "chat_inactive": {"queue_limit": 5}})
row("Message Limit Reached by Employee — Auto Message to Customer: No auto message will be sent to the "
    "customer",
    script=[(0, G()), *employees_write(1, 3)], guest=["e3"], employees=["limit_reached", "chat_inactive"])
row("'including system messages': a dialog's system message uses the employees' share too",
    script=[(0, G()), (0.05, SystemMessage("Which advisor would you like?", "dlg-1")),
            *employees_write(1, 2)],
    guest=["e2"], employees=["limit_reached", "chat_inactive"], status=INACTIVE_COUNT,
    texts={"limit_reached": {"count": 2, "limit": 4}})
row("System messages count: a dialog's message past the employees' share is refused, the reserve kept",
    script=[(0, G()), *employees_write(1, 3), (0.2, SystemMessage("Anything else?", "dlg-2"))],
    receipts=[("dlg-2", REFUSED, None)])

# --- After 24 Hours of No Response from Customer -------------------------------------------------

row("After 24 Hours of No Response from Customer: 'Your contact has not responded for 24 hours. If no "
    "response is received in the next 24 hours, your chat will become inactive'",
    script=[(0, G()), (1, E(1)), (24, Tick())],
    employees=["no_reply_24h"], status=ACTIVE, next_due=48,
    texts={"no_reply_24h": {"hours": 24, "remaining_hours": 24}})
row("After 24 Hours of No Response — Auto Message to Customer: No auto message will be sent to the customer",
    script=[(0, G()), (1, E(1)), (24, Tick())], employees=["no_reply_24h"], guest=[])
row("After 24 Hours: the warning is a stored deadline (next_due_at), due 24 h after the guest's message",
    script=[(0, G()), (1, E(1))], guest=["e1"], next_due=24)
row("After 24 Hours: not before",
    script=[(0, G()), (1, E(1)), (23.99, Tick())], next_due=24)
row("After 24 Hours: the warning fires exactly once",
    script=[(0, G()), (1, E(1)), (24, Tick()), (24, Tick()), (30, Tick())], next_due=48)
row("After 24 Hours: a sweeper that comes after the 48 h do not warn, it closes",
    script=[(0, G()), (1, E(1)), (50, Tick())], employees=["chat_inactive"], status=INACTIVE_TIME,
    next_due=None)
row("After 24 Hours: a sweeper some minutes late still states the policy's durations ('24 hours', not 23)",
    script=[(0, G()), (1, E(1)), (24.2, Tick())], employees=["no_reply_24h"],
    texts={"no_reply_24h": {"hours": 24, "remaining_hours": 24}})
row("After 24 Hours: the guest's reply makes the pending warning moot",
    script=[(0, G()), (1, E(1)), (25, G())], status=ACTIVE, next_due=49)

# --- If the Message Limit Was Previously Reached -------------------------------------------------

for quota, policy in ((3, P3), (4, P4)):
    row(f"If the Message Limit Was Previously Reached: 'Your contact is unable to send you any more "
        f"messages, till you respond … this conversation is on-hold. Please reply to resume' "
        f"(employee_quota {quota}: a reserved slot)",
        policy=policy, script=[(0, G()), *employees_write(1, quota - 1), (24, Tick())],
        guest=["notice:on_hold"], employees=["no_reply_24h"], status=INACTIVE_COUNT,
        texts={"on_hold": {}})
row("If the Message Limit Was Previously Reached (employee_quota 5: no slot left, WeChat would refuse)",
    policy=P5, script=[(0, G()), *employees_write(1, 4), (24, Tick())],
    guest=[], employees=["no_reply_24h"], status=INACTIVE_COUNT)
row("If the Message Limit Was Previously Reached: not when the limit was not reached",
    script=[(0, G()), *employees_write(1, 2), (24, Tick())], guest=[], employees=["no_reply_24h"])

# --- If Users Have Been Added or Removed During Pause Time -----------------------------------------

row("If Users Have Been Added or Removed During Pause Time: 'If you do not reply in the next 24 hours … "
    "Other user(s) have been added or removed from this chat' (at the 24 h mark)",
    script=[(0, G()), (1, E(1)), (2, ParticipantsChanged(added=("aad-bob",))), (24, Tick())],
    guest=["notice:participants_changed"], employees=["no_reply_24h"],
    texts={"participants_changed": {"hours": 24}})
row("Users Added or Removed During Pause Time: a sweeper some minutes late still says 'the next 24 hours'",
    script=[(0, G()), (1, E(1)), (2, ParticipantsChanged(added=("aad-bob",))), (24.2, Tick())],
    guest=["notice:participants_changed"], employees=["no_reply_24h"],
    texts={"participants_changed": {"hours": 24}})
row("Users Removed During Pause Time: a colleague who leaves while others stay is a removal (told at the "
    "24 h mark)",
    script=[(0, G()), (2, Leave("aad-bob", "Bob Li", closes=False)), (24, Tick())],
    guest=["notice:participants_changed"], employees=["no_reply_24h"],
    texts={"participants_changed": {"hours": 24}})
row("Users Removed During Pause Time, after the 24 h mark: told with the colleague's leaving, in one message",
    script=[(0, G()), (1, E(1)), (24, Tick()), (30, Leave("aad-bob", "Bob Li", closes=False))],
    guest=["notice:employee_left_guest"], employees=["employee_left_others_stay"])
row("Users Added or Removed During Pause Time: not before the 24 h mark",
    script=[(0, G()), (1, E(1)), (2, ParticipantsChanged(removed=("aad-bob",)))], guest=[])
row("Users Added or Removed During Pause Time, after the 24 h mark: at once, with the hours left",
    script=[(0, G()), (1, E(1)), (24, Tick()), (30, ParticipantsChanged(added=("aad-bob",)))],
    guest=["notice:participants_changed"], texts={"participants_changed": {"hours": 18}})
row("Users Added or Removed During Pause Time: a guest who replied meanwhile is not told",
    script=[(0, G()), (1, E(1)), (2, ParticipantsChanged(added=("aad-bob",))), (3, G()), (27, Tick())],
    guest=[], employees=["no_reply_24h"])
row("Users Added or Removed During Pause Time with the limit reached: on hold first, then the change",
    policy=P3, script=[(0, G()), *employees_write(1, 2), (2, ParticipantsChanged(added=("aad-bob",))),
                       (24, Tick())],
    guest=["notice:on_hold", "notice:participants_changed"], employees=["no_reply_24h"])

# --- WeChat Message Queuing ---------------------------------------------------------------------

row("Once the MultiLine user reaches the message limit: 'This chat is now inactive. You can queue up to 5 "
    "messages to be sent after the WeChat user responds'",
    script=[(0, G()), *employees_write(1, 3)], guest=["e3"], employees=["limit_reached", "chat_inactive"],
    texts={"chat_inactive": {"queue_limit": 5}})
row("When chats are inactive, MultiLine users will be able to queue up a certain number of messages "
    "according to company policy: 'queued (1 of 5)'",
    script=[(0, G()), *employees_write(1, 4)],
    receipts=[("e4", QUEUED, "queued")], guest=["notice:new_messages"], queue=["e4"],
    texts={"queued": {"position": 1, "queue_limit": 5}})
row("… up to a certain number according to company policy: past the limit the message is refused with a "
    "notice (queue_limit 2)",
    policy=ConversationSettings(queue_limit=2), script=[(0, G()), *employees_write(1, 6)],
    receipts=[("e6", REFUSED, "queue_full")], queue=["e4", "e5"], status=INACTIVE_COUNT,
    texts={"queue_full": {"queue_limit": 2}})
row("When chats become inactive and queued messages are waiting, WeChat users will see: 'You have new "
    "messages from this sender. Please reply …' (free-form, in the reserved slot)",
    script=[(0, G()), *employees_write(1, 4)], receipts=[("e4", QUEUED, "queued")],
    guest=["notice:new_messages"], texts={"new_messages": {"count": 1}})
row("'You have new messages from this sender' once per window, not per queued message",
    script=[(0, G()), *employees_write(1, 5)], receipts=[("e5", QUEUED, "queued")], guest=[],
    queue=["e4", "e5"])
row("'You have new messages from this sender' by template message when the window is closed",
    policy=ConversationSettings(template_id=TEMPLATE), script=[(0, G()), (1, E(1)), (48, Tick()), (50, E(2))],
    receipts=[("e2", QUEUED, "queued")], template=["new_messages"], texts={"new_messages": {"count": 1}})
row("'You have new messages' by template when no slot is left (employee_quota 5)",
    policy=replace(P5, template_id=TEMPLATE), script=[(0, G()), *employees_write(1, 5)],
    receipts=[("e5", QUEUED, "queued")], template=["new_messages"])
row("'You have new messages' is not repeated when the window ends",
    policy=replace(P5, template_id=TEMPLATE), script=[(0, G()), *employees_write(1, 5), (48, Tick())],
    template=[], employees=[], status=INACTIVE_TIME, queue=["e5"])
row("'You have new messages': no template configured — the employees are told the guest cannot be",
    script=[(0, G()), (1, E(1)), (48, Tick()), (50, E(2))],
    receipts=[("e2", QUEUED, "queued")], employees=["no_template"], texts={"no_template": {"count": 1}})
for quota, policy in QUOTAS.items():
    queued = list(range(quota, quota + 5))  # e<quota> … : the first one past the limit, and four more
    fits = queued[:quota]
    row(f"When the guest replies, queued messages go out in order within the new quota; what does not fit "
        f"stays queued (employee_quota {quota})",
        policy=policy, script=[(0, G()), *employees_write(1, quota + 4), (5, G())],
        guest=[f"e{n}" for n in fits] + (["notice:new_messages"] if quota < 5 else []),
        employees=["limit_reached", "chat_inactive"], status=INACTIVE_COUNT,
        queue=[f"e{n}" for n in queued[quota:]],
        texts={"limit_reached": {"count": quota, "limit": quota}})
row("You can send a message at any time to resume the conversation (queued messages delivered)",
    script=[(0, G()), (1, E(1)), (48, Tick()), (50, E(2)), (51, E(3)), (60, G())],
    guest=["e2", "e3"], status=ACTIVE, queue=[], next_due=84)
row("An employee can see and cancel queued messages",
    script=[(0, G()), *employees_write(1, 5), (1, CancelQueued("e4", by="aad-alice"))],
    receipts=[("e4", CANCELLED, "cancelled")], queue=["e5"])
row("Cancelling a message that is no longer queued says so",
    script=[(0, G()), (0.1, E(1)), (1, CancelQueued("e1", by="aad-alice"))], employees=["not_queued"])
row("A cancelled message is not sent when the guest replies",
    script=[(0, G()), *employees_write(1, 5), (1, CancelQueued("e4")), (2, G())], guest=["e5"], queue=[])

# --- Leave ----------------------------------------------------------------------------------------------

row("To leave the chat at any time, reply with #LEAVE: the chat closes, queued messages are cancelled",
    script=[(0, G()), *employees_write(1, 5), (2, G("#LEAVE"))],
    guest=["notice:guest_left_guest"], receipts=[("e4", CANCELLED, None), ("e5", CANCELLED, None)],
    employees=["guest_left"], status=CLOSED, queue=[], next_due=None,
    texts={"guest_left": {"count": 2}, "guest_left_guest": {}})
row("reply with #LEAVE: any width and case (＃leave)",
    script=[(0, G()), (1, G(" ＃leave "))], guest=["notice:guest_left_guest"], employees=["guest_left"],
    status=CLOSED)
row("Leave Conversation: both users will see an automessage letting them know you left the conversation",
    policy=P3, script=[(0, G()), *employees_write(1, 3), (1, Leave("aad-alice", "Alice Wong"))],
    guest=["notice:employee_left_guest"], receipts=[("e3", CANCELLED, None)], employees=["employee_left"],
    status=CLOSED, texts={"employee_left_guest": {"name": "Alice Wong"},
                          "employee_left": {"name": "Alice Wong", "count": 1}})
row("Leave Conversation with colleagues still in the chat: both sides told, nothing cancelled, still open",
    policy=P3, script=[(0, G()), *employees_write(1, 3), (1, Leave("aad-bob", "Bob Li", closes=False))],
    guest=["notice:employee_left_guest"], employees=["employee_left_others_stay"], status=INACTIVE_COUNT,
    queue=["e3"], texts={"employee_left_others_stay": {"name": "Bob Li"}})
row("Leave Conversation: writing in a closed chat is refused with a notice",
    script=[(0, G()), (1, G("#LEAVE")), (2, E(1))], receipts=[("e1", REFUSED, "chat_closed")], status=CLOSED)
row("Leave Conversation: the guest writing again starts a new conversation (welcome again)",
    script=[(0, G()), (1, G("#LEAVE")), (2, G())],
    guest=["notice:welcome_guest"], employees=["welcome_employee"], status=ACTIVE)
row("Unfollow: the chat closes and queued messages are cancelled",
    script=[(0, G()), *employees_write(1, 4), (1, Unfollow())],
    receipts=[("e4", CANCELLED, None)], employees=["guest_unfollowed"], status=CLOSED,
    texts={"guest_unfollowed": {"count": 1}})

# --- WeChat is the authority -------------------------------------------------------------------------

row("WeChat answers 45015 (out of the window): the chat is inactive, the message goes back into the queue",
    script=[(0, G()), (1, E(1)), (1, WeChatAnswer("e1", 45015))], hold=("e1",),
    receipts=[("e1", QUEUED, "queued")], employees=["chat_inactive", "no_template"], status=INACTIVE_TIME,
    queue=["e1"], next_due=None)
row("WeChat answers 45047 (quota spent): inactive by count, refused messages back in writing order",
    script=[(0, G()), (1, E(1)), (1, E(2)), (1, WeChatAnswer("e2", 45047)), (1, WeChatAnswer("e1", 45047))],
    hold=("e1", "e2"), receipts=[("e1", QUEUED, "queued")], status=INACTIVE_COUNT, queue=["e1", "e2"],
    texts={"queued": {"position": 1, "queue_limit": 5}})
row("WeChat answers 45047: nothing more is sent in that window, the queue waits for the guest",
    script=[(0, G()), (1, E(1)), (1, WeChatAnswer("e1", 45047)), (2, E(2))], hold=("e1",),
    receipts=[("e2", QUEUED, "queued")], queue=["e1", "e2"])
row("WeChat answers 43004 (not a follower): the chat closes, nothing is lost silently",
    script=[(0, G()), *employees_write(1, 4), (1, WeChatAnswer("e3", 43004))], hold=("e3",),
    receipts=[("e3", CANCELLED, None), ("e4", CANCELLED, None)], employees=["guest_unreachable"],
    status=CLOSED, texts={"guest_unreachable": {"errcode": 43004, "reason": "the user does not follow the "
                                                                            "account", "count": 1}})
row("WeChat refuses the content (45002): the employee is told, the slot is given back",
    script=[(0, G()), (1, E(1)), (1, WeChatAnswer("e1", 45002, "content size out of limit"))], hold=("e1",),
    receipts=[("e1", REFUSED, "wechat_refused")], status=ACTIVE, left=3,
    texts={"wechat_refused": {"errcode": 45002, "reason": "content size out of limit"}})
row("WeChat refuses the 'new messages' notice with 45015: the template is tried instead",
    policy=ConversationSettings(template_id=TEMPLATE),
    script=[(0, G()), *employees_write(1, 4),
            (2, lambda s: WeChatAnswer(next(p.message_id for p in s.pending if p.notice == "new_messages"),
                                       45015))],
    hold=("notice:new_messages",), template=["new_messages"], employees=[], status=INACTIVE_TIME)
row("WeChat refuses the template: the employees are told",
    policy=ConversationSettings(template_id=TEMPLATE),
    script=[(0, G()), (1, E(1)), (48, Tick()), (50, E(2)),
            (50, lambda s: WeChatAnswer(s.pending[0].message_id, 40037, "invalid template_id"))],
    hold=("template:new_messages",), employees=["template_failed"],
    texts={"template_failed": {"errcode": 40037, "reason": "invalid template_id"}})


# --- the runner -------------------------------------------------------------------------------------


def _held(message_id: str, hold: tuple[str, ...]) -> bool:
    return any(message_id == h or message_id.startswith(h + ":") for h in hold)


def play(r: Row, lang: str) -> tuple[Decision, PolicyState]:
    policy = replace(r.policy, guest_language=lang, employee_language=lang)
    state = PolicyState()
    decision = None
    for at, event in r.script:
        now = T0 + at * H
        if callable(event):
            event = event(state)
        decision = decide(state, event, now, policy)
        state = decision.state
        for command in decision.commands:  # the adapters: every send answered at once
            if isinstance(command, (SendToGuest, SendTemplate)) and not _held(command.message_id, r.hold):
                state = decide(state, WeChatAnswer(command.message_id, 0), now, policy).state
    assert decision is not None
    return decision, state


def expected_text(key: str, lang: str, params: dict[str, Any]) -> str:
    """Notice `key` as sent: the welcome carries WeChat's rules in the same message."""
    parts = (key, "rules_guest") if key == "welcome_guest" else (key,)
    return sentences((NOTICES.render(k, lang, **params) for k in parts), lang)


def _rendered(command: Any) -> list[tuple[str, str]]:
    if isinstance(command, (SendToGuest, SendTemplate, NotifyEmployees)) and command.notice:
        return [(command.notice, command.text)]
    if isinstance(command, Receipt) and command.notice:
        return [(command.notice, command.text)]
    return []


@pytest.mark.parametrize("lang", [EN, ZH_CN])
@pytest.mark.parametrize("name", list(ROWS))
def test_decide(name: str, lang: str) -> None:
    r = ROWS[name]
    decision, state = play(r, lang)
    commands = decision.commands

    guest = [f"notice:{c.notice}" if c.notice else (c.message_id if c.kind == "employee" else "system")
             for c in commands if isinstance(c, SendToGuest)]
    assert guest == r.guest, "to the guest"
    assert [c.notice for c in commands if isinstance(c, SendTemplate)] == r.template, "template messages"
    assert [c.notice for c in commands if isinstance(c, NotifyEmployees)] == r.employees, "to the employees"
    assert [(c.message_id, c.outcome, c.notice) for c in commands if isinstance(c, Receipt)] == r.receipts
    if r.status is not None:
        assert state.status == r.status
    if r.queue is not None:
        assert [item.message_id for item in state.queue] == r.queue
    if r.left is not None:
        assert status_view(state, r.policy).messages_left == r.left
    if r.next_due != "unchecked":
        assert state.next_due_at == (None if r.next_due is None else T0 + r.next_due * H)

    for command in commands:
        if isinstance(command, SendTemplate):
            assert command.template_id == TEMPLATE
    texts = dict(t for c in commands for t in _rendered(c))
    for key, params in r.texts.items():
        assert texts.get(key) == expected_text(key, lang, params), key
    for key, text in texts.items():  # every text a person reads is in their language
        assert bool(CJK.search(text)) == (lang == ZH_CN), (key, text)
    updates = [c for c in commands if isinstance(c, UpdateStatus)]
    assert len(updates) <= 1
    if updates:
        assert updates[0] == status_view(state, replace(r.policy, guest_language=lang, employee_language=lang))


# --- beyond the table -------------------------------------------------------------------------------


def test_the_guest_language_follows_the_guest_and_employees_keep_theirs():
    policy = ConversationSettings()  # guest zh-CN by default, employees English
    first = decide(PolicyState(), G(language="en_US"), T0, policy)
    (welcome,) = [c for c in first.commands if isinstance(c, SendToGuest)]
    (to_employees,) = [c for c in first.commands if isinstance(c, NotifyEmployees)]
    assert welcome.text == expected_text("welcome_guest", EN, {"limit": 5, "hours": 48, "leave_keyword": "#LEAVE"})
    assert to_employees.text == NOTICES.render("welcome_employee", EN, limit=4, hours=48)
    assert first.state.guest_language == EN
    unknown = decide(PolicyState(), G(language="ja"), T0, policy)
    assert CJK.search(next(c.text for c in unknown.commands if isinstance(c, SendToGuest)))
    assert unknown.state.guest_language is None  # the policy's default until a language we have


def test_organization_overrides_are_what_the_guest_reads():
    notices = Notices({"welcome_guest": {EN: "Hi!"},
                       "rules_guest": {EN: "{limit} replies, {hours} h. Leave: {leave_keyword}"}})
    settings = ConversationSettings(wechat_quota=4, employee_quota=3)
    decision = decide(PolicyState(), G(language="en"), T0, settings, notices)
    assert [c.text for c in decision.commands if isinstance(c, SendToGuest)] == ["Hi! 4 replies, 48 h. Leave: #LEAVE"]


def test_status_line_counts_the_employees_messages_left_and_the_window():
    state = decide(PolicyState(), G(), T0, ConversationSettings()).state  # the welcome took one
    view = status_view(state, ConversationSettings())
    assert (view.status, view.messages_left, view.message_limit, view.window_closes_at) == (ACTIVE, 3, 4, T0 + 48 * H)


def test_a_redelivered_employee_message_in_flight_or_queued_is_not_handled_twice():
    policy = ConversationSettings()
    state = decide(PolicyState(), G(), T0, policy).state
    in_flight = decide(state, E(1), T0 + 1, policy)
    again = decide(in_flight.state, E(1), T0 + 2, policy)
    assert again.commands == () and again.state == in_flight.state
    queued = decide(PolicyState(), E(2), T0, policy)
    again = decide(queued.state, E(2), T0 + 1, policy)
    assert again.commands == () and again.state == queued.state


def test_the_sweeper_finds_the_state_it_needs_in_next_due_at():
    policy = ConversationSettings()
    state = decide(PolicyState(), G(), T0, policy).state
    assert state.next_due_at == T0 + 24 * H
    state = decide(state, Tick(), state.next_due_at, policy).state
    assert state.next_due_at == T0 + 48 * H
    state = decide(state, Tick(), state.next_due_at, policy).state
    assert state.next_due_at is None and state.status == INACTIVE_TIME


def test_scan_during_an_open_window_changes_nothing():
    policy = ConversationSettings()
    state = decide(PolicyState(), G(), T0, policy).state
    decision = decide(state, Scan(), T0 + 60, policy)
    assert decision.commands == () and decision.state.window_kind == "message"


def test_the_events_are_checked():
    with pytest.raises(TypeError):
        decide(PolicyState(), object(), T0, ConversationSettings())  # type: ignore[arg-type]



def test_a_colleague_leaving_during_the_pause_is_told_with_the_rules_notice_in_one_message():
    state = PolicyState()
    for at, event in [(0, G(language="en")), (1, E(1)), (24, Tick())]:
        state = decide(state, event, T0 + at * H, P4).state
    state = decide(state, WeChatAnswer("e1", 0), T0 + 24 * H, P4).state
    decision = decide(state, Leave("aad-bob", "Bob Li", closes=False), T0 + 30 * H, P4)
    (told,) = [c for c in decision.commands if isinstance(c, SendToGuest)]
    assert told.text == " ".join([NOTICES.render("employee_left_guest", EN, name="Bob Li"),
                                  NOTICES.render("participants_changed", EN, hours=18)])
    later = decide(decision.state, ParticipantsChanged(added=("aad-dan",)), T0 + 31 * H, P4)
    assert not [c for c in later.commands if isinstance(c, SendToGuest)]  # once per pause


def test_a_dialogs_words_open_the_welcome_in_one_wechat_message():
    """The routing assistant or the validation connects the guest: who they are connected with, then
    WeChat's rules (and the recording notice), one message: the employees keep 3 of their 4."""
    said = "Thank you. You are now connected with Alice Wong, who will answer you here."
    policy = replace(P4, guest_language=EN, recorded=True)
    decision = decide(PolicyState(), GuestMessage("", said=said), T0, policy)
    (welcome,) = [c for c in decision.commands if isinstance(c, SendToGuest)]
    params = {"limit": 5, "hours": 48, "leave_keyword": "#LEAVE"}
    assert welcome.text == " ".join([said, NOTICES.render("rules_guest", EN, **params),
                                     NOTICES.render("recorded_guest", EN)])
    assert "start messaging your contact" not in welcome.text
    assert status_view(decision.state, policy).messages_left == 3
    # a dialog that connects a guest already welcomed in this conversation: its words alone
    again = decide(decision.state, GuestMessage("", said="You are now connected with Bob Li."), T0 + H, policy)
    assert [c.text for c in again.commands if isinstance(c, SendToGuest)] == ["You are now connected with Bob Li."]


def test_an_older_message_decided_after_a_newer_one_keeps_the_newer_ones_window_and_count():
    """A retried job: the guest's first message is decided after their second (and a reply to it)."""
    state = PolicyState()
    state = decide(state, GuestMessage("second", at=T0 + 2 * H), T0 + 2 * H, P4).state
    state = decide(state, E(1), T0 + 2.5 * H, P4).state
    sent = state.sent
    late = decide(state, GuestMessage("first", at=T0), T0 + 3 * H, P4).state
    assert (late.window_ends_at, late.last_guest_message_at) == (T0 + 2 * H + P4.window_seconds, T0 + 2 * H)
    assert late.sent == sent  # WeChat's quota is the newer message's, partly spent


def test_a_follow_decided_after_its_minute_sends_the_guest_nothing_wechat_would_refuse():
    late = decide(PolicyState(), Follow(at=T0 - 120), T0, P4)
    assert not [c for c in late.commands if isinstance(c, SendToGuest)]
    assert [c.notice for c in late.commands if isinstance(c, NotifyEmployees)] == ["welcome_employee"]
    on_time = decide(PolicyState(), Follow(at=T0 - 10), T0, P4)
    assert [c.notice for c in on_time.commands if isinstance(c, SendToGuest)] == ["welcome_guest"]


def test_a_guest_message_decided_later_opens_the_window_from_when_the_guest_wrote():
    """A conversation a dialog opened hours after the guest's last message (the employee installed
    the app late): WeChat's 48 h count from the message, so the policy's must too."""
    later = decide(PolicyState(), GuestMessage("", at=T0 - 2 * H), T0, P4, NOTICES)
    assert later.state.last_guest_message_at == T0 - 2 * H
    assert later.state.window_ends_at == T0 - 2 * H + P4.window_seconds
    assert later.state.next_due_at == T0 - 2 * H + P4.warning_after_seconds  # the 24 h warning, from then too
    clipped = decide(PolicyState(), GuestMessage("", at=T0 + H), T0, P4, NOTICES)  # never in the future
    assert clipped.state.window_ends_at == T0 + P4.window_seconds


def test_a_send_wechat_never_answered_stays_counted_and_is_sent_again_only_when_asked():
    from core.conversation_policy import UNCONFIRMED, SendAgain, Unconfirmed

    state = decide(PolicyState(), G(language="en"), T0, P4).state
    state = decide(state, WeChatAnswer("notice:welcome_guest:1", 0), T0, P4).state
    sent = decide(state, E(1), T0 + H, P4).state
    lost = decide(sent, Unconfirmed("e1"), T0 + H, P4)
    assert lost.state.pending == () and lost.state.sent == sent.sent  # WeChat may have taken it: it counts
    (receipt,) = [c for c in lost.commands if isinstance(c, Receipt)]
    assert (receipt.message_id, receipt.outcome, receipt.notice) == ("e1", UNCONFIRMED, "not_confirmed")
    assert receipt.text == NOTICES.render("not_confirmed", EN)
    assert not [c for c in lost.commands if isinstance(c, SendToGuest)]  # never sent again on its own
    again = decide(lost.state, SendAgain("e1", by="Alice"), T0 + 2 * H, P4)
    assert [(c.message_id, c.text) for c in again.commands if isinstance(c, SendToGuest)] == \
        [("e1:again", "employee message 1")]
    twice = decide(again.state, SendAgain("e1", by="Alice"), T0 + 2 * H, P4)
    assert [c.notice for c in twice.commands if isinstance(c, NotifyEmployees)] == ["nothing_to_send_again"]
    assert not [c for c in twice.commands if isinstance(c, SendToGuest)]


def test_what_waits_to_be_sent_again_goes_with_the_conversation():
    from core.conversation_policy import SendAgain, Unconfirmed

    state = decide(PolicyState(), G(), T0, P4).state
    state = decide(state, E(1), T0, P4).state
    state = decide(state, Unconfirmed("e1"), T0, P4).state
    assert [q.message_id for q in state.unconfirmed] == ["e1"]
    assert PolicyState.from_body(state.to_body()) == state  # kept with the thread
    closed = decide(state, Leave(), T0 + H, P4).state
    assert closed.unconfirmed == ()
    refused = decide(closed, SendAgain("e1"), T0 + H, P4)
    assert not [c for c in refused.commands if isinstance(c, SendToGuest)]
