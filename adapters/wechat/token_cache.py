"""One WeChat access token for the whole deployment, shared through storage.

Every fetch of a new token can knock out the one other instances hold, so instances must not
refresh on their own. The token lives in one storage document; whoever refreshes first takes a
lease on that document (a compare-and-swap on its ETag), fetches, writes the token and drops
the lease. The others wait and read the result. A lease holder that dies is waited for until
its lease runs out, then another instance takes over.

The document ("kv" container, pk = id = "wechat-token:<appid>"):
    token, expires_at (epoch seconds), force_refresh, lease_owner, lease_until, fetched_by
Neither the token nor the secret is ever logged.
"""
from __future__ import annotations

import asyncio
import logging
import random
import uuid
from typing import Any, Awaitable, Callable

from adapters.wechat.errors import WeChatTransportError
from core.clock import Clock
from core.storage import KV, Conflict, Item, NotFound, PreconditionFailed, Storage, StorageError

log = logging.getLogger(__name__)


Fetch = Callable[[bool], Awaitable[tuple[str, int]]]  # force_refresh -> (token, expires_in seconds)
Sleep = Callable[[float], Awaitable[Any]]


class TokenCache:
    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        fetch: Fetch,
        *,
        app_id: str,
        instance_id: str,
        lease_seconds: float = 10,
        margin_seconds: float = 300,
        sleep: Sleep = asyncio.sleep,
        max_wait_seconds: float | None = None,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.fetch = fetch
        self.app_id = app_id
        # Without an id of its own, an instance would take another's lease for its own.
        self.instance_id = instance_id or f"instance-{uuid.uuid4().hex[:12]}"
        self.lease_seconds = lease_seconds
        self.margin_seconds = margin_seconds
        self.sleep = sleep
        # How long to wait for another instance's refresh before giving up (transient error).
        self.max_wait_seconds = 3 * lease_seconds if max_wait_seconds is None else max_wait_seconds
        self.key = f"wechat-token:{app_id}"
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()  # one refresher per process; the lease makes it one per deployment

    def __repr__(self) -> str:
        return f"TokenCache(app_id={self.app_id!r}, instance_id={self.instance_id!r})"

    def _usable(self, token: Any, expires_at: Any, now: float) -> bool:
        return isinstance(token, str) and bool(token) and now < float(expires_at or 0) - self.margin_seconds

    def _memory(self) -> str | None:
        if self._usable(self._token, self._expires_at, self.clock.now()):
            return self._token
        return None

    async def get(self) -> str:
        token = self._memory()
        if token:
            return token
        async with self._lock:
            token = self._memory()  # another task of this process may have refreshed meanwhile
            if token:
                return token
            return await self._shared()

    async def invalidate(self, bad_token: str) -> None:
        """WeChat refused `bad_token` (40001/40014/42001): drop it, unless someone already replaced it."""
        async with self._lock:
            if self._token == bad_token:
                self._token, self._expires_at = None, 0.0
            for _ in range(5):
                item = await self.storage.get(KV, self.key, self.key)
                if item is None or item.body.get("token") != bad_token:
                    return  # already replaced: that newer token is not known to be bad
                body = {**item.body, "token": None, "expires_at": 0, "force_refresh": True}
                try:
                    await self.storage.replace(KV, self.key, self.key, body, etag=item.etag)
                    log.info("wechat access token invalidated by %s; next fetch forces a refresh", self.instance_id)
                    return
                except PreconditionFailed:
                    continue  # the document changed under us: look again
                except NotFound:
                    return

    async def _shared(self) -> str:
        attempt, waited = 0, 0.0
        while True:
            item = await self.storage.get(KV, self.key, self.key)
            body = dict(item.body) if item else {}
            now = self.clock.now()
            if self._usable(body.get("token"), body.get("expires_at"), now):
                self._token, self._expires_at = body["token"], float(body["expires_at"])
                return body["token"]
            owner = body.get("lease_owner")
            if owner and owner != self.instance_id and float(body.get("lease_until") or 0) > now:
                waited = await self._wait(attempt, waited)  # another instance is refreshing
                attempt += 1
                continue
            leased_body = {**body, "lease_owner": self.instance_id, "lease_until": now + self.lease_seconds}
            try:
                if item is None:
                    leased = await self.storage.create(KV, self.key, self.key, leased_body)
                else:
                    leased = await self.storage.replace(KV, self.key, self.key, leased_body, etag=item.etag)
            except (Conflict, PreconditionFailed, NotFound):
                waited = await self._wait(attempt, waited)  # someone else got there first
                attempt += 1
                continue
            token = await self._refresh(leased)
            if token is not None:
                return token
            # Our lease ran out during the fetch and another instance took over: read what it wrote.

    async def _refresh(self, leased: Item) -> str | None:
        force = bool(leased.body.get("force_refresh"))
        try:
            # Never act after our lease has run out: past it, another instance may be refreshing too.
            async with asyncio.timeout(self.lease_seconds):
                token, expires_in = await self.fetch(force)
        except TimeoutError:
            await self._release(leased)
            raise WeChatTransportError("fetching the WeChat access token took longer than the lease") from None
        except BaseException:
            await self._release(leased)
            raise
        now = self.clock.now()
        expires_at = now + float(expires_in)
        body = {
            "token": token,
            "expires_at": expires_at,
            "force_refresh": False,
            "lease_owner": None,
            "lease_until": 0,
            "fetched_by": self.instance_id,
            "fetched_at": now,
        }
        try:
            await self.storage.replace(KV, self.key, self.key, body, etag=leased.etag)
        except (PreconditionFailed, NotFound):
            log.warning("wechat token lease of %s expired during the fetch; using the shared result", self.instance_id)
            return None
        log.info("wechat access token refreshed by %s (force_refresh=%s, valid %ss)", self.instance_id, force,
                 expires_in)
        self._token, self._expires_at = token, expires_at
        return token

    async def _release(self, leased: Item) -> None:
        body = {**leased.body, "lease_owner": None, "lease_until": 0}
        try:
            await self.storage.replace(KV, self.key, self.key, body, etag=leased.etag)
        except StorageError:
            pass  # best effort: the lease runs out by itself

    async def _wait(self, attempt: int, waited: float) -> float:
        # Bounded exponential backoff with jitter, so waiters do not read in lockstep.
        delay = min(0.05 * 2**attempt, 1.0) * (0.5 + random.random() / 2)
        if waited + delay > self.max_wait_seconds:
            raise WeChatTransportError("another instance holds the WeChat token lease for too long")
        await self.sleep(delay)
        return waited + delay
