"""The weaker evidence that a guest means a person: part of a name, a name contradicted, tones,
sound, a slip of spelling, a phone number, what their desk does."""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Collection, Container, Mapping

import phonenumbers
from rapidfuzz.distance import DamerauLevenshtein

from core.person_match.forms import PLACE_NAMES_ZH, Entry, Text
from core.person_match.glossary import LEXICON_ZH, LONGEST, SECOND, VIA
from core.person_match.lexicon import IDIOMS_ZH, LINES, PLACE_WORDS, PLACES, REGIONS, TITLES_HELD
from core.person_match.reading import (LATIN, broader, other_spellings, phrasal, places_gone_to, roles_in, sound,
                                       stem, stem_in, topics_named, without_idioms)
from core.person_match.words import (ASKING_ZH, CHATTER, COMMON_WORDS, COMMON_WORDS_ZH, EVERYDAY_NAMES,
                                     FUNCTION_WORDS, NAME_AFTER_ZH, NAME_BEFORE_ZH, NAME_SIDE_ZH, PARTICLES_ZH,
                                     PREFIXES_ZH, STOP_DESK, SURNAMES, TITLES_EN, TITLES_ZH)


# A name that is an everyday word, not written as a name ("a sunny day", 明天有小雨): weak evidence, never certain.
WORD_OR_NAME = "a word that is their name"


def name_part(e: Entry, t: Text) -> str:
    """A family name with a title, a given name or nickname alone (not a common word, unless the
    guest wrote little else or gave a title; not a word of a need written in pinyin: "wai hui" is 外汇;
    `WORD_OR_NAME` where the name is an everyday word not written as a name)."""
    few = len(t.tokens) <= 2 and not t.cjk
    weak = ""
    for family in e.families:
        if family in t.titled or t.titled_zh & ({family} | other_spellings(family)) \
                or (family in t.tokens and family not in t.need_tokens and family not in t.place_tokens
                    and (few or family not in COMMON_WORDS)):
            if few or _as_name(family, t, frozenset()):
                return "family name"
            weak = WORD_OR_NAME
    for given in e.givens:
        # (a given name of two words written as words, not little words run together: "to me, I" is no Mei)
        if given in t.titled or ((given in t.tokens or given in t.name_windows) and given not in t.need_windows
                                 and given not in t.place_tokens
                                 and (few or given not in COMMON_WORDS or given in t.named)):  # talk to Will
            if few or _as_name(given, t, e.given_words):
                return "given name"
            weak = WORD_OR_NAME
    if weak:
        return weak
    if not t.cjk:
        return ""
    if e.zh_family and e.zh_family in t.cjk:
        text = re.sub(r"\s+", "", t.folded)
        if any(f in text and _as_name_of(f, text) for f in (e.zh_family + s for s in TITLES_ZH)) \
                or any(f in t.cjk and _as_name_of(f, t.cjk) for f in (p + e.zh_family for p in PREFIXES_ZH)) \
                or any(title + e.zh_family in text for title in TITLES_EN):
            return "family name"
    cjk = _without(t.cjk, _NO_GIVEN_NAME_ZH)
    # (a given name written alone is theirs, however everyday a word: 天明)
    if e.zh_given and len(e.zh_given) >= 2 and e.zh_given in cjk and t.cjk.strip() != e.zh_given \
            and not _as_name_zh(e.zh_given, t.cjk, e.zh_words):
        return WORD_OR_NAME
    if e.zh_given and (len(e.zh_given) >= 2 and e.zh_given in cjk
                       or any(a + b in cjk for a, b in (("阿", e.zh_given[-1]), (e.zh_given[-1], "哥"),
                                                          (e.zh_given[-1], "姐"), (e.zh_given[-1], "仔")))):
        return "given name"
    return ""


def _as_name_of(form: str, cjk: str) -> bool:
    """A family name with a title or a familiar prefix (老金, 金生) is written, not only inside one of the lexicon's
    words (养老金: a pension; 黄金生意: the gold trade)."""
    for m in re.finditer(re.escape(form), cjk):
        a, b = m.span()
        if not any(cjk[i:j] in LEXICON_ZH for i in range(max(0, a - LONGEST), a + 1)
                   for j in range(b, min(len(cjk), i + LONGEST) + 1) if j - i > b - a):
            return True
    return False


def _as_name(word: str, t: Text, words: frozenset[str]) -> bool:
    """A name that is an everyday word (sunny, grace; wanting, of `words`) names someone only where it is written as
    a name."""
    return word not in EVERYDAY_NAMES and word not in words or word in t.named


def _as_name_zh(given: str, cjk: str, everyday: frozenset[str]) -> bool:
    """A given name that is an everyday word (小雨: light rain) names someone only in a name context (找小雨);
    another, where it stands as a word would (嘉欣，…; 同嘉欣讲), not run into the words around it (佩仪表: a
    meter; 我家乐意: glad)."""
    for m in re.finditer(re.escape(given), cjk):
        before, after = cjk[:m.start()], cjk[m.end():]
        if after.startswith(NAME_AFTER_ZH) or before.endswith(NAME_BEFORE_ZH) \
                and not (given in everyday and before.endswith(ASKING_ZH)):
            return True
        if given not in everyday and (not before or before.endswith((" ", *NAME_SIDE_ZH))) \
                and (not after or after.startswith((" ", *NAME_SIDE_ZH))):
            return True
    return False


def written_as_name_zh(word: str, cjk: str, everyday: frozenset[str]) -> bool:
    """A Chinese name or alias is written as a name in `cjk`, unless it is an everyday word (小雨, of `everyday`) out
    of a name's context (今天下小雨)."""
    return word not in everyday or _as_name_zh(word, cjk, everyday)


# Words no given name is read inside: everyday words, and places' names (阿联酋, the UAE, holds no 阿联).
_NO_GIVEN_NAME_ZH = COMMON_WORDS_ZH + PLACE_NAMES_ZH


@lru_cache(maxsize=1024)  # the same message, asked of every person who may fit
def _without(cjk: str, words: tuple[str, ...]) -> str:
    for word in (*words, *IDIOMS_ZH):
        cjk = cjk.replace(word, " ")
    return cjk


def contradicted(e: Entry, t: Text) -> bool:
    """A given name written with another family name: 王小明 is not 张小明, Alice Smith not Alice Wong."""
    if e.zh_given and len(e.zh_given) >= 2:
        for run in t.cjk.split():
            i = run.find(e.zh_given)
            if i > 0 and run[i - 1] in SURNAMES and run[i - 1] != e.zh_family:
                return True
    for before, after in zip(t.tokens, t.tokens[1:]):
        if before in e.givens and after not in e.families | e.givens and _name_like(after):
            return True
        if after in e.families and before not in e.families | e.givens and _name_like(before):
            return True
    return False


def _name_like(token: str) -> bool:
    return len(token) > 1 and token not in FUNCTION_WORDS and token not in COMMON_WORDS \
        and token not in CHATTER and token not in TITLES_EN


def one_slip_apart(a: str, b: str) -> bool:
    return len(a) >= 6 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1


def tones_fit(e: Entry, t: Text) -> bool:
    """No tone the guest wrote contradicts the person's Chinese name (zhāng wěi is 张伟, not 张薇)."""
    if not t.tones or not e.zh_tones:
        return True
    for readings in e.zh_tones:
        written = [t.tones[s] for s, _ in readings if s in t.tones]
        if written and not any(tone in t.tones.get(s, ()) for s, tone in readings):
            return False
    return True


# A desk on a narrower topic, for a guest who names only the broader one: below the share of the best that
# ties (`verdict.DESK_NEAR`), so who does the broad thing itself is the one.
BROADER_WEIGHT = 0.4
# A desk's word a guest's Chinese word names through the dictionary (glossary.py): weaker than the lexicon's
# topics, and never sure (an English word has many senses: 政策 is a policy, not an insurance policy): it ranks
# whom the guest may mean, where nothing else of a desk fits, and the guest is asked.
BRIDGED_WEIGHT = 0.5
# A desk's second word the guest wrote in Chinese (提早攞返… 提取: withdrawals, among MPF desks), times its rarity among
# the desks that fit: it orders them, and a rare one (审计 of one audit desk) outweighs a fit only to a broader topic;
# what it alone adds never parts a desk from another that fits (verdict.py).
SECOND_WEIGHT = 0.25
# A place the guest tells of (where something happened) beside a need they ask for in so many words: it still tells
# desks of that need apart, no more.
TOLD_WEIGHT = 0.25
# A desk's phrase the guest wrote word by word in Chinese ("financial planning for families ← 家庭 理财 规划): it
# weighs as the phrase, but each word read through the dictionary may mean something else: never sure, asked.
SPELT = " ← "
# A desk's own term the guest wrote (FIRB, KiwiSaver): what they ask for, as a topic is.
_A_TERM = re.compile(r'"[a-z0-9]+')


def desk_scores(entries: list[Entry], t: Text, n: int, names: frozenset[str],
                named_people: Collection[str] = ()) -> dict[str, tuple[float, bool, tuple[str, ...]]]:
    """What each person's desk has of what the guest asked for: the topics named, the words and
    whole phrases of a desk (stems compare: claim ~ claims), each weighing more the fewer people
    it fits (and what fits: #topic, ^topic broader than their desk's, "phrase, word, %role). Sure when a
    topic or a phrase fits, not on a lone word (opening hours ≠ account opening) nor a broader topic alone
    (a claims desk for a question on insurance, a mortgages desk for 转按 where there is none): that weighs less
    than a desk that names what the guest names.
    A title one holds (CEO, 行政总裁) names them. A role or a place asked for (保险部的主管: the head of
    insurance; 香港的信用卡: cards in Hong Kong) keeps to those of them who hold it or are there, if any do
    (who fit most of them, if several). `names`: the directory's names in Latin letters, a desk's words only as
    themselves ("Chen" is no stem of Chengdu). `named_people`: the aads the guest names; where their phone rings is
    where they are, as a desk's place is ("Zhang Wei, the Hangzhou one"), counted once with it."""
    named = topics_named(t.needs)
    topics = named | broader(named)
    # A place's words count as the place (#hong_kong), once: "Hong Kong" in a desk is no need of its own.
    read = LATIN.findall(without_idioms(" ".join(t.tokens)))
    words = {stem(w) for w in read if w not in STOP_DESK and w not in PLACE_WORDS and len(w) > 2} | phrasal(read)
    roles = roles_in(t.needs)
    need = named - PLACES if roles else frozenset()  # what a role asked for is of (保险部的主管: insurance)
    if not topics and not words and not t.needs_cjk and not roles:
        return {}
    cjk = without_idioms(t.needs_cjk)
    hits: dict[str, set[str]] = {}
    criteria: dict[str, set[str]] = {}  # by aad: the roles they hold, the places they are in (as topics)
    fits: dict[tuple[frozenset[str], ...], tuple[frozenset[str], frozenset[str]]] = {}

    def fit(e: Entry) -> tuple[frozenset[str], frozenset[str]]:
        # A desk is where the guest is, or in a place the guest names: a desk for the Bay Area is none for Xiamen,
        # though both are on the mainland.
        places = e.desk_topics & PLACES
        if not (places - e.broader_topics) & topics and not places & named:
            places = frozenset()
        desk_topics = e.desk_topics if "research" in topics else e.desk_topics - e.studied
        found = {f"#{x}" if x in named and x not in e.broader_topics else f"^{x}"
                 for x in topics & desk_topics if x in places or x not in PLACES}
        found |= {f"%{r}" for r in roles & e.roles & TITLES_HELD}
        if "claims" in named:  # a claim on a life policy: a desk paying death claims fits the line (人寿保险…理赔)
            found |= {f"^{line}" for line in _lines_paid(e) & named}
        found |= {w for w in words if (w in e.desk_words if w in names else stem_in(w, e.desk_words))}
        found |= {f"\"{w}" for w in (words | t.codes) & e.desk_terms}
        found |= {f"\"{p}" for p in e.desk_phrases if all(stem_in(stem(w), t.tokens) for w in p.split())}
        found |= {f"\"{p}" for p in e.desk_zh if p in cjk}
        spelt = {p: _spelt(p, t.phrase_words) for p in e.desk_phrases} if t.phrase_words else {}
        found |= {f"\"{p}{SPELT}{' '.join(used)}" for p, used in spelt.items() if used}
        found |= {f"{VIA}{zh} → {desk}" for zh, desk in t.bridged if desk in e.desk_words}
        if found and roles and _only_places(found):
            # A head of the place asked (澳门分行行长: Head of Macau office) fits by more than the place.
            found |= {f"%{r}" for r in roles & e.roles}
        # A role is of what its part of the desk names: a branch's manager is no head of insurance.
        held = e.roles if not need or not e.role_topics or need & e.role_topics else frozenset()
        return frozenset(found), frozenset({f"%{r}" for r in held} | {f"#{p}" for p in places})

    for e in entries:  # many people share a desk: each desk is read once
        key = (e.desk_topics, e.broader_topics, e.studied, e.roles, e.role_topics, e.desk_words, e.desk_phrases,
               e.desk_zh)
        if key not in fits:
            fits[key] = fit(e)
        fitted, held = fits[key]
        if fitted:
            hits[e.person.aad], criteria[e.person.aad] = set(fitted), set(held)
    if not hits and t.seconds:  # nothing else fits: two of a desk's words in Chinese (伦敦…讲中文: London, Chinese)
        for e in entries:
            found = _seconds(e, t)
            if len({term.split(" → ")[1] for term in found}) >= 2:
                hits[e.person.aad], criteria[e.person.aad] = set(found), set(fit(e)[1])
    if any(not _only_bridged(found) for found in hits.values()):  # the dictionary speaks where nothing else does
        hits = {aad: found for aad, found in hits.items() if not _only_bridged(found)}
    beside: set[str] = set()
    if any(not _only_places(found) for found in hits.values()):
        # 汇款返内地: a remittance, not a desk there; but 我在广州，想开户: the Guangzhou office, or account opening
        # (a city's desk stays where no desk does both, so the guest is asked)
        # (a city the guest goes to is none of theirs: visiting Vancouver, medical cover is no Vancouver office's)
        gone = {f"#{p}" for p in places_gone_to(t.folded)}
        both = any(not _only_places(found) and _cities(found) for found in hits.values())
        hits = {aad: found for aad, found in hits.items()
                if not _only_places(found) or not both and _cities(found) - gone}
        beside = {aad for aad, found in hits.items() if _only_places(found)}  # never sure beside a need desk
    asked = {f"%{r}" for r in roles} | {f"#{p}" for p in topics & PLACES}
    # Among who fit the need itself (not a city's desk kept above, nor only a broader topic: a place does not
    # outweigh a desk that names the need).
    pool = {aad for aad, found in hits.items() if not _only_places(found)}
    pool = {aad for aad in pool if any(c[0] in "#\"" and c[1:] not in PLACES for c in hits[aad])} or pool or set(hits)
    where = [{f"#{x}" for x in {p} | broader({p})} for p in named & PLACES]
    most = max((_met(criteria[aad] & asked, where) for aad in pool), default=0)
    holders = {aad for aad in pool if _met(criteria[aad] & asked, where) == most} \
        | {aad for aad in hits if _only_places(hits[aad])}
    if most:
        # Who is left out for not being there but fits all the need the kept fit, and more (a private bank's
        # clients in Hong Kong, or its account opening, for "I'm in HK, I want to open a private banking
        # account"): the guest is asked. (A role asked for is the need: the head, not who names more of it.)
        beside |= {aad for aad in holders if not roles
                   and any(_fits_more(hits[other], hits[aad]) for other in set(hits) - holders)}
        # Nor is one left out who names a need none of those there name (国内银行股的研究报告: research on mainland
        # banks, beside a mainland trader): it stays in, never sure.
        theirs = {c for aad in holders for c in hits[aad] if _names_a_need(c)}
        missed = {aad for aad in pool - holders if not roles
                  and any(_names_a_need(c) and c[1:] not in PLACES and c not in theirs for c in hits[aad])}
        beside |= missed
        holders |= missed
        # A place counts once: where they are (#mainland) is no more where their desk's topic is (^mainland).
        hits = {aad: hits[aad] - {f"^{c[1:]}" for c in criteria[aad] & asked} | (criteria[aad] & asked)
                for aad in holders}
    by_aad = {e.person.aad: e for e in entries}
    # Never sure: a thing sold or bought alone (a car); a place alone, of a desk for a need there (HK stocks), not of
    # the place's own (Zhuhai office).
    # Nor a place's own desk where the guest neither says they are there nor asks for anyone (the weather in Vancouver),
    # in more than a few words (深圳, "shen zhen": where they are).
    passing = any(_only_places(found) for found in hits.values()) and not _THERE_OR_ASKING.search(t.folded) \
        and len(t.tokens) + len(t.cjk.replace(" ", "")) > 3
    # Nor any desk for a rate or a price asked of the day (今日港币兑人民币几多): a question, for nobody in particular.
    quote = bool(_ASKS_QUOTE.search(t.folded))
    lines = _narrowest(named & LINES)
    beside |= {aad for aad, found in hits.items() if quote or not _sure(found - {f"#{x}" for x in t.traded}, False)
               or not _sure(found - {f"#{x}" for x in _siblings(named, by_aad[aad])}, False)
               and not _written_words(found)
               or _only_places(found) and (passing or by_aad[aad].desk_topics - by_aad[aad].broader_topics - PLACES)
               or _beside_the_line(found, _another_line(by_aad[aad], lines), lines)}
    # Nor one who holds none of the roles asked for, nor manages the need (the head of your insurance business: no
    # insurers' salesman; of complaints: the complaints manager); an assistant is as often the guest (我是…的秘书).
    heads = {f"%{r}" for r in roles - {"assistant"}}
    beside |= {aad for aad in hits if heads and not criteria[aad] & heads and not need & by_aad[aad].managed}
    hits = _other_line(_most_specific(hits), by_aad, lines)
    for aad, found in hits.items():  # only where the topic or a phrase fits: it adds no desk
        if any(c[0] in "#\"" for c in found):
            found |= _seconds(by_aad[aad], t)
    for aad in named_people:  # whom the guest names is where their phone rings too, once with their desk's place
        there = topics & by_aad[aad].office if aad in by_aad else frozenset()
        if there:
            hits[aad] = hits.get(aad, set()) - {f"^{x}" for x in there} | {f"#{x}" for x in there}
    df: dict[str, int] = {}
    for found in hits.values():
        for c in found:
            df[c] = df.get(c, 0) + 1
    n = max(n, 1)
    asks_where = bool(_ASKS_WHERE.search(t.folded))
    # A place weighs less beside a need the guest asks for in so many words (我在杭州买的保险…我要投诉: a complaint,
    # not Hangzhou's insurance desk; 想找北京做教育储蓄的同事: education savings before the Beijing office); a topic
    # they tell is kept whole (醫生話我係末期病: terminal illness, whatever is asked of the MPF).
    told = {c for c in df if c[0] in "#^" and c[1:] in PLACES} if _asks_for_a_need(t.needs) else set()
    if told:  # and once, however many places hold it (Hangzhou, Zhejiang, East China, the mainland)
        hits = {aad: found - {f"{m}{x}" for m in "#^" for x in broader({c[1:] for c in found if c in told})}
                for aad, found in hits.items()}
    weight = {c: math.log(1 + n / k) * (BROADER_WEIGHT if c[0] == "^" else BRIDGED_WEIGHT if c.startswith(VIA) else 1)
              * (TOLD_WEIGHT if c in told else 1) for c, k in df.items() if not c.startswith(SECOND)}
    # A Chinese word written is one second word, however many of a desk's words it is (汇款: money, remittance),
    # weighing more the fewer desks it is in (审计: an audit desk's; 信托: every trust desk's).
    said = {aad: {c.split(" → ")[0] for c in found if c.startswith(SECOND)} for aad, found in hits.items()}
    seconds = Counter(w for written in said.values() for w in written)
    return {aad: (round(sum(weight[c] for c in sorted(found) if c in weight)
                        + SECOND_WEIGHT * sum(math.log(1 + n / seconds[w]) for w in said[aad]), 6),
                  _sure(found, asks_where) and aad not in beside and not any(SPELT in c for c in found),
                  tuple(sorted(found)))
            for aad, found in hits.items()}


_ASKING = re.compile(r"(?:我要|我想|想要|需要|请问|请帮我|帮我|点样|怎么|如何|能不能|可唔可以|可不可以|想问|想搵|想找)"
                     r"(?P<rest>[^，。！？,.!?；;]+)"
                     r"|\b(?:i want to|i'd like to|i would like to|i need to|i need|i want|can i|could i|how do i|"
                     r"how can i|who handles|who can help(?: me)? with|looking for)\b(?P<rest_en>[^,.!?;]+)")


def _asks_for_a_need(folded: str) -> bool:
    """The guest asks for a need in so many words (我要投诉; "I want to complain"), not only for a place."""
    rests = [m.group("rest") or m.group("rest_en") for m in _ASKING.finditer(folded)]
    return bool(rests) and bool(topics_named(" ".join(rests)) - PLACES)


def _spelt(phrase: str, written: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The Chinese words the guest wrote that are every word of a desk's `phrase`, two words or more (家庭理财规划:
    "financial planning for families"), as if the guest had written the phrase itself; else none."""
    words = {stem(w) for w in phrase.split() if w not in FUNCTION_WORDS}
    used = tuple(sorted({zh for zh, word in written if word in words}))
    return used if len(used) >= 2 and words <= {word for _, word in written} else ()


def _seconds(e: Entry, t: Text) -> set[str]:
    """The desk's second words the guest wrote in Chinese (~提取 → withdrawal)."""
    return {f"{SECOND}{zh} → {desk}" for zh, desk in t.seconds if desk in e.desk_words or desk in e.desk_phrases}


# The guest says where they are, or asks for someone or an office (I'm in Zhuhai; 我住喺多伦多; any colleague nearby).
_THERE_OR_ASKING = re.compile(
    r"\b(?:i|we)(?:m| am|re| are| live| lived| moved| have moved| just moved| stay| work| will be)\b|\b(?:living|based|"
    r"located|staying|moving|relocat\w*|from)\b|\b(?:who|whom|anyone|someone|somebody|colleague|colleagues|office|"
    r"branch|team|contact|talk|speak|meet|visit|help)\b|我在|我住|人在|住喺|住在|我喺|我哋喺|我们在|搬|移民|"
    r"找|搵|联系|联络|同事|分行|办公室|办事处|分公司|团队|谁|边个|边位|哪位|有人|见面|帮")
# A rate or a price asked of the day ("the exchange rate … today", 今日港币兑人民币几多).
_ASKS_QUOTE = re.compile(r"\b(?:rate|rates|price|prices)\b[^.?!]{0,40}\b(?:today|now|right now|at the moment)\b"
                         r"|(?:今日|今天|而家|现在)[^，。？！,?!]{0,12}(?:汇率|价|兑)[^，。？！,?!]{0,12}(?:几多|多少)")
# A question about an office itself (its address, its hours), where the guest asks for nobody there.
_ASKS_WHERE = re.compile(r"地址|在哪|喺边|系边|点去|怎么去|营业时间|几点开|\b(?:address|where is|where's|opening hours|"
                         r"directions|how (?:do|can) i get)\b")


def _names_a_need(term: str) -> bool:
    """A topic the guest and the desk both name (#insurance), or the desk's own term the guest wrote ("firb)."""
    return term[0] == "#" or bool(_A_TERM.fullmatch(term))


def _sure(found: set[str], asks_where: bool) -> bool:
    """A topic or phrase of their desk fits, or a title they hold; a place alone, unless the guest asks where it is
    (北京办公室地址在哪: a question, for nobody)."""
    if asks_where and _only_places({c for c in found if c[0] in "#^"}):
        return any(c[1:] in TITLES_HELD for c in found)
    return any(c[0] in "#\"" or c[1:] in TITLES_HELD for c in found)


def _met(criteria: set[str], where: list[set[str]]) -> int:
    """How many of what the guest asked for a desk meets: each role held, and each place named, once however
    narrowly (for a guest in Beijing a North China desk is no more there than a mainland one)."""
    return sum(c[0] == "%" for c in criteria) + sum(bool(criteria & place) for place in where)


def _fits_more(more: set[str], less: set[str]) -> bool:
    """`more` fits every topic of the need `less` fits, however broadly, and surely some topic or phrase it lacks."""
    sure = {c for c in more - less if c[0] in "#\"" and c[1:] not in PLACES}
    return bool(sure) and _topics(less) - PLACES <= _topics(more)


def _cities(found: set[str]) -> set[str]:
    """The places of a desk that are a city's (#guangzhou), not a region's (the mainland, the Bay Area)."""
    return {c for c in found if c[0] == "#" and c[1:] in PLACES - REGIONS}


def _only_bridged(found: set[str]) -> bool:
    return all(c.startswith(VIA) for c in found)


def _only_places(found: set[str]) -> bool:
    """Places, and at most a word bridged through the dictionary (澳门分行: a Macau desk, 分行 no need of its own)."""
    kept = [c for c in found if not c.startswith(VIA)]
    return all(c[0] in "#^" and c[1:] in PLACES for c in kept) and (bool(kept) or not found)


def _written_words(found: Collection[str]) -> bool:
    """Some of what fits is the desk's own words, as the guest wrote them."""
    return any(c[0] not in "#^%~\"" and not c.startswith((VIA, SECOND)) for c in found)


def _siblings(named: frozenset[str], e: Entry) -> frozenset[str]:
    """The topics the guest names that `e`'s desk fits only by another kind of them: a credit card applied for, at a
    desk for credit limits; the topic both are kinds of fits broadly, as a broader one does."""
    own = e.desk_topics - e.broader_topics - PLACES
    return frozenset(b for s in named - own - PLACES for b in broader({s}) & named
                     if any(b in broader({o}) for o in own - named))


def _most_specific(hits: dict[str, set[str]]) -> dict[str, set[str]]:
    """Without the desks another fits better by a narrower topic: it fits all they fit, and a topic
    narrower than one of theirs (首置按揭: first-time buyers, not mortgages in general; 理赔: claims, not
    insurance)."""
    kinds = {_topics(found) for found in hits.values()}  # few: compared pairwise
    outdone = {mine for mine in kinds for theirs in kinds if mine < theirs
               and any(broader({c}) & mine for c in theirs - mine)}
    return {aad: found for aad, found in hits.items() if _topics(found) not in outdone}


def _other_line(hits: dict[str, set[str]], entries: dict[str, Entry], asked: frozenset[str]) -> dict[str, set[str]]:
    """Without the desks on another line (`LINES`) than the one the guest names (`asked`), where a desk not on another
    fits what both are kinds of: a claim for a car is for motor insurance, not medical claims; a loan for a car is
    not for motor insurance, so personal loans stay."""
    other = {aad: broader(_another_line(entries[aad], asked)) for aad in hits}  # what the other line is a kind of
    fitting = {t for aad, found in hits.items() if not other[aad] for t in _topics(found)}
    return {aad: found for aad, found in hits.items() if not other[aad] & fitting}


def _narrowest(lines: frozenset[str]) -> frozenset[str]:
    """Of `lines`, those no other is a kind of (motor insurance, not the car it is for)."""
    return lines - broader(lines)


# The line a claims desk pays on, whatever else it pays: a death claim is a life policy's.
_CLAIMED_ON = {"death_claims": "life"}


def _lines_paid(e: Entry) -> frozenset[str]:
    """The lines whose claims `e`'s desk pays (`_CLAIMED_ON`)."""
    return frozenset(_CLAIMED_ON[x] for x in e.desk_topics & _CLAIMED_ON.keys())


def _another_line(e: Entry, asked: frozenset[str]) -> frozenset[str]:
    """The lines `e`'s desk is on, where they are other than those `asked`: not one of them, nor narrower or broader
    (critical illness, for a medical question), nor of a desk that pays the line's claims too (death claims: life
    policies')."""
    own = _narrowest((e.desk_topics - e.broader_topics) & LINES)
    if not asked or not own or own & (asked | broader(asked)) or broader(own) & asked \
            or _lines_paid(e) & asked:
        return frozenset()
    return own


def _beside_the_line(found: set[str], own: frozenset[str], asked: frozenset[str]) -> bool:
    """A desk on another line (`own`) that fits nothing the line asked is beside what both are kinds of: a car loans
    desk for car insurance fits the car, a death claims desk the claim (the guest is asked)."""
    return bool(own) and not _topics(found) & (asked | broader(asked)) - broader(own)


def _topics(found: set[str]) -> frozenset[str]:
    """The topics that fit, however they fit (#mortgage, ^mortgage)."""
    return frozenset(c[1:] for c in found if c[0] in "#^")


def sounds_in(e: Entry, cjk: str, dictionary: Mapping[str, str]) -> int | None:
    """Written with other characters that sound the same (汪维 for 汪伟): how many characters are
    the same, or None. Not characters no name is written with (过嚟, "come over", for 郭丽), nor an everyday word of
    the `dictionary` (its definitions not a proper name's) that shares none of the name's (登录, "to log in", for
    邓璐; 刘洋 is a name, as 柳阳 may be written)."""
    n = len(e.zh_full)
    for run in cjk.split():
        for i in range(len(run) - n + 1):
            window = run[i:i + n]
            if sound(window) == e.zh_sound and not PARTICLES_ZH & set(window) \
                    and not (_everyday(window, dictionary) and not set(window) & set(e.zh_full)) \
                    and not _across_words(run, i, i + n, dictionary):
                return sum(a == b for a, b in zip(window, e.zh_full))
    return None


def _everyday(word: str, dictionary: Mapping[str, str]) -> bool:
    """`word` is in the `dictionary` as a word, not a proper name (登录 "to log in"; not 刘洋 "Liu Yang (1978-) …")."""
    return dictionary.get(word, "")[:1].islower()


def _across_words(run: str, start: int, end: int, dictionary: Container[str]) -> bool:
    """A word of the `dictionary` crosses an edge of `run[start:end]` (有些|问题: 些问 is no name, as it sounds)."""
    return any(run[a:b] in dictionary for a in range(max(0, start - LONGEST + 1), end)
               for b in range(a + 2, min(len(run), a + LONGEST) + 1) if a < start < b or a < end < b)


def typo(e: Entry, t: Text) -> bool:
    """A full name with one slip (two in a long one): alise wong, zhnag wei; short names never,
    nor a name run into a little word ("zhou in" is not Zhou Xin), nor one that starts otherwise ("is aiming" is
    no Tsai Ming)."""
    for form in e.full_forms:
        if len(form) < 7:
            continue
        limit = 1 if len(form) < 11 else 2
        if any(w[:1] == form[:1] and abs(len(w) - len(form)) <= limit
               and DamerauLevenshtein.distance(w, form, score_cutoff=limit) <= limit for w in t.name_windows):
            return True
    return False


def same_number(written: str, e164: str) -> bool:
    """`written` (digits as the guest wrote them, maybe without a country code) is `e164`: the
    national number, alone or after its country code (+44 (0)20 … too); not any number that merely
    ends with it (139 9123 4567 is not +852 9123 4567)."""
    number = phonenumbers.parse(e164, None)
    national, code = str(number.national_number), str(number.country_code)
    digits = written.lstrip("0")
    return len(digits) >= 7 and (digits == e164.lstrip("+") or len(national) >= 7 and digits.endswith(national)
                                 and digits[:-len(national)] in ("", code, code + "0"))
