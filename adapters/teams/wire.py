"""Bot Framework schema objects as the Bot Connector's JSON, without msrest's serializer.

msrest validates and converts every attribute through its type machinery: about 2 ms of CPU for
an activity carrying an Adaptive Card, most of what a delivered message cost. The schema is
plain data, so each model's `_attribute_map` (attribute -> JSON key) is all that is needed;
tests/teams/test_wire.py checks the output against msrest's for the activities we send.
"""
from __future__ import annotations

import datetime
import enum
from typing import Any

from msrest.serialization import Model


def to_wire(value: Any) -> Any:
    """JSON-ready data: models by their attribute maps (None left out), enums by value, times in
    ISO 8601 UTC; anything else (an Adaptive Card's content) as it is."""
    if isinstance(value, Model):
        out = {}
        for name, spec in type(value)._attribute_map.items():
            item = getattr(value, name, None)
            if item is not None and spec["key"]:  # key "" holds additional_properties: not sent by msrest either
                out[spec["key"]] = to_wire(item)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    return value
