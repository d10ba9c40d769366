"""Storage backends of `core.storage.Storage`: SQLite (default) and Azure Cosmos DB."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.storage import Storage

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

KINDS = ("sqlite", "cosmos")


def open_storage(
    kind: str,
    *,
    sqlite_path: str,
    cosmos_endpoint: str | None,
    cosmos_key: str | None,
    cosmos_database: str | None,
    cosmos_verify: bool | None = None,
    cosmos_credential: "AsyncTokenCredential | None" = None,
) -> Storage:
    """The configured backend, not opened yet: the caller awaits `.open()` (and `.close()`). Cosmos DB takes
    its account key, or `cosmos_credential` (a Microsoft Entra identity: adapters/azure_identity.py), which
    the storage then owns and closes."""
    # Backends are imported here so that importing this package stays light (no azure-cosmos
    # unless it is used).
    if kind == "sqlite":
        from .sqlite import SqliteStorage

        return SqliteStorage(sqlite_path)
    if kind == "cosmos":
        given = (("cosmos_endpoint", cosmos_endpoint), ("cosmos_database", cosmos_database),
                 ("cosmos_key or cosmos_credential", cosmos_key or cosmos_credential))
        missing = [name for name, value in given if not value]
        if missing:
            raise ValueError(f"storage 'cosmos' needs {', '.join(missing)}")
        from .cosmos import CosmosStorage

        assert cosmos_endpoint and cosmos_database
        return CosmosStorage(cosmos_endpoint, cosmos_key or "", cosmos_database, connection_verify=cosmos_verify,
                             credential=cosmos_credential)
    raise ValueError(f"unknown storage kind {kind!r}; expected one of {KINDS}")


class StorageSettings(Protocol):
    """What config.settings.Settings says of the storage (adapters do not import config)."""

    @property
    def storage(self) -> str: ...

    @property
    def sqlite_path(self) -> str: ...

    @property
    def cosmos_endpoint(self) -> str: ...

    @property
    def cosmos_key(self) -> str: ...

    @property
    def cosmos_auth(self) -> str: ...

    @property
    def cosmos_database(self) -> str: ...

    @property
    def azure_client_id(self) -> str: ...


def configured_storage(settings: StorageSettings) -> Storage:
    """The storage the settings name (STORAGE, COSMOS_* …), not opened yet."""
    credential = None
    if settings.storage == "cosmos" and settings.cosmos_auth == "identity":
        from adapters.azure_identity import azure_credential

        credential = azure_credential(settings.azure_client_id)
    return open_storage(settings.storage, sqlite_path=settings.sqlite_path, cosmos_endpoint=settings.cosmos_endpoint,
                        cosmos_key=str(settings.cosmos_key), cosmos_database=settings.cosmos_database,
                        cosmos_credential=credential)
