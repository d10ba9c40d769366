"""services/outbound.py on the fakes (tests/fakes.py): an employee's message is sent, queued, held while
they choose the guest, or refused; what WeChat was asked and what the thread holds say which."""
from __future__ import annotations

from dataclasses import replace

from adapters.wechat.errors import WeChatOutcomeUnknown
from core.dlp import DlpPolicy, Rule
from core.organizations import Directory
from core.threads import Target
from services.outbound import Choose, Queued, Refused
from tests.fakes import ALICE, BOB, Bridge, personal_conversation

GUEST, OTHER = "oGuestOutbound000000000001", "oGuestOutbound000000000002"
HOUR = 3600.0
ALICES_CHAT = personal_conversation(ALICE)


async def talking(directory: Directory | None = None, *guests: str) -> Bridge:
    """Alice has the app, and each guest (GUEST by default) has written to her."""
    bridge = Bridge.build(directory)
    await bridge.install(Target("employee", ALICE))
    for openid in guests or (GUEST,):
        await bridge.guest(openid, "hello")
    return bridge


def notices(bridge: Bridge) -> list[str]:
    return [c.mark["notice"] for c in bridge.teams.posts() if c.mark.get("notice")]


async def test_an_employees_message_is_sent_to_the_guest_under_their_name():
    bridge = await talking()
    outcome = await bridge.employee(ALICE, "How can I help?", name="Alice Advisor")
    assert isinstance(outcome, Queued) and outcome.job is not None and outcome.thread.openid == GUEST
    assert bridge.wechat.said_to(GUEST)[-1] == "Alice Advisor: How can I help?"
    thread = await bridge.thread(GUEST)
    assert thread.policy.employee_sent == 1 and thread.participants[0].name == "Alice Advisor"  # learnt from Teams


async def test_a_message_teams_delivers_twice_is_sent_once():
    bridge = await talking()
    first = await bridge.employee(ALICE, "once", name="Alice", activity_id="teams-activity-1")
    again = await bridge.employee(ALICE, "once", name="Alice", activity_id="teams-activity-1")
    assert isinstance(first, Queued) and isinstance(again, Queued) and again.job is None
    assert bridge.wechat.said_to(GUEST).count("Alice: once") == 1


async def test_outside_wechats_window_a_message_is_queued_and_goes_when_the_guest_writes():
    bridge = await talking()
    said = len(bridge.wechat.texts)
    bridge.clock.advance(49 * HOUR)
    await bridge.employee(ALICE, "sorry for the wait", name="Alice")
    thread = await bridge.thread(GUEST)
    assert [item.text for item in thread.policy.queue] == ["sorry for the wait"]
    assert len(bridge.wechat.texts) == said and "queued" in notices(bridge)

    await bridge.guest(GUEST, "I am back")
    assert bridge.wechat.said_to(GUEST)[-1] == "Alice: sorry for the wait"
    assert (await bridge.thread(GUEST)).policy.queue == ()


async def test_with_two_guests_in_the_chat_the_employee_chooses_and_the_message_goes_once():
    bridge = await talking(None, GUEST, OTHER)
    outcome = await bridge.employee(ALICE, "which of you?", name="Alice")
    assert isinstance(outcome, Choose) and {t.openid for t in outcome.candidates} == {GUEST, OTHER}
    assert not any("which of you?" in text for _, text in bridge.wechat.texts)  # nothing sent while choosing

    chosen = await bridge.outbound.submit_draft(ALICES_CHAT, outcome.draft_id, OTHER, ALICE)
    await bridge.settle()
    again = await bridge.outbound.submit_draft(ALICES_CHAT, outcome.draft_id, GUEST, ALICE)  # pressed twice
    assert isinstance(chosen, Queued) and isinstance(again, Refused) and again.stale
    assert [openid for openid, text in bridge.wechat.texts if text == "Alice: which of you?"] == [OTHER]


async def test_a_message_without_text_or_without_a_guest_to_answer_is_refused():
    bridge = await talking()
    empty = await bridge.employee(ALICE, "   ")
    nobody = await bridge.employee(BOB, "hello?")  # Bob's chat has no guest
    assert isinstance(empty, Refused) and "nothing WeChat can take" in empty.reason
    assert isinstance(nobody, Refused) and "no open WeChat conversation" in nobody.reason
    assert not any(text.endswith("hello?") for _, text in bridge.wechat.texts)


async def test_a_message_dlp_blocks_is_refused_and_the_guest_hears_nothing_of_it():
    everyone = Directory.open().sub_organizations[0]
    blocking = DlpPolicy((Rule("cards", "outbound", "block", detector="card"),))
    bridge = await talking(Directory((replace(everyone, dlp=blocking),)))
    await bridge.employee(ALICE, "the card is 4111 1111 1111 1111")
    assert not any("4111" in text for _, text in bridge.wechat.texts)
    assert any("payment card number" in shown for shown in bridge.teams.shown(ALICES_CHAT))
    thread = await bridge.thread(GUEST)
    assert thread.policy.employee_sent == 0 and thread.policy.queue == ()


async def test_a_queued_message_is_cancelled_from_its_chat_only():
    bridge = await talking()
    bridge.clock.advance(49 * HOUR)
    queued = await bridge.employee(ALICE, "later", name="Alice")
    assert isinstance(queued, Queued) and queued.job is not None

    elsewhere = await bridge.outbound.cancel(personal_conversation(BOB), GUEST, queued.job.id, "Bob", BOB)
    assert isinstance(elsewhere, Refused) and len((await bridge.thread(GUEST)).policy.queue) == 1
    assert await bridge.outbound.cancel(ALICES_CHAT, GUEST, queued.job.id, "Alice", ALICE) is None
    await bridge.settle()
    assert (await bridge.thread(GUEST)).policy.queue == ()
    await bridge.guest(GUEST, "back")
    assert "Alice: later" not in bridge.wechat.said_to(GUEST)


async def test_a_message_whose_delivery_wechat_did_not_confirm_is_sent_again_when_asked_only():
    bridge = await talking()
    bridge.wechat.refuse_next("send_text", WeChatOutcomeUnknown("timed out after the request was sent"))
    lost = await bridge.employee(ALICE, "did this arrive?", name="Alice")
    assert isinstance(lost, Queued) and lost.job is not None
    assert bridge.wechat.said_to(GUEST).count("Alice: did this arrive?") == 1  # not repeated on its own
    assert "not_confirmed" in notices(bridge)

    assert await bridge.outbound.send_again(personal_conversation(BOB), GUEST, lost.job.id, "Bob", BOB, "p1")
    assert await bridge.outbound.send_again(ALICES_CHAT, GUEST, lost.job.id, "Alice", ALICE, "p2") is None
    await bridge.settle()
    assert bridge.wechat.said_to(GUEST).count("Alice: did this arrive?") == 2


async def test_where_media_cannot_be_sent_a_message_with_a_file_is_refused_whole_and_said_so():
    bridge = await talking()
    bridge.outbound.media = None  # as app.py builds it without a media fitter
    said = len(bridge.wechat.texts)
    outcome = await bridge.employee(ALICE, "see attached", files=[("a.png", b"png", "image/png")])
    assert isinstance(outcome, Refused) and "Pictures and files cannot be sent" in outcome.reason
    assert len(bridge.wechat.texts) == said and bridge.teams.downloads == []
