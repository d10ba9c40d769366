"""How each setting of the organizations file is read and checked: a problem is added to `problems`
(with where it is) and the inherited value kept, so that one pass reports every problem."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterator, Mapping

import phonenumbers

from core.config_error import ConfigError
from core.conversation_settings import ConversationSettings
from core.inbound import ORIGINAL_ID
from core.notices import NoticeError, Notices
from core.organizations.model import DEFAULT_ACCOUNT, AccountSpec, Routing
from core.pins import PinLimits

_LIMITS = {"pin_minutes": ("expiry_seconds", 60), "resend_cooldown_seconds": ("resend_cooldown_seconds", 1),
           "pins_per_number_per_day": ("per_number_per_day", 1), "pins_per_guest_per_day": ("per_guest_per_day", 1),
           "help_after_seconds": ("help_after_seconds", 1)}


def pin_limits(value: Any, base: PinLimits, at: str, problems: list[str]) -> PinLimits:
    """The PIN limits a `phone_validation` table sets over `base` (the organization's)."""
    if not isinstance(value, Mapping):
        return base
    unknown(value, {"region", *_LIMITS}, f"{at}.phone_validation", problems)
    changes = {}
    for key, (field_name, unit) in _LIMITS.items():
        if key in value:
            raw = value[key]
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                problems.append(f"{at}.phone_validation.{key}: must be a whole number above 0, got {raw!r}")
            else:
                changes[field_name] = raw * unit
    return replace(base, **changes)


def validation_region(value: Any, default: str | None, at: str, problems: list[str]) -> str | None:
    """`phone_validation`: false, true (numbers read as China's), or `{ region = "HK", … }`; absent: `default`."""
    if value is None:
        return default
    if value is False:
        return None
    if value is True:
        return default or "CN"
    region = value.get("region", default or "CN") if isinstance(value, Mapping) else None
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(f"{at}.phone_validation: true, false or {{ region = \"HK\" }} (an ISO 3166 region), "
                        f"got {value!r}")
        return default
    return region.upper()


def routing(value: Any, default: Routing | None, at: str, problems: list[str]) -> Routing | None:
    """`routing`: false, true, or `{ max_failed_turns = 3, show_choices = true }`; absent: `default`."""
    if value is None:
        return default
    if value is False:
        return None
    base = default or Routing()
    if value is True:
        return base
    if not isinstance(value, Mapping):
        problems.append(f"{at}.routing: true, false or {{ max_failed_turns = 3, show_choices = true }}, got {value!r}")
        return default
    unknown(value, {"max_failed_turns", "show_choices"}, f"{at}.routing", problems)
    turns = value.get("max_failed_turns", base.max_failed_turns)
    if isinstance(turns, bool) or not isinstance(turns, int) or not 1 <= turns <= 10:
        problems.append(f"{at}.routing.max_failed_turns: a whole number from 1 to 10, got {turns!r}")
        turns = base.max_failed_turns
    choices = value.get("show_choices", base.show_choices)
    if not isinstance(choices, bool):
        problems.append(f"{at}.routing.show_choices: true or false, got {choices!r}")
        choices = base.show_choices
    return Routing(turns, choices)


def years(table: Mapping[str, Any], default: int, at: str, problems: list[str]) -> int:
    years = table.get("retention_years", default)
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 100:
        problems.append(f"{at}.retention_years: must be a whole number of years from 1 to 100, got {years!r}")
        return default
    return years


def conversation_settings(data: Any, base: ConversationSettings, where: str,
                          problems: list[str]) -> ConversationSettings:
    """The file's `policy` table over `base` (the organization's, or the deployment's)."""
    if data is None:
        return base
    if not isinstance(data, Mapping):
        problems.append(f"{where}: must be a table")
        return base
    values = dict(data)
    for key in ("window_hours", "warning_hours"):  # hours in the file, as in the environment
        if key in values:
            hours = values.pop(key)
            target = "window_seconds" if key == "window_hours" else "warning_after_seconds"
            values[target] = hours * 3600 if isinstance(hours, (int, float)) and not isinstance(hours, bool) else hours
    merged = {f: getattr(base, f) for f in ConversationSettings.__dataclass_fields__}
    try:
        return ConversationSettings.from_mapping({**merged, **values})
    except ConfigError as exc:
        problems.extend(f"{where}.{p}" for p in exc.problems)
        return base


_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_APP_ID = re.compile(r"wx[0-9A-Za-z]{16}")


def accounts(data: Any, problems: list[str]) -> list[AccountSpec]:
    if not isinstance(data, list):
        problems.append("official_accounts: must be a list of tables")
        return []
    accounts: list[AccountSpec] = []
    seen: dict[str, str] = {}
    for where, raw in tables(data, "official_accounts", problems):
        unknown(raw, {"id", "name", "app_id", "app_secret_env", "token_env", "encoding_aes_key_env",
                      "api_base_url", "original_id"}, where, problems)
        account_id = ident(raw, "id", where, problems)
        if account_id == DEFAULT_ACCOUNT:
            problems.append(f"{where}.id: {DEFAULT_ACCOUNT!r} is the account of the WECHAT_* variables")
        unique(account_id, f"{where}.id", seen, problems)
        app_id = raw.get("app_id")
        if not isinstance(app_id, str) or not _APP_ID.fullmatch(app_id):
            problems.append(f"{where}.app_id: must be the Official Account's AppID (wx and 16 letters or digits), "
                            f"got {app_id!r}")
        names = {}
        for key, required in (("app_secret_env", True), ("token_env", True), ("encoding_aes_key_env", False)):
            value = raw.get(key, "")
            if (value or required) and not (isinstance(value, str) and _ENV_NAME.fullmatch(value)):
                problems.append(f"{where}.{key}: the name of the environment variable that holds it "
                                f"(capitals, digits, _), got {value!r}")
            names[key] = value if isinstance(value, str) else ""
        base = raw.get("api_base_url", "")
        if base and not (isinstance(base, str) and base.startswith(("https://", "http://"))):
            problems.append(f"{where}.api_base_url: must be an http(s) URL, got {base!r}")
        original_id = raw.get("original_id", "")
        if original_id and not (isinstance(original_id, str) and ORIGINAL_ID.fullmatch(original_id)):
            problems.append(f"{where}.original_id: the account's original id (gh_ and letters or digits), "
                            f"got {original_id!r}")
        accounts.append(AccountSpec(account_id, str(raw.get("name") or account_id), str(app_id),
                                    names["app_secret_env"], names["token_env"], names["encoding_aes_key_env"],
                                    str(base or ""), str(original_id or "")))
    return accounts


def texts(data: Any, base: dict[str, dict[str, str]], where: str, problems: list[str]) -> dict[str, dict[str, str]]:
    """Notice texts `{key: {language: text}}` over `base` (the organization's); `base` alone if they
    are not valid (and every problem reported)."""
    if data is None:
        return base
    if not isinstance(data, Mapping):
        problems.append(f"{where}: must be a table of notice texts, {{key: {{language: text}}}}")
        return base
    merged = {key: dict(texts) for key, texts in base.items()}
    for key, texts in data.items():
        merged[key] = {**merged.get(key, {}), **texts} if isinstance(texts, Mapping) else texts
    try:
        Notices(merged)
    except NoticeError as exc:
        problems.extend(f"{where}.{line.strip()}" for line in str(exc).splitlines()[1:])
        return base
    return merged


def ident(data: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip() or any(c in value for c in "/\\?#:"):
        problems.append(f"{where}.{key}: required, without / \\ ? # or : (got {value!r})")
        return f"invalid-{where}"
    return value


def tables(listed: list[Any], at: str, problems: list[str],
           what: str = "a table") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The tables of a list, each with where it stands (`at[i]`); an item that is not a table is a problem."""
    for i, item in enumerate(listed):
        where = f"{at}[{i}]"
        if isinstance(item, Mapping):
            yield where, item
        else:
            problems.append(f"{where}: must be {what}")


def unique(ident: str, where: str, seen: dict[str, str], problems: list[str]) -> None:
    if ident in seen:
        problems.append(f"{where}: {ident!r} is used twice (also at {seen[ident]})")
    seen[ident] = where


def unknown(data: Mapping[str, Any], known: set[str], where: str, problems: list[str]) -> None:
    for key in data:
        if key not in known:
            problems.append(f"{where + '.' if where else ''}{key}: unknown setting (known: {', '.join(sorted(known))})")
