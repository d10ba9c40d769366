"""What to do with the people ranked: connect, ask which, ask for more, or ask who."""
from __future__ import annotations

from dataclasses import dataclass

from core.people import Person
from core.person_match.glossary import SECOND, VIA

MAX_CHOICES = 5
TIE = 1e-6
DESK_NEAR = 0.45  # desk evidence within this share of the best's is as good

# Evidence, as scores: the best-scored people are the candidates.
ID, FULL, FUZZY_FULL, SOUNDS, PART, DESK = 100, 90, 85, 70, 50, 40


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    how: str  # what matched: "email", "phone", "name", "chinese name", "sounds like", "family name", "desk" …
    certain: bool
    base: float = 0.0  # the name's evidence (DESK when only the desk fits)
    desk: float = 0.0  # what the desk adds
    evidence: tuple[str, ...] = ()  # what of the desk fits: #topic, "phrase, word, %role


@dataclass(frozen=True)
class Verdict:
    kind: str  # CONNECT | CHOOSE | NARROW | UNKNOWN
    candidates: tuple[Candidate, ...] = ()


CONNECT, CHOOSE, NARROW, UNKNOWN = "connect", "choose", "narrow", "unknown"


def verdict(ranked: tuple[Candidate, ...]) -> Verdict:
    """What to do with `ranked` (best first): never connect on a tie, nor on an uncertain match."""
    if not ranked:
        return Verdict(UNKNOWN)
    best = ranked[0]
    # What a desk adds tells people apart only by a clear margin: "app support" and "online banking
    # support" both fit a login problem, though only one says "app".
    # Not namesakes when the best has all of theirs and a topic or phrase more ("信用卡的张海, 在上海的那个"):
    # what the guest added to a name is said to tell them apart.
    top = tuple(c for c in ranked if c.score >= best.score - TIE
                or (best.desk and c.base == best.base and c.desk >= DESK_NEAR * best.desk and not _outdone(c, best))
                or _apart_by_the_dictionary_alone(c, best))
    if len(top) == 1 and top[0].certain:
        return Verdict(CONNECT, top)
    if len(top) > MAX_CHOICES:
        return Verdict(NARROW, top)
    return Verdict(CHOOSE, top)


def _outdone(c: Candidate, best: Candidate) -> bool:
    if best.base <= DESK:
        return False
    more = set(best.evidence) - set(c.evidence)
    return set(c.evidence) <= set(best.evidence) and any(term[0] in "#\"" for term in more)


def _apart_by_the_dictionary_alone(c: Candidate, best: Candidate) -> bool:
    """What the best has of the need beyond `c` is only what the dictionary guessed (礼拜 "a service": a servicing
    desk), where the desk of `c` fits too: a guess tells them apart no more than a tie does."""
    more = set(best.evidence) - set(c.evidence)
    return c.base == best.base and c.desk > 0 and bool(more) and all(term.startswith((VIA, SECOND)) for term in more)
