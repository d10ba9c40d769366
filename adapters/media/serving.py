"""`GET /media/<token>`: a stored medium, streamed, to whoever holds a signed link that has not expired
(core/media_links.py). 403 a token we did not make or that was altered, 410 an expired one, 404 a medium
no longer stored, 503 a store out of reach: never a 500."""
from __future__ import annotations

import contextlib
import logging
from urllib.parse import quote

from aiohttp import web

from core.media_links import LinkExpired, LinkRefused, MediaLinks
from core.media_store import MediaStore

log = logging.getLogger("bridge.media")

HEADERS = {
    "Cache-Control": "private",  # the user's client may keep it; no shared cache may
    "X-Content-Type-Options": "nosniff",  # served as the type it was stored with, never guessed
    "Content-Security-Policy": "sandbox",  # a stored HTML or SVG opened directly runs nothing on our origin
}


async def serve_media(request: web.Request, store: MediaStore, links: MediaLinks) -> web.StreamResponse:
    try:
        filename = request.match_info.get("filename", "")  # aiohttp gives it percent-decoded
        key = links.key(request.match_info["token"], filename)
    except LinkExpired:
        raise web.HTTPGone(text="this link has expired") from None
    except LinkRefused:
        raise web.HTTPForbidden(text="not a valid link") from None
    try:
        media = await store.get(key)
    except Exception:  # the store's own errors and its transport's: whatever they are, not the client's fault
        log.warning("media store out of reach", exc_info=True)
        raise web.HTTPServiceUnavailable(text="try again later") from None
    if media is None:
        raise web.HTTPNotFound(text="no such media")
    response = web.StreamResponse(headers={**HEADERS, "Content-Type": media.info.content_type})
    if filename:  # a document: saved under its name (RFC 6266, UTF-8 for Chinese names)
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    response.content_length = media.info.size
    async with contextlib.aclosing(media.chunks) as chunks:
        await response.prepare(request)
        if request.method != "HEAD":
            async for chunk in chunks:
                await response.write(chunk)
    await response.write_eof()
    return response
