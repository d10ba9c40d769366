"""Where record entries are logged besides the archive: a webhook (CRM_WEBHOOK_*) and Salesforce
(SALESFORCE_*)."""
from __future__ import annotations

from dataclasses import dataclass

from config.env import Env, Secret, is_http_url, text


@dataclass(frozen=True)
class CrmSettings:
    """Where record entries are logged besides the archive (CRM_WEBHOOK_*, SALESFORCE_*)."""

    webhook_url: str = ""
    webhook_secret: Secret = Secret("")
    salesforce_login_url: str = ""
    salesforce_client_id: str = ""
    salesforce_client_secret: Secret = Secret("")
    salesforce_task_owner_id: str = ""


def crm_settings(env: Env, problems: list[str]) -> CrmSettings:
    webhook = (text(env, "CRM_WEBHOOK_URL"), text(env, "CRM_WEBHOOK_SECRET"))
    if any(webhook) and not all(webhook):
        problems.append("CRM_WEBHOOK_URL and CRM_WEBHOOK_SECRET: set both, or neither")
    if webhook[0] and not is_http_url(webhook[0]):
        problems.append(f"CRM_WEBHOOK_URL: must be an http(s) URL, got {webhook[0]!r}")
    salesforce = (text(env, "SALESFORCE_LOGIN_URL"), text(env, "SALESFORCE_CLIENT_ID"),
                  text(env, "SALESFORCE_CLIENT_SECRET"))
    if any(salesforce) and not all(salesforce):
        problems.append("SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET: set all three, "
                        "or none")
    if salesforce[0] and not is_http_url(salesforce[0]):
        problems.append(f"SALESFORCE_LOGIN_URL: must be an http(s) URL (the org's My Domain), got {salesforce[0]!r}")
    return CrmSettings(webhook[0], Secret(webhook[1]), salesforce[0], salesforce[1], Secret(salesforce[2]),
                       text(env, "SALESFORCE_TASK_OWNER_ID"))
