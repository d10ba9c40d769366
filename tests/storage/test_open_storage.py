"""The backend factory used by app.py."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from adapters.storage import open_storage

ROOT = Path(__file__).resolve().parents[2]
NO_COSMOS = dict(cosmos_endpoint=None, cosmos_key=None, cosmos_database=None)


async def test_sqlite_is_returned_unopened(tmp_path):
    from adapters.storage.sqlite import SqliteStorage

    path = tmp_path / "sub" / "bridge.sqlite3"
    storage = open_storage("sqlite", sqlite_path=str(path), **NO_COSMOS)
    assert isinstance(storage, SqliteStorage)
    assert not path.exists()
    await storage.open()
    try:
        assert path.exists()
    finally:
        await storage.close()


def test_cosmos_is_built_from_its_settings():
    from adapters.storage.cosmos import CosmosStorage

    storage = open_storage("cosmos", sqlite_path="unused", cosmos_endpoint="https://example.invalid:443/",
                           cosmos_key="a2V5", cosmos_database="db", cosmos_verify=False)
    assert isinstance(storage, CosmosStorage)
    assert (storage.endpoint, storage.database, storage.connection_verify) == (
        "https://example.invalid:443/", "db", False)
    assert "a2V5" not in repr(storage)


@pytest.mark.parametrize("missing", ["cosmos_endpoint", "cosmos_key", "cosmos_database"])
def test_cosmos_needs_endpoint_key_and_database(missing):
    settings = dict(cosmos_endpoint="https://example.invalid/", cosmos_key="a2V5", cosmos_database="db")
    settings[missing] = ""
    with pytest.raises(ValueError, match=missing):
        open_storage("cosmos", sqlite_path="unused", **settings)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="mongo"):
        open_storage("mongo", sqlite_path="x", **NO_COSMOS)


def test_importing_the_package_loads_no_backend():
    # A fresh interpreter: this test session has imported both backends already.
    code = ("import sys, adapters.storage; print(sorted(m for m in "
            "('azure.cosmos', 'adapters.storage.sqlite', 'adapters.storage.cosmos') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
