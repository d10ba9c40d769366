"""What an employee attached in Teams, downloaded (TeamsChats.download, core/teams_chats.py).

- A pasted (inline) image's `contentUrl` wants the bot's token, the one its Bot Connector calls carry.
  The token goes only to the origin of the activity's serviceUrl or to a Microsoft host (`TOKEN_HOSTS`,
  https): an activity's URLs are whatever its sender wrote, and the token posts as the bot.
- A file's `downloadUrl` (file.download.info, personal chats) is pre-authenticated: no token.
- https only; http only on 127.0.0.1 (the simulators), as the other adapters allow.
- Redirects are followed by hand (at most MAX_REDIRECTS), each hop checked again: the token does not
  follow a redirect to a host that may not have it.
- Streamed in chunks, at most `max_bytes` (TooLarge, at once when the length is announced); a connect
  timeout and a timeout on each read, none on the whole (a large file takes its time). Neither URLs nor
  aiohttp's texts (which hold them: a pre-authenticated URL is a secret) reach errors or logs.
"""
from __future__ import annotations

import fnmatch
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator, Protocol

import aiohttp
from yarl import URL

from adapters.teams.errors import AttachmentRefused, AttachmentUnavailable
from core.media_store import MediaDownload, TooLarge, check_content_type
from core.teams_chats import TeamsAttachment

log = logging.getLogger(__name__)

# Where Teams keeps what employees paste (the Bot Connector's regions, its sovereign clouds, the media service)
TOKEN_HOSTS = ("smba.trafficmanager.net", "*.botframework.com", "*.asm.skype.com", "*.teams.microsoft.com",
               "*.teams.microsoft.us")
MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10, sock_read=30)
TRANSIENT_STATUSES = frozenset({408, 412, 429, 500, 502, 503, 504})
UNKNOWN_TYPE = "application/octet-stream"
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


class Connector(Protocol):
    """What downloads need of adapters/teams/sender.py's TeamsSender."""

    async def bot_token(self, service_url: str) -> str | None: ...

    def http(self) -> aiohttp.ClientSession: ...


class AttachmentDownloads:
    def __init__(self, connector: Connector, *, token_hosts: tuple[str, ...] = TOKEN_HOSTS) -> None:
        self.connector = connector
        self.token_hosts = tuple(host.lower() for host in token_hosts)

    @asynccontextmanager
    async def download(self, attachment: TeamsAttachment, *, max_bytes: int) -> AsyncIterator[MediaDownload]:
        response = await self._open(attachment)
        try:
            if response.content_length is not None and response.content_length > max_bytes:
                raise TooLarge(max_bytes)
            disposition = response.content_disposition
            yield MediaDownload(_media_type(attachment, response),
                                attachment.name or (disposition.filename if disposition else None),
                                _chunks(response, max_bytes))
        finally:
            response.release()

    def may_have_token(self, url: URL, service_url: str) -> bool:
        """Whether the bot's token may be sent to `url`: the serviceUrl's own origin, or a Microsoft host."""
        service = URL(service_url) if service_url else None
        if service is not None and service.is_absolute() and url.origin() == service.origin():
            return True
        host = (url.host or "").rstrip(".")
        return url.scheme == "https" and any(fnmatch.fnmatchcase(host, pattern) for pattern in self.token_hosts)

    async def _open(self, attachment: TeamsAttachment) -> aiohttp.ClientResponse:
        """The answer (status 200, unread) at the attachment's URL, after its redirects."""
        url = _checked(URL(attachment.url))
        if attachment.authenticated and not self.may_have_token(url, attachment.service_url):
            raise AttachmentRefused("an inline attachment at a host that may not have the bot's token")
        for _ in range(MAX_REDIRECTS + 1):
            headers = {}
            if attachment.authenticated and self.may_have_token(url, attachment.service_url):
                token = await self.connector.bot_token(attachment.service_url or str(url.origin()))
                if token is not None:
                    headers["Authorization"] = f"Bearer {token}"
            response = await _get(self.connector.http(), url, headers)
            if response.status not in REDIRECTS:
                return _succeeded(response)
            location = response.headers.get("Location", "")
            response.release()
            url = _checked(url.join(URL(location)))
        raise AttachmentUnavailable(0, f"more than {MAX_REDIRECTS} redirects", transient=False)


def _checked(url: URL) -> URL:
    if (url.scheme == "https" and url.host) or (url.scheme == "http" and url.host == "127.0.0.1"):
        return url
    raise AttachmentRefused(f"an attachment address must be https, not {url.scheme or 'relative'}")


async def _get(session: aiohttp.ClientSession, url: URL, headers: dict[str, str]) -> aiohttp.ClientResponse:
    log.debug("teams attachment GET %s", url.host)
    try:
        return await session.get(url, headers=headers, allow_redirects=False, timeout=TIMEOUT)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise AttachmentUnavailable(0, f"no answer: {type(exc).__name__}", transient=True) from None


def _succeeded(response: aiohttp.ClientResponse) -> aiohttp.ClientResponse:
    if response.status == 200:
        return response
    response.release()
    raise AttachmentUnavailable(response.status, f"HTTP {response.status}",
                                transient=response.status in TRANSIENT_STATUSES)


async def _chunks(response: aiohttp.ClientResponse, max_bytes: int) -> AsyncIterator[bytes]:
    size = 0
    try:
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(max_bytes)
            yield chunk
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise AttachmentUnavailable(0, f"cut off: {type(exc).__name__}", transient=True) from None


def _media_type(attachment: TeamsAttachment, response: aiohttp.ClientResponse) -> str:
    """The attachment's own type when it names one (a file's, from its fileType), else the answer's
    (a pasted image comes as `image/*`)."""
    for candidate in (attachment.content_type, response.headers.get("Content-Type", "")):
        if candidate and candidate != FILE_DOWNLOAD_INFO and _is_type(candidate):
            return candidate
    return UNKNOWN_TYPE


def _is_type(content_type: str) -> bool:
    try:
        return bool(check_content_type(content_type))
    except ValueError:
        return False

