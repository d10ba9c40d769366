"""Build the Teams app package: `python -m tools.app_package [--out dist/wechat-teams-app.zip]
[--domain bot.example.com] [--app-id GUID] [--version 1.0.0] [--developer-name …] [--website-url …]
[--privacy-url …] [--terms-url …]`.

The bot's id is `MicrosoftAppId` and the domain `BOT_DOMAIN` (the public host of the bot's messaging
endpoint, https://<BOT_DOMAIN>/api/messages), read from the environment or `.env` in the working
directory, as the app reads them; `--domain` overrides BOT_DOMAIN. Writes a zip holding exactly
manifest.json, color.png and outline.png at its root (the icons are manifest/*.png, drawn by
`python -m tools.app_icons`), the same bytes for the same inputs, and prints its path. Exits 2 with
one line per problem when an input is missing or wrong.

The manifest is built here, in `manifest()`: this is the one place to change what the app declares.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from tools.app_icons import ACCENT, MANIFEST_DIR

SCHEMA_VERSION = "1.30"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{SCHEMA_VERSION}/MicrosoftTeams.schema.json"
DEFAULT_OUT = "dist/wechat-teams-app.zip"
DEFAULT_VERSION = "1.0.0"
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's timestamp, so the same inputs give the same bytes

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")  # what Teams accepts: no pre-release
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")

SHORT_NAME = "WeChat"
FULL_NAME = "WeChat channel for Microsoft Teams"
SHORT_DESCRIPTION = "Chat with your clients on WeChat from Teams, within WeChat's rules, on record."
FULL_DESCRIPTION = (
    "Answer your clients' WeChat messages without leaving Microsoft Teams. Clients follow your firm's WeChat "
    "Official Account and write to it; each message arrives in the Teams chat of the advisor who looks after "
    "that client, or in a team channel used as a shared inbox, and the advisor's answer goes back to the client "
    "on WeChat.\n\n"
    "WeChat's customer-service rules are enforced before WeChat enforces them: you can answer for 48 hours after "
    "the client's last message, with at most 5 messages for each message of theirs. Past that, your messages are "
    "queued and go out in order when the client writes again, and a live card in the chat shows the time left, "
    "the messages left and the queue.\n\n"
    "Every message, in both directions, is kept in a tamper-evident compliance record and can be journaled to "
    "your archive (Smarsh, Global Relay, Proofpoint, Veritas) and logged in your CRM, with data-loss-prevention "
    "rules applied. New clients can be asked to validate their phone number with a one-time PIN before they are "
    "connected, and a routing assistant brings each new client, in English or Chinese, to the right advisor or "
    "to the team's inbox.\n\n"
    "Type \"find\" to open a conversation with a WeChat contact, \"qr\" for your own QR code that clients scan "
    "to reach you, \"queue\" for the messages waiting to be sent, and \"help\" for the rest.\n\n"
    "Using the app requires an administrator: your Teams administrator makes it available in your organization, "
    "and an administrator of the app enables WeChat for you or your sub-organization (the \"admin\" command) "
    "before you can chat with clients."
)

COMMANDS = (
    ("help", "What I can do: answering WeChat clients here, their conversations and the commands."),
    ("find", "Find a WeChat contact by name, nickname or phone number and open the conversation with them."),
    ("qr", "My WeChat QR code: clients who scan it follow our Official Account and reach me directly."),
    ("queue", "The messages waiting to be sent, until the client writes again (WeChat's 48 h / 5-message rules)."),
    ("admin", "Enable WeChat for people and sub-organizations; the Official Accounts' health. Admins only."),
)
COMMAND_SCOPES = (["personal"], ["team", "groupChat"])  # one command list per scope group

SEARCH_COMMAND = {
    "id": "findContact",
    "type": "query",
    "title": "Find a WeChat contact",
    "description": "Search your WeChat contacts by name, nickname or phone number and share or open one.",
    "initialRun": True,
    "parameters": [{
        "name": "query",
        "title": "Name, nickname or phone",
        "description": "Part of the contact's name or WeChat nickname, or their phone number.",
        "inputType": "text",
    }],
    "context": ["compose", "commandBox"],
}

RESOURCE_SPECIFIC_PERMISSIONS = (
    # A team channel used as an inbox: colleagues' replies in a guest's thread reach the bot without an @mention.
    {"name": "ChannelMessage.Read.Group", "type": "Application"},
    # The same in group chats the bot is added to.
    {"name": "ChatMessage.Read.Chat", "type": "Application"},
)


class PackageError(ValueError):
    """The inputs are missing or wrong; `problems` holds one line for each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def manifest(*, bot_id: str, domain: str, app_id: str | None = None, version: str = DEFAULT_VERSION,
             developer_name: str | None = None, website_url: str | None = None, privacy_url: str | None = None,
             terms_url: str | None = None) -> dict[str, Any]:
    """The manifest (schema v1.30) for the bot `bot_id` served at `domain`; inputs as `check` accepts them."""
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": SCHEMA_VERSION,
        "version": version,
        "id": app_id or bot_id,
        "developer": {
            "name": developer_name or domain,
            "websiteUrl": website_url or f"https://{domain}/",
            "privacyUrl": privacy_url or f"https://{domain}/privacy",
            "termsOfUseUrl": terms_url or f"https://{domain}/terms",
        },
        "name": {"short": SHORT_NAME, "full": FULL_NAME},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [{
            "botId": bot_id,
            "scopes": ["personal", "team", "groupChat"],
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [
                {"scopes": list(scopes), "commands": [{"title": t, "description": d} for t, d in COMMANDS]}
                for scopes in COMMAND_SCOPES
            ],
        }],
        "composeExtensions": [{
            "botId": bot_id,
            "composeExtensionType": "botBased",
            "commands": [copy.deepcopy(SEARCH_COMMAND)],
        }],
        "authorization": {"permissions": {"resourceSpecific": [dict(p) for p in RESOURCE_SPECIFIC_PERMISSIONS]}},
        "webApplicationInfo": {"id": bot_id, "resource": f"api://{domain}/botid-{bot_id}"},
        "validDomains": [domain],
    }


def check(*, bot_id: str, domain: str, app_id: str | None = None, version: str = DEFAULT_VERSION,
          developer_name: str | None = None, website_url: str | None = None, privacy_url: str | None = None,
          terms_url: str | None = None) -> dict[str, Any]:
    """The inputs, normalized (the domain in lower case); PackageError naming every problem."""
    problems: list[str] = []
    given_domain = (domain or "").strip()
    bot_id, domain = (bot_id or "").strip(), given_domain.lower()
    if not bot_id:
        problems.append("MicrosoftAppId: required (the Azure Bot's app id, from the environment or .env)")
    elif not GUID.match(bot_id):
        problems.append(f"MicrosoftAppId: must be the Azure Bot's app id (a GUID), got {bot_id!r}")
    if app_id is not None and not GUID.match(app_id):
        problems.append(f"--app-id: must be a GUID, got {app_id!r}")
    if not domain:
        problems.append("BOT_DOMAIN (or --domain): required: the public host of the bot's messaging endpoint, "
                        "e.g. bot.example.com")
    elif "://" in domain or "/" in domain:
        host = urlsplit(domain if "://" in domain else f"//{domain}").hostname or "bot.example.com"
        problems.append(f"BOT_DOMAIN (--domain): a host name, not a URL: give {host!r}, got {given_domain!r}")
    elif not HOST.match(domain):
        problems.append("BOT_DOMAIN (--domain): not a host name (letters, digits, hyphens and dots, no port), "
                        f"got {given_domain!r}")
    if not SEMVER.match(version or ""):
        problems.append(f"--version: must be MAJOR.MINOR.PATCH (e.g. 1.0.0), got {version!r}")
    if developer_name is not None and not developer_name.strip():
        problems.append("--developer-name: must not be empty")
    elif developer_name is not None and len(developer_name.strip()) > 32:
        problems.append(f"--developer-name: at most 32 characters, got {len(developer_name.strip())}")
    elif developer_name is None and HOST.match(domain) and len(domain) > 32:
        problems.append("--developer-name: required, the default (the domain) is longer than 32 characters")
    for option, url in (("--website-url", website_url), ("--privacy-url", privacy_url), ("--terms-url", terms_url)):
        if url is not None and not re.match(r"^https://[^\s/?#]+[^\s]*$", url):
            problems.append(f"{option}: must be an https URL, got {url!r}")
    if problems:
        raise PackageError(problems)
    return {"bot_id": bot_id, "domain": domain, "app_id": app_id, "version": version,
            "developer_name": developer_name.strip() if developer_name else None,
            "website_url": website_url, "privacy_url": privacy_url, "terms_url": terms_url}


def build(out: str | Path, *, icons: str | Path = MANIFEST_DIR, **inputs: Any) -> Path:
    """Check the inputs (see `manifest`), write the package to `out` and return its path."""
    values = check(**inputs)
    icons = Path(icons)
    missing = [name for name in PACKAGE_FILES[1:] if not (icons / name).is_file()]
    if missing:
        raise PackageError([f"{icons / name}: missing; draw it with python -m tools.app_icons" for name in missing])
    document = json.dumps(manifest(**values), indent=2, ensure_ascii=False) + "\n"
    contents = {"manifest.json": document.encode("utf-8"),
                **{name: (icons / name).read_bytes() for name in PACKAGE_FILES[1:]}}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in PACKAGE_FILES:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform: the same bytes everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, contents[name], compresslevel=9)
    partial.replace(out)
    return out


def environment(dotenv_path: str | None = ".env", base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment (`base`, default os.environ) over the .env file, as config.load_settings reads them."""
    env = dict(os.environ if base is None else base)
    if dotenv_path and os.path.exists(dotenv_path):
        from dotenv import dotenv_values

        env = {**{k: v or "" for k, v in dotenv_values(dotenv_path).items()}, **env}
    return env


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.app_package",
                                description="Build the Teams app package: a zip of manifest.json, color.png "
                                            "and outline.png.",
                                epilog="MicrosoftAppId and BOT_DOMAIN come from the environment or .env.")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"the zip to write (default {DEFAULT_OUT})")
    p.add_argument("--domain", help="the bot's public host, e.g. bot.example.com (default: BOT_DOMAIN)")
    p.add_argument("--app-id", help="the Teams app id, a GUID (default: MicrosoftAppId)")
    p.add_argument("--version", default=DEFAULT_VERSION, help=f"the app's version (default {DEFAULT_VERSION})")
    p.add_argument("--developer-name", help="the publisher's name, ≤ 32 characters (default: the domain)")
    p.add_argument("--website-url", help="https URL (default https://<domain>/)")
    p.add_argument("--privacy-url", help="https URL (default https://<domain>/privacy)")
    p.add_argument("--terms-url", help="https URL (default https://<domain>/terms)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None, *, env: Mapping[str, str] | None = None,
         dotenv_path: str | None = ".env") -> int:
    args = parse(argv)
    """The command; `env` stands in for os.environ (the .env file at `dotenv_path` still under it)."""
    env = environment(dotenv_path, env)
    try:
        path = build(args.out, bot_id=env.get("MicrosoftAppId", ""), domain=args.domain or env.get("BOT_DOMAIN", ""),
                     app_id=args.app_id, version=args.version, developer_name=args.developer_name,
                     website_url=args.website_url, privacy_url=args.privacy_url, terms_url=args.terms_url)
    except PackageError as exc:
        for problem in exc.problems:
            print(f"app_package: error: {problem}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
