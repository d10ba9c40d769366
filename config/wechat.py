"""The WeChat Official Accounts served: the default one (WECHAT_*), the others the organizations
file names (their secrets in the variables it names), and the webhook's limits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from config.env import Env, Secret, text, url, whole_number
from core.inbound import ORIGINAL_ID
from core.organizations import AccountSpec

API_BASE_URL = "https://api.weixin.qq.com"
_TOKEN = r"[A-Za-z0-9]{3,32}"  # WeChat's rule for the server token
_AES_KEY = r"[A-Za-z0-9]{43}"


@dataclass(frozen=True)
class WeChatAccount:
    """An Official Account the app serves: its server URL is /api/wechat (the default one) or
    /api/wechat/<id>."""

    id: str
    name: str
    app_id: str
    app_secret: Secret
    token: Secret
    aes_keys: tuple[Secret, ...]  # current first; none: plaintext mode
    api_base_url: str
    original_id: str = ""  # its "original id" (gh_…), the ToUserName of its pushes; "": not checked


def wechat_settings(env: Env, problems: list[str]) -> dict[str, Any]:
    """Settings' fields of the default Official Account and of the webhook."""
    app_id = text(env, "WECHAT_APP_ID")
    secret = Secret(text(env, "WECHAT_APP_SECRET"))
    token = Secret(text(env, "WECHAT_TOKEN"))
    for name, value in (("WECHAT_APP_ID", app_id), ("WECHAT_APP_SECRET", secret), ("WECHAT_TOKEN", token)):
        if not value:
            problems.append(f"{name}: required")
    if token and not re.fullmatch(_TOKEN, token):
        problems.append("WECHAT_TOKEN: must be 3-32 letters or digits (WeChat's rule)")
    aes_keys: list[Secret] = []
    for name in ("WECHAT_ENCODING_AES_KEY", "WECHAT_ENCODING_AES_KEY_PREVIOUS"):
        key = text(env, name)
        if key and not re.fullmatch(_AES_KEY, key):
            problems.append(f"{name}: must be 43 letters or digits")
        elif key:
            aes_keys.append(Secret(key))
    if text(env, "WECHAT_ENCODING_AES_KEY_PREVIOUS") and not text(env, "WECHAT_ENCODING_AES_KEY"):
        problems.append("WECHAT_ENCODING_AES_KEY_PREVIOUS: set only together with WECHAT_ENCODING_AES_KEY")
    original_id = text(env, "WECHAT_ORIGINAL_ID")
    if original_id and not ORIGINAL_ID.fullmatch(original_id):
        problems.append(f"WECHAT_ORIGINAL_ID: the Official Account's original id (gh_ and letters or digits), "
                        f"got {original_id!r}")
    return {
        "wechat_app_id": app_id, "wechat_app_secret": secret, "wechat_token": token,
        "wechat_aes_keys": tuple(aes_keys), "wechat_original_id": original_id,
        "wechat_api_base_url": url(env, "WECHAT_API_BASE_URL", API_BASE_URL, problems),
        "wechat_qr_base_url": url(env, "WECHAT_QR_BASE_URL", "https://mp.weixin.qq.com", problems),
        "wechat_account_name": text(env, "WECHAT_ACCOUNT_NAME", "our WeChat Official Account"),
        "webhook_max_body_bytes": whole_number(env, "WEBHOOK_MAX_BODY_BYTES", 64 * 1024, problems, 1024, 1024 * 1024),
        "webhook_max_skew_seconds": whole_number(env, "WEBHOOK_MAX_SKEW_SECONDS", 300, problems, 10, 3600),
    }


def other_account(spec: AccountSpec, env: Env, problems: list[str]) -> WeChatAccount:
    """Another Official Account, its secrets read from the variables the organizations file names."""
    def secret(name: str, required: bool, pattern: str, rule: str) -> Secret:
        value = (env.get(name) or "").strip() if name else ""
        if required and not value:
            problems.append(f"{name}: required (official account {spec.id} of ORGANIZATIONS_FILE)")
        elif value and not re.fullmatch(pattern, value):
            problems.append(f"{name}: {rule} (official account {spec.id})")
        return Secret(value)

    aes = secret(spec.aes_key_env, False, _AES_KEY, "must be 43 letters or digits")
    return WeChatAccount(
        id=spec.id, name=spec.name, app_id=spec.app_id,
        app_secret=secret(spec.app_secret_env, True, r".+", "required"),
        token=secret(spec.token_env, True, _TOKEN, "must be 3-32 letters or digits (WeChat's rule)"),
        aes_keys=(aes,) if aes else (),
        api_base_url=spec.api_base_url or text(env, "WECHAT_API_BASE_URL", API_BASE_URL),
        original_id=spec.original_id)
