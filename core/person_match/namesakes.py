"""Among namesakes equally fit, whom a receptionist names first: the one the guest's title fits (Mr Chan, 陈小姐,
張生: a man or a woman), as the directory tells it: an alias with a title (陈生, Joy姐, 張Sir), an English given name,
else the characters of a Chinese given name. Only an order among equals: it never makes a match, nor a connection.
And namesakes a guest tells apart ("not Wei Zhang in Beijing, the one in Guangzhou"): who they are (`alike`), whether
the exclusion says more than the name (`says_more`), whether the rest points to one of them (`POINTS_TO_ONE`); and
namesakes the characters written do not tell apart (`written_alike`)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping

from core.people import Person
from core.person_match.forms import Entry
from core.person_match.reading import fold, plain
from core.person_match.verdict import TIE, Candidate
from core.person_match.words import SURNAMES

MAN, WOMAN = "man", "woman"

# Common English given names, by whom they usually name (not those given to both: Sunny, Joy … are women's here
# only where the directory says so).
_MEN_EN = frozenset("""
aaron adam adrian alan albert alex alfred allen alvin andrew andy anthony antony arthur ben benjamin benny bill billy
bob brian bruce calvin carl carlos charles chris christopher clement colin daniel danny darren david dennis derek
desmond dick dominic donald douglas duncan eddie edmond edward edwin elvis eric ernest eugene frank franky fred
frederick gabriel gary geoffrey george gilbert gordon harry harold hayden henry herman howard hugo ian isaac ivan
jack jackie jackson jacky james jason jeff jeffrey jerry jim jimmy joe john johnny jonathan joseph joshua justin
keith kelvin ken kenneth kenny kevin kit kyle larry lawrence leo leon leonard leslie louis marco mark martin matthew
max michael mike nathan neil nelson nicholas oliver oscar patrick paul peter philip raymond ray richard ricky robert
roger ronald ryan sam samuel sean simon stanley stephen steve steven terence terry thomas tim timothy tom tommy tony
victor vincent walter wayne william willie wilson
""".split())
_WOMEN_EN = frozenset("""
abby ada agnes alice alison amanda amber amy angel angela angie anita ann anna anne annie april ava barbara bella
betty bonnie candy carmen carol caroline catherine cathy cecilia celia charlotte cherry chloe christina christine
cindy clara claudia connie crystal cynthia daisy diana doris dorothy eileen elaine eleanor elena elizabeth ella ellen
emily emma esther eva eve evelyn faith fanny fiona florence frances gigi gloria grace hannah hazel heidi helen
irene iris isabel ivy jacqueline jade jane janet janice jasmine jean jenny jessica jill joan joanne josephine joyce
judy julia julie june karen kate katherine kathy katie kelly kitty kristy laura lily linda lisa lucy maggie mandy
margaret maria marian mary maureen may melody michelle minnie miranda molly monica nancy natalie nicole nina olivia
pamela peggy phoebe priscilla queenie rachel rainie rebecca rita rosa rose ruby ruth sally samantha sandy sarah
sharon shirley sophia sophie stella stephanie susan suzanne sylvia tiffany tina tracy vanessa venus vera veronica
victoria vicky violet vivian wendy winnie yvonne zoe
""".split())
# The characters of Chinese given names that usually name a woman, or a man (a hint only, where nothing else says).
_WOMEN_ZH = frozenset("美丽娟婷娜芳燕玲琳雯慧静婉淑霞梅兰莉萍颖琪媛嫣姗妮怡倩蓉薇瑶璐珊诗凤翠艳娇")
_MEN_ZH = frozenset("伟强军杰刚勇斌浩峰磊鹏辉俊龙豪健雄彬宏")
# An alias's title: 陈生, 張Sir, 强哥 are men; 何姐, Joy姐, 陈太 women.
_ALIAS_TITLES = ((re.compile(r"(?:生|先生|sir|哥|仔|少)$"), MAN), (re.compile(r"(?:姐|小姐|女士|太|太太|妹)$"), WOMAN))
# What the guest's title says, in Cantonese romanisation too (lei saang, lei je).
_SURNAME = "[" + "".join(sorted(c for c in SURNAMES if len(c) == 1)) + "]"
_ASKED = ((re.compile(rf"\b(?:mr|mister|sir|saang|sang)\b|{_SURNAME}(?:先生|生(?![日意活命病产效气])|sir\b|哥)"), MAN),
          (re.compile(rf"\b(?:ms|mrs|miss|madam|madame|je|tse|siu ?je|taai)\b|小姐|女士"
                      rf"|{_SURNAME}(?:太太|太(?![平空多])|姐)"), WOMAN))


def sex_of(person: Person) -> str:
    """Whom `person`'s names say they are (MAN, WOMAN), or "" where they do not say, or say both."""
    said = {sex for alias in person.aliases for pattern, sex in _ALIAS_TITLES if pattern.search(plain(alias))}
    if not said:
        names = {w for text in (person.name, *person.aliases) for w in re.findall(r"[a-z]+", fold(text))}
        said = {MAN for w in names if w in _MEN_EN} | {WOMAN for w in names if w in _WOMEN_EN}
    if not said and person.name_zh:
        given = plain(person.name_zh)[1:]
        women, men = sum(c in _WOMEN_ZH for c in given), sum(c in _MEN_ZH for c in given)
        said = {WOMAN} if women > men else {MAN} if men > women else set()
    return next(iter(said)) if len(said) == 1 else ""


def sex_asked(folded: str) -> str:
    """Whom the guest's title says they ask for (Mr, 先生, 张生: MAN; Ms, 小姐, 陈太: WOMAN), or ""."""
    said = {sex for pattern, sex in _ASKED if pattern.search(folded)}
    return next(iter(said)) if len(said) == 1 else ""


def misfit(asked: str, sex: str) -> int:
    """How badly a person of `sex` fits the title asked: 0 fits (or none asked), 1 unknown, 2 the other."""
    return 0 if not asked or sex == asked else 1 if not sex else 2


# "The other one", "the Guangzhou one", 是广州那个, (不是杭州那个，)是北京做信用证的.
POINTS_TO_ONE = re.compile(r"\bthe (?:[a-z]+ ){0,3}(?:other|one)\b|\banother\b"
                           r"|那个|那位|嗰[个位]|另一个|另一位|另外一个|另外那个|(?:^|[\s,，;；])(?:而|就)?是[^\s,，。;；]{1,12}的")
_LITTLE = re.compile(r"\b(?:the|in|at|from|of|one|who|that|mr|ms|mrs|miss)\b|的|嘅|那个|那位|嗰[个位]|[\s,.，。]")


def alike(ranked: tuple[Candidate, ...], singled: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Whom `ranked` names as it names `singled` (by the same kind of evidence of their name, or as it sounds: 陈晶 for
    陈静), but not them."""
    out = {c.person.aad for c in singled}
    return tuple(c for c in ranked if c.how != "desk" and (c.base == singled[0].base or c.how == "sounds like")
                 and c.person.aad not in out)


def says_more(unnamed: str) -> bool:
    """What is left of an exclusion without the name (北京的, "in Beijing") tells namesakes apart."""
    return bool(_LITTLE.sub("", unnamed))


def written_alike(ranked: tuple[Candidate, ...], entries: Mapping[str, Entry],
                  text: str) -> tuple[tuple[Candidate, ...], set[str]]:
    """Namesakes the characters the guest wrote do not tell apart, asked about together (tied, the one written first),
    unless what else the guest wrote tells them apart: a name a namesake sounds like (找李明, with 李明 and 黎明: the
    keyboard offers the commoner characters for either), a given name two people share, called familiarly (美玲姐,
    with 黄美玲 and 陈美玲, whichever the directory gives that alias). The ranking, and those asked about."""
    def group(c: Candidate) -> str:  # whom else the characters written may as well be of
        e = entries[c.person.aad]
        if c.how in ("chinese name", "sounds like"):
            return f"sound:{e.zh_sound}"
        if c.how != "desk" and len(e.zh_given) >= 2 and e.zh_given in text and e.zh_full not in text:
            return f"given:{e.zh_given}"
        return ""

    grouped = [(c, group(c)) for c in ranked]
    written: dict[str, Candidate] = {}
    for c, g in grouped:
        if g and c.how in ("chinese name", "alias"):
            written.setdefault(g, c)
    rivals: dict[str, float] = {}  # by group: the most the others' desks fit
    for c, g in grouped:
        if g in written and c is not written[g]:
            rivals[g] = max(rivals.get(g, -1.0), c.desk)
    asked = {g: c for g, c in written.items() if g in rivals and c.desk <= rivals[g]}
    tied = tuple(replace(c, score=max(c.score, asked[g].score - TIE / 2)) if g in asked and c is not asked[g] else c
                 for c, g in grouped)
    return tied, {c.person.aad for c in asked.values()}
