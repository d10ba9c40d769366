"""The phone-number validation of WeChat guests, carried out: the dialog (dialogs/phone_validation.py)
decides, this runs what it decided, durably.

Each guest's dialog is one document in `kv` (`validation:<openid>`): its state, the commands of its
last decision (the outbox) and the events already decided. As for the WeChat policy, a decision
and its outbox are written together (optimistically, with the ETag) before anything is carried out,
and the outbox is started again by the next event after a crash; every message to the guest is a job
with an id fixed by that write, so a re-run sends nothing twice.

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
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from adapters.wechat.client import WeChatClient
from adapters.wechat.errors import WeChatApiError
from core.clock import Clock, utc_day
from core.organizations import Directory, SubOrganization
from core.otp_delivery import DeliveryError, PinSender, mask_number, sms_text, spoken_text
from core.pins import NUMBER_CAP, PinLimits, new_pin
from core.storage import Conflict, PreconditionFailed, Storage
from dialogs.phone_validation import (
    AskGuest, Connected, EmployeeFound, EmployeeNotFound, GaveUp, PinDelivery, Record, SendPin, Tick, Validated,
    ValidationEvent, ValidationSettings, ValidationState, WantsEmployee, decide_validation,
)
from services.jobs import Job, RetryLater, Worker
from services.record import Recorder

log = logging.getLogger(__name__)

KV = "kv"
SEND, TICK, CONNECT = "validation_send", "validation_tick", "validation_connect"
SENDING_SECONDS = 60.0  # an outbox younger than this may still be carried out by the process that wrote it
# What is said, recorded and scheduled goes first; what leads to the next decision after it.
_ORDER = {"record": 0, "ask": 1, "due": 2, "pin": 3, "lookup": 4, "connect": 5}
APPLIED_KEPT = 50

# What is done once the guest is connected: open the guest's conversation with the employee.
Connect = Callable[["Connection"], Awaitable[None]]


@dataclass(frozen=True)
class Connection:
    """A validated guest to connect: the conversation with `employee` (aad) begins. `text`: the
    dialog's last words to the guest ("connected with …"), for the conversation's policy to send
    (it counts against the guest's WeChat quota like every message of that conversation)."""

    openid: str
    employee: str
    sub: SubOrganization
    account: str
    number: str  # the guest's validated number (E.164)
    validated_at: float
    text: str
    language: str
    event_id: str  # fixed per connection: what the conversation's policy dedups on


def settings_of(sub: SubOrganization) -> ValidationSettings:
    return ValidationSettings(default_region=sub.validation_region or "CN", limits=sub.validation_limits)


def document_key(openid: str) -> str:
    return f"validation:{openid}"


class ValidationService:
    def __init__(self, *, storage: Storage, worker: Worker, wechat: Mapping[str, WeChatClient], pins: PinSender,
                 recorder: Recorder | None, directory: Directory, clock: Clock, key: bytes, connect: Connect,
                 fresh_pin: Callable[[], str] = new_pin) -> None:
        self.directory = directory
        # The outbox this process last started per guest: a new process (after a crash) starts
        # it once more, no one starts it twice (as services/policy.py does).
        self._started: dict[str, int] = {}
        self.storage = storage
        self.worker = worker
        self.wechat = wechat
        self.pins = pins
        self.recorder = recorder
        self.clock = clock
        self.key = key
        self.connect = connect
        self.fresh_pin = fresh_pin

    async def apply(self, openid: str, event: ValidationEvent, event_id: str, *, sub: SubOrganization,
                    account: str) -> ValidationState:
        """Decide `event` for the guest's dialog and carry out what was decided."""
        if sub.validation_region is None:
            raise ValueError(f"sub-organization {sub.id} does not validate phone numbers")
        key = document_key(openid)
        settings = settings_of(sub)
        for _ in range(10):
            item = await self.storage.get(KV, key, key)
            document = dict(item.body) if item else {"state": ValidationState().to_body(), "outbox": [], "seq": 0,
                                                      "applied": []}
            if item is not None:
                await self._start(openid, document, sub, account, pins={})  # a crash's leftovers
            if event_id in document["applied"]:
                return ValidationState.from_body(document["state"])
            before = ValidationState.from_body(document["state"])
            decision = decide_validation(before, event, self.clock.now(), settings, sub.notices, key=self.key,
                                         fresh_pin=self.fresh_pin())
            seq = document["seq"] + 1
            outbox, pins = _outbox(decision.commands, seq, decision.state.language, event)
            due = decision.state.next_due_at
            if due is not None and due != before.next_due_at:
                outbox.append({"id": f"{seq}.{len(outbox)}", "kind": "due", "at": due})
            written = {"state": decision.state.to_body(), "outbox": outbox, "seq": seq, "written_at": self.clock.now(),
                       "applied": (document["applied"] + [event_id])[-APPLIED_KEPT:], "account": account,
                       "sub_org": sub.id}
            try:
                if item is None:
                    await self.storage.create(KV, key, key, written)
                else:
                    await self.storage.replace(KV, key, key, written, item.etag)
            except (Conflict, PreconditionFailed):
                continue  # another event of this guest was decided meanwhile: decide on top of it
            await self._start(openid, written, sub, account, pins=pins)
            return decision.state
        raise RetryLater(f"the validation of {openid} kept changing while deciding {event_id}")

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
        if self._started.get(openid) == document["seq"]:
            return
        self._started[openid] = document["seq"]
        if len(self._started) > 10_000:
            self._started = {openid: document["seq"]}
        try:
            for entry in sorted(document["outbox"], key=lambda e: _ORDER[e["kind"]]):
                await self._carry_out(openid, entry, document, sub, account, pins)
        except BaseException:
            self._started.pop(openid, None)  # the job's retry starts what is left again
            raise

    async def _carry_out(self, openid: str, entry: Mapping[str, Any], document: Mapping[str, Any],
                         sub: SubOrganization, account: str, pins: Mapping[str, str]) -> None:
        kind, ident = entry["kind"], f"val:{openid}:{entry['id']}"
        if kind == "ask":
            await self.worker.enqueue(SEND, ident, {"openid": openid, "account": account, "text": entry["text"],
                                                    "notice": entry["notice"]}, pk=openid)
        elif kind == "record":
            if self.recorder is not None and sub.recording:
                await self.recorder.append(openid, {"kind": "validation", **entry["fields"], "event": ident})
        elif kind == "due":
            await self.worker.schedule(TICK, f"valtick:{openid}:{entry['at']}",
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
            await self.worker.enqueue(CONNECT, ident, {
                "openid": openid, "employee": entry["employee"], "sub_org": sub.id, "account": account,
                "number": state.validated_number or "", "validated_at": state.validated_at or self.clock.now(),
                "text": entry["text"], "language": state.language}, pk=openid)

    async def _send_pin(self, entry: Mapping[str, Any], pin: str | None, limits: PinLimits) -> PinDelivery:
        channel = entry["channel"]
        if pin is None:  # the process stopped between the decision and the send: the PIN is gone
            return PinDelivery(False, channel, "not sent")
        if not await self._count_pin(entry["number"], limits.per_number_per_day):
            return PinDelivery(False, channel, NUMBER_CAP)
        try:
            if channel == "voice":
                await self.pins.call(entry["number"], spoken_text(pin, entry["language"]), entry["language"])
            else:
                minutes = math.ceil(limits.expiry_seconds / 60)
                await self.pins.send_sms(entry["number"], sms_text(pin, entry["language"], minutes=minutes))
        except DeliveryError as exc:
            log.warning("PIN to %s not delivered by %s: %s", mask_number(entry["number"]), channel, type(exc).__name__)
            return PinDelivery(False, channel, type(exc).__name__)
        return PinDelivery(True, channel)

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

    # -- the jobs ------------------------------------------------------------------------------

    async def send(self, job: Job) -> dict[str, Any]:
        p = job.payload
        try:
            await self.wechat[p["account"]].send_text(p["openid"], p["text"])
        except WeChatApiError as exc:
            if exc.transient:
                raise
            return {"errcode": exc.errcode}  # the guest left, or the window closed: nothing to retry
        return {"errcode": 0}

    async def tick(self, job: Job) -> dict[str, Any]:
        p = job.payload
        await self.apply(p["openid"], Tick(), f"tick:{p['at']}", sub=self.directory.get(p["sub_org"]),
                         account=p["account"])
        return {"ticked": p["at"]}

    async def connection(self, job: Job) -> dict[str, Any]:
        """The connection as a job of its own: retried (the employee may not have the app yet)
        until the conversation is open and both sides were told."""
        p = job.payload
        await self.connect(Connection(p["openid"], p["employee"], self.directory.get(p["sub_org"]), p["account"],
                                      p["number"], p["validated_at"], p["text"], p["language"], job.id))
        return {"connected": p["employee"]}

    def register(self) -> None:
        self.worker.register(SEND, self.send)
        self.worker.register(TICK, self.tick)
        self.worker.register(CONNECT, self.connection)


def _outbox(commands: tuple[Any, ...], seq: int, language: str,
            event: ValidationEvent) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The decision's commands as storable outbox entries (no PIN), and the PINs by entry id. What
    the compliance record keeps of the decision is one entry: what happened and what came of it."""
    outbox: list[dict[str, Any]] = []
    pins: dict[str, str] = {}
    facts: list[dict[str, Any]] = []
    connecting = any(isinstance(c, Connected) for c in commands)
    for command in commands:
        ident = f"{seq}.{len(outbox)}"
        if isinstance(command, AskGuest) and connecting:
            continue  # said by the conversation's policy, with the connection (see Connection.text)
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
        elif isinstance(command, Connected):
            text = next((c.text for c in commands if isinstance(c, AskGuest)), "")
            outbox.append({"id": ident, "kind": "connect", "employee": command.employee_id, "text": text})
            facts.append({"connected_to": command.employee_id, "name": command.name})
        elif isinstance(command, Validated):
            facts.append({"validated": command.number, "at": command.at})
        elif isinstance(command, GaveUp):
            facts.append({"gave_up": command.reason})
        elif isinstance(command, Record):
            facts.append(dict(command.fields))
    what = {"type": type(event).__name__}  # never the guest's text: it may be a PIN
    outbox.insert(0, {"id": f"{seq}.r", "kind": "record", "fields": {"what": what, "decided": facts}})
    return outbox, pins
