"""What every card shares. Cards are pure: view data in, Adaptive Card 1.5 dict out."""
from __future__ import annotations

from typing import Any

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        result["actions"] = actions
    return result


def text(value: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def submit(title: str, verb: str, **data: Any) -> dict[str, Any]:
    """A button whose press reaches the bot as a message with `value` {verb, …}."""
    return {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}}


ATTACHMENT_TYPE = "application/vnd.microsoft.card.adaptive"
