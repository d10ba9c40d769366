"""Phone numbers as a person types them (read in a region, what is wrong with them) and as a guest
is shown them."""
from __future__ import annotations

import pytest

from core.phone import ParsedNumber, masked_for_guest, parse_phone_number


@pytest.mark.parametrize("text, region, e164", [
    ("13800138000", "CN", "+8613800138000"),
    ("138-0013-8000", "CN", "+8613800138000"),
    ("+86 138 0013 8000", "HK", "+8613800138000"),
    ("008613800138000", "CN", "+8613800138000"),
    ("１３８００１３８０００", "CN", "+8613800138000"),
    ("91234567", "HK", "+85291234567"),
    ("9123 4567", "HK", "+85291234567"),
    ("+852 9123 4567", "CN", "+85291234567"),
    ("07400 123456", "GB", "+447400123456"),
])
def test_numbers_are_normalized_to_e164(text, region, e164):
    assert parse_phone_number(text, region).e164 == e164


@pytest.mark.parametrize("text, region, problem", [
    ("hello", "CN", "unreadable"), ("", "CN", "unreadable"), ("abc123def", "CN", "unreadable"),
    ("138", "CN", "too_short"), ("9123", "HK", "too_short"), ("91234567", "CN", "invalid"),
    ("13800138000123", "CN", "too_long"), ("+999 123456", "CN", "invalid"),
])
def test_garbage_and_short_numbers_are_refused(text, region, problem):
    assert parse_phone_number(text, region) == ParsedNumber(problem=problem)


@pytest.mark.parametrize("e164, masked", [("+8613812345678", "+86 138 **** 5678"),
                                          ("+85291234567", "+852 **** 4567"), ("nonsense", "****")])
def test_masked_numbers(e164, masked):
    assert masked_for_guest(e164) == masked
