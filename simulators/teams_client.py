"""What Teams sends TO a bot, for the tests and the sandbox.

The builders return the JSON Teams posts to the bot's messaging endpoint (camelCase, as on the
wire), for personal chats and team channels: `channelData` with tenant / team / channel, `from`
with `aadObjectId`, `recipient` the bot (`28:<app id>`), `conversation` with `conversationType`
and `tenantId`, and `serviceUrl` pointing at the Bot Connector simulator so the bot's replies and
proactive sends land there.

`post_activity` first tells the simulator about the conversation (Teams only delivers activities
from conversations it knows, and answers the bot's later sends for them), then POSTs the activity
to the bot's `/api/messages` without an Authorization header: the tests run the bot with
authentication disabled (empty APP_ID).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import aiohttp

from core.clock import Clock, SystemClock

DEFAULT_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
DEFAULT_BOT_APP_ID = "00000000-0000-0000-0000-00000000b07a"


@dataclass(frozen=True)
class TeamsUser:
    name: str
    aad_object_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Teams' per-bot user id ("29:…"); derived from the AAD object id unless given.
    id: str = ""
    email: str = ""

    @property
    def user_id(self) -> str:
        return self.id or f"29:1{self.aad_object_id.replace('-', '')}"

    def account(self, tenant_id: str) -> dict[str, Any]:
        """As Teams lists the user: in `from`, and in the connector's members routes."""
        email = self.email or f"{self.name.lower().replace(' ', '.')}@contoso.example"
        return {"id": self.user_id, "name": self.name, "aadObjectId": self.aad_object_id, "email": email,
                "userPrincipalName": email, "tenantId": tenant_id, "userRole": "user"}


@dataclass(frozen=True)
class TeamsBot:
    app_id: str = DEFAULT_BOT_APP_ID
    name: str = "WeChat Bridge"

    @property
    def id(self) -> str:
        return f"28:{self.app_id}"

    def account(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class TeamsChannel:
    """A channel of a team. A team's General channel has the team's id."""
    team_id: str = field(default_factory=lambda: f"19:{uuid.uuid4().hex}@thread.tacv2")
    channel_id: str = ""
    team_name: str = "Advisors"
    channel_name: str = "General"
    aad_group_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def id(self) -> str:
        return self.channel_id or self.team_id


def personal_conversation_id(user: TeamsUser, bot: TeamsBot) -> str:
    """Teams has one 1:1 chat per bot and user; its id is opaque. This one is stable per pair."""
    return f"a:1{uuid.uuid5(uuid.NAMESPACE_URL, f'{bot.app_id}/{user.aad_object_id}').hex}"


def _timestamps(clock: Clock | None) -> dict[str, str]:
    now = datetime.fromtimestamp((clock or SystemClock()).now(), tz=timezone.utc)
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"timestamp": stamp, "localTimestamp": now.isoformat(timespec="milliseconds")}


def _message_id(clock: Clock | None) -> str:
    # Teams message ids are epoch milliseconds.
    return str(int((clock or SystemClock()).now() * 1000))


def _base(activity_type: str, *, service_url: str, user: TeamsUser, bot: TeamsBot, tenant_id: str,
          conversation: dict[str, Any], channel_data: dict[str, Any], clock: Clock | None,
          activity_id: str | None) -> dict[str, Any]:
    return {
        "type": activity_type,
        "id": activity_id or _message_id(clock),
        **_timestamps(clock),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user.user_id, "name": user.name, "aadObjectId": user.aad_object_id},
        "conversation": {**conversation, "tenantId": tenant_id},
        "recipient": bot.account(),
        "channelData": {**channel_data, "tenant": {"id": tenant_id}},
        "locale": "en-US",
        "entities": [{"type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web",
                      "timezone": "Europe/London"}],
    }


def _channel_data(channel: TeamsChannel) -> dict[str, Any]:
    return {
        "teamsChannelId": channel.id,
        "teamsTeamId": channel.team_id,
        "channel": {"id": channel.id, "name": channel.channel_name},
        "team": {"id": channel.team_id, "name": channel.team_name, "aadGroupId": channel.aad_group_id},
    }


def personal_message(text: str | None, *, service_url: str, user: TeamsUser, bot: TeamsBot = TeamsBot(),
                     tenant_id: str = DEFAULT_TENANT, value: Any = None, activity_id: str | None = None,
                     clock: Clock | None = None) -> dict[str, Any]:
    """A message in the user's 1:1 chat with the bot (`value` set and no text: an Action.Submit)."""
    activity = _base("message", service_url=service_url, user=user, bot=bot, tenant_id=tenant_id,
                     conversation={"id": personal_conversation_id(user, bot), "conversationType": "personal"},
                     channel_data={}, clock=clock, activity_id=activity_id)
    activity["textFormat"] = "plain"
    if text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    return activity


def messaging_extension_query(query: str | None, *, service_url: str, user: TeamsUser, bot: TeamsBot = TeamsBot(),
                              command_id: str = "findContact", tenant_id: str = DEFAULT_TENANT,
                              channel: TeamsChannel | None = None, thread_root_id: str | None = None,
                              clock: Clock | None = None) -> dict[str, Any]:
    """The search of a message extension (`composeExtension/query` invoke), from the compose box of
    the user's 1:1 chat with the bot or, with `channel`, of a channel (a thread's, with its root);
    `query` None: the initial run (initialRun) as the extension opens. Teams answers the user with
    the bot's HTTP response body."""
    if channel is None:
        conversation = {"id": personal_conversation_id(user, bot), "conversationType": "personal"}
        channel_data: dict[str, Any] = {}
    else:
        conversation = {"id": f"{channel.id};messageid={thread_root_id}" if thread_root_id else channel.id,
                        "conversationType": "channel", "isGroup": True}
        channel_data = _channel_data(channel)
    activity = _base("invoke", service_url=service_url, user=user, bot=bot, tenant_id=tenant_id,
                     conversation=conversation, channel_data={**channel_data, "source": {"name": "compose"}},
                     clock=clock, activity_id=None)
    activity["name"] = "composeExtension/query"
    parameter = {"name": "initialRun", "value": "true"} if query is None else {"name": "query", "value": query}
    activity["value"] = {"commandId": command_id, "parameters": [parameter], "queryOptions": {"skip": 0, "count": 25}}
    return activity


def channel_message(text: str | None, *, service_url: str, user: TeamsUser, channel: TeamsChannel,
                    bot: TeamsBot = TeamsBot(), tenant_id: str = DEFAULT_TENANT, thread_root_id: str | None = None,
                    mention_bot: bool = True, activity_id: str | None = None, value: Any = None,
                    clock: Clock | None = None) -> dict[str, Any]:
    """A channel post (a new thread) or, with `thread_root_id`, a reply in that thread; `value` set
    and no text: an Action.Submit pressed on a card in that thread.

    The conversation id of a channel message is `<channel id>;messageid=<thread root id>`; a new post
    is its own root. Bots receive channel messages only when @mentioned (without RSC), so the
    mention is there by default, with its `<at>` text as Teams writes it.
    """
    message_id = activity_id or _message_id(clock)
    root = thread_root_id or message_id
    activity = _base("message", service_url=service_url, user=user, bot=bot, tenant_id=tenant_id,
                     conversation={"id": f"{channel.id};messageid={root}", "conversationType": "channel",
                                   "isGroup": True},
                     channel_data=_channel_data(channel), clock=clock, activity_id=message_id)
    activity["textFormat"] = "plain"
    if thread_root_id:
        activity["replyToId"] = thread_root_id
    if value is not None:
        activity["value"] = value
    if text is None:
        activity.pop("text", None)
    elif mention_bot:
        mention_text = f"<at>{bot.name}</at>"
        activity["text"] = f"{mention_text} {text}"
        activity["entities"].insert(0, {"type": "mention", "text": mention_text, "mentioned": bot.account()})
    else:
        activity["text"] = text
    return activity


def personal_installation(*, service_url: str, user: TeamsUser, bot: TeamsBot = TeamsBot(),
                          tenant_id: str = DEFAULT_TENANT, action: str = "add",
                          clock: Clock | None = None) -> list[dict[str, Any]]:
    """What Teams sends when a user adds (or removes) the app for themselves: a conversationUpdate
    with the bot in membersAdded (only on add), then an installationUpdate."""
    conversation = {"id": personal_conversation_id(user, bot), "conversationType": "personal"}
    common = dict(service_url=service_url, user=user, bot=bot, tenant_id=tenant_id, conversation=conversation,
                  channel_data={}, clock=clock, activity_id=None)
    install = _base("installationUpdate", **common)
    install["id"] = f"f:{uuid.uuid4()}"
    install["action"] = action
    activities = [install]
    if action == "add":
        update = _base("conversationUpdate", **common)
        update["id"] = f"f:{uuid.uuid4()}"
        update["membersAdded"] = [bot.account()]
        activities.insert(0, update)
    return activities


def team_installation(*, service_url: str, user: TeamsUser, channel: TeamsChannel, bot: TeamsBot = TeamsBot(),
                      tenant_id: str = DEFAULT_TENANT, action: str = "add",
                      clock: Clock | None = None) -> list[dict[str, Any]]:
    """What Teams sends when `user` adds (or removes) the app to a team: in the team's General
    channel, a conversationUpdate (channelData.eventType teamMemberAdded) then an installationUpdate."""
    general = TeamsChannel(team_id=channel.team_id, team_name=channel.team_name, aad_group_id=channel.aad_group_id)
    conversation = {"id": general.id, "conversationType": "channel", "isGroup": True}
    common = dict(service_url=service_url, user=user, bot=bot, tenant_id=tenant_id, conversation=conversation,
                  channel_data=_channel_data(general), clock=clock, activity_id=None)
    install = _base("installationUpdate", **common)
    install["id"] = f"f:{uuid.uuid4()}"
    install["action"] = action
    activities = [install]
    if action == "add":
        update = _base("conversationUpdate", **common)
        update["id"] = f"f:{uuid.uuid4()}"
        update["membersAdded"] = [bot.account()]
        update["channelData"]["eventType"] = "teamMemberAdded"
        activities.insert(0, update)
    return activities


def registration(activity: dict[str, Any]) -> dict[str, Any]:
    """The simulator's `POST /sim/conversations` body for the conversation an activity comes from."""
    conversation = activity["conversation"]
    channel_data = activity.get("channelData") or {}
    tenant_id = (conversation.get("tenantId") or conversation.get("tenantID")
                 or (channel_data.get("tenant") or {}).get("id") or "")
    sender = dict(activity.get("from") or {})
    if sender:
        sender.setdefault("tenantId", tenant_id)
    body = {
        "id": conversation["id"].split(";", 1)[0],
        "conversationType": conversation.get("conversationType") or "personal",
        "tenantId": tenant_id,
        "members": [sender] if sender.get("id") else [],
        "teamId": (channel_data.get("team") or {}).get("id"),
    }
    if activity.get("type") == "installationUpdate":
        body["status"] = "installed" if activity.get("action", "add").startswith("add") else "not_installed"
    return body


async def register_conversation(session: aiohttp.ClientSession, activity: dict[str, Any]) -> None:
    """Tells the simulator at the activity's serviceUrl about its conversation (and the sender)."""
    url = activity["serviceUrl"].rstrip("/") + "/sim/conversations"
    async with session.post(url, json=registration(activity)) as response:
        if response.status != 200:
            raise RuntimeError(f"the connector simulator refused the registration: {response.status} "
                               f"{await response.text()}")


async def post_activity(session: aiohttp.ClientSession, bot_url: str, activity: dict[str, Any] | Any, *,
                        register: bool = True) -> aiohttp.ClientResponse:
    """POSTs `activity` to the bot as Teams would (minus the JWT). The body is read before
    returning, so `await response.text()` / `.json()` work after the connection is released."""
    if not isinstance(activity, dict):
        activity = activity.serialize()  # a botbuilder Activity (msrest model)
    if register:
        await register_conversation(session, activity)
    url = bot_url if bot_url.rstrip("/").endswith("/api/messages") else bot_url.rstrip("/") + "/api/messages"
    async with session.post(url, json=activity) as response:
        await response.read()
    return response
