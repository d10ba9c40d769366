"""Where the bot may post: the conversation references of the employees' chats with it and of the
channels of its teams, kept when the app is installed or used (services/threads.py keeps them)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from adapters.teams.references import reference_from_activity
from bots.activity import base_channel_id, reference_key
from core.clock import Clock
from services.jobs import JobQueue
from services.threads import ThreadStore, conversation_key

log = logging.getLogger(__name__)


class Installation:
    def __init__(self, *, threads: ThreadStore, queue: JobQueue, clock: Clock) -> None:
        self.threads = threads
        self.queue = queue
        self.clock = clock

    async def remember(self, turn_context: TurnContext) -> None:
        """Keep where this chat or channel is, so WeChat messages can be posted to it later."""
        activity = turn_context.activity
        key = reference_key(activity)
        if key is None:
            return
        reference = reference_from_activity(activity)
        if activity.conversation.conversation_type == "channel":
            reference["conversation"]["id"] = base_channel_id(activity.conversation.id)
        await self._store(key, reference)
        if activity.type in ("installationUpdate", "conversationUpdate") \
                and activity.conversation.conversation_type == "channel":
            await self._remember_team_channels(turn_context, reference)

    async def _store(self, key: str, reference: dict[str, Any]) -> None:
        """A reference new or changed wakes the jobs that waited for it."""
        if await self.threads.remember(key, reference, self.clock.now()):
            woken = await self.queue.wake(key)
            log.info("stored the conversation reference %s (%d waiting jobs woken)", key, woken)

    async def _remember_team_channels(self, turn_context: TurnContext, general: dict[str, Any]) -> None:
        """Installed in a team: learn every channel, so any of them can be a WeChat inbox at once."""
        team_id = TeamsInfo.get_team_id(turn_context)
        if not team_id:
            return
        try:
            client = await TeamsInfo.get_teams_connector_client(turn_context)
            # The SDK's Teams operations are synchronous (requests): keep them off the event loop.
            channels = await asyncio.to_thread(client.teams.get_teams_channels, team_id)
        except Exception as exc:  # noqa: BLE001 - the General channel is stored already; others are learnt when used
            log.warning("could not list the channels of a team: %s", exc)
            return
        for channel in channels.conversations or []:
            reference = {**general, "conversation": {**general["conversation"], "id": channel.id}}
            await self._store(conversation_key("channel", channel.id), reference)
