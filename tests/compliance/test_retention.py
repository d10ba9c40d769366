"""Retention: entries past their sub-organization's period are removed (oldest first, only once the
archive has them), a legal hold keeps a thread whole, and the chain that is left still verifies,
tampering included; on SQLite and on the Cosmos server (the `storage` fixture)."""
from __future__ import annotations

from dataclasses import replace

from core.clock import FakeClock
from core.organizations import Directory
from core.threads import Target, Thread
from services.archive import INTERNAL
from services.jobs import JobQueue
from services.outlets import job_id, partition
from core.storage import RECORDS
from services.record import Recorder, record_key
from services.retention import YEAR_SECONDS, LegalHolds, purge
from services.threads import ThreadStore

T0 = 1_600_000_000.0
GUEST, OTHER = "oGuestRetention000000001", "oGuestRetention000000002"
ONE_YEAR = Directory((replace(Directory.open().sub_organizations[0], retention_years=1),))


async def conversation(storage, clock: FakeClock, thread: str, n: int, every: float) -> Recorder:
    await ThreadStore(storage, clock=clock).save(Thread(openid=thread, target=Target("employee", "a")), None)
    recorder = Recorder(storage, clock)
    for i in range(n):
        await recorder.append(thread, {"kind": "inbound", "text": f"message {i + 1}"})
        clock.advance(every)
    return recorder


async def test_what_is_past_its_period_goes_and_the_rest_still_verifies(storage):
    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)  # 6 entries over 1.5 years
    counted = await purge(storage, ONE_YEAR, clock, apply=False, archived=False)
    assert (counted.threads, counted.removed) == (1, 2) and len(await recorder.entries(GUEST)) == 6  # a dry run

    done = await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    kept = await recorder.entries(GUEST)
    assert done.removed == 2 and [e["seq"] for e in kept] == [3, 4, 5, 6]
    assert (await recorder.verify_thread(GUEST)).first_break is None

    later = Recorder(storage, clock)  # a new process finds where the chain goes on
    assert (await later.append(GUEST, {"kind": "inbound", "text": "after"}))["seq"] == 7
    assert (await later.verify_thread(GUEST)).first_break is None


async def test_tampering_with_what_is_kept_is_still_found(storage):
    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    await storage.delete(RECORDS, GUEST, record_key(3))  # the first entry kept
    found = (await recorder.verify_thread(GUEST)).first_break
    assert (found.seq, found.problem) == (3, "removed")


async def test_a_legal_hold_keeps_the_thread_whole_until_it_is_lifted(storage):
    clock = FakeClock(start=T0)
    held = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    await conversation(storage, clock, OTHER, 3, every=0.5 * YEAR_SECONDS)
    holds = LegalHolds(storage, held, clock)
    await holds.set(GUEST, True, by="Compliance (J. Doe)", reason="SEC inquiry 2026-17")

    result = await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    assert result.held == [GUEST] and len(await held.entries(GUEST)) == 7  # the hold is an entry too
    assert [e["kind"] for e in await held.entries(GUEST)][-1] == "legal_hold"

    await holds.set(GUEST, False, by="Compliance (J. Doe)", reason="inquiry closed")
    assert await holds.get(GUEST) is None
    await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    assert [e["seq"] for e in await held.entries(GUEST)][0] > 1
    assert (await held.verify_thread(GUEST)).first_break is None


async def test_an_entry_the_archive_has_not_taken_is_kept_with_all_after_it(storage):
    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    queue = JobQueue(storage, clock, "test")
    for seq in (1, 2):
        job = await queue.enqueue("archive", job_id("archive", GUEST, seq), {}, pk=partition("archive", GUEST))
        if seq == 1:
            await queue.complete(job)
    result = await purge(storage, ONE_YEAR, clock, apply=True, archived=True)
    assert (result.removed, result.unarchived) == (1, 1)
    assert [e["seq"] for e in await recorder.entries(GUEST)] == [2, 3, 4, 5, 6]


async def test_with_an_archive_an_entry_that_never_got_its_archive_job_is_kept(storage):
    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    result = await purge(storage, ONE_YEAR, clock, apply=True, archived=True)
    assert (result.removed, result.unarchived) == (0, 2)
    assert len(await recorder.entries(GUEST)) == 6


async def test_a_purge_that_stopped_halfway_is_finished_by_the_next(storage):
    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    # What a purge had done when it stopped: the note written, entry 1 removed, entry 2 not yet.
    entries = await recorder.entries(GUEST)
    await storage.upsert("kv", f"retention:{GUEST}", f"retention:{GUEST}", {"seq": 2, "hash": entries[1]["hash"]})
    await storage.delete(RECORDS, GUEST, record_key(1))
    assert [e["seq"] for e in await recorder.entries(GUEST)] == [3, 4, 5, 6]
    assert (await recorder.verify_thread(GUEST)).first_break is None

    await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    assert await storage.get(RECORDS, GUEST, record_key(2)) is None


async def test_an_export_of_a_purged_thread_is_whole(storage, tmp_path):
    from core.journal import JournalSettings
    from services.export import JSONL, write

    clock = FakeClock(start=T0)
    recorder = await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    result = write({GUEST: await recorder.entries(GUEST)}, str(tmp_path / "x"), JSONL,
                   JournalSettings(sender_domain="bank.example", journal_to="j@bank.example"), {}, whole=True,
                   retained_after={GUEST: await recorder.retained_after(GUEST)})
    assert (result.entries, result.breaks) == (4, [])


async def test_the_legal_hold_command_records_the_hold_and_hands_it_to_the_archive(tmp_path):
    import asyncio
    import json
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    from adapters.storage.sqlite import SqliteStorage

    db = tmp_path / "bridge.sqlite3"
    storage = SqliteStorage(str(db))
    await storage.open()
    await conversation(storage, FakeClock(start=T0), GUEST, 2, every=60)
    await storage.close()
    env = {**os.environ, "APP_ENV": "local", "WECHAT_APP_ID": "wx0000000000000001", "WECHAT_APP_SECRET": "s",
           "WECHAT_TOKEN": "token1", "SQLITE_PATH": str(db), "ARCHIVE_SMTP_HOST": "127.0.0.1",
           "ARCHIVE_JOURNAL_TO": "j@archive.example", "ARCHIVE_SENDER_DOMAIN": "bank.example",
           "ARCHIVE_INTERNAL_ENTRIES": "on"}  # a hold is no communication: journaled where internal entries are
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "tools.legal_hold", "--thread", GUEST, "--on", "--by", "J. Doe",
                         "--reason", "SEC inquiry 2026-17"], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "under legal hold" in done.stdout and "SEC inquiry 2026-17" in done.stdout
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT body FROM records WHERE pk = ? ORDER BY id", (GUEST,))
        entries = [json.loads(b) for (b,) in rows]
        jobs = {i: json.loads(b) for i, b in conn.execute("SELECT id, body FROM jobs")}
    assert entries[-1]["kind"] == "legal_hold" and entries[-1]["on"] is True
    archive_job = jobs[job_id("archive", GUEST, entries[-1]["seq"], INTERNAL)]
    assert archive_job["status"] == "pending"  # for the app's workers to deliver


async def test_the_finished_jobs_past_the_period_go_too(storage):
    clock = FakeClock(start=T0)
    queue = JobQueue(storage, clock, "test")
    old_done = await queue.enqueue("wechat_inbound", "msg:1", {"message": {"content": "old words"}}, pk=GUEST)
    await queue.complete(old_done)
    archived = await queue.enqueue("archive", job_id("archive", GUEST, 1), {"entry": {}},
                                   pk=partition("archive", GUEST))
    await queue.complete(archived)
    await queue.enqueue("archive", job_id("archive", GUEST, 2), {"entry": {}},
                        pk=partition("archive", GUEST))  # not yet
    await conversation(storage, clock, GUEST, 6, every=0.25 * YEAR_SECONDS)
    recent = await queue.enqueue("wechat_inbound", "msg:9", {"message": {"content": "new words"}}, pk=GUEST)
    await queue.complete(recent)

    result = await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    assert result.jobs_removed == 2
    assert await queue.get(GUEST, "msg:1") is None and await queue.get(GUEST, "msg:9") is not None
    assert await queue.get(partition("archive", GUEST), job_id("archive", GUEST, 2)) is not None  # unfinished: kept


async def test_media_go_with_the_last_entry_that_names_them(storage, tmp_path):
    from adapters.media.files import FileMediaStore
    from tests.media.streams import chunked

    media = FileMediaStore(tmp_path / "media")
    only_old, shared, new = [(await media.put(chunked(data), content_type="image/jpeg", max_bytes=100)).key
                             for data in (b"an old picture", b"a picture sent twice", b"a new picture")]
    clock = FakeClock(start=T0)
    await ThreadStore(storage, clock=clock).save(Thread(openid=GUEST, target=Target("employee", "a")), None)
    recorder = Recorder(storage, clock)
    await recorder.append(GUEST, {"kind": "inbound", "msg_type": "image", "media_key": only_old})
    await recorder.append(GUEST, {"kind": "inbound", "media": [{"field": "MediaId", "key": shared}]})
    clock.advance(1.5 * YEAR_SECONDS)
    await recorder.append(GUEST, {"kind": "inbound", "media": [{"key": new}]})
    await conversation(storage, clock, OTHER, 1, every=60)
    await Recorder(storage, clock).append(OTHER, {"kind": "inbound", "media": [{"key": shared}]})

    counted = await purge(storage, ONE_YEAR, clock, apply=False, archived=False, media=media)
    assert counted.media_removed == 1 and await media.exists(only_old)  # a dry run
    done = await purge(storage, ONE_YEAR, clock, apply=True, archived=False, media=media)
    assert (done.removed, done.media_removed) == (2, 1)
    assert [await media.exists(k) for k in (only_old, shared, new)] == [False, True, True]


async def test_the_ends_of_messages_dlp_kept_go_once_their_window_has_passed(storage):
    from core.dlp import OUTBOUND, DlpPolicy, Rule
    from services.dlp_tails import WINDOW_SECONDS, DlpTails

    clock = FakeClock(start=T0)
    tails, cards = DlpTails(storage, clock), DlpPolicy((Rule("cards", "both", "block", detector="card"),))
    await tails.evaluate(cards, "card 4111 1111", OUTBOUND, thread=GUEST, sender="a", message_id="m1")
    clock.advance(WINDOW_SECONDS / 2)
    await tails.evaluate(cards, "hello", OUTBOUND, thread=OTHER, sender="a", message_id="m2")
    clock.advance(WINDOW_SECONDS / 2 + 1)

    assert (await purge(storage, ONE_YEAR, clock, apply=False, archived=False)).tails_removed == 1
    done = await purge(storage, ONE_YEAR, clock, apply=True, archived=False)
    left = [item.id for item in await storage.query("kv") if item.id.startswith("dlp_tail:")]
    assert done.tails_removed == 1 and left == [f"dlp_tail:{OTHER}:outbound:a"]


class ReadsCounted:
    """The storage, with the record entries its queries returned counted."""

    def __init__(self, storage) -> None:
        self._storage = storage
        self.entries_read = 0

    def __getattr__(self, name):
        return getattr(self._storage, name)

    async def query(self, container, **options):
        items = await self._storage.query(container, **options)
        self.entries_read += len(items) if container == RECORDS else 0
        return items


async def test_a_purge_reads_only_the_threads_with_an_entry_past_the_shortest_period(storage):
    clock = FakeClock(start=T0)
    await conversation(storage, clock, GUEST, 2, every=0.75 * YEAR_SECONDS)  # its first entry is past 1 year
    await conversation(storage, clock, OTHER, 40, every=60)  # all recent: nothing of it is read
    counted = ReadsCounted(storage)
    done = await purge(counted, ONE_YEAR, clock, apply=True, archived=False)
    assert (done.threads, done.removed) == (1, 1)
    assert counted.entries_read == 1 + 2  # the entry past the period, then GUEST's chain: not OTHER's 40
    assert len(await Recorder(storage, clock).entries(OTHER)) == 40
