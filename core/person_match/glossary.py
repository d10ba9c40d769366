"""What an outside dictionary adds to the lexicon (CC-CEDICT's English definitions, given as data by
adapters/cedict.py), for one directory (`Words`):
- words as words: a word of the dictionary that holds a topic's, a desk's or a name's characters and means
  something else (保险丝: a fuse; 股东: a shareholder, not shares; 旧金山: San Francisco, not 金山) is read as
  itself, not as what it holds; unless one of our words crosses it (车贷 in 下车贷款: 下车 is no word there);
- a bridge from Chinese to English desks: a Chinese word the lexicon does not know whose definitions name a
  desk's word (退休 "to retire" -> a "Retirement" desk), weaker evidence than the lexicon's (evidence.py);
- a bridge from English to English desks: a guest's word that one Chinese word's first definitions name beside a
  desk's word, each in a definition of its own (旧怨 "old grievance; former complaint": grievance -> a
  "Complaints" desk), as weak;
- a desk's second word written in Chinese, to order desks that fit the topic alike: a word a short definition of
  which names a desk's word or is a desk's phrase (提取 "to withdraw": withdrawals; 提单 "bill of lading"; 客服
  "customer service"), as the dictionary may write it otherwise (`NEAR`: 孕妇 "pregnant woman", maternity), a part
  of one of our words (家族 of 家族信托);
- a desk's phrase written word by word in Chinese (家庭理财规划: "Financial planning for families"), weighed as
  the phrase and asked about (evidence.py)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Container, Iterable, Mapping

from core.person_match.lexicon import ROLES, TOPICS
from core.person_match.reading import (CJK_RUN, LATIN, broader, names_topic, phrasal, stem, stem_in, stem_key,
                                       topics_in, topics_named)
from core.person_match.words import COMMON_WORDS, FUNCTION_WORDS, STOP_DESK

# The lexicon's Chinese words, and the topics each names.
LEXICON_ZH: dict[str, frozenset[str]] = {}
for _topic, (_, _chinese) in TOPICS.items():
    for _word in _chinese:
        LEXICON_ZH[_word] = LEXICON_ZH.get(_word, frozenset()) | {_topic}
ROLES_ZH = frozenset(w for _, chinese in ROLES.values() for w in chinese)
# A word of many senses is a common one (计划: plan, project, program …): no bridge.
MOST_SENSES = 4
# A desk's word that more dictionary words name than this is too general to bridge to (life, money, office,
# family: 90 to 140 each), unless it names a topic.
SPECIFIC = 40
LONGEST = 6  # the longest dictionary word read as a word (longer ones are names of institutions)
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]{6,}(?![A-Za-z])")
# The definitions of a word read for the English bridge: its first ones, its commonest senses.
FIRST = 2
VIA = "via dictionary: "  # the evidence of a bridged word: "via dictionary: 退休 → retirement"
# The evidence of a desk's second word the guest wrote in Chinese (提取 → withdrawal): it only breaks ties.
SECOND = "~"


def heads(definitions: str, first: int | None = None) -> frozenset[str]:
    """What the definitions (the `first` ones, if given) name: each short one's last word ("to settle a claim":
    claim; "to go into retirement"), without asides ("(from the workforce)"), little words, and proper names
    (Bank of China)."""
    out: set[str] = set()
    for d in re.split(r"[/;]", definitions)[:first]:
        d = _ASIDE.sub(" ", d).strip()
        words = [w for w in LATIN.findall(d.lower()) if w not in FUNCTION_WORDS]
        if words and len(words) <= 3 and not d[0].isupper():
            out.add(_plain(stem(words[-1])))
    return frozenset(out)


def same_word(a: str, b: str) -> bool:
    """One word, inflected: claim ~ claims, service ~ servicing, retire ~ retirement (-ment after six letters: a
    state is no statement); not custody ~ customs."""
    a, b = _plain(a), _plain(b)
    for x, y in ((a, b), (b, a)):
        for base in {x, x[:-1] if x.endswith("e") else x}:
            if y.startswith(base) and (y[len(base):] in _INFLECTIONS or y[len(base):] == "ment" and len(x) >= 6):
                return True
    return False


def _plain(word: str) -> str:
    return word[:-2] + "y" if word.endswith("ie") else word  # equitie (equities, stemmed): equity


_INFLECTIONS = frozenset({"", "s", "es", "ed", "ing"})  # not -ation: a value is no valuation


@dataclass(frozen=True, eq=False)
class Glossary:
    """A dictionary: each Simplified Chinese word (two characters or more) -> its English definitions,
    joined by "/". One per process: what is derived from it alone is kept here, once."""
    definitions: Mapping[str, str]

    def prepared(self) -> Glossary:
        """The same, with what every directory reads of it worked out now (about 2 s of CPU)."""
        _ = self.by_head, self._thesaurus, self.lexicon_idioms, self.by_definition, self.english  # worked out now
        return self

    @cached_property
    def by_head(self) -> Mapping[str, tuple[str, ...]]:
        """The words of few senses by what their definitions name (its `stem_key`)."""
        out: dict[str, list[str]] = {}
        for word, definitions in self.definitions.items():
            if word not in LEXICON_ZH and len(word) <= LONGEST and definitions.count("/") < MOST_SENSES:
                for head in heads(definitions):
                    out.setdefault(stem_key(head), []).append(word)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def by_sense(self) -> Mapping[str, tuple[str, ...]]:
        """The words of few senses, the lexicon's too, by what one of their `FIRST` definitions names (its
        `stem_key`): a thesaurus (兑换 "to convert; to exchange": convert, exchange)."""
        return self._thesaurus[0]

    @property
    def naming(self) -> Mapping[str, int]:
        """How many words of `by_sense` name each word: a general one (money, thing), many."""
        return self._thesaurus[1]

    @cached_property
    def _thesaurus(self) -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, int]]:
        out: dict[str, list[str]] = {}
        naming: Counter[str] = Counter()
        for word, definitions in self.definitions.items():
            if len(word) <= LONGEST and definitions.count("/") < MOST_SENSES:
                named = heads(definitions, FIRST)
                naming.update(named)
                for key in {stem_key(head) for head in named}:
                    out.setdefault(key, []).append(word)
        return {k: tuple(v) for k, v in out.items()}, naming

    @cached_property
    def by_definition(self) -> Mapping[str, tuple[str, ...]]:
        """The words (of few senses) by a word of a short definition (its `stem_key`): 雇主 "employer", 提取 "to
        withdraw (money)", 伦敦 "London, capital of United Kingdom", 信用证 "letter of credit" (letter, credit)."""
        out: dict[str, list[str]] = {}
        for word, definitions in self.definitions.items():
            if len(word) <= LONGEST and definitions.count("/") < MOST_SENSES:
                for key in {stem_key(w) for w in _definition_words(definitions)}:
                    out.setdefault(key, []).append(word)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def english(self) -> frozenset[str]:
        """The English words of six letters or more its definitions write in lower case (wanting, lining): a pinyin
        given name that is one is a word as often."""
        return frozenset(w for d in self.definitions.values() for w in _LOWER_WORD.findall(d))

    @cached_property
    def lexicon_idioms(self) -> frozenset[str]:
        """The words that hold a word of the lexicon and name none of its topics (保险丝, 股东, 火车)."""
        return frozenset(w for w, held in _holding(self.definitions, LEXICON_ZH)
                         if w not in LEXICON_ZH and w not in ROLES_ZH
                         and not any(_means(self.definitions, w, h, frozenset(), False) for h in held))


@dataclass(frozen=True)
class Words:
    """One directory's words (see the module's docstring)."""
    idioms: frozenset[str] = frozenset()  # words read as themselves (blanked): they mean something else
    ours: frozenset[str] = frozenset()  # the lexicon's, the names', the desks', the bridged: never blanked
    bridge: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # Chinese word -> desk words it names
    # An English word's `stem_key` -> (the word, a desk word one Chinese word names beside it): _beside
    english: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    dictionary: Mapping[str, str] = field(default_factory=dict)  # the glossary's definitions (words as words)
    second: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # Chinese word -> desk words it is
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # Chinese word -> desk phrases' words it is
    everyday: frozenset[str] = frozenset()  # the names that are everyday words (黄金: gold; 高明: wise)
    vocabulary: frozenset[str] = frozenset()  # English words of six letters or more (`Glossary.english`)
    _starts: frozenset[str] = frozenset()  # the first two characters of the idioms and the bridged words

    def apart(self, folded: str) -> str:
        """`folded` with the words that mean something else blanked (where none of ours crosses them)."""
        return CJK_RUN.sub(self._apart_run, folded) if self.idioms else folded

    def _apart_run(self, m: re.Match[str]) -> str:
        run = m.group(0)
        spans = self._spans(run, self.idioms, self._starts)
        if not spans:
            return run
        ours: dict[int, list[int]] = {}  # where each of ours ends, by where it starts
        for c, d in self._spans(run, self.ours):
            ours.setdefault(c, []).append(d)
        chars = list(run)
        for a, b in spans:  # blanked where none of ours crosses or holds it (one inside it does not count)
            if not any(d > a if c < a else d > b for c in range(max(0, a - LONGEST), b) for d in ours.get(c, ())):
                chars[a:b] = " " * (b - a)
        return "".join(chars)

    def bridged(self, cjk: str) -> tuple[tuple[str, str], ...]:
        """(word, desk word) for each bridged word written as a word: not inside or crossed by a longer word."""
        found: set[tuple[str, str]] = set()
        for run in cjk.split():
            for a, b in self._spans(run, self.bridge, self._starts):
                if not self._crossed(run, a, b):
                    found |= {(run[a:b], desk) for desk in self.bridge[run[a:b]]}
        return tuple(sorted(found))

    def seconds(self, cjk: str) -> tuple[tuple[str, str], ...]:
        """(word, desk word) for each Chinese word written (as a word, or inside one of ours it is a part of: 家族 in
        家族信托, family) that is a desk's word (雇主: employer) or phrase (客服: customer service)."""
        return self._written(cjk, self.second)

    def phrase_words(self, cjk: str) -> tuple[tuple[str, str], ...]:
        """(word, a desk phrase's word) for each Chinese word written that is a word of a desk's phrase (家庭:
        families, of "Financial planning for families"), little words of a desk's too (planning, service)."""
        return self._written(cjk, self.parts)

    def _written(self, cjk: str, table: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
        found: set[tuple[str, str]] = set()
        for run in cjk.split():
            for a, b in self._spans(run, table):
                if not self._crossed(run, a, b, parts=True):
                    found |= {(run[a:b], desk) for desk in table[run[a:b]]}
        return tuple(sorted(found))

    def bridged_en(self, tokens: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """(guest's word, desk word) for each English word bridged to a desk's (grievance → complaint)."""
        found: set[tuple[str, str]] = set()
        for token in tokens:
            word = stem(token)
            if len(word) > 2 and token not in _NO_NEED:
                found |= {(token, desk) for head, desk in self.english.get(stem_key(word), ()) if same_word(word, head)}
        return tuple(sorted(found))

    def _crossed(self, run: str, a: int, b: int, parts: bool = False) -> bool:
        """A word of ours, or a longer one of the dictionary, holds or crosses `run[a:b]`: the longer word is the
        word written, as maximum matching reads (保费 in 交保费: 交保 is no longer); with `parts`, one of ours that
        holds it does not (家族信托 is 家族 and 信托)."""
        for c in range(max(0, b - LONGEST), b):
            for d in range(max(c + 2, a + 1), min(len(run), c + LONGEST) + 1):
                if (c, d) != (a, b) and not a <= c < d <= b and (
                        run[c:d] in self.ours and not (parts and c <= a and b <= d)
                        or d - c > b - a and run[c:d] in self.dictionary):
                    return True
        return False

    @staticmethod
    def _spans(run: str, words: Container[str], starts: frozenset[str] | None = None) -> list[tuple[int, int]]:
        """Where `words` (of two characters or more) are in `run` (only from `starts`, their first two characters)."""
        return [(i, i + n) for i in range(len(run)) if starts is None or run[i:i + 2] in starts
                for n in range(2, min(LONGEST, len(run) - i) + 1) if run[i:i + n] in words]


def words_for(glossary: Glossary, desk_words: Iterable[str], names: Iterable[str],
              desk_zh: Iterable[str], desk_phrases: Iterable[str] = ()) -> Words:
    """The directory's `Words`: `desk_words` (stems) bridged to, `names` (Chinese names, aliases, given
    names) and `desk_zh` (Chinese desk phrases) read only as words; a Chinese word that is one of the desks' words
    or of `desk_phrases` (folded: "customer service") is a `second`, one that is a word of a phrase one of its
    `parts`."""
    defs = glossary.definitions
    bridge: dict[str, set[str]] = {}
    english: dict[str, set[tuple[str, str]]] = {}
    second: dict[str, set[str]] = {}
    read: dict[str, frozenset[str]] = {}
    for desk in desk_words:
        for word in _naming(glossary, desk, read):
            second.setdefault(word, set()).add(desk)
        words = [w for w in glossary.by_head.get(stem_key(desk), ()) if any(same_word(desk, h) for h in heads(defs[w]))]
        if len(words) <= SPECIFIC or topics_named(desk):  # what many words name is no need (money, life, office)
            for word in words:
                bridge.setdefault(word, set()).add(desk)
        for other in _beside(glossary, desk):
            english.setdefault(stem_key(other), set()).add((other, desk))
    parts: dict[str, set[str]] = {}
    for phrase in desk_phrases:  # desk words alone may say nothing (service): the whole phrase does
        spelt = tuple(stem(w) for w in phrase.split() if w not in FUNCTION_WORDS)
        for word in glossary.by_definition.get(stem_key(spelt[0]), ()) if spelt else ():
            if _is_phrase(spelt, defs[word]):
                second.setdefault(word, set()).add(phrase)
        for part in spelt:  # and word by word (理财, 规划, 家庭: financial planning for families)
            for word in _naming(glossary, part, read):
                parts.setdefault(word, set()).add(part)
    names, desk_zh = frozenset(names), frozenset(p for p in desk_zh if p not in LEXICON_ZH)
    held: dict[str, frozenset[str]] = {**{n: frozenset() for n in names}, **{p: frozenset() for p in desk_zh},
                                       **{w: frozenset(d) for w, d in bridge.items()}}
    idioms = set(glossary.lexicon_idioms)
    for word, inside in _holding(defs, held):
        if inside & names or not any(_means(defs, word, h, held[h], h in bridge) for h in inside):
            idioms.add(word)  # a name inside a longer word is no name; a word that means none of what it holds
    ours = frozenset({*LEXICON_ZH, *ROLES_ZH, *names, *desk_zh, *bridge})
    kept = frozenset(idioms - ours)
    return Words(idioms=kept, ours=ours, bridge={w: tuple(sorted(d)) for w, d in bridge.items()},
                 english={k: tuple(sorted(v)) for k, v in english.items()}, dictionary=defs,
                 second={w: tuple(sorted(d)) for w, d in second.items()},
                 parts={w: tuple(sorted(d)) for w, d in parts.items()},
                 everyday=frozenset(n for n in names if n in defs and _everyday(defs[n])), vocabulary=glossary.english,
                 _starts=frozenset(w[:2] for w in (*kept, *bridge)))


# Definitions that are no sense of a word's own: a reference to another word, a family name's
_REFERENCES = ("variant of", "old variant", "see ", "used in", "abbr.", "alias of", "surname", "other ")


def _everyday(definitions: str) -> bool:
    """A sense of its own that is no proper name (gold; to soar), not only "Li Na (1982-), tennis player"."""
    return any(d and not _ASIDE.sub("", d).strip()[:1].isupper() and not d.startswith(_REFERENCES)
               for d in definitions.split("/"))


def _naming(glossary: Glossary, desk: str, read: dict[str, frozenset[str]]) -> set[str]:
    """The dictionary's words a short definition of which names `desk` (a desk's word, a stem: withdrawal ~ 提取 "to
    withdraw"), or a word `NEAR` it; `read`: the words' definitions read so far (a directory's desks share many)."""
    out = set()
    for form in (desk, *NEAR.get(desk, ())):
        for word in glossary.by_definition.get(stem_key(form), ()):  # a stem: five letters (anti ≠ antique)
            if word not in read:
                read[word] = _definition_words(glossary.definitions[word])
            named = {w for w in read[word] if stem_key(w) == stem_key(form)}
            if any(same_word(form, w) for w in named) or len(form) > 4 and stem_in(form, named):
                out.add(word)
    return out


def _definition_words(definitions: str) -> frozenset[str]:
    """The words of the short definitions, each (stemmed): "employer", "to withdraw (money)",
    "letter of credit" (letter, credit), "customer service", a proper name before its comma ("London, capital of
    United Kingdom"); not of a longer one (a sentence names no desk)."""
    return frozenset(w for words in _short(definitions) for w in words)


def _short(definitions: str) -> tuple[tuple[str, ...], ...]:
    """Each short definition's words (stemmed, without little words), of three words at most."""
    out = []
    for d in re.split(r"[/;]", definitions):
        d = _ASIDE.sub(" ", d.split(",")[0] if d[:1].isupper() else d).strip().lower()
        spelt = LATIN.findall(d.removeprefix("to "))
        words = [w for w in spelt if w not in FUNCTION_WORDS]
        if len(words) <= 3:
            out.append(tuple(stem(w) for w in words if len(w) > 2) + tuple(phrasal(spelt)))  # "to log in": login
    return tuple(out)


def _is_phrase(phrase: tuple[str, ...], definitions: str) -> bool:
    """One of the definitions is `phrase` (words stemmed, inflected alike): 客服 "customer service"."""
    return any(len(words) == len(phrase) and all(same_word(a, b) for a, b in zip(words, phrase))
               for words in _short(definitions))


def _beside(glossary: Glossary, desk: str) -> set[str]:
    """What one dictionary word's first definitions name beside `desk`, each what a definition of its own names
    (兑换 "to convert; to exchange": convert; not 外长 "foreign minister; secretary of state": a secretary is not
    foreign); of words few dictionary words name (a general one, "money", bridges to none)."""
    def few(word: str) -> bool:
        return glossary.naming.get(word, 0) <= SPECIFIC

    if not few(desk) and not topics_named(desk):
        return set()
    out = set()
    for word in glossary.by_sense.get(stem_key(desk), ()):
        named = heads(glossary.definitions[word], FIRST)
        if any(same_word(desk, head) for head in named):
            out |= {head for head in named if not same_word(desk, head) and head not in _NO_NEED and few(head)}
    return out


# A desk's words as the dictionary may write them otherwise (借钱 "to borrow money": a loan; 孕妇 "pregnant
# woman": maternity; 取回 "to retrieve": a withdrawal): stems, few, each a word a desk is named by.
NEAR = {"loan": ("borrow", "lend"), "withdrawal": ("retrieve", "withdraw"), "leasing": ("rent", "hire"),
        "maternity": ("pregnant", "childbirth"), "custody": ("safekeeping", "custodian"),
        "remittance": ("remit",)}
# A guest's words that ask for nothing ("a question about my account": no app problem).
_NO_NEED = frozenset(FUNCTION_WORDS | COMMON_WORDS | STOP_DESK | {"question", "query", "enquiry", "inquiry"})


def _holding(definitions: Mapping[str, str], held: Mapping[str, object]) -> Iterable[tuple[str, set[str]]]:
    """Each dictionary word (up to `LONGEST` characters) that holds one of `held` (and is longer), with them."""
    for word in definitions:
        if len(word) > LONGEST:
            continue
        inside = {word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)
                  if j - i < len(word) and word[i:j] in held}
        if inside:
            yield word, inside


def _means(definitions: Mapping[str, str], word: str, held: str, desks: frozenset[str], bridged: bool) -> bool:
    """`word` means what it holds: a bridged word's desks, a topic of a lexicon word or a desk phrase (人寿保险:
    life insurance), or what a word of two characters or more means itself (中小企业 and 企业: enterprise)."""
    named = heads(definitions[word])
    if bridged:
        return any(same_word(desk, h) for desk in desks for h in named)
    return names_topic(definitions[word].lower(), _around(topics_in(held))) \
        or len(held) >= 2 and bool(named & heads(definitions.get(held, "")))


def _around(topics: frozenset[str]) -> frozenset[str]:
    """The topics and those broader: a definition naming either means the word (人寿保险: life insurance)."""
    return topics | broader(topics)
