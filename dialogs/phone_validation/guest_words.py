"""What a guest's text says to the validation: a keyword (in either language), a PIN, or whether it
tries a number at all. Folded first (NFKC: full-width ＨＥＬＰ and digits), case and surrounding
punctuation ignored. Pure."""
from __future__ import annotations

import re
import unicodedata
from typing import Mapping

_KEYWORDS: Mapping[str, frozenset[str]] = {
    "help": frozenset({"help", "帮助"}),
    "update": frozenset({"update", "更新"}),
    "call": frozenset({"call", "电话"}),
    "resend": frozenset({"resend", "重发"}),
    "yes": frozenset({"yes", "y", "是", "是的", "对"}),
    "no": frozenset({"no", "n", "否", "不是"}),
}
_PUNCTUATION = " \t\r\n.!?,;:'\"。！？，；：、"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def keyword(text: str) -> str | None:
    """"help", "update", "call", "resend", "yes", "no" when the text is one of their words (either
    language, any case, full-width, surrounding punctuation); else None."""
    word = _fold(text).strip(_PUNCTUATION).casefold()
    return next((name for name, words in _KEYWORDS.items() if word in words), None)


def pin_text(text: str) -> str | None:
    """The digits typed, when the text is only digits (spaces allowed): a PIN attempt if 6."""
    digits = re.sub(r"[\s\-]", "", _fold(text)).strip(_PUNCTUATION)
    return digits if digits.isascii() and digits.isdigit() else None



def has_digit(text: str) -> bool:
    """Whether the text tries a number at all ("hello" does not)."""
    return any(ch.isdigit() for ch in _fold(text))
