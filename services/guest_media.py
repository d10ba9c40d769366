"""A guest's image, kept as soon as it arrives (WeChat keeps it 3 days): downloaded into the media
store, and shown in Teams through a signed link. Repeatable: the store is content-addressed, so a
job run again stores nothing twice."""
from __future__ import annotations

from typing import Mapping

from adapters.wechat.errors import MediaTooLarge, WeChatApiError
from core.media_links import MediaLinks
from core.media_store import MediaStore, StoredMedia, TooLarge
from core.official_account import OfficialAccount
from core.teams_chats import InlineImage

IMAGE_MAX_BYTES = 10 * 1024 * 1024
# Teams clients fetch an inline image each time the message is shown, not once: a month of scrolling back.
LINK_TTL_SECONDS = 30 * 24 * 3600
TRANSIENT_ATTEMPTS = 5  # WeChat busy this many runs of the job: posted without the image, never left pending


class GuestMedia:
    def __init__(self, *, store: MediaStore, links: MediaLinks, wechat: Mapping[str, OfficialAccount]) -> None:
        self.store = store
        self.links = links
        self.wechat = wechat  # per Official Account

    async def keep_image(self, account: str, media_id: str, attempts: int) -> StoredMedia | None:
        return await self.keep(account, media_id, attempts, IMAGE_MAX_BYTES)

    async def keep(self, account: str, media_id: str, attempts: int, max_bytes: int) -> StoredMedia | None:
        """The medium `media_id` a guest sent to `account`, stored; None if it cannot be kept (expired at
        WeChat, over `max_bytes`, refused for good, or WeChat still busy after `attempts` runs of the job)."""
        try:
            async with self.wechat[account].media(media_id, max_bytes=max_bytes) as download:
                return await self.store.put(download.chunks, content_type=download.content_type, max_bytes=max_bytes)
        except (MediaTooLarge, TooLarge):
            return None
        except WeChatApiError as exc:
            if exc.transient and attempts < TRANSIENT_ATTEMPTS:
                raise  # the job runs again later
            return None

    def inline(self, stored: StoredMedia) -> InlineImage:
        return InlineImage(stored.content_type, self.links.url(stored.key, LINK_TTL_SECONDS))
