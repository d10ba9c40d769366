"""`python worker.py`: an instance that runs jobs and timers but serves no HTTP.

Beside `python app.py` instances started with WORKER=off, which only acknowledge (persist the push,
answer WeChat) and serve Teams: the jobs they persist are due at once in the shared storage, and a
worker takes them on its next look (WORKER_POLL_MS). The acknowledgements then keep a core of
their own however much delivery there is to do. Same configuration as app.py; each worker needs an
INSTANCE_ID of its own in its environment (the default, `<host>:worker:<pid>`, is one, but a restarted
worker then takes over its unfinished jobs only when their lease runs out, not at once).
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import socket

from app import running, settings_for_process
from core.clock import SystemClock

log = logging.getLogger("bridge.worker")


async def serve(settings) -> None:
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    async with running(settings, SystemClock()):
        log.info("worker %s running jobs (polling every %.2fs)", settings.instance_id, settings.worker_poll_seconds)
        await stop.wait()
    log.info("worker %s stopped", settings.instance_id)


def main() -> None:
    settings = settings_for_process()
    # Not the web instance's default (host:port), which a worker on the same host would share, nor
    # one two workers on a host would share: a restarted worker would take over a live one's jobs.
    instance_id = os.environ.get("INSTANCE_ID") or f"{socket.gethostname()}:worker:{os.getpid()}"
    asyncio.run(serve(dataclasses.replace(settings, run_jobs=True, instance_id=instance_id)))


if __name__ == "__main__":
    main()
