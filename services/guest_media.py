"""A guest's media, kept as soon as its push is handled, whatever stage then takes it (WeChat deletes it
after 3 days): downloaded into the media store once per job (what was kept is written into the job),
and shown in Teams through signed links. The store is content-addressed: a medium sent twice is stored once.

`KEPT` is the one table: for each message type, which of the push's fields name media, how large each
may be and how it is stored; then what follows keeping (an image: a copy fitted to Teams' limits), and
how Teams shows it.
"""
from __future__ import annotations

import asyncio
import contextlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, AsyncGenerator, Awaitable, Callable, Mapping

from adapters.wechat.errors import MediaTooLarge, WeChatApiError
from core.image_fit import TEAMS_INLINE, FitImage, UnfitImage, fit
from core.inbound import WeChatInbound
from core.media_record import FOR_TEAMS, media_item
from core.media_links import MediaLinks
from core.media_store import MediaStore, StoredMedia, TooLarge
from core.official_account import OfficialAccount
from core.teams_chats import InlineImage
from services.jobs import effect

MB = 1024 * 1024
IMAGE_MAX_BYTES = 10 * MB
VOICE_MAX_BYTES = 2 * MB  # WeChat's own limit for a voice message (60 s of AMR is about 100 KB)
VIDEO_MAX_BYTES = 10 * MB  # WeChat's own limit for a video
# Teams clients fetch an inline image each time the message is shown, not once: a month of scrolling back.
LINK_TTL_SECONDS = 30 * 24 * 3600
TRANSIENT_ATTEMPTS = 5  # WeChat busy this many runs of the job: posted without the medium, never left pending
NOT_KEPT = "not_kept"  # WeChat no longer had it, or it was too large
NOT_SHOWN = "not_shown"  # kept, but not an image Teams can be given (unreadable, or a decompression bomb)
NO_ADDRESS = "no_address"  # kept, but no link can be made for Teams to fetch it: no public address


@dataclass(frozen=True)
class MediaField:
    """A field of a push that names a medium (its media id), and how that medium is kept."""

    name: str  # MediaId, ThumbMediaId
    max_bytes: int
    content_type: str | None = None  # stored as this; None: as WeChat says


@dataclass(frozen=True)
class Kept:
    """What was kept of a push's media: the originals, by field (a field missing could not be kept),
    and what Teams shows instead of an original (a fitted copy; None: Teams cannot show it)."""

    msg_type: str
    originals: Mapping[str, StoredMedia]
    shown: Mapping[str, StoredMedia | None] = field(default_factory=dict)

    def for_teams(self, name: str) -> StoredMedia | None:
        return self.shown[name] if name in self.shown else self.originals.get(name)

    def to_json(self) -> dict[str, Any]:
        return {"msg_type": self.msg_type, "originals": {k: asdict(v) for k, v in self.originals.items()},
                "shown": {k: v and asdict(v) for k, v in self.shown.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Kept:
        return cls(data["msg_type"], {k: StoredMedia(**v) for k, v in data["originals"].items()},
                   {k: v and StoredMedia(**v) for k, v in data["shown"].items()})

    def _type(self, name: str) -> str:
        """What core/media_record.py calls the medium of field `name`."""
        return "thumb" if name == "ThumbMediaId" else "video" if self.msg_type == "shortvideo" else self.msg_type

    def to_record(self) -> dict[str, Any]:
        """The record entry's `media` (core/media_record.py): the originals and the copies made for Teams (the
        hash chain covers their SHA-256; retention removes a medium with the last entry that names it)."""
        items = [media_item(stored, field=name, type=self._type(name)) for name, stored in self.originals.items()]
        items += [media_item(stored, field=name, type=self._type(name), role=FOR_TEAMS)
                  for name, stored in self.shown.items() if stored is not None]
        return {"media": items} if items else {}


@dataclass(frozen=True)
class MediaShown:
    """How the guest's thread in Teams shows a media message: the line's variant (NOT_KEPT, NOT_SHOWN, or
    "": as usual), the images under it, and its further placeholders (a link)."""

    variant: str = ""
    images: tuple[InlineImage, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)


AS_USUAL = MediaShown()  # the line alone (a message without media, or one Teams shows no more of)

Then = Callable[["GuestMedia", Kept], Awaitable[Kept]]  # what follows keeping, for one message type
Show = Callable[["GuestMedia", Kept], MediaShown]


@dataclass(frozen=True)
class KeptType:
    fields: tuple[MediaField, ...]
    then: Then | None = None
    show: Show | None = None  # None: the line alone, as for a message without media


class GuestMedia:
    def __init__(self, *, store: MediaStore, links: MediaLinks | None, wechat: Mapping[str, OfficialAccount],
                 fit_image: FitImage | None = None) -> None:
        self.store = store
        self.links = links  # None: no public address (PUBLIC_BASE_URL): kept, not shown
        self.wechat = wechat  # per Official Account
        self.fit_image = fit_image  # None: images are shown as WeChat gave them

    async def keep(self, account: str, msg: WeChatInbound, attempts: int) -> Kept | None:
        """The media of a push to `account`, stored, then what its type does next; None for a push without
        media. A medium that cannot be kept (expired at WeChat, too large, refused for good, or WeChat still
        busy after `attempts` runs of the job) is left out; WeChat busy before that: raised (run again)."""
        kind = KEPT.get(msg.msg_type)
        if kind is None:
            return None

        async def kept() -> dict[str, Any]:
            originals = {}
            for medium in kind.fields:
                media_id = msg.fields.get(medium.name)
                stored = await self._download(account, media_id, medium, attempts) if media_id else None
                if stored is not None:
                    originals[medium.name] = stored
            done = Kept(msg.msg_type, originals)
            return (await kind.then(self, done) if kind.then else done).to_json()

        # Once per job: a run again (the guest's connection under way, Teams busy) finds it in the job.
        return Kept.from_json(await effect("keep_media", kept))

    async def _download(self, account: str, media_id: str, medium: MediaField, attempts: int) -> StoredMedia | None:
        try:
            async with self.wechat[account].media(media_id, max_bytes=medium.max_bytes) as download:
                return await self.store.put(download.chunks, content_type=medium.content_type or download.content_type,
                                            max_bytes=medium.max_bytes)
        except (MediaTooLarge, TooLarge):
            return None
        except WeChatApiError as exc:
            if exc.transient and attempts < TRANSIENT_ATTEMPTS:
                raise  # the job runs again later
            return None

    def inline(self, stored: StoredMedia) -> InlineImage:
        return InlineImage(stored.content_type, self.link(stored))

    def link(self, stored: StoredMedia) -> str:
        """Where Teams fetches it (signed, LINK_TTL_SECONDS); only where there is a public address."""
        if self.links is None:
            raise LookupError("no public address: no link to media (shown_in_teams says NO_ADDRESS first)")
        return self.links.url(stored.key, LINK_TTL_SECONDS)

    async def fitted(self, kept: Kept, name: str) -> Kept:
        """`kept` with a copy of its image `name` fitted to Teams' inline limits, where the original is not."""
        original = kept.originals.get(name)
        if original is None or self.fit_image is None:
            return kept
        data = await self._read(original)
        try:
            fitted = await asyncio.to_thread(fit, self.fit_image, data, TEAMS_INLINE)  # CPU: off the event loop
        except UnfitImage:
            return replace(kept, shown={**kept.shown, name: None})
        if fitted is None:
            return kept
        stored = await self.store.put(_one(fitted[0]), content_type=fitted[1], max_bytes=TEAMS_INLINE.max_bytes)
        return replace(kept, shown={**kept.shown, name: stored})

    async def _read(self, stored: StoredMedia) -> bytes:
        media = await self.store.get(stored.key)
        if media is None:
            raise LookupError(f"medium {stored.key} not in the store just after it was put")
        async with contextlib.aclosing(media.chunks) as chunks:
            return b"".join([chunk async for chunk in chunks])


def shown_in_teams(media: GuestMedia | None, msg_type: str, kept: Kept | None) -> MediaShown:
    """How Teams shows a message of `msg_type` whose media is `kept` (None: nothing was, or nowhere to)."""
    kind = KEPT.get(msg_type)
    if kind is None or kind.show is None:
        return AS_USUAL
    if media is None or kept is None or "MediaId" not in kept.originals:
        return MediaShown(NOT_KEPT)
    return kind.show(media, kept) if media.links is not None else MediaShown(NO_ADDRESS)


async def _one(data: bytes) -> AsyncGenerator[bytes, None]:
    yield data


# -- what each type does after keeping, and how Teams shows it -------------------------------------

async def _image_fitted(media: GuestMedia, kept: Kept) -> Kept:
    return await media.fitted(kept, "MediaId")


async def _thumbnail_fitted(media: GuestMedia, kept: Kept) -> Kept:
    return await media.fitted(kept, "ThumbMediaId")


# Each is given a push whose medium (MediaId) was kept, and a public address to link it from.

def _show_image(media: GuestMedia, kept: Kept) -> MediaShown:
    shown = kept.for_teams("MediaId")
    return MediaShown(images=(media.inline(shown),)) if shown else MediaShown(NOT_SHOWN)


def _show_voice(media: GuestMedia, kept: Kept) -> MediaShown:
    """The line alone: services/guest_voice.py makes what plays it."""
    return AS_USUAL


def _show_video(media: GuestMedia, kept: Kept) -> MediaShown:
    """The thumbnail inline, and a link that plays the video (served as video/mp4, with ranges to seek)."""
    thumbnail = kept.for_teams("ThumbMediaId")
    return MediaShown(images=(media.inline(thumbnail),) if thumbnail else (),
                      params={"link": media.link(kept.originals["MediaId"])})


VIDEO_FIELDS = (MediaField("MediaId", VIDEO_MAX_BYTES, "video/mp4"), MediaField("ThumbMediaId", IMAGE_MAX_BYTES))

KEPT: dict[str, KeptType] = {
    "image": KeptType((MediaField("MediaId", IMAGE_MAX_BYTES),), then=_image_fitted, show=_show_image),
    # The original only, as WeChat sent it (AMR or Speex): the guest's thread converts and transcribes it
    # (services/guest_voice.py), where the employees' language and the speech service are known.
    "voice": KeptType((MediaField("MediaId", VOICE_MAX_BYTES),), show=_show_voice),
    "video": KeptType(VIDEO_FIELDS, then=_thumbnail_fitted, show=_show_video),
    "shortvideo": KeptType(VIDEO_FIELDS, then=_thumbnail_fitted, show=_show_video),
}
