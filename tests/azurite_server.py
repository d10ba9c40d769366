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


class AzuriteOAuthServer(AzuriteServer):
    """Azurite over HTTPS (a certificate made for 127.0.0.1 at start) checking bearer tokens as Azure does in
    `--oauth basic`: issuer, audience (Storage's), times; not their signature. For the identity path."""

    name = "azurite-blob-oauth"

    @property
    def account_url(self) -> str:
        return f"https://{self.host}:{self.port}/{ACCOUNT}"

    def command(self) -> list[str]:
        cert, key = self_signed(self.workspace, self.host)
        return [*super().command(), "--oauth", "basic", "--cert", str(cert), "--key", str(key)]


def self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """A certificate and key for `host` (an IP address), valid a day: the emulator's HTTPS."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path
