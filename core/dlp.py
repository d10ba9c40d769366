"""Data-loss prevention: what a message may carry across, per sub-organization and direction. Pure: no I/O.

A sub-organization's `DlpPolicy` is a list of rules. A rule finds spans of a message with one of
three things: a built-in detector (`card`, `cn_id`, `hkid`, `iban`, `phone`, `email`), which checks
what its pattern finds (Luhn, check digits, mod 97, libphonenumber) so that a number that merely
looks right is not reported; a lexicon (English and Chinese terms); or a regular expression. It acts
on the messages of one direction (`inbound`: WeChat guest -> employees, `outbound`: employee -> guest,
or `both`) with one action:

- `block`: not delivered; the sender is told why (`Verdict.reason`), the other side is not.
- `redact`: delivered with each found span masked: every character of it becomes `*`, so the
  delivered text keeps the original's length and the reader sees where and how much was removed,
  and the offsets of the findings hold in both texts.
- `flag`: delivered unchanged; compliance is alerted (`Verdict.flagged`).
- `allow`: an exemption (the firm's own hotline or address): a finding of another rule that lies
  wholly inside a span an allow rule found is dropped. Wholly, not merely overlapping: an allow
  rule can never clear a larger sensitive span it happens to touch.

The strongest action of the rules that found something is the verdict's: block > redact > flag >
allow (nothing found: allow). Every rule that found something acts: a message both redacted and
flagged is delivered masked and compliance is alerted.

Matching is on a folded copy of the text: each character is replaced by its NFKC form when that is
one character (full-width digits, letters, punctuation and the ideographic space become ASCII:
"４１１１　１１１１…" is a card number); a character whose NFKC form is longer ("㎏") is kept as
it is. The fold never changes the length, so a span in the folded text is the same span of the
original, and findings quote the original: the record never holds text the message did not.

Built-in detectors report what a span *is*, whatever rules exist: when spans of two detectors
overlap, the more specific one keeps it, in the order of `DETECTORS` (iban > cn_id > card > hkid >
email > phone), so a card number, an ID number or a numeric e-mail address is never also a phone
number. Lexicon and pattern rules are the firm's own and are never displaced.

User regular expressions are compiled once, when the policy is built. They are the firm's (trusted
configuration), but a careless one can backtrack for a long time, so: a pattern that nests an
unbounded repetition inside another (`(a+)+`, `(\\w+\\s?)*`), the classic exponential case, is
refused when built (write it with a possessive quantifier or an atomic group instead), and patterns
run over windows of `PATTERN_WINDOW` characters (overlapping by `PATTERN_OVERLAP`), so that the
cost of a polynomial one grows with the message's length, not its square. Every character of a
long message is still examined (a cap on the length evaluated would let padding smuggle the rest
through); only a match longer than `PATTERN_OVERLAP` that straddles a window edge can be cut short.

`dlp_from_mapping` builds a policy from a sub-organization's `dlp` table (parsed TOML), every
problem reported with where it is.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import phonenumbers

from core.notices import EN, LANGUAGES, normalize_language

INBOUND, OUTBOUND, BOTH = "inbound", "outbound", "both"  # inbound: WeChat guest -> employees
DIRECTIONS = (INBOUND, OUTBOUND, BOTH)
ALLOW, REDACT, BLOCK, FLAG = "allow", "redact", "block", "flag"
ACTIONS = (ALLOW, REDACT, BLOCK, FLAG)
_STRENGTH = {ALLOW: 0, FLAG: 1, REDACT: 2, BLOCK: 3}

CARD, CN_ID, HKID, IBAN, PHONE, EMAIL = "card", "cn_id", "hkid", "iban", "phone", "email"
LEXICON, PATTERN = "lexicon", "pattern"  # the `detector` of a finding of a lexicon or pattern rule
DETECTORS = (IBAN, CN_ID, CARD, HKID, EMAIL, PHONE)  # most specific first: the precedence on overlaps

DEFAULT_PHONE_REGION = "CN"  # how a number without a country code is read
MASK = "*"
PATTERN_WINDOW = 1024  # characters a user pattern sees at once
PATTERN_OVERLAP = 128  # between windows: a match this long or shorter is never cut

_RULE_KEYS = ("name", "detector", "lexicon", "pattern", "direction", "action", "reason")
_DLP_KEYS = ("phone_region", "rules")


class DlpError(ValueError):
    """A DLP rule or policy is invalid; the message names every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid data-loss prevention policy:\n  " + "\n  ".join(problems))


# --- normalisation -----------------------------------------------------------------------------

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


# --- findings and detectors ---------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """A span of a message that a detector, lexicon or pattern found; `text` is the original's."""

    detector: str  # card | cn_id | hkid | iban | phone | email | lexicon | pattern
    start: int
    end: int  # text[start:end]
    text: str
    rule: str | None = None  # the rule that found it (None: a detector called on its own)
    action: str | None = None  # that rule's action

    def to_mapping(self) -> dict[str, Any]:
        return {"rule": self.rule, "detector": self.detector, "action": self.action,
                "start": self.start, "end": self.end, "text": self.text}


Span = tuple[int, int]

# Card numbers: runs of digits with single spaces or hyphens between groups; then validated.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]+(?:[ -][0-9]+)*(?![0-9])")
_DIGITS = re.compile(r"[0-9]+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = ord(char) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _is_card(digits: str) -> bool:
    """13-19 digits, Luhn-valid, starting as payment cards do (2 Mastercard/Mir, 3 Amex/JCB/
    Diners, 4 Visa, 5 Mastercard/Maestro, 6 UnionPay/Discover/Maestro) and not one digit repeated."""
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and digits.count(digits[0]) != len(digits) \
        and _luhn(digits)


def _card_spans(text: str) -> list[Span]:
    """A card is one group of 13-19 digits, or consecutive groups of 3-6 digits with the same
    separator (4-4-4-4, 4-6-5, 4-4-4-4-3 …); the longest valid one from each group on is taken,
    so "4111 1111 1111 1111 12/25" is a card and its expiry, and "05 13800138000" is no card.
    A run right after "+" starts as a phone number in international form does, not as a card."""
    spans: list[Span] = []
    for run in _DIGIT_RUN.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end()) for g in _DIGITS.finditer(run.group())]
        i = 1 if run.start() > 0 and text[run.start() - 1] == "+" else 0
        while i < len(groups):
            last = _card_from(text, groups, i)
            if last is None:
                i += 1
            else:
                spans.append((groups[i][0], groups[last][1]))
                i = last + 1
    return spans


def _card_from(text: str, groups: list[Span], i: int) -> int | None:
    """The last group of the longest card starting at group i, if any."""
    start, end = groups[i]
    if 13 <= end - start <= 19:
        return i if _is_card(text[start:end]) else None
    if not 3 <= end - start <= 6:
        return None
    best, digits, j = None, text[start:end], i
    separator = text[end] if i + 1 < len(groups) else ""
    while j + 1 < len(groups):
        s, e = groups[j + 1]
        if text[groups[j][1]] != separator or not 3 <= e - s <= 6 or len(digits) + e - s > 19:
            break
        digits += text[s:e]
        j += 1
        if len(digits) >= 13 and _is_card(digits):
            best = j
    return best


_CN_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _cn_id_valid(number: str) -> bool:
    """GB 11643: ISO 7064 MOD 11-2 check character, and digits 7-14 a real date of 1900-2099."""
    check = "10X98765432"[sum(int(d) * w for d, w in zip(number, _CN_ID_WEIGHTS)) % 11]
    if number[17].upper() != check:
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not 1900 <= year <= 2099:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _cn_id_spans(text: str) -> list[Span]:
    return [m.span() for m in _CN_ID.finditer(text) if _cn_id_valid(m.group())]


# One or two capital letters, six digits, the check character with or without brackets.
_HKID = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,2})([0-9]{6})(?: ?\(([0-9A])\)|([0-9A])(?![A-Za-z0-9]))")


def _hkid_check(letters: str, digits: str) -> str:
    """Weights 9..2 over the (space-padded) two letters and six digits; a space counts 36, A-Z
    10-35; the check is 11 - sum mod 11, where 10 is written A and 11 is 0."""
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    check = 11 - sum(v * w for v, w in zip(values, range(9, 1, -1))) % 11
    return {10: "A", 11: "0"}.get(check, str(check))


def _hkid_spans(text: str) -> list[Span]:
    return [m.span() for m in _HKID.finditer(text)
            if _hkid_check(m.group(1), m.group(2)) == (m.group(3) or m.group(4))]


# Capitals and digits only, as IBANs are printed: compact or in groups of four.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)"
                   r"(?![A-Za-z0-9])")
IBAN_LENGTHS: Mapping[str, int] = {  # the SWIFT registry's, for the countries most met; others: 15-34
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IS": 26, "IT": 27, "KW": 30, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "QA": 29, "RO": 24, "SA": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "TR": 26,
}
NO_IBAN = frozenset({"AU", "CA", "CN", "HK", "IN", "JP", "KR", "MO", "NZ", "SG", "TW", "US"})  # no IBANs there


def _iban_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in _IBAN.finditer(text):
        country = m.group()[:2]
        if country in NO_IBAN:
            continue
        compact = m.group().replace(" ", "")
        end = m.end()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            if not 15 <= len(compact) <= 34:
                continue
        elif len(compact) < length:
            continue
        elif len(compact) > length:  # a word of four or fewer after it: cut at a group's edge
            cut = _nth_alnum_end(m.group(), length)
            if m.group()[cut:cut + 1] != " ":
                continue
            compact, end = compact[:length], m.start() + cut
        if _mod97(compact) == 1:
            spans.append((m.start(), end))
    return spans


def _nth_alnum_end(text: str, n: int) -> int:
    seen = 0
    for i, char in enumerate(text):
        if char != " ":
            seen += 1
            if seen == n:
                return i + 1
    return len(text)


def _mod97(compact: str) -> int:
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97


_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]{0,63}"
                    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9\-])")


def _email_spans(text: str) -> list[Span]:
    """local@domain.tld with an ASCII address (a top-level domain of two letters or more: no "a@b")."""
    return [m.span() for m in _EMAIL.finditer(text)]


_ANY_DIGIT = re.compile(r"\d")


def _phone_spans(text: str, region: str = DEFAULT_PHONE_REGION) -> list[Span]:
    """libphonenumber's matcher at leniency VALID: numbers valid for their country, read as
    `region`'s when written without a country code (13800138000 is Chinese, 9123 4567 is not)."""
    if not _ANY_DIGIT.search(text):
        return []
    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID)]


_SPANS: Mapping[str, Callable[[str], list[Span]]] = {
    CARD: _card_spans, CN_ID: _cn_id_spans, HKID: _hkid_spans, IBAN: _iban_spans, EMAIL: _email_spans}


def _detected(folded: str, names: Iterable[str], phone_region: str) -> dict[str, list[Span]]:
    """The spans each detector in `names` keeps once overlaps go to the more specific detector;
    detectors more specific than those asked for run too, as they decide what a span is."""
    wanted = set(names)
    if not wanted:
        return {}
    lowest = max(DETECTORS.index(n) for n in wanted)
    found: list[tuple[int, Span, str]] = []
    for rank, name in enumerate(DETECTORS[:lowest + 1]):
        spans = _phone_spans(folded, phone_region) if name == PHONE else _SPANS[name](folded)
        found.extend((rank, span, name) for span in spans)
    kept: dict[str, list[Span]] = {n: [] for n in wanted}
    taken: list[tuple[Span, str]] = []
    for _rank, (start, end), name in sorted(found):
        if any(start < e and s < end and other != name for (s, e), other in taken):
            continue
        taken.append(((start, end), name))
        if name in wanted:
            kept[name].append((start, end))
    return kept


def detect(text: str, detectors: Iterable[str] = DETECTORS, *, phone_region: str = DEFAULT_PHONE_REGION
           ) -> list[Finding]:
    """What the built-in detectors find in `text`, overlaps resolved by precedence, in text order."""
    names = list(detectors)
    for name in names:
        if name not in DETECTORS:
            raise ValueError(f"unknown detector {name!r} (known: {', '.join(DETECTORS)})")
    spans = _detected(fold(text), names, phone_region)
    return sorted((Finding(name, s, e, text[s:e]) for name, found in spans.items() for s, e in found),
                  key=lambda f: (f.start, f.end))


def _one(name: str, spans: Callable[[str], list[Span]]) -> Callable[[str], list[Finding]]:
    def detector(text: str) -> list[Finding]:
        return [Finding(name, s, e, text[s:e]) for s, e in spans(fold(text))]
    detector.__name__ = detector.__qualname__ = name
    detector.__doc__ = f"The {name} findings of `text` on their own (no precedence over other detectors)."
    return detector


card = _one(CARD, _card_spans)
cn_id = _one(CN_ID, _cn_id_spans)
hkid = _one(HKID, _hkid_spans)
iban = _one(IBAN, _iban_spans)
email = _one(EMAIL, _email_spans)


def phone(text: str, region: str = DEFAULT_PHONE_REGION) -> list[Finding]:
    """The phone findings of `text` on their own (no precedence over other detectors)."""
    return [Finding(PHONE, s, e, text[s:e]) for s, e in _phone_spans(fold(text), region)]


# --- lexicons and patterns ------------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")


def lexicon_regex(terms: Iterable[str]) -> re.Pattern[str]:
    """One expression for a list of terms, matched on folded text, case-insensitively. A term's
    edge that is an ASCII letter or digit must not touch another one (English words: "sure" is
    not in "assured"); other edges match anywhere (Chinese has no spaces: 稳赚 in 这个稳赚不赔).
    So an English term is found right next to Chinese ("我们guaranteed return"). Whitespace inside
    a term matches any run of whitespace. Longer terms first: the longest wins at a position.
    Terms are matched as written: list the inflections ("returns") and both the Simplified and the
    Traditional form (保证收益, 保證收益) that are meant."""
    parts = []
    for term in sorted({fold(t).strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        body = r"\s+".join(re.escape(word) for word in term.split())
        if _ASCII_WORD.match(term[0]):
            body = r"(?<![A-Za-z0-9_])" + body
        if _ASCII_WORD.match(term[-1]):
            body += r"(?![A-Za-z0-9_])"
        parts.append(body)
    return re.compile("|".join(parts), re.IGNORECASE)


def _pattern_spans(regex: re.Pattern[str], text: str, window: int = PATTERN_WINDOW,
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


# --- rules and policies ---------------------------------------------------------------------------

_WHAT = {  # how a reason names what a rule found: English, Simplified Chinese
    CARD: ("a payment card number", "银行卡号"),
    CN_ID: ("a Chinese resident identity card number", "居民身份证号码"),
    HKID: ("a Hong Kong identity card number", "香港身份证号码"),
    IBAN: ("an international bank account number (IBAN)", "国际银行账号（IBAN）"),
    PHONE: ("a phone number", "电话号码"),
    EMAIL: ("an e-mail address", "电子邮件地址"),
    LEXICON: ("a restricted term", "受限制的用语"),
    PATTERN: ("restricted content", "受限制的内容"),
}


@dataclass(frozen=True)
class Rule:
    """Finds spans with exactly one of a detector, a lexicon or a pattern, and acts on them in its
    direction. `reason` (block only) replaces the default explanation to the sender: one text for
    every language, or `{language: text}` in each of them. Validated when built."""

    name: str
    direction: str  # inbound | outbound | both
    action: str  # allow | redact | block | flag
    detector: str | None = None
    lexicon: tuple[str, ...] = ()
    pattern: str | None = None
    reason: str | Mapping[str, str] | None = None
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _rule_problems(self.name, self.direction, self.action, self.detector, self.lexicon,
                                  self.pattern, self.reason)
        if problems:
            raise DlpError([f"rule {self.name!r}: {f'{where}: ' if where else ''}{problem}"
                            for where, problem in problems])
        object.__setattr__(self, "lexicon", tuple(self.lexicon or ()))
        if self.lexicon:
            object.__setattr__(self, "_regex", lexicon_regex(self.lexicon))
        elif self.pattern is not None:
            object.__setattr__(self, "_regex", re.compile(self.pattern))

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled lexicon or pattern (a detector rule has none)."""
        if self._regex is None:
            raise ValueError(f"rule {self.name!r} uses a detector, not an expression")
        return self._regex

    @property
    def kind(self) -> str:
        """What a finding of this rule is: its detector, `lexicon` or `pattern`."""
        return self.detector or (LEXICON if self.lexicon else PATTERN)

    def applies(self, direction: str) -> bool:
        return self.direction in (BOTH, direction)

    def reason_in(self, language: str) -> str:
        """What this rule tells a sender whose message it blocked, without the matched text."""
        custom = self.reason
        if isinstance(custom, Mapping):
            custom = next(text for lang, text in custom.items() if normalize_language(lang) == language)
        if custom:
            return custom.strip().rstrip(".。!！ ")
        what = _WHAT[self.kind][0 if language == EN else 1]
        return f"{what} (rule '{self.name}')" if language == EN else f"{what}（规则“{self.name}”）"


def _rule_problems(name: Any, direction: Any, action: Any, detector: Any, lexicon: Any, pattern: Any,
                   reason: Any) -> list[tuple[str, str]]:
    """(where in the rule, what is wrong); where "" is the rule itself."""
    problems: list[tuple[str, str]] = []
    if not isinstance(name, str) or not name.strip():
        problems.append(("name", f"required, a non-empty text (got {name!r})"))
    if direction not in DIRECTIONS:
        problems.append(("direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}"))
    if action not in ACTIONS:
        problems.append(("action", f"must be one of {', '.join(ACTIONS)}, got {action!r}"))
    given = [k for k, v in (("detector", detector), ("lexicon", lexicon), ("pattern", pattern))
             if v is not None and v != ()]
    if len(given) != 1:
        problems.append(("", "needs exactly one of detector, lexicon or pattern, got "
                             + (" and ".join(given) if given else "none")))
    if detector is not None and detector not in DETECTORS:
        problems.append(("detector", f"unknown detector {detector!r} (known: {', '.join(DETECTORS)})"))
    if lexicon is not None and lexicon != ():
        if not isinstance(lexicon, (list, tuple)) or not lexicon:
            problems.append(("lexicon", f"must be a non-empty list of terms, got {lexicon!r}"))
        else:
            for k, term in enumerate(lexicon):
                if not isinstance(term, str) or not term.strip():
                    problems.append((f"lexicon[{k}]", f"must be a non-empty text, got {term!r}"))
    if pattern is not None:
        problems.extend(("pattern", p) for p in _pattern_problems(pattern))
    if reason is not None:
        problems.extend(_reason_problems(reason, action))
    return problems


def _pattern_problems(pattern: Any) -> list[str]:
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


def _reason_problems(reason: Any, action: Any) -> list[tuple[str, str]]:
    if action != BLOCK:
        return [("reason", "only a blocking rule tells the sender why")]
    if isinstance(reason, str):
        return [] if reason.strip() else [("reason", "must not be empty")]
    if not isinstance(reason, Mapping):
        return [("reason", f"must be a text, or a table of texts by language ({', '.join(LANGUAGES)})")]
    problems: list[tuple[str, str]] = []
    seen = set()
    for lang, text in reason.items():
        language = normalize_language(lang) if isinstance(lang, str) else None
        if language is None:
            problems.append((f"reason.{lang}", f"unknown language (known: {', '.join(LANGUAGES)})"))
        elif language in seen:
            problems.append((f"reason.{lang}", "the language is given twice"))
        elif not isinstance(text, str) or not text.strip():
            problems.append((f"reason.{lang}", f"must be a non-empty text, got {text!r}"))
        if language:
            seen.add(language)
    missing = [lang for lang in LANGUAGES if lang not in seen]
    if missing:
        problems.append(("reason", f"missing in {', '.join(missing)} (give it in every language, or one text)"))
    return problems


@dataclass(frozen=True)
class Verdict:
    """What DLP decided about one message: what is delivered (None: blocked), what was found by
    which rule, and (blocked) what the sender is told in each language."""

    action: str  # the strongest action of the rules that acted
    original: str
    delivered: str | None  # None when blocked; redacted spans masked
    direction: str
    findings: tuple[Finding, ...] = ()  # the acting findings, in text order (allow: what exempted)
    rules: tuple[str, ...] = ()  # the rules that acted, in the policy's order
    reasons: Mapping[str, str] = field(default_factory=dict)  # language -> text; empty unless blocked

    @property
    def blocked(self) -> bool:
        return self.action == BLOCK

    @property
    def flagged(self) -> bool:
        """Compliance is to be alerted: a flag rule found something (whatever else happened)."""
        return any(f.action == FLAG for f in self.findings)

    def reason(self, language: str | None = EN) -> str | None:
        """What the sender of a blocked message is told, in their language (English if it is none
        of ours); None when the message was not blocked."""
        return self.reasons.get(normalize_language(language) or EN) if self.reasons else None

    def to_record(self) -> dict[str, Any]:
        """The compliance record's view: the original, what was delivered, the action, the rules
        that acted and what they found (spans of the original and its text there, nothing else)."""
        return {"direction": self.direction, "action": self.action, "original": self.original,
                "delivered": self.delivered, "rules": list(self.rules),
                "findings": [f.to_mapping() for f in self.findings]}


@dataclass(frozen=True)
class DlpPolicy:
    """The DLP rules of one sub-organization, and the region that phone numbers without a country
    code are read in. No rules: every message allowed as it is. Validated when built."""

    rules: tuple[Rule, ...] = ()
    phone_region: str = DEFAULT_PHONE_REGION

    def __post_init__(self) -> None:
        problems = []
        object.__setattr__(self, "rules", tuple(self.rules))
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                problems.append(f"rule {rule.name!r}: the name is used twice")
            seen.add(rule.name)
        if self.phone_region not in phonenumbers.SUPPORTED_REGIONS:
            problems.append(f"phone_region: unknown region {self.phone_region!r} (an ISO 3166 code, e.g. CN, HK)")
        if problems:
            raise DlpError(problems)

    def evaluate(self, text: str, direction: str) -> Verdict:
        """The verdict on a message going in `direction` (inbound or outbound)."""
        if direction not in (INBOUND, OUTBOUND):
            raise ValueError(f"direction must be {INBOUND!r} or {OUTBOUND!r}, got {direction!r}")
        rules = [r for r in self.rules if r.applies(direction)]
        if not rules or not text:
            return Verdict(ALLOW, text, text, direction)
        folded = fold(text)
        detected = _detected(folded, {r.detector for r in rules if r.detector}, self.phone_region)
        found: list[Finding] = []
        for rule in rules:
            spans = detected[rule.detector] if rule.detector else _pattern_spans(rule.regex, folded)
            found.extend(Finding(rule.kind, s, e, text[s:e], rule.name, rule.action) for s, e in spans)
        allows = [f for f in found if f.action == ALLOW]
        acting: list[Finding] = []
        exempting: set[Finding] = set()
        for finding in found:
            if finding.action == ALLOW:
                continue
            cover = next((a for a in allows if a.start <= finding.start and finding.end <= a.end), None)
            if cover is None:
                acting.append(finding)
            else:
                exempting.add(cover)
        findings = tuple(sorted([*acting, *exempting], key=lambda f: (f.start, f.end, f.rule or "")))
        names = {f.rule for f in findings}
        acted = tuple(r.name for r in rules if r.name in names)
        action = max((f.action for f in acting if f.action is not None), key=_STRENGTH.__getitem__, default=ALLOW)
        if action == BLOCK:
            blocking = [r for r in rules if r.name in {f.rule for f in acting if f.action == BLOCK}]
            return Verdict(BLOCK, text, None, direction, findings, acted,
                           {language: _block_reason(blocking, language) for language in LANGUAGES})
        return Verdict(action, text, _masked(text, [f for f in acting if f.action == REDACT]), direction,
                       findings, acted)


NO_DLP = DlpPolicy()


def _masked(text: str, redacted: list[Finding]) -> str:
    if not redacted:
        return text
    chars = list(text)
    for f in redacted:
        chars[f.start:f.end] = MASK * (f.end - f.start)
    return "".join(chars)


def _block_reason(rules: list[Rule], language: str) -> str:
    """'Your message was not sent: it contains a payment card number (rule 'no-cards').'"""
    default = [r.reason_in(language) for r in rules if not r.reason]
    custom = [r.reason_in(language) for r in rules if r.reason]
    if language == EN:
        parts = ([f"it contains {' and '.join(default)}"] if default else []) + custom
        return "Your message was not sent: " + "; ".join(parts) + "."
    parts = (["其中包含" + "、".join(default)] if default else []) + custom
    return "您的消息未发送：" + "；".join(parts) + "。"


# --- configuration --------------------------------------------------------------------------------

def dlp_from_mapping(data: Mapping[str, Any] | None, at: str, problems: list[str]) -> DlpPolicy:
    """A sub-organization's `dlp` table: `{"phone_region"?, "rules": [{"name", "detector" | "lexicon" |
    "pattern", "direction"? (both), "action", "reason"?}]}`. None: no DLP. Every problem is added
    to `problems`, located under `at` (`organizations[0].sub_organizations[1].dlp`); the policy
    returned then holds the rules that were valid (the caller raises)."""
    if data is None:
        return NO_DLP
    if not isinstance(data, Mapping):
        problems.append(f"{at}: must be a table (phone_region, rules)")
        return NO_DLP
    for key in data:
        if key not in _DLP_KEYS:
            problems.append(f"{_at(at, str(key))}: unknown setting (known: {', '.join(_DLP_KEYS)})")
    region = data.get("phone_region", DEFAULT_PHONE_REGION)
    if isinstance(region, str) and region.strip().upper() in phonenumbers.SUPPORTED_REGIONS:
        region = region.strip().upper()
    else:
        problems.append(f"{_at(at, 'phone_region')}: must be a region code libphonenumber knows (e.g. CN, HK, GB), "
                        f"got {region!r}")
        region = DEFAULT_PHONE_REGION
    listed = data.get("rules", [])
    if not isinstance(listed, list):
        problems.append(f"{_at(at, 'rules')}: must be a list of tables")
        listed = []
    rules: list[Rule] = []
    names: dict[str, str] = {}
    for i, raw in enumerate(listed):
        where = _at(at, f"rules[{i}]")
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: must be a table (name, detector | lexicon | pattern, direction, action)")
            continue
        before = len(problems)
        for key in raw:
            if key not in _RULE_KEYS:
                problems.append(f"{where}.{key}: unknown setting (known: {', '.join(_RULE_KEYS)})")
        name = raw.get("name")
        if isinstance(name, str) and name.strip():
            if name in names:
                problems.append(f"{where}.name: {name!r} is used twice (also at {names[name]})")
            else:
                names[name] = f"{where}.name"
        values = dict(name=name, direction=raw.get("direction", BOTH), action=raw.get("action"),
                      detector=raw.get("detector"), lexicon=raw.get("lexicon"), pattern=raw.get("pattern"),
                      reason=raw.get("reason"))
        found = _rule_problems(**values)  # a lexicon of [] is one given (and empty), not none
        problems.extend(f"{where}{'.' + part if part else ''}: {problem}" for part, problem in found)
        if len(problems) == before:  # a rule with any problem is left out
            values["lexicon"] = tuple(values["lexicon"] or ())
            rules.append(Rule(**values))
    return DlpPolicy(tuple(rules), region)


def _at(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key


# --- what the parties saw ------------------------------------------------------------------------

NOT_DELIVERED = "[not delivered: blocked by DLP]"


def as_delivered(value: Any, dlp: Mapping[str, Any] | None) -> Any:
    """`value` as the conversation's parties saw it where DLP redacted or blocked: the original
    text shows as what was delivered ("[not delivered: blocked by DLP]" when blocked), wherever it
    appears whole or quoted, and what a finding quoted is masked."""
    if dlp is None:
        return value
    original, delivered = dlp.get("original"), dlp.get("delivered")
    if isinstance(original, str) and delivered == original:
        return value  # flagged or exempted: delivered as written
    shown = delivered if isinstance(delivered, str) else NOT_DELIVERED
    quoted = sorted({f["text"] for f in dlp.get("findings") or ()
                     if isinstance(f, Mapping) and isinstance(f.get("text"), str) and len(f["text"].strip()) >= 3},
                    key=len, reverse=True)

    def show(item: Any) -> Any:
        if isinstance(item, str):
            if isinstance(original, str) and original:
                if item == original:
                    return shown
                if len(original.strip()) >= 3 and original in item:
                    item = item.replace(original, shown)
            for text in quoted:
                item = item.replace(text, "*" * len(text))
            return item
        if isinstance(item, Mapping):
            return {k: show(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [show(v) for v in item]
        return item

    return show(value)


def rule_names(dlp: Mapping[str, Any]) -> list[str]:
    """The names of the rules that acted, from a record's `dlp` (Verdict.to_record)."""
    rules = dlp.get("rules") or []
    return [str(rule) for rule in ([rules] if isinstance(rules, str) else rules)]
