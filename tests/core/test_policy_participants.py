"""The policy with several employees in one thread: WeChat counts per guest, so the quota is the
thread's, whoever writes; and the guest hears of people added or removed during a pause once."""
from __future__ import annotations

from typing import Any

from core.conversation_policy import (
    INACTIVE_COUNT, QUEUED, EmployeeMessage, GuestMessage, Leave, ParticipantsChanged, PolicyState, Receipt,
    SendTemplate, SendToGuest, Tick, WeChatAnswer, decide, status_view,
)
from core.conversation_settings import ConversationSettings

T0 = 1_750_000_000.0
H = 3600.0


def play(script: list[tuple[float, Any]],
         policy: ConversationSettings = ConversationSettings()) -> tuple[list[Any], PolicyState]:
    """Every command of every decision, each send answered with success at once."""
    state, commands = PolicyState(), []
    for at, event in script:
        decision = decide(state, event, T0 + at * H, policy)
        state = decision.state
        commands.extend(decision.commands)
        for c in decision.commands:
            if isinstance(c, (SendToGuest, SendTemplate)):
                state = decide(state, WeChatAnswer(c.message_id, 0), T0 + at * H, policy).state
    return commands, state


def sent_by_employees(commands: list[Any]) -> list[tuple[str, str]]:
    return [(c.author, c.message_id) for c in commands if isinstance(c, SendToGuest) and not c.notice]


def guest_notices(commands: list[Any], key: str) -> int:
    return sum(1 for c in commands if isinstance(c, (SendToGuest, SendTemplate)) and c.notice == key)


def test_two_employees_share_the_threads_quota():
    alice = lambda n: EmployeeMessage(f"a{n}", f"Alice {n}", "Alice Wong")  # noqa: E731
    bob = lambda n: EmployeeMessage(f"b{n}", f"Bob {n}", "Bob Li")  # noqa: E731
    # employee_quota 4, and the welcome notice is one of the guest's 4: three employee messages in all
    commands, state = play([(0, GuestMessage("hi")), (1, alice(1)), (1, bob(1)), (1, alice(2)), (1, bob(2))])
    assert sent_by_employees(commands) == [("Alice Wong", "a1"), ("Bob Li", "b1"), ("Alice Wong", "a2")]
    assert [(r.message_id, r.outcome) for r in commands if isinstance(r, Receipt) and r.message_id == "b2"] \
        == [("b2", QUEUED)]
    status = status_view(state, ConversationSettings())
    assert (status.status, status.messages_left, [q.message_id for q in status.queue]) == (INACTIVE_COUNT, 0, ["b2"])
    # the guest answers: the thread's quota is back for both, and Bob's queued message goes first
    commands, state = play([(0, GuestMessage("hi")), (1, alice(1)), (1, bob(1)), (1, alice(2)), (1, bob(2)),
                            (2, GuestMessage("ok")), (2, alice(3))])
    assert sent_by_employees(commands)[3:] == [("Bob Li", "b2"), ("Alice Wong", "a3")]


def test_participants_changed_during_a_pause_tells_the_guest_once():
    script = [(0, GuestMessage("hi")), (1, EmployeeMessage("e1", "hello", "Alice Wong")),
              (2, ParticipantsChanged(added=("Bob Li",))), (3, ParticipantsChanged(removed=("Carol",))),
              (24, Tick()), (25, ParticipantsChanged(added=("Dan",))), (30, Tick()), (40, Tick())]
    commands, _ = play(script)
    assert guest_notices(commands, "participants_changed") == 1


def test_after_the_guest_replies_a_new_pause_tells_them_again():
    script = [(0, GuestMessage("hi")), (1, EmployeeMessage("e1", "hello", "Alice Wong")),
              (2, ParticipantsChanged(added=("Bob Li",))), (24, Tick()),
              (30, GuestMessage("back")), (31, ParticipantsChanged(removed=("Bob Li",))), (54, Tick())]
    commands, _ = play(script)
    assert guest_notices(commands, "participants_changed") == 2


def test_every_employee_who_leaves_is_announced_to_the_guest():
    script = [(0, GuestMessage("hi")), (1, Leave("aad-bob", "Bob Li", closes=False)),
              (2, Leave("aad-alice", "Alice Wong", closes=True))]
    commands, state = play(script)
    left = [c.text for c in commands if isinstance(c, SendToGuest) and c.notice == "employee_left_guest"]
    assert len(left) == 2 and "Bob Li" in left[0] and "Alice Wong" in left[1]
    assert state.status == "closed"
