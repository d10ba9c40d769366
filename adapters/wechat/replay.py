"""Replay guard for webhook pushes: a (timestamp, nonce) pair is good for one body only.

In plaintext mode WeChat's signature covers token, timestamp and nonce but not the body, so a
captured URL could carry a forged body for as long as the timestamp is fresh. We remember each
pair with a digest of its body: the same pair with the same body is WeChat retrying (let the
message dedup handle it), the same pair with another body is a replay and is refused.
"""
from __future__ import annotations

import hashlib

from core.clock import Clock
from core.storage import NONCES, NonceRecord, Storage


class NonceGuard:
    def __init__(self, storage: Storage, clock: Clock, window_seconds: float) -> None:
        self.storage = storage
        self.clock = clock
        self.window_seconds = window_seconds

    def record(self, timestamp: str, nonce: str, body: bytes) -> NonceRecord:
        """The pair's record, to create in the same write as the push's job (Storage.create_job), which says
        whether the pair was seen with another body (a replay) or this one (WeChat retrying)."""
        key = f"{timestamp}:{nonce}"
        return NonceRecord(key, hashlib.sha256(body).hexdigest(), self.clock.now() + 2 * self.window_seconds)

    async def purge(self, limit: int = 500) -> int:
        """Forget pairs whose timestamps can no longer pass the freshness check."""
        items = await self.storage.query(NONCES, at_most=("expires_at", self.clock.now()), limit=limit)
        for item in items:
            try:
                await self.storage.delete(NONCES, item.pk, item.id)
            except Exception:  # noqa: BLE001 - purging is housekeeping: a lost race is harmless
                pass
        return len(items)
