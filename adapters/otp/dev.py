"""A development PIN sender for the local sandbox: it "sends" by showing the message on screen (by
default with print) and keeps what it sent, for tests. It shows PINs, so it refuses to be built in
production. It never logs: what it shows goes to `show` alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.otp_delivery import DeliveryRejected, LANGUAGES, is_e164, mask_number

REFUSED_IN_PRODUCTION = "the development PIN sender shows PINs on screen: refused in production"


@dataclass(frozen=True)
class DevDelivery:
    """One SMS or call the development sender "sent"; repr hides the text (it holds the PIN)."""

    kind: str  # "sms" or "call"
    id: str
    to: str
    text: str
    language: str | None = None

    def __repr__(self) -> str:
        return f"DevDelivery({self.kind}, id={self.id!r}, to={mask_number(self.to)}, text=***)"


class DevSender:
    """Shows each SMS and call with `show` (print by default) and keeps them in `sent`.
    `production`: whether this is a production deployment; True raises ValueError."""

    def __init__(self, show: Callable[[str], None] = print, *, production: bool) -> None:
        if production:
            raise ValueError(REFUSED_IN_PRODUCTION)
        self._show = show
        self.sent: list[DevDelivery] = []

    def __repr__(self) -> str:
        return f"DevSender(sent={len(self.sent)})"

    async def send_sms(self, to_e164: str, text: str) -> str:
        if not is_e164(to_e164):
            raise DeliveryRejected(
                f"the development sender: the number is not an E.164 number ({mask_number(to_e164)})")
        delivery = DevDelivery("sms", f"dev-sms-{len(self.sent) + 1}", to_e164, text)
        self.sent.append(delivery)
        self._show(f"[development SMS {delivery.id} to {to_e164}] {text}")
        return delivery.id

    async def call(self, to_e164: str, spoken_text: str, language: str) -> str:
        if not is_e164(to_e164):
            raise DeliveryRejected(
                f"the development sender: the number is not an E.164 number ({mask_number(to_e164)})")
        if language not in LANGUAGES:
            raise DeliveryRejected(f"the language is one of {', '.join(LANGUAGES)}, got {language!r}")
        delivery = DevDelivery("call", f"dev-call-{len(self.sent) + 1}", to_e164, spoken_text, language)
        self.sent.append(delivery)
        self._show(f"[development call {delivery.id} to {to_e164}, says in {language}] {spoken_text}")
        return delivery.id

    @property
    def last(self) -> DevDelivery | None:
        return self.sent[-1] if self.sent else None
