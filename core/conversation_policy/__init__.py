"""The WeChat policy of one thread: what may be sent to the guest, when, and what everyone is told.

A pure function, `decide(state, event, now, settings, notices) -> Decision(state, commands)`: no I/O,
no clock reads; the WeChat limits and the
sub-organization's choices are its `ConversationSettings` (data), the texts are `Notices` (data). The
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

The package: `model` (statuses and the state a thread stores), `events`, `commands`, `run` (one
decision being made: what WeChat still takes, what is said, time passing), `rules` (the rule of each
event, and `decide`).
"""
from __future__ import annotations

from core.conversation_policy.model import (
    NEW,
    ACTIVE,
    INACTIVE_TIME,
    INACTIVE_COUNT,
    CLOSED,
    STATUSES,
    MESSAGE,
    EVENT,
    EMPLOYEE,
    SYSTEM,
    NOTICE,
    TEMPLATE,
    GUEST,
    QUEUED,
    REFUSED,
    CANCELLED,
    UNCONFIRMED,
    WINDOW_CLOSED,
    QUOTA_SPENT,
    UNREACHABLE,
    NOT_DELIVERED,
    ERRMSG,
    ONCE_PER_CONVERSATION,
    UNCONFIRMED_KEPT,
    QueueItem,
    Pending,
    PolicyState,
)
from core.conversation_policy.events import (
    GuestMessage,
    EmployeeMessage,
    SystemMessage,
    Follow,
    Scan,
    Unfollow,
    Tick,
    ParticipantsChanged,
    Leave,
    CancelQueued,
    WeChatAnswer,
    Unconfirmed,
    SendAgain,
    Blocked,
    Event,
)
from core.conversation_policy.commands import (
    SendToGuest,
    SendTemplate,
    NotifyEmployees,
    Receipt,
    UpdateStatus,
    Command,
    Decision,
    status_view,
)
from core.conversation_policy.rules import decide

__all__ = [
    "NEW",
    "ACTIVE",
    "INACTIVE_TIME",
    "INACTIVE_COUNT",
    "CLOSED",
    "STATUSES",
    "MESSAGE",
    "EVENT",
    "EMPLOYEE",
    "SYSTEM",
    "NOTICE",
    "TEMPLATE",
    "GUEST",
    "QUEUED",
    "REFUSED",
    "CANCELLED",
    "UNCONFIRMED",
    "WINDOW_CLOSED",
    "QUOTA_SPENT",
    "UNREACHABLE",
    "NOT_DELIVERED",
    "ERRMSG",
    "ONCE_PER_CONVERSATION",
    "UNCONFIRMED_KEPT",
    "QueueItem",
    "Pending",
    "PolicyState",
    "GuestMessage",
    "EmployeeMessage",
    "SystemMessage",
    "Follow",
    "Scan",
    "Unfollow",
    "Tick",
    "ParticipantsChanged",
    "Leave",
    "CancelQueued",
    "WeChatAnswer",
    "Unconfirmed",
    "SendAgain",
    "Blocked",
    "Event",
    "SendToGuest",
    "SendTemplate",
    "NotifyEmployees",
    "Receipt",
    "UpdateStatus",
    "Command",
    "Decision",
    "status_view",
    "decide",
]
