"""How text is read for matching: folded (case, width, accents, Traditional characters), Chinese as
it sounds and its tones, words by stem, and the topics it names."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Collection, Mapping, Sequence

from opencc import OpenCC
from pypinyin import Style, pinyin

from core.person_match.lexicon import (AS_WRITTEN, BROADER, CANTONESE_NEEDS, IDIOMS_EN, IDIOMS_ZH, NOT_ABOUT,
                                       NOT_ROMANISED, PATTERNS_EN, PATTERNS_ZH, PLACES, ROLES, SITUATION_ZH, TOPICS)
from core.person_match.guest_pairs import PAIRS
from core.person_match.places import PLACES_ALIKE
from core.person_match.situations import SITUATIONS
from core.person_match.words import COMPOUND_SURNAMES, SPELLINGS

_T2S = OpenCC("t2s")
# Hong Kong characters OpenCC "simplifies" to forms nobody types, two outside the Basic Plane (and so outside
# CJK_RUN): kept as typed, so one pattern reads both 嗰个 and 嗰個. And 帐 (帳, 帐户) read as 账 (账户), one word.
_AS_TYPED = str.maketrans({"𠮶": "嗰", "㖞": "喎", "𩠌": "餸", "帐": "账"})
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
# An address spelt out against spam ("ck.vong at bank dot com", "ck(at)bank(dot)com"): the address (a plain "at"
# only with a dot spelt out: "meet at hsbc.com" is a place to meet).
_DOT = r"(?:\s+dot\s+|\s*[(\[]\s*dot\s*[)\]]\s*|\.)"
# (from the start of a run of an address's characters only, taken whole: a long run is read once, not from each dot)
SPELT_EMAIL = re.compile(rf"(?<![a-z0-9._%+-])([a-z0-9._%+-]++)(\s+at\s+|\s*[(\[]\s*at\s*[)\]]\s*)"
                         rf"([a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}(?:com|net|org|edu|gov|[a-z]{{2}})\b)")


def spelt_emails(folded: str) -> str:
    """`folded` with addresses spelt out written as addresses."""
    def address(m: re.Match[str]) -> str:
        user, at, domain = m.groups()
        plain = at.strip() == "at" and "dot" not in domain
        return m.group(0) if plain else f"{user}@{re.sub(_DOT, '.', domain)}"
    return SPELT_EMAIL.sub(address, folded)
DIGITS = re.compile(r"\+?\d[\d\s\-().]{5,}\d")
TONE_DIGIT = re.compile(r"(?<=[a-z])[1-6](?![0-9])")  # pinyin 1-5, Jyutping 1-6
LATIN = re.compile(r"[a-z]+")
_IDIOMS = re.compile("|".join((*IDIOMS_ZH, *(rf"\b{e}\b" for e in IDIOMS_EN))))
_SUFFIX = 4  # the longest suffix a stem takes: insur-ance, invest-ment


_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def fold(text: str) -> str:
    """Lower case, full-width made plain, accents and tone marks off (Wáng -> wang), Traditional
    characters Simplified. (Tone digits: `read_text`, which knows what is an e-mail.)"""
    text = "".join(c for c in unicodedata.normalize("NFKD", plain(text)) if not unicodedata.combining(c))
    return text.replace("'", "")


def plain(text: str) -> str:
    """Lower case, full-width made plain, Traditional characters Simplified, one kind of apostrophe."""
    simplified: str = _T2S.convert(unicodedata.normalize("NFKC", text).lower().replace("’", "'"))  # untyped
    return simplified.translate(_AS_TYPED)


def written_tones(text: str) -> dict[str, frozenset[int]]:
    """The tones a guest wrote on pinyin syllables (zhāng, zhang1): syllable -> tones."""
    out: dict[str, set[int]] = {}
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    for word in re.findall(r"[a-z\u0300-\u036f]+[1-5]?", decomposed):
        tone = next((_TONE_MARKS[c] for c in word if c in _TONE_MARKS), None)
        if word[-1].isdigit():
            tone = int(word[-1])
        base = "".join(c for c in word if c.isalpha() and not unicodedata.combining(c))
        if tone and base.isascii():
            out.setdefault(base, set()).add(tone)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=4096)
def _syllables(chars: str) -> tuple[tuple[str, ...], ...]:
    """Each character's readings (several for a surname like 曾: ceng, zeng), ü as v, u and yu."""
    out = []
    for readings in pinyin(chars, style=Style.NORMAL, heteronym=True, errors="ignore"):
        forms = dict.fromkeys(f for r in readings for f in (r, r.replace("v", "u"), r.replace("v", "yu")))
        out.append(tuple(forms))  # the usual reading first
    return tuple(out)


def toned(chars: str) -> tuple[frozenset[tuple[str, int]], ...]:
    """Each character's readings with their tones: 张 -> {("zhang", 1)} (a family name's every
    reading, the given name's usual one)."""
    out = []
    for i, readings in enumerate(pinyin(chars, style=Style.TONE3, heteronym=True, errors="ignore",
                                        neutral_tone_with_five=True)):
        kept = readings if i == 0 else readings[:1]
        out.append(frozenset((r[:-1].replace("v", "u"), int(r[-1])) for r in kept if r[-1].isdigit()))
    return tuple(out)


@lru_cache(maxsize=16384)  # the same few characters, asked of every person who may fit
def sound(chars: str) -> str:
    """How a run of characters sounds, one reading each (homophones compare equal)."""
    return " ".join(s[0] for s in pinyin(chars, style=Style.NORMAL, errors="ignore"))


def split_zh(name: str) -> tuple[str, str]:
    return (name[:2], name[2:]) if name[:2] in COMPOUND_SURNAMES else (name[:1], name[1:])


def other_spellings(family: str) -> set[str]:
    return {s for group in SPELLINGS if family in group for s in group} - {family}


def name_readings(chars: str, family: bool = False) -> set[str]:
    """How `chars` are read, joined: a family name's every reading (曾: zeng, ceng), a given name's usual."""
    if not chars:
        return set()
    syllables = _syllables(chars)
    rest = "".join(s[0] for s in syllables[1:])
    return {first + rest for first in (syllables[0] if family else syllables[0][:1])}


@lru_cache(maxsize=4096)  # a directory's desks repeat
def topics_named(folded: str) -> frozenset[str]:
    """The topics `folded` names itself: by their words, or by a thing named and what is done with it written
    apart (`PAIRS`)."""
    named = _told_apart(_named(folded, TOPICS))
    things = named | broader(named)  # (a remittance is a payment: 汇咗钱…收唔到 is one to trace)
    paired = {t: (english, chinese) for t, (thing, english, chinese) in PAIRS.items()
              if thing in things and t not in named}
    return combined(named | frozenset(_named(folded, paired)) if paired else named)


def _told_apart(found: Mapping[str, set[str]]) -> frozenset[str]:
    """The topics found (by the words that name them), of two places one word names (the Bay Area, 湾区: San
    Francisco's or the Greater Bay Area) the one also named by a word of its own ("San Francisco Bay Area"), else
    the one in the country of another place named with it (纽约还是湾区: New York's); both where none tells."""
    named = frozenset(found)
    for pair in PLACES_ALIKE:
        if pair <= named:
            there = {p for p in pair if found[p] - set().union(*(found[q] for q in pair - {p}))}
            if len(there) != 1:
                others = {up for p in named & PLACES - pair for up in {p} | broader({p})}
                there = {p for p in pair if others & ({p} | broader({p}))}
            if len(there) == 1:
                named -= pair - there
    return named


def topics_in(folded: str) -> frozenset[str]:
    """The topics `folded` names, and those broader than them (转按 is about mortgages too)."""
    named = topics_named(folded)
    return named | broader(named)


def names_topic(folded: str, topics: Collection[str]) -> bool:
    """`folded` (a dictionary's definition, say) names one of `topics` (uncached: many texts, once each)."""
    return bool(_named(folded, {t: TOPICS[t] for t in topics}))


def combined(topics: frozenset[str]) -> frozenset[str]:
    """The topics named, and those narrower that every one of their broader topics is among ("open an
    account for my company": a corporate account)."""
    return topics | {c for c, up in _COMBINED if up <= topics}


def broader(topics: Collection[str]) -> frozenset[str]:
    """The topics broader than these, however far (深圳: the Greater Bay Area, the mainland)."""
    out: set[str] = set()
    todo = [b for t in topics for b in BROADER.get(t, ())]
    while todo:
        topic = todo.pop()
        if topic not in out:
            out.add(topic)
            todo.extend(BROADER.get(topic, ()))
    return frozenset(out)


@lru_cache(maxsize=4096)
def roles_in(folded: str) -> frozenset[str]:
    return frozenset(_named(folded, ROLES))


def romanised_needs(windows: Collection[str]) -> dict[str, str]:
    """The Chinese need words a guest wrote in pinyin or Cantonese romanisation (qiang ji jin, keung jik
    gam: 强积金), by the window of their words joined that spells them; read then as if written in characters."""
    out = {}
    for w in sorted(windows):
        chinese = _ROMANISED.get(w) or _CANTONESE_LOOSE.get(_loose(w))
        if chinese:
            out[w] = chinese
    return out


def _loose(word: str) -> str:
    """Cantonese romanised as Jyutping, Yale or Hong Kong's own, alike: zyun on, jyun on, chuen on (转按)."""
    for written, key in _LOOSE:
        word = word.replace(written, key)
    return word


_LOOSE = (("aa", "a"), ("oe", "eu"), ("eo", "eu"), ("ch", "j"), ("z", "j"), ("c", "j"), ("ue", "yu"), ("u", "yu"),
          ("yyu", "yu"), ("jyu", "ju"), ("jy", "j"))


def _romanised() -> dict[str, str]:
    """Each Chinese topic or role word of two characters or more by its pinyin, joined (not shorter than five
    letters: anjie, jijin; "lian" would be a name as often), and the Cantonese spellings."""
    out: dict[str, str] = {}
    for _, chinese in (*TOPICS.values(), *ROLES.values()):
        for word in chinese:
            reading = "".join(s[0] for s in _syllables(word)) if CJK_RUN.fullmatch(word) else ""
            if len(word) >= 2 and len(reading) >= 5 and word not in SITUATION_ZH and word not in NOT_ROMANISED:
                out.setdefault(reading, word)
    return {**out, **CANTONESE_NEEDS}


def without_idioms(text: str) -> str:
    return _IDIOMS.sub(" ", text)


def _place_in(place: str, words: Collection[str]) -> bool:
    """A place's name is never shortened (Chen is no Chengdu, Tian no Tianjin): Singapore, Singaporean; a short
    one is only itself (HK, not HKD)."""
    return place in words or len(place) > 3 and any(w.startswith(place) and len(w) - len(place) <= 3 for w in words)


def _named(folded: str, table: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, set[str]]:
    """The entries of `table` (English words or phrases by stem, Chinese words) `folded` names, with
    the words that name them; not a word inside an expression that means something else (保险起见)."""
    folded = without_idioms(folded).replace("-", " ")
    words = set(LATIN.findall(folded))
    zh = without_aspect(folded) if CJK_RUN.search(folded) else ""
    bare_zh = _FILLERS.sub("", zh)
    named: dict[str, set[str]] = {}
    starts = {stem_key(w) for w in words}  # a word is of a key's stem only if it starts as the key does
    singular_text = _singular(folded) if words else ""
    for name, (english, chinese) in table.items():
        here, words_here, zh_here, starts_here, singular = folded, words, zh, starts, singular_text
        if name in NOT_ABOUT:
            for word in NOT_ABOUT[name]:
                here, zh_here = here.replace(word, " "), zh_here.replace(word, " ")
            words_here = set(LATIN.findall(here))
            starts_here = {stem_key(w) for w in words_here}
            singular = _singular(here) if words_here else ""
        # (a text in one script is not searched for the other's words)
        keys = {k for k in english if (" " in k and (_in_text(k, here) or _in_text(_singular(k), singular)))
                or (" " not in k and stem_key(k) in starts_here and (
            _place_in(k, words_here) if name in PLACES else k in words_here if k in AS_WRITTEN
            else stem_in(k, words_here)))} if words_here else set()
        if zh_here:
            keys |= {k for k in chinese if k in zh_here and _whole(k, zh_here)}
            if bare_zh != zh:  # 员工的工资: 员工工资 too
                bare = _FILLERS.sub("", zh_here) if name in NOT_ABOUT else bare_zh
                keys |= {k for k in chinese if k in bare and _whole(k, bare)}
        if name in _SITUATIONS_EN:
            keys |= set(_SITUATIONS_EN[name].findall(here))
        # 开香港账户: a place between is where the account is, not another need; 开个港股账户: what it trades
        if name in _PATTERNS and any(not topics_named(m.group("between")) - PLACES - _TRADED_IN
                                     for m in _PATTERNS[name].finditer(zh_here)) \
                or name in _PATTERNS_EN and any(_only_a_place(m.group("between"))
                                                for m in _PATTERNS_EN[name].finditer(here)):
            keys.add(name)
        if keys:
            named[name] = keys
    return named


def _in_text(phrase: str, text: str) -> bool:
    """`phrase` is in `text`; where it starts or ends with a word of one or two letters, as that word ("a will" is not
    in "my data will", "h plan" not in "wealth planning")."""
    if phrase not in text:
        return False
    if len(phrase.split(" ", 1)[0]) > 2 and len(phrase.rsplit(" ", 1)[-1]) > 2:
        return True
    return bool(re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text))


@lru_cache(maxsize=65536)  # the tables' phrases, and a message once per table
def _singular(text: str) -> str:
    """`text` with its plural words singular, so that a phrase compares either way ("private trust companies",
    "letters of credit")."""
    return _PLURAL.sub(lambda m: m.group(1) + ("y" if m.group(2) == "ies" else ""), text)


_PLURAL = re.compile(r"\b([a-z]{2,}?)(ies|(?<![su])s)\b")


# What an account is opened to trade (开个港股账户, 证券户口): it is still an account opened.
_TRADED_IN = frozenset({"equities", "hk_stocks", "us_stocks", "a_shares"})


def _whole(key: str, text: str) -> bool:
    """A Chinese word written with Latin letters at an end (app, a股, 手机app) is in `text` as a word: not "app" of
    "approving"."""
    if not (LATIN.match(key) or LATIN.match(key[-1])):
        return True
    return bool(re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", text))


# The particles of phrasal verbs a desk writes as one word: log in (login), sign up, top up, check out.
PARTICLES = frozenset({"in", "on", "up", "out", "off"})


def phrasal(words: Sequence[str]) -> set[str]:
    """The phrasal verbs in `words`, as one word: "log in" -> login (an "App login problems" desk)."""
    return {a + b for a, b in zip(words, words[1:]) if b in PARTICLES and len(a) > 2}


def _only_a_place(words: str) -> bool:
    """`words` are a place's name and nothing else (hong kong; not "my hk")."""
    return not _PLACE_NAMES.sub(" ", words).strip()


def without_aspect(folded: str) -> str:
    """Chinese as the tables are matched against it: Cantonese aspect markers inside a verb and its object out (住咗院,
    供紧楼: 住院, 供楼)."""
    return _ASPECT.sub("", folded)


def stem_key(word: str) -> str:
    """What words of the same stem share (see `_same_stem`): their first four letters."""
    return word[:4]


def stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def stem_in(word: str, words: Collection[str]) -> bool:
    return any(_same_stem(word, w) for w in words)


def _same_stem(a: str, b: str) -> bool:
    """claim ~ claims, agent ~ agency, insure ~ insurance, advisor ~ advisory; not tax ~ taxi, fund ~ fundamental,
    nor a word that goes on as another (work ~ workshop, charge ~ chargeback, link ~ linkedin, over ~ overseas) or
    two words that part after a short shared start (expand, expat; medical, media; broken, broker)."""
    if a == b:
        return True
    if frozenset((a, b)) in _TWO_WORDS:
        return False
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    rests = {_undoubled(word[n:], a[n - 1]) for word in (a, b)} if n else {a, b}
    if n and a[n - 1] == "e" and min(len(a), len(b)) == n and max(a, b, key=len)[n:n + 1] == "e":
        return False  # care-er is no carer: career (engine, engineer)
    return n >= 4 and n >= 0.8 * min(len(a), len(b)) and max(len(a), len(b)) - n <= _SUFFIX \
        and rests <= _SUFFIXES and (bool(rests & _BARE) or n >= _ROOT + 1 or rests in _ALTERNATING) \
        or n >= _ROOT and _same_root(a, b) \
        or n >= _ROOT + 1 and min(len(a), len(b)) == n and max(a, b, key=len)[n:] in _MADE_A_VERB


def _undoubled(rest: str, last: str) -> str:
    """An ending after the stem's last letter doubled (plan-n-ing, ship-p-ed) is the ending."""
    return rest[1:] if rest[:1] == last and rest[1:] in _SUFFIXES else rest


# What may follow a stem a word shares with another: one of the two has nothing more (or a silent e: insur-e,
# insur-ance), unless the stem is long (adviso-r, adviso-ry) or the endings alternate (agen-t, agen-cy).
_SUFFIXES = frozenset({"", "e", "y", "s", "es", "ed", "d", "ing", "er", "ers", "r", "rs", "or", "ors", "ry", "ory",
                       "ion", "ions", "ation", "ment", "ments", "ance", "ence", "ancy", "ency", "cy", "ce", "t", "ts",
                       "al", "ial", "ian", "an", "ly", "ity", "ive", "ist", "ists", "ant", "ants", "ent", "ents", "ee",
                       "ees", "ie", "ies", "ship", "ary", "ic", "ics", "ure", "age"})
_BARE = frozenset({"", "e", "y"})
# A word made a verb and its noun (hospital, hospitalised, hospitalisation), from a root of six letters or more.
_MADE_A_VERB = frozenset({"ise", "ize", "ised", "ized", "ising", "izing", "isation", "ization", "isations",
                          "izations"})
_ALTERNATING = ({"t", "cy"}, {"t", "ce"}, {"e", "ance"}, {"e", "ence"})
# Words the endings above would join that are two (a current account is no currency's).
_TWO_WORDS = frozenset({frozenset({"current", "currency"})})


# A verb and its noun share a root of five letters or more (migrating ~ migration, investing ~ investment); two
# nouns of one root are two words (compliance, compliment).
_ROOT = 5
_NOUN_ENDINGS = ("ations", "ation", "ments", "ment", "ions", "ance", "ence", "ion")
_ENDINGS = (*_NOUN_ENDINGS, "ings", "ing", "ed", "es", "s")


def _same_root(a: str, b: str) -> bool:
    (root_a, noun_a), (root_b, noun_b) = _root(a), _root(b)
    return root_a == root_b and not (noun_a and noun_b)


def _root(word: str) -> tuple[str, bool]:
    """The word without an ending and a silent e, if five letters or more are left (state-ments: no root), and
    whether the ending was a noun's."""
    for ending in _ENDINGS:
        root = word[:-len(ending)].removesuffix("e")
        if word.endswith(ending) and len(root) >= _ROOT:
            return root, ending in _NOUN_ENDINGS
    return word, False


_ROMANISED = _romanised()
# What guests describe, in English: whole words, a plural allowed ("my car", not "my card").
_SITUATIONS_EN = {topic: re.compile(r"\b(?:%s)(?:s|es)?\b" % "|".join(
    re.escape(p).replace(r"\ ", r"\s+") for p in sorted(english, key=len, reverse=True)))
    for topic, (english, _) in SITUATIONS.items() if english}
_CANTONESE_LOOSE = {_loose(k): v for k, v in CANTONESE_NEEDS.items()}
# Cantonese aspect markers inside a verb and its object (住咗院, 供紧楼): the need is 住院, 供楼.
_ASPECT = re.compile(r"(?<=[\u4e00-\u9fff])[咗紧](?=[\u4e00-\u9fff])")
# A possessive or a measure word inside a need's words (员工的工资, 立个遗嘱): the need is read without it too.
_FILLERS = re.compile(r"(?<=[\u4e00-\u9fff])(?:[的嘅]|一?[个份笔])(?=[\u4e00-\u9fff])")
_PATTERNS = {name: re.compile(pattern) for name, pattern in PATTERNS_ZH.items()}
_PATTERNS_EN = {name: re.compile(pattern) for name, pattern in PATTERNS_EN.items()}
_PLACE_NAMES = re.compile(r"\b(?:%s)\b" % "|".join(
    re.escape(k) for k in sorted({k for place in PLACES for k in TOPICS[place][0]}, key=len, reverse=True)))
_PLACE_WORDS: dict[str, frozenset[str]] = {}
for _place in PLACES:
    for _word in (*TOPICS[_place][0], *TOPICS[_place][1]):
        _PLACE_WORDS[_word] = _PLACE_WORDS.get(_word, frozenset()) | {_place}
_PLACE_WORD = re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                                  for w in sorted(_PLACE_WORDS, key=len, reverse=True)))
# Going somewhere (visiting Vancouver, 移民英国, 去加拿大旅游) is not being there; having just arrived (刚到洛杉矶,
# 刚搬到旧金山, 啱啱移民到列治文) is.
_GOING = re.compile(r"(?:\b(?:visit(?:ing|s)?|(?:travel(?:l?ing|s)?|trip|go(?:ing)?|mov(?:e|ing)"
                    r"|(?:e|im)?migrat(?:e|ing)|relocat(?:e|ing)|fly(?:ing)?)\s+to|study(?:ing)?\s+in)\s+(?:the\s+)?"
                    r"|(?:去|(?<!刚)(?<!啱)(?<!搬)(?<!已经)(?<!刚移民)(?<!啱移民)到|移民|移居|飞|探亲|留学)\s*)$")
_GOING_REACH = 30  # characters before a place where a going word is looked for


def places_gone_to(folded: str) -> frozenset[str]:
    """The places `folded` names only as where the guest goes, not where they are."""
    going: set[str] = set()
    there: set[str] = set()
    for m in _PLACE_WORD.finditer(folded):
        before = max(0, m.start() - _GOING_REACH)  # (not the whole text before each place: a long one is quadratic)
        (going if _GOING.search(folded, before, m.start()) else there).update(_PLACE_WORDS[m.group()])
    return frozenset(going - there)


_COMBINED = tuple((c, frozenset(up)) for c, up in BROADER.items() if len(up) > 1)
