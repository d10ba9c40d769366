"""What the tests look for inside cards: every object, their texts, their actions."""
from __future__ import annotations

from typing import Any, Iterator


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `node`, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from objects(value)


def texts(node: Any) -> list[str]:
    return [o["text"] for o in objects(node) if isinstance(o.get("text"), str)]


def actions(node: Any, kind: str = "Action.") -> list[dict[str, Any]]:
    """The actions (`type` starting with `kind`), e.g. actions(card, "Action.Submit")."""
    return [o for o in objects(node) if str(o.get("type", "")).startswith(kind)]


def shown(node: Any) -> str:
    """What a reader sees: each TextBlock, and each RichTextBlock's runs joined, one per line."""
    return "\n".join(o["text"] if o.get("type") == "TextBlock" else "".join(run["text"] for run in o["inlines"])
                     for o in objects(node) if o.get("type") in ("TextBlock", "RichTextBlock"))
