"""WeChat contacts an employee found (`find`, the message extension), each with an Open button."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import card, client_time, column, columns, literal, rich, submit, text
from cards.icons import wechat_icon

OPEN_THREAD = "openThread"


@dataclass(frozen=True)
class ContactView:
    openid: str
    name: str  # the WeChat nickname, or the contact's short tag
    phone: str | None  # the validated phone number, readable
    last_message_at: float | None
    status: str  # open | closed
    where: str  # "your chat", "the HK inbox" …


def contact_rows(contact: ContactView, *, with_open: bool) -> list[dict[str, Any]]:
    facts = [literal(contact.phone or "phone not validated", isSubtle=contact.phone is None), literal(" · "),
             literal(contact.where)]
    items = [rich([literal(contact.name, weight="Bolder"),
                   literal("" if contact.status == "open" else " (ended)", isSubtle=True)]),
             rich(facts, spacing="None")]
    if contact.last_message_at is not None:
        items.append(text(f"Last message {client_time(contact.last_message_at)}", isSubtle=True, size="Small",
                          spacing="None"))
    cols = [column(items)]
    if with_open:
        cols.append(column([{"type": "ActionSet", "actions": [submit("Open", OPEN_THREAD, thread=contact.openid)]}],
                           "auto", verticalContentAlignment="Center"))
    return [columns(cols, separator=True)]


def contacts_card(query: str, contacts: Sequence[ContactView]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_header([literal("WeChat contacts matching "), literal(f"“{query}”", weight="Bolder")])]
    if not contacts:
        body.append(text("No WeChat contact of yours matches. Search by name, WeChat nickname or phone number.",
                         isSubtle=True))
    for contact in contacts:
        body += contact_rows(contact, with_open=True)
    return card(body)


def contact_card(contact: ContactView) -> dict[str, Any]:
    """One contact, as the message extension inserts it into a message."""
    return card([_header([literal("WeChat contact", isSubtle=True)]), *contact_rows(contact, with_open=False)])


def _header(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return columns([column([wechat_icon(element_id="contacts-mark")], "auto", verticalContentAlignment="Center"),
                    column([rich(runs)], verticalContentAlignment="Center")])
