"""How ids and people's names appear in a journal message: header text cleaned, the local parts of
the addresses made up for ids, file names, and what an e-mail address is."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Mapping, Sequence

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
HEADER_TEXT_MAX = 200  # characters of a name or text shown in a header


def local_part(value: str) -> str:
    """`value` itself where it is a valid dot-atom (openids and AAD object ids are), else a
    stable stand-in made from its hash."""
    if DOT_ATOM.fullmatch(value) and len(value) <= 64:
        return value
    return "id-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def file_part(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) else local_part(value)


def is_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at) and len(address) <= 254 and len(local) <= 64 \
        and bool(DOT_ATOM.fullmatch(local)) and bool(DOMAIN.fullmatch(domain))


def clean(text: str, limit: int = HEADER_TEXT_MAX) -> str:
    """Text fit for one header: control and line/paragraph separators become spaces, runs of
    white space one space, at most `limit` characters."""
    out = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c for c in text)
    out = " ".join(out.split())
    return out if len(out) <= limit else out[:limit - 1] + "…"


def shown_name(names: Mapping[str, str], key: str) -> str:
    value = names.get(key) if names else None
    return clean(value) if isinstance(value, str) else ""


def author_id(author: str, participants: Sequence[str], names: Mapping[str, str]) -> str | None:
    """The Azure AD object id of an employee message's author, which the policy records by
    name: the author if it is an id, else the one participant (or, failing that, the one person
    in `names`) of that name."""
    if not author:
        return None
    if author in participants:
        return author
    named = [aad for aad in participants if isinstance(names.get(aad), str) and names[aad].strip() == author.strip()]
    if len(named) == 1:
        return named[0]
    others = [key for key, value in names.items() if isinstance(value, str) and value.strip() == author.strip()]
    return others[0] if len(others) == 1 and DOT_ATOM.fullmatch(others[0]) else None
