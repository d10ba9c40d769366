"""The compliance archive: every record entry journaled to the archive by SMTP, at least once, as
an outlet of the record (services/outlets.py: durable jobs, waiting out an archive that is down).
The job builds the entry's message (core/journal.py: a stable Message-ID, so the archive recognises
a resend; a media entry's originals attached, services/journal_media.py) and sends it;
`reconciliation` counts what the archive took against what was recorded."""
from __future__ import annotations

from typing import Any, Mapping

from core.clock import Clock
from core.journal import JournalSettings, message_id
from core.mail_relay import JournalArchive, SmtpRejected, SmtpUnavailable
from core.reconcile import Reconciliation, reconcile
from core.storage import Storage
from services.journal_media import JournalMedia
from services.media_check import MediaAltered, MediaUnavailable
from services.jobs import CONTAINER as JOBS
from services.jobs import Worker
from services.job_kinds import ARCHIVE
from services.outlets import Outlet
from services.record import Recorder
from services.threads import ThreadStore


def archive_outlet(*, worker: Worker, threads: ThreadStore, journal: JournalSettings, archive: JournalArchive,
                   clock: Clock, alert_to: str | None = None, media: JournalMedia | None = None) -> Outlet:
    """`alert_to`: where compliance is alerted of what a DLP flag rule found (the same message).
    `media`: where a media entry's originals are read from, to go with it (services/journal_media.py)."""
    media = media or JournalMedia(None, None, clock)

    async def deliver(entry: Mapping[str, Any]) -> dict[str, Any]:
        flagged = any(f.get("action") == "flag" for f in (entry.get("dlp") or {}).get("findings", ()))
        journaled = await media.journaled(entry, journal, await party_names(threads, entry["thread"]))
        await archive.deliver(journaled.message, also_to=[alert_to] if flagged and alert_to else [],
                              data=journaled.data)
        return {"message_id": message_id(entry, journal), **({"alerted": alert_to} if flagged and alert_to else {}),
                **({"media": journaled.media} if journaled.media else {})}

    # The media store down is waited for as the archive is: nothing goes without its media.
    return Outlet(ARCHIVE, worker=worker, clock=clock, deliver=deliver, unavailable=(SmtpUnavailable, MediaUnavailable),
                  rejected=(SmtpRejected, MediaAltered))


async def party_names(threads: ThreadStore, openid: str) -> dict[str, str]:
    """Display names for a thread's messages: the guest's nickname, the employees' names."""
    found = await threads.get(openid)
    if found is None:
        return {}
    thread, _ = found
    names = {p.aad: p.name for p in thread.participants if p.name}
    if thread.nickname:
        names[openid] = thread.nickname
    return names


async def reconciliation(storage: Storage, recorder: Recorder, start: float, end: float) -> Reconciliation:
    """Recorded against archived for the entries recorded in [start, end) (see core/reconcile.py)."""
    entries = [{**entry, "thread": thread} for thread, chain in (await recorder.entries_between(start, end)).items()
               for entry in chain]
    jobs = {}
    for item in await storage.query(JOBS, equals={"kind": ARCHIVE}):
        entry = item.body["payload"]["entry"]
        jobs[(entry["thread"], entry["seq"])] = item.body
    return reconcile(entries, jobs)
