"""Conversation references as plain JSON dicts, so storage never holds SDK objects.

The dict is the SDK's own msrest serialization (camelCase: `conversation.id`, `serviceUrl`,
`activityId` …), so it round-trips exactly. One quirk of botbuilder-schema 4.17.1: it names the
conversation's tenant `tenantID`, while Teams sends `tenantId` (which the SDK therefore drops when
it reads an activity). References made here always carry the tenant, as `conversation.tenantID`,
and dicts with either spelling are read.
"""
from __future__ import annotations

import json
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference


def reference_to_dict(reference: ConversationReference) -> dict[str, Any]:
    data = reference.serialize()
    # Fails here, not in storage later, if an extension property is not JSON (e.g. a datetime).
    return json.loads(json.dumps(data))


def reference_from_dict(data: dict[str, Any]) -> ConversationReference:
    conversation = data.get("conversation")
    if isinstance(conversation, dict) and "tenantID" not in conversation and conversation.get("tenantId"):
        data = {**data, "conversation": {**conversation, "tenantID": conversation["tenantId"]}}
    reference = ConversationReference.deserialize(data)
    if reference is None or reference.conversation is None or not reference.conversation.id \
            or not reference.service_url:
        raise ValueError("a conversation reference needs conversation.id and serviceUrl")
    return reference


def reference_from_activity(activity: Activity) -> dict[str, Any]:
    reference = TurnContext.get_conversation_reference(activity)
    if reference.conversation is not None and not reference.conversation.tenant_id:
        # Teams always sends the tenant in channelData; a 1:1 chat or a channel thread is created with it.
        channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        tenant = channel_data.get("tenant")
        if isinstance(tenant, dict) and tenant.get("id"):
            reference.conversation.tenant_id = tenant["id"]
    return reference_to_dict(reference)
