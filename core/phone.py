"""Phone numbers as the product keeps and shows them: E.164 (libphonenumber), read in a region when
written without a country code; as a person typed them (`parse_phone_number`, with what is wrong
with them), as people write them and as a guest is shown them (masked). Pure."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

import phonenumbers

# what is wrong with a number a person typed (`ParsedNumber.problem`)
UNREADABLE = "unreadable"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"

_NUMBER_CHARS = re.compile(r"^[0-9+\-().\s/]+$")


def to_e164(text: Any, region: str) -> str | None:
    """`text` as an E.164 number, read in `region` (CN, HK …); None if it is not a valid number."""
    try:
        number = phonenumbers.parse(str(text), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def regions_reading(text: Any, regions: Iterable[str]) -> list[str]:
    """Of `regions`, those in which `text` (written without a country code) is a valid number."""
    return [region for region in regions if to_e164(text, region)]


def readable_number(e164: str) -> str:
    """+85291234568 as people write it: +852 9123 4568 (the number as it is if it cannot be read)."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


@dataclass(frozen=True)
class ParsedNumber:
    """A phone number as a person typed it: `e164` when valid, else `problem` (UNREADABLE,
    TOO_SHORT, TOO_LONG, INVALID)."""

    e164: str | None = None
    problem: str | None = None


_PARSE_PROBLEMS = {
    phonenumbers.NumberParseException.NOT_A_NUMBER: UNREADABLE,
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: INVALID,
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: TOO_SHORT,
    phonenumbers.NumberParseException.TOO_SHORT_NSN: TOO_SHORT,
    phonenumbers.NumberParseException.TOO_LONG: TOO_LONG,
}
_POSSIBLE_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: TOO_SHORT,
    phonenumbers.ValidationResult.TOO_LONG: TOO_LONG,
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: INVALID,
    phonenumbers.ValidationResult.INVALID_LENGTH: INVALID,
}


def parse_phone_number(text: str, region: str) -> ParsedNumber:
    """The E.164 form of a phone number typed by a person, read as `region`'s when it has no
    country code (CN: 13800138000 -> +8613800138000; HK: 91234567 -> +85291234567). Full-width
    digits are fine; a number inside a sentence is found when it is the only one."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    if not any(ch.isdigit() for ch in folded):
        return ParsedNumber(problem=UNREADABLE)
    if not _NUMBER_CHARS.match(folded):
        matches = list(phonenumbers.PhoneNumberMatcher(folded, region, leniency=phonenumbers.Leniency.VALID))
        if len(matches) != 1:
            return ParsedNumber(problem=UNREADABLE)
        return _checked(matches[0].number)
    try:
        number = phonenumbers.parse(folded, region)
    except phonenumbers.NumberParseException as exc:
        return ParsedNumber(problem=_PARSE_PROBLEMS.get(exc.error_type, UNREADABLE))
    return _checked(number)


def _checked(number: phonenumbers.PhoneNumber) -> ParsedNumber:
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return ParsedNumber(problem=_POSSIBLE_PROBLEMS.get(possible, INVALID))
    if not phonenumbers.is_valid_number(number):
        return ParsedNumber(problem=INVALID)
    return ParsedNumber(e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def masked_for_guest(e164: str) -> str:
    """A number as the guest sees it in a message: +86 138 **** 5678, +852 **** 4567."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "****"
    national = phonenumbers.national_significant_number(number)
    head = national[:3] + " " if len(national) >= 10 else ""
    return f"+{number.country_code} {head}**** {national[-4:]}"


def example_number(region: str) -> str:
    """A mobile number of `region` in its national format, for the guest's examples."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE) \
        or phonenumbers.example_number(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""
