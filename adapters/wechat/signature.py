"""WeChat's request signatures: SHA-1 of the sorted, concatenated parts, compared in constant time."""
from __future__ import annotations

import hashlib
import hmac


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def _same(expected: str, given: object) -> bool:
    if not isinstance(given, str):
        return False
    # Compare bytes: compare_digest on str raises TypeError for non-ASCII input (attacker-chosen).
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8"))


def verify_signature(token: str, timestamp: str, nonce: str, signature: str) -> bool:
    """`signature` of the server-URL check and of every push: sorted [token, timestamp, nonce]."""
    return _same(sign(token, timestamp, nonce), signature)


def verify_msg_signature(token: str, timestamp: str, nonce: str, encrypt: str, msg_signature: str) -> bool:
    """Safe mode's `msg_signature`: sorted [token, timestamp, nonce, Encrypt]."""
    return _same(sign(token, timestamp, nonce, encrypt), msg_signature)
