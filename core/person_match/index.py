"""The directory prepared for matching (`PeopleIndex`), and the people a guest's text may mean,
ranked by their strongest evidence."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from typing import Collection, Iterable, Mapping

import phonenumbers
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from core.people import Person
from core.person_match.equals import Equals
from core.person_match.evidence import (WORD_OR_NAME, contradicted, desk_scores, name_part,
                                        one_slip_apart, same_number, sounds_in, tones_fit, typo,
                                        written_as_name_zh)
from core.person_match.forms import LATIN_FAMILIES, PLACE_NAMES_ZH, Entry, Text, person_entry, read_text
from core.person_match.glossary import VIA, Glossary, words_for
from core.person_match.lexicon import PLACE_WORDS, PLACES, TITLES_HELD
from core.person_match.namesakes import POINTS_TO_ONE, alike, says_more, written_alike
from core.person_match.others import described, others_named
from core.person_match.places import IN_DESKS as PLACES_IN_DESKS
from core.person_match.reading import (LATIN, broader, fold, name_readings, other_spellings, phrasal, roles_in, sound,
                                       stem, stem_key, topics_in, topics_named)
from core.person_match.verdict import CONNECT, DESK, FULL, FUZZY_FULL, ID, PART, SOUNDS, Candidate, verdict
from core.person_match.words import TITLES_ZH


class PeopleIndex:
    """The directory, prepared for matching; build once per directory (a reload builds a new one).
    `sub_names`: each sub-organization's name, by id (its words tell people apart: "Chan in retail").
    `glossary`: an outside dictionary (glossary.py): words read as words, Chinese words bridged to desks."""

    def __init__(self, people: Iterable[Person], region: str = "CN",
                 sub_names: Mapping[str, str] | None = None, glossary: Glossary | None = None) -> None:
        names = sub_names or {}
        self.entries = tuple(person_entry(p, names.get(p.sub_org, "")) for p in people)
        self.region = region
        # Given and full names run together (weijie, wangjing): what a text's words read as a name before as a title
        # or a need in pinyin (`_names`, the name parts, keep desk words to themselves).
        self._spelt_names = frozenset(n for e in self.entries for n in (*e.givens, *e.full_forms))
        self._offices = frozenset(p for e in self.entries for p in e.desk_topics if p in PLACES_IN_DESKS)
        self.words = None if glossary is None else words_for(
            glossary, {w for e in self.entries for w in e.desk_words} - PLACE_WORDS,
            {n for e in self.entries for n in (e.zh_full, e.zh_given, *e.zh_aliases) if len(n) >= 2},
            {p for e in self.entries for p in e.desk_zh}, {p for e in self.entries for p in e.desk_phrases})
        if glossary is not None and self.words is not None:  # the names the dictionary has as everyday words too
            everyday = self.words.everyday
            self.entries = tuple(replace(e, zh_words=e.zh_words | everyday & {e.zh_full, e.zh_given, *e.zh_aliases},
                                         given_words=glossary.english & name_readings(e.zh_given)
                                         if len(e.zh_given) >= 2 else frozenset())
                                 for e in self.entries)
        self._roles = {e.person.aad: e.roles for e in self.entries}
        self._entry = {e.person.aad: e for e in self.entries}
        self._equals = Equals(self.entries)
        # Who may fit what a guest wrote, by what they wrote: only they are scored (a directory of
        # thousands is ranked in milliseconds). A superset: scoring decides.
        self._by: dict[str, set[int]] = {}  # by what of their name, e-mail or phone is written
        self._by_desk: dict[str, set[int]] = {}  # by what of their desk is written: their name is not scored
        self._forms: dict[str, set[int]] = {}  # full names of 7 letters or more (misspelt ones)
        self._families: dict[str, set[int]] = {}
        for i, e in enumerate(self.entries):
            p = e.person
            keys = {*e.families, *e.givens, *e.given_parts, *e.called, *e.full_forms, *e.variant_forms,
                    *(tok for form in e.full_tokens for tok in form),
                    *(f"@{a}" for a in (p.email, p.notify_email) if a),
                    *(f"zh:{k}" for k in (e.zh_full, e.zh_family, e.zh_given, e.zh_given[-1:], *e.zh_aliases) if k),
                    *((f"sound:{e.zh_sound}",) if e.zh_sound else ())}
            if p.phone:
                keys.add(f"tel:{phonenumbers.parse(p.phone, None).national_number}")
            for key in keys:
                self._by.setdefault(key, set()).add(i)
            for key in {*(f"zh:{k}" for k in e.desk_zh), *(f"#{topic}" for topic in e.desk_topics),
                        *(f"%{r}" for r in e.roles & TITLES_HELD),
                        *(f"w:{stem_key(w)}" for w in e.desk_words | {w for d in e.desk_phrases for w in d.split()})}:
                self._by_desk.setdefault(key, set()).add(i)
            for form in e.full_forms:
                if len(form) >= 7:
                    self._forms.setdefault(form, set()).add(i)
            for family in e.families:
                self._families.setdefault(family, set()).add(i)
        self._names = frozenset(w for e in self.entries for w in (*e.families, *e.givens))
        self._sound_lengths = sorted({len(e.zh_full) for e in self.entries if e.zh_sound})
        self._zh_longest = max((len(k) - 3 for k in (*self._by, *self._by_desk) if k.startswith("zh:")), default=4)
        # Chinese names and aliases by what they may be inside of (张伟 in 张伟明; 金山 in 旧金山, a place).
        self._longer: dict[str, set[str]] = {}
        zh_names = {n for e in self.entries for n in (e.zh_full, *e.zh_aliases) if len(n) >= 2}
        for longer in zh_names | set(PLACE_NAMES_ZH):
            for inside in {longer[i:j] for i in range(len(longer)) for j in range(i + 2, len(longer) + 1)}:
                if inside in zh_names and inside != longer:
                    self._longer.setdefault(inside, set()).add(longer)
        self._national_lengths = sorted({len(k) - 4 for k in self._by if k.startswith("tel:")})

    def rank(self, text: str, within: Collection[str] | None = None,
             left_out: list[tuple[str, str]] | None = None) -> tuple[Candidate, ...]:
        """The people `text` may mean, best first (`within`: only these aads); not whom it names as
        someone else (`others_named`: the one excluded, a referrer, whose assistant), when a part
        singles them out by name (`left_out` gets them: aad, the part)."""
        others = others_named(text)
        excluded: dict[str, str] = {}
        doubtful: set[str] = set()  # named as someone else, not singled out: the guest is asked, not connected
        about_others: list[tuple[int, int]] = []
        context: set[str] = set()  # whom a part about someone else singles out
        units: set[str] = set()  # theirs: whom of equals the guest wants is in it first (X说让我找合规的同事)
        left_of: dict[tuple[int, int], str] = {}  # a part about someone else that also says what the guest needs
        not_wanted: list[tuple[int, int]] = []
        namesakes: list[tuple[tuple[Candidate, ...], bool]] = []  # excluded together; the part says more than the name
        theirs: list[Candidate] = []  # "X's boss": whoever holds that role in X's unit
        their_roles: set[str] = set()
        for part in others.parts:
            ranked_part = self._rank(self._read(part.who), within)
            v = verdict(ranked_part)
            if part.before_asking and v.kind == CONNECT \
                    and self._does(v.candidates[0], others.without([part.span]), within):
                continue  # "I'm looking for X, who can help me with …": X does it
            # By name, or by a title one holds (行政总裁的秘书: the CEO's); for a role, also one another part singled
            # out ("I'm Winnie's client, but I need her boss")
            if v.kind == CONNECT and (v.candidates[0].how != "desk" or _holds_title(v.candidates[0])) \
                    or part.theirs and v.candidates and v.candidates[0].how != "desk" \
                    and v.candidates[0].person.aad in excluded:
                excluded[v.candidates[0].person.aad] = part.who
                (not_wanted if part.excluded else about_others).append(part.span)
                if not part.excluded:
                    units.add(v.candidates[0].person.sub_org)
                if not part.excluded and not part.theirs:
                    context.add(v.candidates[0].person.aad)
                if not part.excluded and any(c.desk for c in ranked_part):  # "a client of X, Tony can help me …"
                    left_of[part.span] = _unnamed(part.who, self._entry[v.candidates[0].person.aad])
                if part.excluded:  # 不是北京的张伟，是广州那个: whom the rest points to may be a namesake
                    namesakes.append((alike(ranked_part, v.candidates), True))
                theirs += self._holding(part.role, v.candidates[0].person, within)
                their_roles |= {part.role} - {""}
            elif part.excluded and (there := self._named_there(part.who, others.without([part.span]), within)):
                excluded |= {aad: part.who for aad in there}  # "Grace, but not the HK one": the Grace whose phone is
                not_wanted.append(part.span)                  # a Hong Kong one
            elif part.excluded and described(part.who) and ranked_part and all(c.how == "desk" for c in v.candidates):
                # "not the insurance one", 不是做保险那个: whoever that desk describes
                # (all it names: "the corporate lending guy" is not whoever does loans; "the trust officer" is not
                # Trust accounting)
                # (and where it names a place, only whom of them is there: "not the HK trust person")
                phrases = {term for term in ranked_part[0].evidence if term[0] == "\""}
                described_topics = topics_named(fold(part.who))
                places = described_topics & PLACES
                places |= broader(places)
                rest = others.without([part.span])
                told = topics_named(fold(rest))
                # (not who does what the rest asks for, besides: "not surrender, a policy loan" is for the policy
                # loans desk that does surrenders too; "not the one who sells insurance" at an insurer)
                asked = told - described_topics - PLACES
                wanted = {c.person.aad for c in self._rank(self._read(rest), within)
                          if asked & _topics(c, "#")} if asked else set()
                excluded |= {c.person.aad: part.who for c in ranked_part
                             if phrases <= set(c.evidence) and _topics(ranked_part[0], "#") <= _topics(c, "#^")
                             and (not places or places & _topics(c, "#^")) and c.person.aad not in wanted}
                not_wanted.append(part.span)
                if told and told <= PLACES - places and _POINTING.search(rest):
                    # "not the HK trust person, the Ningbo one": the one wanted does what the one excluded does, there
                    left_of[part.span] = part.who
            elif part.excluded and v.candidates and all(c.how != "desk" for c in v.candidates):
                # "not Michael", two Michaels: neither is wanted (unless the rest tells them apart: below)
                excluded |= {c.person.aad: part.who for c in v.candidates}
                not_wanted.append(part.span)
                # Those the part's words fit (不是做保险嗰个黄小姐): the one wanted is another namesake
                # (or, where the part fits them all, whom of them the rest fits: "not Wei Zhang in Beijing, the other
                # one, the portfolio manager", both in Beijing)
                fit_all = v.candidates if len(v.candidates) > 1 else ()
                namesakes.append((alike(ranked_part, v.candidates) or fit_all, True)
                                 if any(c.desk for c in v.candidates) else
                                 (v.candidates, says_more(_unnamed(part.who, self._entry[v.candidates[0].person.aad]))))
            else:
                named = {c.person.aad for c in v.candidates if c.how != "desk"}
                doubtful |= named
                if named and not part.excluded and not part.theirs and not any(c.desk for c in ranked_part):
                    # "my accountant Mr Wong said …": namesakes, none singled out, and the need is what is wanted
                    about_others.append(part.span)
                    context |= named
        # Without the one excluded too ("not Amy Ho, the other Amy": Amy is not contradicted by Ho); if that
        # leaves nobody, whom the exclusion itself names ("not the Amy in retail": another Amy) is a guess.
        ranked = self._kept(self._rank(self._read(others.without(about_others + not_wanted, left_of)), within),
                            excluded) if not_wanted else ()
        if namesakes:
            ranked, among, unsure = self._told_apart(ranked, namesakes, others.without(about_others + not_wanted,
                                                                                         left_of))
            excluded = {aad: who for aad, who in excluded.items() if aad not in among}
            doubtful |= unsure
        guessed = not ranked and bool(not_wanted)
        if not ranked:
            rest = others.without(about_others, left_of) if about_others else text
            ranked = self._kept(self._rank(self._read(rest), within), excluded)
        if guessed or others.another or others.someone and any(c.how == "desk" for c in ranked):
            doubtful |= {c.person.aad for c in ranked if c.how != "desk"}
        if _BROWSING.search(others.read):
            doubtful |= {c.person.aad for c in ranked}
        # The role is X's unit's ("X's assistant"): who holds it elsewhere, by their desk alone, is not them.
        ranked = tuple(c for c in ranked if c.how != "desk" or not their_roles & self._roles[c.person.aad])
        if not ranked:
            ranked = self._kept(tuple(theirs), excluded)
        if not ranked and context:  # "I met Ken Tse, he said to message here": nobody else named, they are asked about
            ranked = self._rank(self._read(text), context)
            doubtful |= context
        ranked, alike_written = written_alike(ranked, self._entry, fold(others.read))
        doubtful |= alike_written
        if left_out is not None:
            left_out.extend(excluded.items())
        ranked = tuple(replace(c, certain=False) if c.person.aad in doubtful else c
                       for c in self._equals.named(ranked, others.read, units))
        if ranked and _ARRANGING.search(others.read) and ranked[0].how == "desk" and _holds_title(ranked[0]):
            # 想约你们CEO开个会，找谁安排: a meeting with a title's holder is arranged by whoever assists them
            aide = self._aide_of(ranked[0], within)
            ranked = (aide, *ranked) if aide else ranked
        return ranked

    def _aide_of(self, boss: Candidate, within: Collection[str] | None) -> Candidate | None:
        aide = next((self._entry[aad].person for aad, assisted in self._assisted.items()
                     if assisted.aad == boss.person.aad and (within is None or aad in within)), None)
        return Candidate(aide, boss.score + 1, f"assists {boss.person.name}", True, DESK, 0.0, ("%assistant",)) \
            if aide else None

    @cached_property
    def _assisted(self) -> dict[str, Person]:
        """Whom each assistant assists, as their desk says it ("PA to Peter Ho", "Executive Assistant to the CEO"),
        by the assistant's aad: read once, the first time it is asked."""
        out = {}
        for e in self.entries:
            for desk in e.person.desk:
                m = _ASSISTS.search(fold(desk))
                v = verdict(self._rank(self._read(m.group("whom")), None)) if m else None
                if v and v.kind == CONNECT and v.candidates[0].person.aad != e.person.aad:
                    out[e.person.aad] = v.candidates[0].person
                    break
        return out

    def _named_there(self, part: str, rest: str, within: Collection[str] | None) -> set[str]:
        """Whom the rest names by name who work in the place `part` names, if it names only a place ("the HK one")."""
        named = topics_named(fold(part))
        where = named & PLACES
        if not where or named - PLACES - broader(where):
            return set()
        return {c.person.aad for c in self._rank(self._read(rest), within)
                if c.how != "desk" and where & self._entry[c.person.aad].office}

    def _does(self, c: Candidate, asked: str, within: Collection[str] | None) -> bool:
        """`c`'s desk does what `asked` asks for (a topic or a phrase of it, not a place alone) as well as any does."""
        best = verdict(self._rank(self._read(asked), within)).candidates
        return any(b.person.aad == c.person.aad and any(term[0] in "#\"" and term[1:] not in PLACES
                                                         for term in b.evidence) for b in best)

    def _told_apart(self, ranked: tuple[Candidate, ...], namesakes: list[tuple[tuple[Candidate, ...], bool]],
                    rest: str) -> tuple[tuple[Candidate, ...], set[str], set[str]]:
        """Namesakes excluded together where the guest tells them apart ("not Wei Zhang in Beijing, the Zhang Wei in
        Guangzhou", 不是北京的张伟，是广州那个): the one wanted is among them, whom the rest of the text fits (a place
        decides), else any of them, asked about; unless the rest names someone else better. The ranking, the
        namesakes kept, those only asked about."""
        pool = {c.person.aad for named, _ in namesakes for c in named}
        again = self._rank(self._read(rest), pool, pool)
        best_else = max((c.score for c in ranked if c.how != "desk"), default=0.0)
        if again and again[0].how != "desk" and again[0].score > best_else:
            return again, pool, set()  # named again, and better than anyone else is ("Mr Tan, not Siew Lan": no)
        if best_else or not any(said_more for _, said_more in namesakes) or ranked and not POINTS_TO_ONE.search(rest):
            return ranked, set(), set()
        if again:  # 是广州那个: whom of them the rest fits (by a place alone too: their name is said)
            return tuple(replace(c, certain=True) for c in again), pool, set()
        # Asked about (no namesake: nobody, and whom the name evokes is a guess, below)
        return tuple(c for named, _ in namesakes for c in named), pool, pool

    def _read(self, text: str) -> Text:
        return read_text(text, self.words, self._spelt_names, self._offices)

    def _holding(self, role: str, of: Person, within: Collection[str] | None) -> list[Candidate]:
        """Who holds `role` in the unit of `of` (certain when one does); an assistant's boss is whom they assist
        ("PA to Peter Ho", "Executive assistant to the CEO")."""
        boss = self._assisted.get(of.aad) if role == "head" else None
        if boss and (within is None or boss.aad in within):
            return [Candidate(boss, DESK, f"whom {of.name} assists", True, DESK, 0.0, ("%head",))]
        found = [e.person for e in self.entries if role and role in e.roles and e.person.sub_org == of.sub_org
                 and e.person.aad != of.aad and (within is None or e.person.aad in within)]
        return [Candidate(p, DESK, f"{role} of {of.name}'s unit", len(found) == 1, DESK, 0.0, (f"%{role}",))
                for p in found]

    @staticmethod
    def _kept(ranked: tuple[Candidate, ...], excluded: Mapping[str, str]) -> tuple[Candidate, ...]:
        return tuple(c for c in ranked if c.person.aad not in excluded)

    def _rank(self, t: Text, within: Collection[str] | None,
              placed: Collection[str] | None = None) -> tuple[Candidate, ...]:
        if within is not None:
            entries = [e for e in self.entries if e.person.aad in within]
            n, named = len(entries), {e.person.aad for e in entries}
        else:
            by_name, by_desk = self._candidates(t)
            entries = [self.entries[i] for i in sorted(by_name | by_desk)]
            n, named = len(self.entries), {self.entries[i].person.aad for i in by_name}
        names = {e.person.aad: self._name_evidence(e, t) for e in entries if e.person.aad in named}
        # Where they work counts for whom the guest names, or tells apart (`placed`), not for a word of a name.
        placed = {aad for aad, name in names.items() if name is not None and name[0] > DESK} | set(placed or ())
        desk = desk_scores(entries, t, n, self._names, placed)
        given_way = _titled_aliases_given_way(entries, named, desk, t)
        places = topics_named(t.needs) & PLACES
        scored: list[Candidate] = []
        for e in entries:
            name = names.get(e.person.aad)
            extra, sure, terms = desk.get(e.person.aad, (0.0, False, ()))
            if name is not None and name[1] == "sounds like" and places & e.office:
                name = (max(name[0], FULL - 1), *name[1:])  # 杭州那个张伟: 章玮 there, typed as the keyboard offers
            if name is not None and terms and all(term.startswith(VIA) for term in terms):
                extra, terms = 0.0, ()  # a word bridged through the dictionary tells no namesakes apart
            if name is not None and e.zh_family in given_way and name[1] in (TITLED_ALIAS, "family name"):
                name = (PART, "family name", False)  # 黄小姐，做保险的那个: asked about
            if name is None and extra:
                scored.append(Candidate(e.person, round(DESK + extra, 6), "desk", sure, DESK, extra, terms))
            elif name is not None:
                score, how, certain = name
                scored.append(Candidate(e.person, round(score + (extra and 5 + extra), 6), how, certain, score, extra,
                                        terms))
        return self._equals.scored(scored, t, places)

    def _candidates(self, t: Text) -> tuple[set[int], set[int]]:
        """Who may fit by their name, e-mail or phone; who by their desk."""
        keys = {*t.windows, *(s for w in t.titled_zh for s in other_spellings(w)),
                *(f"@{a}" for a in t.emails), *(f"#{x}" for x in topics_in(t.needs)),
                *(f"%{r}" for r in roles_in(t.needs) & TITLES_HELD),
                *(f"w:{stem_key(stem(w))}" for w in (*t.tokens, *phrasal(t.tokens)) if len(w) > 2),
                *(f"w:{stem_key(desk.split()[0])}" for _, desk in (*t.bridged, *t.seconds))}
        for digits in t.numbers:
            keys |= {f"tel:{digits[-n:]}" for n in self._national_lengths}
        for run in t.needs_cjk.split():
            keys |= {f"zh:{run[i:j]}" for i in range(len(run))
                     for j in range(i + 1, min(i + 1 + self._zh_longest, len(run)) + 1)}
            keys |= {f"sound:{sound(run[i:i + n])}" for n in self._sound_lengths for i in range(len(run) - n + 1)}
        found: set[int] = set()
        desks: set[int] = set()
        for key in keys:
            found |= self._by.get(key, set())
            desks |= self._by_desk.get(key, set())
        for window in t.name_windows:  # one or two slips (typo decides)
            if len(window) >= 6:
                for form, _, _ in process.extract(window, self._forms.keys(), scorer=DamerauLevenshtein.distance,
                                                  score_cutoff=2, limit=None):
                    found |= self._forms[form]
        for word in t.titled:  # Mr Tompson
            for family, _, _ in process.extract(word, self._families.keys(), scorer=DamerauLevenshtein.distance,
                                                score_cutoff=1, limit=None):
                found |= self._families[family]
        return found, desks

    def _name_evidence(self, e: Entry, t: Text) -> tuple[float, str, bool] | None:
        p = e.person
        if t.emails & ({p.email, p.notify_email} - {""}):
            return ID, "email", True
        if p.phone and any(same_number(n, p.phone) for n in t.numbers):
            return ID, "phone", True
        # An alias that is the given name (小雨 of 黄小雨) is read as the given name is: in a name's context only; so
        # is one that is an everyday word (小雨 of 林晓雨: 今天下小雨 is the weather).
        words = {n for n in (e.zh_full, *e.zh_aliases) if n in t.cjk and not written_as_name_zh(n, t.cjk, e.zh_words)} \
            if t.cjk else set()
        written = [n for n in (e.zh_full, *e.zh_aliases) if len(n) >= 2
                   and (n == e.zh_full or n != e.zh_given) and n not in words and self._zh_written(n, t.cjk)]
        written += [a for a in e.mixed_aliases if a in t.folded.replace(" ", "")]  # Lim姐, as the directory has it
        zh = len(written)
        # Each way the name is written counts (陈大文 (David Chan)): together they fit one of namesakes.
        # A syllable written once is no name of it twice (li lv: not Li Li).
        latin = len({frozenset(f) for f in e.full_tokens if len(f) > 1
                     and all(t.tokens.count(tok) >= f.count(tok) for tok in f)}) if tones_fit(e, t) else 0
        if zh:
            how = "chinese name" if e.zh_full in written else \
                TITLED_ALIAS if not latin and all(n[len(e.zh_family):] in TITLES_ZH for n in written) else "alias"
            return FULL + zh + latin - 1, how, True
        if e.zh_family and e.zh_family in t.cjk and any(g in t.windows for g in e.givens if len(g) > 2):
            return FULL, "name", True  # Edmond 劉
        if tones_fit(e, t):
            # (a full name run into one word, not a family name: Leong is no Leo Ng)
            if latin or e.full_forms & t.windows - LATIN_FAMILIES.intersection(t.tokens):
                return FULL + max(latin, 1) - 1, "name", True
            if e.variant_forms & t.joined:  # David Lee for David Li: most likely, but asked (not "ling": Li Ng)
                return FUZZY_FULL, "name, spelt otherwise", False
        if e.zh_full and len(e.zh_full) >= 2 and e.zh_full not in words:
            shared = sounds_in(e, self._without_longer(e.zh_full, t.cjk), self.words.dictionary if self.words else {})
            if shared is not None:
                return SOUNDS + shared, "sounds like", False
        if tones_fit(e, t) and typo(e, t):
            return FUZZY_FULL, "name, misspelt", True
        part = name_part(e, t) or (WORD_OR_NAME if words else "")
        if part == WORD_OR_NAME:  # below a desk that names the need
            return DESK, part, False
        if part:
            # A given name of two words written whole (Li Ping) says more than a name of one of them (Li).
            whole = part != WORD_OR_NAME and bool(e.givens & t.joined & t.name_windows)
            return PART + whole, part, not contradicted(e, t)
        # "Wing", of Wing Yan Lau: less than a whole given name, and a syllable many names share (yau mo yan: 有冇人)
        if any(g in t.tokens and g not in t.place_tokens for g in e.given_parts):
            return PART - 5, "part of the given name", False
        if e.called & t.name_windows:  # Steve of Stephen, Ah Keung of Kwok Keung: no alias of theirs
            return PART - 5, "called so", False
        if any(one_slip_apart(family, w) for family in e.families for w in t.titled):  # Mr Tompson
            return PART, "family name, misspelt", False
        return None

    def _zh_written(self, name: str, cjk: str) -> bool:
        """`name` is in `cjk`, not only inside a longer name of the directory (张伟 in 张伟明) or a place's."""
        return bool(name) and name in cjk and name in self._without_longer(name, cjk)

    def _without_longer(self, name: str, cjk: str) -> str:
        for longer in self._longer.get(name, ()):
            cjk = cjk.replace(longer, " ")
        return re.sub(f"{re.escape(name)}(?={_STREET_ZH})", " ", cjk) if name in cjk else cjk


# What follows a name that is a street's or a place's (林森北路, 中山大道, 建国广场): no one's name there.
_STREET_ZH = r"(?:[东西南北中]路|路(?![过上途费线程])|大道|大街|街|大厦|广场|公园|地?铁站|花园|新村|村|邨)"
# The guest says they want nobody ("Angel investor here, just browsing"): whom the words fit is asked about.
_BROWSING = re.compile(r"\bjust (?:browsing|looking around|having a look|curious)\b"
                       r"|随便看看|随便逛逛|只是看看|随便[睇看]睇")
# The guest describes whom they want by what they do (做保险的那个, 保险部, "the insurance one", "Ms Wong in …").
_DESCRIBES = re.compile(r"那个|那位|嗰[个位]|做|负责|部|组|\bthe\b[^,.;]*\bone\b|\b(?:in|from|who)\b")
# The rest points to another of the kind excluded ("the Ningbo one", 高雄那个).
_POINTING = re.compile(r"\b(?:one|guy|lady|person)\b|那个|那位|嗰个|嗰位")
# A request made of whom the guest addresses (陈总您好，想咨询…), not a description of whom they want.
_REQUESTS = re.compile(r"想|要|请|问|咨询|了解|办|帮|您好|你好|\b(?:want|need|please|help|can|could|would|like|ask)\b")
TITLED_ALIAS = "alias (family name and title)"  # 黄小姐, 陈总
_ASSISTS = re.compile(r"\b(?:pa|assistant|secretary)\s+to\s+(?P<whom>.+)")
# The guest asks to arrange a meeting (想约你们CEO开个会, 邊位幫手安排時間, "book a meeting with your CEO").
_ARRANGING = re.compile(r"\b(?:arrange|set up|schedule|book|request|fix)\b[^.?!]{0,40}\b(?:meeting|appointment)\b"
                        r"|\b(?:meeting|appointment) with\b"
                        r"|约[^，。？！,?!]{0,12}(?:开会|开个会|见面|会面|见一下|见个面)"
                        r"|安排[^，。？！,?!]{0,6}(?:时间|会面|见面|会议)|(?:开会|见面|会面)[^，。？！,?!]{0,12}安排"
                        r"|(?:见下|见一下|见见|见个面|见面|会面)[^。？！?!]{0,20}(?:点约|怎么约|如何约|约时间|预约)")


def _unnamed(text: str, e: Entry) -> str:
    """`text` without the words of `e`'s name: a referrer's name says nothing of whom the guest wants (and its
    family name would find namesakes), what else the part says may."""
    words = e.families | e.givens | e.given_parts | {w for form in e.full_tokens for w in form}
    text = LATIN.sub(lambda m: " " if m.group(0) in words else m.group(0), text)
    for name in sorted({e.zh_full, *e.zh_aliases, e.zh_given if len(e.zh_given) >= 2 else ""} - {""}, key=len,
                       reverse=True):
        text = text.replace(name, " ")
    return text


def _titled_aliases_given_way(entries: list[Entry], named: set[str],
                              desk: Mapping[str, tuple[float, bool, tuple[str, ...]]], t: Text) -> set[str]:
    """The family names whose titled alias (黄小姐, 陈总) is no more than the family name with a title: where the guest
    describes the one wanted by what they do (黄小姐，做保险的那个; 李生，Mortgages) and a namesake does it, the alias's
    holder not; they are then asked about, none connected (陈总您好，想咨询债券: the guest greets whom the firm calls
    陈总 and asks them)."""
    if not t.cjk or not _DESCRIBES.search(t.folded) and _REQUESTS.search(t.folded):
        return set()
    named_entries = [e for e in entries if e.person.aad in named and e.zh_family and e.zh_family in t.cjk]
    doing = {e.zh_family for e in named_entries
             if any(term[0] in "#\"" and term[1:] not in PLACES for term in desk.get(e.person.aad, (0, False, ()))[2])}
    return {e.zh_family for e in named_entries if e.zh_family in doing and e.person.aad not in desk
            and any(a in t.cjk and a.startswith(e.zh_family) and a[len(e.zh_family):] in TITLES_ZH
                    for a in e.zh_aliases)}


def _topics(c: Candidate, kinds: str) -> set[str]:
    """The topics of `c`'s evidence, of these kinds (#: their desk names it, ^: broader than their desk's)."""
    return {term[1:] for term in c.evidence if term[0] in kinds}


def _holds_title(c: Candidate) -> bool:
    """Found by a title they hold (the CEO): as good as their name for "the CEO's secretary"."""
    return c.certain and any(term[0] == "%" and term[1:] in TITLES_HELD for term in c.evidence)
