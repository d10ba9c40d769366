"""The Bot Connector simulator over HTTP, and the Teams activity builders against a real CloudAdapter."""
from __future__ import annotations

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler, teams_get_channel_id, teams_get_team_info
from botbuilder.schema import Activity

from adapters.teams.references import reference_from_activity
from simulators import teams_client
from simulators.teams_client import TeamsChannel, TeamsUser

TENANT = teams_client.DEFAULT_TENANT


@pytest.fixture
def alice() -> TeamsUser:
    return TeamsUser("Alice Advisor")


async def call(session, method: str, url: str, body=None):
    async with session.request(method, url, json=body) as response:
        payload = await response.json() if response.content_length != 0 else None
        return response.status, payload, response.headers


async def register_personal(connector, session, user: TeamsUser) -> str:
    install = teams_client.personal_installation(service_url=connector.url, user=user)[-1]
    await teams_client.register_conversation(session, install)
    return install["conversation"]["id"]


# -- the Bot Connector routes -------------------------------------------------------------
@pytest.mark.asyncio
async def test_unknown_conversation_is_404_with_the_connector_error_shape(connector, session):
    status, body, _ = await call(session, "POST", connector.url + "v3/conversations/a:1nope/activities",
                                 {"type": "message", "text": "x"})
    assert status == 404
    assert body["error"]["code"] == "ConversationNotFound" and body["error"]["message"]


@pytest.mark.asyncio
async def test_send_reply_update_delete_are_recorded(connector, session, alice):
    conversation = await register_personal(connector, session, alice)
    base = f"{connector.url}v3/conversations/{conversation}/activities"

    status, sent, _ = await call(session, "POST", base, {"type": "message", "text": "one"})
    assert status == 201 and sent["id"]
    status, replied, _ = await call(session, "POST", f"{base}/{sent['id']}", {"type": "message", "text": "two"})
    assert status == 201 and replied["id"] != sent["id"]
    status, updated, _ = await call(session, "PUT", f"{base}/{sent['id']}", {"type": "message", "text": "one!"})
    assert (status, updated) == (200, {"id": sent["id"]})
    status, _, _ = await call(session, "DELETE", f"{base}/{replied['id']}")
    assert status == 200
    status, body, _ = await call(session, "PUT", f"{base}/{replied['id']}", {"type": "message", "text": "gone"})
    assert (status, body["error"]["code"]) == (404, "ActivityNotFound")

    status, listed, _ = await call(session, "GET", f"{connector.url}sim/activities?conversation={conversation}")
    assert [(a["operation"], a["method"], a["activityId"], a["replyToId"]) for a in listed["activities"]] == [
        ("send", "POST", sent["id"], None),
        ("reply", "POST", replied["id"], sent["id"]),
        ("update", "PUT", sent["id"], None),
        ("delete", "DELETE", replied["id"], None),
    ]
    assert listed["activities"][0]["activity"]["conversation"] == {
        "id": conversation, "conversationType": "personal", "tenantId": TENANT}


@pytest.mark.asyncio
async def test_bad_bodies_are_400(connector, session, alice):
    conversation = await register_personal(connector, session, alice)
    url = f"{connector.url}v3/conversations/{conversation}/activities"
    async with session.post(url, data=b"not json", headers={"Content-Type": "application/json"}) as response:
        assert response.status == 400
    status, body, _ = await call(session, "POST", url, {"text": "no type"})
    assert (status, body["error"]["code"]) == (400, "BadArgument")


@pytest.mark.asyncio
async def test_messages_over_100kb_are_413(connector, session, alice):
    conversation = await register_personal(connector, session, alice)
    status, body, _ = await call(session, "POST", f"{connector.url}v3/conversations/{conversation}/activities",
                                 {"type": "message", "text": "x" * 60_000})  # 120 KB in UTF-16
    assert (status, body["error"]["code"]) == (413, "MessageSizeTooBig")


@pytest.mark.asyncio
async def test_create_personal_conversation(connector, session, alice):
    await register_personal(connector, session, alice)
    params = {"isGroup": False, "bot": {"id": "28:bot"}, "members": [{"id": alice.aad_object_id}],
              "channelData": {"tenant": {"id": TENANT}}}

    status, created, _ = await call(session, "POST", connector.url + "v3/conversations", params)
    assert status in (200, 201) and created["id"].startswith("a:") and created["serviceUrl"] == connector.url
    _, again, _ = await call(session, "POST", connector.url + "v3/conversations",
                             {**params, "members": [{"id": alice.user_id}], "tenantID": TENANT})
    assert again["id"] == created["id"]

    status, body, _ = await call(session, "POST", connector.url + "v3/conversations",
                                 {**params, "members": [{"id": "29:stranger"}]})
    assert (status, body["error"]["code"]) == (403, "BotNotInConversationRoster")
    status, _, _ = await call(session, "POST", connector.url + "v3/conversations",
                              {**params, "channelData": {}})
    assert status == 400  # no tenant


@pytest.mark.asyncio
async def test_create_channel_thread(connector, session, alice):
    channel = TeamsChannel()
    install = teams_client.team_installation(service_url=connector.url, user=alice, channel=channel)[-1]
    await teams_client.register_conversation(session, install)
    params = {"isGroup": True, "channelData": {"channel": {"id": channel.id}},
              "activity": {"type": "message", "text": "root"}}

    status, created, _ = await call(session, "POST", connector.url + "v3/conversations", params)

    assert status == 201
    assert created["id"] == f"{channel.id};messageid={created['activityId']}"
    assert created["activityId"].isdigit()
    status, sent, _ = await call(session, "POST", f"{connector.url}v3/conversations/{created['id']}/activities",
                                 {"type": "message", "text": "in the thread"})
    assert status == 201
    assert [a["conversationId"] for a in connector.state.activities_for(channel.id)] == [created["id"]] * 2

    status, _, _ = await call(session, "POST", connector.url + "v3/conversations",
                              {**params, "activity": None})
    assert status == 400
    status, body, _ = await call(session, "POST", connector.url + "v3/conversations",
                                 {**params, "channelData": {"channel": {"id": "19:other@thread.tacv2"}}})
    assert (status, body["error"]["code"]) == (404, "ConversationNotFound")


@pytest.mark.asyncio
async def test_members_and_paged_members(connector, session, alice):
    channel = TeamsChannel()
    bob = TeamsUser("Bob Banker")
    for user in (alice, bob):
        post = teams_client.channel_message("hi", service_url=connector.url, user=user, channel=channel)
        await teams_client.register_conversation(session, post)
    base = f"{connector.url}v3/conversations/{channel.id};messageid=1"

    _, members, _ = await call(session, "GET", base + "/members")
    assert [m["aadObjectId"] for m in members] == [alice.aad_object_id, bob.aad_object_id]
    status, member, _ = await call(session, "GET", f"{base}/members/{bob.aad_object_id}")
    assert (status, member["name"]) == (200, "Bob Banker")
    status, body, _ = await call(session, "GET", f"{base}/members/29:nobody")
    assert (status, body["error"]["code"]) == (404, "MemberNotFoundInConversation")
    _, page, _ = await call(session, "GET", base + "/pagedmembers?pageSize=1")
    assert len(page["members"]) == 1 and page["continuationToken"]
    _, rest, _ = await call(session, "GET",
                            f"{base}/pagedmembers?pageSize=1&continuationToken={page['continuationToken']}")
    assert rest["members"][0]["name"] == "Bob Banker" and rest["continuationToken"] is None


@pytest.mark.asyncio
async def test_control_api_statuses_and_injected_failures(connector, session, alice):
    conversation = await register_personal(connector, session, alice)
    url = f"{connector.url}v3/conversations/{conversation}/activities"
    message = {"type": "message", "text": "x"}

    for state, code in [("not_installed", "BotNotInConversationRoster"), ("blocked", "ConversationBlockedByUser"),
                        ("disabled", "BotDisabledByAdmin")]:
        await call(session, "POST", connector.url + "sim/conversation-state",
                   {"conversation": conversation, "status": state})
        status, body, _ = await call(session, "POST", url, message)
        assert (status, body["error"]["code"]) == (403, code)
    await call(session, "POST", connector.url + "sim/conversation-state",
               {"conversation": conversation, "status": "installed"})

    await call(session, "POST", connector.url + "sim/failures",
               {"count": 2, "status": 429, "code": "Throttled", "retryAfter": 5})
    for _ in range(2):
        status, body, headers = await call(session, "POST", url, message)
        assert (status, body["error"]["code"], headers["Retry-After"]) == (429, "Throttled", "5")
    status, _, _ = await call(session, "POST", url, message)
    assert status == 201

    await call(session, "POST", connector.url + "sim/failures",
               {"status": 502, "code": "BadGateway", "conversation": "a:1other"})
    status, _, _ = await call(session, "POST", url, message)
    assert status == 201  # the failure waits for its own conversation


@pytest.mark.asyncio
async def test_rate_limits_follow_the_clock(connector, session, clock, alice):
    conversation = await register_personal(connector, session, alice)
    url = f"{connector.url}v3/conversations/{conversation}/activities"
    await call(session, "POST", connector.url + "sim/rate-limits", {"enabled": True})

    statuses = [(await call(session, "POST", url, {"type": "message", "text": str(i)}))[0] for i in range(8)]
    assert statuses == [201] * 7 + [429]  # 7 per second per conversation
    clock.advance(1.01)
    status, _, _ = await call(session, "POST", url, {"type": "message", "text": "8"})
    assert status == 201
    status, _, headers = await call(session, "POST", url, {"type": "message", "text": "9"})
    assert status == 429 and int(headers["Retry-After"]) >= 1  # 8 per 2 seconds


@pytest.mark.asyncio
async def test_reset_forgets_everything(connector, session, alice):
    conversation = await register_personal(connector, session, alice)
    await call(session, "POST", f"{connector.url}v3/conversations/{conversation}/activities", {"type": "message"})
    status, _, _ = await call(session, "POST", connector.url + "sim/reset")
    assert status == 200
    _, listed, _ = await call(session, "GET", connector.url + "sim/activities")
    assert listed == {"activities": []}
    status, _, _ = await call(session, "POST", f"{connector.url}v3/conversations/{conversation}/activities",
                              {"type": "message"})
    assert status == 404


# -- what Teams sends, through a real CloudAdapter -----------------------------------------
class EchoBot(TeamsActivityHandler):
    def __init__(self) -> None:
        self.references: list[dict] = []
        self.teams_seen: list[tuple[str | None, str | None]] = []

    async def on_message_activity(self, turn_context: TurnContext):
        text = TurnContext.remove_recipient_mention(turn_context.activity) or ""
        await turn_context.send_activity(f"echo: {text.strip()}")

    async def on_installation_update_add(self, turn_context: TurnContext):
        self.references.append(reference_from_activity(turn_context.activity))

    async def on_teams_members_added(self, members_added, team_info, turn_context: TurnContext):
        self.teams_seen.append((team_info.id if team_info else None, teams_get_channel_id(turn_context.activity)))


@pytest_asyncio.fixture
async def bot_server(adapter):
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server, bot
    await server.close()


@pytest.mark.asyncio
async def test_personal_message_is_accepted_and_answered_through_the_simulator(
        connector, session, bot_server, alice, turn_errors):
    server, _ = bot_server
    activity = teams_client.personal_message("hello", service_url=connector.url, user=alice)

    response = await teams_client.post_activity(session, str(server.make_url("/")), activity)

    assert response.status in (200, 201)
    assert turn_errors == []
    [reply] = connector.state.activities
    assert reply["operation"] == "reply" and reply["replyToId"] == activity["id"]
    assert reply["conversationId"] == activity["conversation"]["id"]
    assert reply["activity"]["text"] == "echo: hello"
    assert reply["activity"]["recipient"]["aadObjectId"] == alice.aad_object_id


@pytest.mark.asyncio
async def test_channel_mention_is_answered_in_its_thread(connector, session, bot_server, alice, turn_errors):
    server, _ = bot_server
    channel = TeamsChannel()
    activity = teams_client.channel_message("who is online?", service_url=connector.url, user=alice,
                                            channel=channel, thread_root_id="1750000000000")
    assert teams_get_team_info(Activity.deserialize(activity)).id == channel.team_id

    response = await teams_client.post_activity(session, str(server.make_url("/api/messages")), activity)

    assert response.status in (200, 201) and turn_errors == []
    [reply] = connector.state.activities
    assert reply["conversationId"] == f"{channel.id};messageid=1750000000000"
    assert reply["activity"]["text"] == "echo: who is online?"  # the <at> mention was recognised


@pytest.mark.asyncio
async def test_installations_give_references_that_proactive_sends_can_use(
        connector, session, bot_server, sender, alice, turn_errors):
    server, bot = bot_server
    channel = TeamsChannel()
    for activity in (teams_client.personal_installation(service_url=connector.url, user=alice)
                     + teams_client.team_installation(service_url=connector.url, user=alice, channel=channel)):
        response = await teams_client.post_activity(session, str(server.make_url("/")), activity)
        assert response.status in (200, 201)

    assert turn_errors == []
    # The SDK read team and channel from channelData (none in the 1:1 chat).
    assert bot.teams_seen == [(None, None), (channel.team_id, channel.team_id)]
    personal, team = bot.references
    assert personal["conversation"]["conversationType"] == "personal"
    assert team["conversation"]["id"] == channel.team_id

    await sender.send(personal, Activity(type="message", text="to Alice"))
    thread, _ = await sender.start_channel_thread(team, Activity(type="message", text="to the team"))
    assert [a["activity"]["text"] for a in connector.state.activities] == ["to Alice", "to the team"]

    # Removing the app: later sends are refused like Teams refuses them.
    remove = teams_client.personal_installation(service_url=connector.url, user=alice, action="remove")
    await teams_client.post_activity(session, str(server.make_url("/")), remove[0])
    status = connector.state.conversations[personal["conversation"]["id"]].status
    assert status == "not_installed"
