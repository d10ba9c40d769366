"""Blob Storage with the deployment's Microsoft Entra identity (MEDIA_BLOB_ACCOUNT_URL, no account key),
against Azurite checking bearer tokens (`--oauth basic`: issuer, audience, times; not signatures): a medium
is put (its blocks, then the copy to its key, whose source is read with the identity's token too), read back
and deleted; a token for another audience is refused. Not shown here: Azure authorizes a copy's source apart from
its target, which is why the copy carries the identity's token for its source (adapters/media/blob.py); Azurite
does not ask for it within one account, so this test passes with or without it."""
from __future__ import annotations

import hashlib
import time

import jwt
import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError

from adapters.media.blob import STORAGE_SCOPE, BlobMediaStore
from tests.media.streams import chunked

TENANT = "ab1f708d-50f6-404c-a006-d71b2ac7a606"
DATA = bytes(range(256)) * 3000  # over a block of the test's: several blocks, then the copy


class Identity:
    """An AsyncTokenCredential as a managed identity is: tokens for the scope asked, here unsigned (Azurite does
    not check signatures); `audience` to make a wrong one."""

    def __init__(self, audience: str = "https://storage.azure.com") -> None:
        self.audience = audience
        self.scopes: list[str] = []
        self.closed = False

    async def get_token(self, *scopes: str, **kwargs) -> AccessToken:
        self.scopes.extend(scopes)
        now = int(time.time())
        claims = {"iss": f"https://sts.windows.net/{TENANT}/", "aud": self.audience, "tid": TENANT,
                  "iat": now - 60, "nbf": now - 60, "exp": now + 3600}
        return AccessToken(jwt.encode(claims, "k" * 32, algorithm="HS256"), now + 3600)

    async def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def azurite_oauth(tmp_path_factory):
    from tests.azurite_server import AzuriteOAuthServer
    from tests.process_group import serving

    with serving(AzuriteOAuthServer(tmp_path_factory.mktemp("azurite-oauth"))) as server:
        yield server.account_url


async def test_with_an_identity_a_medium_is_put_read_and_deleted(azurite_oauth):
    identity = Identity()
    store = BlobMediaStore("", "media", account_url=azurite_oauth, credential=identity, block_bytes=256 * 1024,
                           connection_verify=False)  # the emulator's certificate is its own
    await store.open()
    try:
        stored = await store.put(chunked(DATA), content_type="image/png", max_bytes=len(DATA))
        assert stored.key == hashlib.sha256(DATA).hexdigest()
        medium = await store.get(stored.key)
        assert b"".join([chunk async for chunk in medium.chunks]) == DATA
        assert await store.delete(stored.key) and not await store.exists(stored.key)
    finally:
        await store.close()
    assert set(identity.scopes) == {STORAGE_SCOPE} and identity.closed


async def test_a_token_for_another_audience_is_refused(azurite_oauth):
    store = BlobMediaStore("", "media", account_url=azurite_oauth, credential=Identity("https://vault.azure.net"),
                           connection_verify=False)
    try:
        with pytest.raises(ClientAuthenticationError):
            await store.open()
    finally:
        await store.close()
