"""Record entries for tests, sealed in one chain as services/record.py's recorder makes them."""
from __future__ import annotations

from core.record import GENESIS, chained


def sealed_chain(*fields: dict, thread: str) -> list[dict]:
    """One entry a `fields`, numbered from 1, each after the one before it."""
    out, prev = [], GENESIS
    for seq, f in enumerate(fields, start=1):
        entry = chained(f, thread=thread, seq=seq, prev=prev)
        out.append(entry)
        prev = entry["hash"]
    return out
