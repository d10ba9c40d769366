"""What the routing assistant decides for a guest's text against a directory's index, as the matcher's tests
read it."""
from __future__ import annotations

from core.person_match import CONNECT, PeopleIndex, verdict


def judged(index: PeopleIndex, text: str) -> tuple[str, list[str]]:
    """The verdict's kind and whom it names (sorted aads)."""
    v = verdict(index.rank(text))
    return v.kind, sorted(c.person.aad for c in v.candidates)


def connects(index: PeopleIndex, text: str) -> str:
    """The one person `text` connects to (fails the test if it does not connect)."""
    v = verdict(index.rank(text))
    assert v.kind == CONNECT, (text, v)
    return v.candidates[0].person.aad
