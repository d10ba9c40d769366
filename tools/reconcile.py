"""The archive's reconciliation report: `python -m tools.reconcile --from 2026-11-01 --to 2026-11-30`
(UTC days, the end day included). For each day, the communications the record holds (one journal message
each: core/journal/communication.py) and how many of them the compliance archive took; then every one it
has not (a gap), with where its delivery stands. Reads
the storage the app is configured with. Exits 0 when recorded = archived, 1 when there are gaps,
2 on a usage or configuration error. `--json` prints the same as JSON."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

from config import ConfigError
from core.clock import SystemClock
from core.reconcile import render
from services.archive import reconciliation
from services.record import Recorder
from tools._cli import DAY_SECONDS, configured_storage, day


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.reconcile", description=__doc__.split("\n")[0])
    p.add_argument("--from", dest="start", type=day, required=True, help="first day (UTC), YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=day, required=True, help="last day (UTC), YYYY-MM-DD, included")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args(argv)
    if args.end < args.start:
        p.error("--to is before --from")
    return args


async def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        async with configured_storage() as storage:
            result = await reconciliation(storage, Recorder(storage, SystemClock()), args.start, args.end + DAY_SECONDS)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), indent=2) if args.json else render(result))
    return 0 if result.complete else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
