"""The Teams app's administration and contact lookup, through HTTP as Teams drives them: an
administrator enables a person (and a sub-organization) from the admin card; someone not enabled
is refused and nothing reaches WeChat; `find` and the message extension return the contact and
open the conversation."""
from __future__ import annotations

import time

import pytest

from cards.admin import ADMIN_SET, ADMIN_SET_TYPED
from cards.contacts import OPEN_THREAD
from core.clock import FakeClock
from simulators.teams_client import TeamsUser, messaging_extension_query, personal_message, post_activity
from tests.card_walk import actions
from tests.e2e.conftest import ALICE, BOB, _card_text, _close, _stack

NOT_VALID = "That card is out of date or not valid here."

ADMIN = TeamsUser(name="Ada Admin", aad_object_id="ad000000-0000-4000-8000-0000000000ad")
ORGS = '''
[[organizations]]
id = "c"
people = "people.csv"
  [[organizations.sub_organizations]]
  id = "hk"
  name = "HK Private Banking"
  [[organizations.sub_organizations]]
  id = "sg"
  name = "SG Retail"
'''
PEOPLE = f"""aad,name,email,sub_organization
{ALICE.aad_object_id},Alice Wong,alice.wong@contoso.example,hk
{BOB.aad_object_id},Bob Li,bob.li@contoso.example,sg
"""


@pytest.fixture
async def admin_stack(tmp_path):
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    stack = await _stack(tmp_path, clock=FakeClock(start=time.time()), DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         organizations=ORGS, TEAMS_ADMINS=ADMIN.aad_object_id)
    try:
        for user in (ALICE, BOB, ADMIN):
            await stack.install(user)
        yield stack
    finally:
        await _close(stack)


async def press(stack, user, value, card_activity_id: str | None = None) -> None:
    """An Action.Submit on a card the bot sent (Teams gives the card's id as replyToId)."""
    activity = personal_message(None, service_url=stack.connector_url, user=user, value=value, clock=stack.clock,
                                activity_id=f"press{len(stack.connector.activities)}")
    if card_activity_id:
        activity["replyToId"] = card_activity_id
    r = await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
    assert r.status in (200, 201)
    await stack.settle()


def flat(activity: dict) -> str:
    return " ".join(_card_text(activity).split())


def cards_of(stack, user) -> list[dict]:
    return [a for a in stack.teams_messages(user) if a["activity"].get("attachments")]


def live_cards(stack, user, openid: str) -> list[str]:
    """The ids of the messages that were ever the thread's live card, in the order they were posted."""
    posted = [a["activityId"] for a in stack.teams_messages(user) if a["operation"] != "update"
              and (a["activity"].get("channelData") or {}).get("wechatBridge", {}).get("card") == "status"]
    return [i for i in posted if any(openid in str(a["activity"]) for a in stack.connector.activities
                                     if a["activityId"] == i)]


def current(stack, activity_id: str) -> dict:
    """A Teams message as it is now (its last write)."""
    return [a["activity"] for a in stack.connector.activities if a["activityId"] == activity_id][-1]


async def test_an_admin_enables_a_person_from_the_admin_card_and_only_then_their_reply_reaches_wechat(admin_stack):
    stack = admin_stack
    guest = stack.wechat.guest("oGuestAdmin00000000000001", "Chen", language="en")
    await guest.say("Hello Alice")
    await stack.settle()
    before = len(await stack.wechat.delivered(guest.openid))

    await stack.employee_says(ALICE, "Hello Mr Chen")  # not enabled: refused, nothing sent
    assert "requires it to be enabled by your administrator" in stack.teams_texts(ALICE)[-1]
    assert len(await stack.wechat.delivered(guest.openid)) == before
    await stack.employee_says(ALICE, "admin")  # not an administrator
    assert stack.teams_texts(ALICE)[-1] == "Only the WeChat app's administrators can use admin."
    await press(stack, ALICE, {"verb": ADMIN_SET, "kind": "user", "id": ALICE.aad_object_id, "enabled": True})
    assert (await stack.components.storage.get("kv", "enablement", "enablement")) is None  # a forged press does nothing

    await stack.employee_says(ADMIN, "admin")
    [sent] = cards_of(stack, ADMIN)[-1:]
    shown = flat(sent["activity"])
    assert "Alice Wong · not enabled" in shown and "Jobs waiting" in shown and "Last push from WeChat" in shown
    await press(stack, ADMIN, {"verb": ADMIN_SET, "kind": "user", "id": ALICE.aad_object_id, "enabled": True},
                card_activity_id=sent["activityId"])
    updated = cards_of(stack, ADMIN)[-1]
    assert updated["operation"] == "update" and updated["activityId"] == sent["activityId"]  # in place
    assert "WeChat enabled for Alice Wong." in flat(updated["activity"])
    assert "Alice Wong · enabled" in flat(updated["activity"])
    assert updated["activity"]["summary"] == "WeChat administration"  # what a notification of it says

    # The same old button pressed again (another copy of the card, a slow client): told, nothing written twice.
    changes = (await stack.components.storage.get("kv", "enablement", "enablement")).body["changes"]
    await press(stack, ADMIN, {"verb": ADMIN_SET, "kind": "user", "id": ALICE.aad_object_id, "enabled": True},
                card_activity_id=sent["activityId"])
    again = cards_of(stack, ADMIN)[-1]
    assert again["activityId"] == sent["activityId"]
    assert "This was already done: WeChat is enabled for Alice Wong." in flat(again["activity"])
    assert (await stack.components.storage.get("kv", "enablement", "enablement")).body["changes"] == changes

    stack.clock.advance(10)  # past every instance's cache of the settings
    await stack.employee_says(ALICE, "Hello Mr Chen")
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong: Hello Mr Chen"  # her directory name


async def test_a_whole_sub_organization_is_enabled_and_a_person_in_it_disabled(admin_stack):
    stack = admin_stack
    await press(stack, ADMIN, {"verb": ADMIN_SET, "kind": "sub", "id": "sg", "enabled": True})
    await press(stack, ADMIN, {"verb": ADMIN_SET, "kind": "sub", "id": "nowhere", "enabled": True})  # tampered
    assert NOT_VALID in flat(cards_of(stack, ADMIN)[-1]["activity"])
    stack.clock.advance(10)
    await stack.employee_says(BOB, "qr")
    assert not any("requires it to be enabled" in t for t in stack.teams_texts(BOB))

    await press(stack, ADMIN, {"verb": ADMIN_SET_TYPED, "enabled": False, "person": "BOB.LI@contoso.example"})
    assert "WeChat disabled for Bob Li." in flat(cards_of(stack, ADMIN)[-1]["activity"])
    stack.clock.advance(10)
    await stack.employee_says(BOB, "find anyone")
    assert "requires it to be enabled by your administrator" in stack.teams_texts(BOB)[-1]


async def test_find_and_the_message_extension_return_the_contact_and_open_the_conversation(admin_stack):
    stack = admin_stack
    await press(stack, ADMIN, {"verb": ADMIN_SET, "kind": "user", "id": ALICE.aad_object_id, "enabled": True})
    stack.clock.advance(10)
    guest = stack.wechat.guest("oGuestAdmin00000000000002", "Chen Jing", language="en")
    await guest.say("Good morning")
    other = stack.wechat.guest("oGuestAdmin00000000000003", "Zhao", language="en")
    await other.say("Hi")
    await stack.settle()

    await stack.employee_says(ALICE, "find chen")
    found = cards_of(stack, ALICE)[-1]["activity"]
    assert "Chen Jing" in flat(found) and "Zhao" not in flat(found)
    opens = [a for a in found["attachments"][0]["content"]["body"][-1]["columns"][-1]["items"][0]["actions"]]
    assert opens[0]["data"] == {"verb": OPEN_THREAD, "thread": guest.openid}

    first = live_cards(stack, ALICE, guest.openid)
    assert len(first) == 1
    await press(stack, ALICE, opens[0]["data"])
    assert stack.teams_texts(ALICE)[-1].startswith("Opened **Chen Jing**")
    # The contact's live card, posted again as the latest message of the chat; the older copy points to it.
    latest = live_cards(stack, ALICE, guest.openid)
    assert len(latest) == 2 and latest[0] == first[0]
    older, newer = (current(stack, activity_id) for activity_id in latest)
    assert older["channelData"]["wechatBridge"]["card"] == "moved" and not actions(older, "Action.Submit")
    assert "card has moved" in flat(older) and "messages left" in flat(newer)
    # What happens next shows on the latest copy; the pointer stays a pointer.
    await guest.say("Are you there?")
    await stack.settle()
    assert [a["operation"] for a in stack.connector.activities if a["activityId"] == latest[1]][-1] == "update"
    assert current(stack, latest[0]) == older
    await press(stack, BOB, opens[0]["data"])  # someone else's contact: not theirs to open
    assert stack.teams_texts(BOB)[-1] in (
        NOT_VALID, "Using WeChat from Teams requires it to be enabled by your administrator. "
                   "Nothing was sent; ask an administrator of the WeChat app to enable it for you.")

    r = await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")),
                            messaging_extension_query("chen", service_url=stack.connector_url, user=ALICE,
                                                      clock=stack.clock))
    assert r.status == 200
    result = (await r.json())["composeExtension"]
    assert result["type"] == "result"
    assert [a["preview"]["content"]["title"] for a in result["attachments"]] == ["Chen Jing"]
    assert "Chen Jing" in flat({"attachments": [result["attachments"][0]]})
