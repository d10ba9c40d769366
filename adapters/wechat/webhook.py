"""The Official Account's server URL: verify, decrypt, parse, persist, acknowledge.

It decides nothing about the message: it hands a verified `WeChatInbound` to `accept`, which
persists it, and answers `success` only after that returned. Everything else happens later.
Anything else is refused with a 4xx and one log line, and nothing of it is stored.
"""
from __future__ import annotations

import logging
from typing import Awaitable, Protocol

from aiohttp import web

from adapters.http_body import BodyRefused, read_body
from adapters.wechat.crypto import CryptoError, WeChatCrypto
from adapters.wechat.replay import NonceGuard
from adapters.wechat.signature import verify_msg_signature, verify_signature
from adapters.wechat.xml import MalformedXml, parse_encrypted_envelope, parse_inbound
from core.clock import Clock
from core.inbound import WeChatInbound
from core.storage import REPLAYED, NonceRecord

log = logging.getLogger(__name__)


class Accept(Protocol):
    """services/inbound.py InboundService.accept: persists the push with its nonce record, in one write, and
    says whether the job was created (CREATED), was there (EXISTS) or the nonce was replayed (REPLAYED)."""

    def __call__(self, msg: WeChatInbound, *, nonce: NonceRecord | None = None) -> Awaitable[str]: ...


def _refuse(status: int, reason: str, request: web.Request) -> web.Response:
    # The query string holds signatures, never secrets, but there is no need to log it either.
    log.warning("wechat webhook refused %s from %s: %s", status, request.remote, reason)
    return web.Response(status=status, text=reason)


class WeChatWebhook:
    def __init__(
        self,
        *,
        token: str,
        crypto: WeChatCrypto | None,
        clock: Clock,
        nonces: NonceGuard | None,
        accept: Accept,
        max_body_bytes: int,
        max_skew_seconds: int,
        body_timeout_seconds: float = 10.0,
        original_id: str = "",
    ) -> None:
        self.token = token
        self.crypto = crypto
        self.clock = clock
        self.nonces = nonces
        self.accept = accept
        self.max_body_bytes = max_body_bytes
        self.max_skew_seconds = max_skew_seconds
        self.body_timeout_seconds = body_timeout_seconds
        self.original_id = original_id  # the account's gh_… id: a push to another is not for this URL; "": unchecked

    def _signed_and_fresh(self, request: web.Request) -> str | None:
        """None if the query's signature and timestamp hold, else why not."""
        q = request.query
        timestamp, nonce, signature = q.get("timestamp", ""), q.get("nonce", ""), q.get("signature", "")
        if not (timestamp and nonce and signature):
            return "missing signature, timestamp or nonce"
        if not verify_signature(self.token, timestamp, nonce, signature):
            return "bad signature"
        try:
            skew = abs(self.clock.now() - int(timestamp))
        except ValueError:
            return "bad timestamp"
        if skew > self.max_skew_seconds:
            return "stale timestamp"
        return None

    async def get(self, request: web.Request) -> web.Response:
        """WeChat's server-URL check: answer echostr verbatim when the signature holds."""
        problem = self._signed_and_fresh(request)
        if problem:
            return _refuse(403, problem, request)
        return web.Response(text=request.query.get("echostr", ""))

    async def post(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            return _refuse(413, "body too large", request)
        problem = self._signed_and_fresh(request)
        if problem:
            return _refuse(403, problem, request)
        try:
            body = await read_body(request, max_bytes=self.max_body_bytes, seconds=self.body_timeout_seconds)
        except BodyRefused as exc:
            return _refuse(exc.status, exc.reason, request)
        try:
            xml = self._plaintext(request, body)
            inbound = parse_inbound(xml)
        except PermissionError as exc:
            return _refuse(403, str(exc), request)
        except (MalformedXml, CryptoError) as exc:
            return _refuse(400, f"malformed message: {exc}", request)
        if self.original_id and inbound.to_user != self.original_id:
            return _refuse(403, "addressed to another Official Account", request)
        # The nonce record and the job in one write; a pair seen before is WeChat retrying (the job's id
        # finds the duplicate) if it came with this very body, else a replay.
        nonce = None if self.nonces is None else \
            self.nonces.record(request.query["timestamp"], request.query["nonce"], body)
        if await self.accept(inbound, nonce=nonce) == REPLAYED:
            return _refuse(403, "replayed nonce", request)
        return web.Response(text="success")

    def _plaintext(self, request: web.Request, body: bytes) -> bytes:
        encrypted = request.query.get("encrypt_type", "raw") == "aes"
        if self.crypto is None:
            if encrypted:
                raise MalformedXml("safe-mode message but WECHAT_ENCODING_AES_KEY is not set")
            return body
        if not encrypted:
            # With a key configured we accept only safe mode: plaintext bodies are not signed.
            raise PermissionError("plaintext message refused: the account runs in safe mode")
        envelope = parse_encrypted_envelope(body)
        q = request.query
        if not verify_msg_signature(self.token, q["timestamp"], q["nonce"], envelope, q.get("msg_signature", "")):
            raise PermissionError("bad msg_signature")
        return self.crypto.decrypt(envelope)
