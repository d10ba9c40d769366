"""WeChat's "safe mode" message encryption (the WXBizMsgCrypt scheme), on the `cryptography` package.

AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
32-byte blocks. Plaintext = 16 random bytes + 4-byte big-endian XML length + XML + appid.
During a key rotation both keys are configured: decrypt tries each, encrypt uses the first.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
import struct
from typing import Sequence

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16
_KEY_CHARS = re.compile(r"[A-Za-z0-9+/]{43}")


class CryptoError(ValueError):
    """The message does not decrypt to a valid payload for this account.

    The message stays generic on purpose (no padding-vs-appid detail that could serve as an
    oracle if it reached a response); `reasons` has the per-key detail for logs and tests.
    """

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = tuple(reasons)


def _aes_key(encoding_aes_key: str, position: int) -> bytes:
    name = "WECHAT_ENCODING_AES_KEY" + ("" if position == 0 else f" (key {position + 1})")
    if not isinstance(encoding_aes_key, str) or len(encoding_aes_key) != 43:
        length = len(encoding_aes_key) if isinstance(encoding_aes_key, str) else "no"
        raise ValueError(f"{name} must be 43 characters, got {length}")
    if not _KEY_CHARS.fullmatch(encoding_aes_key):
        raise ValueError(f"{name} must contain only letters, digits, '+' and '/'")
    return base64.b64decode(encoding_aes_key + "=")


class WeChatCrypto:
    def __init__(self, token: str, encoding_aes_keys: Sequence[str] | str, app_id: str) -> None:
        if isinstance(encoding_aes_keys, str):  # one key given bare: do not iterate its characters
            encoding_aes_keys = (encoding_aes_keys,)
        keys = [_aes_key(k, i) for i, k in enumerate(encoding_aes_keys)]
        if not keys:
            raise ValueError("WECHAT_ENCODING_AES_KEY is required for safe mode")
        if not app_id:
            raise ValueError("WECHAT_APP_ID is required for safe mode")
        self.token = token
        self.app_id = app_id
        self._app_id_bytes = app_id.encode("utf-8")
        self._keys = keys

    def __repr__(self) -> str:  # never show keys
        return f"WeChatCrypto(app_id={self.app_id!r}, keys={len(self._keys)})"

    def encrypt(self, xml: bytes, random16: bytes | None = None) -> str:
        if isinstance(xml, str):
            xml = xml.encode("utf-8")
        random16 = os.urandom(16) if random16 is None else random16
        if len(random16) != 16:
            raise ValueError("random16 must be 16 bytes")
        plain = random16 + struct.pack(">I", len(xml)) + xml + self._app_id_bytes
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        key = self._keys[0]
        encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypt_b64: str) -> bytes:
        """The XML inside `<Encrypt>`; CryptoError if no configured key yields a valid payload."""
        try:
            data = base64.b64decode(encrypt_b64, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise CryptoError("cannot decrypt the message", ["not base64"]) from None
        if not data or len(data) % 16:
            raise CryptoError("cannot decrypt the message", ["not a whole number of AES blocks"])
        reasons = []
        for position, key in enumerate(self._keys):
            decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
            plain = decryptor.update(data) + decryptor.finalize()
            xml, reason = self._unwrap(plain)
            if xml is not None:
                return xml
            reasons.append(f"key {position + 1}: {reason}")
        raise CryptoError("cannot decrypt the message", reasons)

    def _unwrap(self, plain: bytes) -> tuple[bytes | None, str]:
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or pad > len(plain) or plain[-pad:] != bytes([pad]) * pad:
            return None, "bad padding"
        body = plain[:-pad]
        if len(body) < 20:
            return None, "too short"
        (length,) = struct.unpack(">I", body[16:20])
        if 20 + length > len(body):
            return None, "bad length"
        if not hmac.compare_digest(body[20 + length:], self._app_id_bytes):
            return None, "appid mismatch"
        return body[20:20 + length], ""
