"""Bot Framework authentication of what Teams posts to /api/messages.

The checks are the SDK's (botframework-connector 4.17.1): an RS256 token from the issuer
https://api.botframework.com, signed with a key of the channel's OpenID metadata that is endorsed
for the activity's channel, `aud` our app id, the `serviceurl` claim the activity's serviceUrl,
5 minutes of clock skew. Around them:

- the SDK is given every endpoint, the public cloud's (its "parameterized" authentication), so the
  OpenID metadata URL is a setting (BotOpenIdMetadata: tests, sovereign clouds) and production
  runs the code the tests run;
- only tokens of the channel's issuer reach it: Teams sends no other, and the SDK would check an
  Emulator's or a skill's against Azure AD's keys, fetched from the internet;
- it runs on a thread of its own: it fetches the keys with blocking `requests` and no timeout (at
  its first use, then once they are a day old; cached per metadata URL for the process), which
  would stop the event loop, WeChat's pushes included, for as long as Microsoft takes to answer;
- whatever it raises about a token is Unauthorized (PyJWT's errors, PermissionError, and bare
  Exceptions and IndexError for an unendorsed channel, a refused algorithm or a key it does not
  have); the keys out of reach are KeysUnavailable.
"""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import jwt
import requests
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants

CHANNEL_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
PUBLIC_CLOUD_OPENID_METADATA = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
KEYS_TIMEOUT_SECONDS = 10.0  # the SDK's two requests for the keys, when it refreshes them


class Unauthorized(Exception):
    """The request is not from the Bot Framework channel for this bot; the message says why."""


class KeysUnavailable(Exception):
    """The channel's signing keys could not be fetched: nothing can be authenticated for now."""


@dataclass(frozen=True)
class SdkConfiguration:
    """What ConfigurationBotFrameworkAuthentication reads, by these names."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str = CHANNEL_ISSUER
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    OAUTH_URL: str = AuthenticationConstants.OAUTH_URL
    CALLER_ID: str = CallerIdConstants.public_azure_channel


def _issuer(authorization: str) -> str | None:
    """The `iss` claim of a bearer token, unverified (only to choose whether to verify it)."""
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer":
        return None
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        return None


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"  # claims are the sender's words


class BotAuthentication:
    """`sdk` is the CloudAdapter's (it also signs what the bot sends); `authenticate` checks one request."""

    def __init__(self, *, app_id: str, password: str, app_type: str, tenant_id: str, openid_metadata_url: str = "",
                 keys_timeout_seconds: float = KEYS_TIMEOUT_SECONDS) -> None:
        self.sdk = ConfigurationBotFrameworkAuthentication(SdkConfiguration(
            APP_ID=app_id, APP_PASSWORD=password,
            # No app id (APP_ENV=local only): the SDK turns authentication off, and only as MultiTenant.
            APP_TYPE=app_type if app_id else "MultiTenant", APP_TENANTID=tenant_id,
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=openid_metadata_url or PUBLIC_CLOUD_OPENID_METADATA))
        self.keys_timeout_seconds = keys_timeout_seconds
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bot-authentication", daemon=True)
        self._thread.start()

    async def authenticate(self, activity: Activity, authorization: str | None) -> AuthenticateRequestResult:
        """What the adapter needs to run the turn; Unauthorized, or KeysUnavailable."""
        if authorization is not None and _issuer(authorization) != CHANNEL_ISSUER:
            raise Unauthorized("not a bearer token of the Bot Framework channel")
        checked = asyncio.run_coroutine_threadsafe(self.sdk.authenticate_request(activity, authorization), self._loop)
        try:
            async with asyncio.timeout(self.keys_timeout_seconds):
                return await asyncio.wrap_future(checked)
        except TimeoutError:
            raise KeysUnavailable(f"no signing keys within {self.keys_timeout_seconds:g} s") from None
        except requests.RequestException as exc:
            raise KeysUnavailable(_one_line(exc)) from None
        except Exception as exc:  # noqa: BLE001 - whatever else the SDK's check raises refuses the token
            raise Unauthorized(_one_line(exc)) from None

    async def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join, 1.0)
        if not self._thread.is_alive():  # else stuck in a request for the keys: a daemon, it ends with the process
            self._loop.close()
