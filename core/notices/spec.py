"""What one notice is: its key, who reads it, when it is sent, its placeholders, its text in each language."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from core.notices.languages import EN, ZH_CN

GUEST = "guest"  # the WeChat user
EMPLOYEES = "employees"  # the advisors in Teams


class NoticeError(ValueError):
    """An override or a render that does not fit the notice catalogue; the message says which."""


@dataclass(frozen=True)
class NoticeSpec:
    key: str
    audience: str  # GUEST | EMPLOYEES
    placeholders: frozenset[str]
    texts: Mapping[str, str]  # language -> text
    when: str  # when it is sent (documentation, also shown by tools listing the catalogue)


def notice(key: str, audience: str, when: str, placeholders: str, en: str, zh: str) -> NoticeSpec:
    """One catalogue entry: every notice is written in both languages (the signature asks for both)."""
    return NoticeSpec(key, audience, frozenset(placeholders.split()), {EN: en, ZH_CN: zh}, when)
