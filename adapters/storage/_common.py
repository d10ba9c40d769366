"""Checks both backends share, so that they accept and refuse exactly the same input."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import orjson

# Field and container names end up inside SQL text (SQLite JSON paths and table names, Cosmos
# property paths), so only plain identifiers are allowed; values are always bound parameters.
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

# Cosmos DB refuses these in an id (they break the item's URL), so SQLite refuses them too.
_BAD_ID_CHARS = re.compile(r"[/\\?#]")
_MAX_ID_LENGTH = 255

RESERVED_KEYS = ("id", "pk")


def check_identifier(name: Any, what: str = "field") -> str:
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ValueError(f"invalid {what} name {name!r}: must match {IDENTIFIER.pattern}")
    return name


def check_partition_key(pk: Any) -> None:
    if not isinstance(pk, str) or not pk:
        raise ValueError(f"partition key must be a non-empty string, got {pk!r}")


def check_key(pk: Any, id: Any) -> None:
    check_partition_key(pk)
    if not isinstance(id, str) or not id:
        raise ValueError(f"id must be a non-empty string, got {id!r}")
    if len(id) > _MAX_ID_LENGTH or _BAD_ID_CHARS.search(id):
        raise ValueError(f"invalid id {id!r}: at most {_MAX_ID_LENGTH} characters, none of / \\ ? #")


def stored_body(body: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The body as JSON text, after refusing what either backend could not store faithfully, and as reading
    that text back gives it (plain JSON types, a copy)."""
    body, raw = _written(body)
    if isinstance(raw, str):
        return raw, json.loads(raw)
    stored = orjson.loads(raw)  # what orjson wrote, it reads exactly
    # orjson writes NaN and Infinity as null; a body whose nulls are all None reads back equal to itself (one
    # comparison in C; the search through the body only when it does not: a NaN, or a tuple read back a list).
    if b"null" in raw and stored != body and _not_finite(body):
        _JSON.encode(body)  # raises ValueError
    return raw.decode(), stored


def body_text(body: Mapping[str, Any]) -> str:
    """`stored_body`'s text alone, for a write that answers no body: the same refusals, nothing read back."""
    body, raw = _written(body)
    if isinstance(raw, str):
        return raw
    # Each None is written null and so is a NaN or an infinity: a text with no more nulls than the body has None
    # values at its top level (a job's lease while it is pending) holds neither (two counts in C; else the search).
    if b"null" in raw and raw.count(b"null") > [*body.values()].count(None) and _not_finite(body):
        _JSON.encode(body)  # raises ValueError
    return raw.decode()


def _written(body: Mapping[str, Any]) -> tuple[dict[str, Any], bytes | str]:
    """The body as a plain dict, and its JSON: orjson's, its keys checked (NaN still to look for: orjson writes it
    null), or the standard encoder's, checked whole, for what orjson will not write."""
    if type(body) is not dict:  # a plain dict, as nearly every body is, needs neither the check nor the copy
        if not isinstance(body, Mapping):
            raise TypeError(f"body must be a mapping, got {type(body).__name__}")
        body = dict(body)
    try:
        raw = orjson.dumps(body, option=_ORJSON_REFUSES)
    except TypeError:  # what orjson will not write (an int past 64 bits, a key that is no str …): the standard encoder
        _check_keys(body)
        return body, _JSON.encode(body)
    if b'"_' in raw or "id" in body or "pk" in body:  # a key beginning with "_" would be written '"_'
        _check_keys(body)
    return body, raw


def _check_keys(body: dict[Any, Any]) -> None:
    for key in body:
        if not isinstance(key, str):
            raise ValueError(f"body keys must be strings, got {key!r}")
        if key in RESERVED_KEYS or key.startswith("_"):
            raise ValueError(f"body key {key!r} is reserved (id, pk and keys starting with '_')")


def decode_body(text: str) -> dict[str, Any]:
    """A body's text as stored (by stored_body, or an earlier version), as json.loads reads it."""
    if _LONG_NUMBER.search(text) is None:  # orjson would read a number past 64 bits as a float
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:  # NaN, a lone surrogate …: json.loads reads them, or says why not
            pass
    return json.loads(text)


# A number of 19 digits or more may not fit in 64 bits (a false alarm, in a text, only costs json.loads).
_LONG_NUMBER = re.compile(r"[:,\[]\s*-?[0-9]{19}")
# allow_nan=False: NaN/Infinity are not JSON; SQLite's json functions and Cosmos DB reject them. One encoder
# for every body (json.dumps with options builds one per call).
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
# orjson (a tenth of the standard encoder's time, ~9 % of an acknowledgement's instructions) writes the same
# JSON, and leaves to it what the standard encoder refuses (dates, dataclasses) or writes otherwise. UUIDs and
# enums, which orjson writes and the standard encoder refuses, are in no body.
_ORJSON_REFUSES = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _not_finite(value: Any) -> bool:
    """Whether a NaN or an infinity is somewhere in `value`. A call per container only."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, (list, tuple)):
        return False
    for v in value:
        kind = type(v)
        if kind is float:
            if not math.isfinite(v):
                return True
        elif kind not in _FINITE and _not_finite(v):
            return True
    return False


_FINITE = frozenset({str, int, bool, type(None)})  # the plain values that cannot be a NaN or an infinity


def check_equals_value(field: str, value: Any) -> None:
    # Scalars only: equality on objects/arrays is compared differently by the two engines.
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float) and math.isfinite(value):
        return
    raise ValueError(f"equals[{field!r}] must be a string, number, boolean or None, got {value!r}")


def check_at_most(at_most: Any) -> tuple[str, float]:
    field, bound = at_most
    check_identifier(field)
    if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
        raise ValueError(f"at_most bound must be a finite number, got {bound!r}")
    return field, bound


def check_limit(limit: Any) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
    return limit


def check_container(container: Any, known: frozenset[str]) -> str:
    if container not in known:
        raise ValueError(f"unknown container {container!r}; this storage has {sorted(known)}")
    return container
