"""The routing assistant's matcher: how long building the index and ranking one guest message take,
as the directory grows.

    python -m bench.routing [--sizes 65,1000,5000] [--utterances 100]

Then the slowest of a few long messages (3,000 characters of one shape: a run of one letter, of one
character, of a word and its possessive …) against the smallest directory: what a guest who writes to stall
the matcher gets (a backtracking pattern would make one of them take seconds), beside the longest ordinary
message's time.

The directory is eval/routing/people.csv copied (new ids, the same names: namesakes galore, the
hardest case for ranking) up to each size, read with CC-CEDICT as the app reads (adapters/cedict.py); the
messages are eval/routing/utterances.csv. Both run
in a thread off the event loop in the app (services/routing.py, adapters/directory_files.py).
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import time

from adapters import cedict
from adapters.directory_files import keep_out_of_full_collections
from core.person_match import PeopleIndex
from tools.routing_eval import HERE, load_index


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.routing")
    parser.add_argument("--sizes", default="65,1000,5000")
    parser.add_argument("--utterances", type=int, default=100)
    args = parser.parse_args()
    base = [e.person for e in load_index(HERE / "people.csv", dictionary=False).entries]
    glossary = cedict.glossary()  # as the app reads with it (once per process: not timed)
    texts = [row["text"] for row in csv.DictReader((HERE / "utterances.csv").open(encoding="utf-8"))]
    texts = texts[:args.utterances]
    print(f"{'people':>7} {'build s':>8} {'rank p50 ms':>12} {'rank p99 ms':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        people = [dataclasses.replace(base[i % len(base)], aad=f"{i:08d}-bench") for i in range(size)]
        started = time.perf_counter()
        index = PeopleIndex(people, glossary=glossary)
        built = time.perf_counter() - started
        keep_out_of_full_collections()  # as the app's directory does once its indexes are built
        took = []
        for text in texts:
            started = time.perf_counter()
            index.rank(text)
            took.append((time.perf_counter() - started) * 1000)
        took.sort()
        p99 = took[min(len(took) - 1, int(len(took) * 0.99))]
        print(f"{size:>7} {built:>8.2f} {statistics.median(took):>12.2f} {p99:>12.2f}")
    smallest = PeopleIndex(base, glossary=glossary)
    slowest = long_messages(smallest)
    longest = max(texts, key=len)
    started = time.perf_counter()
    smallest.rank(longest)
    ordinary = (time.perf_counter() - started) * 1000
    print(f"3,000-character messages of one shape, {len(base)} people: slowest {slowest[0][0]:.1f} ms "
          f"({slowest[0][1]!r} repeated), median {statistics.median(t for t, _ in slowest):.1f} ms; "
          f"the longest ordinary message ({len(longest)} characters) {ordinary:.1f} ms")


# Messages of one shape, 3,000 characters: each would take a pattern that backtracks over a run quadratic time.
LONG_SHAPES = ("a", "a1", "a.b", "ab-", "1 ", "陈", "的", "叫我搵", "ｗ", "a's ", "not a ", "不是", "zhang ", "mr ",
               "😀")


def long_messages(index: PeopleIndex) -> list[tuple[float, str]]:
    """(ms, shape) for each long message, slowest first."""
    took = []
    for shape in LONG_SHAPES:
        text = (shape * (3000 // len(shape) + 1))[:3000]
        started = time.perf_counter()
        index.rank(text)
        took.append(((time.perf_counter() - started) * 1000, shape))
    return sorted(took, reverse=True)


if __name__ == "__main__":
    main()
