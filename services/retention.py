"""Retention: the compliance record is kept for its sub-organization's retention period, then
removed, unless the thread is under legal hold.

A purge removes the oldest entries of a thread's chain, up to the last one past its period that
the archive has taken (an entry still on its way to the archive is kept, and so is everything
after it). Before removing anything it notes, in `kv`, the last entry it removes and that entry's
hash: the chain goes on from there, so verification still finds an entry altered, removed or
reordered among those kept (services/record.py), and a purge that stops halfway is finished by
the next one.

The thread's finished jobs from before the same cutoff go too: they carry what was said as well
(the push, the text, an outlet's copy of an entry). So do the media the removed entries name (a guest's
picture, a voice note), unless something kept names them too: the store is content-addressed, so the
same picture sent in two conversations is one medium.

A legal hold (per thread, with who set it and why) stops every purge of that thread until it is
lifted; setting and lifting it are entries of the thread's record themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.clock import Clock
from core.media_store import MediaStore, named_keys
from core.organizations import Directory
from core.storage import CONVERSATIONS, JOBS, KV, RECORDS, THREADS, NotFound, Storage
from services import outlets
from services.dlp_tails import TAIL_PREFIX
from services.dlp_tails import WINDOW_SECONDS as TAIL_WINDOW_SECONDS
from services.job_kinds import ARCHIVE, OUTLETS
from services.jobs import DONE, FAILED
from services.record import Recorder, record_key, retention_key
from services.threads import ThreadStore

YEAR_SECONDS = 365.25 * 86_400


def hold_key(thread: str) -> str:
    return f"legal_hold:{thread}"


class LegalHolds:
    def __init__(self, storage: Storage, recorder: Recorder, clock: Clock) -> None:
        self.storage = storage
        self.recorder = recorder
        self.clock = clock

    async def get(self, thread: str) -> dict[str, Any] | None:
        """The hold on `thread` (by, reason, at), or None."""
        item = await self.storage.get(KV, hold_key(thread), hold_key(thread))
        return item.body if item is not None and item.body.get("on") else None

    async def set(self, thread: str, on: bool, *, by: str, reason: str) -> None:
        """Place or lift a hold; recorded in the thread's chain first, so it is never silent."""
        await self.recorder.append(thread, {"kind": "legal_hold", "on": on, "by": by, "reason": reason})
        await self.storage.upsert(KV, hold_key(thread), hold_key(thread),
                                  {"on": on, "by": by, "reason": reason, "at": self.clock.now()})


@dataclass
class Purged:
    threads: int = 0  # threads with entries past their period
    removed: int = 0
    held: list[str] = field(default_factory=list)  # threads kept whole for a legal hold
    unarchived: int = 0  # entries past their period kept because the archive has not taken them
    jobs_removed: int = 0  # finished jobs past the period (they carry what was said too)
    media_removed: int = 0  # media only removed entries named
    tails_removed: int = 0  # ends of messages DLP kept for the next one (services/dlp_tails.py), past their window


async def purge(storage: Storage, directory: Directory, clock: Clock, *, apply: bool, archived: bool,
                media: MediaStore | None = None) -> Purged:
    """Remove what is past its retention (`apply`), or only count it. `archived`: an archive is
    configured, so an entry without a finished archive job is not removed. `media`: the media store,
    whose media only removed entries name are removed too."""
    recorder, threads = Recorder(storage, clock), ThreadStore(storage, clock=clock)
    holds = LegalHolds(storage, recorder, clock)
    result = Purged()
    removed: list[dict[str, Any]] = []  # entries removed (or, counting, that would be)
    subs = {s.id: s for s in directory.sub_organizations}
    # Only threads with an entry past the shortest period can have anything to remove (a purge that stopped
    # halfway left entries older still): read those entries' threads, not the whole record.
    shortest = min(s.retention_years for s in directory.sub_organizations)
    past = await storage.query(RECORDS, at_most=("at", clock.now() - shortest * YEAR_SECONDS))
    for thread in sorted({item.pk for item in past}):
        found = await threads.get(thread)
        # A thread, or its sub-organization, gone: the longest period of all.
        years = subs[found[0].sub_org].retention_years if found and found[0].sub_org in subs else max(
            s.retention_years for s in directory.sub_organizations)
        cutoff = clock.now() - years * YEAR_SECONDS
        stored = sorted(await storage.query(RECORDS, pk=thread), key=lambda i: i.id)
        after = await recorder.retained_after(thread)
        leftover = [i.body for i in stored if after is not None and i.id <= record_key(after[0])]
        entries = [i.body for i in stored if after is None or i.id > record_key(after[0])]
        if leftover and apply:  # a purge that stopped halfway: finish it
            result.removed += len(leftover)
            removed += leftover
            await _remove(storage, thread, leftover, note=False)
        expired = [e for e in entries if e.get("at", 0) < cutoff]
        if not expired:
            continue
        result.threads += 1
        if await holds.get(thread) is not None:
            result.held.append(thread)
            continue
        removable = []
        for entry in entries:  # a prefix of the chain: the oldest, each past its period and archived
            if entry.get("at", 0) >= cutoff:
                break
            job = await storage.get(JOBS, outlets.partition(ARCHIVE, thread),
                                    outlets.job_id(ARCHIVE, thread, entry["seq"]))
            if (job is None and archived) or (job is not None and job.body.get("status") != "done"):
                result.unarchived += sum(1 for e in expired if e["seq"] >= entry["seq"])
                break
            removable.append(entry)
        result.removed += len(removable)
        removed += removable
        if apply and removable:
            await _remove(storage, thread, removable)
        if apply:
            result.jobs_removed += await _remove_finished_jobs(storage, thread, cutoff)
    if media is not None:
        result.media_removed = await _remove_media(storage, media, removed, apply=apply)
    result.tails_removed = await _remove_stale_tails(storage, clock.now(), apply=apply)
    return result


async def _remove_stale_tails(storage: Storage, now: float, *, apply: bool) -> int:
    """The ends of messages DLP keeps to find what is split over a sender's next one: words of a message
    outside the record, of no use once their window has passed, so they do not wait for the thread's purge."""
    stale = [item for item in await storage.query(KV, at_most=("at", now - TAIL_WINDOW_SECONDS))
             if item.id.startswith(TAIL_PREFIX)]
    for item in stale if apply else ():
        try:
            await storage.delete(KV, item.pk, item.id)
        except NotFound:
            pass
    return len(stale)


async def _remove_media(storage: Storage, media: MediaStore, removed: list[dict[str, Any]], *, apply: bool) -> int:
    """The media the removed entries name that nothing kept names (an entry, a job, a thread or its
    conversation: a queued message, another guest's same picture). Counting, the entries that would be
    removed are still there: they are left out by their hash."""
    candidates = set().union(*(named_keys(entry) for entry in removed))
    if not candidates:
        return 0
    gone = {entry["hash"] for entry in removed}
    for container in (RECORDS, JOBS, THREADS, CONVERSATIONS):
        for item in await storage.query(container):
            if container != RECORDS or item.body.get("hash") not in gone:
                candidates -= named_keys(item.body)
    if apply:
        return sum([await media.delete(key) for key in sorted(candidates)])
    return sum([await media.exists(key) for key in sorted(candidates)])


async def _remove_finished_jobs(storage: Storage, thread: str, cutoff: float) -> int:
    """The thread's finished jobs from before `cutoff`: they hold what was said too (the push, the
    text, an outlet's copy of an entry). Unfinished ones stay: an entry not yet archived is kept."""
    removed = 0
    for pk in (thread, *(outlets.partition(kind, thread) for kind in OUTLETS)):
        for item in await storage.query(JOBS, pk=pk, at_most=("created_at", cutoff)):
            if item.body.get("status") in (DONE, FAILED):
                try:
                    await storage.delete(JOBS, item.pk, item.id)
                    removed += 1
                except NotFound:
                    pass
    return removed


async def _remove(storage: Storage, thread: str, entries: list[dict[str, Any]], *, note: bool = True) -> None:
    last = entries[-1]
    # First where the chain goes on from, then the entries, oldest first: a purge that stops
    # halfway leaves a chain that still verifies, and the next purge removes the rest.
    if note:
        await storage.upsert(KV, retention_key(thread), retention_key(thread),
                             {"seq": last["seq"], "hash": last["hash"]})
    for entry in entries:
        try:
            await storage.delete(RECORDS, thread, record_key(entry["seq"]))
        except NotFound:
            pass
