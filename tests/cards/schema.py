"""Validates Adaptive Cards against the official Adaptive Card 1.5 JSON schema, as Teams receives them.

The schema file is `tests/cards/schemas/adaptive-card-1.5.json`, Microsoft's published file kept in the
repository (its README says where it came from and its licence). It is used as published (draft-06), with:

- exactly one allowance: Teams' `msteams` key at the card's root (`{"width": "Full"}`, mentions),
  itself checked against the small schema below. The published root has `additionalProperties:
  false` and no `msteams`, and the same `AdaptiveCard` definition also describes the cards nested in
  `Action.ShowCard`, so the allowance is made by taking the key off the root card before validating
  — never by editing the schema, which would also let `msteams` into nested cards.
- three tightenings, none a loosening:
  1. the root must say `"type": "AdaptiveCard"` and carry a string `version` from 1.0 to 1.5 (the
     published schema requires neither: its root is `anyOf: [AdaptiveCard]` with no `required`, and
     its own text says `version` "*is* required for the top-level card");
  2. case-insensitive enum patterns are anchored: the published ones read `^(a)|(b)|…|(z)$`, so
     `^`/`$` bind to the first and last alternative only and e.g. `"weight": "Lighterr"` or
     `"size": "not small at all"` would pass;
  3. a card must survive a JSON round trip unchanged (plain dicts, lists, strings, numbers).
"""
from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft6Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_PATH = SCHEMA_DIR / "adaptive-card-1.5.json"
DRAFT_06 = "http://json-schema.org/draft-06/schema#"
TEAMS_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")  # Teams renders cards up to 1.5

# Teams' extension of the card root: full-width cards and @mention entities.
MSTEAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "width": {"enum": ["Full"]},
        "entities": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["type", "text", "mentioned"],
            "properties": {
                "type": {"enum": ["mention"]},
                "text": {"type": "string"},
                "mentioned": {"type": "object", "additionalProperties": False, "required": ["id", "name"],
                              "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}},
    },
}


class SchemaMissing(RuntimeError):
    pass


class InvalidCard(AssertionError):
    pass


def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """The published schema, checked to be the one these tests assume."""
    if not path.is_file():
        raise SchemaMissing(
            f"Adaptive Card schema not found at {path}: it is part of the repository (tests/cards/schemas/); "
            f"the card tests cannot run without it.")
    schema = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    if schema.get("$schema") != DRAFT_06:
        problems.append(f"$schema is {schema.get('$schema')!r}, expected draft-06")
    root = schema.get("definitions", {}).get("AdaptiveCard", {})
    if root.get("additionalProperties") is not False:
        problems.append("definitions.AdaptiveCard no longer has additionalProperties: false")
    if "msteams" in root.get("properties", {}):
        problems.append("definitions.AdaptiveCard now defines msteams: revisit the allowance in tests/cards/schema.py")
    if problems:
        raise SchemaMissing(f"{path} is not the schema these tests were written for: " + "; ".join(problems))
    return schema


_LOOSE_ENUM = re.compile(r"^\^(\(.*\))\$$")


def _anchor_enum_patterns(node: Any) -> Any:
    """`^(a)|(b)$` → `^(?:(a)|(b))$` wherever a pattern sits beside an enum in an anyOf."""
    if isinstance(node, dict):
        if "anyOf" in node and any("enum" in branch for branch in node["anyOf"] if isinstance(branch, dict)):
            for branch in node["anyOf"]:
                match = _LOOSE_ENUM.match(branch.get("pattern", "")) if isinstance(branch, dict) else None
                if match:
                    branch["pattern"] = f"^(?:{match[1]})$"
        for value in node.values():
            _anchor_enum_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _anchor_enum_patterns(value)
    return node


@functools.cache
def card_validator(path: Path = SCHEMA_PATH) -> Draft6Validator:
    schema = _anchor_enum_patterns(copy.deepcopy(load_schema(path)))
    cls = validator_for(schema)
    if cls is not Draft6Validator:  # chosen by the file's own $schema, so a mismatch is a changed file
        raise SchemaMissing(f"{path}: jsonschema picked {cls.__name__}, expected Draft6Validator")
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@functools.cache
def _msteams_validator() -> Draft6Validator:
    Draft6Validator.check_schema(MSTEAMS_SCHEMA)
    return Draft6Validator(MSTEAMS_SCHEMA)


def _where(error: ValidationError) -> str:
    return "/" + "/".join(str(part) for part in error.absolute_path)


def _explain(error: ValidationError) -> list[ValidationError]:
    """The errors that say what is wrong. The schema picks an element's definition by `anyOf` over all
    element types, so a bad TextBlock first reads "not valid under any of the given schemas"; descend
    into the branch whose `type` matched (if one did) and report its errors instead."""
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    matching = [subs for subs in branches.values()
                if not any(s.validator == "enum" and list(s.relative_path) == ["type"] for s in subs)]
    if len(matching) != 1:  # no element type matched (unknown type), or several: the anyOf error is the news
        return [error]
    return [deeper for sub in matching[0] for deeper in _explain(sub)]


def card_errors(card: Any, *, path: Path = SCHEMA_PATH) -> list[str]:
    """Everything wrong with `card` as a Teams Adaptive Card; empty when it is valid."""
    try:
        round_trip = json.loads(json.dumps(card, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        return [f"not JSON-serialisable: {exc}"]
    if round_trip != card:
        return ["changes in a JSON round trip (tuples, non-string keys …): send plain lists and dicts"]
    if not isinstance(round_trip, dict):
        return [f"a card is a JSON object, not {type(round_trip).__name__}"]
    errors = []
    if round_trip.get("type") != "AdaptiveCard":
        errors.append(f"/type: {round_trip.get('type')!r}, must be 'AdaptiveCard'")
    if "version" not in round_trip:
        errors.append("/version: missing (required on the top-level card)")
    elif isinstance(round_trip["version"], str) and round_trip["version"] not in TEAMS_VERSIONS:
        errors.append(f"/version: {round_trip['version']!r}, Teams renders {', '.join(TEAMS_VERSIONS)}")
    if "msteams" in round_trip:
        for error in _msteams_validator().iter_errors(round_trip.pop("msteams")):
            errors.append(f"/msteams{_where(error)}: {error.message}")
    validator = card_validator(path)
    for error in sorted(validator.iter_errors(round_trip), key=lambda e: list(map(str, e.absolute_path))):
        errors.extend(f"{_where(e)}: {e.message}" for e in _explain(error))
    return list(dict.fromkeys(errors))


def assert_valid_card(card: Any, *, name: str = "card") -> None:
    errors = card_errors(card)
    if errors:
        shown = "\n  ".join(errors[:12])
        raise InvalidCard(f"{name} is not a valid Teams Adaptive Card 1.5:\n  {shown}")


def element_dicts(card: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in a card that the schema describes (not action `data`, not `msteams`), with its path."""
    def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            yield where, node
            for key, value in node.items():
                if key in ("data", "msteams"):
                    continue
                yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}/{index}")
    yield from walk(card, "")
