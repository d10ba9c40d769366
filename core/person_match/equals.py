"""Whom of people equally fit a receptionist names first: an order, never a connection (they stay equals). For a
need: who works where the guest is, then the desk naming least the guest did not ask (a generalist), or for a head
asked for, the head of the unit itself; for a name: who is in the referrer's unit, whose name as written more of it
is, whom the title fits."""
from __future__ import annotations

from typing import Iterable

from core.person_match.forms import Entry, Text
from core.person_match.lexicon import PLACES
from core.person_match.namesakes import misfit, sex_asked, sex_of
from core.person_match.reading import LATIN, broader, fold, places_gone_to, roles_in, topics_in, topics_named
from core.person_match.verdict import Candidate


class Equals:
    """The directory's tables for ordering equals, built once per directory."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        entries = tuple(entries)
        self._entry = {e.person.aad: e for e in entries}
        # What each desk names, once per desk (many people share one): its own topics, and each phrase's.
        desks: dict[tuple[frozenset[str], tuple[frozenset[str], ...]], int] = {}
        phrases = {d: topics_named(fold(d)) for d in {d for e in entries for d in e.person.desk}}
        self._desk_of = {e.person.aad: desks.setdefault(
            (e.desk_topics - e.broader_topics, tuple(phrases[d] for d in e.person.desk)), len(desks))
            for e in entries}
        self._desks = tuple(desks)
        self._sex = {e.person.aad: sex_of(e.person) for e in entries}
        self._name_words = {e.person.aad: e.families | e.givens for e in entries}
        self._heads_unit = {e.person.aad: any(set(LATIN.findall(fold(e.person.sub_org))) <= set(LATIN.findall(fold(d)))
                                              for d in e.person.desk) for e in entries}

    def scored(self, scored: list[Candidate], t: Text, places: frozenset[str]) -> tuple[Candidate, ...]:
        """`scored`, best first, equals in the order a receptionist names them for what the guest asked (`places`:
        those the guest names)."""
        asked = topics_in(t.needs)
        # Who works where the guest says they are (not where the guest sends money or goes: 电汇去英国), of desks
        # that fit the need itself.
        here = places - places_gone_to(t.folded) if places else places
        there = {c.person.aad for c in scored if c.how == "desk" and here & self._entry[c.person.aad].office
                 - {term[1:] for term in c.evidence if term[0] in "#^"}
                 and any(term[0] in "#\"" and term[1:] not in PLACES for term in c.evidence)} if here else set()
        if "head" in roles_in(t.needs):
            return tuple(sorted(scored, key=lambda c: (-c.score, c.person.aad not in there,
                                                       *self._head_first(c, asked), c.person.name)))
        order: dict[int, tuple[int, int]] = {}  # by desk: worked out once per message
        return tuple(sorted(scored, key=lambda c: (-c.score, c.person.aad not in there,
                                                   self._generalist_first(c, asked, order), c.person.name)))

    def named(self, ranked: tuple[Candidate, ...], read: str, units: set[str]) -> list[Candidate]:
        """`ranked` (stable: else as they were), equals in the order a receptionist names them: in the referrer's
        unit, whose name as written more of it is (Ms Tan 陈小姐: a Tan before a Chan), whom the title fits (Mr Chan,
        陈小姐)."""
        asked, words = sex_asked(read), set(LATIN.findall(read))
        return sorted(ranked, key=lambda c: (-c.score, c.person.sub_org not in units,
                                             -len(words & self._name_words[c.person.aad]),
                                             misfit(asked, self._sex[c.person.aad])))

    def _generalist_first(self, c: Candidate, asked: frozenset[str],
                          order: dict[int, tuple[int, int]]) -> tuple[int, int]:
        """The desk naming fewest topics the guest did not (an "Insurance" desk for a question on insurance, before
        motor and home insurance; a topic and its narrower kind count once), then with fewest phrases about something
        else (Head of Compliance; Anti-money laundering, before KYC; Document verification; Address change)."""
        if c.how != "desk":
            return 0, 0
        desk = self._desk_of[c.person.aad]
        if desk not in order:
            own, phrases = self._desks[desk]
            unasked = own - asked  # a kind of another counts with it (structured products, derivatives: one)
            order[desk] = (sum(1 for x in unasked if not broader({x}) & unasked),
                           sum(1 for named in phrases if not named & asked))
        return order[desk]

    def _head_first(self, c: Candidate, asked: frozenset[str]) -> tuple[int, int]:
        """A desk naming no place or topic the guest did not (Head of Lending before Head of Singapore lending;
        珠海分行行长: Head of Zhuhai office before Head of Zhuhai lending), a head of their own unit (Head of Asset
        Management, in asset_management, before its CIO)."""
        e = self._entry[c.person.aad]
        return (sum(1 for x in e.desk_topics - e.broader_topics - asked if not broader({x}) & asked),
                0 if "head" in e.roles and self._heads_unit[c.person.aad] else 1)
