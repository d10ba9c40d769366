"""Reading an outside service's HTTP answer, for every adapter that calls one (CRMs, SMS and voice
providers): whether trying again later may work, how long it asked to wait, and a short piece of
its answer fit for an error message. Pure."""
from __future__ import annotations

from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable

TRANSIENT_STATUSES = frozenset({408, 425, 429})  # and every 5xx


def is_transient(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP-date (then from `now`, unix
    seconds); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, when.timestamp() - now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN, infinities
        return None
    return max(0.0, seconds)


def snippet(body: str | bytes | None, *, hide: Iterable[str | None] = (), limit: int = 300,
            scrub: Callable[[str], str] = str) -> str:
    """The start of an answer, fit for an error message: every value in `hide` (a secret, a token)
    replaced by ***, then `scrub` applied (e.g. masking digit runs), on one line, at most `limit`
    characters."""
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    for value in hide:
        if value:
            text = text.replace(value, "***")
    text = " ".join(scrub(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
