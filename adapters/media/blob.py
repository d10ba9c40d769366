"""Media in Azure Blob Storage (`azure-storage-blob`'s async client): one blob per key, named by it,
the content type as the blob's.

The key is known only once the last byte has passed, so a stream is uploaded in blocks (staged, then
committed: memory holds one block) to `incoming/<random>`, then copied server-side to its key and the
incoming blob deleted. A blob appears under a key only when its copy is complete; a crash leaves an
incoming blob (or uncommitted blocks, which Azure drops after a week), never part of a medium under a key.
"""
from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterable

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import BlobBlock, BlobProperties, ContentSettings
from azure.storage.blob.aio import BlobServiceClient

from core.media_store import Media, MediaStoreError, StoredMedia, Tally, check_content_type, is_key

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential
    from azure.storage.blob.aio import BlobClient

BLOCK_BYTES = 1024 * 1024  # what memory holds of a stream (Azure allows 50,000 blocks: 48 GiB a medium)
READ_CHUNK_BYTES = 1024 * 1024
INCOMING = "incoming/"
COPY_FIRST_POLL_SECONDS = 0.05  # doubled up to a second
COPY_TIMEOUT_SECONDS = 60.0
STORAGE_SCOPE = "https://storage.azure.com/.default"


class BlobMediaStore:
    def __init__(self, connection_string: str, container: str, *, account_url: str = "",
                 credential: AsyncTokenCredential | None = None, block_bytes: int = BLOCK_BYTES,
                 read_chunk_bytes: int = READ_CHUNK_BYTES, connection_verify: bool = True) -> None:
        """With a connection string (the account key), or `account_url` and a Microsoft Entra identity
        (`credential`, owned: closed with the store)."""
        # Downloads in chunks of read_chunk_bytes, the first included (the SDK's default reads 32 MB at once).
        sizes: dict[str, Any] = {"max_single_get_size": read_chunk_bytes, "max_chunk_get_size": read_chunk_bytes,
                                 "connection_verify": connection_verify}
        self._credential = credential
        self._service = BlobServiceClient(account_url, credential=credential, **sizes) if credential \
            else BlobServiceClient.from_connection_string(connection_string, **sizes)
        self._container = self._service.get_container_client(container)
        self._block_bytes = block_bytes

    async def open(self) -> None:
        try:
            await self._container.create_container()
        except ResourceExistsError:
            pass

    async def close(self) -> None:
        await self._service.close()
        if self._credential is not None:
            await self._credential.close()

    def _blob(self, name: str) -> BlobClient:
        return self._container.get_blob_client(name)

    async def put(self, chunks: AsyncIterable[bytes], *, content_type: str, max_bytes: int) -> StoredMedia:
        check_content_type(content_type)
        tally = Tally(max_bytes)
        incoming = self._blob(f"{INCOMING}{uuid.uuid4().hex}")
        blocks: list[BlobBlock] = []
        async for block in _blocks(chunks, self._block_bytes):
            tally.add(block)  # TooLarge before the block is sent; what was staged is never committed
            blocks.append(BlobBlock(f"{len(blocks):06d}"))
            await incoming.stage_block(blocks[-1].id, block)
        existing = await self._stored(tally.key)
        if existing is not None:
            return existing
        await incoming.commit_block_list(blocks, content_settings=ContentSettings(content_type=content_type))
        try:
            await self._copy(incoming, self._blob(tally.key))
        finally:
            await incoming.delete_blob()
        return StoredMedia(tally.key, tally.size, content_type)

    async def _copy(self, source: BlobClient, target: BlobClient) -> None:
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + COPY_TIMEOUT_SECONDS, COPY_FIRST_POLL_SECONDS
        copied = await target.start_copy_from_url(source.url, **await self._source_authorization())
        status = str(copied["copy_status"])
        while status == "pending":  # a copy within an account is usually done at once
            if loop.time() > deadline:
                raise MediaStoreError(f"the copy to {target.blob_name} still pending after {COPY_TIMEOUT_SECONDS} s")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)
            status = str((await target.get_blob_properties()).copy.status)
        if status != "success":
            raise MediaStoreError(f"the copy to {target.blob_name} ended {status}")

    async def _source_authorization(self) -> dict[str, Any]:
        """What a copy needs to read its source: nothing with the account key; with an identity, its token
        (Azure authorizes a copy's source apart from its target), which only a synchronous copy takes (up to
        256 MiB: far above any medium kept)."""
        if self._credential is None:
            return {}
        token = await self._credential.get_token(STORAGE_SCOPE)
        return {"requires_sync": True, "source_authorization": f"Bearer {token.token}"}

    async def _stored(self, key: str) -> StoredMedia | None:
        try:
            properties = await self._blob(key).get_blob_properties()
        except ResourceNotFoundError:
            return None
        return _stored_media(key, properties)

    async def get(self, key: str, *, offset: int = 0) -> Media | None:
        if not is_key(key) or (info := await self._stored(key)) is None:
            return None
        return Media(info, self._read(key, offset, info.size))

    async def _read(self, key: str, offset: int, size: int) -> AsyncGenerator[bytes, None]:
        # Downloaded from the first chunk on, so that a Media never read holds nothing open.
        if offset >= size:  # nothing left (Azure refuses a range that starts at the end)
            return
        downloader = await self._blob(key).download_blob(offset=offset or None)
        async for chunk in downloader.chunks():
            yield chunk

    async def exists(self, key: str) -> bool:
        return is_key(key) and await self._stored(key) is not None

    async def delete(self, key: str) -> bool:
        if not is_key(key):
            return False
        try:
            await self._blob(key).delete_blob()
        except ResourceNotFoundError:
            return False
        return True


def _stored_media(key: str, properties: BlobProperties) -> StoredMedia | None:
    """What a blob holds, None while its copy is still under way (or failed): not a medium yet."""
    if properties.copy.status not in (None, "success"):
        return None
    return StoredMedia(key, properties.size, properties.content_settings.content_type or "application/octet-stream")


async def _blocks(chunks: AsyncIterable[bytes], size: int) -> AsyncGenerator[bytes, None]:
    """The stream regrouped into blocks of `size` bytes (the last one shorter), whatever its chunks."""
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)
