"""services/participants.py on the fakes (tests/fakes.py): colleagues join an inbox thread by answering in
it, up to their sub-organization's maximum and only if they may; Leave is valid only from a participant, in
the thread's chat, for its current assignment; the last one to leave closes it (back to the inbox)."""
from __future__ import annotations

from core.organizations import directory_from_mapping
from core.threads import Participant, Target
from services.enablement import USER
from services.outbound import Queued, Refused
from services.participants import LeaveCheck
from tests.fakes import ALICE, BOB, Bridge

GUEST = "oGuestParticipants00000001"
CAROL, DAVE = "c0000000-0000-4000-8000-000000000003", "d0000000-0000-4000-8000-000000000004"
ADMIN = "ad000000-0000-4000-8000-000000000009"
INBOX = Target("channel", "19:hk-inbox@thread.tacv2")
DIRECTORY = directory_from_mapping({"organizations": [{"id": "c", "sub_organizations": [
    {"id": "hk", "name": "HK", "inbox": INBOX.id, "max_participants": 2, "when_last_leaves": "inbox",
     "employees": [{"aad": ALICE, "name": "Alice Wong"}, {"aad": BOB, "name": "Bob Li"}, {"aad": CAROL}]},
    {"id": "sg", "name": "SG", "employees": [{"aad": DAVE, "name": "Dave Tan"}]}]}]})


async def in_the_inbox(admins: frozenset[str] = frozenset()) -> tuple[Bridge, str]:
    """A guest has written to HK's inbox: their thread in the channel, and its conversation id."""
    bridge = Bridge.build(DIRECTORY, default_target=INBOX, admins=admins)
    await bridge.install(INBOX)
    await bridge.guest(GUEST, "hello")
    return bridge, (await bridge.thread(GUEST)).teams_conversation_id


async def test_colleagues_join_by_answering_in_the_thread_until_it_is_full():
    bridge, conversation = await in_the_inbox()
    alice = await bridge.employee(ALICE, "Alice here", name="Alice W.", conversation=conversation)
    bob = await bridge.employee(BOB, "Bob too", name="Bob", conversation=conversation)
    carol = await bridge.employee(CAROL, "and Carol", name="Carol Chan", conversation=conversation)

    assert isinstance(alice, Queued) and isinstance(bob, Queued)
    assert isinstance(carol, Refused) and "already has 2 participants, the most HK allows" in carol.reason
    thread = await bridge.thread(GUEST)
    assert thread.participants == (Participant(ALICE, "Alice Wong"), Participant(BOB, "Bob Li"))  # the file's names
    assert bridge.wechat.said_to(GUEST)[-2:] == ["Alice Wong: Alice here", "Bob Li: Bob too"]


async def test_a_colleague_of_another_sub_organization_or_not_enabled_is_refused():
    bridge, conversation = await in_the_inbox(admins=frozenset({ADMIN}))
    await bridge.enablement.set(by=ADMIN, kind=USER, ident=ALICE, enabled=True)
    dave = await bridge.employee(DAVE, "may I?", name="Dave", conversation=conversation)
    bob = await bridge.employee(BOB, "may I?", name="Bob", conversation=conversation)  # not enabled
    alice = await bridge.employee(ALICE, "I may", name="Alice", conversation=conversation)

    assert isinstance(dave, Refused) and "Only colleagues in HK can take part" in dave.reason
    assert isinstance(bob, Refused) and "Bob Li" in bob.reason
    assert isinstance(alice, Queued)
    assert [p.aad for p in (await bridge.thread(GUEST)).participants] == [ALICE]
    assert not any(text.endswith("may I?") for _, text in bridge.wechat.texts)


async def test_leave_is_valid_only_from_a_participant_in_the_threads_chat_for_its_assignment():
    bridge, conversation = await in_the_inbox()
    await bridge.employee(ALICE, "Alice here", conversation=conversation)
    generation = (await bridge.thread(GUEST)).generation

    check = await bridge.participants.check_leave(conversation, GUEST, generation, ALICE)
    assert isinstance(check, LeaveCheck) and check.person.aad == ALICE and check.last
    not_valid = "That card is out of date or not valid here."
    assert await bridge.participants.check_leave("19:elsewhere@thread.tacv2", GUEST, generation, ALICE) == not_valid
    assert await bridge.participants.check_leave(conversation, GUEST, generation - 1, ALICE) == not_valid
    assert await bridge.participants.check_leave(conversation, GUEST, generation, BOB) == not_valid
    assert await bridge.participants.check_leave(conversation, "oNoSuchGuest", generation, ALICE) == not_valid


async def test_the_guest_is_told_who_leaves_and_the_last_one_sends_them_back_to_the_inbox():
    bridge, conversation = await in_the_inbox()
    await bridge.employee(ALICE, "Alice here", conversation=conversation)
    await bridge.employee(BOB, "Bob too", conversation=conversation)
    for aad in (ALICE, BOB):
        thread = await bridge.thread(GUEST)
        check = await bridge.participants.check_leave(conversation, GUEST, thread.generation, aad)
        assert isinstance(check, LeaveCheck)
        await bridge.participants.leave(check)
        await bridge.settle()
        if aad == ALICE:
            assert (await bridge.thread(GUEST)).status == "open"  # Bob stays

    thread = await bridge.thread(GUEST)
    assert (thread.status, thread.participants, thread.returns_to) == ("closed", (), INBOX)
    assert bridge.wechat.said_to(GUEST)[-2:] == ["Alice Wong 已退出对话。", "Bob Li 已退出对话。"]
    gone = await bridge.participants.check_leave(conversation, GUEST, thread.generation, BOB, confirming=True)
    assert gone == "This was already done: you left this WeChat conversation."

    await bridge.guest(GUEST, "anyone?")  # back to the inbox: a new thread in the channel, a new assignment
    again = await bridge.thread(GUEST)
    assert (again.status, again.target, again.generation) == ("open", INBOX, thread.generation + 1)
    assert again.teams_conversation_id != conversation
