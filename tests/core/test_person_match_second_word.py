"""A desk's second word written in Chinese (core/person_match/glossary.py `Words.seconds`): among desks that fit the
topic alike (four MPF desks for 强积金), a Chinese word that is one of a desk's words (提取: withdraw) ranks that
desk first; it is never enough alone, and the guest is still asked. The dictionary here is a few entries written
for the tests, as CC-CEDICT writes them."""
from __future__ import annotations

from core.people import Person
from core.person_match import CHOOSE, CONNECT, Glossary, PeopleIndex, verdict

GLOSSARY = Glossary({
    "提取": "to withdraw (money)/to collect (left luggage)/to extract/to refine",
    "雇主": "employer",
    "伦敦": "London, capital of United Kingdom",
})
PEOPLE = (
    Person("chan-mandy", "Mandy Chan", "mpf", name_zh="陈敏仪", desk=("MPF withdrawals",)),
    Person("ng-tony", "Tony Ng", "mpf", name_zh="吴志强", desk=("MPF scheme enrolment", "Employer contributions")),
    Person("yeung-crystal", "Crystal Yeung", "mpf", name_zh="杨晓琳", desk=("MPF fund switching",)),
)
INDEX = PeopleIndex(PEOPLE, glossary=GLOSSARY)


def test_a_desks_second_word_in_chinese_ranks_it_first_among_desks_on_the_topic_and_the_guest_is_asked():
    ranked = INDEX.rank("雇主点样供强积金")
    assert ranked[0].person.aad == "ng-tony" and "~雇主 → employer" in ranked[0].evidence
    assert verdict(ranked).kind == CHOOSE  # it breaks the tie, it connects nobody


def test_a_doing_word_the_pairs_table_holds_beside_the_thing_names_the_narrower_need():
    """提取 beside 强积金 is a withdrawal (guest_pairs.PAIRS): the desk on it is named, not only ranked first."""
    ranked = INDEX.rank("我想提取我的强积金")
    assert ranked[0].person.aad == "chan-mandy" and verdict(ranked).kind == CONNECT


def test_a_second_word_alone_adds_no_desk():
    assert not any(term.startswith("~") for c in INDEX.rank("我想提取") for term in c.evidence)
