"""A WeChat user, as WeChat's servers see them: each action updates the API simulator (which opens
the customer-service window, like the real platform) and is then pushed, signed, to our webhook."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Callable

import aiohttp

from adapters.wechat.crypto import WeChatCrypto
from simulators.wechat_push import build_push, event, message, text_message


@dataclass
class PushResult:
    status: int
    text: str
    query: dict[str, str]
    body: bytes


class WeChatPlatform:
    """The two halves of WeChat that face us: its API (the simulator) and its pushes to the webhook."""

    def __init__(self, session: aiohttp.ClientSession, *, api_url: str, webhook_url: str, token: str,
                 aes: WeChatCrypto | None, now: Callable[[], float]) -> None:
        self.session = session
        self.api_url = api_url.rstrip("/")
        self.webhook_url = webhook_url
        self.token = token
        self.aes = aes
        self.now = now

    async def control(self, action: str, **body) -> dict:
        async with self.session.post(f"{self.api_url}/sim/{action}", json=body) as r:
            if r.status != 200:
                raise RuntimeError(f"simulator refused {action}: {r.status} {await r.text()}")
            return await r.json()

    async def put_media(self, content: bytes, content_type: str, kind: str) -> str:
        """A medium a guest sends, kept by WeChat's API (`POST /sim/media`): its media id."""
        async with self.session.post(f"{self.api_url}/sim/media", params={"kind": kind}, data=content,
                                     headers={"Content-Type": content_type}) as r:
            if r.status != 200:
                raise RuntimeError(f"simulator refused the {kind}: {r.status} {await r.text()}")
            return (await r.json())["media_id"]

    async def delivered(self, openid: str | None = None) -> list[dict]:
        """What WeChat accepted for delivery to users (customer-service and template messages)."""
        async with self.session.get(f"{self.api_url}/sim/sent") as r:
            delivered = (await r.json())["delivered"]
        return [d for d in delivered if openid is None or d["openid"] == openid]

    async def push(self, xml: bytes, **overrides: str) -> PushResult:
        """POST one push as WeChat would; `overrides` replace query parameters (to forge or age them)."""
        query, body = build_push(xml, token=self.token, timestamp=int(self.now()), nonce=secrets.token_hex(8),
                                 aes=self.aes)
        query.update(overrides)
        async with self.session.post(self.webhook_url, params=query, data=body,
                                     headers={"Content-Type": "text/xml"}) as r:
            return PushResult(r.status, await r.text(), query, body)

    def guest(self, openid: str, nickname: str = "", language: str = "") -> "Guest":
        return Guest(self, openid, nickname, language)


@dataclass
class Guest:
    platform: WeChatPlatform
    openid: str
    nickname: str = ""
    language: str = ""  # WeChat's setting (zh_CN, en …); "" leaves the simulator's default, zh_CN
    following: bool = False

    async def _ensure_following(self) -> None:
        """A guest who writes without a follow in this run followed before it: tell the API only."""
        if not self.following:
            await self.platform.control("follow", openid=self.openid, nickname=self.nickname, language=self.language)
            self.following = True

    def _time(self) -> int:
        return int(self.platform.now())

    async def follow(self, scene: str | None = None) -> PushResult:
        await self.platform.control("follow", openid=self.openid, nickname=self.nickname, scene=scene,
                                    language=self.language)
        self.following = True
        key = {"event_key": f"qrscene_{scene}", "ticket": "t"} if scene else {}
        return await self.platform.push(event(self.openid, "subscribe", create_time=self._time(), **key))

    async def scan(self, scene: str) -> PushResult:
        await self.platform.control("scan", openid=self.openid, scene=scene)
        self.following = True
        return await self.platform.push(event(self.openid, "SCAN", create_time=self._time(), event_key=scene,
                                              ticket="t"))

    async def unfollow(self) -> PushResult:
        await self.platform.control("unfollow", openid=self.openid)
        self.following = False
        return await self.platform.push(event(self.openid, "unsubscribe", create_time=self._time()))

    def text_xml(self, content: str, msg_id: int | None = None) -> bytes:
        return text_message(self.openid, content, create_time=self._time(), msg_id=msg_id)

    async def say(self, content: str) -> PushResult:
        await self._ensure_following()
        await self.platform.control("user_message", openid=self.openid)
        return await self.platform.push(self.text_xml(content))

    async def send(self, msg_type: str, **fields) -> PushResult:
        await self._ensure_following()
        await self.platform.control("user_message", openid=self.openid)
        return await self.platform.push(message(self.openid, msg_type, create_time=self._time(), **fields))
