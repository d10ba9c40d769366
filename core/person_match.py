"""Who a guest means: the people of a directory ranked against what the guest wrote, in English or
Chinese, and what to do about it (`verdict`). Pure and offline: rapidfuzz for typos, pypinyin for
how Chinese names sound, OpenCC's tables for Traditional characters.

What counts as evidence, strongest first:
- an e-mail address or a phone number of theirs (any format): certain;
- their full name: Latin (either order, joined or not, tones or tone digits or none), Chinese
  characters (Simplified or Traditional), an alias; a misspelling of it (one edit) is as good;
- their Chinese name as it sounds, written with other characters (an input-method slip, or a
  namesake): never certain, the guest is asked;
- a family name with a title ("Mr Wang", "王经理", "小王", "何生") or a given name or nickname alone;
- what they do ("my mortgage advisor", "想找负责基金的同事"), through a bilingual topic table and
  the words of their desk; it adds to a name ("the Li who does insurance").

`verdict`: one certain best → connect; several equally good (up to `MAX_CHOICES`) or one
uncertain → ask which; more → ask for more; nothing → ask who. It never connects on a tie.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Collection, Iterable, Mapping

import phonenumbers
from opencc import OpenCC
from pypinyin import Style, pinyin
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from core.people import Person

MAX_CHOICES = 5
TIE = 1e-6
DESK_NEAR = 0.45  # desk evidence within this share of the best's is as good

# Evidence, as scores: the best-scored people are the candidates.
ID, FULL, FUZZY_FULL, SOUNDS, PART, DESK = 100, 90, 85, 70, 50, 40

_T2S = OpenCC("t2s")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_DIGITS = re.compile(r"\+?\d[\d\s\-().]{5,}\d")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")
_LATIN = re.compile(r"[a-z]+")

TITLES_EN = {"mr", "mrs", "ms", "miss", "mx", "dr", "madam", "mdm", "madame", "sir", "prof", "professor",
             "mister", "uncle", "auntie", "aunty"}
# After a Chinese family name (王经理, 何生, 陈小姐), or before it (小王, 老李, 阿陈).
_TITLES_ZH = ("先生", "女士", "小姐", "太太", "经理", "总监", "总", "生", "太", "姐", "哥", "老师", "主任", "博士",
              "律师", "顾问", "助理", "行长", "sir", "专员", "主管")
_PREFIXES_ZH = ("小", "老", "阿", "姓")
_COMPOUND_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "夏侯", "令狐"}
# The guest naming themselves is not the guest naming who they want.
_SELF_EN = re.compile(r"\b(?:my name is|my names|i am|im)\s+(?!a\b|an\b|the\b|your\b|looking\b|trying\b|"
                      r"interested\b|calling\b|writing\b|here\b)((?:(?!client\b|customer\b)[a-z]+\s*){1,3}?)"
                      r"(?=$|[,.!?;]|\s+(?:and|i|from|calling|writing|looking|want|would|please|can|could|need)\b)")
_SELF_ZH = re.compile(r"(?:我叫|我的名字是|本人是?|我是)[\u4e00-\u9fff]{2,3}?(?=[，,。.!！？?\s想找要请]|$)")
# English words that are also name parts: a name only with a title, or where little else is written.
_COMMON_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "go", "has", "have", "he",
    "her", "him", "his", "how", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or",
    "our", "she", "so", "that", "the", "to", "up", "us", "we", "who", "you", "your", "long", "young", "may",
    "sun", "song", "king", "fan", "man", "pan", "bin", "hang", "ding", "ma", "mo", "yes", "hi", "hey", "hello",
    "want", "need", "call", "talk", "speak", "help", "please", "thanks", "thank", "chat", "good", "morning",
    "will", "bill", "win", "fun", "kit", "oh", "ah",
}
# How one family name is romanised in Mandarin, Cantonese, Hokkien …: "david lee" is David Li.
_SPELLINGS = [{"li", "lee", "lei", "lai"}, {"wang", "wong", "vong"}, {"huang", "wong", "ng", "hwang"},
              {"chen", "chan", "tan", "chin"}, {"zhang", "cheung", "chang", "teo", "chong"}, {"liu", "lau", "lao"},
              {"he", "ho", "hoh"}, {"wu", "ng", "woo", "goh"}, {"lin", "lam", "lim"}, {"yang", "yeung", "yeo"},
              {"zhou", "chow", "chau", "chew"}, {"guo", "kwok", "kuo"}, {"zeng", "tsang", "tseng"},
              {"xie", "tse", "cheah"}, {"liang", "leung"}, {"feng", "fung"}, {"deng", "tang"}, {"su", "so"},
              {"zheng", "cheng", "tay"}, {"cai", "choi", "tsoi", "chua"}, {"xu", "hui", "tsui", "koh"},
              {"guan", "kwan"}, {"pan", "poon", "phua"}, {"zhu", "chu", "choo"}, {"mai", "mak"}, {"ye", "yip"},
              {"luo", "law", "lo"}, {"lu", "lo", "loh"}, {"ma", "mah"}, {"hu", "woo", "oh"}]

_STOP_DESK = {"and", "the", "of", "for", "desk", "team", "head", "senior", "junior", "associate", "officer",
              "services", "service", "specialist", "manager", "advisor", "adviser", "consultant", "executive",
              "director", "planning", "private", "general", "support", "business", "client", "clients",
              "customer", "customers", "account", "accounts", "my", "your", "who", "handles", "does"}

# Topics guests ask for, in both languages; a desk is on a topic when its words name it.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mortgage": (("mortgage", "home loan", "property loan", "housing loan", "remortgage"),
                 ("按揭", "房贷", "房屋贷款", "楼按", "樓按", "房贷款")),
    "loan": (("loan", "lending", "credit line", "borrow"), ("贷款", "借款", "信贷", "借钱")),
    "funds": (("fund", "unit trust", "mutual fund", "etf"), ("基金", "单位信托", "单位信讬", "共同基金")),
    "bonds": (("bond", "fixed income", "treasury", "notes"), ("债券", "固定收益", "国债", "债")),
    "equities": (("equity", "equities", "stock", "share", "securities", "brokerage", "trading"),
                 ("股票", "股份", "证券", "炒股", "港股", "美股", "a股", "股")),
    "fx": (("foreign exchange", "forex", "fx", "currency", "currencies", "exchange rate"),
           ("外汇", "换汇", "汇率", "外币", "兑换")),
    "trust": (("trust", "estate planning", "estate", "inheritance", "succession"),
              ("信托", "遗产", "传承", "家族信托")),
    "family_office": (("family office",), ("家族办公室",)),
    "education": (("education", "school", "university", "tuition", "college"), ("教育", "学费", "留学", "上学")),
    "auto": (("car", "auto", "vehicle", "motor"), ("车", "汽车", "车贷", "车险")),
    "digital": (("app", "online banking", "mobile banking", "login", "log in", "password", "digital",
                 "internet banking"),
                ("登录", "登陆", "网银", "手机银行", "网上银行", "密码", "app")),
    "tax": (("tax", "taxes", "taxation", "crs", "fatca"), ("税", "税务", "报税", "纳税")),
    "retirement": (("retirement", "retire", "pension", "mpf", "cpf", "annuity", "annuities"),
                   ("退休", "养老", "养老金", "强积金", "年金", "公积金")),
    "annuity": (("annuity", "annuities"), ("年金",)),
    "insurance": (("insurance", "insure", "policy", "cover", "coverage", "underwriting", "premium"),
                  ("保险", "保单", "投保", "保费", "核保")),
    "life": (("life insurance", "life cover", "whole life", "term life"), ("寿险", "人寿", "人寿保险")),
    "medical": (("medical", "health", "hospital", "healthcare", "vhis"),
                ("医疗", "医保", "健康险", "住院", "医疗保险")),
    "critical": (("critical illness", "critical", "cancer cover"), ("重疾", "危疾", "重大疾病")),
    "travel": (("travel",), ("旅游", "旅行", "旅游保险", "旅行保险")),
    "claims": (("claim", "claims"), ("理赔", "索偿", "索赔", "赔付", "报销")),
    "cards": (("credit card", "card", "cards"), ("信用卡", "卡")),
    "deposits": (("deposit", "savings", "time deposit", "fixed deposit"), ("存款", "定期", "储蓄", "存钱")),
    "wealth": (("wealth", "private banking", "relationship manager", "rm", "private wealth"),
               ("财富", "私人银行", "客户经理", "理财经理", "理财", "私行")),
    "investment": (("investment", "invest", "portfolio"), ("投资", "投资组合")),
    "agency": (("agent", "agency", "broker"), ("代理人", "经纪", "经纪人", "代理")),
    "service": (("customer service", "service", "complaint", "complaints"), ("客服", "客户服务", "投诉")),
    "account": (("account opening", "open an account", "new account", "onboarding"), ("开户", "开账户", "开个户")),
    "payments": (("payment", "payments", "remittance", "transfer", "wire"), ("汇款", "转账", "付款", "电汇")),
    "gold": (("gold", "precious metal", "precious metals"), ("黄金", "贵金属")),
    "derivatives": (("derivative", "derivatives", "option", "options", "structured product"),
                    ("衍生", "期权", "结构性产品", "结构性")),
    "home_insurance": (("home insurance", "household insurance", "contents insurance", "property insurance"),
                       ("家居保险", "家财险", "家居险", "房屋保险")),
    "accident": (("accident", "personal accident"), ("意外", "意外险")),
    "underwriting": (("underwriting", "underwriter"), ("核保",)),
    "compliance": (("compliance", "aml", "anti money laundering", "kyc", "due diligence"),
                   ("反洗钱", "合规", "尽职调查", "尽调")),
    "careers": (("job", "jobs", "career", "careers", "recruitment", "hiring", "vacancy", "human resources"),
                ("应聘", "招聘", "求职", "职位", "工作机会", "人事")),
    "corporate": (("corporate", "company account", "business banking", "sme"), ("企业", "公司业务", "对公")),
}


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    how: str  # what matched: "email", "phone", "name", "chinese name", "sounds like", "family name", "desk" …
    certain: bool
    base: float = 0.0  # the name's evidence (DESK when only the desk fits)
    desk: float = 0.0  # what the desk adds


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
    top = tuple(c for c in ranked if c.score >= best.score - TIE
                or (best.desk and c.base == best.base and c.desk >= DESK_NEAR * best.desk))
    if len(top) == 1 and top[0].certain:
        return Verdict(CONNECT, top)
    if len(top) > MAX_CHOICES:
        return Verdict(NARROW, top)
    return Verdict(CHOOSE, top)


_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def fold(text: str) -> str:
    """Lower case, full-width made plain, accents and tone marks off (Wáng -> wang), Traditional
    characters Simplified. (Tone digits: `_read`, which knows what is an e-mail.)"""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    simplified: str = _T2S.convert(text.replace("'", "").replace("’", ""))  # opencc has no type hints
    return simplified


def _written_tones(text: str) -> dict[str, frozenset[int]]:
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


def _toned(chars: str) -> tuple[frozenset[tuple[str, int]], ...]:
    """Each character's readings with their tones: 张 -> {("zhang", 1)} (a family name's every
    reading, the given name's usual one)."""
    out = []
    for i, readings in enumerate(pinyin(chars, style=Style.TONE3, heteronym=True, errors="ignore",
                                        neutral_tone_with_five=True)):
        kept = readings if i == 0 else readings[:1]
        out.append(frozenset((r[:-1].replace("v", "u"), int(r[-1])) for r in kept if r[-1].isdigit()))
    return tuple(out)


def _sound(chars: str) -> str:
    """How a run of characters sounds, one reading each (homophones compare equal)."""
    return " ".join(s[0] for s in pinyin(chars, style=Style.NORMAL, errors="ignore"))


@dataclass(frozen=True)
class _Entry:
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
    desk_topics: frozenset[str]
    desk_words: frozenset[str]  # also the sub-organization's: "the Chan in retail"
    desk_phrases: frozenset[str]  # desk phrases of several words: "private equity"


def _split_zh(name: str) -> tuple[str, str]:
    return (name[:2], name[2:]) if name[:2] in _COMPOUND_SURNAMES else (name[:1], name[1:])


def _entry(person: Person, sub_words: Iterable[str] = ()) -> _Entry:
    tokens = _LATIN.findall(fold(person.name))
    family, given = (tokens[-1], tokens[:-1]) if tokens else ("", [])
    full: set[tuple[str, ...]] = set()
    families: set[str] = {family} if family else set()
    givens: set[str] = set()
    pieces: set[str] = set()
    if given:
        full |= {(*given, family), (family, *given)}
        # "Wing Yan": also "Wing" alone (a guest may know only that); not "Ka" or "Man".
        givens.add("".join(given))
        pieces = {g for g in given if len(given) > 1 and len(g) > 2 and g not in _COMMON_WORDS}
    zh = fold(person.name_zh).replace(" ", "")
    zh_family, zh_given = _split_zh(zh) if zh else ("", "")
    zh_family_readings = _readings(zh_family, family=True)
    if zh:
        for fam in zh_family_readings:
            for giv in _readings(zh_given):
                givens.add(giv)
                full |= {(fam, giv), (giv, fam)}
    for alias in person.aliases:
        parts = tuple(_LATIN.findall(fold(alias)))
        if len(parts) == 1:
            givens.add(parts[0])
        elif parts:
            full |= {parts, parts[::-1]}
            # Family name first (Wong Ka Yan) when it is how the Chinese family name reads or the name's own.
            first = parts[0] in zh_family_readings | {family}
            families.add(parts[0] if first else parts[-1])
            givens.add("".join(parts[1:] if first else parts[:-1]))
    variants = set()
    for form in full:
        for i, part in enumerate(form):
            for spelling in _other_spellings(part) if part in families or part in zh_family_readings else ():
                variants.add("".join(form[:i] + (spelling,) + form[i + 1:]))
    desk_text = fold(" ".join(person.desk))
    phrases = {" ".join(_LATIN.findall(fold(d))) for d in person.desk}
    return _Entry(
        person=person, full_forms=frozenset("".join(f) for f in full), full_tokens=tuple(sorted(full)),
        variant_forms=frozenset(variants), families=frozenset(families), givens=frozenset(g for g in givens if g),
        given_parts=frozenset(pieces - givens),
        zh_full=zh, zh_family=zh_family, zh_given=zh_given, zh_sound=_sound(zh) if zh else "",
        zh_tones=_toned(zh) if zh else (), desk_topics=frozenset(_topics(desk_text)),
        desk_words=frozenset(_stem(w) for w in [*_LATIN.findall(desk_text), *sub_words]
                             if w not in _STOP_DESK and len(w) > 2),
        desk_phrases=frozenset(p for p in phrases if " " in p))


def _other_spellings(family: str) -> set[str]:
    return {s for group in _SPELLINGS if family in group for s in group} - {family}


def _readings(chars: str, family: bool = False) -> set[str]:
    """How `chars` are read, joined: a family name's every reading (曾: zeng, ceng), a given name's usual."""
    if not chars:
        return set()
    syllables = _syllables(chars)
    rest = "".join(s[0] for s in syllables[1:])
    return {first + rest for first in (syllables[0] if family else syllables[0][:1])}


def _topics(folded: str) -> set[str]:
    words = set(_LATIN.findall(folded))
    found = set()
    for topic, (english, chinese) in TOPICS.items():
        if any((" " in k and k in folded) or (" " not in k and _stem_in(k, words)) for k in english) \
                or any(k in folded for k in chinese):
            found.add(topic)
    return found


def _stem_key(word: str) -> str:
    """What words of the same stem share (see `_same_stem`): their first four letters."""
    return word[:4]


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _stem_in(word: str, words: Collection[str]) -> bool:
    return any(_same_stem(word, w) for w in words)


def _same_stem(a: str, b: str) -> bool:
    """claim ~ claims, agent ~ agency, insure ~ insurance; not tax ~ taxi."""
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= 0.8 * min(len(a), len(b))


@dataclass(frozen=True)
class _Text:
    folded: str
    tokens: tuple[str, ...]
    windows: frozenset[str]  # 1 to 4 consecutive tokens joined
    cjk: str  # the Chinese characters, runs joined by a space
    emails: frozenset[str]
    numbers: tuple[str, ...]  # digit strings written (phone numbers)
    titled: frozenset[str]  # tokens right after an English title
    tones: Mapping[str, frozenset[int]]  # syllable -> the tones written on it
    name_windows: frozenset[str]  # the windows without a little word (for misspelt names)


def _read(text: str) -> _Text:
    folded = fold(text)
    emails = frozenset(m.group(0) for m in _EMAIL.finditer(folded))
    # An address nobody has is read for its name (kevin@… may be either Kevin).
    rest = _EMAIL.sub(lambda m: " " + re.sub(r"[._%+-]+", " ", m.group(0).split("@")[0]) + " ", folded)
    numbers = tuple(re.sub(r"\D", "", m.group(0)) for m in _DIGITS.finditer(rest))
    rest = _TONE_DIGIT.sub("", _DIGITS.sub(" ", rest))
    rest = _SELF_ZH.sub(" ", _SELF_EN.sub(" ", rest))
    tokens = tuple(_LATIN.findall(rest))
    spans = [tokens[i:j] for i in range(len(tokens)) for j in range(i + 1, min(i + 4, len(tokens)) + 1)]
    windows = {"".join(span) for span in spans}
    name_windows = frozenset("".join(span) for span in spans if not _FUNCTION_WORDS.intersection(span))
    titled = frozenset(tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t in TITLES_EN)
    return _Text(folded=rest, tokens=tokens, windows=frozenset(windows), cjk=" ".join(_CJK_RUN.findall(rest)),
                 emails=emails, numbers=numbers, titled=titled, tones=_written_tones(text), name_windows=name_windows)


class PeopleIndex:
    """The directory, prepared for matching; build once per directory (a reload builds a new one).
    `sub_names`: each sub-organization's name, by id (its words tell people apart: "Chan in retail")."""

    def __init__(self, people: Iterable[Person], region: str = "CN",
                 sub_names: Mapping[str, str] | None = None) -> None:
        names = sub_names or {}
        self.entries = tuple(_entry(p, _LATIN.findall(fold(f"{p.sub_org} {names.get(p.sub_org, '')}")))
                             for p in people)
        self.region = region
        # Who may fit what a guest wrote, by what they wrote: only they are scored (a directory of
        # thousands is ranked in milliseconds). A superset: scoring decides.
        self._by: dict[str, set[int]] = {}
        self._forms: dict[str, set[int]] = {}  # full names of 7 letters or more (misspelt ones)
        self._families: dict[str, set[int]] = {}
        for i, e in enumerate(self.entries):
            p = e.person
            keys = {*e.families, *e.givens, *e.given_parts, *e.full_forms, *e.variant_forms,
                    *(tok for form in e.full_tokens for tok in form),
                    *(f"@{a}" for a in (p.email, p.notify_email) if a),
                    *(f"zh:{k}" for k in (e.zh_full, e.zh_family, e.zh_given, e.zh_given[-1:]) if k),
                    *((f"sound:{e.zh_sound}",) if e.zh_sound else ()),
                    *(f"#{topic}" for topic in e.desk_topics),
                    *(f"w:{_stem_key(w)}" for w in e.desk_words | {w for d in e.desk_phrases for w in d.split()})}
            if p.phone:
                keys.add(f"tel:{phonenumbers.parse(p.phone, None).national_number}")
            for key in keys:
                self._by.setdefault(key, set()).add(i)
            for form in e.full_forms:
                if len(form) >= 7:
                    self._forms.setdefault(form, set()).add(i)
            for family in e.families:
                self._families.setdefault(family, set()).add(i)
        self._sound_lengths = sorted({len(e.zh_full) for e in self.entries if e.zh_sound})
        self._national_lengths = sorted({len(k) - 4 for k in self._by if k.startswith("tel:")})

    def rank(self, text: str, within: Collection[str] | None = None) -> tuple[Candidate, ...]:
        """The people `text` may mean, best first (`within`: only these aads)."""
        t = _read(text)
        if within is not None:
            entries = [e for e in self.entries if e.person.aad in within]
            n = len(entries)
        else:
            entries = [self.entries[i] for i in sorted(self._candidates(t))]
            n = len(self.entries)
        desk = _desk_scores(entries, t, n)
        scored: list[Candidate] = []
        for e in entries:
            name = self._name_evidence(e, t)
            extra, sure = desk.get(e.person.aad, (0.0, False))
            if name is None and extra:
                scored.append(Candidate(e.person, round(DESK + extra, 6), "desk", sure, DESK, extra))
            elif name is not None:
                score, how, certain = name
                scored.append(Candidate(e.person, round(score + (extra and 5 + extra), 6), how, certain, score, extra))
        scored.sort(key=lambda c: (-c.score, c.person.name))
        return tuple(scored)

    def _candidates(self, t: _Text) -> set[int]:
        keys = {*t.windows, *(f"@{a}" for a in t.emails), *(f"#{x}" for x in _topics(t.folded)),
                *(f"w:{_stem_key(_stem(w))}" for w in t.tokens if len(w) > 2)}
        for digits in t.numbers:
            keys |= {f"tel:{digits[-n:]}" for n in self._national_lengths}
        for run in t.cjk.split():
            keys |= {f"zh:{run[i:j]}" for i in range(len(run)) for j in range(i + 1, min(i + 5, len(run) + 1))}
            keys |= {f"sound:{_sound(run[i:i + n])}" for n in self._sound_lengths for i in range(len(run) - n + 1)}
        found: set[int] = set()
        for key in keys:
            found |= self._by.get(key, set())
        for window in t.name_windows:  # one or two slips (_typo decides)
            if len(window) >= 6:
                for form, _, _ in process.extract(window, self._forms.keys(), scorer=DamerauLevenshtein.distance,
                                                  score_cutoff=2, limit=None):
                    found |= self._forms[form]
        for word in t.titled:  # Mr Tompson
            for family, _, _ in process.extract(word, self._families.keys(), scorer=DamerauLevenshtein.distance,
                                                score_cutoff=1, limit=None):
                found |= self._families[family]
        return found

    def _name_evidence(self, e: _Entry, t: _Text) -> tuple[float, str, bool] | None:
        p = e.person
        if t.emails & ({p.email, p.notify_email} - {""}):
            return ID, "email", True
        if p.phone and any(_same_number(n, p.phone) for n in t.numbers):
            return ID, "phone", True
        if e.zh_full and len(e.zh_full) >= 2 and e.zh_full in t.cjk:
            return FULL, "chinese name", True
        if e.zh_family and e.zh_family in t.cjk and any(g in t.windows for g in e.givens if len(g) > 2):
            return FULL, "name", True  # Edmond 劉
        if _tones_fit(e, t):
            if e.full_forms & t.windows \
                    or any(all(tok in t.tokens for tok in form) for form in e.full_tokens if len(form) > 1):
                return FULL, "name", True
            if e.variant_forms & t.windows:  # David Lee for David Li: most likely, but asked
                return FUZZY_FULL, "name, spelt otherwise", False
        if e.zh_full and len(e.zh_full) >= 2:
            shared = _sounds_in(e, t.cjk)
            if shared is not None:
                return SOUNDS + shared, "sounds like", False
        if _tones_fit(e, t) and _typo(e, t):
            return FUZZY_FULL, "name, misspelt", True
        part = _part(e, t)
        if part:
            return PART, part, not _contradicted(e, t)
        if any(g in t.tokens for g in e.given_parts):  # "Wing", of Wing Yan Lau: less than a whole given name
            return PART - 5, "part of the given name", not _contradicted(e, t)
        if any(_close(family, w) for family in e.families for w in t.titled):  # Mr Tompson
            return PART, "family name, misspelt", False
        return None


def _part(e: _Entry, t: _Text) -> str:
    """A family name with a title, a given name or nickname alone (not a common word, unless the
    guest wrote little else or gave a title)."""
    few = len(t.tokens) <= 2 and not t.cjk
    for family in e.families:
        if family in t.titled or (family in t.tokens and (few or family not in _COMMON_WORDS)):
            return "family name"
    for given in e.givens:
        if given in t.titled or (given in t.windows and (few or given not in _COMMON_WORDS)):
            return "given name"
    if not t.cjk:
        return ""
    if e.zh_family:
        text = re.sub(r"\s+", "", t.folded)
        if any(e.zh_family + s in text for s in _TITLES_ZH) or any(p + e.zh_family in t.cjk for p in _PREFIXES_ZH) \
                or any(title + e.zh_family in text for title in TITLES_EN):
            return "family name"
    if e.zh_given and (len(e.zh_given) >= 2 and e.zh_given in t.cjk
                       or any(a + b in t.cjk for a, b in (("阿", e.zh_given[-1]), (e.zh_given[-1], "哥"),
                                                          (e.zh_given[-1], "姐"), (e.zh_given[-1], "仔")))):
        return "given name"
    return ""


# The commonest Chinese family names: one of them right before a given name says whose it is.
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
                "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
                "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤柳")
_CHATTER = {"there", "here", "thanks", "thank", "asap", "now", "today", "urgent", "again", "back", "around",
            "available", "free", "ok", "okay", "thx", "ty", "in", "pls", "plz", "please", "la", "lah", "ah", "ya"}


def _contradicted(e: _Entry, t: _Text) -> bool:
    """A given name written with another family name: 王小明 is not 张小明, Alice Smith not Alice Wong."""
    if e.zh_given and len(e.zh_given) >= 2:
        for run in t.cjk.split():
            i = run.find(e.zh_given)
            if i > 0 and run[i - 1] in _SURNAMES and run[i - 1] != e.zh_family:
                return True
    for before, after in zip(t.tokens, t.tokens[1:]):
        if before in e.givens and after not in e.families | e.givens and _name_like(after):
            return True
        if after in e.families and before not in e.families | e.givens and _name_like(before):
            return True
    return False


def _name_like(token: str) -> bool:
    return len(token) > 1 and token not in _FUNCTION_WORDS and token not in _COMMON_WORDS \
        and token not in _CHATTER and token not in TITLES_EN


def _close(a: str, b: str) -> bool:
    return len(a) >= 6 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1


def _tones_fit(e: _Entry, t: _Text) -> bool:
    """No tone the guest wrote contradicts the person's Chinese name (zhāng wěi is 张伟, not 张薇)."""
    if not t.tones or not e.zh_tones:
        return True
    for readings in e.zh_tones:
        written = [t.tones[s] for s, _ in readings if s in t.tones]
        if written and not any(tone in t.tones.get(s, ()) for s, tone in readings):
            return False
    return True


def _desk_scores(entries: list[_Entry], t: _Text, n: int) -> dict[str, tuple[float, bool]]:
    """What each person's desk has of what the guest asked for: the topics named, the words and
    whole phrases of a desk (stems compare: claim ~ claims), each weighing more the fewer people
    it fits. Sure when a topic or a phrase fits, not on a lone word (opening hours ≠ account opening)."""
    topics = _topics(t.folded)
    words = {_stem(w) for w in t.tokens if w not in _STOP_DESK and len(w) > 2}
    if not topics and not words:
        return {}
    hits: dict[str, set[str]] = {}
    for e in entries:
        found = {f"#{x}" for x in topics & e.desk_topics}
        found |= {w for w in words if _stem_in(w, e.desk_words)}
        found |= {f"\"{p}" for p in e.desk_phrases if all(_stem_in(_stem(w), t.tokens) for w in p.split())}
        if found:
            hits[e.person.aad] = found
    df: dict[str, int] = {}
    for found in hits.values():
        for c in found:
            df[c] = df.get(c, 0) + 1
    n = max(n, 1)
    return {aad: (round(sum(math.log(1 + n / df[c]) for c in sorted(found)), 6),
                  any(c[0] in "#\"" for c in found)) for aad, found in hits.items()}


def _sounds_in(e: _Entry, cjk: str) -> int | None:
    """Written with other characters that sound the same (汪维 for 汪伟): how many characters are
    the same, or None."""
    n = len(e.zh_full)
    for run in cjk.split():
        for i in range(len(run) - n + 1):
            window = run[i:i + n]
            if _sound(window) == e.zh_sound:
                return sum(a == b for a, b in zip(window, e.zh_full))
    return None


_FUNCTION_WORDS = set("""
a an the and or but if so as at by for from in into of off on onto out over per to up via with about after again
against before below between during regarding concerning re than then too very also just only not no yes all any
some each every this that these those there here when where why how what who whom which whose it its he him his she
her hers they them their we us our you your yours i me my mine am is are was were be been being do does did have has
had can could would should will shall may might must let lets today tomorrow yesterday now soon later tonight asap
pls plz please thanks thank thx hello hi hey dear sorry ok okay call calls talk speak chat meet see contact reach
want wants need needs like looking look find ask help tell message mail email phone number mr ms mrs dr
""".split())


def _typo(e: _Entry, t: _Text) -> bool:
    """A full name with one slip (two in a long one): alise wong, zhnag wei; short names never,
    nor a name run into a little word ("zhou in" is not Zhou Xin)."""
    for form in e.full_forms:
        if len(form) < 7:
            continue
        limit = 1 if len(form) < 11 else 2
        if any(abs(len(w) - len(form)) <= limit and DamerauLevenshtein.distance(w, form, score_cutoff=limit) <= limit
               for w in t.name_windows):
            return True
    return False


def _same_number(written: str, e164: str) -> bool:
    """`written` (digits as the guest wrote them, maybe without a country code) is `e164`: the
    national number, alone or after its country code (+44 (0)20 … too); not any number that merely
    ends with it (139 9123 4567 is not +852 9123 4567)."""
    number = phonenumbers.parse(e164, None)
    national, code = str(number.national_number), str(number.country_code)
    digits = written.lstrip("0")
    return len(digits) >= 7 and (digits == e164.lstrip("+") or len(national) >= 7 and digits.endswith(national)
                                 and digits[:-len(national)] in ("", code, code + "0"))
