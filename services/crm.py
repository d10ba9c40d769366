"""CRM logging: every record entry to each configured CRM (a signed webhook, Salesforce), at least
once, as outlets of the record (services/outlets.py: durable jobs in order per thread, waiting out a
CRM that is down). A CRM that keeps one item per contact per day (Salesforce's Task) is given the
thread's entries of that day as recorded when the entry is delivered."""
from __future__ import annotations

from typing import Any, Mapping

from core.clock import Clock
from core.crm import Crm, CrmRejected, CrmUnavailable, day_of, day_span
from core.media_links import MediaLinks
from core.media_record import with_urls
from core.storage import Storage
from services.worker import Worker
from services.outlets import Outlet
from services.record import RECORDS

LINK_TTL_SECONDS = 90 * 24 * 3600  # a CRM keeps the reference for good; the link is for the weeks it is worked on


def crm_outlet(kind: str, crm: Crm, *, worker: Worker, storage: Storage, clock: Clock, with_day: bool,
               links: MediaLinks | None = None) -> Outlet:
    """`links`: where there is a public address, the CRM is given a link to each medium with its reference."""
    async def deliver(entry: Mapping[str, Any], part: int | None = None) -> dict[str, Any]:
        if links is not None:
            entry = with_urls(entry, lambda key: links.url(key, LINK_TTL_SECONDS))
        # The whole day as recorded now, not only up to this entry: a delivery that comes late
        # (after an outage) must not write the day's Task back without the entries after it.
        day = await _day_of_thread(storage, entry) if with_day else [dict(entry)]
        await crm.log(entry, day)
        return {"logged": kind}

    return Outlet(kind, worker=worker, clock=clock, deliver=deliver, unavailable=(CrmUnavailable,),
                  rejected=(CrmRejected,))


async def _day_of_thread(storage: Storage, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    start, end = day_span(day_of(entry["at"]))
    items = await storage.query(RECORDS, pk=entry["thread"], at_most=("at", end))
    by_seq = {i.body["seq"]: i.body for i in items if start <= i.body.get("at", 0) < end}
    by_seq[entry["seq"]] = dict(entry)
    return [by_seq[seq] for seq in sorted(by_seq)]
