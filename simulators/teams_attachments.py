"""Media in Teams, as the Bot Connector simulator (simulators/bot_connector.py) serves and shows it.

What employees attach, for the bot to download:
- an image pasted in a message: `GET /v3/attachments/{id}/views/original` on the service URL, only with
  the bot's token (`Authorization: Bearer <one of ConnectorState.bot_tokens>`), 401 otherwise; with
  `open_attachments` (the local run, where the bot has no app id and so no token) without one;
- a file sent in a personal chat: its pre-authenticated `downloadUrl`, `GET /sim/files/{secret}`, no token.
`POST /sim/attachments?kind=inline|file&name=…` with the bytes and their Content-Type keeps one and
answers `{"attachments": [...]}`: what a Teams client puts in the activity (a pasted image: `image/*` with
its contentUrl, and the `text/html` rendering Teams adds; a file: file.download.info with its content).

What the bot posts, as a Teams client shows it: `POST /sim/render?activity=<id>` fetches each image
attachment's contentUrl as a client would (no token) and records on the stored activity, under `images`,
whether it is shown: PNG, JPEG or GIF (not animated), at most 1 MB and 1024 × 1024 px (Teams' limits).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from simulators.media_formats import image_size, is_animated_gif, sniff

INLINE_ROUTE = "/v3/attachments/{attachment_id}/views/{view}"
FILE_ROUTE = "/sim/files/{secret}"
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
INLINE_MAX_BYTES = 1024 * 1024
INLINE_MAX_PIXELS = 1024
INLINE_FORMATS = frozenset({"png", "jpeg", "gif"})
FETCH_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass(frozen=True)
class Attached:
    content: bytes
    content_type: str
    name: str


@dataclass
class TeamsFiles:
    """What employees attached: pasted images by attachment id, files by their download secret."""

    inline: dict[str, Attached] = field(default_factory=dict)
    files: dict[str, Attached] = field(default_factory=dict)

    def attach(self, base_url: str, kind: str, content: bytes, content_type: str, name: str) -> list[dict[str, Any]]:
        """Keep it; the activity attachments a Teams client sends for it."""
        if not content:
            raise ValueError("the attachment is empty")
        attached = Attached(content, content_type, name)
        base = base_url.rstrip("/")
        if kind == "inline":
            attachment_id = f"0-eus-d1-{secrets.token_hex(16)}"
            self.inline[attachment_id] = attached
            url = f"{base}/v3/attachments/{attachment_id}/views/original"
            html = f'<div><div><span><img height="250" src="{url}" width="250"></span></div></div>'
            return [{"contentType": "image/*", "contentUrl": url},
                    {"contentType": "text/html", "content": html}]
        if kind == "file":
            secret = secrets.token_urlsafe(32)
            self.files[secret] = attached
            extension = name.rpartition(".")[2].lower() if "." in name else ""
            return [{"contentType": FILE_DOWNLOAD_INFO, "contentUrl": f"{base}/sim/sharepoint/{name}", "name": name,
                     "content": {"downloadUrl": f"{base}/sim/files/{secret}", "uniqueId": secrets.token_hex(8),
                                 "fileType": extension}}]
        raise ValueError("kind is inline or file")


def shown_inline(content: bytes) -> str | None:
    """None if a Teams client shows this image inline, else why not."""
    kind = sniff(content)
    if kind not in INLINE_FORMATS:
        return "not PNG, JPEG or GIF"
    if is_animated_gif(content):
        return "an animated GIF"
    if len(content) > INLINE_MAX_BYTES:
        return "over 1 MB"
    size = image_size(content)
    if size is None or max(size) > INLINE_MAX_PIXELS:
        return "over 1024 x 1024 px" if size else "no size in its header"
    return None


async def serve_inline(request: web.Request, files: TeamsFiles, bot_tokens: set[str], open_: bool) -> web.Response:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not open_ and (scheme != "Bearer" or token not in bot_tokens):
        return web.json_response({"error": {"code": "Unauthorized", "message": "Authorization has been denied"}},
                                 status=401)
    attached = files.inline.get(request.match_info["attachment_id"])
    if attached is None:
        return web.json_response({"error": {"code": "NotFound", "message": "attachment not found"}}, status=404)
    return web.Response(body=attached.content, content_type=attached.content_type)


async def serve_file(request: web.Request, files: TeamsFiles) -> web.Response:
    attached = files.files.get(request.match_info["secret"])
    if attached is None:
        raise web.HTTPNotFound()
    return web.Response(body=attached.content, content_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{attached.name}"'})


async def render(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """What a Teams client makes of the activity's images (recorded on it as `images`)."""
    images = []
    async with aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as session:
        for attachment in activity.get("attachments") or []:
            if not str(attachment.get("contentType", "")).startswith("image/"):
                continue
            url = str(attachment.get("contentUrl", ""))
            try:
                async with session.get(url) as response:
                    content, status = await _head(response, INLINE_MAX_BYTES + 1), response.status
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                images.append({"url": url, "rendered": False, "reason": f"unreachable: {type(exc).__name__}"})
                continue
            reason = f"HTTP {status}" if status != 200 else shown_inline(content)
            size = image_size(content)
            images.append({"url": url, "rendered": reason is None, "reason": reason, "bytes": len(content),
                           "size": list(size) if size else None})
    activity["images"] = images
    return images


async def _head(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The first `limit` bytes of the answer (all of it if shorter)."""
    content = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        content += chunk
        if len(content) >= limit:
            break
    return bytes(content[:limit])
