"""Runs the local Cosmos DB server (npm `@vercel/cosmosdb-server`, see package.json) for tests.

`scripts/setup.sh dev` installs it and applies patches/ (reading a missing item must give 404, not 500).
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.process_group import ROOT, ServerChild

PACKAGE = ROOT / "node_modules" / "@vercel" / "cosmosdb-server"
# Any base64 string is accepted as the account key by the local server.
KEY = "dGVzdC1rZXktZm9yLXRoZS1sb2NhbC1jb3Ntb3MtZGItc2VydmVy"
# A line our patch adds; without it the server answers 500 for a missing item.
PATCH_MARKER = "patches/@vercel+cosmosdb-server+1.0.1.patch"


class CosmosServerError(RuntimeError):
    pass


def server_script() -> Path:
    """The package's bin, checked to be installed and patched; CosmosServerError says what to run."""
    manifest = PACKAGE / "package.json"
    if not manifest.is_file():
        raise CosmosServerError(
            f"{PACKAGE.relative_to(ROOT)} is missing: run ./scripts/setup.sh dev "
            "to install the local Cosmos DB server the tests need"
        )
    bin_field = json.loads(manifest.read_text())["bin"]
    script = PACKAGE / (bin_field if isinstance(bin_field, str) else bin_field["cosmosdb-server"])
    handler = PACKAGE / "lib" / "handler" / "read-document.js"
    if PATCH_MARKER not in handler.read_text():
        raise CosmosServerError(
            f"{handler.relative_to(ROOT)} is not patched: run ./scripts/setup.sh dev "
            "(or `npm run postinstall`: patch-package)"
        )
    return script


class CosmosServer(ServerChild):
    name = "cosmosdb-server"
    error = CosmosServerError

    @property
    def endpoint(self) -> str:
        return f"https://{self.host}:{self.port}/"

    def command(self) -> list[str]:
        return [str(server_script()), "--host", self.host, "--port", str(self.port)]
