"""The Bot Framework and Teams settings: the Azure Bot's identity (MicrosoftApp*), where the
channel's signing keys are (BotOpenIdMetadata), and the app's administrators (TEAMS_ADMINS)."""
from __future__ import annotations

import re
from typing import Any

from config.env import GUID, Env, Secret, choice, text, url

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
_LOOPBACK_URL = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/|$)")


def bot_settings(env: Env, app_env: str, problems: list[str]) -> dict[str, Any]:
    """Settings' Bot Framework fields (named as the SDK reads them: APP_ID, APP_PASSWORD, APP_TYPE,
    APP_TENANTID) and the metadata URL."""
    app_id = text(env, "MicrosoftAppId")
    app_type = choice(env, "MicrosoftAppType", "SingleTenant", APP_TYPES, problems)
    tenant = text(env, "MicrosoftAppTenantId")
    password = Secret(text(env, "MicrosoftAppPassword"))
    if app_id and not GUID.match(app_id):
        problems.append(f"MicrosoftAppId: must be the Azure Bot's app id (a GUID), got {app_id!r}")
    if not app_id and app_env != "local":
        problems.append(
            "MicrosoftAppId: required (an empty id turns off Bot Framework authentication, "
            "which is allowed only with APP_ENV=local)"
        )
    if app_id and app_type in ("MultiTenant", "SingleTenant") and not password:
        problems.append(f"MicrosoftAppPassword: required with MicrosoftAppType={app_type}")
    if app_id and app_type in ("SingleTenant", "UserAssignedMSI") and not tenant:
        problems.append(f"MicrosoftAppTenantId: required with MicrosoftAppType={app_type}")
    return {"APP_ID": app_id, "APP_PASSWORD": password, "APP_TYPE": app_type, "APP_TENANTID": tenant,
            "bot_openid_metadata_url": _openid_metadata(env, problems)}


def _openid_metadata(env: Env, problems: list[str]) -> str:
    """BotOpenIdMetadata: "" (Microsoft's public cloud), an https URL, or http on this machine (tests):
    whoever serves this document decides which tokens are genuine."""
    if not env.get("BotOpenIdMetadata", "").strip():
        return ""
    value = url(env, "BotOpenIdMetadata", "", problems)
    if value.startswith("http://") and not _LOOPBACK_URL.match(value):
        problems.append(f"BotOpenIdMetadata: must be https (http only to 127.0.0.1 or localhost), got {value!r}")
    return value


def teams_admins(env: Env, problems: list[str]) -> frozenset[str]:
    """TEAMS_ADMINS: Entra object ids, separated by commas or spaces."""
    ids = [v for v in re.split(r"[,\s]+", text(env, "TEAMS_ADMINS")) if v]
    bad = [v for v in ids if not GUID.match(v)]
    if bad:
        problems.append(f"TEAMS_ADMINS: Microsoft Entra object ids (GUIDs), separated by commas; not one: {bad[0]!r}")
    return frozenset(v.lower() for v in ids if GUID.match(v))
