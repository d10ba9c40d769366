"""A place in the message beside a need (core/person_match): the place where the need is (开香港账户: an account,
opened in Hong Kong) does not hide the need."""
from __future__ import annotations

import pytest

from core.people import Person
from core.person_match import PeopleIndex

PEOPLE = (
    Person("zhang-wei", "Wei Zhang", "gba", desk=("Cross-border account opening",)),
    Person("wang-jg", "Jianguo Wang", "gba", desk=("Head of Beijing Representative Office",)),
    Person("lo-ivy", "Ivy Lo", "ops", desk=("Account opening",)),
)
INDEX = PeopleIndex(PEOPLE)


@pytest.mark.parametrize("text", ["我在深圳，能不能远程开香港账户", "内地人怎么开香港户口", "想开个香港账户"])
def test_a_place_between_open_and_account_is_where_the_account_is(text):
    assert "#account" in INDEX.rank(text)[0].evidence
