"""What the command-line tools share: UTC days as arguments, and the storage the app is configured with."""
from __future__ import annotations

import argparse
import contextlib
from datetime import datetime, timezone
from typing import Any, AsyncIterator

from adapters.media import configured_media_store
from adapters.storage import configured_storage as configured_storage_backend
from config import Settings, load_settings
from core.media_store import MediaStore
from core.storage import Storage

DAY_SECONDS = 86_400


def day(text: str) -> float:
    """A YYYY-MM-DD argument as the UTC midnight it starts at."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


@contextlib.asynccontextmanager
async def configured_storage(settings: Settings | None = None) -> AsyncIterator[Storage]:
    """The app's storage (same environment and .env), open; ConfigError if the configuration is not."""
    settings = settings or load_settings()
    storage = configured_storage_backend(settings)
    await storage.open()
    try:
        yield storage
    finally:
        await storage.close()


@contextlib.asynccontextmanager
async def configured_media(settings: Settings) -> AsyncIterator[MediaStore]:
    """The app's media store (MEDIA_STORE …), open."""
    store = configured_media_store(settings.media, settings.azure_client_id)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def recording(settings: Settings, storage: Storage, session: Any) -> Any:
    """A Recorder whose entries go where the app's go (the archive, the CRMs): as jobs left due in
    storage for the app's workers, so an entry a tool makes is delivered like any other."""
    from configured import record_ports
    from core.clock import SystemClock
    from services.jobs import JobQueue
    from services.worker import Worker
    from services.record import Recorder
    from services.threads import ThreadStore
    from services.wiring import record_outlets

    clock = SystemClock()
    worker = Worker(JobQueue(storage, clock, f"tool:{settings.instance_id}"), runs_jobs=False)
    outlets = record_outlets(worker=worker, threads=ThreadStore(storage, clock=clock), storage=storage, clock=clock,
                             **record_ports(settings, session, storage, clock))
    return Recorder(storage, clock, outlets=[outlet.enqueue for outlet in outlets])
