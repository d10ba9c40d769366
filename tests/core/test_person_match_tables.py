"""The matcher's tables are written as a guest's text is read: a Chinese word a guest's text can never hold after
folding (Traditional or Hong Kong characters, 搵 for 揾, an aspect marker inside: 断咗供) would never match."""
from __future__ import annotations

import pytest

from core.person_match.guest_pairs import PAIRS
from core.person_match.lexicon import ROLES, TOPICS
from core.person_match.reading import broader, fold, topics_named, without_aspect
from core.person_match.situations import SITUATIONS

PAIRED = {topic: doing for topic, (_, *doing) in PAIRS.items()}


@pytest.mark.parametrize("name, table", [("TOPICS", TOPICS), ("ROLES", ROLES), ("SITUATIONS", SITUATIONS),
                                         ("PAIRS", PAIRED)])
def test_every_chinese_word_is_written_as_text_is_read(name, table):
    unread = [(topic, word) for topic, (_, chinese) in table.items() for word in chinese
              if without_aspect(fold(word)) != word]
    assert unread == []


def test_a_word_with_an_aspect_marker_inside_is_read_without_it():
    assert without_aspect(fold("斷咗供")) == "断供"
    assert without_aspect("户口冻结咗") == "户口冻结咗"  # at the end: nothing follows it



def test_a_pair_names_a_topic_that_is_a_kind_of_its_thing():
    assert [(topic, thing) for topic, (thing, _, _) in PAIRS.items()
            if topic not in TOPICS or thing not in broader({topic})] == []


@pytest.mark.parametrize("text", ["before approving my 苏州 flat", "happy to see 你们的atmosphere"])
def test_a_chinese_word_written_with_latin_letters_is_not_read_inside_an_english_word(text):
    assert not topics_named(fold(text)) & {"digital", "debit_atm"}


@pytest.mark.parametrize("text", ["手机app登录不了", "你们的app打不开", "用app转账"])
def test_a_chinese_word_written_with_latin_letters_is_still_read_as_a_word(text):
    assert "digital" in topics_named(fold(text))


@pytest.mark.parametrize("desk, text", [("Private trust companies", "想设立私人信托公司"),
                                        ("Letters of credit", "I need a letter of credit for an import")])
def test_a_phrase_is_read_in_the_plural_as_in_the_singular(desk, text):
    assert topics_named(fold(desk)) & topics_named(fold(text)) - {"trust", "corporate"}
