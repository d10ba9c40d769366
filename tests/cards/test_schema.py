"""Every card the bot sends is a valid Teams Adaptive Card 1.5 — and this test can fail.

First the validator is shown to reject invalid cards (so a passing builder means something); then
every builder in `cards/` is validated with several view variants each; then every object in every
built card is mutated to show the schema really checks it (no part of a card slips through an open
definition).
"""
from __future__ import annotations

import copy
import hashlib
import importlib
import inspect
import json
import math
import pkgutil
import re
from pathlib import Path

import pytest
from jsonschema import Draft6Validator

import cards
from tests.cards.samples import SAMPLES, all_samples
from tests.cards.schema import (DRAFT_06, SCHEMA_DIR, SCHEMA_PATH, SchemaMissing, assert_valid_card, card_errors,
                                card_validator, element_dicts, load_schema)

MINIMAL = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
           "version": "1.5", "body": [{"type": "TextBlock", "text": "Hello"}]}


def with_(**changes):
    return {**copy.deepcopy(MINIMAL), **changes}


def body(*elements):
    return with_(body=list(elements))


# ------------------------------------------------------------------------------------------------
# The schema file
# ------------------------------------------------------------------------------------------------

# schemas/1.5.0/adaptive-card.json
PUBLISHED_SHA256 = "32c91fb285180a266a55b3475dd0396e63fe079311714d3a14963b41f5e17920"


def test_schema_file_is_in_the_repo_and_is_the_published_draft06_schema():
    repo = Path(__file__).resolve().parents[2]
    assert SCHEMA_DIR.is_relative_to(repo)  # a fresh clone has nothing beside it
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == PUBLISHED_SHA256
    schema = load_schema()
    assert schema["$schema"] == DRAFT_06
    assert schema["anyOf"] == [{"allOf": [{"$ref": "#/definitions/AdaptiveCard"}]}]
    root = schema["definitions"]["AdaptiveCard"]
    assert root["additionalProperties"] is False and "msteams" not in root["properties"]
    assert "required" not in root  # hence our own check of type and version
    assert isinstance(card_validator(), Draft6Validator)


def test_a_missing_schema_fails_clearly(tmp_path):
    with pytest.raises(SchemaMissing, match="Adaptive Card schema not found at .*part of the repository"):
        load_schema(tmp_path / "adaptive-card-1.5.json")


def test_a_different_schema_file_fails_clearly(tmp_path):
    other = tmp_path / "adaptive-card-1.5.json"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["definitions"]["AdaptiveCard"]["additionalProperties"] = True
    other.write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(SchemaMissing, match="draft-06.*additionalProperties"):
        load_schema(other)


# ------------------------------------------------------------------------------------------------
# The validator rejects invalid cards
# ------------------------------------------------------------------------------------------------

def test_a_minimal_card_is_valid():
    assert card_errors(MINIMAL) == []


# Rejected by the published schema itself (checked with a bare validator too, below).
SCHEMA_REJECTS = {
    "unknown element type": (body({"type": "Frobnicator", "text": "x"}), "/body/0"),
    "element without type": (body({"text": "x"}), "/body/0"),
    "version as a number": (with_(version=1.5), "/version: 1.5 is not of type 'string'"),
    "unknown root key": (with_(colour="red"), "'colour' was unexpected"),
    "TextBlock without text": (body({"type": "TextBlock", "wrap": True}), "'text' is a required property"),
    "unknown TextBlock property": (body({"type": "TextBlock", "text": "x", "markdown": False}),
                                   "'markdown' was unexpected"),
    "wrong property type": (body({"type": "TextBlock", "text": "x", "wrap": "yes"}), "'yes' is not of type 'boolean'"),
    "bad enum value": (body({"type": "TextBlock", "text": "x", "weight": "heavy"}), "/body/0/weight"),
    "unknown action type": (with_(actions=[{"type": "Action.Http", "title": "x"}]), "/actions/0"),
    "unknown Action.Submit property": (with_(actions=[{"type": "Action.Submit", "title": "x", "verb": "v"}]),
                                       "'verb' was unexpected"),
    "TextRun with markdown flag": (body({"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "x",
                                                                               "markdown": True}]}), "/body/0"),
    "Column with unknown property": (body({"type": "ColumnSet", "columns": [{"type": "Column", "items": [],
                                                                            "grow": 1}]}), "'grow' was unexpected"),
    "body not a list": (with_(body={"type": "TextBlock", "text": "x"}), "is not of type 'array'"),
}


@pytest.mark.parametrize("case", SCHEMA_REJECTS, ids=str)
def test_the_schema_rejects(case):
    card, expected = SCHEMA_REJECTS[case]
    errors = card_errors(card)
    assert errors, f"{case}: accepted"
    assert any(expected in error for error in errors), errors
    with pytest.raises(AssertionError, match="not a valid Teams Adaptive Card 1.5"):
        assert_valid_card(card)
    # the published schema alone (no allowance, no tightening) rejects it too
    bare = Draft6Validator(load_schema())
    assert not bare.is_valid(card)


def test_the_bare_schema_accepts_what_we_add_checks_for():
    """Why the helper adds checks: the published schema accepts these."""
    bare = Draft6Validator(load_schema())
    assert bare.is_valid({})                                       # no type, no version
    assert bare.is_valid({"type": "AdaptiveCard", "version": "7.0"})
    assert bare.is_valid(body({"type": "TextBlock", "text": "x", "weight": "Lighterr"}))  # unanchored enum pattern
    assert bare.is_valid(body({"type": "TextBlock", "text": "x", "size": "not small at all"}))


TIGHTENED = {
    "no type": ({"version": "1.5", "body": []}, "/type"),
    "wrong type": (with_(type="HeroCard"), "/type"),
    "no version": ({"type": "AdaptiveCard", "body": []}, "/version: missing"),
    "version Teams cannot render": (with_(version="1.6"), "Teams renders"),
    "misspelt enum": (body({"type": "TextBlock", "text": "x", "weight": "Lighterr"}), "/body/0/weight"),
    "enum with extra words": (body({"type": "TextBlock", "text": "x", "size": "not small at all"}), "/body/0/size"),
    "a tuple for a list": (with_(body=({"type": "TextBlock", "text": "x"},)), "JSON round trip"),
    "not JSON": (with_(body=[{"type": "TextBlock", "text": {1, 2}}]), "not JSON-serialisable"),
    "NaN": (body({"type": "TextBlock", "text": "x", "maxLines": math.nan}), "not JSON-serialisable"),
    "not an object": ([MINIMAL], "JSON object"),
}


@pytest.mark.parametrize("case", TIGHTENED, ids=str)
def test_the_helper_also_rejects(case):
    card, expected = TIGHTENED[case]
    errors = card_errors(card)
    assert any(expected in error for error in errors), errors


def test_case_insensitive_enum_values_stay_valid():
    for weight in ("bolder", "Bolder", "BOLDER", "default", "Lighter"):
        assert card_errors(body({"type": "TextBlock", "text": "x", "weight": weight})) == [], weight


# ------------------------------------------------------------------------------------------------
# The one allowance: msteams at the root
# ------------------------------------------------------------------------------------------------

def test_msteams_is_allowed_at_the_root_only():
    full_width = with_(msteams={"width": "Full"})
    bare = Draft6Validator(load_schema())
    assert bare.is_valid(MINIMAL) and not bare.is_valid(full_width)  # the published schema refuses it
    assert card_errors(full_width) == []                                       # the one allowance
    mention = {"type": "mention", "text": "<at>Amy</at>", "mentioned": {"id": "29:1", "name": "Amy"}}
    assert card_errors(with_(msteams={"entities": [mention]})) == []


MSTEAMS_REJECTS = {
    "unknown msteams key": with_(msteams={"width": "Full", "height": "Full"}),
    "unknown width": with_(msteams={"width": "Half"}),
    "msteams not an object": with_(msteams="Full"),
    "bad mention": with_(msteams={"entities": [{"type": "mention", "text": "x"}]}),
    "msteams on an element": body({"type": "TextBlock", "text": "x", "msteams": {"width": "Full"}}),
    "msteams in a ShowCard card": with_(actions=[{"type": "Action.ShowCard", "title": "More", "card": {
        "type": "AdaptiveCard", "body": [], "msteams": {"width": "Full"}}}]),
}


@pytest.mark.parametrize("case", MSTEAMS_REJECTS, ids=str)
def test_msteams_allowance_is_narrow(case):
    assert card_errors(MSTEAMS_REJECTS[case]), f"{case}: accepted"


# ------------------------------------------------------------------------------------------------
# Every builder, every variant
# ------------------------------------------------------------------------------------------------

def discovered_builders() -> set[str]:
    """Public functions named *_card defined in any module of the `cards` package."""
    found = set()
    for module_info in pkgutil.iter_modules(cards.__path__):
        module = importlib.import_module(f"cards.{module_info.name}")
        for name, value in vars(module).items():
            if name.endswith("_card") and inspect.isfunction(value) and value.__module__ == module.__name__:
                found.add(f"{module.__name__}:{name}")
    return found


def test_every_builder_has_samples():
    builders = discovered_builders()
    assert len(builders) >= 6
    assert builders == set(SAMPLES), (f"builders without samples: {sorted(builders - set(SAMPLES))}; "
                                      f"samples of no builder: {sorted(set(SAMPLES) - builders)}")
    for name, variants in SAMPLES.items():
        assert len(variants) >= 2, name


@pytest.mark.parametrize("name,make", all_samples(), ids=[name for name, _ in all_samples()])
def test_builder_output_is_valid(name, make):
    built = make()
    assert_valid_card(built, name=name)
    assert built["version"] == "1.5"
    assert len(json.dumps(built, ensure_ascii=False).encode("utf-16-le")) < 100_000  # Teams' message limit


def shape(path: str, node: dict) -> tuple[str, object]:
    """Where an object sits, indices blurred, and its type: the fifth queued message, built like the
    first, has the same shape and is not mutated again (validating a card costs up to ~0.1 s)."""
    return re.sub(r"/\d+", "/*", path), node.get("type")


@pytest.mark.parametrize("builder", SAMPLES)
def test_every_object_in_a_built_card_is_checked(builder):
    """An unexpected property on any object of a built card makes the card invalid: the schema reaches
    every element, column, inline, fact and action the builders produce (only action `data` is free).
    All variants of the builder, each distinct shape once."""
    seen: set[tuple[str, object]] = set()
    for variant, make in SAMPLES[builder].items():
        built = make()
        for path, node in element_dicts(built):
            if shape(path, node) in seen:
                continue
            seen.add(shape(path, node))
            mutated = copy.deepcopy(built)
            dict(element_dicts(mutated))[path]["unexpectedProperty"] = True
            errors = card_errors(mutated)
            assert errors, f"{builder} [{variant}]: an unexpected property at {path or '/'} was accepted"
            assert any("'unexpectedProperty' was unexpected" in e or e.startswith(f"{path or '/'}:")
                       for e in errors), errors
    assert len(seen) >= 4
