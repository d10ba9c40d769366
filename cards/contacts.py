"""WeChat contacts an employee found (`find`, the message extension), each with an Open button."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import card, client_time, column, columns, fill, fill_runs, literal, rich, submit, text
from cards.icons import wechat_icon
from cards.views import GuestTexts

OPEN_THREAD = "openThread"


@dataclass(frozen=True)
class ContactView:
    openid: str
    name: str  # the WeChat nickname, or the contact's short tag
    phone: str | None  # the validated phone number, readable
    last_message_at: float | None
    status: str  # open | closed
    where: str  # "your chat", "the HK inbox" … (in the reader's language)


@dataclass(frozen=True)
class ContactsTexts:
    title: str          # {query}: as typed, shown literally
    found: str          # the card's summary: {count}
    none: str
    as_written: str     # nothing found: was the line meant for the WeChat contact?
    label: str          # one contact, as the message extension inserts it (also its summary)
    not_validated: str
    ended: str
    last_message: str   # {when}
    open: str
    guest: GuestTexts   # the mark's alternative text


def contact_rows(contact: ContactView, texts: ContactsTexts, *, with_open: bool) -> list[dict[str, Any]]:
    t = texts
    facts = [literal(contact.phone or t.not_validated, isSubtle=contact.phone is None), literal(" · "),
             literal(contact.where)]
    name = [literal(contact.name, weight="Bolder")]
    if contact.status != "open":
        name += [literal(" "), literal(t.ended, isSubtle=True)]
    items = [rich(name), rich(facts, spacing="None")]
    if contact.last_message_at is not None:
        items.append(text(fill(t.last_message, when=client_time(contact.last_message_at)), isSubtle=True,
                          size="Small", spacing="None"))
    cols = [column(items)]
    if with_open:
        cols.append(column([{"type": "ActionSet", "actions": [submit(t.open, OPEN_THREAD, thread=contact.openid)]}],
                           "auto", verticalContentAlignment="Center"))
    return [columns(cols, separator=True)]


def contacts_card(query: str, contacts: Sequence[ContactView], texts: ContactsTexts) -> dict[str, Any]:
    t = texts
    body: list[dict[str, Any]] = [_header(fill_runs(t.title, {"query": query}, literal_style={"weight": "Bolder"}), t)]
    if not contacts:
        body += [text(t.none, isSubtle=True), text(t.as_written, isSubtle=True, size="Small")]
    for contact in contacts:
        body += contact_rows(contact, t, with_open=True)
    return card(body, summary=fill(t.found, count=len(contacts)))


def contact_card(contact: ContactView, texts: ContactsTexts) -> dict[str, Any]:
    """One contact, as the message extension inserts it into a message."""
    return card([_header([literal(texts.label, isSubtle=True)], texts),
                 *contact_rows(contact, texts, with_open=False)], summary=texts.label)


def _header(runs: list[dict[str, Any]], texts: ContactsTexts) -> dict[str, Any]:
    return columns([column([wechat_icon(element_id="contacts-mark", alt_text=texts.guest.brand)], "auto",
                           verticalContentAlignment="Center"),
                    column([rich(runs)], verticalContentAlignment="Center")])
