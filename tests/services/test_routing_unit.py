"""services/routing.py on the fakes (tests/fakes.py): a new guest tells the routing assistant whom they want
and is connected (the employee told with the guest's own words, in Teams and by e-mail), or reaches the inbox;
a decision run again says nothing twice; a connection waits for the employee's app. Over HTTP, with the
directory in a file: tests/e2e/test_routing.py."""
from __future__ import annotations

from core.organizations import directory_from_mapping
from core.people import Person
from core.threads import Target
from dialogs.routing import GuestSays
from services.jobs import PENDING
from tests.fakes import ALICE, BOB, MAIL_FROM, Bridge, personal_conversation

GUEST = "oGuestRouting0000000000001"
INBOX = Target("channel", "19:hk-inbox@thread.tacv2")
DIRECTORY = directory_from_mapping(
    {"organizations": [{"id": "c", "routing": {"max_failed_turns": 2},
                        "sub_organizations": [{"id": "hk", "name": "HK", "inbox": INBOX.id}]}]},
    people={"c": (Person(ALICE, "Alice Wong", "hk", name_zh="王嘉欣", notify_email="alice@contoso.example",
                         desk=("Mortgage advisor",)),
                  Person(BOB, "Bob Li", "hk", name_zh="李波", desk=("Investment funds",)))})
ASKED = "Hello! Whom would you like to reach?"


async def assistant(*installed: Target) -> Bridge:
    bridge = Bridge.build(DIRECTORY, default_target=INBOX)
    for target in (INBOX, *installed):
        await bridge.install(target)
    bridge.wechat.profiles[GUEST] = {"language": "en"}
    return bridge


def told_alice(bridge: Bridge) -> list[str]:
    return [c.shown for c in bridge.teams.posts(personal_conversation(ALICE)) if c.mark.get("origin") == "wechat"]


async def test_a_new_guest_names_an_employee_and_is_connected_with_their_words():
    bridge = await assistant(Target("employee", ALICE))
    await bridge.guest(GUEST, "Hello")
    assert bridge.wechat.said_to(GUEST)[0].startswith(ASKED) and bridge.teams.posts(personal_conversation(ALICE)) == []

    await bridge.guest(GUEST, "I'd like to talk to Alice about my mortgage")
    [connected] = bridge.wechat.said_to(GUEST)[1:]  # with WeChat's rules, in one message
    assert connected.startswith("Thank you. You are now connected with Alice Wong 王嘉欣, who will answer you here.")
    assert told_alice(bridge) == ["**WeChat user …000001** · The routing assistant connected this new WeChat guest "
                                  "with you. What they wrote:\n\n> Hello\n\n> I'd like to talk to Alice about my "
                                  "mortgage"]
    thread = await bridge.thread(GUEST)
    assert (thread.target, thread.source) == (Target("employee", ALICE), "routed")
    [(mail, recipients)] = bridge.smtp.sent
    assert recipients == ["alice@contoso.example"] and mail["From"] == MAIL_FROM
    assert "> I'd like to talk to Alice about my mortgage" in mail.get_content()
    assert [e["kind"] for e in await bridge.record(GUEST)][:2] == ["routing", "routing"]


async def test_a_guest_the_assistant_cannot_place_reaches_the_inbox_with_what_they_wrote():
    bridge = await assistant()
    for text in ("hi", "Mr Smith please", "the guy from last week"):
        await bridge.guest(GUEST, text)
    said = bridge.wechat.said_to(GUEST)
    assert said[1].startswith("We still could not find that colleague.")  # one more try before the inbox
    assert said[2].startswith("We have passed your message to our team")
    [started] = [c for c in bridge.teams.calls if c.method == "start_thread"]
    assert started.conversation == INBOX.id and "> Mr Smith please\n\n> the guy from last week" in started.shown
    assert (await bridge.thread(GUEST)).source == "routing_inbox"


async def test_a_decision_run_again_says_nothing_twice():
    bridge = await assistant()
    routing = bridge.routing
    assert routing is not None
    for _ in range(2):  # the job that carries it ran twice
        await routing.apply(GUEST, GuestSays("hello"), "msg:1", entry=INBOX, account="default", thread=None,
                            what={"type": "guest_message", "text": "hello"})
        await bridge.settle()
    assert len(bridge.wechat.said_to(GUEST)) == 1
    assert len(await bridge.record(GUEST)) == 1


async def test_a_connection_waits_for_the_employees_app_and_keeps_what_the_guest_wrote_meanwhile():
    bridge = await assistant()  # Alice has not installed the app
    await bridge.guest(GUEST, "Alice Wong please")
    await bridge.guest(GUEST, "still there?")
    [connect] = await bridge.jobs("routing_connect")
    assert (connect["status"], connect["waiting_for"]) == (PENDING, f"employee:{ALICE}")
    assert told_alice(bridge) == []

    await bridge.install(Target("employee", ALICE))
    told = told_alice(bridge)
    assert len(told) == 2 and "> Alice Wong please" in told[0] and told[1].endswith("(WeChat): still there?")
