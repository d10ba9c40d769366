"""How guests' PINs are sent (OTP_PROVIDER, TWILIO_*, ACS_*) and the key their stored hashes are
made with (PIN_KEY): needed where a sub-organization validates its guests' phone numbers."""
from __future__ import annotations

from dataclasses import dataclass

from config.env import Env, Secret, text, url


@dataclass(frozen=True)
class PinSettings:
    """How guests' PINs are sent (OTP_PROVIDER, TWILIO_*, ACS_*) and the key they are hashed with."""

    provider: str = ""  # twilio | acs | dev; "" none configured
    key: Secret = Secret("")  # PIN_KEY: the HMAC key of the PINs' stored hashes
    twilio_account_sid: str = ""
    twilio_auth_token: Secret = Secret("")
    twilio_from: str = ""
    twilio_base_url: str = "https://api.twilio.com"
    acs_connection_string: Secret = Secret("")
    acs_from: str = ""


def pin_settings(env: Env, app_env: str, needed: bool, problems: list[str]) -> PinSettings:
    provider = text(env, "OTP_PROVIDER")
    if not needed:
        return PinSettings()
    if provider not in ("twilio", "acs", "dev"):
        problems.append(f"OTP_PROVIDER: a sub-organization validates guests' phone numbers: twilio, acs or dev "
                        f"(local runs only), got {provider!r}")
    elif provider == "dev" and app_env != "local":
        problems.append("OTP_PROVIDER: dev shows PINs on screen; refused unless APP_ENV=local")
    key = text(env, "PIN_KEY")
    if len(key) < 32:
        problems.append("PIN_KEY: required (at least 32 characters) where guests validate their phone numbers: "
                        "the key of the PINs' stored hashes")
    pins = PinSettings(provider, Secret(key), text(env, "TWILIO_ACCOUNT_SID"), Secret(text(env, "TWILIO_AUTH_TOKEN")),
                       text(env, "TWILIO_FROM_NUMBER"),
                       url(env, "TWILIO_API_BASE_URL", "https://api.twilio.com", problems),
                       Secret(text(env, "ACS_CONNECTION_STRING")), text(env, "ACS_FROM_NUMBER"))
    if provider == "twilio" and not (pins.twilio_account_sid and pins.twilio_auth_token and pins.twilio_from):
        problems.append("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER: "
                        "required with OTP_PROVIDER=twilio")
    if provider == "acs" and not (pins.acs_connection_string and pins.acs_from):
        problems.append("ACS_CONNECTION_STRING and ACS_FROM_NUMBER: required with OTP_PROVIDER=acs")
    return pins
