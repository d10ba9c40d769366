"""WeChat's temporary media (part of wechat_api): what guests send, for `GET /cgi-bin/media/get`, and what
the account uploads, `POST /cgi-bin/media/upload`, for its customer-service image, voice and video messages.

WeChat keeps a medium 3 days after it was sent or uploaded (by the simulator's clock); after that, or for
an id it never gave, the answer is 40007 with HTTP 200, like every API error. Image, voice and thumb
media come back as their bytes with their Content-Type and an attachment filename; a video as JSON
`{"video_url": …}`, a URL this simulator serves without a token (WeChat's is on its CDN). Bytes are
written in chunks, each drained, so a large medium does not pile up in the server's buffers.

An upload is checked as WeChat checks it: the type (40004), the file's real format read from its bytes,
not its name (40005), its size per type (40009–40012) and a voice note's length (60 s, counted from its
AMR or MP3 frames: 40006). `GET /sim/media/{media_id}` gives the bytes of any medium, expired or not, so
a test or the sandbox's phone sees what the guest got.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.clock import Clock
from simulators.media_formats import sniff, voice_seconds

KEEP_SECONDS = 3 * 86400
KINDS = {"image": "jpg", "voice": "amr", "thumb": "jpg", "video": "mp4"}  # kind -> the filename's extension
VIDEO_PATH = "/sim/video/"
VIDEO_ROUTE = VIDEO_PATH + "{media_id}"
WRITE_CHUNK_BYTES = 64 * 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class UploadRule:
    formats: frozenset[str]  # as media_formats.sniff names them
    max_bytes: int
    too_large: int  # the errcode past max_bytes


# WeChat's limits for temporary media (the platform's documentation; image: the stricter of its two figures)
UPLOADS = {
    "image": UploadRule(frozenset({"png", "jpeg", "gif"}), 2 * MB, 40009),
    "voice": UploadRule(frozenset({"amr", "mp3"}), 2 * MB, 40010),
    "video": UploadRule(frozenset({"mp4"}), 10 * MB, 40011),
    "thumb": UploadRule(frozenset({"jpeg"}), 64 * 1024, 40012),
}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "amr": "audio/amr",
                 "mp3": "audio/mpeg", "mp4": "video/mp4"}
VOICE_MAX_SECONDS = 60
MEDIA_ERRMSG = {
    40004: "invalid media type",
    40005: "invalid file type",
    40006: "invalid meida size",  # sic: WeChat's own spelling
    40009: "invalid image size",
    40010: "invalid voice size",
    40011: "invalid video size",
    40012: "invalid thumb size",
    41005: "media data missing",
}


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

    def upload(self, kind: str, content: bytes) -> dict[str, Any]:
        """What media/upload answers: `{type, media_id, created_at}`, or WeChat's errcode and errmsg."""
        refused = _upload_refusal(kind, content)
        if refused:
            return {"errcode": refused, "errmsg": MEDIA_ERRMSG[refused]}
        media_id = self.put(content, CONTENT_TYPES[str(sniff(content))], kind)
        return {"type": kind, "media_id": media_id, "created_at": int(self.media[media_id].sent_at)}

    def send_refusal(self, msgtype: object, body: dict[str, object]) -> int:
        """40007 if a custom-send image, voice or video names no medium WeChat keeps, or one of another type
        (a video's thumbnail: a thumb or an image); else 0."""
        if msgtype not in ("image", "voice", "video"):
            return 0
        fields = body.get(str(msgtype))
        if not isinstance(fields, dict):
            return 40007
        wanted = [(fields.get("media_id"), (msgtype,))]
        if msgtype == "video" and fields.get("thumb_media_id"):
            wanted.append((fields["thumb_media_id"], ("thumb", "image")))
        return 40007 if any(self._kind(media_id) not in kinds for media_id, kinds in wanted) else 0

    def _kind(self, media_id: object) -> str | None:
        medium = self.find(media_id) if isinstance(media_id, str) else None
        return medium.kind if medium is not None else None

    def clear(self) -> None:
        self.media.clear()


def _upload_refusal(kind: str, content: bytes) -> int:
    """0 if WeChat takes this upload, else its errcode."""
    rule = UPLOADS.get(kind)
    if rule is None:
        return 40004
    if not content:
        return 41005
    if sniff(content) not in rule.formats:
        return 40005
    if len(content) > rule.max_bytes:
        return rule.too_large
    if kind == "voice" and (voice_seconds(content) or 0) > VOICE_MAX_SECONDS:
        return 40006
    return 0


async def serve_video(request: web.Request, media: GuestMedia) -> web.StreamResponse:
    medium = media.find(request.match_info["media_id"])
    if medium is None or medium.kind != "video":
        raise web.HTTPNotFound()
    return await medium.send(request)


async def read_upload(request: web.Request) -> dict[str, object] | None:
    """The `media` field of a multipart upload: {filename, content_type, content}; None if the body is no
    multipart form, {} if it has no `media` field (WeChat's 41005)."""
    if request.content_type != "multipart/form-data":
        return None
    try:
        form = await request.post()
    except ValueError:
        return None
    field = form.get("media")
    if not isinstance(field, web.FileField):
        return {}
    return {"filename": field.filename, "content_type": field.content_type, "content": field.file.read()}


async def serve_medium(request: web.Request, media: GuestMedia) -> web.StreamResponse:
    """`GET /sim/media/{media_id}`: the bytes, whatever their age (control API, not WeChat's)."""
    medium = media.media.get(request.match_info["media_id"])
    if medium is None:
        raise web.HTTPNotFound()
    return await medium.send(request)


async def put_from_request(request: web.Request, media: GuestMedia) -> web.Response:
    """`POST /sim/media?kind=image` with the bytes as the body and their Content-Type: {"media_id"}."""
    try:
        media_id = media.put(await request.read(), request.content_type, request.query.get("kind", ""))
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response({"media_id": media_id})
