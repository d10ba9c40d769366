"""The compliance archive: every record entry journaled to the archive by SMTP, at least once.

Each entry the recorder appends becomes a durable job (`archive:<thread>:<seq>`, so handing the
same entry over again adds nothing) carrying the entry as stored. The job builds the entry's
message (core/journal.py: a stable Message-ID, so the archive recognises a resend) and sends it.
An archive that is down or deferring is waited for, not counted as the entry's failure: the
service stops calling it for a while (doubling up to MAX_PAUSE_SECONDS), every archive job due
meanwhile is put back until then without a connection attempt, and the first delivery that goes
through again makes all of them due at once. A job waits at most the queue's max_wait_seconds
(7 days), then fails, which the reconciliation report lists. An archive that refuses a message
for good fails its job at once, with the reason.

Archive jobs have partitions of their own (`archive:<thread>`): one thread's entries go in order,
and a slow archive never holds up the thread's messages.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

from adapters.archive.smtp import ArchiveRejected, ArchiveUnavailable, SmtpArchive
from core.clock import Clock
from core.journal import JournalSettings, eml, message_id
from core.reconcile import Reconciliation, reconcile
from core.storage import Storage
from services.jobs import CONTAINER as JOBS
from services.jobs import Job, PermanentError, RetryLater, Worker
from services.record import Recorder
from services.threads import ThreadStore

log = logging.getLogger(__name__)

KIND = "archive"
WAITING = "archive"  # what the jobs wait for while the archive is unavailable (JobQueue.wake)
FIRST_PAUSE_SECONDS = 5.0
MAX_PAUSE_SECONDS = 900.0


def job_id(thread: str, seq: int) -> str:
    return f"archive:{thread}:{seq}"


class ArchiveService:
    def __init__(self, *, worker: Worker, threads: ThreadStore, journal: JournalSettings, archive: SmtpArchive,
                 clock: Clock) -> None:
        self.worker = worker
        self.threads = threads
        self.journal = journal
        self.archive = archive
        self.clock = clock
        self._pause = 0.0  # seconds: how long the last unavailability pauses calls to the archive
        self._paused_until = 0.0

    async def enqueue(self, entry: Mapping[str, Any]) -> None:
        """The recorder's outlet: journal this entry (once, whoever hands it over how often)."""
        await self.worker.enqueue(KIND, job_id(entry["thread"], entry["seq"]), {"entry": dict(entry)},
                                  pk=f"archive:{entry['thread']}")

    async def handle(self, job: Job) -> dict[str, Any]:
        entry = job.payload["entry"]
        now = self.clock.now()
        if now < self._paused_until:
            raise RetryLater("the archive is unavailable; waiting for it", self._paused_until - now, waiting_for=WAITING)
        message = eml(entry, self.journal, names=await party_names(self.threads, entry["thread"]))
        try:
            await self.archive.deliver(message)
        except ArchiveUnavailable as exc:
            self._pause = min(MAX_PAUSE_SECONDS, max(FIRST_PAUSE_SECONDS, 2 * self._pause))
            self._paused_until = now + self._pause
            raise RetryLater(str(exc), self._pause, waiting_for=WAITING) from exc
        except ArchiveRejected as exc:
            raise PermanentError(str(exc)) from exc
        if self._pause:  # back after an outage: what waited for it goes now
            self._pause = self._paused_until = 0.0
            await self.worker.queue.wake(WAITING)
        return {"message_id": message_id(entry, self.journal)}

    def register(self) -> None:
        self.worker.register(KIND, self.handle)



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
    for item in await storage.query(JOBS, equals={"kind": KIND}):
        entry = item.body["payload"]["entry"]
        jobs[(entry["thread"], entry["seq"])] = item.body
    return reconcile(entries, jobs)
