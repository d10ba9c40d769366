"""The routing assistant, carried out: the dialog (dialogs/routing.py) decides, this runs what it
decided, durably (services/guest_dialogs.py): a document per guest (`routing:<openid>`), its
replies as jobs, its connection as a job of its own (the employee may not have the app yet), and
every turn in the compliance record (the guest's words, what was understood, what was said).

A guest whose conversation ended (closed) is routed anew by their next message.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Mapping

from core.clock import Clock
from core.organizations import Directory, SubOrganization
from core.storage import KV, Storage
from core.threads import Target, Thread
from dialogs.routing import (
    FINISHED, ConnectRoutedGuest, GuestSays, Note, Reply, RoutingSettings, RoutingState, ToInbox, decide_routing,
)
from services.guest_dialogs import Outboxes, decide_durably
from services.job_kinds import DIALOG_SEND, ROUTING_CONNECT
from services.jobs import RetryLater
from services.worker import Worker
from services.record import Recorder

log = logging.getLogger(__name__)

def document_key(openid: str) -> str:
    return f"routing:{openid}"


class RoutingService:
    def __init__(self, *, storage: Storage, worker: Worker, recorder: Recorder | None, directory: Directory,
                 clock: Clock) -> None:
        self.storage = storage
        self.worker = worker
        self.recorder = recorder
        self.directory = directory
        self.clock = clock
        self._outboxes = Outboxes()

    async def apply(self, openid: str, event: GuestSays, event_id: str, *, entry: Target, account: str,
                    thread: Thread | None, what: Mapping[str, Any], guest_at: float | None = None) -> RoutingState:
        """Decide what the guest wrote (`entry`: where new guests of this account go, whose
        sub-organization's assistant this is; `thread`: the guest's, as read, if any; `what`: the
        push as the compliance record shows it, e.g. `{"type": "guest_message", "text": …}`)."""
        sub = self.directory.for_target(entry) or self.directory.sub_organizations[0]
        if sub.routing is None:
            raise ValueError(f"sub-organization {sub.id} has no routing assistant")
        # Matching is CPU work that grows with the directory (bench.routing: ms a message, seconds to
        # index thousands of people): off the event loop.
        index = await asyncio.to_thread(self.directory.people_index, sub)
        settings = RoutingSettings(max_failed_turns=sub.routing.max_failed_turns,
                                   show_choices=sub.routing.show_choices)

        def connected(document: Mapping[str, Any] | None) -> bool:
            return (thread is not None and document is not None
                    and thread.connected_by == document.get("connection"))

        async def decide(document: dict[str, Any] | None, seq: int) -> dict[str, Any]:
            before = RoutingState.from_body(document["state"]) if document else RoutingState()
            if before.step in FINISHED:
                if not connected(document) and not (thread is not None and thread.status == "closed"):
                    raise RetryLater("the guest is being connected", delay=5)
                before = RoutingState()  # their conversation ended: routed anew
            decision = await asyncio.to_thread(decide_routing, before, event, index, settings, sub.notices)
            outbox = _outbox(decision.commands, seq, what, openid)
            connection = next((e["id"] for e in outbox if e["kind"] == "connect"), None)
            return {"state": decision.state.to_body(), "outbox": outbox, "account": account, "entry": str(entry),
                    "guest_at": guest_at,
                    "connection": f"route:{openid}:{connection}" if connection else (document or {}).get("connection")}

        async def leftovers(document: dict[str, Any]) -> None:
            if not connected(document):  # what a crash left undone (once connected, nothing is)
                await self._start(openid, document, sub)

        document, wrote = await decide_durably(self.storage, document_key(openid), event_id, decide,
                                               leftovers=leftovers, now=self.clock.now())
        if wrote:
            await self._start(openid, document, sub)
        return RoutingState.from_body(document["state"])

    async def state(self, openid: str) -> RoutingState | None:
        item = await self.storage.get(KV, document_key(openid), document_key(openid))
        return RoutingState.from_body(item.body["state"]) if item else None

    async def _start(self, openid: str, document: Mapping[str, Any], sub: SubOrganization) -> None:
        """The outbox, again if need be (every step has a fixed id: nothing happens twice)."""
        await self._outboxes.start(openid, document["seq"], lambda: self._carry_out(openid, document, sub))

    async def _carry_out(self, openid: str, document: Mapping[str, Any], sub: SubOrganization) -> None:
        account, entry = document["account"], document["entry"]
        for item in document["outbox"]:
            ident = f"route:{openid}:{item['id']}"
            if item["kind"] == "record":
                if self.recorder is not None and sub.recording:
                    await self.recorder.append(openid, {"kind": "routing", **item["fields"], "event": ident})
            elif item["kind"] == "reply":
                await self.worker.enqueue(DIALOG_SEND, ident, {"openid": openid, "account": account,
                                                               "text": item["text"], "notice": item["notice"]},
                                          pk=openid)
            elif item["kind"] == "connect":
                state = RoutingState.from_body(document["state"])
                await self.worker.enqueue(ROUTING_CONNECT, ident, {
                    "openid": openid, "account": account, "target": item["target"] or entry, "text": item["text"],
                    "language": state.language, "source": "routed" if item["target"] else "routing_inbox",
                    "words": list(state.transcript), "guest_at": document.get("guest_at")}, pk=openid)


def _outbox(commands: tuple[Any, ...], seq: int, what: Mapping[str, Any], openid: str) -> list[dict[str, Any]]:
    """The decision as storable steps: its record entry first (what the guest did, what was
    understood, what was said or done), then the reply or the connection."""
    outbox: list[dict[str, Any]] = []
    decided: list[dict[str, Any]] = []
    for command in commands:
        ident = f"{seq}.{len(outbox)}"
        if isinstance(command, Reply):
            outbox.append({"id": ident, "kind": "reply", "text": command.text, "notice": command.notice_key})
            decided.append({"type": "send_to_guest", "kind": "assistant", "notice": command.notice_key,
                            "text": command.text, "message_id": f"route:{openid}:{ident}"})
        elif isinstance(command, ConnectRoutedGuest):
            outbox.append({"id": ident, "kind": "connect", "target": str(Target("employee", command.aad)),
                           "text": command.text})
            decided.append({"type": "connect", "to": command.aad, "name": command.name, "how": command.how,
                            "text": command.text})
        elif isinstance(command, ToInbox):
            outbox.append({"id": ident, "kind": "connect", "target": "", "text": command.text})
            decided.append({"type": "connect", "to": "inbox", "text": command.text})
        elif isinstance(command, Note):
            decided.append({"type": "understood", **command.fields})
    outbox.insert(0, {"id": f"{seq}.r", "kind": "record", "fields": {"what": dict(what), "decided": decided}})
    return outbox
