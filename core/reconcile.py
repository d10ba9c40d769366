"""The archive's daily reconciliation: the communications recorded against those the archive took, per
UTC day of their entries, and every one it has not taken (the gaps), with where its delivery stands.
A communication is an entry's part (core/journal/communication.py): its entry's thread and seq, and its
index in the entry. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from core.clock import utc_day as day_of

DONE = "done"


@dataclass(frozen=True)
class Gap:
    thread: str
    seq: int
    at: float
    status: str  # pending / leased (on its way or waiting for the archive), failed, or missing (no job)
    error: str = ""
    part: int | None = None  # the communication's index in its entry


@dataclass
class Day:
    day: str
    recorded: int = 0
    delivered: int = 0


@dataclass
class Reconciliation:
    days: list[Day] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps

    def to_dict(self) -> dict[str, Any]:
        return {"days": [vars(d) for d in self.days], "gaps": [vars(g) for g in self.gaps],
                "recorded": sum(d.recorded for d in self.days), "delivered": sum(d.delivered for d in self.days)}


def reconcile(entries: Iterable[Mapping[str, Any]],
              jobs: Mapping[tuple[str, int, int | None], Mapping[str, Any]]) -> Reconciliation:
    """`entries`: what was recorded for the archive (thread, seq, at, and `part`: the communication's
    index in its entry); `jobs`: the archive job bodies by (thread, seq, part)."""
    days: dict[str, Day] = {}
    gaps: list[Gap] = []
    for entry in entries:
        day = days.setdefault(day_of(entry["at"]), Day(day_of(entry["at"])))
        day.recorded += 1
        part = entry.get("part")
        job = jobs.get((entry["thread"], entry["seq"], part))
        if job is not None and job.get("status") == DONE:
            day.delivered += 1
        else:
            gaps.append(Gap(entry["thread"], entry["seq"], entry["at"], job.get("status", "") if job else "missing",
                            str(job.get("last_error") or "") if job else "", part))
    return Reconciliation(sorted(days.values(), key=lambda d: d.day),
                          sorted(gaps, key=lambda g: (g.at, g.thread, g.seq, g.part or 0)))


def render(result: Reconciliation) -> str:
    lines = [f"{'day':<12}{'recorded':>10}{'archived':>10}{'gaps':>6}"]
    lines += [f"{d.day:<12}{d.recorded:>10}{d.delivered:>10}{d.recorded - d.delivered:>6}" for d in result.days]
    total = result.to_dict()
    lines.append(f"{'total':<12}{total['recorded']:>10}{total['delivered']:>10}{len(result.gaps):>6}")
    for gap in result.gaps:
        where = f"entry {gap.seq}" + (f" communication {gap.part}" if gap.part is not None else "")
        lines.append(f"GAP {day_of(gap.at)} thread {gap.thread} {where}: {gap.status}"
                     + (f" ({gap.error})" if gap.error else ""))
    return "\n".join(lines)
