"""Verify the compliance record's hash chains: `python -m tools.verify_record --thread <openid>` or
`--from 2026-11-01 --to 2026-11-22` (UTC days, the end day included). Reads the storage the app is
configured with (the same environment and .env). Prints what it checked, or the first entry that was
altered, removed or reordered; and every medium an entry names that the media store (MEDIA_STORE) no
longer holds as recorded (missing, or bytes whose SHA-256 is not the key). Exits 1 when one was found,
2 on a usage or configuration error."""
from __future__ import annotations

import argparse
import asyncio
import sys

from config import ConfigError, load_settings
from core.clock import SystemClock
from core.media_store import MediaStore
from services.media_check import MediaChecked, check_media
from services.record import Recorder, Verified
from tools._cli import DAY_SECONDS, configured_media, configured_storage, day


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


async def run(args: argparse.Namespace, storage, media: MediaStore) -> tuple[Verified, MediaChecked]:
    recorder = Recorder(storage, SystemClock())
    if args.thread:
        chains = await recorder.verify_thread(args.thread)
        return chains, await check_media(media, {args.thread: await recorder.entries(args.thread)})
    start, end = args.start, args.end + DAY_SECONDS
    return await recorder.verify_range(start, end), await check_media(media, await recorder.entries_between(start, end))


def report(result: Verified, media: MediaChecked | None = None) -> str:
    checked = f"{result.entries} entries in {result.threads} thread(s)"
    lines = [f"ok: {checked}, every chain whole" if result.first_break is None
             else f"BROKEN: {result.first_break} (checked {checked})"]
    if media is not None and media.media:
        lines += [f"MEDIA: {problem}" for problem in media.problems] or [
            f"ok: {media.media} media in the store as recorded (SHA-256)"]
    return "\n".join(lines)


async def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        settings = load_settings()
        async with configured_storage(settings) as storage, configured_media(settings) as media:
            result, checked = await run(args, storage, media)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(report(result, checked))
    return 0 if result.first_break is None and not checked.problems else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
