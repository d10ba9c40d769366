"""A record's text as the conversation's parties saw it, where DLP redacted or blocked it (the
compliance journal's and the CRMs' view). Pure."""
from __future__ import annotations

from typing import Any, Mapping

NOT_DELIVERED = "[not delivered: blocked by DLP]"


def as_delivered(value: Any, dlp: Mapping[str, Any] | None) -> Any:
    """`value` as the conversation's parties saw it where DLP redacted or blocked: the original
    text shows as what was delivered ("[not delivered: blocked by DLP]" when blocked), wherever it
    appears whole or quoted, and what a finding quoted is masked."""
    if dlp is None:
        return value
    original, delivered = dlp.get("original"), dlp.get("delivered")
    if isinstance(original, str) and delivered == original:
        return value  # flagged or exempted: delivered as written
    shown = delivered if isinstance(delivered, str) else NOT_DELIVERED
    quoted = sorted({f["text"] for f in dlp.get("findings") or ()
                     if isinstance(f, Mapping) and isinstance(f.get("text"), str) and len(f["text"].strip()) >= 3},
                    key=len, reverse=True)

    def show(item: Any) -> Any:
        if isinstance(item, str):
            if isinstance(original, str) and original:
                if item == original:
                    return shown
                if len(original.strip()) >= 3 and original in item:
                    item = item.replace(original, shown)
            for text in quoted:
                item = item.replace(text, "*" * len(text))
            return item
        if isinstance(item, Mapping):
            return {k: show(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [show(v) for v in item]
        return item

    return show(value)


def rule_names(dlp: Mapping[str, Any]) -> list[str]:
    """The names of the rules that acted, from a record's `dlp` (Verdict.to_record)."""
    rules = dlp.get("rules") or []
    return [str(rule) for rule in ([rules] if isinstance(rules, str) else rules)]
