"""Teams → WeChat: an employee's message goes to exactly the guest it answers, once."""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity, ActivityTypes

from adapters.teams.sender import TeamsSender
from adapters.wechat.client import WeChatClient
from adapters.wechat.errors import WeChatApiError
from cards.text import markdown_literal
from core.replies import AskWhich, NoThread, SendTo, resolve_reply
from core.threads import Thread
from services.jobs import Job, PermanentError, Worker
from services.threads import ThreadStore

log = logging.getLogger(__name__)

KIND = "wechat_send"

# What the employee is told when WeChat refuses a message for good (errcode → why).
REFUSALS = {
    45015: "the guest has not written for 48 hours (or unfollowed), so WeChat allows no message until they write again",
    45047: "WeChat's limit of messages without a reply from the guest is reached",
    43004: "the guest does not follow the Official Account",
    40003: "WeChat does not know this guest (invalid openid)",
    43019: "the guest has blocked the Official Account",
    48002: "the guest has turned off messages from the Official Account",
    45002: "the message is too long for WeChat",
}


@dataclass(frozen=True)
class EmployeeMessage:
    conversation_id: str
    activity_id: str
    text: str
    sender_aad: str
    sender_name: str
    reference: dict[str, Any]  # where to tell the employee if delivery fails


@dataclass(frozen=True)
class Queued:
    job: Job | None  # None: that Teams message was already taken (a redelivery)
    thread: Thread


@dataclass(frozen=True)
class Choose:
    draft_id: str
    candidates: tuple[Thread, ...]


@dataclass(frozen=True)
class Refused:
    reason: str


Outcome = Queued | Choose | Refused


class OutboundService:
    def __init__(self, *, worker: Worker, threads: ThreadStore, sender: TeamsSender,
                 wechat: WeChatClient) -> None:
        self.worker = worker
        self.threads = threads
        self.sender = sender
        self.wechat = wechat

    async def submit(self, msg: EmployeeMessage, *, chosen_openid: str | None = None) -> Outcome:
        if not msg.text.strip():
            return Refused("Only text can be sent to WeChat for now; your message had none.")
        open_threads = await self.threads.open_in_conversation(msg.conversation_id)
        resolution = resolve_reply(open_threads, chosen_openid=chosen_openid)
        if isinstance(resolution, NoThread):
            return Refused(resolution.reason)
        if isinstance(resolution, AskWhich):
            draft_id = await self.threads.put_draft(msg.conversation_id, dataclasses.asdict(msg))
            return Choose(draft_id, resolution.candidates)
        assert isinstance(resolution, SendTo)
        return await self._enqueue(msg, resolution.thread)

    async def submit_draft(self, conversation_id: str, draft_id: str, openid: str) -> Outcome:
        """The employee chose the guest for a message they wrote earlier."""
        draft = await self.threads.take_draft(conversation_id, draft_id)
        if draft is None:
            return Refused("That message was already sent or has expired; please write it again.")
        return await self.submit(EmployeeMessage(**draft), chosen_openid=openid)

    async def _enqueue(self, msg: EmployeeMessage, thread: Thread) -> Queued:
        payload = {"openid": thread.openid, "label": thread.label, "text": msg.text,
                   "from": {"aad": msg.sender_aad, "name": msg.sender_name},
                   "teams": {"conversation_id": msg.conversation_id, "activity_id": msg.activity_id},
                   "reference": msg.reference}
        # The job id is the Teams activity id: Teams redelivering the same message sends nothing twice.
        job = await self.worker.enqueue(KIND, f"teams:{msg.conversation_id}:{msg.activity_id}", payload,
                                        pk=thread.openid)
        return Queued(job, thread)

    async def handle(self, job: Job) -> dict[str, Any]:
        p = job.payload
        try:
            await self.wechat.send_text(p["openid"], p["text"])
        except WeChatApiError as exc:
            if exc.transient:
                raise
            why = REFUSALS.get(exc.errcode, f"WeChat refused it ({exc.errcode} {exc.errmsg})")
            await self._tell_employee(
                p, f"Not delivered to **{markdown_literal(p['label'])}**: {why}.\n\n> {markdown_literal(p['text'])}")
            raise PermanentError(f"wechat refused: {exc.errcode} {exc.errmsg}") from exc
        return {"outcome": "accepted"}

    async def _tell_employee(self, payload: dict[str, Any], text: str) -> None:
        activity = Activity(type=ActivityTypes.message, text=text, text_format="markdown",
                            channel_data={"wechatBridge": {"origin": "bridge"}})
        await self.sender.send(payload["reference"], activity)

