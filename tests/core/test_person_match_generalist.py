"""Whom a receptionist names first among desks equally fit (core/person_match/index.py `_generalist_first`): for a
general question, the generalist of the topic, not whoever comes first by name; they stay equals (the guest is
asked), only the order changes."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex, verdict

PEOPLE = (
    Person("wong-angel", "Angel Wong", "gi", desk=("Motor insurance", "Home insurance")),
    Person("cheung-derek", "Derek Cheung", "gi", desk=("Medical insurance",)),
    Person("lee-mei", "Mei Ling Lee", "gi", desk=("Insurance",)),
    Person("chan-amy", "Amy Chan", "ops", desk=("KYC", "Document verification", "Address change")),
    Person("kwok-chloe", "Chloe Kwok", "ops", desk=("Head of Compliance", "Anti-money laundering")),
)
INDEX = PeopleIndex(PEOPLE)


@pytest.mark.parametrize("text, first", [
    ("我想了解一下保险", "lee-mei"),  # the desk that names no other topic
    ("I have a question about insurance", "lee-mei"),
    ("反洗钱的问题找谁", "kwok-chloe"),  # equal topics: the desk with no phrase about something else
])
def test_among_equals_the_generalist_of_what_was_asked_comes_first_and_the_guest_is_asked(text, first):
    ranked = INDEX.rank(text)
    assert ranked[0].person.aad == first and ranked[0].score == ranked[1].score
    assert verdict(ranked).kind != CONNECT


def test_a_narrower_question_still_goes_to_the_narrower_desk():
    assert INDEX.rank("我架车要买保险")[0].person.aad == "wong-angel"
