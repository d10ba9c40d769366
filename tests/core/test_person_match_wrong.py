"""Kinds that connected someone not wanted on the development sets (issue 20, routing9): where two readings
compete, the guest is asked."""
from __future__ import annotations

import functools

import pytest

from core.people import Person
from core.person_match import CONNECT, PeopleIndex
from tests.core import verdicts

PEOPLE = (
    Person("lim-bee", "Bee Hoon Lim", "ins", desk=("Life insurance sales", "Singapore")),
    Person("chan-joy", "Joy Chan", "ins", desk=("Death claims", "Life insurance claims")),
    Person("lau-kawai", "Ka Wai Lau", "private-banking", desk=("Relationship Manager", "Hong Kong private clients")),
    Person("yip-tracy", "Tracy Yip", "private-banking", desk=("Client Service Officer", "Account opening")),
)
INDEX = PeopleIndex(PEOPLE)
judged = functools.partial(verdicts.judged, INDEX)


@pytest.mark.parametrize(("text", "there", "elsewhere"), [
    ("my late husband had a policy with you in Singapore, how do I claim the death benefit", "lim-bee", "chan-joy"),
    ("I'm in HK and want to open a private banking account", "lau-kawai", "yip-tracy")])
def test_a_place_kept_does_not_outweigh_a_desk_elsewhere_that_names_more_of_the_need(text, there, elsewhere):
    kind, aads = judged(text)
    assert not (kind == CONNECT and aads == [there]), (kind, aads)
