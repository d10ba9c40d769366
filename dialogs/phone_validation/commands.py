"""What the validation decides to do, for its caller to carry out (commands), and a decision: the
new state with its commands. Pure data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Union

from dialogs.phone_validation.state import SMS, ValidationState


@dataclass(frozen=True)
class AskGuest:
    """A message to the guest (counts against WeChat's quota), in the guest's language."""

    notice_key: str
    text: str


@dataclass(frozen=True)
class SendPin:
    """Send `pin` to `number` by SMS or voice call; answer with PinDelivery. The only place a
    plain PIN ever appears: it is not in the repr, and must not be logged."""

    number: str
    pin: str = field(repr=False)
    channel: str = SMS

    def __str__(self) -> str:
        return repr(self)


@dataclass(frozen=True)
class Validated:
    """The guest proved they own `number` (E.164) at `at`: keep it for their next visit."""

    number: str
    at: float


@dataclass(frozen=True)
class WantsEmployee:
    """The guest wants to reach whoever has this number: look them up, answer with EmployeeFound
    or EmployeeNotFound."""

    phone_e164: str


@dataclass(frozen=True)
class ConnectValidatedGuest:
    """Connect the guest with the employee found (the conversation and its welcomes begin)."""

    phone_e164: str
    name: str
    employee_id: str = ""


@dataclass(frozen=True)
class GaveUp:
    """The validation stopped for today: NUMBER_TRIES, PIN_TRIES, EMPLOYEE_TRIES, NUMBER_CAP or
    GUEST_CAP. The guest was told what to do next. Record it."""

    reason: str


@dataclass(frozen=True)
class Record:
    """A line for the compliance record (never a PIN)."""

    fields: Mapping[str, Any]


ValidationCommand = Union[AskGuest, SendPin, Validated, WantsEmployee, ConnectValidatedGuest, GaveUp, Record]


@dataclass(frozen=True)
class ValidationDecision:
    state: ValidationState
    commands: tuple[ValidationCommand, ...]
