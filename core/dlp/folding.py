"""The text DLP matching sees, and where each of its characters was in the message. Pure.

Matching is on a folded copy of the message, so that the usual ways of writing around a rule do not:
- invisible and format characters are dropped (zero-width spaces and joiners, soft hyphens, bidi
  marks, variation selectors, fillers): `guaran<ZWSP>teed` is `guaranteed`;
- every other character becomes its NFKC form when that is one character (full-width digits, letters
  and punctuation, the ideographic space: "４１１１　１１１１…" is a card number); one whose NFKC form is
  longer ("㎏") is kept as it is.
Then two views differ by what they are for:
- `words` (lexicons, the firm's patterns): Traditional Chinese characters as Simplified (保證收益 is
  保证收益: a lexicon is written once), and Cyrillic and Greek letters that look Latin as Latin
  ("guarаnteed" with a Cyrillic а);
- `numbers` (the detectors): Chinese numerals as digits (一三八… is a phone number, 壹贰叁 too), and
  "_" as "-" (a separator between digits, as the others are).
Each kept character becomes exactly one, so a span of a view maps back to a span of the message
(`Folded.original`) and findings quote and mask the message itself: the record never holds text the
message did not, and a redaction hides exactly what matched, the invisible characters inside it too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

# Invisible: the format characters (Unicode 14's category Cf: tests/core/test_dlp_evasions.py checks the
# list against unicodedata) and the variation selectors, fillers and joiners that draw nothing either.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")

_NUMERALS = {**dict.fromkeys("〇零", "0"), **{c: str(i + 1) for i, c in enumerate("一二三四五六七八九")},
             **{c: str(i + 1) for i, c in enumerate("壹贰叁肆伍陆柒捌玖")}, "貳": "2", "參": "3", "陸": "6",
             "幺": "1",  # 幺: how "1" is read out in phone numbers
             "_": "-"}  # a separator in numbers, as "-" is (138_0013_8000)
_LOOKALIKES = dict(zip(  # Cyrillic and Greek letters drawn like Latin ones
    "аеорсухіјѕԁһӏАВЕКМНОРСТХІЈЅαοριυνκτΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlABEKMHOPCTXIJSaopiuvktABEZHIKMNOPTYX"))

_T2S: Any = None  # opencc's converter, loaded at the first Chinese character met (its dictionaries take time)


def _simplified(char: str) -> str:
    global _T2S
    if _T2S is None:
        from opencc import OpenCC

        _T2S = OpenCC("t2s")
    converted: str = _T2S.convert(char)
    return converted if len(converted) == 1 else char


def _nfkc(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def _word_char(char: str) -> str:
    char = _nfkc(char)
    if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
        return _simplified(char)
    return _LOOKALIKES.get(char, char)


def _number_char(char: str) -> str:
    char = _nfkc(char)
    return _NUMERALS.get(char, char)


class _Table(dict[int, str]):
    """code point -> its one character in a view, learnt as characters are met (up to _KEPT of them:
    text made of ever new characters must not grow it without end)."""

    def __init__(self, of: Callable[[str], str]) -> None:
        super().__init__()
        self.of = of

    def __missing__(self, code: int) -> str:
        value = self.of(chr(code))
        if len(self) < _KEPT:
            self[code] = value
        return value


_KEPT = 50_000
_WORDS, _NUMBERS = _Table(_word_char), _Table(_number_char)
_NUMBERS_ASCII = {ord(c): v for c, v in _NUMERALS.items() if c.isascii()}


@dataclass(frozen=True)
class Folded:
    """A view of a message; `dropped`: where in the message the characters it left out were (sorted)."""

    text: str
    dropped: tuple[int, ...] = ()

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the message that the view's span [start, end) was folded from."""
        if not self.dropped or start == end:
            return start, end
        return self._where(start), self._where(end - 1) + 1

    def _where(self, index: int) -> int:
        """Where the view's character `index` was in the message: past every dropped one before it."""
        position = index
        for gone in self.dropped:
            if gone > position:
                break
            position += 1
        return position


def _view(text: str, table: _Table, ascii_table: dict[int, str]) -> Folded:
    if text.isascii():  # the common case, quickly: nothing to drop, only what the view changes in ASCII
        return Folded(text.translate(ascii_table) if ascii_table else text)
    dropped = tuple(m.start() for m in _INVISIBLE.finditer(text))
    return Folded((_INVISIBLE.sub("", text) if dropped else text).translate(table), dropped)


def words(text: str) -> Folded:
    """What lexicons and patterns see."""
    return _view(text, _WORDS, {})


def numbers(text: str) -> Folded:
    """What the detectors see."""
    return _view(text, _NUMBERS, _NUMBERS_ASCII)


def fold(text: str) -> str:
    """The words view's text (what a lexicon term is matched as)."""
    return words(text).text
