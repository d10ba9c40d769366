"""Where media is kept (MEDIA_STORE: local files under the data folder, or Azure Blob Storage) and how
links to it are signed (MEDIA_URL_KEY) and addressed (PUBLIC_BASE_URL)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from config.env import Env, Secret, choice, is_http_url, text, whole_number

MEDIA_STORES = ("files", "blob")
_CONTAINER = re.compile(r"^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")  # Azure's rule for container names


@dataclass(frozen=True)
class MediaSettings:
    store: str = "files"
    path: str = "data/media"  # MEDIA_PATH; default: beside the SQLite file
    blob_connection_string: Secret = Secret("")
    blob_container: str = "media"
    url_key: Secret = Secret("")  # MEDIA_URL_KEY: "" a key derived from the WeChat AppSecret (app.py)
    public_base_url: str = ""  # PUBLIC_BASE_URL; "" no links can be made
    blob_account_url: str = ""  # MEDIA_BLOB_ACCOUNT_URL: with the deployment's identity instead of a connection string
    document_link_days: int = 7  # MEDIA_DOCUMENT_LINK_DAYS: how long a document's link to a guest works


def media_settings(env: Env, sqlite_path: str, problems: list[str]) -> MediaSettings:
    store = choice(env, "MEDIA_STORE", "files", MEDIA_STORES, problems)
    connection_string = text(env, "MEDIA_BLOB_CONNECTION_STRING")
    container = text(env, "MEDIA_BLOB_CONTAINER", "media")
    account_url = text(env, "MEDIA_BLOB_ACCOUNT_URL").rstrip("/")
    if store == "blob" and not (connection_string or account_url):
        problems.append("MEDIA_BLOB_CONNECTION_STRING or MEDIA_BLOB_ACCOUNT_URL: one is required with MEDIA_STORE=blob")
    if account_url and not account_url.startswith("https://"):
        problems.append(f"MEDIA_BLOB_ACCOUNT_URL: must be an https URL, got {account_url!r}")
    if not _CONTAINER.match(container):
        problems.append(f"MEDIA_BLOB_CONTAINER: 3-63 lowercase letters, digits and single hyphens, got {container!r}")
    url_key = text(env, "MEDIA_URL_KEY")
    if url_key and len(url_key) < 32:
        problems.append("MEDIA_URL_KEY: at least 32 characters (the key media links are signed with)")
    base = text(env, "PUBLIC_BASE_URL").rstrip("/")
    if not base and text(env, "BOT_DOMAIN"):
        base = f"https://{text(env, 'BOT_DOMAIN')}"
    if base and not is_http_url(base):
        problems.append(f"PUBLIC_BASE_URL: must be an http(s) URL, got {base!r}")
    link_days = whole_number(env, "MEDIA_DOCUMENT_LINK_DAYS", 7, problems, 1, 365)
    return MediaSettings(store, text(env, "MEDIA_PATH") or os.path.join(os.path.dirname(sqlite_path), "media"),
                         Secret(connection_string), container, Secret(url_key), base, account_url, link_days)
