"""The body of `POST /cgi-bin/media/upload`: one multipart field `media` around a medium's bytes, streamed
from an async iterable (never read whole into memory).

A body can be sent again (a refused token, WeChat busy) only if its bytes can be read again: an iterable
whose `__aiter__` gives a fresh iterator is read afresh for each attempt; a one-shot iterator (an async
generator) only once, so `replayable` turns False once it has started.
"""
from __future__ import annotations

import re
import secrets
from typing import AsyncIterable, AsyncIterator

from adapters.wechat.errors import WeChatTransportError
from core.media_store import check_content_type

UPLOAD_PATH = "/cgi-bin/media/upload"
# WeChat reads the file name's extension too (a name without its type's extension: 40005)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "audio/amr": "amr",
              "audio/mpeg": "mp3", "audio/mp3": "mp3", "video/mp4": "mp4"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def upload_filename(filename: str, content_type: str) -> str:
    """A name WeChat takes, that cannot break the part's header: the given name's stem in ASCII letters,
    digits, - and _ (else `media`), with the extension of the content type (else the name's own)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    safe_stem = _UNSAFE.sub("_", stem).strip("_")[:64] or "media"
    media_type = content_type.split(";", 1)[0].strip().lower()
    safe_extension = EXTENSIONS.get(media_type) or _UNSAFE.sub("", extension)[:8] or "bin"
    return f"{safe_stem}.{safe_extension}"


class UploadForm:
    """The form for one medium. `size`, when known, is sent as the exact Content-Length (some of WeChat's
    front ends are reported to refuse a chunked upload with 41005); else the body is chunked."""

    def __init__(self, chunks: AsyncIterable[bytes], *, filename: str, content_type: str,
                 size: int | None = None) -> None:
        check_content_type(content_type)  # nothing that could end the part's header line
        boundary = secrets.token_hex(16)
        self._head = (f'--{boundary}\r\nContent-Disposition: form-data; name="media"; '
                      f'filename="{upload_filename(filename, content_type)}"\r\n'
                      f"Content-Type: {content_type}\r\n\r\n").encode("ascii")
        self._tail = f"\r\n--{boundary}--\r\n".encode("ascii")
        self._chunks = chunks
        self._one_shot = isinstance(chunks, AsyncIterator)  # an iterator's __aiter__ is itself
        self._started = False
        self.failure: Exception | None = None  # what reading the bytes raised (aiohttp hides it in a transport error)
        self.size = size
        self.headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if size is not None:
            self.headers["Content-Length"] = str(len(self._head) + size + len(self._tail))

    @property
    def replayable(self) -> bool:
        return not (self._one_shot and self._started)

    async def body(self) -> AsyncIterator[bytes]:
        self._started = True
        yield self._head
        try:
            async for chunk in self._sized():
                yield chunk
        except Exception as exc:
            self.failure = exc
            raise
        yield self._tail

    async def _sized(self) -> AsyncIterator[bytes]:
        sent = 0
        async for chunk in self._chunks:
            sent += len(chunk)
            if self.size is not None and sent > self.size:
                break
            yield chunk
        if self.size is not None and sent != self.size:  # the Content-Length sent would be a lie
            raise WeChatTransportError(f"{UPLOAD_PATH}: the medium is not of the size given ({self.size} bytes)",
                                       transient=False)
