"""What the bot can do: the `help` command's card (also sent when the app is installed)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.common import card, text


@dataclass(frozen=True)
class HelpTexts:
    title: str
    intro: str
    # each command: how it is typed (in the reader's language), and what it does
    help_usage: str
    help: str
    find_usage: str
    find: str
    qr_usage: str
    qr: str
    queue_usage: str
    queue: str
    leave_usage: str
    leave: str
    admin_usage: str
    admin: str
    together: str       # add @colleague and Leave conversation (Markdown)
    as_written: str     # how to send a line that reads like a command to the WeChat contact
    not_enabled: str


LISTED = ("help", "find", "qr", "queue", "leave", "admin")  # in this order; `add` is in `together`


def help_card(*, enabled: bool, admin: bool, texts: HelpTexts,
              runs_here: frozenset[str] = frozenset(LISTED)) -> dict[str, Any]:
    """`runs_here`: the commands that run where the card is shown (a channel's members all see it, and
    find, qr and admin run only in the personal chat); admin is listed to administrators only."""
    t = texts
    commands = [(getattr(t, f"{name}_usage"), getattr(t, name)) for name in LISTED
                if name in runs_here and (admin or name != "admin")]
    body = [
        text(t.title, weight="Bolder", size="Medium"),
        text(t.intro),
        {"type": "FactSet", "facts": [{"title": usage, "value": what} for usage, what in commands]},
        text(t.together, isSubtle=True),
        text(t.as_written, isSubtle=True),
    ]
    if not enabled:
        body.append(text(t.not_enabled, color="Attention", weight="Bolder"))
    return card(body, summary=t.title)
