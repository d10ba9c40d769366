"""TeamsSender against a real CloudAdapter (auth disabled) and the Bot Connector simulator."""
from __future__ import annotations

import json

import pytest
from botbuilder.schema import Activity, ConversationReference

from adapters.teams.errors import (
    ActivityNotFound,
    BotDisabledByAdmin,
    BotNotInConversationRoster,
    ConversationBlockedByUser,
    ConversationNotFound,
    TeamsError,
    Throttled,
)
from adapters.teams.references import reference_from_activity, reference_from_dict, reference_to_dict
from adapters.teams.sender import TeamsSender
from simulators import teams_client
from simulators.teams_client import TeamsChannel, TeamsUser
from tests.teams.installs import installed_channel, installed_personal, message

TENANT = teams_client.DEFAULT_TENANT


@pytest.fixture
def alice() -> TeamsUser:
    return TeamsUser("Alice Advisor")


@pytest.mark.asyncio
async def test_send_lands_in_the_conversation_with_its_text(connector, session, sender, alice, turn_errors):
    reference = await installed_personal(connector, session, alice)

    activity_id = await sender.send(reference, message("Hello from WeChat"))

    [sent] = connector.state.activities
    assert sent["activityId"] == activity_id
    assert sent["operation"] == "send"  # POST …/activities, not a reply to the SDK's made-up event id
    assert sent["conversationId"] == reference["conversation"]["id"]
    assert sent["activity"]["text"] == "Hello from WeChat"
    assert sent["activity"]["recipient"]["id"] == alice.user_id
    assert turn_errors == []


@pytest.mark.asyncio
async def test_the_callers_activity_is_not_changed(connector, session, sender, alice):
    reference = await installed_personal(connector, session, alice)
    activity = message("same object twice")
    first = await sender.send(reference, activity)
    second = await sender.send(reference, activity)
    assert first != second
    assert activity.id is None and activity.conversation is None


@pytest.mark.asyncio
async def test_update_replaces_the_message(connector, session, sender, alice):
    reference = await installed_personal(connector, session, alice)
    activity_id = await sender.send(reference, message("draft"))

    await sender.update(reference, activity_id, message("final"))

    assert [a["operation"] for a in connector.state.activities] == ["send", "update"]
    updated = connector.state.activities[-1]
    assert updated["method"] == "PUT" and updated["activityId"] == activity_id
    assert connector.state.messages[activity_id]["activity"]["text"] == "final"


@pytest.mark.asyncio
async def test_update_of_an_unknown_message_raises(connector, session, sender, alice):
    reference = await installed_personal(connector, session, alice)
    with pytest.raises(ActivityNotFound) as caught:
        await sender.update(reference, "1234", message("nothing to replace"))
    assert caught.value.status == 404


@pytest.mark.asyncio
async def test_unknown_conversation_reaches_the_caller(connector, sender, turn_errors, sleeps):
    reference = {"conversation": {"id": "a:1never-seen", "conversationType": "personal"},
                 "serviceUrl": connector.url, "channelId": "msteams", "bot": {"id": "28:bot"}}

    with pytest.raises(ConversationNotFound) as caught:
        await sender.send(reference, message("hello?"))

    assert (caught.value.status, caught.value.code) == (404, "ConversationNotFound")
    # Not swallowed by the adapter: on_turn_error never ran, so no apology was attempted either.
    assert turn_errors == []
    assert connector.state.activities == [] and sleeps.calls == []
    assert [r["status"] for r in connector.state.requests] == [404]


@pytest.mark.asyncio
@pytest.mark.parametrize("status, error, code", [
    ("not_installed", BotNotInConversationRoster, "BotNotInConversationRoster"),
    ("blocked", ConversationBlockedByUser, "ConversationBlockedByUser"),
    ("disabled", BotDisabledByAdmin, "BotDisabledByAdmin"),
])
async def test_403_codes_map_to_their_exceptions(connector, session, sender, alice, sleeps, status, error, code):
    reference = await installed_personal(connector, session, alice)
    connector.state.set_status(reference["conversation"]["id"], status)

    with pytest.raises(error) as caught:
        await sender.send(reference, message("hi"))

    assert (caught.value.status, caught.value.code) == (403, code)
    assert sleeps.calls == []  # not transient: no retry
    assert len(connector.state.requests) == 1


@pytest.mark.asyncio
async def test_two_429s_then_success_is_delivered_once_after_retry_after(connector, session, sender, alice, sleeps):
    reference = await installed_personal(connector, session, alice)
    connector.state.fail_next(2, 429, "Throttled", retry_after=3)

    activity_id = await sender.send(reference, message("patience"))

    assert [a["activityId"] for a in connector.state.activities] == [activity_id]
    assert [r["status"] for r in connector.state.requests] == [429, 429, 201]
    assert sleeps.calls == [3.0, 3.0]  # Retry-After (3 s) beats the backoff (0.375 s, 0.75 s)


@pytest.mark.asyncio
async def test_backoff_grows_exponentially_without_retry_after(connector, session, adapter, alice, sleeps):
    reference = await installed_personal(connector, session, alice)
    connector.state.fail_next(3, 412, "PreconditionFailed")

    sender = TeamsSender(adapter, "", max_attempts=4, backoff_base=0.5, sleep=sleeps, jitter=lambda: 1.0)
    await sender.send(reference, message("eventually"))
    await sender.close()

    assert sleeps.calls == [0.5, 1.0, 2.0]
    assert len(connector.state.activities) == 1


@pytest.mark.asyncio
async def test_jitter_stays_between_half_and_full_backoff(connector, session, adapter, alice, sleeps):
    reference = await installed_personal(connector, session, alice)
    connector.state.fail_next(1, 504, "GatewayTimeout")

    sender = TeamsSender(adapter, "", backoff_base=2.0, sleep=sleeps, jitter=lambda: 0.0)
    await sender.send(reference, message("x"))
    await sender.close()
    assert sleeps.calls == [1.0]


@pytest.mark.asyncio
async def test_persistent_502_fails_after_max_attempts(connector, session, sender, alice, sleeps):
    reference = await installed_personal(connector, session, alice)
    connector.state.fail_next(100, 502, "BadGateway", empty_body=True)  # a gateway: no JSON body

    with pytest.raises(TeamsError) as caught:
        await sender.send(reference, message("lost"))

    assert caught.value.status == 502 and caught.value.transient
    assert len(connector.state.requests) == 4  # max_attempts, no hidden SDK retries
    assert sleeps.calls == [0.375, 0.75, 1.5]
    assert connector.state.activities == []


@pytest.mark.asyncio
async def test_updates_are_not_retried_behind_our_back(connector, session, sender, alice, sleeps):
    # msrest's requests pipeline would retry a PUT on 502 itself (urllib3, sleeping in a thread).
    reference = await installed_personal(connector, session, alice)
    activity_id = await sender.send(reference, message("v1"))
    connector.state.fail_next(2, 502, "BadGateway", operations={"update"})

    await sender.update(reference, activity_id, message("v2"))

    assert [r["status"] for r in connector.state.requests if r["method"] == "PUT"] == [502, 502, 200]
    assert sleeps.calls == [0.375, 0.75]


@pytest.mark.asyncio
async def test_retry_after_beyond_the_cap_goes_to_the_caller(connector, session, adapter, alice, sleeps):
    reference = await installed_personal(connector, session, alice)
    connector.state.fail_next(1, 429, "Throttled", retry_after=120)
    sender = TeamsSender(adapter, "", sleep=sleeps, max_delay=30)

    with pytest.raises(Throttled) as caught:
        await sender.send(reference, message("later"))
    await sender.close()

    assert caught.value.retry_after == 120  # the caller reschedules; nothing waits 2 minutes in-line
    assert sleeps.calls == []


@pytest.mark.asyncio
async def test_create_personal_conversation_then_send(connector, session, sender, alice):
    # The bot knows Alice from a team it is installed in, but she never opened a 1:1 chat.
    channel = TeamsChannel()
    await installed_channel(connector, session, alice, channel)

    reference = await sender.create_personal_conversation(connector.url, TENANT, alice.aad_object_id)

    assert reference["conversation"]["id"].startswith("a:")
    assert reference["conversation"]["conversationType"] == "personal"
    assert reference["conversation"]["tenantID"] == TENANT
    again = await sender.create_personal_conversation(connector.url, TENANT, alice.user_id)
    assert again["conversation"]["id"] == reference["conversation"]["id"]  # one 1:1 chat per user

    activity_id = await sender.send(reference, message("Hi Alice"))
    [sent] = connector.state.activities_for(reference["conversation"]["id"])
    assert (sent["activityId"], sent["activity"]["text"]) == (activity_id, "Hi Alice")


@pytest.mark.asyncio
async def test_create_personal_conversation_without_the_app_installed(connector, sender):
    with pytest.raises(BotNotInConversationRoster):
        await sender.create_personal_conversation(connector.url, TENANT, "00000000-0000-0000-0000-0000000000aa")


@pytest.mark.asyncio
async def test_start_channel_thread_then_send_into_it(connector, session, sender, alice):
    channel = TeamsChannel()
    channel_reference = await installed_channel(connector, session, alice, channel)

    thread, root_id = await sender.start_channel_thread(channel_reference, message("**Wang Wei** (WeChat): 你好"))

    assert thread["conversation"]["id"] == f"{channel.id};messageid={root_id}"
    assert thread["conversation"]["conversationType"] == "channel"
    assert thread["activityId"] == root_id
    assert thread["serviceUrl"] == connector.url

    reply_id = await sender.send(thread, message("second message of the guest"))

    root, reply = connector.state.activities_for(channel.id)
    assert (root["operation"], root["activityId"], root["activity"]["text"]) == (
        "create", root_id, "**Wang Wei** (WeChat): 你好")
    assert reply["conversationId"] == f"{channel.id};messageid={root_id}"
    assert (reply["activityId"], reply["activity"]["text"]) == (reply_id, "second message of the guest")


@pytest.mark.asyncio
async def test_start_channel_thread_from_a_reference_taken_inside_a_thread(connector, session, sender, alice):
    channel = TeamsChannel(channel_id=f"19:{'c' * 32}@thread.tacv2")
    post = teams_client.channel_message("hello bot", service_url=connector.url, user=alice, channel=channel,
                                        thread_root_id="1700000000000")
    await teams_client.register_conversation(session, post)
    reference = reference_from_activity(Activity.deserialize(post))

    thread, root_id = await sender.start_channel_thread(reference, message("new thread"))

    assert thread["conversation"]["id"] == f"{channel.id};messageid={root_id}"


@pytest.mark.asyncio
async def test_start_channel_thread_in_an_unknown_channel(connector, sender):
    reference = {"conversation": {"id": "19:gone@thread.tacv2", "conversationType": "channel"},
                 "serviceUrl": connector.url, "channelId": "msteams"}
    with pytest.raises(ConversationNotFound):
        await sender.start_channel_thread(reference, message("x"))


@pytest.mark.asyncio
async def test_references_round_trip_through_json(connector, session, sender, alice):
    install = teams_client.personal_installation(service_url=connector.url, user=alice)[-1]
    await teams_client.register_conversation(session, install)
    reference = reference_from_activity(Activity.deserialize(install))

    stored = json.loads(json.dumps(reference))
    assert stored == reference
    restored = reference_from_dict(stored)
    assert isinstance(restored, ConversationReference)
    assert reference_to_dict(restored) == reference
    assert restored.conversation.id == install["conversation"]["id"]
    assert restored.conversation.tenant_id == TENANT  # from channelData: the SDK drops Teams' tenantId
    assert restored.user.aad_object_id == alice.aad_object_id
    assert restored.bot.id == install["recipient"]["id"]
    assert restored.service_url == connector.url

    await sender.send(stored, message("after a restart"))
    assert connector.state.activities[-1]["conversationId"] == install["conversation"]["id"]


def test_reference_from_dict_reads_either_tenant_spelling_and_needs_an_address():
    wire = {"conversation": {"id": "a:1x", "tenantId": "t1"}, "serviceUrl": "https://smba.trafficmanager.net/emea/"}
    assert reference_from_dict(wire).conversation.tenant_id == "t1"
    with pytest.raises(ValueError):
        reference_from_dict({"conversation": {"id": "a:1x"}})
    with pytest.raises(ValueError):
        reference_from_dict({"serviceUrl": "https://example.invalid/"})


@pytest.mark.asyncio
async def test_an_explicit_reply_to_id_is_kept(connector, session, sender, alice):
    reference = await installed_personal(connector, session, alice)
    first = await sender.send(reference, message("question"))

    await sender.send(reference, Activity(type="message", text="answer", reply_to_id=first))

    assert [(a["operation"], a["replyToId"]) for a in connector.state.activities] == [
        ("send", None), ("reply", first)]
