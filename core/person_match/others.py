"""Whom a guest names and does not want: the one they exclude ("not X, the other one", "不是X"), who
sent them ("X referred me", "X介绍我来的"), whose assistant or colleague they want ("X's assistant",
"X的助理"). Each such part of the text, to be ranked on its own: whom it singles out is left out."""
from __future__ import annotations

import re

from core.person_match.reading import plain

_STOP = r"[,.;:!?()\[\]，。；：！？（）、]"
_ROLES_OF = r"(?:assistant|secretary|colleague|teammate|team|boss|manager|deputy|pa|replacement|supervisor)"
_PATTERNS = (
    # English: the name after a negation, up to a stop or a turn ("but", "the other").
    re.compile(rf"\b(?:not|isn't|isnt|wasn't|except|other than|rather than|instead of|apart from)\s+"
               rf"(?P<who>[^,.;:!?()，。；：！？（）]{{2,40}}?)(?=\s*(?:{_STOP}|\bbut\b|\bthe other\b|$))"),
    re.compile(r"(?P<who>(?:[a-z]+\s+){0,3}[a-z]+)\s+(?:referred|recommended|introduced|sent)\s+(?:me|us)\b"),
    re.compile(r"\b(?:referred|recommended|introduced|sent)\s+(?:to you\s+|here\s+)?by\s+"
               r"(?P<who>(?:[a-z]+\s*){1,3}?)(?=\s*(?:" + _STOP + r"|\band\b|\bi\b|$))"),
    re.compile(rf"(?P<who>(?:[a-z]+\s+){{0,2}}[a-z]+)'s\s+{_ROLES_OF}\b"),
    # Chinese: 不是X，是…; X介绍我来; X的助理.
    re.compile(r"(?:不是|不要|不找|并非|而非)(?P<who>[^,.;:!?()，。；：！？（）、]{1,15}?)(?=" + _STOP + r"|而是|$)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:介绍|推荐|转介)(?=我|来|过来)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)的(?:助理|秘书|同事|助手|上司|老板|领导|下属|团队)"),
)


def others_named(text: str) -> list[str]:
    """The parts of `text` that name someone the guest does not want."""
    read = plain(text)
    return [m.group("who").strip() for pattern in _PATTERNS for m in pattern.finditer(read)]
