"""The Bot Framework's token service as a bot sees it, on 127.0.0.1: the channel's OpenID metadata
and signing keys (what login.botframework.com publishes), and the tokens the Bot Connector puts in
the Authorization header of each activity it posts to the bot.

The keys are served by a thread of their own, not the test's event loop: the SDK fetches them with
blocking `requests`. `hold()` keeps the next fetch waiting until `release()` (or 5 s), to see that
the bot's event loop goes on meanwhile.
"""
from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
KID = "bf-test-key-1"
HOLD_AT_MOST_SECONDS = 5.0  # a held fetch is let go by then whatever happens, so no test can hang on it


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class BotFrameworkKeys:
    def __init__(self, key: rsa.RSAPrivateKey, *, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.key = key
        self.endorsements = endorsements
        self.fetches: list[str] = []  # paths requested, in order
        self.fetched = threading.Event()  # a request for the metadata came
        self._release = threading.Event()
        self._release.set()
        self.released_by_test: bool | None = None  # of the last held fetch
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),  # quick to shut down
                                        name="bot-framework-keys", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        return self.base_url + "/v1/.well-known/openidconfiguration"

    def start(self) -> "BotFrameworkKeys":
        self._thread.start()
        return self

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def hold(self) -> None:
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def _documents(self) -> dict[str, dict[str, Any]]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {
            "/v1/.well-known/openidconfiguration": {
                "issuer": ISSUER, "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": self.base_url + "/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"]},
            "/v1/.well-known/keys": {"keys": [{"kty": "RSA", "use": "sig", "kid": KID, "n": jwk["n"], "e": jwk["e"],
                                              "endorsements": list(self.endorsements)}]},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        keys = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                keys.fetches.append(self.path)
                if self.path.endswith("openidconfiguration"):
                    keys.fetched.set()
                    keys.released_by_test = keys._release.wait(HOLD_AT_MOST_SECONDS)
                document = keys._documents().get(self.path)
                body = json.dumps(document or {"error": "not found"}).encode()
                self.send_response(200 if document else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def token(self, *, app_id: str, service_url: str, key: rsa.RSAPrivateKey | None = None, kid: str = KID,
              **claims: Any) -> str:
        """A token as the Bot Connector signs it (an hour's validity); `claims` replace or add
        (None removes one), `key` signs instead of the published one."""
        now = int(time.time())
        body = {"serviceurl": service_url, "nbf": now - 60, "exp": now + 3600, "iss": ISSUER, "aud": app_id, **claims}
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid})

    def unsigned_token(self, *, app_id: str, service_url: str) -> str:
        """`alg: none`: the claims a valid token has, and no signature."""
        now = int(time.time())
        claims = {"serviceurl": service_url, "nbf": now - 60, "exp": now + 3600, "iss": ISSUER, "aud": app_id}
        return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{_b64(claims)}."
