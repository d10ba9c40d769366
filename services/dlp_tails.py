"""The end of what each sender wrote last in a thread, kept a short while, so that data-loss prevention finds
what is split over their consecutive messages ("4111 1111" then "1111 1111"): DlpPolicy.evaluate's `before`.

One small document per thread, direction and sender, in kv; `tools.retention` removes those past their
window. A job run again (a crash) is given the same `before` as its first run, so it finds what that run
found. Only where the sub-organization has rules for that direction: a policy without any costs nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from core.dlp import DlpPolicy, Verdict
from core.dlp.verdict import SPLIT_JOIN
from core.storage import KV, Storage
from core.telemetry import telemetry

TAIL_CHARS = 64  # the longest number a detector finds, written out with separators (an IBAN: 34 + 8), and more
TAIL_PREFIX = "dlp_tail:"  # kv: one document per thread, direction and sender
WINDOW_SECONDS = 600.0  # how long after a message its end may still begin something the next one finishes


@dataclass(frozen=True)
class DlpTails:
    storage: Storage
    clock: Clock

    async def evaluate(self, dlp: DlpPolicy, text: str, direction: str, *, thread: str, sender: str,
                       message_id: str) -> Verdict:
        """DLP's verdict on `text`, the message `message_id` of `sender` in `thread`, with the end of what
        they wrote before it (within WINDOW_SECONDS); that end then takes this message's. What a rule did is
        counted (core/telemetry)."""
        verdict = await self._evaluate(dlp, text, direction, thread=thread, sender=sender, message_id=message_id)
        if verdict.rules:
            telemetry().dlp_acted(verdict.action, direction)
        return verdict

    async def _evaluate(self, dlp: DlpPolicy, text: str, direction: str, *, thread: str, sender: str,
                        message_id: str) -> Verdict:
        if not dlp.acts_on(direction) or not text:
            return dlp.evaluate(text, direction)
        key = f"{TAIL_PREFIX}{thread}:{direction}:{sender}"
        item = await self.storage.get(KV, key, key)
        body = item.body if item is not None else {}
        now = self.clock.now()
        if body.get("message_id") == message_id:  # this message again (its job run again): as the first time
            before = body.get("before", "")
        else:
            before = body.get("tail", "") if now - body.get("at", float("-inf")) <= WINDOW_SECONDS else ""
        verdict = dlp.evaluate(text, direction, before=before)
        tail = (before + SPLIT_JOIN + text if before else text)[-TAIL_CHARS:]
        await self.storage.upsert(KV, key, key, {"tail": tail, "at": now, "message_id": message_id, "before": before})
        return verdict
