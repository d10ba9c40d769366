"""What the command-line tools share: UTC days as arguments, and the storage the app is configured with."""
from __future__ import annotations

import argparse
import contextlib
from datetime import datetime, timezone
from typing import AsyncIterator

from adapters.storage import open_storage
from config import Settings, load_settings
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
    storage = open_storage(settings.storage, sqlite_path=settings.sqlite_path, cosmos_endpoint=settings.cosmos_endpoint,
                           cosmos_key=settings.cosmos_key, cosmos_database=settings.cosmos_database)
    await storage.open()
    try:
        yield storage
    finally:
        await storage.close()
