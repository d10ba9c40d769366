"""Export the compliance record for e-discovery:

    python -m tools.export --thread <openid> | --contact <name> | --from 2026-11-01 --to 2026-11-30
                           [--format eml|jsonl] --out <folder>

EML: one RFC 5322 message per communication, as the archive receives them (`<folder>/<openid>/<seq>.<n>.eml`),
and each entry that holds none as itself, marked internal (`<seq>.eml`); an entry recorded before its
communication was kept (WeChat's answer without the message it answers): named in `<folder>/not-derived.txt`;
JSON Lines: `<folder>/records.jsonl`, one entry per line as stored (its hash checkable with
core.record.entry_hash). The media the entries name: `<folder>/media/<SHA-256>`, read from the media
store (MEDIA_STORE) and checked against the key. Each thread's hash chain is verified on the way:
exit 0 when every chain is whole and every medium is there as recorded, 1 when one is not (named;
the export is written all the same), 2 on a usage or configuration error. Reads the storage the app
is configured with; the EML addresses use ARCHIVE_SENDER_DOMAIN (or --sender-domain)."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys

from config import ConfigError, load_settings
from core.clock import SystemClock
from core.journal import JournalError, JournalSettings
from services.archive import party_names
from services.export import EML, JSONL, UNDERIVED_FILE, export_media, select, threads_of_contact, write
from services.record import Recorder
from services.threads import ThreadStore
from tools._cli import DAY_SECONDS, configured_media, configured_storage, day


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.export", description=__doc__.split("\n")[0])
    p.add_argument("--thread", help="a WeChat contact's openid: their whole record")
    p.add_argument("--contact", help="a guest's name: the whole record of every thread with that nickname")
    p.add_argument("--from", dest="start", type=day, help="first day (UTC), YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=day, help="last day (UTC), YYYY-MM-DD, included")
    p.add_argument("--format", choices=(EML, JSONL), default=EML)
    p.add_argument("--out", required=True, help="the folder to write into (created)")
    p.add_argument("--sender-domain", help="the domain of the EML addresses (default: ARCHIVE_SENDER_DOMAIN)")
    args = p.parse_args(argv)
    ranges = (args.start is not None) + (args.end is not None)
    if sum(map(bool, (args.thread, args.contact, ranges))) != 1 or ranges == 1:
        p.error("give one of --thread, --contact, or --from with --to")
    return args


async def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        settings = load_settings()
        domain = args.sender_domain or (
            settings.archive.journal.sender_domain if settings.archive else "export.invalid")
        journal = settings.archive.journal if settings.archive and not args.sender_domain else \
            JournalSettings(sender_domain=domain, journal_to=f"export@{domain}")  # the archive's Message-IDs, where set
        async with configured_storage(settings) as storage, configured_media(settings) as media:
            recorder, threads = Recorder(storage, SystemClock()), ThreadStore(storage, clock=SystemClock())
            contact = await threads_of_contact(threads, args.contact) if args.contact else []
            if args.contact and not contact:
                print(f"no thread has a guest named {args.contact!r}", file=sys.stderr)
                return 2
            selected = await select(recorder, thread=args.thread, threads=contact, start=args.start,
                                    end=None if args.end is None else args.end + DAY_SECONDS)
            names = {t: await party_names(threads, t) for t in selected}
            retained = {t: await recorder.retained_after(t) for t in selected}
            copied = await export_media(media, selected, args.out)
    except (ConfigError, JournalError) as exc:
        print(exc, file=sys.stderr)
        return 2
    result = await asyncio.to_thread(write, selected, args.out, args.format, journal, names,
                                     whole=args.start is None, retained_after=retained,
                                     exported_media=copied.sound)
    print(f"exported {result.entries} entries ({result.communications} communications) of {result.threads} "
          f"thread(s) to {os.path.abspath(args.out)} "
          f"({len(result.files)} file(s), {args.format}; {len(copied.sound)} media file(s))")
    if result.underived:
        print(f"{len(result.underived)} entr{'y' if len(result.underived) == 1 else 'ies'} recorded before their "
              f"communication was kept: exported as themselves, named in {UNDERIVED_FILE}")
    for broken in result.breaks:
        print(f"BROKEN: {broken}")
    for problem in copied.problems:
        print(f"MEDIA: {problem}")
    return 1 if result.breaks or copied.problems else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
