"""The media guests send, as WeChat's API keeps them for `GET /cgi-bin/media/get` (part of wechat_api).

WeChat keeps a guest's medium 3 days after it was sent (by the simulator's clock); after that, or for
an id it never gave, the answer is 40007 with HTTP 200, like every API error. Image, voice and thumb
media come back as their bytes with their Content-Type and an attachment filename; a video as JSON
`{"video_url": …}`, a URL this simulator serves without a token (WeChat's is on its CDN). Bytes are
written in chunks, each drained, so a large medium does not pile up in the server's buffers.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from aiohttp import web

from core.clock import Clock

KEEP_SECONDS = 3 * 86400
KINDS = {"image": "jpg", "voice": "amr", "thumb": "jpg", "video": "mp4"}  # kind -> the filename's extension
VIDEO_PATH = "/sim/video/"
VIDEO_ROUTE = VIDEO_PATH + "{media_id}"
WRITE_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class GuestMedium:
    media_id: str
    kind: str
    content: bytes
    content_type: str
    sent_at: float

    @property
    def filename(self) -> str:
        return f"{self.media_id}.{KINDS[self.kind]}"

    async def send(self, request: web.Request) -> web.StreamResponse:
        """The bytes as media/get answers them: `Content-disposition: attachment`, in drained chunks."""
        response = web.StreamResponse(headers={
            "Content-Type": self.content_type,
            "Content-disposition": f'attachment; filename="{self.filename}"',
        })
        response.content_length = len(self.content)
        await response.prepare(request)
        view = memoryview(self.content)
        for start in range(0, len(view), WRITE_CHUNK_BYTES):
            await response.write(view[start:start + WRITE_CHUNK_BYTES])
        await response.write_eof()
        return response


@dataclass(frozen=True)
class VideoLink:
    """media/get's answer for a video: the URL is made from the request's own address."""

    medium: GuestMedium

    async def send(self, request: web.Request) -> web.StreamResponse:
        url = request.url.origin().with_path(VIDEO_PATH + self.medium.media_id)
        return web.json_response({"video_url": str(url)})


@dataclass
class GuestMedia:
    clock: Clock
    media: dict[str, GuestMedium] = field(default_factory=dict)

    def put(self, content: bytes, content_type: str, kind: str) -> str:
        """A guest sent this medium now: its media id."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}")
        if not content:
            raise ValueError("the medium is empty")
        media_id = secrets.token_urlsafe(48)
        self.media[media_id] = GuestMedium(media_id, kind, content, content_type, self.clock.now())
        return media_id

    def find(self, media_id: str) -> GuestMedium | None:
        """The medium while WeChat keeps it."""
        medium = self.media.get(media_id)
        if medium is None or self.clock.now() >= medium.sent_at + KEEP_SECONDS:
            return None
        return medium

    def answer(self, media_id: str) -> GuestMedium | VideoLink | None:
        """What media/get answers: the bytes, a video's link, or None for 40007."""
        medium = self.find(media_id)
        return VideoLink(medium) if medium is not None and medium.kind == "video" else medium

    def clear(self) -> None:
        self.media.clear()


async def serve_video(request: web.Request, media: GuestMedia) -> web.StreamResponse:
    medium = media.find(request.match_info["media_id"])
    if medium is None or medium.kind != "video":
        raise web.HTTPNotFound()
    return await medium.send(request)


async def put_from_request(request: web.Request, media: GuestMedia) -> web.Response:
    """`POST /sim/media?kind=image` with the bytes as the body and their Content-Type: {"media_id"}."""
    try:
        media_id = media.put(await request.read(), request.content_type, request.query.get("kind", ""))
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response({"media_id": media_id})
