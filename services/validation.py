"""The phone-number validation of WeChat guests, carried out: the dialog (dialogs/phone_validation.py)
decides, this runs what it decided, durably.

Each guest's dialog is one document in `kv` (`validation:<openid>`, services/guest_dialogs.py); the
outbox is started again by the next event after a crash.

The PIN is the exception, on purpose: it is never stored, not even in a job, so a SendPin is carried
out at once, from memory, right after the write. The outbox keeps only where and how it was sent;
if the process dies in between, the next start of the outbox tells the dialog the PIN was not
delivered, and the guest is offered Resend / Call / Update.

The employee a guest names is looked up here among the sub-organization's employees' phone numbers;
a deadline of the dialog (the help offered when no PIN comes) is a job due at that time.
"""
from __future__ import annotations

import logging
import math
from typing import Any, Callable, Mapping

from core.clock import Clock, utc_day
from core.organizations import Directory, SubOrganization
from core.otp_delivery import DeliveryError, PinSender, mask_number, sms_text, spoken_text
from core.pins import NUMBER_CAP, PinLimits, new_pin
from core.storage import KV, Conflict, PreconditionFailed, Storage
from dialogs.phone_validation import (
    AskGuest, ConnectValidatedGuest, EmployeeFound, EmployeeNotFound, GaveUp, GuestText, PinDelivery, Record, SendPin,
    Tick,
    Validated, ValidationEvent, ValidationSettings, ValidationState, WantsEmployee, decide_validation,
)
from services.guest_dialogs import Outboxes, decide_durably
from services.job_kinds import DIALOG_SEND, VALIDATION_CONNECT, VALIDATION_TICK
from services.jobs import Job, OutcomeUnknown, RetryLater, effect
from services.worker import Worker
from services.record import Recorder

log = logging.getLogger(__name__)

SENDING_SECONDS = 60.0  # an outbox younger than this may still be carried out by the process that wrote it
# What is said, recorded and scheduled goes first; what leads to the next decision after it.
CONNECTED_NOTICE = "validation_connected"  # the dialog's last words, said with the connection
_ORDER = {"record": 0, "ask": 1, "due": 2, "pin": 3, "lookup": 4, "connect": 5}


def settings_of(sub: SubOrganization) -> ValidationSettings:
    return ValidationSettings(default_region=sub.validation_region or "CN", limits=sub.validation_limits,
                              hand_over=sub.routing is not None)


def document_key(openid: str) -> str:
    return f"validation:{openid}"


class ValidationService:
    def __init__(self, *, storage: Storage, worker: Worker, pins: PinSender,
                 recorder: Recorder | None, directory: Directory, clock: Clock, key: bytes,
                 fresh_pin: Callable[[], str] = new_pin) -> None:
        self.directory = directory
        self._outboxes = Outboxes()
        self.storage = storage
        self.worker = worker
        self.pins = pins
        self.recorder = recorder
        self.clock = clock
        self.key = key
        self.fresh_pin = fresh_pin

    async def apply(self, openid: str, event: ValidationEvent, event_id: str, *, sub: SubOrganization,
                    account: str, guest_at: float | None = None) -> ValidationState:
        """Decide `event` for the guest's dialog and carry out what was decided."""
        if sub.validation_region is None:
            raise ValueError(f"sub-organization {sub.id} does not validate phone numbers")
        settings = settings_of(sub)
        pins: dict[str, str] = {}

        async def decide(document: dict[str, Any] | None, seq: int) -> dict[str, Any]:
            before = ValidationState.from_body(document["state"]) if document else ValidationState()
            decision = decide_validation(before, event, self.clock.now(), settings, sub.notices, key=self.key,
                                         fresh_pin=self.fresh_pin())
            outbox, fresh = _outbox(decision.commands, seq, decision.state.language, event, before)
            pins.clear()
            pins.update(fresh)
            due = decision.state.next_due_at
            if due is not None and due != before.next_due_at:
                outbox.append({"id": f"{seq}.{len(outbox)}", "kind": "due", "at": due})
            # When the guest last wrote or followed (WeChat's window counts from then), kept for the connection.
            return {"state": decision.state.to_body(), "outbox": outbox, "account": account, "sub_org": sub.id,
                    "guest_at": guest_at if guest_at is not None else (document or {}).get("guest_at")}

        async def leftovers(document: dict[str, Any]) -> None:
            await self._start(openid, document, sub, account, pins={})

        document, wrote = await decide_durably(self.storage, document_key(openid), event_id, decide,
                                               leftovers=leftovers, now=self.clock.now())
        if wrote:
            await self._start(openid, document, sub, account, pins=pins)
        return ValidationState.from_body(document["state"])

    async def state(self, openid: str) -> ValidationState | None:
        item = await self.storage.get(KV, document_key(openid), document_key(openid))
        return ValidationState.from_body(item.body["state"]) if item else None

    async def _start(self, openid: str, document: dict[str, Any], sub: SubOrganization, account: str, *,
                     pins: Mapping[str, str]) -> None:
        """Carry out the outbox: what is said and recorded first (as jobs and entries with fixed ids),
        then what leads to the next decision (the PIN, the lookup) and the connection (a job).
        `pins`: the PINs of the decision just written, by outbox id (never stored); an outbox started
        again has none: its PIN is told as not delivered, unless the outbox is so fresh that the
        process that wrote it may be sending it right now (another instance's)."""
        async def carry_out() -> None:
            for entry in sorted(document["outbox"], key=lambda e: _ORDER[e["kind"]]):
                await self._carry_out(openid, entry, document, sub, account, pins)

        await self._outboxes.start(openid, document["seq"], carry_out)

    async def _carry_out(self, openid: str, entry: Mapping[str, Any], document: Mapping[str, Any],
                         sub: SubOrganization, account: str, pins: Mapping[str, str]) -> None:
        kind, ident = entry["kind"], f"val:{openid}:{entry['id']}"
        if kind == "ask":
            await self.worker.enqueue(DIALOG_SEND, ident, {"openid": openid, "account": account, "text": entry["text"],
                                                    "notice": entry["notice"]}, pk=openid)
        elif kind == "record":
            if self.recorder is not None and sub.recording:
                await self.recorder.append(openid, {"kind": "validation", **entry["fields"], "event": ident})
        elif kind == "due":
            await self.worker.schedule(VALIDATION_TICK, f"valtick:{openid}:{entry['at']}",
                                       {"openid": openid, "account": account, "sub_org": sub.id, "at": entry["at"]},
                                       pk=openid, at=entry["at"])
        elif kind == "pin":
            pin = pins.get(entry["id"])
            if pin is None and self.clock.now() - document.get("written_at", 0) < SENDING_SECONDS:
                return  # written a moment ago, elsewhere: that process is sending it
            delivered = await self._send_pin(entry, pin, settings_of(sub).limits)
            await self.apply(openid, delivered, f"{ident}:delivery", sub=sub, account=account)
        elif kind == "lookup":
            aad = sub.employee_by_phone(entry["phone"])
            found = EmployeeFound(sub.employees.get(aad) or "", aad) if aad else EmployeeNotFound()
            await self.apply(openid, found, f"{ident}:lookup", sub=sub, account=account)
        elif kind == "connect":
            state = ValidationState.from_body(document["state"])
            await self.worker.enqueue(VALIDATION_CONNECT, ident, {
                "openid": openid, "employee": entry["employee"], "sub_org": sub.id, "account": account,
                "number": state.validated_number or "", "validated_at": state.validated_at or self.clock.now(),
                "text": entry["text"], "language": state.language, "guest_at": document.get("guest_at"),
                # what the dialog said since the guest's message, but the connection's words (the policy's)
                "sent_since": max(0, state.replies - 1)}, pk=openid)

    async def _send_pin(self, entry: Mapping[str, Any], pin: str | None, limits: PinLimits) -> PinDelivery:
        """Sent once per job (an SMS or a call costs money and a second PIN confuses): the outcome is
        written as it comes; a send a crash cut short is told as not confirmed, never made again."""
        channel = entry["channel"]

        async def deliver() -> list[Any]:
            if pin is None:  # the process stopped between the decision and the send: the PIN is gone
                return [False, "not sent"]
            if not await self._count_pin(entry["number"], limits.per_number_per_day):
                return [False, NUMBER_CAP]
            try:
                if channel == "voice":
                    await self.pins.call(entry["number"], spoken_text(pin, entry["language"]), entry["language"])
                else:
                    minutes = math.ceil(limits.expiry_seconds / 60)
                    await self.pins.send_sms(entry["number"], sms_text(pin, entry["language"], minutes=minutes))
            except DeliveryError as exc:
                log.warning("PIN to %s not delivered by %s: %s", mask_number(entry["number"]), channel,
                            type(exc).__name__)
                return [False, type(exc).__name__]
            return [True, ""]

        try:
            delivered, reason = await effect(f"pin:{entry['id']}", deliver, unknown_if_interrupted=True)
        except OutcomeUnknown:
            delivered, reason = False, "not confirmed"
        return PinDelivery(delivered, channel, reason)

    async def _count_pin(self, number: str, limit: int) -> bool:
        """Count one more PIN for `number` today, across every guest (the dialog counts a guest's
        own): False, and nothing counted, once the day's `limit` is reached. Many WeChat accounts
        asking PINs for one number is how SMS-pumping fraud runs up a bill."""
        key = f"pins:{number}:{utc_day(self.clock.now())}"
        for _ in range(10):
            item = await self.storage.get(KV, key, key)
            count = item.body["count"] if item else 0
            if count >= limit:
                log.warning("PIN to %s refused: the number's daily cap (%d) is reached", mask_number(number), limit)
                return False
            body = {"count": count + 1, "expires_at": self.clock.now() + 2 * 86_400}
            try:
                if item is None:
                    await self.storage.create(KV, key, key, body)
                else:
                    await self.storage.replace(KV, key, key, body, item.etag)
                return True
            except (Conflict, PreconditionFailed):
                continue
        raise RetryLater(f"the PIN count of {mask_number(number)} kept changing")

    async def tick(self, job: Job) -> dict[str, Any]:
        """A deadline of the dialog (a VALIDATION_TICK job)."""
        p = job.payload
        await self.apply(p["openid"], Tick(), f"tick:{p['at']}", sub=self.directory.get(p["sub_org"]),
                         account=p["account"])
        return {"ticked": p["at"]}


def _guest_words(event: ValidationEvent, before: ValidationState) -> dict[str, str]:
    """What the record keeps of the guest's words to the dialog: as written, except while a PIN is
    outstanding (then they may be the PIN, which no record, log or archive ever holds)."""
    if not isinstance(event, GuestText):
        return {}
    return {"withheld": "a PIN was outstanding"} if before.pin_hash else {"text": event.text}


def _outbox(commands: tuple[Any, ...], seq: int, language: str, event: ValidationEvent,
            before: ValidationState) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The decision's commands as storable outbox entries (no PIN), and the PINs by entry id. What
    the compliance record keeps of the decision is one entry: what happened and what came of it."""
    outbox: list[dict[str, Any]] = []
    pins: dict[str, str] = {}
    facts: list[dict[str, Any]] = []
    connecting = any(isinstance(c, ConnectValidatedGuest) for c in commands)
    for command in commands:
        ident = f"{seq}.{len(outbox)}"
        if isinstance(command, AskGuest) and connecting and command.notice_key == CONNECTED_NOTICE:
            continue  # said by the conversation's policy, with the connection (see GuestConnectionRequest.text)
        if isinstance(command, AskGuest):
            outbox.append({"id": ident, "kind": "ask", "text": command.text, "notice": command.notice_key})
            facts.append({"asked": command.notice_key, "text": command.text})
        elif isinstance(command, SendPin):
            outbox.append({"id": ident, "kind": "pin", "number": command.number, "channel": command.channel,
                           "language": language})
            pins[ident] = command.pin
            facts.append({"pin_sent_to": command.number, "by": command.channel})
        elif isinstance(command, WantsEmployee):
            outbox.append({"id": ident, "kind": "lookup", "phone": command.phone_e164})
            facts.append({"wants": command.phone_e164})
        elif isinstance(command, ConnectValidatedGuest):
            text = next((c.text for c in commands if isinstance(c, AskGuest) and c.notice_key == CONNECTED_NOTICE), "")
            outbox.append({"id": ident, "kind": "connect", "employee": command.employee_id, "text": text})
            facts.append({"connected_to": command.employee_id, "name": command.name})
        elif isinstance(command, Validated):
            facts.append({"validated": command.number, "at": command.at})
        elif isinstance(command, GaveUp):
            facts.append({"gave_up": command.reason})
        elif isinstance(command, Record):
            facts.append(dict(command.fields))
    what = {"type": type(event).__name__, **_guest_words(event, before)}
    outbox.insert(0, {"id": f"{seq}.r", "kind": "record", "fields": {"what": what, "decided": facts}})
    return outbox, pins
