"""Both sides of a match, prepared once: a person as the matcher knows them (every form of their
name, its sound and tones, their desk), and what a guest wrote (its words, names, numbers, tones)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import phonenumbers
from phonenumbers import geocoder

from core.dlp.folding import numbers as numerals
from core.people import Person
from core.person_match.glossary import Words
from core.person_match.lexicon import PLACE_WORDS, PLACES, ROLES, TOPICS
from core.person_match.places import CITY_OF, PLACE_NOT_ABOUT, IN_DESKS as PLACES_IN_DESKS
from core.person_match.short_forms import FAMILIAR, familiar, short_forms
from core.person_match.reading import (CJK_RUN, DIGITS, EMAIL, LATIN, TONE_DIGIT, broader, fold, name_readings,
                                       other_spellings, roles_in, romanised_needs, sound, split_zh, spelt_emails, stem,
                                       toned, topics_named, without_idioms, written_tones)
from core.person_match.words import (COMMON_WORDS, FUNCTION_WORDS, NAME_AFTER_EN, NAME_AFTER_ZH, NAME_BEFORE_EN,
                                     NAME_BEFORE_ZH, NAME_IDIOMS_ZH, NAME_WORDS_ZH, ROMANISED_CHATTER,
                                     ROMANISED_GREETINGS, ROMANISED_TITLES, SELF_EN, SELF_ZH, SPELLINGS, STOP_DESK,
                                     SURNAMES, TITLES_EN, UNIT_SUFFIXES_ZH)

# What a unit's Chinese name may start with (上海环球市场部).
PLACE_NAMES_ZH = tuple(k for place in PLACES for k in TOPICS[place][1])
# A place's name of several words: its words are no names where the guest writes it (Kong of Hong Kong).
PLACE_PHRASES = frozenset(k for place in PLACES for k in TOPICS[place][0] if " " in k)
# Words of needs and places are not names misspelt ("shanghai" is one letter from "zhanghai").
NEED_WORDS = frozenset(k for table in (TOPICS, ROLES) for english, _ in table.values() for k in english if " " not in k)
_NUMERAL = "〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺"
_WORD_NUMERALS = re.compile(rf"(?<![{_NUMERAL}])[{_NUMERAL}]{{1,2}}(?=[^{_NUMERAL}\W\d_a-z])")
POSSESSIVE = re.compile(r"(?<=[a-zA-Z])['’]s\b")
_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f]+")
_SENTENCE_END = ".!?。！？:;\n"
_CALLED = re.compile(r"\s*(?:[,，:：]|$)")  # "Grace, I need …": whom the guest addresses
_IN_NAME_CONTEXT = re.compile(rf"(?:\b(?:{'|'.join(NAME_BEFORE_EN)})\s+|(?:{'|'.join(NAME_BEFORE_ZH)})\s*)"
                              rf"(?P<after>[a-z]+)\b|(?<![a-z])(?P<before>[a-z]+)(?:\s*[,?]?\s+"
                              rf"(?:{'|'.join(NAME_AFTER_EN)})\b|\s*(?:{'|'.join(NAME_AFTER_ZH)}))")
# A month after a word of time is the month ("moving in April"), no April of the directory.
_IN_A_MONTH = re.compile(r"\b(?:in|since|until|till|by|from|before|after|next|last|this|early|late|mid|end of|"
                         r"beginning of)\s+(?P<month>april|may|june|july|august)\b")
_NAME_IDIOMS = re.compile("|".join(sorted(NAME_IDIOMS_ZH, key=len, reverse=True)))
# A thing sold or bought ("I want to sell my car", 我想买车) is no need to insure it nor to borrow for it: its topic
# alone is asked about, never connected (car insurance, a car loan named say more).
_THINGS = ("auto",)
_TRADED = re.compile(r"\b(?:sell|selling|sold|buy|buying|bought|purchas(?:e|ed|ing))\s+(?:(?:my|our|his|her|a|an|the|"
                     r"this|that|new|used|old|second hand)\s+){0,3}(?:car|cars|vehicle|auto)\b"
                     r"(?!\s+(?:insurance|loan|cover|policy|finance))"
                     r"|(?:卖|买|购买|出售)(?:掉|了|咗)?(?:我的|我嘅|一|部|架|辆|台|新|二手)*(?:汽车|车)(?![险贷])|把(?:我的)?车卖")


# What goes before a given name said familiarly (阿: Ah Huat, Ah Meng): no name of its own.
_FAMILIAR = frozenset({"ah", "a"})
# What an alias calls someone by before their name (Big Keung, Boss Tan, Uncle Lim): no name of theirs alone
# ("Summer Lim's boss" is not Boss Tan).
_CALLED_BY = frozenset({"big", "boss", "uncle", "auntie", "aunty", "old", "little", "brother", "sister"})
# How family names are romanised: before a Chinese title in pinyin (zhou jingli) they are titled.
LATIN_FAMILIES = frozenset({*(sound(c) for c in SURNAMES), *(s for group in SPELLINGS for s in group)})


@dataclass(frozen=True)
class Entry:
    person: Person
    full_forms: frozenset[str]  # joined Latin full names: "alicewong", "wongalice", "wangjiaxin" …
    full_tokens: tuple[tuple[str, ...], ...]  # the same as token tuples
    variant_forms: frozenset[str]  # the full names with the family name spelt otherwise: "davidlee"
    families: frozenset[str]  # as spelt in Latin script (name, aliases)
    givens: frozenset[str]
    zh_full: str
    given_parts: frozenset[str]  # one word of a given name of several ("Wing" of Wing Yan)
    zh_family: str
    zh_given: str
    zh_sound: str
    zh_tones: tuple[frozenset[tuple[str, int]], ...]
    desk_topics: frozenset[str]  # the topics their desk names, and those broader (a claims desk: insurance)
    desk_words: frozenset[str]  # also the sub-organization's: "the Chan in retail"
    desk_phrases: frozenset[str]  # desk phrases of several words: "private equity"
    zh_aliases: frozenset[str] = frozenset()  # aliases in Chinese characters: 陈总, 李姐
    desk_zh: frozenset[str] = frozenset()  # the desk's and the sub-organization's Chinese phrases: 环球市场(部)
    roles: frozenset[str] = frozenset()  # whom in their desk: "head" …
    broader_topics: frozenset[str] = frozenset()  # of `desk_topics`, those their desk does not name itself
    studied: frozenset[str] = frozenset()  # of `desk_topics`, those only a research desk of theirs names (`_studied`)
    mixed_aliases: frozenset[str] = frozenset()  # aliases in both scripts, as written: lim姐, joy姐, 张sir
    office: frozenset[str] = frozenset()  # where their phone rings, and what holds it: hangzhou, zhejiang, mainland
    # Their Chinese names that are everyday words (小雨: light rain; 黄金: gold): a name only where written as one
    zh_words: frozenset[str] = frozenset()
    # Their Chinese given name in pinyin where it is an English word (Wanting of 婉婷): a name only where written as one
    given_words: frozenset[str] = frozenset()
    # The desk's own terms no topic knows, an acronym or a name with a capital inside (FIRB, KiwiSaver): as stems
    desk_terms: frozenset[str] = frozenset()
    # What the roles they hold are of: the topics of the desk's parts that give them (Head of Life Insurance: life
    # insurance; Branch Manager, Kaohsiung: Kaohsiung); none where those parts name none ("Head": of their unit)
    role_topics: frozenset[str] = frozenset()
    # What a manager of theirs manages: the topics of the desk's parts that say so (Complaints manager: complaints)
    managed: frozenset[str] = frozenset()
    # How they may be called though no alias says so: by a short form of their English name (Steve of Stephen), or
    # familiarly, Ah and the last syllable of their Chinese given name (Ah Keung of Kwok Keung, Ah Qiang of 陈国强):
    # most likely them, but the guest is asked
    called: frozenset[str] = frozenset()


def person_entry(person: Person, sub_name: str = "") -> Entry:
    """`sub_name`: their sub-organization's names, in either language ("Global Markets 环球市场部"); its
    id's words are words of their desk."""
    tokens = LATIN.findall(fold(person.name))
    zh = fold(person.name_zh).replace(" ", "")
    zh_family, zh_given = split_zh(zh) if zh else ("", "")
    zh_family_readings = name_readings(zh_family, family=True)
    # Family name first (Cheung Siu Ming, Tan Ah Meng, Li Wei) where it is how their Chinese family name reads.
    readings = zh_family_readings | {s for r in zh_family_readings for s in other_spellings(r)}
    family_first = len(tokens) > 1 and tokens[0] in readings and tokens[-1] not in readings
    family, given = (tokens[0], tokens[1:]) if family_first else (tokens[-1], tokens[:-1]) if tokens else ("", [])
    # An English name before the family name and the Chinese given name (Ivy Leung Ka Yee): Leung, not Yee.
    middle = next((i for i in range(1, len(tokens) - 1) if tokens[i] in readings), 0) \
        if not family_first and tokens and tokens[-1] not in readings else 0
    english = tokens[:middle]
    if middle:
        family, given = tokens[middle], tokens[middle + 1:]
    full: set[tuple[str, ...]] = set()
    families: set[str] = {family} if family else set()
    givens: set[str] = set()
    pieces: set[str] = set()
    if given:
        full |= {(*given, family), (family, *given)}
        # "Wing Yan": also "Wing" alone (a guest may know only that); not "Ka" or "Man".
        givens.add("".join(given))
        pieces = {g for g in given if len(given) > 1 and len(g) > 2 and g not in COMMON_WORDS}
    if zh:
        for fam in zh_family_readings:
            for giv in name_readings(zh_given):
                givens.add(giv)
                full |= {(fam, giv), (giv, fam)}
    nicknames = set()
    called = set()  # how they may be called though no alias says so (`Entry.called`)
    aliases_joined = {fold(a).replace(" ", "") for a in person.aliases}  # as written, without spaces: 陈总, lim姐
    for alias in person.aliases:
        parts = tuple(LATIN.findall(fold(alias)))
        if len(parts) == 2 and parts[0] in _FAMILIAR:  # Ah Huat (阿发): the given name, called familiarly
            givens.add("".join(parts))
            nicknames.add("".join(parts))
        elif len(parts) == 1:
            givens.add(parts[0])
            nicknames.add(parts[0])
        elif parts and "".join(parts) != "".join(given):  # "Ka Wai" of Lau Ka Wai is their given name, no full name
            full |= {parts, parts[::-1]}
            # Family name first (Wong Ka Yan, Lee Ka Wai) where the Chinese family name reads so, or the name's own.
            first = parts[0] in readings | {family}
            families.add(parts[0] if first else parts[-1])
            if parts[0] not in _CALLED_BY:
                givens.add("".join(parts[1:] if first else parts[:-1]))
                called.add(familiar(parts[1:] if first else parts[:-1]))  # Kwok Keung: Ah Keung
    if not zh and len(tokens) >= 3 and tokens[0] in LATIN_FAMILIES and not family_first and not middle:
        # Without Chinese characters, a family name may come first (Tan Mei Ling, Yap Fook Kwai) or last (Siu Ming
        # Cheung): both are read
        families.add(tokens[0])
        givens.add("".join(tokens[1:]))
        full |= {(*tokens[1:], tokens[0])}
    givens.update(english)
    nicknames.update(english)
    one_given = given if len(given) == 1 else []  # Stephen of Stephen Ng; not Ka of Ka Wai
    called |= {f for g in {*english, *nicknames, *one_given} for f in short_forms(g)}  # Steve of Stephen
    familiar_zh = {FAMILIAR + r for r in name_readings(zh_given[-1:])}  # 阿 and the given name's last character
    called |= {familiar(tuple(given)), *(familiar_zh if len(zh_given) == 2 else ())}
    if len(zh_given) in (1, 2) and "阿" + zh_given[-1] in aliases_joined:
        called |= familiar_zh
        givens |= called  # their alias 阿强 (阿明 of 陈明): Ah Keung is that alias, romanised
    for nickname in nicknames:  # Ally Wong: a nickname with the family name (Hong哥 of Hong: no Hong Hong)
        for fam in (families | zh_family_readings) - {nickname}:
            full |= {(nickname, fam), (fam, nickname)}
    variants = set()
    for form in full:
        for i, part in enumerate(form):
            for spelling in other_spellings(part) if part in families or part in zh_family_readings else ():
                variants.add("".join(form[:i] + (spelling,) + form[i + 1:]))
    sub = fold(sub_name)
    unit_id = person.sub_org.replace("_", " ")  # private_banking: private banking
    desk_text = fold(" ".join((*person.desk, *person.desk_zh, sub, unit_id)))
    phrases = {" ".join(LATIN.findall(fold(d))) for d in (*person.desk, CJK_RUN.sub(" ", sub))}
    # Their unit's topics (everyone in `insurance`) are a broad fit, as a broader topic is; its places are theirs.
    own = fold(" ".join((*person.desk, *map(_distributed, person.desk), *person.desk_zh)))
    own_words = set(LATIN.findall(own))  # the unit's words that name a topic count as that topic, broadly
    named = topics_named(own) | offices_named(own)
    unit = topics_named(desk_text) - named
    named |= unit & PLACES
    unit -= PLACES
    desk_topics = named | broader(named) | unit | broader(unit)
    parts = tuple(map(fold, (*person.desk, *person.desk_zh)))  # each part of the desk on its own
    studied = _studied(parts[:len(person.desk)])
    kept, kept_unit = named - studied, unit - studied
    zh_phrases = {run for d in (*person.desk_zh, sub) for run in CJK_RUN.findall(fold(d))}
    zh_phrases |= {p[len(k):] for p in zh_phrases for k in PLACE_NAMES_ZH if p.startswith(k)}  # (上海)环球市场部
    zh_phrases |= {p[:-len(s)] for p in zh_phrases for s in UNIT_SUFFIXES_ZH if p.endswith(s)}
    return Entry(
        person=person, full_forms=frozenset("".join(f) for f in full), full_tokens=tuple(sorted(full)),
        variant_forms=frozenset(variants), families=frozenset(families), givens=frozenset(g for g in givens if g),
        given_parts=frozenset(pieces - givens),
        zh_full=zh, zh_family=zh_family, zh_given=zh_given, zh_sound=sound(zh) if zh else "",
        zh_tones=toned(zh) if zh else (), desk_topics=desk_topics,
        broader_topics=(broader(named) | unit | broader(unit)) - named,
        studied=desk_topics - (kept | broader(kept) | kept_unit | broader(kept_unit)),
        desk_words=frozenset(stem(w) for w in LATIN.findall(desk_text) if w not in STOP_DESK and len(w) > 2
                             and (w in own_words or not topics_named(w))),
        desk_phrases=frozenset(p for p in phrases if " " in p),
        zh_aliases=frozenset(a for a in aliases_joined if len(a) >= 2 and CJK_RUN.fullmatch(a)),
        mixed_aliases=frozenset(a for a in aliases_joined if CJK_RUN.search(a) and LATIN.search(a)),
        desk_zh=frozenset(p for p in zh_phrases if len(p) >= 2),
        roles=_roles_held(fold(" ; ".join((*person.desk, *person.desk_zh)))), office=office_of(person.phone),
        desk_terms=desk_terms(person.desk), role_topics=_topics_of(p for p in parts if roles_in(p)),
        managed=frozenset().union(*(topics_named(p) for p in parts if _MANAGER.search(p))),
        called=frozenset(called - givens - {""}),
        zh_words=frozenset({zh, zh_given, *aliases_joined} & NAME_WORDS_ZH))


_MANAGER = re.compile(r"\bmanager\b|经理")


def _topics_of(parts: Iterable[str]) -> frozenset[str]:
    named = frozenset().union(*map(topics_named, parts))
    return named | broader(named)


def desk_terms(desks: tuple[str, ...]) -> frozenset[str]:
    """The terms of `desks` written as a name is (FIRB, KiwiSaver, ADGM), which the lexicon does not read as a topic, a
    place or a title: a guest who writes one asks for that desk by name."""
    found = {stem(m.lower()) for d in desks for m in _TERM.findall(d)}
    return frozenset(w for w in found if not topics_named(w) and w not in PLACE_WORDS and not roles_in(w)
                     and w not in _THE_CHANNEL) | codes_in(fold(" ".join(desks)))


def codes_in(folded: str) -> frozenset[str]:
    """The codes `folded` writes, a scheme's, a form's or a visa's (D7, 13O, EB-5, W-8BEN, 504, 401(k)), as one word:
    d7, eb5, w8ben, 401."""
    return frozenset(m.group(0).replace("-", "") for m in _CODE.finditer(folded))


# All capitals, or a capital inside a word (not a title's first letter): a name, not a word of the language.
_TERM = re.compile(r"\b(?:[A-Z]{3,}|[A-Za-z][a-z]+[A-Z][A-Za-z]*)s?\b")
_THE_CHANNEL = frozenset({"wechat", "weixin"})  # where every guest writes from: "saw it on WeChat" asks for no desk
# A letter or three and a number, a number and a letter, or three digits alone: not a year, nor part of a phone number
# or an address (9123 4567, +852, ho2@…).
_CODE = re.compile(r"(?<![a-z0-9.+@-])(?:[a-z]{1,3}-?\d{1,3}[a-z]{0,3}|\d{1,3}[a-z]|\d{3})(?![a-z0-9.@]|-\d| \d)")


def _studied(desks: Sequence[str]) -> frozenset[str]:
    """What a research desk studies ("Research Analyst, Hong Kong Banks and Insurers"), named by no other desk of
    theirs: it fits a guest who asks for research (on insurers), not one who buys insurance. `desks` folded."""
    # (a part after the research is done is another desk's: "Fund research and portfolio reviews")
    parts = [p for d in desks for p in re.split(r"(?<=\bresearch) and ", d)]
    research = [topics_named(d.split(" for ")[0]) for d in parts if _RESEARCH.search(d)]  # (not whom for)
    if not research:
        return frozenset()
    others = [topics_named(d) for d in parts if not _RESEARCH.search(d)]
    return frozenset().union(*research) - frozenset().union(*others) - {"research"} - PLACES


_RESEARCH = re.compile(r"\bresearch\b")

# Words joined by "and" before a phrase: the first shares the phrase's head (Life and long-term care insurance),
# where it stands first (not "Import financing and documentary collections") and the head is a kind of product.
_HEADS = ("insurance", "cover", "claims", "loans", "loan", "mortgages", "accounts", "cards", "banking", "planning",
          "plans", "policies", "stocks", "shares", "bonds", "deposits", "payments", "transfers", "visas", "property")
_JOINED = re.compile(rf"(?:^|[,;:(] ?)((?:[a-z]+, )*[a-z]+),? (?:and|or|&) "
                     rf"((?:[a-z]+[ -]){{0,3}}(?:{'|'.join(_HEADS)}))\b")


def _distributed(desk: str) -> str:
    """What a desk's joined words say each with the head they share: life insurance (and life care insurance) of
    "Life and long-term care insurance", personal loans of "Personal and business loans"."""
    said = []
    for m in _JOINED.finditer(fold(desk)):
        rest = re.split(r"[ -]", m.group(2))
        for first in m.group(1).split(", "):
            said += [" ".join((first, *rest[i:])) for i in range(1, len(rest)) if rest[i] not in FUNCTION_WORDS]
    return " ; ".join(said)


def office_of(phone: str) -> frozenset[str]:
    """The places of the gazetteer where `phone` (E.164) rings, by its numbering plan (a London landline, a Hangzhou
    mobile, a New York area code), and those holding them: a directory's phone says where its owner works."""
    if not phone:
        return frozenset()
    where = topics_named(fold(geocoder.description_for_number(phonenumbers.parse(phone, None), "en"))) & PLACES
    return where | broader(where)


def _roles_held(desk: str) -> frozenset[str]:
    """The roles a desk gives: an assistant's only ("PA to the CEO", 行政总裁助理 holds no CEO's title, nor does
    their "CEO office")."""
    roles = roles_in(desk)
    return frozenset({"assistant"}) if "assistant" in roles else roles



@dataclass(frozen=True)
class Text:
    folded: str
    tokens: tuple[str, ...]
    windows: frozenset[str]  # 1 to 4 consecutive tokens joined
    cjk: str  # the Chinese characters, runs joined by a space
    emails: frozenset[str]
    numbers: tuple[str, ...]  # digit strings written (phone numbers)
    titled: frozenset[str]  # tokens right after an English title
    tones: Mapping[str, frozenset[int]]  # syllable -> the tones written on it
    name_windows: frozenset[str]  # the windows without a little word (for misspelt names)
    romanised: str = ""  # the Chinese need words written in pinyin or Cantonese romanisation (强积金)
    # The tokens that spell them, and the request's little words around them ("wo xiang wen wai hui": no Xiang,
    # Wen or Hui wanted alone).
    need_tokens: frozenset[str] = frozenset()
    need_windows: frozenset[str] = frozenset()  # windows of those tokens only (kai xin of xin yong zheng: no Kaixin)
    named: frozenset[str] = frozenset()  # tokens written as names: capitalised inside a sentence, "ask for X"
    titled_zh: frozenset[str] = frozenset()  # family names before a Chinese title romanised (lei saang: 李生)
    traded: frozenset[str] = frozenset()  # the topics of a thing the guest sells or buys (a car): no need alone
    bridged: tuple[tuple[str, str], ...] = ()  # (Chinese word, desk word its definitions name): glossary.py
    seconds: tuple[tuple[str, str], ...] = ()  # (Chinese word, desk word it is: 雇主 employer): ties only
    phrase_words: tuple[tuple[str, str], ...] = ()  # (Chinese word, a desk phrase's word it is: 家庭 families)
    place_tokens: frozenset[str] = frozenset()  # the words of a place's name of several (hong, kong): no name alone
    joined: frozenset[str] = frozenset()  # windows of 2 to 4 tokens (a name spelt otherwise is two words: Leo Wong)
    codes: frozenset[str] = frozenset()  # the codes it writes (D7, 504: `codes_in`), a desk's terms

    @property
    def needs(self) -> str:
        """The text as read for what the guest needs: romanised need words as if written in characters."""
        return f"{self.folded} {self.romanised}" if self.romanised else self.folded

    @property
    def needs_cjk(self) -> str:
        return f"{self.cjk} {self.romanised}" if self.romanised else self.cjk


def _unless_a_need(m: re.Match[str]) -> str:
    return m.group(0) if topics_named(m.group(0)) else " "


def offices_named(folded: str) -> frozenset[str]:
    """The places of `IN_DESKS` (a name as often a person's) `folded` names, with their cities; not inside a longer
    place's name (Richmond of Richmond Hill)."""
    if not LATIN.search(folded):
        return frozenset()
    found: set[str] = set()
    read = _words_of(folded)
    for place, spelt in PLACES_IN_DESKS.items():
        here, joined = read
        if place in PLACE_NOT_ABOUT:  # (Richmond Hill's words are no Richmond)
            text = folded
            for phrase in PLACE_NOT_ABOUT[place]:
                text = text.replace(phrase, " ")
            here, joined = _words_of(text)
        if here.intersection(spelt) or any(" " in s and f" {s} " in joined for s in spelt):
            found |= {place, CITY_OF[place]} if place in CITY_OF else {place}
    return frozenset(found)


def _words_of(folded: str) -> tuple[set[str], str]:
    """Its Latin words, as a set and joined by spaces (with one before and after: " sha tin " is in it)."""
    words = LATIN.findall(folded)
    return set(words), f" {' '.join(words)} "


def read_text(text: str, words: Words | None = None, names: frozenset[str] = frozenset(),
              offices: frozenset[str] = frozenset()) -> Text:
    """`words`: a dictionary's, for the directory (words that mean something else read as themselves, and
    Chinese words bridged to desks); `names`: the directory's given and full names in Latin letters, joined;
    `offices`: the places of `IN_DESKS` its desks name, read as places in the guest's words too."""
    folded = fold(POSSESSIVE.sub("", text))  # Kevin Ho's is Kevin Ho, not a longer name misspelt
    if words is not None:
        folded = words.apart(folded)
    folded = spelt_emails(folded)
    emails = frozenset(m.group(0) for m in EMAIL.finditer(folded))
    # An address nobody has is read for its name (kevin@… may be either Kevin).
    rest = EMAIL.sub(lambda m: " " + re.sub(r"[._%+-]+", " ", m.group(0).split("@")[0]) + " ", folded)
    # 一三八… is a phone number too; a numeral or two before another character is a word (一直, 一下: no 1 run into
    # the number before)
    view = numerals(_WORD_NUMERALS.sub(lambda m: " " * len(m.group()), rest))
    found = [(view.original(*m.span()), re.sub(r"\D", "", m.group(0))) for m in DIGITS.finditer(view.text)]
    numbers = tuple(digits for _, digits in found)
    for (start, end), _ in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    rest = TONE_DIGIT.sub("", rest)
    # The guest naming themselves, not what they are (我是留学生: a student).
    rest = SELF_ZH.sub(_unless_a_need, SELF_EN.sub(_unless_a_need, rest))
    rest = _NAME_IDIOMS.sub(" ", rest)
    tokens = tuple(LATIN.findall(rest))
    tokens, titled_zh = _without_titles(tokens, names)
    spans = [tokens[i:j] for i in range(len(tokens)) for j in range(i + 1, min(i + 4, len(tokens)) + 1)]
    windows = {"".join(span) for span in spans}
    # A need in pinyin may take more syllables than a name (di yi ci mai fang: 第一次买房).
    spelt = spans + [tokens[i:i + n] for n in (5, 6) for i in range(len(tokens) - n + 1)]
    # (not a name of the directory: "wang jing" is Wang Jing, not 望京)
    romanised = romanised_needs({"".join(span) for span in spelt} - names)
    need_tokens = frozenset(tok for span in spelt if "".join(span) in romanised for tok in span) \
        | (ROMANISED_CHATTER.intersection(tokens) if romanised else frozenset()) \
        | frozenset(tok for span in spans if "".join(span) in ROMANISED_GREETINGS - names for tok in span) \
        | frozenset(m.group("month") for m in _IN_A_MONTH.finditer(rest))
    place_tokens = frozenset(tok for span in spans if len(span) > 1 and " ".join(span) in PLACE_PHRASES
                             for tok in span)
    # (Markham where the firm has a branch there: the place, in characters as a need in pinyin is; no Mark Lam misspelt)
    here = [p for p in offices_named(rest) & offices if not names.intersection(PLACES_IN_DESKS[p])] if offices else []
    place_tokens |= frozenset(tok for p in here for spelt in PLACES_IN_DESKS[p] for tok in spelt.split())
    offices_zh = [TOPICS[p][1][0] for p in here if TOPICS[p][1]]
    # A need in pinyin is no name misspelt (qiang ji jin: not Qiang Li), nor a place's name (hong kong: no Hong Hong).
    # Nor an English word (mailing: no Mei-ling misspelt), unless a name of the directory (Crystal).
    vocabulary = words.vocabulary if words is not None else frozenset()
    name_windows = frozenset(w for w, span in (("".join(span), span) for span in spans)
                             if not FUNCTION_WORDS.intersection(span) and not NEED_WORDS.intersection(span)
                             and not need_tokens.intersection(span) and not place_tokens.intersection(span)
                             and (w not in vocabulary or w in names))
    titled = frozenset(tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t in TITLES_EN)
    cjk = " ".join(CJK_RUN.findall(rest))
    # A name of the directory in brackets is the name written another way (Zhang Wei (Will)), no need (a will).
    rest = _BRACKETED.sub(lambda m: " " if m.group(1) in names else m.group(0), rest) if names else rest
    return Text(folded=rest, tokens=tokens, windows=frozenset(windows), cjk=cjk,
                 emails=emails, numbers=numbers, titled=titled, tones=written_tones(text), name_windows=name_windows,
                 romanised=" ".join((*romanised.values(), *offices_zh)),
                 need_tokens=need_tokens,
                 need_windows=frozenset("".join(span) for span in spans if need_tokens.issuperset(span)),
                 named=_written_as_names(POSSESSIVE.sub("", text), rest), titled_zh=titled_zh,
                 traded=frozenset(_THINGS) if _TRADED.search(rest) else frozenset(),
                 bridged=_bridged(words, cjk, tokens),
                 seconds=words.seconds(without_idioms(cjk)) if words is not None and cjk else (),
                 phrase_words=words.phrase_words(without_idioms(cjk)) if words is not None and cjk else (),
                 place_tokens=place_tokens,
                 joined=frozenset("".join(span) for span in spans if len(span) > 1), codes=codes_in(folded))


def _bridged(words: Words | None, cjk: str, tokens: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The guest's words that reach a desk's through the dictionary: Chinese ones, and English ones."""
    if words is None:
        return ()
    return (words.bridged(without_idioms(cjk)) if cjk else ()) + words.bridged_en(tokens)


def _written_as_names(text: str, folded: str) -> frozenset[str]:
    """The words written as names: capitalised inside a sentence (not "Hope you are well"; in a text
    all in capitals none), or where a name stands ("ask for grace", "is sunny there")."""
    cased = set()
    if any(c.islower() for c in text):
        cased = {fold(m.group(0)) for m in _WORD.finditer(text) if m.group(0)[0].isupper()
                 and (not _starts_a_sentence(text, m.start()) or _CALLED.match(text, m.end()))}
    for m in _IN_NAME_CONTEXT.finditer(folded):
        if m.group("after") or not _ARTICLE_BEFORE.search(folded, 0, m.start("before")):  # (a will please: a thing)
            cased.add(m.group("after") or m.group("before"))
    return frozenset(cased)


_BRACKETED = re.compile(r"[(（]\s*([a-z]+)\s*[)）]")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|my|your|our|his|her|their|this|that)\s+$")


def _starts_a_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 20):start].rstrip(" \t\"'“‘(（-")
    return not before or before[-1] in _SENTENCE_END


def _without_titles(tokens: tuple[str, ...], names: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The tokens without Chinese titles in romanisation after a family name (zhou jingli: Zhou, titled), unless
    the two are someone's given name (Wei Jie: 伟杰, not 魏姐)."""
    kept: list[str] = []
    titled: set[str] = set()
    i = 0
    while i < len(tokens):
        after_family = bool(kept) and kept[-1] in LATIN_FAMILIES
        title = next((t for t in ROMANISED_TITLES if tokens[i:i + len(t)] == t
                      and kept[-1] + "".join(t) not in names), None) if after_family else None
        if title:
            titled.add(kept[-1])
            i += len(title)
            continue
        kept.append(tokens[i])
        i += 1
    return tuple(kept), frozenset(titled)
