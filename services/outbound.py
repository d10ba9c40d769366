"""Teams → WeChat: an employee's message goes to exactly the guest it answers, once."""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any


from core.conversation_policy import Blocked, CancelQueued, EmployeeMessage, Event, SendAgain
from core.dlp import OUTBOUND
from core.organizations import SubOrganization
from core.outgoing_media import DOCUMENT, OutgoingMedia
from core.replies import AskWhich, NoThread, SendTo, resolve_reply
from core.teams_chats import TeamsAttachment
from core.threads import Participant, Thread
from services.employee_media import EmployeeMedia, MediaRefusal, attachment_body, attachment_of, refused_kind
from services.job_kinds import EMPLOYEE_MESSAGE
from services.jobs import Job, PermanentError
from services.worker import Worker
from services.participants import ParticipantService
from services.conversation_runner import ConversationRunner
from services.dlp_tails import DlpTails
from services.teams_texts import TeamsTexts, employee_texts, texts_of
from services.threads import ThreadStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamsMessage:
    conversation_id: str
    activity_id: str
    text: str
    sender_aad: str
    sender_name: str
    reference: dict[str, Any]  # where to tell the employee if delivery fails
    attachments: tuple[TeamsAttachment, ...] = ()  # pictures and files, in the order Teams gave them


@dataclass(frozen=True)
class Queued:
    job: Job | None  # None: that Teams message was already taken (a redelivery)
    thread: Thread
    text: str  # the message, as the employee wrote it


@dataclass(frozen=True)
class Choose:
    draft_id: str
    candidates: tuple[Thread, ...]


@dataclass(frozen=True)
class Refused:
    reason: str  # as the employee reads it
    stale: bool = False  # a card's button pressed again (or too late): the card is left as it is


Outcome = Queued | Choose | Refused


class OutboundService:
    def __init__(self, *, worker: Worker, threads: ThreadStore, conversations: ConversationRunner,
                 participants: ParticipantService, dlp_tails: DlpTails, media: EmployeeMedia | None = None) -> None:
        self.media = media  # None: media cannot be fitted for WeChat here, messages with attachments are refused
        self.worker = worker
        self.dlp_tails = dlp_tails  # what the employee wrote just before: DLP finds what is split over messages
        self.threads = threads
        self.conversations = conversations
        self.participants = participants

    def _texts(self, aad: str) -> TeamsTexts:
        return employee_texts(self.participants.directory, aad)

    async def submit(self, msg: TeamsMessage, *, chosen_openid: str | None = None) -> Outcome:
        if msg.attachments and self.media is None:
            return Refused(self._texts(msg.sender_aad)("teams_media_unavailable"))
        if not msg.text.strip() and not msg.attachments:
            return Refused(self._texts(msg.sender_aad)("teams_text_only"))
        open_threads = await self.threads.in_conversation(msg.conversation_id)
        resolution = resolve_reply(open_threads, chosen_openid=chosen_openid)
        if isinstance(resolution, NoThread):
            return Refused(self._texts(msg.sender_aad)("teams_chosen_closed" if chosen_openid else "teams_no_thread"))
        if isinstance(resolution, AskWhich):
            draft_id = await self.threads.put_draft(msg.conversation_id, dataclasses.asdict(msg))
            return Choose(draft_id, resolution.candidates)
        assert isinstance(resolution, SendTo)
        refusal = await self.participants.admit(resolution.thread, msg.sender_aad, msg.sender_name)
        if refusal is not None:
            texts = texts_of(self.participants.directory.get(resolution.thread.sub_org))
            return Refused(texts("teams_not_sent", reason=refusal))
        sub = self.participants.directory.get(resolution.thread.sub_org)
        kept_in = refused_kind(msg.attachments, sub.media)
        if kept_in is not None:  # before anything is downloaded or queued
            texts = texts_of(sub)
            return Refused(texts("teams_not_sent", reason=kept_in.said(texts.notices, texts.language)))
        return await self._enqueue(msg, resolution.thread)

    async def submit_draft(self, conversation_id: str, draft_id: str, openid: str, by: str) -> Outcome:
        """The employee (`by`) chose the guest for a message they wrote earlier."""
        draft = await self.threads.take_draft(conversation_id, draft_id)
        if draft is None:
            return Refused(self._texts(by)("teams_draft_gone"), stale=True)
        attachments = tuple(attachment_of(a) for a in draft.get("attachments") or ())
        return await self.submit(TeamsMessage(**{**draft, "attachments": attachments}), chosen_openid=openid)

    async def _enqueue(self, msg: TeamsMessage, thread: Thread) -> Queued:
        payload: dict[str, Any] = {
            "openid": thread.openid, "label": thread.label, "text": msg.text,
            "from": {"aad": msg.sender_aad, "name": msg.sender_name},
            "teams": {"conversation_id": msg.conversation_id, "activity_id": msg.activity_id},
            "reference": msg.reference}
        if msg.attachments:
            payload["attachments"] = [attachment_body(a) for a in msg.attachments]
        # The job id is the Teams activity id: Teams redelivering the same message sends nothing twice.
        job = await self.worker.enqueue(EMPLOYEE_MESSAGE, f"teams:{msg.conversation_id}:{msg.activity_id}", payload,
                                        pk=thread.openid)
        return Queued(job, thread, msg.text)

    async def cancel(self, conversation_id: str, openid: str, message_id: str, by: str, by_aad: str) -> Refused | None:
        """Cancel a queued message from its card; only from the chat the thread lives in."""
        if not any(t.openid == openid for t in await self.threads.in_conversation(conversation_id)):
            return Refused(self._texts(by_aad)("teams_cancel_elsewhere"))
        cancel = CancelQueued(message_id, by=by_aad or by, name=by)  # who, by id: the journal names them as it does
        await self.conversations.apply(openid, cancel, f"cancel:{message_id}")
        return None

    async def send_again(self, conversation_id: str, openid: str, message_id: str, by: str, by_aad: str,
                         press: str) -> Refused | None:
        """Send again a message whose delivery WeChat did not confirm; only from the chat the thread
        lives in. `press`: the Teams activity of the press (Teams redelivering it sends nothing twice;
        a second press is told there is nothing to send again)."""
        if not any(t.openid == openid for t in await self.threads.in_conversation(conversation_id)):
            return Refused(self._texts(by_aad)("teams_cancel_elsewhere"))
        await self.conversations.apply(openid, SendAgain(message_id, by=by), f"again:{message_id}:{press}")
        return None

    async def handle(self, job: Job) -> dict[str, Any]:
        """Data-loss prevention, then the WeChat policy decides: sent now, queued, or refused with a
        notice (never dropped). A blocked message is refused; the guest hears nothing of it."""
        p = job.payload
        aad, teams_name = p["from"]["aad"], p["from"]["name"]
        author = self.participants.directory.name_of(aad, teams_name) or aad
        found = await self.threads.get(p["openid"])
        if found is None:
            raise PermanentError(f"thread {p['openid']} does not exist any more")
        sub = self.participants.directory.get(found[0].sub_org)
        verdict = await self.dlp_tails.evaluate(sub.dlp, p["text"], OUTBOUND, thread=p["openid"], sender=aad,
                                                message_id=job.id)
        event: Event = Blocked(job.id, verdict.reasons) if verdict.blocked \
            else EmployeeMessage(message_id=job.id, text=verdict.delivered or "", author=author)
        recorded: dict[str, Any] = {"dlp": verdict.to_record()} if verdict.rules else {}
        if p.get("attachments") and isinstance(event, EmployeeMessage):
            event, media = await self._with_media(event, [attachment_of(a) for a in p["attachments"]], sub,
                                                  job.attempts)
            recorded.update({"media": media} if media else {})
        if isinstance(event, Blocked):  # who wrote it, for the archive: the policy's Blocked does not say
            recorded["message"] = {"message_id": job.id, "kind": "employee", "author": author, "by": aad,
                                   "text": p["text"]}
        if verdict.flagged:
            log.warning("DLP flagged a message of %s to thread %s (rules %s)", aad, p["openid"],
                        ", ".join(verdict.rules))
        await self.conversations.apply(p["openid"], event, job.id, known=found, change=lambda t: _named(t, aad, author),
                                       record=recorded or None)
        return {"decided": True, **({"dlp": verdict.action} if verdict.rules else {})}

    async def _with_media(self, event: EmployeeMessage, attachments: list[TeamsAttachment], sub: SubOrganization,
                          attempts: int) -> tuple[Event, list[dict[str, Any]]]:
        """The message with its attachments kept and fitted for WeChat, or refused whole (the media rules,
        or DLP on a document's name: the guest sees it); and what the record entry lists of the media kept."""
        assert self.media is not None  # submit() takes no attachment without it
        taken = await self.media.take(attachments, sub.media, attempts)
        if isinstance(taken, MediaRefusal):
            return Blocked(event.message_id, taken.reasons(sub.notices), cause="media"), []
        media: list[OutgoingMedia] = []
        for one in taken.media:
            named = sub.dlp.evaluate(one.name, OUTBOUND) if one.kind == DOCUMENT and one.name else None
            if named is not None and named.blocked:
                return Blocked(event.message_id, named.reasons), list(taken.recorded)
            media.append(dataclasses.replace(one, name=named.delivered or one.name) if named else one)
        return dataclasses.replace(event, media=tuple(media)), list(taken.recorded)


def _named(thread: Thread, aad: str, name: str) -> Thread:
    """The participant's name as the guest sees it, learnt from their first message if the
    organizations file does not give it."""
    person = thread.participant(aad)
    if person is None or person.name:
        return thread
    return thread.with_(participants=tuple(Participant(aad, name) if p.aad == aad else p for p in thread.participants))
