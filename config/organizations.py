"""The deployment's conversation settings (POLICY_*), the organizations file (ORGANIZATIONS_FILE) with the
employee directories it names, and who gets a new guest without one (DEFAULT_TARGET)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Mapping

from adapters.directory_files import load_directory
from config.env import Env, text
from core.config_error import ConfigError
from core.organizations import Directory
from core.conversation_settings import ConversationSettings
from core.threads import Target

# The conversation settings, for the whole deployment until organizations have their own.
POLICY_VARIABLES = {
    "POLICY_WINDOW_HOURS": "window_seconds",
    "POLICY_WARNING_HOURS": "warning_after_seconds",
    "POLICY_EMPLOYEE_QUOTA": "employee_quota",
    "POLICY_WECHAT_QUOTA": "wechat_quota",
    "POLICY_QUEUE_LIMIT": "queue_limit",
    "POLICY_TEMPLATE_ID": "template_id",
    "POLICY_GUEST_LANGUAGE": "guest_language",
    "POLICY_EMPLOYEE_LANGUAGE": "employee_language",
}
_EMPLOYEE_TARGET = re.compile(r"^(employee|channel):\S+$")


def deployment_settings(env: Env, problems: list[str]) -> ConversationSettings:
    values: dict[str, object] = {key: env[name].strip() for name, key in POLICY_VARIABLES.items() if env.get(name)}
    for key in ("window_seconds", "warning_after_seconds"):  # given in hours
        if key in values:
            try:
                values[key] = float(values[key]) * 3600  # type: ignore[arg-type]
            except ValueError:
                pass  # from_mapping reports it
    try:
        return ConversationSettings.from_mapping(values)
    except ConfigError as exc:
        problems.extend(_settings_variable(p) for p in exc.problems)
        return ConversationSettings()


def _settings_variable(problem: str) -> str:
    """Name the environment variable in a settings problem ('employee_quota: …' → 'POLICY_EMPLOYEE_QUOTA: …')."""
    for name, key in POLICY_VARIABLES.items():
        if problem.startswith(key):
            return name + problem[len(key):]
    return problem


def read_default_target(env: Env, problems: list[str]) -> str:
    """DEFAULT_TARGET, checked on its own ("employee:<aad object id>" or "channel:<team channel id>")."""
    target = text(env, "DEFAULT_TARGET")
    if target and not _EMPLOYEE_TARGET.match(target):
        problems.append(
            f"DEFAULT_TARGET: must be 'employee:<AAD object id>' or 'channel:<team channel id>', got {target!r}"
        )
    return target


def check_default_target(target: str, directory: Directory, problems: list[str]) -> None:
    """DEFAULT_TARGET against the organizations: it must be somebody's or some inbox of theirs."""
    if target and _EMPLOYEE_TARGET.match(target) and not directory.for_target(Target.parse(target)):
        problems.append(f"DEFAULT_TARGET: {target} is in no sub-organization of ORGANIZATIONS_FILE "
                        "(an employee listed there, or a sub-organization's inbox)")


def read_directory(path: str, settings: ConversationSettings,
                   problems: list[str]) -> tuple[Directory, Mapping[str, Any]]:
    """The organizations file (TOML) and the employee directory files it names, read at start-up
    (the latter are watched: adapters/directory_files.py); none: everyone in one sub-organization."""
    if not path:
        return Directory.open(settings), {}
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        problems.append(f"ORGANIZATIONS_FILE: cannot read {path}: {exc.strerror or exc}")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"ORGANIZATIONS_FILE: {path} is not valid TOML: {exc}")
    else:
        try:
            return load_directory(data, Path(path).parent, settings), data
        except ConfigError as exc:
            problems.extend(f"ORGANIZATIONS_FILE ({path}): {p}" for p in exc.problems)
    return Directory.open(settings), {}
