"""The services' Teams port (core/teams_chats.py) on the Bot Connector: a TeamsPost becomes a Bot
Framework activity here, and only here (and in bots/, for replies within a turn). Attachments are
downloaded by adapters/teams/attachments.py, with the sender's token and session."""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes, Attachment

from adapters.teams.attachments import AttachmentDownloads
from adapters.teams.sender import TeamsSender
from core.media_store import MediaDownload
from core.teams_chats import Reference, TeamsAttachment, TeamsPost


def activity_of(post: TeamsPost) -> Activity:
    """The activity that carries a post: its card (with the card's one-line summary, which a
    notification shows) under its Markdown text if it has one, else the text; its images inline (an
    attachment with an image type and a `contentUrl` Teams clients fetch)."""
    channel_data = dict(post.channel_data) or None
    images = [Attachment(content_type=image.content_type, content_url=image.url) for image in post.images]
    if post.card is not None:
        card = dict(post.card)
        return Activity(type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(card), *images],
                        summary=card.get("fallbackText"), channel_data=channel_data,
                        **({"text": post.text, "text_format": "markdown"} if post.text else {}))
    return Activity(type=ActivityTypes.message, text=post.text, text_format="markdown", channel_data=channel_data,
                    attachments=images or None)


class BotConnectorChats:
    def __init__(self, sender: TeamsSender, downloads: AttachmentDownloads | None = None) -> None:
        self.sender = sender
        self.downloads = downloads or AttachmentDownloads(sender)

    async def post(self, reference: Reference, post: TeamsPost) -> str:
        return await self.sender.send(dict(reference), activity_of(post))

    async def update(self, reference: Reference, message_id: str, post: TeamsPost) -> None:
        await self.sender.update(dict(reference), message_id, activity_of(post))

    async def start_thread(self, channel: Reference, post: TeamsPost) -> tuple[dict[str, Any], str]:
        reference, message_id = await self.sender.start_channel_thread(dict(channel), activity_of(post))
        return reference, message_id

    def download(self, attachment: TeamsAttachment, *, max_bytes: int) -> AbstractAsyncContextManager[MediaDownload]:
        return self.downloads.download(attachment, max_bytes=max_bytes)
