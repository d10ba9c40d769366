"""The desk glossary's areas (core/person_match/desk_terms.py) each name their topics: a name used by two areas
would leave one of them out of the merged table without a word (a residency "settlement" hid securities
settlement for a while)."""
from core.person_match import desk_terms


def test_no_topic_is_named_by_two_areas():
    names = [name for area in desk_terms._AREAS for name in area.TOPICS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
