"""Signed, expiring links to stored media: `<public base URL>/media/<token>`, where the token carries
the media key and an expiry under an HMAC-SHA256 of both (MEDIA_URL_KEY). Nobody without the key can
make one, change the medium or the expiry of one, or reach a medium by its id alone.

Token: `<key, 32 bytes base64url>.<expiry, unix seconds>.<HMAC, base64url>`. A link that names a file
(`/media/<token>/<file name>`, a document sent to a guest: served as a download under that name) has the
name under the HMAC too, so it cannot be renamed either.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

from core.clock import Clock

_PURPOSE = b"wechat-bridge media link\x00"  # so that no other HMAC under the same key is a valid token
_MAX_TOKEN = 120  # 43 + 1 + 10 + 1 + 43 = 98 until the year 2286


class LinkRefused(Exception):
    """The token is not one we made, or was altered (403)."""


class LinkExpired(LinkRefused):
    """A token we made, past its expiry (410)."""


@dataclass(frozen=True)
class MediaLinks:
    secret: bytes
    base_url: str  # the app's public address, no trailing slash
    clock: Clock

    def url(self, key: str, ttl_seconds: int, *, filename: str = "") -> str:
        """The address a Teams client (or a guest) fetches the medium `key` from, for `ttl_seconds`;
        with `filename`, it is downloaded under that name."""
        token = self.token(key, int(self.clock.now()) + ttl_seconds, filename)
        return f"{self.base_url}/media/{token}" + (f"/{quote(filename, safe='')}" if filename else "")

    def token(self, key: str, expires_at: int, filename: str = "") -> str:
        digest = bytes.fromhex(key)
        return f"{_b64(digest)}.{expires_at}.{_b64(self._mac(digest, expires_at, filename))}"

    def key(self, token: str, filename: str = "") -> str:
        """The media key a token names: LinkRefused if it is not ours intact, LinkExpired if it is past."""
        parts = token.split(".") if len(token) <= _MAX_TOKEN else []
        if len(parts) != 3 or not _canonical_number(parts[1]):
            raise LinkRefused("not a media token")
        digest, mac, expires_at = _unb64(parts[0]), _unb64(parts[2]), int(parts[1])
        if len(digest) != 32 or not hmac.compare_digest(mac, self._mac(digest, expires_at, filename)):
            raise LinkRefused("not a media token")
        if self.clock.now() >= expires_at:
            raise LinkExpired("the media link has expired")
        return digest.hex()

    def _mac(self, digest: bytes, expires_at: int, filename: str = "") -> bytes:
        named = b"\x00" + filename.encode() if filename else b""  # a link without a name signs what it always did
        return hmac.new(self.secret, _PURPOSE + digest + str(expires_at).encode() + named, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """The bytes `text` encodes, b"" unless it is exactly what _b64 makes of them (one token per link)."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""
    return raw if _b64(raw) == text else b""


def _canonical_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and str(int(text)) == text
