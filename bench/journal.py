"""The archive journal's throughput: record entries made into journal messages, one per communication
(core/journal/communication.py), and delivered by SMTP to a local archive.

    python -m bench.journal [--guests 200] [--json out.json]

Two phases, in one process beside an SMTP sink in its own (bench/smtp_sink.py):

1. **build** — per communication, its derivation from the sealed entry and its message's bytes
   (`communications` + `communication_eml(...).as_bytes()`), timed one by one (no I/O).
2. **deliver** — each guest's conversation appended to the record (SQLite, hash-chained) as the app does:
   the guest's message with the welcome and the employees' notice, WeChat's answer to the welcome, an
   employee's message and WeChat's answer to it, a message DLP blocked with the employees' notice: five
   entries, six communications. The recorder hands each entry to the archive outlet, which enqueues a job
   per communication; the worker (16 at a time, in order per guest) builds and sends each over its own SMTP
   connection. Timed from the first append to the last job done; the sink's count checks that every
   communication arrived once.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from adapters.archive.smtp import SmtpArchive
from adapters.storage.sqlite import SqliteStorage
from bench.common import free_port, own_cpu_seconds, python_child, run_and_exit, summary_ms
from core.clock import SystemClock
from core.journal import JournalSettings
from core.journal.communication import communications
from core.journal.communication_message import communication_eml
from core.journal.message import POLICY
from core.record import GENESIS, chained
from services.archive import archive_outlet
from services.job_kinds import ARCHIVE
from services.jobs import CONTAINER as JOBS
from services.jobs import JobQueue
from services.worker import Worker
from services.record import Recorder
from services.threads import ThreadStore

JOURNAL = JournalSettings(sender_domain="bank.example", journal_to="journal@archive.bench")
ALICE, BOB = "a11ce000-0000-4000-8000-000000000001", "b0b00000-0000-4000-8000-000000000002"
WELCOME = "感谢您！现在可以开始给您的联系人发消息了。" * 4
NAMES = {ALICE: "Alice Wong", BOB: "Bob Li"}


def conversation(guest: int) -> list[dict[str, Any]]:
    """One guest's five entries (six communications), as the app records them."""
    def decision(what: dict[str, Any], decided: list[dict[str, Any]] | None = None, **more: Any) -> dict[str, Any]:
        return {"kind": "decision", "participants": [ALICE, BOB], "what": what, "decided": decided or [],
                "event": f"e:{guest}:{what['type']}:{what.get('message_id', '')}", **more}

    text = f"Guest {guest}: please rebalance my portfolio towards bonds, 请帮我调整投资组合。"
    reply = f"teams:c:{guest}:1"
    return [
        decision({"type": "guest_message", "text": text}, [
            {"type": "send_to_guest", "message_id": "notice:welcome_guest:1", "kind": "system",
             "notice": "welcome_guest", "text": WELCOME},
            {"type": "notify_employees", "notice": "welcome_employee", "text": "You can send 4 messages.",
             "params": {}}], push={"msg_type": "text", "msg_id": str(10**17 + guest), "content": text}),
        decision({"type": "we_chat_answer", "message_id": "notice:welcome_guest:1", "errcode": 0},
                 message={"message_id": "notice:welcome_guest:1", "kind": "system", "notice": "welcome_guest",
                          "text": WELCOME}),
        decision({"type": "employee_message", "message_id": reply, "text": "Noted, I will send a proposal.",
                  "author": "Alice Wong"}),
        decision({"type": "we_chat_answer", "message_id": reply, "errcode": 0},
                 message={"message_id": reply, "kind": "employee", "author": "Alice Wong",
                          "text": "Alice Wong: Noted, I will send a proposal."}),
        decision({"type": "blocked", "message_id": f"{reply}:2", "reasons": {"en": "a promise"}, "cause": "dlp"},
                 [{"type": "receipt", "message_id": f"{reply}:2", "outcome": "refused", "reason": "dlp",
                   "notice": "dlp_blocked", "text": "Your message was not sent."}],
                 dlp={"action": "block", "rules": ["promises"], "original": "A guaranteed return!", "delivered": None},
                 message={"message_id": f"{reply}:2", "kind": "employee", "author": "Bob Li", "by": BOB,
                          "text": "A guaranteed return!"}),
    ]


def build_phase(guests: int) -> dict[str, Any]:
    sealed = []
    for guest in range(guests):
        prev = GENESIS
        for seq, fields in enumerate(conversation(guest), start=1):
            entry = chained({"at": 1_790_000_000.0 + seq, **fields}, thread=f"oBenchGuest{guest:016d}", seq=seq,
                            prev=prev)
            sealed.append(entry)
            prev = entry["hash"]
    spent, size = [], 0
    for entry in sealed:
        t0 = time.perf_counter()
        for c in communications(entry, NAMES):
            size += len(communication_eml(c, entry, JOURNAL, names=NAMES).as_bytes(policy=POLICY))
        spent.append(time.perf_counter() - t0)
    count = sum(len(communications(e)) for e in sealed)
    return {"entries": len(sealed), "communications": count, "per_entry_ms": summary_ms(spent),
            "per_communication_us": 1e6 * sum(spent) / count, "mean_bytes": size // count}


async def deliver_phase(guests: int, workdir: Path) -> dict[str, Any]:
    port = free_port()
    sink = python_child("smtp_sink", ["-m", "bench.smtp_sink", "--port", str(port)], port=port,
                        log_path=workdir / "sink.log")
    storage = SqliteStorage(str(workdir / "bench.sqlite3"))
    await storage.open()
    sink.start()
    try:
        await sink.wait_listening()
        clock = SystemClock()
        worker = Worker(JobQueue(storage, clock, "bench"), concurrency=16)
        archive = SmtpArchive.for_journal(JOURNAL, "127.0.0.1", port, starttls=False)
        outlet = archive_outlet(worker=worker, threads=ThreadStore(storage, clock=clock), journal=JOURNAL,
                                archive=archive, clock=clock)
        worker.register(ARCHIVE, outlet.handle)
        recorder = Recorder(storage, clock, outlets=[outlet.enqueue])
        expected = guests * sum(len(communications({**f, "thread": "t", "seq": 1, "hash": "0" * 64, "at": 0}))
                                for f in conversation(0))

        async def one(guest: int) -> None:
            for fields in conversation(guest):
                await recorder.append(f"oBenchGuest{guest:016d}", fields)

        cpu0, t0 = own_cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(one(g) for g in range(guests)))
        recorded = time.perf_counter() - t0
        await worker.drain()
        while sum(1 for j in await storage.query(JOBS, equals={"kind": ARCHIVE}) if j.body["status"] == "done") \
                < expected and time.perf_counter() - t0 < 600:
            await worker.sweep()
            await worker.drain()
        wall, cpu = time.perf_counter() - t0, own_cpu_seconds() - cpu0
        done = sum(1 for j in await storage.query(JOBS, equals={"kind": ARCHIVE}) if j.body["status"] == "done")
    finally:
        sink.stop()
        await storage.close()
    received = next((line.split() for line in sink.log_path.read_text().splitlines() if line.startswith("received")),
                    ["received", "nan", "nan"])
    return {"guests": guests, "communications": expected, "jobs_done": done, "archive_received": int(received[1]),
            "seconds": wall, "recording_seconds": recorded, "per_second": expected / wall,
            "bench_cpu_seconds": cpu, "cpu_ms_per_communication": 1000 * cpu / expected}


async def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--guests", type=int, default=200)
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    built = build_phase(args.guests)
    print(f"build: {built['communications']} communications from {built['entries']} entries, "
          f"{built['per_communication_us']:.0f} us each (mean {built['mean_bytes']} bytes); per entry "
          f"p50 {built['per_entry_ms']['p50']:.2f} ms, p99 {built['per_entry_ms']['p99']:.2f} ms")
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as tmp:
        sent = await deliver_phase(args.guests, Path(tmp))
    print(f"deliver: {sent['communications']} communications of {sent['guests']} guests recorded and journaled "
          f"in {sent['seconds']:.1f} s ({sent['per_second']:.0f}/s; "
          f"recording alone {sent['recording_seconds']:.1f} s); "
          f"{sent['jobs_done']} jobs done, the archive took {sent['archive_received']}; "
          f"{sent['cpu_ms_per_communication']:.2f} ms CPU each in this process")
    if args.json:
        args.json.write_text(json.dumps({"build": built, "deliver": sent}, indent=2))
    return 0 if sent["archive_received"] == sent["communications"] == sent["jobs_done"] else 1


if __name__ == "__main__":
    run_and_exit(main())
