"""services/contacts.py on the fakes (tests/fakes.py): `find` lists the contacts an employee may open, by
name, nickname or phone number, most recent first; Open posts the contact's live card again as the latest
message of its conversation and turns the copy before into a pointer to it."""
from __future__ import annotations

from adapters.teams.errors import ConversationNotFound
from core.organizations import directory_from_mapping
from core.threads import Target, employee_scene
from tests.fakes import ALICE, BOB, Bridge, personal_conversation

DAVE = "d0000000-0000-4000-8000-000000000004"
INBOX = Target("channel", "19:hk-inbox@thread.tacv2")
DIRECTORY = directory_from_mapping({"organizations": [{"id": "c", "sub_organizations": [
    {"id": "hk", "name": "HK", "inbox": INBOX.id,
     "employees": [{"aad": ALICE, "name": "Alice Wong"}, {"aad": BOB, "name": "Bob Li"}]},
    {"id": "sg", "name": "SG", "employees": [{"aad": DAVE, "name": "Dave Tan"}]}]}]})
# A guest of Alice's (through her QR code), one of HK's inbox, one of Dave's.
MEI, LEI, WU = "oGuestContactsMei000000001", "oGuestContactsLei000000001", "oGuestContactsWu0000000001"
NICKNAMES = {MEI: "Chen Mei", LEI: "Ｌｅｉ", WU: "Wu"}


async def contacts() -> Bridge:
    bridge = Bridge.build(DIRECTORY, default_target=INBOX)
    for target in (INBOX, Target("employee", ALICE), Target("employee", DAVE)):
        await bridge.install(target)
    for openid, scene in ((MEI, employee_scene(ALICE)), (LEI, None), (WU, employee_scene(DAVE))):
        bridge.wechat.profiles[openid] = {"nickname": NICKNAMES[openid]}
        await bridge.guest(openid, event="subscribe", event_key=f"qrscene_{scene}" if scene else None)
        await bridge.guest(openid, "hello")
        bridge.clock.advance(60)
    await bridge.threads.update(MEI, lambda t: t.with_(validated_phone="+85291234567"))
    return bridge


async def found(bridge: Bridge, aad: str, query: str) -> list[tuple[str, str]]:
    return [(f.thread.openid, f.view.where) for f in await bridge.contacts.find(aad, query)]


async def test_an_employee_finds_their_own_and_their_inboxs_contacts_most_recent_first():
    bridge = await contacts()
    assert await found(bridge, ALICE, "") == [(LEI, "the HK inbox"), (MEI, "your chat")]
    assert await found(bridge, BOB, "") == [(LEI, "the HK inbox")]  # Alice's chat is hers
    assert await found(bridge, DAVE, "") == [(WU, "your chat")]


async def test_a_contact_is_found_by_nickname_or_phone_number_in_any_form():
    bridge = await contacts()
    assert await found(bridge, ALICE, "chen") == [(MEI, "your chat")]
    assert await found(bridge, ALICE, "lei") == [(LEI, "the HK inbox")]  # full-width in WeChat, folded
    assert await found(bridge, ALICE, "9123 4567") == await found(bridge, ALICE, "+852-9123-4567") == [
        (MEI, "your chat")]
    assert await found(bridge, ALICE, "Wu") == []  # Dave's contact


async def test_open_posts_the_live_card_again_and_the_copy_before_points_to_it():
    bridge = await contacts()
    before = (await bridge.thread(MEI)).status_activity_id
    told = await bridge.contacts.open(ALICE, MEI)

    assert told == "Opened **Chen Mei**: their card is now the latest message of that chat."
    latest = bridge.teams.posts(personal_conversation(ALICE))[-1]
    assert latest.mark.get("card") == "status" and "Chen Mei" in latest.shown
    assert (await bridge.thread(MEI)).status_activity_id == latest.message_id != before
    [retired] = bridge.teams.updates(before)[-1:]
    assert retired.mark.get("card") == "moved"


async def test_open_in_an_inbox_links_to_the_thread_and_says_when_it_cannot():
    bridge = await contacts()
    conversation = (await bridge.thread(LEI)).teams_conversation_id
    told = await bridge.contacts.open(BOB, LEI)
    assert told.startswith("Opened **Ｌｅｉ** in the HK inbox: [go to the thread](https://teams.microsoft.com/l/message/")
    assert bridge.teams.posts(conversation)[-1].mark.get("card") == "status"

    bridge.teams.refuse_next("post", ConversationNotFound(404, "ConversationNotFound", "gone"))
    assert await bridge.contacts.open(BOB, LEI) == "That conversation cannot be reached now; try again later."
    assert await bridge.contacts.open(BOB, MEI) == "That card is out of date or not valid here."  # Alice's


async def test_open_a_contact_who_has_not_written_yet():
    bridge = Bridge.build(DIRECTORY, default_target=INBOX)
    bridge.wechat.profiles[MEI] = {"nickname": "Chen Mei"}
    await bridge.guest(MEI, event="subscribe", event_key=f"qrscene_{employee_scene(ALICE)}")  # Alice has no app yet
    assert await bridge.contacts.open(ALICE, MEI) == (
        "**Chen Mei** has not written yet: their conversation opens with their first message.")
    assert bridge.teams.calls == []


async def test_own_and_inbox_contacts_are_found_whatever_else_is_stored(monkeypatch):
    """Own and inbox threads are queried by their target: not among the first threads the scan of threads taken
    part in elsewhere reads (which may be any 5,000 of 100,000)."""
    bridge = await contacts()
    monkeypatch.setattr("services.contacts.SCANNED", 1)
    assert await found(bridge, ALICE, "") == [(LEI, "the HK inbox"), (MEI, "your chat")]
    assert await found(bridge, DAVE, "wu") == [(WU, "your chat")]
