"""A send decided in one window but delivered after the guest's next message counts in the new one."""
from core.conversation_policy import (EmployeeMessage, Follow, GuestMessage, PolicyState, SendToGuest, WeChatAnswer,
                                      decide)
from core.conversation_settings import ConversationSettings
from simulators.wechat_api import Window

POLICY = ConversationSettings(employee_quota=4)


def step(state, event, now):
    decision = decide(state, event, now, POLICY)
    return decision.state, decision.commands


def test_welcome_sent_after_the_guest_wrote_is_counted_in_the_new_window():
    wechat, now = Window(), 1000.0
    wechat.user_event(now)
    state, commands = step(PolicyState(), Follow(), now)
    [welcome] = [c for c in commands if isinstance(c, SendToGuest)]
    # The guest writes before the welcome is delivered (it waits behind the message in the worker).
    wechat.user_message(now + 1)
    state, _ = step(state, GuestMessage("hello"), now + 1)
    assert wechat.check(now + 2) == 0
    wechat.consume(now + 2)
    state, _ = step(state, WeChatAnswer(welcome.message_id, 0), now + 2)
    sent_by_employee = 0
    for i in range(6):
        state, commands = step(state, EmployeeMessage(f"m{i}", f"text {i}", "alice"), now + 3 + i)
        for command in commands:
            if isinstance(command, SendToGuest):
                assert wechat.check(now + 3 + i) == 0, "the policy sent past WeChat's quota"
                wechat.consume(now + 3 + i)
                state, _ = step(state, WeChatAnswer(command.message_id, 0), now + 3 + i)
                sent_by_employee += command.kind == "employee"
    assert sent_by_employee == 3  # 4 minus the welcome that landed in this window
