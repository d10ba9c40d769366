"""The compliance record over real HTTP: every push and every decision of a conversation, in one
unbroken chain per guest; nothing where a sub-organization does not record."""
from __future__ import annotations

from services.record import Recorder
from tests.e2e.conftest import ALICE, _close, _stack


async def entries(stack, openid: str) -> list[dict]:
    return await Recorder(stack.components.storage, stack.clock).entries(openid)


async def test_a_conversation_is_recorded_whole_in_both_directions(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestRecorded0000000001", "Chen")
    await guest.say("Please sell 100 shares")
    await stack.settle()  # the thread exists: the employee's answer has a guest to go to
    await stack.employee_says(ALICE, "Noted, selling at market.")
    await stack.settle()

    record = await entries(stack, guest.openid)
    assert (await Recorder(stack.components.storage, stack.clock).verify_thread(guest.openid)).first_break is None
    kinds = [(e["kind"], e.get("what", {}).get("type")) for e in record]
    assert kinds[:1] == [("decision", "guest_message")]
    inbound = record[0]
    assert inbound["push"]["content"] == "Please sell 100 shares" and inbound["push"]["msg_id"]
    assert inbound["teams_activity_id"] and inbound["participants"] == [ALICE.aad_object_id]
    welcome = next(c for c in inbound["decided"] if c.get("notice") == "welcome_guest")
    assert welcome["text"].endswith("本对话将被记录并按监管要求保存。")  # the guest was told, in their language

    employee = next(e for e in record if e["what"]["type"] == "employee_message")
    assert employee["what"]["text"] == "Noted, selling at market." and employee["what"]["author"] == "Alice Advisor"
    sent = next(c for c in employee["decided"] if c["type"] == "send_to_guest")
    answer = next(e for e in record if e["what"]["type"] == "we_chat_answer"
                  and e["what"]["message_id"] == sent["message_id"])
    assert answer["what"]["errcode"] == 0  # accepted by WeChat's API
    assert [e["seq"] for e in record] == list(range(1, len(record) + 1))


async def test_pushes_no_one_sees_are_recorded_too(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestRecorded0000000002")
    await guest.say("hi")
    await stack.settle()
    from simulators.wechat_push import event

    await stack.wechat.push(event(guest.openid, "CLICK", create_time=int(stack.clock.now()), event_key="MENU_RATES"))
    await stack.settle()
    last = (await entries(stack, guest.openid))[-1]
    assert (last["kind"], last["push"]["event"], last["push"]["event_key"]) == ("inbound", "CLICK", "MENU_RATES")


async def test_a_sub_organization_that_does_not_record_keeps_nothing_and_says_nothing(tmp_path):
    organizations = ('[[organizations]]\nid = "c"\n[[organizations.sub_organizations]]\nid = "hk"\nrecording = false\n'
                     f'employees = [{{ aad = "{ALICE.aad_object_id}" }}]\n')
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", organizations=organizations)
    try:
        await stack.install(ALICE)
        guest = stack.wechat.guest("oGuestUnrecorded00000001")
        await guest.say("hello")
        await stack.employee_says(ALICE, "hi")
        await stack.settle()
        assert await entries(stack, guest.openid) == []
        assert not any("记录" in t for t in await stack.guest_texts(guest.openid))
    finally:
        await _close(stack)


async def test_a_guest_who_unfollows_loses_their_profile_but_not_the_record(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestRecorded0000000003", "Chen Wei", language="en")
    await guest.say("please keep this on file")
    await stack.settle()
    before = await entries(stack, guest.openid)
    await guest.unfollow()
    await stack.settle()

    thread, _ = await stack.components.conversations.threads.get(guest.openid)
    assert (thread.nickname, thread.language) == ("", "")
    assert thread.label == f"WeChat user …{guest.openid[-6:]}"
    after = await entries(stack, guest.openid)
    assert after[: len(before)] == before and after[-1]["push"]["event"] == "unsubscribe"
    assert any("Chen Wei" in t and "unfollowed" in t for t in stack.teams_texts(ALICE))  # told while it was known
