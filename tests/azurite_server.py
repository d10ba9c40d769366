"""Runs Azurite's Blob service (npm `azurite`, Microsoft's emulator, see package.json) for tests, on
127.0.0.1, keeping its data in a folder of the test session's."""
from __future__ import annotations

import json
from pathlib import Path

from tests.process_group import ROOT, ServerChild

PACKAGE = ROOT / "node_modules" / "azurite"
# Azurite's well-known development account and key (public, the same in every installation).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


class AzuriteError(RuntimeError):
    pass


class AzuriteServer(ServerChild):
    name = "azurite-blob"
    error = AzuriteError

    def __init__(self, workspace: Path) -> None:
        super().__init__(workspace / "azurite.log")
        self.workspace = workspace

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
                f"BlobEndpoint=http://{self.host}:{self.port}/{ACCOUNT};")

    def command(self) -> list[str]:
        manifest = PACKAGE / "package.json"
        if not manifest.is_file():
            raise AzuriteError(f"{PACKAGE.relative_to(ROOT)} is missing: run ./scripts/setup.sh dev "
                               "to install the Blob Storage emulator the tests need")
        script = PACKAGE / json.loads(manifest.read_text())["bin"]["azurite-blob"]
        # --skipApiVersionCheck: the Python SDK may speak a newer API version than this Azurite knows.
        return [str(script), "--blobHost", self.host, "--blobPort", str(self.port), "--location",
                str(self.workspace), "--silent", "--skipApiVersionCheck", "--disableTelemetry"]
