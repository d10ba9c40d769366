"""`to_wire` gives the Bot Connector exactly the JSON msrest's serializer gives (the SDK's own
path), for every kind of activity the bridge sends and the conversation parameters it creates with."""
from __future__ import annotations

import datetime

import botbuilder.schema as schema
import botbuilder.schema.teams as teams_schema
import pytest
from botbuilder.core import CardFactory
from botbuilder.schema import (
    Activity, ChannelAccount, ConversationAccount, ConversationParameters, Mention, SuggestedActions, CardAction,
)
from msrest import Serializer

from adapters.teams.wire import to_wire
from tests.cards.samples import all_samples

MODELS = {k: v for module in (schema, teams_schema) for k, v in vars(module).items() if isinstance(v, type)}
SDK = Serializer(MODELS)


def addressed(**fields) -> Activity:
    return Activity(
        type="message", channel_id="msteams", service_url="https://smba.example/amer/",
        conversation=ConversationAccount(id="a:1xYz;messageid=17", tenant_id="t-1", is_group=True,
                                         conversation_type="channel"),
        from_property=ChannelAccount(id="28:bot", name="WeChat"),
        recipient=ChannelAccount(id="29:u", aad_object_id="a"),
        channel_data={"wechatBridge": {"origin": "bridge", "notice": None}}, **fields)


ACTIVITIES = [
    addressed(text="**Li Lei** · 你好", text_format="markdown", input_hint="acceptingInput"),
    addressed(text="<at>Alice</at> joined", entities=[Mention(mentioned=ChannelAccount(id="29:a", name="Alice"),
                                                              text="<at>Alice</at>", type="mention")]),
    addressed(reply_to_id="17", summary="s", suggested_actions=SuggestedActions(
        to=["29:u"], actions=[CardAction(type="imBack", title="Yes", value="yes")])),
    addressed(timestamp=datetime.datetime(2026, 11, 30, 9, 1, 2, 345000, tzinfo=datetime.timezone.utc)),
    *(addressed(attachments=[CardFactory.adaptive_card(make())]) for _, make in all_samples()),
]


@pytest.mark.parametrize("activity", ACTIVITIES)
def test_activities_serialise_as_msrest_does(activity):
    assert to_wire(activity) == SDK.body(activity, "Activity")


def test_conversation_parameters_serialise_as_msrest_does():
    parameters = ConversationParameters(is_group=True, bot=ChannelAccount(id="28:bot"), tenant_id="t",
                                        members=[ChannelAccount(id="29:u")],
                                        channel_data={"channel": {"id": "19:c@thread.tacv2"}},
                                        activity=addressed(text="first"))
    assert to_wire(parameters) == SDK.body(parameters, "ConversationParameters")


def test_an_activity_is_addressed_as_the_sdk_addresses_it_from_the_stored_reference():
    from botbuilder.core import TurnContext

    from adapters.teams.references import reference_from_dict
    from adapters.teams.sender import _addressed

    stored = {"bot": {"id": "28:bot", "name": "WeChat", "role": "bot"}, "user": {"id": "29:u", "aadObjectId": "a"},
              "conversation": {"id": "a:1", "tenantId": "t-1", "conversationType": "personal", "isGroup": False},
              "channelId": "msteams", "serviceUrl": "https://smba.example/amer/", "activityId": "17", "locale": "en-US"}
    activity = Activity(type="message", text="hi", locale="zh-CN", channel_data={"x": 1})

    service_url, conversation_id, body = _addressed(stored, activity)

    sdk = TurnContext.apply_conversation_reference(Activity(type="message", text="hi", channel_data={"x": 1}),
                                                   reference_from_dict(stored))
    sdk.reply_to_id = sdk.locale = None  # a proactive send: no reply, and the continuation event has no locale
    assert body == SDK.body(sdk, "Activity")
    assert body["conversation"]["tenantID"] == "t-1"  # Teams' spelling read as the schema's
    assert (service_url, conversation_id) == ("https://smba.example/amer/", "a:1")
    assert activity.locale == "zh-CN" and activity.conversation is None  # the caller's activity is untouched
