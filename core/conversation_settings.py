"""A sub-organization's settings for its conversations with WeChat guests, as data: WeChat's quotas and
windows, the queue limit, the languages, the leave keyword, whether chats are recorded. Defaults
match WeChat today. (The rules that apply them are the conversation policy, core/conversation_policy/;
the organizations file and the environment still call these settings "policy", POLICY_*.)

WeChat grants a business `wechat_quota` customer-service messages per guest message, valid
`window_seconds`; a follow or a parametric-QR scan grants `event_quota` messages for
`event_window_seconds` (see docs/wechat-platform.md). Every message counts, the product's own
notices included. Employees (and other system messages, e.g. a dialog's) may use `employee_quota`
of them; the rest (`wechat_quota - employee_quota`) is reserved for the conversation policy's own notices to the
guest ("on hold, please reply", "you have new messages"). Firms configure 3, 4 or 5.

Validated when built: invalid ConversationSettings cannot exist. `ConversationSettings.from_mapping` takes
plain config data (loading it from files or the environment is the caller's job).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from core.config_error import ConfigError
from core.notices import EN, LANGUAGES, ZH_CN, normalize_language


@dataclass(frozen=True)
class ConversationSettings:
    window_seconds: float = 48 * 3600.0  # a guest message opens the window this long
    warning_after_seconds: float = 24 * 3600.0  # "no reply for 24 h" warning to the employees
    wechat_quota: int = 5  # messages WeChat allows per guest message
    employee_quota: int = 4  # of which employees and system messages may use; the rest is reserved
    event_quota: int = 3  # messages WeChat allows after a follow / QR scan …
    event_window_seconds: float = 60.0  # … within this time
    queue_limit: int = 5  # employee messages held while the chat is inactive
    template_id: str | None = None  # template for "you have new messages" when the window is closed
    guest_language: str = ZH_CN  # until the thread knows the guest's own
    employee_language: str = EN
    leave_keyword: str = "#LEAVE"  # a guest message that is exactly this leaves the chat
    recorded: bool = False  # the chat is recorded: the guest's welcome says so

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ConfigError(problems, "messaging policy")

    @property
    def reserved(self) -> int:
        """Slots per guest message kept for the conversation policy's notices to the guest."""
        return self.wechat_quota - self.employee_quota

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ConversationSettings":
        """A ConversationSettings from config data: unknown keys, wrong types and bad values are all reported.

        Numbers may be given as int, float or numeric strings (environment variables); booleans
        are not numbers. An empty `template_id` means none. Languages accept any spelling of a
        supported one (`zh_CN`, `zh-cn`, `en-US`).
        """
        known = [f.name for f in fields(cls)]
        problems: list[str] = []
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                problems.append(f"{key}: unknown setting (known: {', '.join(known)})")
                continue
            try:
                if key in _WHOLE:
                    values[key] = _whole(raw)
                elif key in _SECONDS:
                    values[key] = _number(raw)
                elif key == "template_id":
                    values[key] = _optional_text(raw)
                elif key in _LANGUAGE:
                    values[key] = _language(raw)
                elif key == "recorded":
                    if not isinstance(raw, bool):
                        raise TypeError(f"expected true or false, got {raw!r}")
                    values[key] = raw
                else:
                    values[key] = _text(raw)
            except (TypeError, ValueError) as exc:
                problems.append(f"{key}: {exc}")
        if problems:
            raise ConfigError(problems, "messaging policy")
        return cls(**values)  # __post_init__ checks the values and how they fit together

    def to_mapping(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_WHOLE = frozenset({"wechat_quota", "employee_quota", "event_quota", "queue_limit"})
_SECONDS = frozenset({"window_seconds", "warning_after_seconds", "event_window_seconds"})
_LANGUAGE = frozenset({"guest_language", "employee_language"})


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return raw


def _language(raw: Any) -> str:
    language = normalize_language(_text(raw))
    if language is None:
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}, got {raw!r}")
    return language


def _optional_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text or nothing, got {type(raw).__name__}")
    return raw.strip() or None


def _whole(raw: Any) -> int:
    if isinstance(raw, bool):
        raise TypeError("expected a whole number, got a boolean")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
    raise TypeError(f"expected a whole number, got {raw!r}")


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise TypeError("expected a number of seconds, got a boolean")
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            raise ValueError(f"expected a number of seconds, got {raw!r}") from None
    raise TypeError(f"expected a number of seconds, got {raw!r}")


def _problems(settings: ConversationSettings) -> list[str]:
    return _problems_of({f.name: getattr(settings, f.name) for f in fields(settings)})


def _problems_of(v: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []

    def is_int(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    def is_num(x: Any) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and x not in (
            float("inf"), float("-inf"))

    for name in ("window_seconds", "warning_after_seconds", "event_window_seconds"):
        if not is_num(v[name]) or v[name] <= 0:
            problems.append(f"{name}: must be a positive number of seconds, got {v[name]!r}")
    if is_num(v["window_seconds"]) and is_num(v["warning_after_seconds"]) \
            and v["warning_after_seconds"] >= v["window_seconds"] > 0:
        problems.append(f"warning_after_seconds: must be less than window_seconds ({v['window_seconds']}), "
                        f"got {v['warning_after_seconds']}")
    if not is_int(v["wechat_quota"]) or v["wechat_quota"] < 1:
        problems.append(f"wechat_quota: must be a whole number of at least 1, got {v['wechat_quota']!r}")
    elif not is_int(v["employee_quota"]) or not 1 <= v["employee_quota"] <= v["wechat_quota"]:
        problems.append(f"employee_quota: must be a whole number from 1 to wechat_quota ({v['wechat_quota']}), "
                        f"got {v['employee_quota']!r}")
    if not is_int(v["event_quota"]) or v["event_quota"] < 0:
        problems.append(f"event_quota: must be a whole number of at least 0, got {v['event_quota']!r}")
    if not is_int(v["queue_limit"]) or v["queue_limit"] < 0:
        problems.append(f"queue_limit: must be a whole number of at least 0, got {v['queue_limit']!r}")
    template = v["template_id"]
    if template is not None and (not isinstance(template, str) or not template.strip()):
        problems.append(f"template_id: must be a non-empty text or None, got {template!r}")
    for name in ("guest_language", "employee_language"):
        if v[name] not in LANGUAGES:
            problems.append(f"{name}: must be one of {', '.join(LANGUAGES)}, got {v[name]!r}")
    keyword = v["leave_keyword"]
    if not isinstance(keyword, str) or not keyword.strip() or keyword != keyword.strip():
        problems.append(f"leave_keyword: must be a non-empty text without surrounding spaces, got {keyword!r}")
    return problems
