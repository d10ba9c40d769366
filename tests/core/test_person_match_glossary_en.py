"""The outside dictionary as a thesaurus for English needs (core/person_match/glossary.py): a guest's English word
the lexicon lacks reaches a desk when one Chinese word's first definitions name both, each in a definition of its
own (and is asked about, not connected); a common word makes nobody fit; a word beside the desk's in one definition
("safe custody") is no synonym. The dictionary here is a few entries written for the tests, as CC-CEDICT writes
them."""
from __future__ import annotations

from core.people import Person
from core.person_match import CHOOSE, UNKNOWN, Glossary, PeopleIndex, verdict
from core.person_match.glossary import SPECIFIC
from tests.core import verdicts

ENTRIES = {
    "监护": "guardianship/custody",
    "保管": "safe custody",
    "存物": "deposit/thing",
    "卸任": "to step down/retirement/to leave office/to relinquish a post/to resign",  # many senses: no bridge
}
PEOPLE = (
    Person("ho-carl", "Carl Ho", "gm", name_zh="何嘉", desk=("Custody",)),
    Person("jin-shan", "Shan Jin", "retail", name_zh="金山", desk=("Deposits",)),
    Person("lee-rita", "Rita Lee", "retail", name_zh="李丽", desk=("Retirement planning",)),
    Person("kwok-eric", "Eric Kwok", "pb", name_zh="郭子健", desk=("Tax advisory",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=Glossary(ENTRIES))
LEXICON_ONLY = PeopleIndex(PEOPLE)


def test_an_english_word_the_lexicon_lacks_reaches_the_desk_through_the_dictionary_and_is_asked_about():
    text = "I'd like to ask about guardianship of my son's shares"
    ranked = INDEX.rank(text)
    assert ranked[0].person.aad == "ho-carl" and "via dictionary: guardianship → custody" in ranked[0].evidence
    assert verdict(ranked).kind == CHOOSE  # weaker than the lexicon: the guest confirms
    assert not LEXICON_ONLY.rank(text)


def test_an_english_bridged_word_speaks_only_where_nothing_else_of_a_desk_fits():
    assert verdicts.connects(INDEX, "a tax question about guardianship") == "kwok-eric"


def test_a_common_word_makes_nobody_fit():
    # "thing" beside "deposit": a synonym for few, but a word that many dictionary words name asks for nothing
    text = "I have one thing to sort out"
    assert verdicts.judged(INDEX, text) == (CHOOSE, ["jin-shan"])
    many = {**ENTRIES, **{f"物{chr(0x4e00 + i)}": "thing" for i in range(SPECIFIC)}}
    assert verdicts.judged(PeopleIndex(PEOPLE, glossary=Glossary(many)), text) == (UNKNOWN, [])


def test_a_word_beside_the_desks_in_one_definition_or_of_a_word_of_many_senses_is_no_synonym():
    assert verdicts.judged(INDEX, "is it safe") == (UNKNOWN, [])  # 保管 "safe custody": safe is no custody
    assert verdicts.judged(INDEX, "when I step down") == (UNKNOWN, [])
