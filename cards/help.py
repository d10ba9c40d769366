"""What the bot can do: the `help` command's card (also sent when the app is installed)."""
from __future__ import annotations

from typing import Any, Sequence

from cards.common import card, text

COMMANDS: tuple[tuple[str, str], ...] = (
    ("help", "What I can do (this card)."),
    ("find <name, nickname or phone>", "Find a WeChat contact and open the conversation."),
    ("qr", "Your own WeChat QR code: clients who scan it are connected to you."),
    ("queue", "The messages waiting to be sent in this chat's WeChat conversations."),
    ("admin", "Administrators: enable WeChat for people and sub-organizations; the Official Account's health."),
)


def help_card(*, enabled: bool, admin: bool, commands: Sequence[tuple[str, str]] = COMMANDS) -> dict[str, Any]:
    body = [
        text("WeChat in Teams", weight="Bolder", size="Medium"),
        text("I bring your clients' WeChat messages into Teams and send your answers back, within WeChat's "
             "rules: answer in the chat where a message arrived; if several WeChat contacts are open there, "
             "I ask which one you mean."),
        {"type": "FactSet", "facts": [{"title": name, "value": what} for name, what in commands
                                      if admin or not name.startswith("admin")]},
        text("In your team's WeChat inbox, **add @colleague** in a contact's thread lets them take part; "
             "**Leave conversation** on the conversation's card ends your part.", isSubtle=True),
    ]
    if not enabled:
        body.append(text("WeChat is not enabled for you yet: ask your administrator.", color="Attention",
                         weight="Bolder"))
    return card(body)
