"""An SMTP server that takes every message and keeps only their count and bytes: the archive for
bench/journal.py, in a process of its own so that it does not share the benchmark's core.

    python -m bench.smtp_sink --port N [--max-seconds 600]

aiosmtpd on 127.0.0.1; on exit (SIGTERM, its parent gone, or --max-seconds) prints
`received <messages> <bytes>`.
"""
from __future__ import annotations

import argparse
import asyncio
import signal

from aiosmtpd.smtp import SMTP, Envelope, Session

from bench.common import HOST, exit_with_parent


class Sink:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages += 1
        self.bytes += len(envelope.original_content or b"")
        return "250 2.0.0 OK: archived"


async def serve(port: int, max_seconds: float) -> None:
    sink, stop = Sink(), asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await loop.create_server(lambda: SMTP(sink, hostname="archive.bench", enable_SMTPUTF8=True), HOST, port)
    try:
        await exit_with_parent(stop, max_seconds)
    finally:
        server.close()
        print(f"received {sink.messages} {sink.bytes}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--max-seconds", type=float, default=600.0)
    args = p.parse_args()
    asyncio.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()
