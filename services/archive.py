"""The compliance archive: every communication the record holds journaled to the archive by SMTP, one
message each, at least once, as an outlet of the record (services/outlets.py: durable jobs, one per
communication, waiting out an archive that is down).

Each entry's communications are derived from it (core/journal/communication.py: who wrote what to whom,
as delivered); each job builds its communication's message (a stable Message-ID, so the archive
recognises a resend; a guest's media attached, services/journal_media.py) and sends it. Entries that
hold none go too, each whole and marked internal, where `JournalSettings.internal_entries` says so.
`reconciliation` counts what the archive took against the communications recorded."""
from __future__ import annotations

from typing import Any, Mapping

from core.clock import Clock
from core.journal import JournalSettings, message_id
from core.journal.communication import communications
from core.journal.communication_message import (communication_boundary, communication_eml, communication_id,
                                                internal_eml)
from core.journal.media import boundary
from core.mail_relay import JournalArchive, SmtpRejected, SmtpUnavailable
from core.media_record import media_refs, originals
from core.reconcile import Reconciliation, reconcile
from core.storage import Storage
from services.journal_media import Journaled, JournalMedia
from services.media_check import MediaAltered, MediaUnavailable
from services.jobs import CONTAINER as JOBS
from services.worker import Worker
from services.job_kinds import ARCHIVE
from services.outlets import Outlet
from services.record import Recorder
from services.threads import ThreadStore

INTERNAL = -1  # the part of an entry that holds no communication: the entry itself, marked internal


def journal_parts(entry: Mapping[str, Any], journal: JournalSettings) -> list[int]:
    """What the archive gets of an entry: one part per communication, or the entry itself if configured."""
    count = len(communications(entry))
    return list(range(count)) if count else [INTERNAL] if journal.internal_entries else []


def archive_outlet(*, worker: Worker, threads: ThreadStore, journal: JournalSettings, archive: JournalArchive,
                   clock: Clock, alert_to: str | None = None, media: JournalMedia | None = None) -> Outlet:
    """`alert_to`: where compliance is alerted of what a DLP flag rule found (the same message).
    `media`: where a guest's media are read from, to go with their message (services/journal_media.py)."""
    media = media or JournalMedia(None, None, clock)

    async def deliver(entry: Mapping[str, Any], part: int | None) -> dict[str, Any]:
        names = await party_names(threads, entry["thread"])
        flagged = any(f.get("action") == "flag" for f in (entry.get("dlp") or {}).get("findings", ()))
        if part is None or part == INTERNAL:  # the entry whole (a job from before communications: unmarked)
            journaled, ident = await _whole(media, entry, journal, names, marked=part == INTERNAL), \
                message_id(entry, journal)
        else:
            c = communications(entry, names)[part]
            flagged = flagged and bool(c.rules)
            journaled = await media.built(
                entry, (originals(entry) or media_refs(entry)) if c.media else (),  # an employee's: as sent
                lambda notes: communication_eml(c, entry, journal, names=names, media=notes), communication_boundary(c))
            ident = communication_id(c, journal)
        await archive.deliver(journaled.message, also_to=[alert_to] if flagged and alert_to else [],
                              data=journaled.data)
        return {"message_id": ident, **({"alerted": alert_to} if flagged and alert_to else {}),
                **({"media": journaled.media} if journaled.media else {})}

    # The media store down is waited for as the archive is: nothing goes without its media.
    return Outlet(ARCHIVE, worker=worker, clock=clock, deliver=deliver, unavailable=(SmtpUnavailable, MediaUnavailable),
                  rejected=(SmtpRejected, MediaAltered), parts=lambda entry: journal_parts(entry, journal))


async def _whole(media: JournalMedia, entry: Mapping[str, Any], journal: JournalSettings, names: Mapping[str, str],
                 *, marked: bool) -> Journaled:
    if not marked:
        return await media.journaled(entry, journal, names)
    return await media.built(entry, originals(entry), lambda notes: internal_eml(entry, journal, names, notes),
                             boundary(entry["hash"]))


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
    """The communications recorded in [start, end) against those archived (see core/reconcile.py)."""
    recorded = [{"thread": thread, "seq": entry["seq"], "at": entry["at"], "part": c.index}
                for thread, chain in (await recorder.entries_between(start, end)).items()
                for entry in chain for c in communications({**entry, "thread": thread})]
    jobs = {}
    for item in await storage.query(JOBS, equals={"kind": ARCHIVE}):
        entry = item.body["payload"]["entry"]
        jobs[(entry["thread"], entry["seq"], item.body["payload"].get("part"))] = item.body
    return reconcile(recorded, jobs)
