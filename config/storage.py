"""Where the documents are kept (STORAGE): a SQLite file, or Cosmos DB (COSMOS_*, with its key or the
deployment's identity: COSMOS_AUTH, AZURE_CLIENT_ID)."""
from __future__ import annotations

from typing import Any

from config.env import Env, Secret, choice, text

STORAGE_KINDS = ("sqlite", "cosmos")
COSMOS_AUTHS = ("key", "identity")  # COSMOS_KEY, or the deployment's Microsoft Entra identity (AZURE_CLIENT_ID)


def storage_settings(env: Env, problems: list[str]) -> dict[str, Any]:
    """Settings' storage fields."""
    storage = choice(env, "STORAGE", "sqlite", STORAGE_KINDS, problems)
    cosmos_endpoint = text(env, "COSMOS_ENDPOINT")
    cosmos_key = Secret(text(env, "COSMOS_KEY"))
    cosmos_auth = choice(env, "COSMOS_AUTH", "key", COSMOS_AUTHS, problems)
    if storage == "cosmos":
        if not cosmos_endpoint:
            problems.append("COSMOS_ENDPOINT: required with STORAGE=cosmos")
        elif not cosmos_endpoint.startswith("https://"):
            problems.append(f"COSMOS_ENDPOINT: must be an https URL, got {cosmos_endpoint!r}")
        if cosmos_auth == "key" and not cosmos_key:
            problems.append("COSMOS_KEY: required with STORAGE=cosmos (or COSMOS_AUTH=identity)")
    return {"storage": storage, "sqlite_path": text(env, "SQLITE_PATH", "data/bridge.sqlite3"),
            "cosmos_endpoint": cosmos_endpoint, "cosmos_key": cosmos_key, "cosmos_auth": cosmos_auth,
            "azure_client_id": text(env, "AZURE_CLIENT_ID"),
            "cosmos_database": text(env, "COSMOS_DATABASE", "wechat-bridge")}
