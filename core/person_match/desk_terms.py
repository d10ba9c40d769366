"""A glossary of the desks of financial-services firms (banks, private banks, brokerages, asset managers,
insurers, pension trustees, lenders, card issuers, trade finance, advisory, and a firm's own functions), written
from the field, not from any evaluation set: topics finer than the lexicon's (a desk for IPO subscriptions, for
collections and hardship, for MPF fund switching), in the lexicon's form, merged into it (lexicon.py).
Each area is a module of its own: markets, credit, cover (insurance and pensions), banking, advisory, firm."""
from __future__ import annotations

from core.person_match import (desk_terms_advisory, desk_terms_banking, desk_terms_cover, desk_terms_credit,
                               desk_terms_firm, desk_terms_markets)
from core.person_match.situations import Table
from core.person_match.words import SURNAMES

_AREAS = (desk_terms_markets, desk_terms_credit, desk_terms_cover, desk_terms_banking, desk_terms_advisory,
          desk_terms_firm)

DESK_TOPICS: Table = {name: entry for area in _AREAS for name, entry in area.TOPICS.items()}
DESK_BROADER: dict[str, tuple[str, ...]] = {name: up for area in _AREAS for name, up in area.BROADER.items()}
DESK_LINES: frozenset[str] = frozenset().union(*(area.LINES for area in _AREAS))
DESK_NOT_ABOUT: dict[str, tuple[str, ...]] = {}
for _area in _AREAS:
    for _name, _words in _area.NOT_ABOUT.items():
        DESK_NOT_ABOUT[_name] = DESK_NOT_ABOUT.get(_name, ()) + tuple(
            w for w in _words if w not in DESK_NOT_ABOUT.get(_name, ()))
# The glossary's words that read in pinyin as a name as often as a need: of two characters (chu jing: 除净, li shu:
# 里数), of three starting with a family name (dong shi hui: 董事会). They are not read in pinyin (lexicon.py: unless
# the lexicon has them besides).
NAMELIKE_ZH = frozenset(w for _, chinese in DESK_TOPICS.values() for w in chinese
                        if len(w) == 2 or len(w) == 3 and w[0] in SURNAMES)
# The commonest words as Hong Kong guests romanise them (maa jin: 孖展, wo lun: 窝轮, teui bou: 退保).
DESK_CANTONESE = {
    "maajin": "孖展", "majin": "孖展", "wolun": "窝轮", "ngauhungjing": "牛熊证", "ngauhungzing": "牛熊证",
    "teuibou": "退保", "toibo": "退保", "ninfai": "年费", "jikfan": "积分", "zikfan": "积分",
    "gonggutung": "港股通", "konggutung": "港股通",
}
