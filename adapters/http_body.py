"""A request's body, read whole within a size cap and a deadline: how both endpoints (Teams'
/api/messages and WeChat's /api/wechat) read what they are sent.

aiohttp leaves the body to the handler and puts no time limit on reading it: a client trickling
a byte at a time would hold a handler, and its buffer, for as long as it liked.
"""
from __future__ import annotations

import asyncio

from aiohttp import web

CHUNK = 16 * 1024


class BodyRefused(Exception):
    """The body is not taken: `status` (400, 408, 413 or 415) and why, for the answer and the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: web.Request, *, max_bytes: int, seconds: float) -> bytes:
    """The whole body; BodyRefused 413 past `max_bytes` (announced or counted: a chunked body has
    no Content-Length), 408 if it has not all arrived `seconds` after the handler began reading,
    415 if compressed (neither Teams nor WeChat compresses, and the server does not inflate: see
    app.py), 400 if its chunks do not decode."""
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        raise BodyRefused(415, "compressed bodies are not accepted")
    if request.content_length is not None and request.content_length > max_bytes:
        raise BodyRefused(413, "body too large")
    content = request.content
    try:
        arrived = content.read_nowait()  # a push's body usually came whole with the headers: no wait, no deadline
        if len(arrived) > max_bytes:
            raise BodyRefused(413, "body too large")
        if content.at_eof():
            return arrived
        chunks, size = [arrived], len(arrived)
        async with asyncio.timeout(seconds):
            async for chunk in content.iter_chunked(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise BodyRefused(413, "body too large")
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(408, f"body not received within {seconds:g} s") from None
    except web.RequestPayloadError as exc:  # e.g. a chunk that is not one
        raise BodyRefused(400, f"body unreadable: {' '.join(str(exc).split())[:200]}") from None
    return b"".join(chunks)
