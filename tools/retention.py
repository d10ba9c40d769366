"""Apply the retention periods: `python -m tools.retention` counts what is past its sub-organization's
retention_years (organizations file; 7 without one) and what a legal hold or the archive keeps;
`--apply` removes it (see services/retention.py). Reads the storage and the organizations the app is
configured with. Exits 0, or 2 on a configuration error."""
from __future__ import annotations

import argparse
import asyncio
import sys

from config import ConfigError, load_settings
from core.clock import SystemClock
from services.retention import purge
from tools._cli import configured_media, configured_storage


async def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.retention", description=__doc__.split("\n")[0])
    p.add_argument("--apply", action="store_true", help="remove what is past its period (default: only count it)")
    args = p.parse_args(argv)
    try:
        settings = load_settings()
        async with configured_storage(settings) as storage, configured_media(settings) as media:
            result = await purge(storage, settings.directory, SystemClock(), apply=args.apply,
                                 archived=settings.archive is not None, media=media)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    verb = "removed" if args.apply else "past their retention (run with --apply to remove them)"
    print(f"{result.removed} entries of {result.threads} thread(s) {verb}; "
          f"{result.jobs_removed} finished jobs removed; {result.media_removed} media {verb.split(' (')[0]}; "
          f"{result.tails_removed} ends of messages kept for DLP past their window {verb.split(' (')[0]}; "
          f"{len(result.held)} thread(s) under legal hold kept whole; "
          f"{result.unarchived} entries kept until the archive has them")
    for thread in result.held:
        print(f"HELD: {thread}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
