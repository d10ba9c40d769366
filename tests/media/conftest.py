"""The media stores under test: local files in a temporary folder, and Blob Storage on Azurite."""
from __future__ import annotations

import uuid

import pytest

MEDIA_STORE_KINDS = ("files", "blob")


@pytest.fixture(scope="session")
def azurite(tmp_path_factory):
    """The connection string of Azurite's Blob service, started once per session on a free port.

    Fails (never skips) when it is not installed: CI must run the Blob Storage tests.
    """
    from tests.azurite_server import AzuriteServer
    from tests.process_group import serving

    with serving(AzuriteServer(tmp_path_factory.mktemp("azurite"))) as server:
        yield server.connection_string


@pytest.fixture(params=MEDIA_STORE_KINDS)
def make_media_store(request, tmp_path):
    """A factory of unopened media stores of each backend on the same fresh place (a folder, a container)."""
    if request.param == "files":
        from adapters.media.files import FileMediaStore

        return lambda: FileMediaStore(tmp_path / "media")
    from adapters.media.blob import BlobMediaStore

    connection_string = request.getfixturevalue("azurite")
    container = f"media-{uuid.uuid4().hex[:20]}"  # Azurite lives all session; each test its own container
    return lambda: BlobMediaStore(connection_string, container)


@pytest.fixture
async def media_store(make_media_store):
    store = make_media_store()
    await store.open()
    try:
        yield store
    finally:
        await store.close()
