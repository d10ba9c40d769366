"""The deployment's Microsoft Entra identity, for the Azure services that take it instead of a key (Cosmos DB
with COSMOS_AUTH=identity, Blob Storage with MEDIA_BLOB_ACCOUNT_URL)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential


def azure_credential(client_id: str = "") -> "AsyncTokenCredential":
    """On Azure, the user-assigned managed identity `client_id` names (AZURE_CLIENT_ID); elsewhere whatever
    DefaultAzureCredential's chain finds (a developer's `az login`, workload identity). The caller closes it."""
    from azure.identity.aio import DefaultAzureCredential  # imported when used: azure-identity is heavy

    return DefaultAzureCredential(managed_identity_client_id=client_id or None)
