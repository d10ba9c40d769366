"""`GET /media/<token>`: a stored medium, streamed, to whoever holds a signed link that has not expired
(core/media_links.py). 403 a token we did not make or that was altered, 410 an expired one, 404 a medium
no longer stored, 503 a store out of reach: never a 500.

A `Range: bytes=…` request gets that part (206, Content-Range), so a browser can seek in a video; a
range past the end is a 416. A medium never changes under its key, so its ETag is the key, and an
`If-Range` naming anything else gets the whole medium. Several ranges at once are answered with the whole.
`GET /media/<token>/<file name>` (a document sent to a guest) is downloaded under that name.
"""
from __future__ import annotations

import contextlib
import logging
import re
from urllib.parse import quote

from aiohttp import web

from core.media_links import LinkExpired, LinkRefused, MediaLinks
from core.media_store import Media, MediaStore

log = logging.getLogger("bridge.media")

HEADERS = {
    "Cache-Control": "private",  # the user's client may keep it; no shared cache may
    "X-Content-Type-Options": "nosniff",  # served as the type it was stored with, never guessed
    "Content-Security-Policy": "sandbox",  # a stored HTML or SVG opened directly runs nothing on our origin
    "Accept-Ranges": "bytes",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    """A range wholly past the medium's end (416)."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range` header asks of `size` bytes; None for the whole (no header, or one
    we do not serve a part for: another unit, several ranges, malformed). RangeNotSatisfiable past the end."""
    match = _RANGE.match((header or "").strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last `last` bytes
        if int(last) == 0 or size == 0:
            raise RangeNotSatisfiable()
        return max(0, size - int(last)), size - 1
    start, end = int(first), None if last == "" else int(last)
    if end is not None and end < start:
        return None  # malformed: ignored, as RFC 9110 says
    if start >= size:
        raise RangeNotSatisfiable()
    return start, size - 1 if end is None else min(end, size - 1)


async def serve_media(request: web.Request, store: MediaStore, links: MediaLinks) -> web.StreamResponse:
    try:
        filename = request.match_info.get("filename", "")  # aiohttp gives it percent-decoded
        key = links.key(request.match_info["token"], filename)
    except LinkExpired:
        raise web.HTTPGone(text="this link has expired") from None
    except LinkRefused:
        raise web.HTTPForbidden(text="not a valid link") from None
    media = await _get(store, key)
    size, etag = media.info.size, f'"{key}"'
    headers = {**HEADERS, "Content-Type": media.info.content_type, "ETag": etag}
    if filename:  # a document: saved under its name (RFC 6266, UTF-8 for Chinese names)
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    if_range = request.headers.get("If-Range")
    try:
        span = byte_range(request.headers.get("Range"), size) if if_range in (None, etag) else None
    except RangeNotSatisfiable:
        await media.chunks.aclose()
        raise web.HTTPRequestRangeNotSatisfiable(headers={**HEADERS, "Content-Range": f"bytes */{size}"}) from None
    start, end = span or (0, size - 1)
    if start:
        await media.chunks.aclose()  # never iterated: nothing was opened
        media = await _get(store, key, start)
    response = web.StreamResponse(status=206 if span else 200, headers={
        **headers, **({"Content-Range": f"bytes {start}-{end}/{size}"} if span else {})})
    response.content_length = end - start + 1
    async with contextlib.aclosing(media.chunks) as chunks:
        await response.prepare(request)
        if request.method != "HEAD":
            left = end - start + 1
            async for chunk in chunks:
                await response.write(chunk[:left])
                left -= len(chunk)
                if left <= 0:
                    break
    await response.write_eof()
    return response


async def _get(store: MediaStore, key: str, offset: int = 0) -> Media:
    try:
        media = await store.get(key, offset=offset)
    except Exception:  # the store's own errors and its transport's: whatever they are, not the client's fault
        log.warning("media store out of reach", exc_info=True)
        raise web.HTTPServiceUnavailable(text="try again later") from None
    if media is None:
        raise web.HTTPNotFound(text="no such media")
    return media
