"""WeChat Official Account API client (async, aiohttp).

Every call: a non-zero errcode raises the typed error from errors.py; an access token WeChat
refuses (40001/40014/42001) is invalidated in the shared cache, refreshed and the call retried
once; transient failures (-1, 45011, network errors, timeouts, HTTP 5xx) are retried with
exponential backoff and jitter, up to `max_attempts`. Except for a call that must not happen
twice (a message to the guest: `repeatable=False`): once the request may have reached WeChat and
no answer came, it raises WeChatOutcomeUnknown instead of trying again; only a request that never
left (no connection) or that WeChat answered (-1, 45011, 5xx but 504) is tried again.

The access token travels in the query string, so nothing here logs URLs or exception texts
that could carry one: logs name the path only, and transport errors are re-raised without
their aiohttp cause (whose text includes the full URL).
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, Protocol, runtime_checkable
from urllib.parse import quote

import aiohttp

from adapters.wechat.errors import (AccessTokenInvalid, WeChatApiError, WeChatOutcomeUnknown, WeChatTransportError,
                                   error_for)

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]


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
        self.app_id = app_id
        self._app_secret = app_secret
        self.image_base_url = image_base_url.rstrip("/")
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.sleep = sleep
        # `connect` too: a timeout while connecting (nothing sent) is told apart from one after sending
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=timeout_seconds)
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
        await self.call("POST", "/cgi-bin/message/custom/send", json=body, repeatable=False)

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
                   json: Any = None, auth: bool = True, repeatable: bool = True) -> dict[str, Any]:
        """One API call with the token, error typing and retry rules described above. `repeatable`:
        False for a call whose double would cost something (see WeChatOutcomeUnknown)."""
        attempt, refreshed = 0, False
        while True:
            attempt += 1
            # Outside the try: the token fetch is itself a call() and has retried on its own.
            token = await self._tokens().get() if auth else None
            try:
                data = await self._request(method, path, params, json, token, repeatable)
                errcode = data.get("errcode", 0)
                if errcode not in (0, None, "0"):
                    try:
                        code = int(errcode)
                    except (TypeError, ValueError):
                        raise WeChatTransportError(f"{path}: unreadable errcode") from None
                    raise error_for(code, str(data.get("errmsg", "")))
                return data
            except AccessTokenInvalid as exc:
                if token is None or refreshed:
                    raise
                refreshed = True
                log.info("wechat %s: access token refused (%s); refreshing and retrying once", path, exc.errcode)
                await self._tokens().invalidate(token)
                attempt -= 1  # the refresh retry is not one of the transient-error attempts
            except WeChatApiError as exc:
                if not exc.transient or attempt >= self.max_attempts:
                    raise
                delay = self.backoff_base * 2 ** (attempt - 1) * (0.5 + random.random() / 2)
                log.warning("wechat %s: %s; attempt %d of %d, retrying in %.2fs",
                            path, exc, attempt, self.max_attempts, delay)
                await self.sleep(delay)

    def _tokens(self) -> AccessTokens:
        if self.token_cache is None:
            raise RuntimeError("WeChatClient has no token cache: pass one or set client.token_cache")
        return self.token_cache

    async def _request(self, method: str, path: str, params: Mapping[str, str] | None, body: Any,
                       token: str | None, repeatable: bool = True) -> dict[str, Any]:
        query = dict(params or {})
        if token is not None:
            query["access_token"] = token
        data, headers = None, None
        if body is not None:
            # ensure_ascii=False: WeChat shows \uXXXX escapes literally instead of the characters.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        log.debug("wechat %s %s", method, path)
        try:
            async with self.session.request(method, self.base_url + path, params=query, data=data,
                                            headers=headers, timeout=self.timeout) as resp:
                status = resp.status
                raw = await resp.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            # Never connected: nothing was sent. `from None`: the aiohttp error's text holds the URL (the token).
            raise WeChatTransportError(f"{method} {path}: {type(exc).__name__}") from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            if not repeatable:  # sent, perhaps taken: no answer
                raise WeChatOutcomeUnknown(f"{method} {path}: {type(exc).__name__} after sending") from None
            raise WeChatTransportError(f"{method} {path}: {type(exc).__name__}") from None
        if status == 504 and not repeatable:  # a gateway gave up waiting for WeChat: it may have taken it
            raise WeChatOutcomeUnknown(f"{method} {path}: HTTP 504", status=status)
        if status != 200:
            transient = status >= 500 or status in (408, 429)
            raise WeChatTransportError(f"{method} {path}: HTTP {status}", status=status, transient=transient)
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise WeChatTransportError(f"{method} {path}: the answer is not JSON", status=status) from None
        if not isinstance(answer, dict):
            raise WeChatTransportError(f"{method} {path}: the answer is not a JSON object", status=status)
        return answer
