"""A new WeChat guest tells the routing assistant whom they want, in their own words, and is
connected: the employee's Teams conversation shows the notice with the guest's words, then their
messages. Through HTTP, as WeChat and Teams would drive it, with the directory in a CSV file the
app reloads when it changes."""
from __future__ import annotations

import asyncio
import time

import pytest

from core.clock import FakeClock
from simulators.teams_client import TeamsChannel, post_activity, team_installation
from tests.e2e.conftest import ALICE, BOB, _close, _stack

CHANNEL = TeamsChannel(team_id="19:team-wealth@thread.tacv2", team_name="Wealth", channel_name="WeChat inbox",
                       channel_id="19:wechat-inbox@thread.tacv2")
INBOX = CHANNEL.id
ORGS = f'''
[[organizations]]
id = "c"
people = "people.csv"
routing = {{ max_failed_turns = 2 }}
  [[organizations.sub_organizations]]
  id = "hk"
  name = "HK Private Banking"
  inbox = "{INBOX}"
'''
PEOPLE = f"""aad,name,name_zh,aliases,email,phone,sub_organization,desk,languages
{ALICE.aad_object_id},Alice Wong,王嘉欣,Ally,alice.wong@contoso.example,+852 9123 4567,hk,Mortgage advisor,en;yue
{BOB.aad_object_id},Bob Li,李波,,bob.li@contoso.example,+852 9123 4599,hk,Investment funds,en;zh
"""


@pytest.fixture
async def routing(tmp_path):
    clock = FakeClock(start=time.time())
    (tmp_path / "orgs.toml").write_text(ORGS, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"channel:{INBOX}",
                         ORGANIZATIONS_FILE=str(tmp_path / "orgs.toml"))
    try:
        await stack.install(ALICE)
        await stack.install(BOB)
        await stack.session.post(f"{stack.connector_url}/sim/conversations", json={
            "id": INBOX, "conversationType": "channel", "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "teamId": CHANNEL.team_id, "members": []})
        for activity in team_installation(service_url=stack.connector_url, user=ALICE, channel=CHANNEL,
                                          clock=stack.clock):
            await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
        await stack.settle()
        yield stack
    finally:
        await _close(stack)


async def says(stack, guest, text: str) -> list[str]:
    before = len(await stack.guest_texts(guest.openid))
    await guest.say(text)
    await stack.settle()
    return (await stack.guest_texts(guest.openid))[before:]


async def test_a_new_guest_names_an_employee_and_is_connected(routing):
    stack = routing
    guest = stack.wechat.guest("oGuestRoute00000000000001", "Chen", language="en")

    [ask] = await says(stack, guest, "Hello")
    assert ask.startswith("Hello! Whom would you like to reach?")
    assert not any("Hello" in t for t in stack.teams_texts(ALICE) + stack.teams_texts(BOB))  # nobody yet

    answer = await says(stack, guest, "I'd like to talk to Alice about my mortgage")
    assert answer[-1] == "Thank you. You are now connected with Alice Wong 王嘉欣, who will answer you here."
    [told] = [t for t in stack.teams_texts(ALICE) if "routing assistant connected" in t]
    assert "> Hello" in told and "> I'd like to talk to Alice about my mortgage" in told  # their own words
    assert not any("routing assistant" in t for t in stack.teams_texts(BOB))

    await says(stack, guest, "Are you there?")
    assert any("Are you there?" in t for t in stack.teams_texts(ALICE))  # the assistant has left
    await stack.employee_says(ALICE, "Yes, Alice here.")
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong: Yes, Alice here."

    kinds = [e.body.get("kind") for e in await stack.components.storage.query("records")
             if e.body.get("thread") == guest.openid]
    assert kinds.count("routing") == 2  # both of the assistant's turns are in the compliance record


async def test_a_chinese_guest_chooses_among_namesakes_and_a_lost_guest_reaches_the_inbox(routing, tmp_path):
    stack = routing
    (tmp_path / "people.csv").write_text(
        PEOPLE + "c0ffee00-0000-4000-8000-000000000009,Wei Wang,王伟,,wei.wang@contoso.example,,hk,Tax advisory,zh\n",
        encoding="utf-8")
    assert await asyncio.to_thread(stack.components.directory.reload_if_changed)  # as its watch does

    guest = stack.wechat.guest("oGuestRoute00000000000002", "王", language="zh_CN")
    [choice] = await says(stack, guest, "你好，我想找王经理")
    assert choice.startswith("请问您想联系哪一位？") and "1. " in choice and "2. " in choice
    assert choice.rstrip().endswith("请回复 1 或 2。")
    number = "1" if "1. Alice Wong" in choice else "2"
    answer = await says(stack, guest, number)
    assert answer[-1] == "谢谢！您现在已与 Alice Wong 王嘉欣 建立联系，对方会在这里回复您。"

    lost = stack.wechat.guest("oGuestRoute00000000000003", "Zhou", language="en")
    await says(stack, lost, "hi")
    [guided] = await says(stack, lost, "Mr Smith please")
    assert guided.startswith("We still could not find that colleague.")  # max_failed_turns = 2: one try left
    answer = await says(stack, lost, "the guy from last week")
    assert answer[-1] == "We have passed your message to our team; a colleague will answer you here shortly."
    inbox = [a["activity"].get("text") or "" for a in stack.connector.activities_for(INBOX)
             if "could not tell whom" in (a["activity"].get("text") or "")]
    assert len(inbox) == 1 and "> Mr Smith please" in inbox[0] and "> the guy from last week" in inbox[0]
