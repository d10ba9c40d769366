"""What a CRM is told of the communications a record entry holds (core/journal/communication.py): the
same people, bodies and delivery as the archive's journal messages, but what the parties saw only. A
message DLP blocked or withheld shows as "[not delivered: blocked by DLP]", and what a finding quoted is
masked wherever it appears (core.dlp.as_delivered): a CRM never gets the unredacted original. Pure."""
from __future__ import annotations

from typing import Any, Mapping

from core.dlp import as_delivered
from core.journal import mapping_field
from core.journal.communication import Party, communications


def _party(party: Party) -> dict[str, str]:
    return {"role": party.role, "id": party.id, "name": party.name}


def crm_communications(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One item per communication: `id` (the entry's hash and its index: stable), `kind`, `from`, `to`,
    `cc` (each `{role, id, name}`; role guest, employee or bot), `text` as delivered, `delivery`
    (delivered, not delivered, not confirmed), `reason`, `rules`, `message_id`, `notice`."""
    dlp = mapping_field(entry, "dlp")
    return [{"id": c.id, "kind": c.kind, "from": _party(c.sender), "to": [_party(p) for p in c.to],
             "cc": [_party(p) for p in c.cc], "text": as_delivered(c.body, dlp),
             "delivery": c.delivery, "reason": c.reason, "rules": list(c.rules), "message_id": c.message_id,
             "notice": c.notice} for c in communications(entry)]
