"""WeChat Official Account API client (async, aiohttp).

Every call: a non-zero errcode raises the typed error from errors.py; an access token WeChat
refuses (40001/40014/42001) is invalidated in the shared cache, refreshed and the call retried
once; transient failures (-1, 45011, network errors, timeouts, HTTP 5xx) are retried with
exponential backoff and jitter, up to `max_attempts`. Except for a call that must not happen
twice (a message to the guest: `repeatable=False`): once the request may have reached WeChat and
no answer came, it raises WeChatOutcomeUnknown instead of trying again; only a request that never
left (no connection) or that WeChat answered (-1, 45011, 5xx but 504) is tried again.

Media stream both ways, a guest's (`media`) and the account's (`upload_media`): nothing holds a
whole file in memory. An upload has no effect the guest sees, so it is retried like a read, as long as
its bytes can be read again (adapters/wechat/upload.py); a media message (`send_media`) is a message
to the guest, like a text.

The access token travels in the query string, so nothing here logs URLs or exception texts
that could carry one: logs name the path only, and transport errors are re-raised without
their aiohttp cause (whose text includes the full URL).
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import (Any, AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator, Mapping, Protocol, TypeVar,
                    runtime_checkable)
from urllib.parse import quote, urlsplit

import aiohttp

from adapters.wechat.errors import (AccessTokenInvalid, MediaTooLarge, WeChatApiError, WeChatOutcomeUnknown,
                                   WeChatTransportError, error_for)
from adapters.wechat.upload import UPLOAD_PATH, UploadForm
from core.media_store import MediaDownload, check_content_type
from core.telemetry import telemetry

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]
T = TypeVar("T")

MEDIA_PATH = "/cgi-bin/media/get"
MEDIA_CHUNK_BYTES = 64 * 1024
ANSWER_MAX_BYTES = 64 * 1024  # an errcode or video_url answer is a few hundred bytes
JSON_TYPES = frozenset({"application/json", "text/plain", "text/json", "text/javascript"})
UNKNOWN_MEDIA_TYPE = "application/octet-stream"
CUSTOM_SEND_PATH = "/cgi-bin/message/custom/send"
MEDIA_MESSAGES = frozenset({"image", "voice", "video"})
UPLOAD_READ_SECONDS = 120  # an upload of 10 MB on a slow uplink: the answer comes after the last byte


@runtime_checkable
class AccessTokens(Protocol):
    """What the client needs from a token cache (adapters.wechat.token_cache.TokenCache)."""

    async def get(self) -> str: ...

    async def invalidate(self, bad_token: str) -> None: ...


TokenCacheFactory = Callable[[Callable[[bool], Awaitable[tuple[str, int]]]], AccessTokens]


@dataclass(frozen=True)
class QrCode:
    ticket: str
    url: str  # the code's content: render it yourself, or show image_url
    expire_seconds: int | None  # None for a permanent code
    image_url: str


class WeChatClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        app_id: str,
        app_secret: str,
        token_cache: AccessTokens | TokenCacheFactory | None = None,
        *,
        image_base_url: str = "https://mp.weixin.qq.com",
        max_attempts: int = 3,
        backoff_base: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        timeout_seconds: float = 10,
    ) -> None:
        """`token_cache`: a cache, or a factory called with `self.fetch_stable_token` that builds one
        (the cache's fetch must be this client's stable_token call). It may also be set later
        through the `token_cache` attribute."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.peer = {"server.address": urlsplit(self.base_url).hostname or ""}  # its spans' target (core/telemetry)
        self.app_id = app_id
        self._app_secret = app_secret
        self.image_base_url = image_base_url.rstrip("/")
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.sleep = sleep
        # `connect` too: a timeout while connecting (nothing sent) is told apart from one after sending
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=timeout_seconds)
        # A download takes as long as its size needs: only a stall ends it.
        self.media_timeout = aiohttp.ClientTimeout(total=None, connect=timeout_seconds, sock_read=timeout_seconds)
        self.upload_timeout = aiohttp.ClientTimeout(total=None, connect=timeout_seconds,
                                                    sock_read=max(timeout_seconds, UPLOAD_READ_SECONDS))
        self.token_cache: AccessTokens | None = token_cache \
            if token_cache is None or isinstance(token_cache, AccessTokens) else token_cache(self.fetch_stable_token)

    def __repr__(self) -> str:  # keeps the secret out of reprs and tracebacks
        return f"WeChatClient(base_url={self.base_url!r}, app_id={self.app_id!r})"

    # --- the API -----------------------------------------------------------------------------

    async def fetch_stable_token(self, force_refresh: bool) -> tuple[str, int]:
        """POST /cgi-bin/stable_token: (access_token, expires_in). The token cache's fetch."""
        data = await self.call(
            "POST",
            "/cgi-bin/stable_token",
            json={"grant_type": "client_credential", "appid": self.app_id, "secret": self._app_secret,
                  "force_refresh": bool(force_refresh)},
            auth=False,
        )
        token, expires_in = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int) or expires_in <= 0:
            raise WeChatTransportError("stable_token answer has no usable access_token/expires_in")
        return token, expires_in

    async def send_text(self, openid: str, text: str, *, kf_account: str | None = None) -> None:
        """A customer-service text message (only inside the user's 48 h window and quota)."""
        body: dict[str, Any] = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        if kf_account:
            body["customservice"] = {"kf_account": kf_account}
        await self.call("POST", CUSTOM_SEND_PATH, json=body, repeatable=False)

    async def upload_media(self, kind: str, chunks: AsyncIterable[bytes], *, filename: str, content_type: str,
                           size: int | None = None) -> str:
        """POST /cgi-bin/media/upload?type=<kind> (image | voice | video | thumb), streamed: WeChat's media_id
        (valid 3 days, reusable). MediaRefused (40004–40006, 40009–40012) for what WeChat will never take.
        `size`, the bytes `chunks` gives, lets the request say its length instead of being chunked."""
        form = UploadForm(chunks, filename=filename, content_type=content_type, size=size)
        answer = await self.call("POST", UPLOAD_PATH, params={"type": kind}, form=form)
        media_id = answer.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise WeChatTransportError(f"{UPLOAD_PATH}: the answer has no media_id")
        return media_id

    async def send_media(self, openid: str, kind: str, media_id: str, *, thumb_media_id: str = "",
                         title: str = "", description: str = "") -> None:
        """A customer-service image, voice or video message of an uploaded medium (a video: its thumbnail,
        title and description, where given). Sent once, like a text: WeChatOutcomeUnknown when no answer came."""
        if kind not in MEDIA_MESSAGES:
            raise ValueError(f"a media message is one of {sorted(MEDIA_MESSAGES)}, not {kind!r}")
        extra = {"thumb_media_id": thumb_media_id, "title": title, "description": description} \
            if kind == "video" else {}
        fields = {"media_id": media_id, **{k: v for k, v in extra.items() if v}}
        await self.call("POST", CUSTOM_SEND_PATH, json={"touser": openid, "msgtype": kind, kind: fields},
                        repeatable=False)

    async def send_template(self, openid: str, template_id: str, data: Mapping[str, Any], *,
                            url: str | None = None) -> int:
        """A template message (followers only, not bound to the window); returns WeChat's msgid.
        `data` values may be plain strings or WeChat's {"value": ..., "color": ...} objects."""
        fields = {k: (dict(v) if isinstance(v, Mapping) else {"value": str(v)}) for k, v in data.items()}
        body: dict[str, Any] = {"touser": openid, "template_id": template_id, "data": fields}
        if url:
            body["url"] = url
        answer = await self.call("POST", "/cgi-bin/message/template/send", json=body, repeatable=False)
        return int(answer.get("msgid", 0))

    async def create_qr(self, scene: str, *, permanent: bool, expire_seconds: int = 2592000) -> QrCode:
        """A parametric QR code with a string scene (QR_LIMIT_STR_SCENE / QR_STR_SCENE)."""
        body: dict[str, Any] = {
            "action_name": "QR_LIMIT_STR_SCENE" if permanent else "QR_STR_SCENE",
            "action_info": {"scene": {"scene_str": scene}},
        }
        if not permanent:
            body["expire_seconds"] = int(expire_seconds)
        data = await self.call("POST", "/cgi-bin/qrcode/create", json=body)
        ticket = data.get("ticket")
        if not isinstance(ticket, str) or not ticket:
            raise WeChatTransportError("qrcode/create answer has no ticket")
        expires = data.get("expire_seconds")
        return QrCode(
            ticket=ticket,
            url=str(data.get("url", "")),
            expire_seconds=int(expires) if expires is not None and not permanent else None,
            image_url=f"{self.image_base_url}/cgi-bin/showqrcode?ticket={quote(ticket, safe='')}",
        )

    async def user_info(self, openid: str, lang: str = "zh_CN") -> dict[str, Any]:
        """GET /cgi-bin/user/info. `subscribe` 0 means not following (and nothing else is returned)."""
        return await self.call("GET", "/cgi-bin/user/info", params={"openid": openid, "lang": lang})

    # --- the machinery -----------------------------------------------------------------------

    async def call(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
                   json: Any = None, auth: bool = True, repeatable: bool = True,
                   form: UploadForm | None = None) -> dict[str, Any]:
        """One API call with the token, error typing and retry rules described above. `repeatable`:
        False for a call whose double would cost something (see WeChatOutcomeUnknown). `form`: an
        upload's body instead of `json`, tried again only while its bytes can be read again."""
        async def attempt(token: str | None) -> dict[str, Any]:
            return _raise_errcode(path, await self._request(method, path, params, json, token, repeatable, form))

        return await self._retrying(path, attempt, auth=auth, again=lambda: form is None or form.replayable)

    async def _retrying(self, path: str, attempt: Callable[[str | None], Awaitable[T]], *, auth: bool = True,
                        again: Callable[[], bool] = lambda: True) -> T:
        """`again`: whether the attempt can be made once more (an upload whose bytes were read once cannot)."""
        attempts, refreshed = 0, False
        while True:
            attempts += 1
            # Outside the try: the token fetch is itself a call() and has retried on its own.
            token = await self._tokens().get() if auth else None
            try:
                return await attempt(token)
            except AccessTokenInvalid as exc:
                if token is None or refreshed:
                    raise
                refreshed = True
                log.info("wechat %s: access token refused (%s); refreshing and retrying once", path, exc.errcode)
                await self._tokens().invalidate(token)
                if not again():  # refreshed for the caller's next try, which reads the bytes afresh
                    raise WeChatTransportError(f"{path}: access token refused ({exc.errcode}); try again") from None
                attempts -= 1  # the refresh retry is not one of the transient-error attempts
            except WeChatApiError as exc:
                if not exc.transient or attempts >= self.max_attempts or not again():
                    raise
                delay = self.backoff_base * 2 ** (attempts - 1) * (0.5 + random.random() / 2)
                log.warning("wechat %s: %s; attempt %d of %d, retrying in %.2fs",
                            path, exc, attempts, self.max_attempts, delay)
                await self.sleep(delay)

    def _tokens(self) -> AccessTokens:
        if self.token_cache is None:
            raise RuntimeError("WeChatClient has no token cache: pass one or set client.token_cache")
        return self.token_cache

    async def _request(self, method: str, path: str, params: Mapping[str, str] | None, body: Any,
                       token: str | None, repeatable: bool = True, form: UploadForm | None = None) -> dict[str, Any]:
        query = dict(params or {})
        if token is not None:
            query["access_token"] = token
        data: Any = None
        headers: dict[str, str] | None = None
        timeout = self.timeout
        if form is not None:
            data, headers, timeout = form.body(), form.headers, self.upload_timeout
        elif body is not None:
            # ensure_ascii=False: WeChat shows \uXXXX escapes literally instead of the characters.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        log.debug("wechat %s %s", method, path)
        try:
            with telemetry().span(f"wechat {path}", method=method, **self.peer), \
                    _transport_errors(method, path, repeatable):
                async with self.session.request(method, self.base_url + path, params=query, data=data,
                                                headers=headers, timeout=timeout) as resp:
                    status = resp.status
                    raw = await resp.read()
        except WeChatTransportError:
            if form is not None and form.failure is not None:  # the bytes failed, not the network: say that
                raise form.failure from None
            raise
        if status == 504 and not repeatable:  # a gateway gave up waiting for WeChat: it may have taken it
            raise WeChatOutcomeUnknown(f"{method} {path}: HTTP 504", status=status)
        _check_status(method, path, status)
        return _json_object(method, path, raw, status)

    # --- media -------------------------------------------------------------------------------

    @asynccontextmanager
    async def media(self, media_id: str, *, max_bytes: int) -> AsyncIterator[MediaDownload]:
        """GET /cgi-bin/media/get: a medium a guest sent, streamed (read `chunks` inside the context).
        WeChat answers a video with a `video_url`, which is followed. Unknown or past its 3 days:
        InvalidMediaId. Over `max_bytes`: MediaTooLarge, at once if WeChat says the length, else while
        streaming. A download has no effect, so it is retried like any call until its bytes start to
        come; a failure after that raises a transient WeChatTransportError: download it again."""
        async def attempt(token: str | None) -> aiohttp.ClientResponse:
            query = {"media_id": media_id, "access_token": token or ""}
            resp = await self._get(self.base_url + MEDIA_PATH, MEDIA_PATH, query)
            answer = await _json_answer(resp, MEDIA_PATH)
            if answer is None:
                return resp
            video_url = _raise_errcode(MEDIA_PATH, answer).get("video_url")
            if not isinstance(video_url, str) or not video_url:
                raise WeChatTransportError(f"{MEDIA_PATH}: the answer has neither bytes nor a video_url")
            resp = await self._get(video_url, "video_url", None)
            if await _json_answer(resp, "video_url") is not None:
                raise WeChatTransportError("video_url: the answer is not a video")
            return resp

        resp = await self._retrying(MEDIA_PATH, attempt)
        try:
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise MediaTooLarge(max_bytes)
            filename = resp.content_disposition.filename if resp.content_disposition else None
            yield MediaDownload(_media_type(resp.headers.get("Content-Type", "")), filename,
                                _stream(resp, max_bytes))
        finally:
            resp.release()

    async def _get(self, url: str, label: str, params: Mapping[str, str] | None) -> aiohttp.ClientResponse:
        """An open answer of status 200 (release it); `label` names it in errors and logs (never the URL)."""
        log.debug("wechat GET %s", label)
        with _transport_errors("GET", label):
            resp = await self.session.get(url, params=params, timeout=self.media_timeout)
        if resp.status != 200:
            resp.release()
            _check_status("GET", label, resp.status)
        return resp


def _check_status(method: str, path: str, status: int) -> None:
    if status != 200:
        raise WeChatTransportError(f"{method} {path}: HTTP {status}", status=status,
                                   transient=status >= 500 or status in (408, 429))


@contextmanager
def _transport_errors(method: str, path: str, repeatable: bool = True) -> Iterator[None]:
    """aiohttp's failures as WeChatTransportError. `from None`: the aiohttp error's text holds the URL (the token)."""
    try:
        yield
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
        raise WeChatTransportError(f"{method} {path}: {type(exc).__name__}") from None  # never connected: nothing sent
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        if not repeatable:  # sent, perhaps taken: no answer
            raise WeChatOutcomeUnknown(f"{method} {path}: {type(exc).__name__} after sending") from None
        raise WeChatTransportError(f"{method} {path}: {type(exc).__name__}") from None


def _json_object(method: str, path: str, raw: bytes, status: int) -> dict[str, Any]:
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WeChatTransportError(f"{method} {path}: the answer is not JSON", status=status) from None
    if not isinstance(answer, dict):
        raise WeChatTransportError(f"{method} {path}: the answer is not a JSON object", status=status)
    return answer


def _raise_errcode(path: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data`, unless its errcode says WeChat refused: then the typed error."""
    errcode = data.get("errcode", 0)
    if errcode in (0, None, "0"):
        return data
    try:
        code = int(errcode)
    except (TypeError, ValueError):
        raise WeChatTransportError(f"{path}: unreadable errcode") from None
    telemetry().wechat_refused(code)
    raise error_for(code, str(data.get("errmsg", "")))


async def _json_answer(resp: aiohttp.ClientResponse, label: str) -> dict[str, Any] | None:
    """The JSON object a media answer holds instead of bytes (read and released), None for bytes.
    WeChat labels its JSON answers here application/json or text/plain, at times nothing."""
    if resp.content_type not in JSON_TYPES and resp.headers.get("Content-Type"):
        return None
    raw = bytearray()
    try:
        with _transport_errors("GET", label):
            async for chunk in resp.content.iter_chunked(MEDIA_CHUNK_BYTES):
                raw += chunk
                if len(raw) > ANSWER_MAX_BYTES:  # a JSON answer is small: this is no answer of WeChat's
                    raise WeChatTransportError(f"GET {label}: an over-long answer without a media type",
                                               transient=False)
    finally:
        resp.release()
    return _json_object("GET", label, bytes(raw), resp.status)


async def _stream(resp: aiohttp.ClientResponse, max_bytes: int) -> AsyncIterator[bytes]:
    size = 0
    with _transport_errors("GET", MEDIA_PATH):
        async for chunk in resp.content.iter_chunked(MEDIA_CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise MediaTooLarge(max_bytes)
            yield chunk


def _media_type(content_type: str) -> str:
    try:
        return check_content_type(content_type)
    except ValueError:
        return UNKNOWN_MEDIA_TYPE
