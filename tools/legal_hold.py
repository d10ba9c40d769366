"""Place or lift a legal hold on a thread: `python -m tools.legal_hold --thread <openid> --on
--by "<who>" --reason "<matter>"` (or `--off`). While it holds, no retention purge touches the
thread. Placing and lifting are recorded in the thread's own chain (and go to the archive and the
CRMs like every entry). Without --on/--off, prints
the thread's hold. Exits 0, or 2 on a usage or configuration error."""
from __future__ import annotations

import argparse
import asyncio
import sys

import aiohttp

from config import ConfigError, load_settings
from core.clock import SystemClock
from services.retention import LegalHolds
from tools._cli import configured_storage, recording


async def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.legal_hold", description=__doc__.split("\n")[0])
    p.add_argument("--thread", required=True, help="the WeChat contact's openid")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--on", action="store_true", help="place a hold")
    change.add_argument("--off", action="store_true", help="lift the hold")
    p.add_argument("--by", help="who places or lifts it (required with --on/--off)")
    p.add_argument("--reason", help="the matter or why it is lifted (required with --on/--off)")
    args = p.parse_args(argv)
    if (args.on or args.off) and not (args.by and args.reason):
        p.error("--by and --reason are required to place or lift a hold")
    try:
        settings = load_settings()
        async with configured_storage(settings) as storage, aiohttp.ClientSession() as session:
            clock = SystemClock()
            holds = LegalHolds(storage, recording(settings, storage, session), clock)
            if args.on or args.off:
                await holds.set(args.thread, args.on, by=args.by, reason=args.reason)
            hold = await holds.get(args.thread)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"thread {args.thread}: " + (f"under legal hold since {hold['at']:.0f}, by {hold['by']}: {hold['reason']}"
                                        if hold else "no legal hold"))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
