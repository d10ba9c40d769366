"""The WeChat policy and an employee's media: each WeChat message counts (a caption and a picture are
two, sent in that order), media queues like text while the chat cannot take it and goes in writing
order when the guest writes, and a medium refused before it reached WeChat gives its slot back."""
from __future__ import annotations

from core.conversation_policy import (
    INACTIVE_COUNT, QUEUED, REFUSED, Blocked, EmployeeMessage, GuestMessage, PolicyState, QueueItem, Receipt,
    SendAgain, SendToGuest, Unconfirmed, WeChatAnswer, decide, status_view,
)
from core.conversation_settings import ConversationSettings
from core.notices import Notices
from core.outgoing_media import OutgoingMedia

T0 = 1_750_000_000.0
POLICY = ConversationSettings()
PHOTO = OutgoingMedia("image", "a" * 64, "image/png", "photo.png", 1234)
MEMO = OutgoingMedia("voice", "b" * 64, "audio/mpeg", "memo.mp3", 5678)


def active() -> PolicyState:
    state = decide(PolicyState(), GuestMessage("hi"), T0, POLICY).state
    return decide(state, WeChatAnswer("notice:welcome_guest:1", 0), T0, POLICY).state


def sends(decision) -> list[tuple[str, str, OutgoingMedia | None]]:
    """The employees' messages sent (the policy's notices to the guest left out)."""
    return [(c.message_id, c.text, c.media) for c in decision.commands if isinstance(c, SendToGuest) and not c.notice]


def test_a_caption_with_a_picture_is_two_messages_the_caption_first():
    state = active()
    decision = decide(state, EmployeeMessage("e1", "Here is the form", "Alice", (PHOTO,)), T0 + 1, POLICY)
    assert sends(decision) == [("e1", "Here is the form", None), ("e1:1", "", PHOTO)]
    assert status_view(decision.state, POLICY).messages_left == status_view(state, POLICY).messages_left - 2


def test_pictures_alone_are_one_message_each_and_what_does_not_fit_waits_in_order():
    state = active()
    room = status_view(state, POLICY).messages_left
    media = (PHOTO,) * (room - 1) + (MEMO, PHOTO)  # one more than the employees may send
    decision = decide(state, EmployeeMessage("e1", "", "Alice", media), T0 + 1, POLICY)
    assert [m for _, _, m in sends(decision)] == list(media[:room])
    assert decision.state.status == INACTIVE_COUNT
    (queued,) = [c for c in decision.commands if isinstance(c, Receipt)]
    assert (queued.message_id, queued.outcome, queued.position) == (f"e1:{room}", QUEUED, 1)
    assert [q.media for q in decision.state.queue] == [PHOTO]


def test_media_queued_while_the_chat_is_inactive_goes_in_writing_order_when_the_guest_writes():
    state = decide(PolicyState(), EmployeeMessage("e1", "Your statement", "Alice", (PHOTO, MEMO)), T0, POLICY).state
    assert [(q.message_id, q.shown) for q in state.queue] == [
        ("e1", "Your statement"), ("e1:1", "[image] photo.png"), ("e1:2", "[voice] memo.mp3")]
    later = decide(state, EmployeeMessage("e2", "Call me", "Alice"), T0 + 1, POLICY).state
    decision = decide(later, GuestMessage("hello"), T0 + 2, POLICY)
    room = status_view(active(), POLICY).messages_left  # the welcome took one
    written = [("e1", None), ("e1:1", PHOTO), ("e1:2", MEMO), ("e2", None)]
    assert [(i, m) for i, _, m in sends(decision)] == written[:room]
    assert [q.message_id for q in decision.state.queue] == [i for i, _ in written[room:]]


def test_a_queued_medium_is_kept_in_the_thread_and_old_queues_still_load():
    state = decide(PolicyState(), EmployeeMessage("e1", "", "Alice", (PHOTO,)), T0, POLICY).state
    assert PolicyState.from_body(state.to_body()) == state
    old = {"message_id": "e0", "text": "hi", "author": "Alice", "queued_at": T0, "seq": 1}  # before media
    assert QueueItem.from_body(old) == QueueItem("e0", "hi", "Alice", T0, 1)
    assert QueueItem.from_body(old).to_body() == old


def test_a_medium_refused_on_its_way_out_gives_its_slot_back_and_the_employees_read_why():
    state = active()
    sent = decide(state, EmployeeMessage("e1", "", "Alice", (PHOTO,)), T0 + 1, POLICY)
    reasons = {"en": "WeChat did not accept the picture.", "zh-CN": "微信未接受该图片。"}
    refused = decide(sent.state, Blocked("e1", reasons, cause="media"), T0 + 2, POLICY)
    (receipt,) = [c for c in refused.commands if isinstance(c, Receipt)]
    assert (receipt.outcome, receipt.reason) == (REFUSED, "media")
    assert receipt.text == Notices().render("media_refused", "en", reason=reasons["en"])
    assert status_view(refused.state, POLICY).messages_left == status_view(state, POLICY).messages_left


def test_a_medium_whose_delivery_was_not_confirmed_is_sent_again_as_it_was():
    sent = decide(active(), EmployeeMessage("e1", "", "Alice", (MEMO,)), T0 + 1, POLICY)
    unconfirmed = decide(sent.state, Unconfirmed("e1"), T0 + 2, POLICY)
    again = decide(unconfirmed.state, SendAgain("e1", by="Alice"), T0 + 3, POLICY)
    assert sends(again) == [("e1:again", "", MEMO)]
