"""bench/storage_requests.py runs on the product as it is (it wraps the worker and counts the storage port's
calls: a change of either must not leave it broken), and what it counts holds the acknowledgement's bound."""
from __future__ import annotations

from bench.storage_requests import run_backend


async def test_it_counts_both_cases_on_sqlite_and_every_message_reaches_teams_once(tmp_path):
    result = await run_backend("sqlite", 2, tmp_path, False)
    for case in ("first", "follow-up"):
        assert result[case]["delivered_once"], case
        assert 0 < result[case]["per_message"]["ack"] <= 2  # issue 21: at most 2 before the acknowledgement
        assert result[case]["per_message"]["processing"] > 0
        assert result[case]["breakdown"]["records.create"]["processing"] >= 1  # every message in the record
