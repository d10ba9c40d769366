"""The firm's own DLP expressions: lexicons (English and Chinese terms) and regular expressions. Pure.

User regular expressions are compiled once, when the policy is built. They are the firm's (trusted
configuration), but a careless one can backtrack for a long time, so: a pattern that nests an
unbounded repetition inside another (`(a+)+`, `(\\w+\\s?)*`), the classic exponential case, is
refused when built (write it with a possessive quantifier or an atomic group instead), and patterns
run over windows of `PATTERN_WINDOW` characters (overlapping by `PATTERN_OVERLAP`), so that the
cost of a polynomial one grows with the message's length, not its square. Every character of a
long message is still examined (a cap on the length evaluated would let padding smuggle the rest
through); only a match longer than `PATTERN_OVERLAP` that straddles a window edge can be cut short.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from core.dlp.detectors import Span
from core.dlp.folding import fold

PATTERN_WINDOW = 1024  # characters a user pattern sees at once
PATTERN_OVERLAP = 128  # between windows: a match this long or shorter is never cut

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")


def lexicon_regex(terms: Iterable[str]) -> re.Pattern[str]:
    """One expression for a list of terms, matched on folded text in lower case (`lowered`: three times
    faster than the engine's case-insensitive mode). A term's
    edge that is an ASCII letter or digit must not touch another one (English words: "sure" is
    not in "assured"); other edges match anywhere (Chinese has no spaces: 稳赚 in 这个稳赚不赔).
    So an English term is found right next to Chinese ("我们guaranteed return"). Whitespace inside
    a term matches any run of whitespace. Longer terms first: the longest wins at a position.
    Terms and text are both folded (core/dlp/folding.py: invisible characters dropped, Traditional as
    Simplified, look-alike letters as Latin), so 保证收益 also finds 保證收益 and 保<ZWSP>证收益; list
    the inflections that are meant ("returns")."""
    parts = []
    for term in sorted({lowered(fold(t).strip()) for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        body = r"\s+".join(re.escape(word) for word in term.split())
        if _ASCII_WORD.match(term[0]):
            # The first character, then the check of the one before it: every alternative starting with a
            # literal lets the engine skip to where one of those characters is (twice as fast on 2 KB).
            first = re.escape(term[0])
            body = first + r"(?<![A-Za-z0-9_].)" + body[len(first):]
        if _ASCII_WORD.match(term[-1]):
            body += r"(?![A-Za-z0-9_])"
        parts.append(body)
    return re.compile("|".join(parts))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lowered(text: str) -> str:
    """`text` in lower case, one character for one (offsets hold): str.lower() unless it changes the length
    (a dotted İ), then ASCII letters only."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def pattern_spans(regex: re.Pattern[str], text: str, window: int = PATTERN_WINDOW,
                   overlap: int = PATTERN_OVERLAP) -> list[Span]:
    """The non-empty matches of `regex`, one window of text at a time. Each window answers for the
    matches that start before the next window does (the last for the rest), and searches on from
    where the last match ended, as a search of the whole text would: a match is reported once,
    and the matches are those of the whole text as long as none is longer than `overlap`."""
    spans: list[Span] = []
    step = window - overlap
    start, done_to = 0, 0
    while True:
        end = min(start + window, len(text))
        final = end == len(text)
        for m in regex.finditer(text, min(max(start, done_to), end), end):
            if not final and m.start() >= start + step:
                break
            if m.end() > m.start():
                spans.append(m.span())
                done_to = m.end()
        if final:
            return spans
        start += step


try:  # CPython's own parser, for the check below; without it patterns are not checked
    from re import _constants as _sre, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other interpreters
    _sre = _sre_parse = None


def _nested_repetition(pattern: str) -> bool:
    """Whether an unbounded repetition sits inside another repetition (`(a+)+`, `(\\w+\\s?)*`): the
    shape that backtracks exponentially. Possessive repetitions and atomic groups do not count
    for the inner one. A heuristic: other slow shapes (`(a|aa)*`) pass."""
    if _sre_parse is None:  # pragma: no cover
        return False
    repeats = (_sre.MAX_REPEAT, _sre.MIN_REPEAT)

    def children(op: Any, av: Any) -> list[Any]:
        if op in repeats or op == _sre.POSSESSIVE_REPEAT:
            return [av[2]]
        if op == _sre.SUBPATTERN:
            return [av[3]]
        if op == _sre.BRANCH:
            return list(av[1])
        if op == _sre.ATOMIC_GROUP:
            return [av]
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            return [av[1]]
        if op == _sre.GROUPREF_EXISTS:
            return [p for p in av[1:] if p is not None]
        return []

    def unbounded(items: Any) -> bool:
        for op, av in items:
            if op in repeats and av[1] == _sre.MAXREPEAT:
                return True
            if op not in (_sre.ATOMIC_GROUP, _sre.POSSESSIVE_REPEAT) \
                    and any(unbounded(c) for c in children(op, av)):
                return True
        return False

    def nested(items: Any) -> bool:
        for op, av in items:
            if op in repeats and av[1] > 1 and unbounded(av[2]):
                return True
            if any(nested(c) for c in children(op, av)):
                return True
        return False

    return nested(_sre_parse.parse(pattern))

def pattern_problems(pattern: Any) -> list[str]:
    if not isinstance(pattern, str) or not pattern:
        return [f"must be a non-empty regular expression, got {pattern!r}"]
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        return [f"invalid regular expression: {exc}"]
    if regex.fullmatch(""):
        return ["matches the empty text (it would find nothing, or everything)"]
    if _nested_repetition(pattern):
        return ["an unbounded repetition inside another ((a+)+) can take exponential time; use a possessive "
                "quantifier ((a+)++) or an atomic group ((?>a+)+) instead"]
    return []

