"""How well the routing assistant finds the employee a guest asks for, on a labelled set.

    python -m tools.routing_eval [--people FILE] [--utterances FILE] [--errors]

`--people`: an employee directory (CSV or JSON, core/people.py); `--utterances`: a CSV with
`text,expected,language,kind`, where `expected` is the aad the text designates, several joined by
`|` when it fits each of them equally (the assistant must ask which), or empty when nobody fits
(it must ask who). Defaults: the set in eval/routing/.

Prints, over the utterances that designate someone, the top-1 accuracy (the best-ranked person is
the one, or one of those, meant); over all, the rate of wrong connections (connected to anyone
but the one person meant) and of clarifying questions; then the same by kind and language.
Exits with 1 when top-1 accuracy < 90 % or wrong connections > 1 % (the targets).
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from adapters import cedict
from core.config_error import ConfigError
from core.people import people_from_text
from core.person_match import CONNECT, PeopleIndex, verdict

HERE = Path(__file__).resolve().parent.parent / "eval" / "routing"
TARGET_TOP1, TARGET_WRONG = 0.90, 0.01


@dataclass
class Outcome:
    text: str
    expected: frozenset[str]
    language: str
    kind: str
    verdict: str
    ranked: tuple[str, ...]  # aads, best first
    chosen: tuple[str, ...]  # whom the assistant connects to or offers

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.expected

    @property
    def wrong(self) -> bool:
        return self.verdict == CONNECT and (len(self.expected) != 1 or self.chosen[0] not in self.expected)

    @property
    def asked(self) -> bool:
        return self.verdict != CONNECT


def load_index(path: Path, region: str = "CN", dictionary: bool = True) -> PeopleIndex:
    """The directory's index (with CC-CEDICT, as the app has it, unless not `dictionary`); what it left out (a
    phone that is not a number) said on stderr."""
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    left_out: list[str] = []
    people = people_from_text(path.read_text(encoding="utf-8"), fmt, path.name, region, left_out)
    for warning in left_out:
        print(f"left out: {warning}", file=sys.stderr)
    return PeopleIndex(people, region, glossary=cedict.glossary() if dictionary else None)


def evaluate(index: PeopleIndex, utterances: Path) -> list[Outcome]:
    outcomes = []
    with utterances.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ranked = index.rank(row["text"])
            v = verdict(ranked)
            outcomes.append(Outcome(
                text=row["text"], expected=frozenset(a for a in (row.get("expected") or "").split("|") if a),
                language=row.get("language") or "", kind=row.get("kind") or "", verdict=v.kind,
                ranked=tuple(c.person.aad for c in ranked), chosen=tuple(c.person.aad for c in v.candidates)))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    named = [o for o in outcomes if o.expected]
    return {"n": len(outcomes), "named": len(named),
            "top1": sum(o.top1 for o in named) / len(named) if named else 0.0,
            "wrong": sum(o.wrong for o in outcomes) / len(outcomes) if outcomes else 0.0,
            "asked": sum(o.asked for o in outcomes) / len(outcomes) if outcomes else 0.0}


def report(outcomes: list[Outcome], errors: bool, out=None) -> dict[str, float]:
    out = sys.stdout if out is None else out  # the stdout of now, not of the import (redirected, captured)
    s = summary(outcomes)
    print(f"utterances: {s['n']} ({s['named']} designate someone)", file=out)
    print(f"top-1 accuracy:     {s['top1']:.1%}  (target >= {TARGET_TOP1:.0%})", file=out)
    print(f"wrong connections:  {s['wrong']:.1%}  (target <= {TARGET_WRONG:.0%})", file=out)
    print(f"clarifying asked:   {s['asked']:.1%}", file=out)
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[f"kind {o.kind}"].append(o)
        groups[f"language {o.language}"].append(o)
    print(f"\n{'':24} {'n':>4} {'top-1':>7} {'wrong':>6} {'asked':>6}", file=out)
    for name in sorted(groups):
        g = summary(groups[name])
        top1 = f"{g['top1']:.0%}" if g["named"] else "-"
        print(f"{name:24} {g['n']:>4} {top1:>7} {g['wrong']:>6.0%} {g['asked']:>6.0%}", file=out)
    if errors:
        print("\nmisses (top-1 wrong, or connected wrongly):", file=out)
        for o in outcomes:
            if (o.expected and not o.top1) or o.wrong:
                print(f"  [{o.kind}] {o.text!r}: {o.verdict} {list(o.chosen[:3])}, ranked {list(o.ranked[:3])}, "
                      f"expected {sorted(o.expected)}", file=out)
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.routing_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=Path, default=HERE / "people.csv")
    parser.add_argument("--utterances", type=Path, default=HERE / "utterances.csv")
    parser.add_argument("--region", default="CN", help="how phone numbers without a country code are read")
    parser.add_argument("--errors", action="store_true", help="list what it got wrong")
    parser.add_argument("--no-dictionary", action="store_true", help="without CC-CEDICT (words as words, the bridge)")
    args = parser.parse_args(argv)
    try:
        outcomes = evaluate(load_index(args.people, args.region, not args.no_dictionary), args.utterances)
    except (OSError, ConfigError, KeyError) as exc:  # KeyError: an utterances file without `text`
        print(f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else exc, file=sys.stderr)
        return 2
    s = report(outcomes, args.errors)
    return 0 if s["top1"] >= TARGET_TOP1 and s["wrong"] <= TARGET_WRONG else 1


if __name__ == "__main__":
    sys.exit(main())
