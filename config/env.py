"""Reading variables: the environment over an optional .env file, and the checks every section of
the settings shares (a whole number in a range, one of a few words, a URL). Each check adds what is
wrong to `problems`, named by its variable, and returns a usable value, so that every problem is
found in one pass."""
from __future__ import annotations

import os
import re
from typing import Mapping

Env = Mapping[str, str]

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HTTP_URL = re.compile(r"^https?://[^\s/]+")


class Secret(str):
    """A string that does not show itself in repr() or logs."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"


def environment(env: Env | None, dotenv_path: str | None) -> Env:
    """`env` as given; None: os.environ merged over the .env file (the environment wins)."""
    if env is not None:
        return env
    merged = dict(os.environ)
    if dotenv_path and os.path.exists(dotenv_path):
        from dotenv import dotenv_values

        merged = {**{k: v or "" for k, v in dotenv_values(dotenv_path).items()}, **merged}
    return merged


def text(env: Env, name: str, default: str = "") -> str:
    return (env.get(name) or default).strip()


def whole_number(env: Env, name: str, default: int, problems: list[str], lo: int, hi: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}: expected a whole number, got {raw!r}")
        return default
    if not lo <= value <= hi:
        problems.append(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def choice(env: Env, name: str, default: str, choices: tuple[str, ...], problems: list[str]) -> str:
    value = env.get(name, "").strip() or default
    if value not in choices:
        problems.append(f"{name}: must be one of {', '.join(choices)}, got {value!r}")
    return value


def is_http_url(value: str) -> bool:
    return _HTTP_URL.match(value) is not None


def url(env: Env, name: str, default: str, problems: list[str]) -> str:
    value = (env.get(name, "").strip() or default).rstrip("/")
    if not is_http_url(value):
        problems.append(f"{name}: must be an http(s) URL, got {value!r}")
    return value
