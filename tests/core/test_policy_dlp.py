"""The WeChat policy and data-loss prevention: a blocked employee message is refused with the reason
(before it was queued, or on its way out, when it gives its WeChat slot back); a withheld guest
message still opens the window, and only the guest is told why."""
from __future__ import annotations

from core.conversation_policy import (
    REFUSED, Blocked, EmployeeMessage, GuestMessage, NotifyEmployees, PolicyState, Receipt, SendToGuest, WeChatAnswer,
    decide, status_view,
)
from core.notices import Notices
from core.conversation_settings import ConversationSettings

T0 = 1_750_000_000.0
POLICY = ConversationSettings()
REASONS = {"en": "Your message was not sent: it contains a payment card number (rule 'cards').",
           "zh-CN": "您的消息未发送：其中包含银行卡号（规则“cards”）。"}


def active() -> PolicyState:
    state = decide(PolicyState(), GuestMessage("hi"), T0, POLICY).state
    return decide(state, WeChatAnswer("notice:welcome_guest:1", 0), T0, POLICY).state


def test_an_employee_message_blocked_before_it_is_queued_is_refused_with_the_reason():
    state = active()
    decision = decide(state, Blocked("e1", REASONS), T0 + 1, POLICY)
    (receipt,) = [c for c in decision.commands if isinstance(c, Receipt)]
    assert (receipt.message_id, receipt.outcome, receipt.reason) == ("e1", REFUSED, "dlp")
    assert receipt.text == Notices().render("dlp_blocked", "en", reason=REASONS["en"])
    assert not [c for c in decision.commands if isinstance(c, SendToGuest)]  # the guest hears nothing
    assert status_view(decision.state, POLICY).messages_left == status_view(state, POLICY).messages_left


def test_a_message_blocked_on_its_way_out_gives_its_slot_back():
    state = active()
    sent = decide(state, EmployeeMessage("e1", "card 4111 1111 1111 1111", "Alice"), T0 + 1, POLICY)
    assert status_view(sent.state, POLICY).messages_left == status_view(state, POLICY).messages_left - 1
    blocked = decide(sent.state, Blocked("e1", REASONS), T0 + 2, POLICY)
    assert blocked.state.pending == ()
    assert status_view(blocked.state, POLICY).messages_left == status_view(state, POLICY).messages_left
    assert [(c.message_id, c.reason) for c in blocked.commands if isinstance(c, Receipt)] == [("e1", "dlp")]
    late = decide(blocked.state, WeChatAnswer("e1", 0), T0 + 3, POLICY)  # nothing was pending any more
    assert late.state == blocked.state


def test_the_employees_read_the_reason_in_their_language():
    policy = ConversationSettings(employee_language="zh-CN")
    decision = decide(decide(PolicyState(), GuestMessage("hi"), T0, policy).state, Blocked("e1", REASONS), T0, policy)
    (receipt,) = [c for c in decision.commands if isinstance(c, Receipt)]
    assert REASONS["zh-CN"] in receipt.text


def test_a_withheld_guest_message_opens_the_window_and_tells_only_the_guest():
    decision = decide(PolicyState(), GuestMessage("my card 4111…", language="en", withheld=REASONS), T0, POLICY)
    to_guest = [c.notice for c in decision.commands if isinstance(c, SendToGuest)]
    assert to_guest == ["welcome_guest", "dlp_withheld_guest"]
    told = next(c.text for c in decision.commands if isinstance(c, SendToGuest) and c.notice == "dlp_withheld_guest")
    assert told == Notices().render("dlp_withheld_guest", "en", reason=REASONS["en"])
    assert [c.notice for c in decision.commands if isinstance(c, NotifyEmployees)] == ["welcome_employee"]
    assert decision.state.window_ends_at == T0 + POLICY.window_seconds
