"""The languages the notices are written in, and which of them a language code from anywhere means."""
from __future__ import annotations

from typing import Iterable

EN = "en"
ZH_CN = "zh-CN"
LANGUAGES = (EN, ZH_CN)


def normalize_language(code: str | None) -> str | None:
    """A supported language for a language code from anywhere (WeChat's `zh_CN`, Teams' `zh-cn`,
    `en_US` …), or None when it is none of ours. Any Chinese maps to Simplified Chinese: it is the
    only Chinese the catalogue has, and closer to a Traditional-Chinese reader than English."""
    if not code:
        return None
    norm = code.strip().replace("_", "-").lower()
    if norm == "en" or norm.startswith("en-"):
        return EN
    if norm == "zh" or norm.startswith("zh-"):
        return ZH_CN
    return None


def sentences(parts: Iterable[str], language: str | None) -> str:
    """Texts said in one message: Chinese runs its sentences on, English spaces them."""
    return ("" if normalize_language(language) == ZH_CN else " ").join(parts)
