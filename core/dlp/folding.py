"""The text DLP matching sees. Pure.

Matching is on a folded copy of the text: each character is replaced by its NFKC form when that is
one character (full-width digits, letters, punctuation and the ideographic space become ASCII:
"４１１１　１１１１…" is a card number); a character whose NFKC form is longer ("㎏") is kept as
it is. The fold never changes the length, so a span in the folded text is the same span of the
original, and findings quote the original: the record never holds text the message did not.
"""
from __future__ import annotations

import unicodedata


class _Fold(dict[int, str]):
    """code point -> its one-character NFKC form (or itself), learnt as characters are met (up to
    _FOLD_KEPT of them: text made of ever new characters must not grow it without end)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        value = folded if len(folded) == 1 else char
        if len(self) < _FOLD_KEPT:
            self[code] = value
        return value


_FOLD_KEPT = 50_000


_FOLD = _Fold()


def fold(text: str) -> str:
    """The text matching sees: full-width and other compatibility forms as their plain character,
    one character for one, so that offsets in it are offsets in `text`."""
    return text if text.isascii() else text.translate(_FOLD)
