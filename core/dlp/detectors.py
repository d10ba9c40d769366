"""The built-in DLP detectors: the payment card numbers (`card`), Chinese resident identity numbers
(`cn_id`), Hong Kong identity numbers (`hkid`), IBANs (`iban`), phone numbers (`phone`) and e-mail
addresses (`email`) a message holds. Pure.

Each checks what its pattern finds (Luhn, check digits, mod 97, libphonenumber), so that a number
that merely looks right is not reported. They report what a span *is*, whatever rules exist: when
spans of two detectors overlap, the more specific one keeps it, in the order of `DETECTORS` (iban >
cn_id > card > hkid > email > phone), so a card number, an ID number or a numeric e-mail address is
never also a phone number.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import phonenumbers

from core.dlp.folding import numbers

CARD, CN_ID, HKID, IBAN, PHONE, EMAIL = "card", "cn_id", "hkid", "iban", "phone", "email"
DETECTORS = (IBAN, CN_ID, CARD, HKID, EMAIL, PHONE)  # most specific first: the precedence on overlaps

DEFAULT_PHONE_REGION = "CN"  # how a number without a country code is read


@dataclass(frozen=True)
class Finding:
    """A span of a message that a detector, lexicon or pattern found; `text` is the original's."""

    detector: str  # card | cn_id | hkid | iban | phone | email | lexicon | pattern
    start: int
    end: int  # text[start:end]
    text: str
    rule: str | None = None  # the rule that found it (None: a detector called on its own)
    action: str | None = None  # that rule's action
    continued: bool = False  # it began in the sender's previous message(s): only its end is in this one

    def to_mapping(self) -> dict[str, Any]:
        return {"rule": self.rule, "detector": self.detector, "action": self.action,
                "start": self.start, "end": self.end, "text": self.text,
                **({"continued": True} if self.continued else {})}


Span = tuple[int, int]

# Card numbers: runs of digits with single separators between groups (a space, "-", ".", "/"; the
# numbers view writes "_" as "-"), mixed or not; then validated.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]+(?:[ ./-][0-9]+)*(?![0-9])")
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
    """A card is one group of 13-19 digits, or consecutive groups of 3-6 digits with single
    separators (4-4-4-4, 4-6-5, 4-4-4-4-3 …); the longest valid one from each group on is taken,
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
    while j + 1 < len(groups):
        s, e = groups[j + 1]
        if not 3 <= e - s <= 6 or len(digits) + e - s > 19:
            break
        digits += text[s:e]
        j += 1
        if len(digits) >= 13 and _is_card(digits):
            best = j
    return best


# 18 characters, or grouped as they are read out: 6-8-4 or 6-4-4-4, with single separators.
_CN_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}[ ./-]?[0-9]{4}[ ./-]?[0-9]{4}[ ./-]?[0-9]{3}[0-9Xx](?![0-9])")
_SEPARATORS = re.compile(r"[ ./-]")
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
    return [m.span() for m in _CN_ID.finditer(text) if _cn_id_valid(_SEPARATORS.sub("", m.group()))]


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


# Seven digits with at most two other characters between each: the shortest phone number written any way.
# Without one, libphonenumber's matcher (the costliest detector) has nothing to find.
_PHONE_LIKE = re.compile(r"\d(?:\D{0,2}\d){6}")


def _phone_spans(text: str, region: str = DEFAULT_PHONE_REGION) -> list[Span]:
    """libphonenumber's matcher at leniency VALID: numbers valid for their country, read as
    `region`'s when written without a country code (13800138000 is Chinese, 9123 4567 is not)."""
    if not _PHONE_LIKE.search(text):
        return []
    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID)]


_SPANS: Mapping[str, Callable[[str], list[Span]]] = {
    CARD: _card_spans, CN_ID: _cn_id_spans, HKID: _hkid_spans, IBAN: _iban_spans, EMAIL: _email_spans}


def detected(folded: str, names: Iterable[str], phone_region: str) -> dict[str, list[Span]]:
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
    view = numbers(text)
    spans = detected(view.text, names, phone_region)
    return sorted((_finding(name, text, view.original(s, e)) for name, found in spans.items() for s, e in found),
                  key=lambda f: (f.start, f.end))


def _finding(name: str, text: str, span: Span) -> Finding:
    return Finding(name, span[0], span[1], text[span[0]:span[1]])


def _one(name: str, spans: Callable[[str], list[Span]]) -> Callable[[str], list[Finding]]:
    def detector(text: str) -> list[Finding]:
        view = numbers(text)
        return [_finding(name, text, view.original(s, e)) for s, e in spans(view.text)]
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
    view = numbers(text)
    return [_finding(PHONE, text, view.original(s, e)) for s, e in _phone_spans(view.text, region)]

