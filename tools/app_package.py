"""Build the Teams app package: `python -m tools.app_package [--dev] [--out dist/wechat-teams-app.zip]
[--bot-id GUID] [--domain HOST] [--firm-name NAME] [--website-url URL] [--privacy-url URL] [--terms-url URL] …`
(`--help` lists them all).

Every value is an option, else the environment variable named in SETTINGS, else `.env` in the working
directory (read as the app reads it). A production package needs the firm's name (the publisher Teams
shows, and what the app is named after) and its website, privacy and terms URLs; without them it is
refused, one line per missing value, exit 2. `--dev` builds a development package that puts clearly
marked placeholders in their place. Writes a zip holding exactly PACKAGE_FILES at its root (the icons are
the PNG files in manifest/, copied: see tools/app_icons.py), the same bytes for the same inputs, and
prints its path. Needs nothing beyond the product install (requirements.txt).

The manifest and its Chinese localisation are built here, in `manifest()` and `localization()`: this is
the one place to change what the app declares.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from core.config_error import ConfigError

SCHEMA_VERSION = "1.30"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{SCHEMA_VERSION}/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = (f"https://developer.microsoft.com/json-schemas/teams/v{SCHEMA_VERSION}/"
                           "MicrosoftTeams.Localization.schema.json")
MANIFEST_DIR = Path(__file__).resolve().parent.parent / "manifest"
DEFAULT_OUT = "dist/wechat-teams-app.zip"
DEFAULT_VERSION = "1.0.0"
LANGUAGE = "en-us"  # the manifest's own
CHINESE = "zh-cn"
CHINESE_FILE = f"{CHINESE}.json"
ICONS = ("color.png", "outline.png")
PACKAGE_FILES = ("manifest.json", CHINESE_FILE, *ICONS)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's timestamp, so the same inputs give the same bytes
ACCENT = "#1D4E89"  # the manifest's accentColor and color.png's background: a deep blue, not WeChat's green

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")  # what Teams accepts: no pre-release
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
HTTPS_URL = re.compile(r"^https://[^\s/?#]+[^\s]*$")
# Tencent's apps' own names: an app called only that would pass for theirs.
TENCENT_NAMES = frozenset({"wechat", "weixin", "微信", "wecom", "企业微信"})


# ---------------------------------------------------------------------------------------------
# The settings
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    name: str  # its keyword in `build`, `manifest` and `localization`
    option: str
    env: str
    meaning: str
    required: str = ""  # "always", "production" (a development package uses `placeholder`), or "" (derived)
    placeholder: str = ""


PLACEHOLDER_SITE = "https://example.com/dev-placeholder"
SETTINGS: tuple[Setting, ...] = (
    Setting("bot_id", "--bot-id", "MicrosoftAppId", "the Azure Bot's app id (a GUID)", "always"),
    Setting("domain", "--domain", "BOT_DOMAIN",
            "the public host of the bot's messaging endpoint https://<host>/api/messages, e.g. bot.example.com",
            "always"),
    Setting("firm_name", "--firm-name", "TEAMS_APP_FIRM_NAME",
            "the firm that publishes the app (at most 32 characters): Teams shows it as the publisher, and the "
            "app is named after it", "production", "Example Firm (DEV)"),
    Setting("website_url", "--website-url", "TEAMS_APP_WEBSITE_URL",
            "the https page where employees learn about the app and get help", "production", f"{PLACEHOLDER_SITE}/"),
    Setting("privacy_url", "--privacy-url", "TEAMS_APP_PRIVACY_URL", "the https URL of the firm's privacy statement",
            "production", f"{PLACEHOLDER_SITE}/privacy"),
    Setting("terms_url", "--terms-url", "TEAMS_APP_TERMS_URL", "the https URL of the app's terms of use",
            "production", f"{PLACEHOLDER_SITE}/terms"),
    Setting("firm_name_zh", "--firm-name-zh", "TEAMS_APP_FIRM_NAME_ZH",
            "the firm's name in Chinese, for the zh-cn texts (default: the firm's name)"),
    Setting("short_name", "--short-name", "TEAMS_APP_SHORT_NAME",
            "the app's name, at most 30 characters (default: '<firm> WeChat')"),
    Setting("full_name", "--full-name", "TEAMS_APP_FULL_NAME",
            "the app's full name, at most 100 characters (default: '<firm> WeChat: client conversations in Teams')"),
    Setting("short_name_zh", "--short-name-zh", "TEAMS_APP_SHORT_NAME_ZH",
            "the app's name in Chinese, at most 30 characters (default: '<firm in Chinese> 微信')"),
    Setting("full_name_zh", "--full-name-zh", "TEAMS_APP_FULL_NAME_ZH",
            "the app's full name in Chinese, at most 100 characters "
            "(default: '<firm in Chinese>微信：在 Teams 中与客户对话')"),
    Setting("app_id", "--app-id", "TEAMS_APP_ID",
            "the Teams app's id, a GUID; keep it once the app is published (default: the bot's id)"),
    Setting("version", "--version", "TEAMS_APP_VERSION",
            f"the app's version, MAJOR.MINOR.PATCH; raise it for every upload (default {DEFAULT_VERSION})"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _in_chinese(name: str) -> str:
    """A name for Chinese text: spaced from the characters around it where it begins or ends in Latin
    script ("关注 Contoso Wealth 的", "关注康拓财富的")."""
    return f"{' ' if name[:1].isascii() else ''}{name}{' ' if name[-1:].isascii() else ''}"


# What a name defaults to, from the firm's names (English, Chinese).
DERIVED_NAMES: dict[str, Callable[[str, str], str]] = {
    "short_name": lambda firm, zh: f"{firm} WeChat",
    "full_name": lambda firm, zh: f"{firm} WeChat: client conversations in Teams",
    "short_name_zh": lambda firm, zh: f"{_in_chinese(zh)}微信".strip(),
    "full_name_zh": lambda firm, zh: f"{_in_chinese(zh)}微信：在 Teams 中与客户对话".strip(),
}
NAME_LIMITS = {"firm_name": 32, "short_name": 30, "short_name_zh": 30, "full_name": 100, "full_name_zh": 100}


def _host_problem(domain: str) -> str | None:
    if "://" in domain or "/" in domain:
        host = urlsplit(domain if "://" in domain else f"//{domain}").hostname or "bot.example.com"
        return f"a host name, not a URL: give {host.lower()!r}, got {domain!r}"
    if not HOST.match(domain.lower()):
        return f"not a host name (letters, digits, hyphens and dots, no port), got {domain!r}"
    return None


def _name_problem(limit: int) -> Callable[[str], str | None]:
    def problem(name: str) -> str | None:
        if len(name) > limit:
            return f"at most {limit} characters, got {len(name)}: {name!r}"
        if name.casefold() in TENCENT_NAMES:
            return f"{name!r} alone is the name of Tencent's own app, which ours must not pass for"
        return None
    return problem


# What each given value must be: a problem with it, or None.
CHECKS: dict[str, Callable[[str], str | None]] = {
    "bot_id": lambda v: None if GUID.match(v) else f"must be the Azure Bot's app id (a GUID), got {v!r}",
    "app_id": lambda v: None if GUID.match(v) else f"must be a GUID, got {v!r}",
    "domain": _host_problem,
    "version": lambda v: None if SEMVER.match(v) else f"must be MAJOR.MINOR.PATCH (e.g. 1.0.0), got {v!r}",
    **{url: (lambda v: None if HTTPS_URL.match(v) else f"must be an https URL, got {v!r}")
       for url in ("website_url", "privacy_url", "terms_url")},
    **{name: _name_problem(limit) for name, limit in NAME_LIMITS.items()},
}


def _about(setting: Setting) -> str:
    return f"{setting.option} (or {setting.env})"


def resolve(given: Mapping[str, str | None], *, dev: bool = False) -> tuple[dict[str, str], list[str]]:
    """Every setting's value, given (by SETTINGS' names), a development placeholder or derived, and the
    names of the placeholders used. ConfigError naming every problem, one line each."""
    given = {k: v.strip() for k, v in given.items() if v is not None and v.strip()}
    unknown = sorted(set(given) - set(BY_NAME))
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(unknown)}")
    problems, values, placeholders = [], dict(given), []
    for s in SETTINGS:
        if s.name in values or not s.required:
            continue
        if s.required == "production" and dev:
            values[s.name] = s.placeholder
            placeholders.append(s.name)
        elif s.required == "production":
            problems.append(f"{_about(s)}: required for a production package (or use --dev): {s.meaning}")
        else:
            problems.append(f"{_about(s)}: required: {s.meaning}")
    for name, value in given.items():
        problem = CHECKS.get(name, lambda v: None)(value)
        if problem:
            problems.append(f"{_about(BY_NAME[name])}: {problem}")
    if "firm_name" in values:
        values.setdefault("firm_name_zh", values["firm_name"])
        for name, derive in DERIVED_NAMES.items():
            if name in values:
                continue
            values[name] = derive(values["firm_name"], values["firm_name_zh"])
            if len(values[name]) > NAME_LIMITS[name]:
                problems.append(f"{_about(BY_NAME[name])}: required: the default {values[name]!r} is longer than "
                                f"{NAME_LIMITS[name]} characters")
    if problems:
        raise ConfigError(problems, "app package inputs")
    values["domain"] = values["domain"].lower()
    values.setdefault("app_id", values["bot_id"])
    values.setdefault("version", DEFAULT_VERSION)
    return values, placeholders


# ---------------------------------------------------------------------------------------------
# What the app declares
# ---------------------------------------------------------------------------------------------

PERSONAL, TEAM = "personal", "team"
SCOPES = (PERSONAL, TEAM)  # the bot's; one command list each. No group chats: nothing of WeChat lives there yet


@dataclass(frozen=True)
class BotCommand:
    """A command of the bot's menu: its name in bots/commands.py, where it is offered, and its title
    (what Teams types for the employee: one of the command's words) and description in each language."""
    name: str
    scopes: tuple[str, ...]
    en: tuple[str, str]
    zh: tuple[str, str]


# Offered where it works and where its answer is for everyone who reads it: find's contacts (with their
# phone numbers), an employee's own QR code and the admin card belong in the employee's chat with the bot;
# add @colleague works only in a guest's thread of a team channel.
COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("help", (PERSONAL, TEAM),
               ("help", "What I can do here: answering WeChat clients, the commands, WeChat's limits."),
               ("帮助", "我能做什么：回复微信客户、各项命令、微信的限制。")),
    BotCommand("find", (PERSONAL,),
               ("find", "Find a WeChat contact by name, nickname or phone number and open their conversation."),
               ("查找", "按姓名、昵称或电话号码查找微信联系人，并打开与其的对话。")),
    BotCommand("qr", (PERSONAL,),
               ("qr", "Your own WeChat QR code: clients who scan it follow the Official Account and reach you."),
               ("二维码", "您的专属微信二维码：客户扫码关注公众号后即可联系您。")),
    BotCommand("queue", (PERSONAL, TEAM),
               ("queue", "The messages waiting to be sent here until the client writes again (WeChat's 48-hour "
                         "and message limits)."),
               ("队列", "此处等待发送的消息：客户再次发来消息时按顺序发出（微信的 48 小时和条数限制）。")),
    BotCommand("leave", (PERSONAL, TEAM),
               ("leave", "Leave the WeChat conversation here, as Leave conversation on its card does."),
               ("退出", "退出此处的微信对话，与对话卡片上的退出按钮作用相同。")),
    BotCommand("add", (TEAM,),
               ("add", "add @colleague in a WeChat contact's thread: the colleague takes part in the conversation."),
               ("添加", "在微信联系人的话题中输入“添加 @同事”，让同事一起参与对话。")),
    BotCommand("admin", (PERSONAL,),
               ("admin", "Administrators only: enable WeChat for people and sub-organizations; the Official "
                         "Accounts' health."),
               ("管理", "仅限管理员：为人员和子机构启用微信；查看公众号的运行状况。")),
)

SEARCH = {  # the message extension's one command, and its texts in each language
    "id": "findContact", "type": "query", "initialRun": True, "context": ["compose", "commandBox"],
    "parameter": "query",
}
SEARCH_TEXTS = {
    LANGUAGE: {"title": "Find a WeChat contact",
               "description": "Search your WeChat contacts by name, nickname or phone number and share or open one.",
               "parameters[0].title": "Name, nickname or phone",
               "parameters[0].description": "Part of the contact's name or WeChat nickname, or their phone number."},
    CHINESE: {"title": "查找微信联系人",
              "description": "按姓名、昵称或电话号码搜索您的微信联系人，然后分享或打开。",
              "parameters[0].title": "姓名、昵称或电话",
              "parameters[0].description": "联系人姓名或微信昵称的一部分，或其电话号码。"},
}

RESOURCE_SPECIFIC_PERMISSIONS = (
    # A team channel used as an inbox: colleagues' replies in a guest's thread reach the bot without an @mention.
    {"name": "ChannelMessage.Read.Group", "type": "Application"},
)

# The descriptions, `{firm}` being the firm's name in that language. WeChat's quota as WeChat states it
# and as the policy applies it (core/conversation_policy/): never "5 messages for you".
DESCRIPTIONS = {
    LANGUAGE: {
        "short": "Answer clients' WeChat messages in Teams, within WeChat's rules, on record.",
        "full": (
            "Answer your clients' WeChat messages without leaving Microsoft Teams. Clients follow the WeChat "
            "Official Account of {firm} and write to it; each message arrives in the Teams chat of the advisor who "
            "looks after that client, or in a team channel used as a shared inbox, and the advisor's answer goes "
            "back to the client on WeChat.\n\n"
            "WeChat's customer-service rules are applied before WeChat applies them. After each message from a "
            "client, WeChat allows 5 customer-service messages within 48 hours; advisors' answers and the app's own "
            "notices may use the share of them that {firm} sets (4 by default), and the rest is kept for a notice "
            "asking the client to write again. "
            "Past that, or after 48 hours, your messages wait in a queue and go out in order when the client "
            "writes again; a live card in the chat shows the time left, the messages left and the queue.\n\n"
            "Every message, in both directions, is kept in a tamper-evident compliance record and can be "
            "journaled to your archive (Smarsh, Global Relay, Proofpoint, Veritas) and logged in your CRM, with "
            "data-loss-prevention rules applied. New clients can be asked to validate their phone number with a "
            "one-time PIN before they are connected, and a routing assistant brings each new client, in English "
            "or Chinese, to the right advisor or to the team's inbox.\n\n"
            "In your chat with the app, type \"find\" to open a conversation with a WeChat contact, \"qr\" for "
            "your own QR code that clients scan to reach you, \"queue\" for the messages waiting to be sent, and "
            "\"help\" for the rest.\n\n"
            "Using the app requires an administrator: your Teams administrator makes it available in your "
            "organization, and an administrator of the app enables WeChat for you or your sub-organization (the "
            "\"admin\" command) before you can chat with clients.\n\n"
            "Published by {firm} for its employees. Not made, published or endorsed by Tencent; WeChat is a "
            "trademark of Tencent."
        ),
    },
    CHINESE: {
        "short": "在 Teams 中回复客户的微信消息，遵守微信规则，全程留档。",
        "full": (
            "无需离开 Microsoft Teams，即可回复客户的微信消息。客户关注{firm}的微信公众号并发送消息；每条消息会送到"
            "负责该客户的顾问在 Teams 中的聊天，或送到用作共享收件箱的团队频道，顾问的回复会通过微信发回给客户。\n\n"
            "本应用在微信执行客服消息规则之前先行遵守这些规则：客户每发来一条消息后，微信允许在 48 小时内发送 5 条"
            "客服消息；顾问的回复和本应用自己的提示可使用其中由{firm}设定的份额（默认 4 条），其余的留给一条请客户再次"
            "发消息的提示。超出份额"
            "或超过 48 小时后，您的消息会排队，待客户再次发来消息时按顺序发出；聊天中的实时卡片会显示剩余时间、剩余"
            "条数和排队的消息。\n\n"
            "双向的每条消息都保存在防篡改的合规记录中，可以归档到贵公司的存档系统（Smarsh、Global Relay、"
            "Proofpoint、Veritas）并记入 CRM，同时执行数据防泄漏规则。新客户在接通之前可被要求用一次性验证码验证"
            "手机号码；路由助手用中文或英文把每位新客户转给合适的顾问或团队收件箱。\n\n"
            "在与本应用的聊天中，输入“查找”打开与某位微信联系人的对话，输入“二维码”获取客户扫码即可联系您的专属"
            "二维码，输入“队列”查看等待发送的消息，输入“帮助”了解其他功能。\n\n"
            "使用本应用需要管理员：Teams 管理员在贵组织中提供本应用，本应用的管理员（“管理”命令）为您或您的子机构"
            "启用微信后，您才能与客户聊天。\n\n"
            "由{firm}为其员工发布。本应用并非由腾讯开发、发布或认可；微信是腾讯的商标。"
        ),
    },
}


def manifest(*, bot_id: str, domain: str, app_id: str, version: str, firm_name: str, website_url: str,
             privacy_url: str, terms_url: str, short_name: str, full_name: str, **_: str) -> dict[str, Any]:
    """The manifest (schema v1.30) for the bot `bot_id` served at `domain`; values as `resolve` gives them."""
    search = SEARCH_TEXTS[LANGUAGE]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": SCHEMA_VERSION,
        "version": version,
        "id": app_id,
        "developer": {"name": firm_name, "websiteUrl": website_url, "privacyUrl": privacy_url,
                      "termsOfUseUrl": terms_url},
        "localizationInfo": {"defaultLanguageTag": LANGUAGE,
                             "additionalLanguages": [{"languageTag": CHINESE, "file": CHINESE_FILE}]},
        "name": {"short": short_name, "full": full_name},
        "description": {"short": DESCRIPTIONS[LANGUAGE]["short"],
                        "full": DESCRIPTIONS[LANGUAGE]["full"].format(firm=firm_name)},
        "icons": {"color": ICONS[0], "outline": ICONS[1]},
        "accentColor": ACCENT,
        "bots": [{
            "botId": bot_id,
            "scopes": list(SCOPES),
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [
                {"scopes": [scope], "commands": [{"title": c.en[0], "description": c.en[1]} for c in _offered(scope)]}
                for scope in SCOPES
            ],
        }],
        "composeExtensions": [{
            "botId": bot_id,
            "composeExtensionType": "botBased",
            "commands": [{
                "id": SEARCH["id"], "type": SEARCH["type"], "title": search["title"],
                "description": search["description"], "initialRun": SEARCH["initialRun"],
                "parameters": [{"name": SEARCH["parameter"], "title": search["parameters[0].title"],
                                "description": search["parameters[0].description"], "inputType": "text"}],
                "context": list(SEARCH["context"]),
            }],
        }],
        "authorization": {"permissions": {"resourceSpecific": [dict(p) for p in RESOURCE_SPECIFIC_PERMISSIONS]}},
        "webApplicationInfo": {"id": bot_id, "resource": f"api://{domain}/botid-{bot_id}"},
        "validDomains": [domain],
    }


def localization(*, short_name_zh: str, full_name_zh: str, firm_name_zh: str, **_: str) -> dict[str, str]:
    """The zh-cn file (the Teams localisation schema): the manifest's texts in Simplified Chinese, by the
    manifest's paths."""
    texts = DESCRIPTIONS[CHINESE]
    document = {"$schema": LOCALIZATION_SCHEMA_URL, "name.short": short_name_zh, "name.full": full_name_zh,
                "description.short": texts["short"],
                "description.full": texts["full"].format(firm=_in_chinese(firm_name_zh))}
    for i, scope in enumerate(SCOPES):
        for j, command in enumerate(_offered(scope)):
            document[f"bots[0].commandLists[{i}].commands[{j}].title"] = command.zh[0]
            document[f"bots[0].commandLists[{i}].commands[{j}].description"] = command.zh[1]
    for key, text in SEARCH_TEXTS[CHINESE].items():
        document[f"composeExtensions[0].commands[0].{key}"] = text
    return document


def _offered(scope: str) -> list[BotCommand]:
    return [c for c in COMMANDS if scope in c.scopes]


# ---------------------------------------------------------------------------------------------
# The package
# ---------------------------------------------------------------------------------------------

def _json(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(out: str | Path, *, dev: bool = False, icons: str | Path = MANIFEST_DIR, **given: str | None) -> Path:
    """Check the settings (`given` by SETTINGS' names, see `resolve`) and write the package to `out`."""
    return write(out, resolve(given, dev=dev)[0], icons)


def write(out: str | Path, values: Mapping[str, str], icons: str | Path = MANIFEST_DIR) -> Path:
    """Write the package of `values` (as `resolve` gives them) to `out`; returns its path."""
    icons = Path(icons)
    missing = [name for name in ICONS if not (icons / name).is_file()]
    if missing:
        raise ConfigError([f"{icons / name}: missing (it is committed in manifest/)" for name in missing],
                          "app package inputs")
    contents = {"manifest.json": _json(manifest(**values)), CHINESE_FILE: _json(localization(**values)),
                **{name: (icons / name).read_bytes() for name in ICONS}}
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
    p = argparse.ArgumentParser(
        prog="python -m tools.app_package",
        description=f"Build the Teams app package: a zip of {', '.join(PACKAGE_FILES)}.",
        epilog="Each value is the option, else the environment variable in brackets, else .env. A production "
               "package needs --firm-name, --website-url, --privacy-url and --terms-url.")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"the zip to write (default {DEFAULT_OUT})")
    p.add_argument("--dev", action="store_true",
                   help="a development package: clearly marked placeholders for the firm's name and URLs not given")
    for s in SETTINGS:
        p.add_argument(s.option, dest=s.name, help=f"{s.meaning} [{s.env}]")
    return p.parse_args(argv)


def main(argv: list[str] | None = None, *, env: Mapping[str, str] | None = None,
         dotenv_path: str | None = ".env") -> int:
    """The command; `env` stands in for os.environ (the .env file at `dotenv_path` still under it)."""
    args = parse(argv)
    env = environment(dotenv_path, env)
    given = {s.name: getattr(args, s.name) if getattr(args, s.name) is not None else env.get(s.env)
             for s in SETTINGS}
    try:
        values, placeholders = resolve(given, dev=args.dev)
        path = write(args.out, values)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"app_package: error: {problem}", file=sys.stderr)
        return 2
    if placeholders:
        print("app_package: a development package, with placeholders for "
              f"{', '.join(BY_NAME[n].option for n in placeholders)}: not for production", file=sys.stderr)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
