"""What the validation decides on: the guest's messages, time passing, and the answers to its
commands (events). Pure data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from dialogs.phone_validation.state import SMS


@dataclass(frozen=True)
class Start:
    """The guest's first message to the business (its text is not an answer to anything).
    `returning_number`: the E.164 number validated last time, if the caller knows one (else the
    state's). `language`: the guest's (WeChat's `zh_CN`, `en` …), if known."""

    returning_number: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class GuestText:
    """The guest wrote. `language`, if given, becomes the guest's language."""

    text: str
    language: str | None = None

    def __repr__(self) -> str:  # the text may be a PIN: never in a log
        return f"GuestText(<{len(self.text)} chars>, language={self.language!r})"


@dataclass(frozen=True)
class Tick:
    """Time passed (the sweeper, at or after `state.next_due_at`)."""


@dataclass(frozen=True)
class Scanned:
    """The guest followed or scanned an employee's QR code: that is whom they want."""

    employee_id: str
    name: str
    language: str | None = None


@dataclass(frozen=True)
class Routed:
    """The routing assistant connected the guest it was handed (HANDED_OVER -> CONNECTED)."""


@dataclass(frozen=True)
class PinDelivery:
    """The SMS / voice provider's answer to the last SendPin. `error` NUMBER_CAP: not sent, the
    number had all the PINs a day allows (counted across guests by the caller)."""

    ok: bool
    channel: str = SMS
    error: str = ""


@dataclass(frozen=True)
class EmployeeFound:
    """The caller's lookup of WantsEmployee found the person."""

    name: str
    employee_id: str = ""


@dataclass(frozen=True)
class EmployeeNotFound:
    """The caller's lookup of WantsEmployee found nobody (who may chat on WeChat)."""


ValidationEvent = Union[Start, GuestText, Tick, PinDelivery, EmployeeFound, EmployeeNotFound, Routed, Scanned]
