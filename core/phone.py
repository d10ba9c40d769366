"""Phone numbers as the product keeps and shows them: E.164 (libphonenumber), read in a region when
written without a country code. Pure."""
from __future__ import annotations

from typing import Any

import phonenumbers


def to_e164(text: Any, region: str) -> str | None:
    """`text` as an E.164 number, read in `region` (CN, HK …); None if it is not a valid number."""
    try:
        number = phonenumbers.parse(str(text), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_number(e164: str) -> str:
    """+85291234568 as people write it: +852 9123 4568 (the number as it is if it cannot be read)."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
