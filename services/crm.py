"""CRM logging: every record entry to each configured CRM (a signed webhook, Salesforce), at least
once, as outlets of the record (services/outlets.py: durable jobs in order per thread, waiting out a
CRM that is down). A CRM that keeps one item per contact per day (Salesforce's Task) is given the
thread's entries of that day so far, read from the record."""
from __future__ import annotations

from typing import Any, Mapping

from core.clock import Clock
from core.crm import Crm, CrmRejected, CrmUnavailable, day_of, day_so_far, day_span
from core.storage import Storage
from services.jobs import Worker
from services.outlets import Outlet
from services.record import RECORDS


def crm_outlet(kind: str, crm: Crm, *, worker: Worker, storage: Storage, clock: Clock, with_day: bool) -> Outlet:
    async def deliver(entry: Mapping[str, Any]) -> dict[str, Any]:
        day = day_so_far(await _day_of_thread(storage, entry), entry) if with_day else [dict(entry)]
        await crm.log(entry, day)
        return {"logged": kind}

    return Outlet(kind, worker=worker, clock=clock, deliver=deliver, unavailable=(CrmUnavailable,),
                  rejected=(CrmRejected,))


async def _day_of_thread(storage: Storage, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    start, end = day_span(day_of(entry["at"]))
    items = await storage.query(RECORDS, pk=entry["thread"], at_most=("at", end))
    return [i.body for i in items if i.body.get("at", 0) >= start]
