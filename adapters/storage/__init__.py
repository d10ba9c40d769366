"""Storage backends of `core.storage.Storage`: SQLite (default) and Azure Cosmos DB."""
from __future__ import annotations

from core.storage import Storage

KINDS = ("sqlite", "cosmos")


def open_storage(
    kind: str,
    *,
    sqlite_path: str,
    cosmos_endpoint: str | None,
    cosmos_key: str | None,
    cosmos_database: str | None,
    cosmos_verify: bool | None = None,
) -> Storage:
    """The configured backend, not opened yet: the caller awaits `.open()` (and `.close()`)."""
    # Backends are imported here so that importing this package stays light (no azure-cosmos
    # unless it is used).
    if kind == "sqlite":
        from .sqlite import SqliteStorage

        return SqliteStorage(sqlite_path)
    if kind == "cosmos":
        if not (cosmos_endpoint and cosmos_key and cosmos_database):
            missing = [name for name, value in (("cosmos_endpoint", cosmos_endpoint), ("cosmos_key", cosmos_key),
                                                ("cosmos_database", cosmos_database)) if not value]
            raise ValueError(f"storage 'cosmos' needs {', '.join(missing)}")
        from .cosmos import CosmosStorage

        return CosmosStorage(cosmos_endpoint, cosmos_key, cosmos_database, connection_verify=cosmos_verify)
    raise ValueError(f"unknown storage kind {kind!r}; expected one of {KINDS}")
