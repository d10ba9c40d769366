"""Media store backends of `core.media_store.MediaStore`: local files (default) and Azure Blob Storage."""
from __future__ import annotations

from typing import Protocol

from core.media_store import MediaStore


class MediaStoreSettings(Protocol):
    """What config.media.MediaSettings says of the store (adapters do not import config)."""

    @property
    def store(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def blob_connection_string(self) -> object:  # a Secret: str() gives it
        ...

    @property
    def blob_container(self) -> str: ...

KINDS = ("files", "blob")


def open_media_store(kind: str, *, path: str, blob_connection_string: str, blob_container: str) -> MediaStore:
    """The configured backend, not opened yet: the caller awaits `.open()` (and `.close()`)."""
    # Imported here so that importing this package stays light (no azure-storage-blob unless it is used).
    if kind == "files":
        from .files import FileMediaStore

        return FileMediaStore(path)
    if kind == "blob":
        if not (blob_connection_string and blob_container):
            raise ValueError("media store 'blob' needs a connection string and a container")
        from .blob import BlobMediaStore

        return BlobMediaStore(blob_connection_string, blob_container)
    raise ValueError(f"unknown media store kind {kind!r}; expected one of {KINDS}")


def configured_media_store(settings: MediaStoreSettings) -> MediaStore:
    """The media store the settings name (MEDIA_STORE …), not opened yet."""
    return open_media_store(settings.store, path=settings.path,
                            blob_connection_string=str(settings.blob_connection_string),
                            blob_container=settings.blob_container)
