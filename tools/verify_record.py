"""Verify the compliance record's hash chains: `python -m tools.verify_record --thread <openid>` or
`--from 2026-11-01 --to 2026-11-22` (UTC days, the end day included). Reads the storage the app is
configured with (the same environment and .env). Prints what it checked, or the first entry that was
altered, removed or reordered; exits 1 when one was found, 2 on a usage or configuration error."""
from __future__ import annotations

import argparse
import asyncio
import sys

from config import ConfigError
from core.clock import SystemClock
from services.record import Recorder, Verified
from tools._cli import DAY_SECONDS, configured_storage, day


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.verify_record", description=__doc__.split("\n")[0])
    p.add_argument("--thread", help="a WeChat contact's openid: their whole record")
    p.add_argument("--from", dest="start", type=day, help="first day (UTC), YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=day, help="last day (UTC), YYYY-MM-DD, included")
    args = p.parse_args(argv)
    if bool(args.thread) == bool(args.start is not None or args.end is not None):
        p.error("give either --thread, or --from and --to")
    if args.thread is None and (args.start is None or args.end is None):
        p.error("--from and --to go together")
    return args


async def run(args: argparse.Namespace, storage) -> Verified:
    recorder = Recorder(storage, SystemClock())
    if args.thread:
        return await recorder.verify_thread(args.thread)
    return await recorder.verify_range(args.start, args.end + DAY_SECONDS)


def report(result: Verified) -> str:
    checked = f"{result.entries} entries in {result.threads} thread(s)"
    if result.first_break is None:
        return f"ok: {checked}, every chain whole"
    return f"BROKEN: {result.first_break} (checked {checked})"


async def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        async with configured_storage() as storage:
            result = await run(args, storage)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(report(result))
    return 0 if result.first_break is None else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
