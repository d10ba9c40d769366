"""What employees read on the Teams side (card labels, buttons, command answers, refusals): the
notice catalogue's texts (`core/notices.py`, keys `card_*` and `teams_*`), with the organization's
overrides, in the sub-organization's employee language — chosen exactly as the notices are.

Cards get texts objects built here and never look anything up. A card's texts object is filled by
field name: field `active` of `StatusTexts` is the template `card_status_active`, placeholders
unfilled (the card fills them, so a guest's name stays literal).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar, get_type_hints

from cards.admin import AdminTexts
from cards.choose_guest import ChooseTexts
from cards.contacts import ContactsTexts
from cards.help import HelpTexts
from cards.qr_code import QrTexts
from cards.views import (DurationTexts, GuestTexts, LeaveTexts, MovedTexts, PolicyNoticeTexts, QueueTexts,
                         StatusTexts, WarningTexts)
from core.notices import Notices
from core.organizations import Directory, SubOrganization

T = TypeVar("T")

# a card's texts class → the prefix of its keys in the catalogue
CARD_KEYS: dict[type, str] = {
    GuestTexts: "card_guest", DurationTexts: "card_duration", PolicyNoticeTexts: "card_notice",
    StatusTexts: "card_status", QueueTexts: "card_queue", WarningTexts: "card_warning", LeaveTexts: "card_leave",
    MovedTexts: "card_moved", ChooseTexts: "card_choose", QrTexts: "card_qr", HelpTexts: "card_help",
    ContactsTexts: "card_contacts", AdminTexts: "card_admin",
}


@functools.cache
def _field_types(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in fields(cls))


def card_keys(cls: type) -> list[str]:
    """The catalogue keys a card's texts class reads (its nested texts' included)."""
    return [key for name, kind in _field_types(cls)
            for key in (card_keys(kind) if is_dataclass(kind) else [f"{CARD_KEYS[cls]}_{name}"])]


@dataclass(frozen=True)
class TeamsTexts:
    notices: Notices
    language: str

    def __call__(self, key: str, **params: Any) -> str:
        """A text as the employee reads it."""
        return self.notices.render(key, self.language, **params)

    def card(self, cls: type[T]) -> T:
        """A card's texts object: each field the template of its key."""
        return cls(**{name: self.card(kind) if is_dataclass(kind) else
                      self.notices.text(f"{CARD_KEYS[cls]}_{name}", self.language)
                      for name, kind in _field_types(cls)})


def texts_of(sub: SubOrganization) -> TeamsTexts:
    """For what concerns a sub-organization's conversation."""
    return TeamsTexts(sub.notices, sub.conversation.employee_language)


def employee_texts(directory: Directory, aad: str | None) -> TeamsTexts:
    """For what concerns no conversation in particular: the employee's sub-organization's, else the
    directory's default (its first sub-organization, as for a thread whose sub-organization is gone)."""
    sub = directory.of_employee(aad) if aad else None
    return texts_of(sub or directory.get(""))
