"""Who takes part in a thread: colleagues joining, and Leave Conversation.

A thread's employees are its participants. In a personal chat that is the employee it was
assigned to; in a team channel inbox, colleagues of the thread's sub-organization join by
answering in the guest's channel thread, up to the sub-organization's maximum. Joining and
leaving go through the WeChat policy in the same write as the change of participants, so the
guest and the employees are told exactly once (`ParticipantsChanged`, `Leave`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from core.conversation_policy import Leave, ParticipantsChanged
from core.organizations import INBOX, Directory
from core.threads import Participant, Target, Thread
from services.conversation_runner import ConversationRunner
from services.enablement import EnablementService
from services.teams_texts import employee_texts, texts_of
from services.threads import ThreadStore

log = logging.getLogger(__name__)

NOT_VALID = "teams_not_valid"  # a card action that is out of date or not valid where it was pressed


@dataclass(frozen=True)
class LeaveCheck:
    """A Leave action that passed the checks: the thread as read, and who leaves."""

    thread: Thread
    person: Participant

    @property
    def last(self) -> bool:
        return len(self.thread.participants) == 1


class ParticipantService:
    def __init__(self, *, threads: ThreadStore, conversations: ConversationRunner, directory: Directory,
                 enablement: EnablementService | None = None) -> None:
        self.enablement = enablement
        self.threads = threads
        self.conversations = conversations
        self.directory = directory

    async def admit(self, thread: Thread, aad: str, name: str) -> str | None:
        """None if the employee takes part in the thread (joining it, or added to it, if they may);
        else why not (in the words of the thread's sub-organization)."""
        if thread.participant(aad) or (not thread.participants and thread.target == Target("employee", aad)):
            return None
        sub = self.directory.get(thread.sub_org)
        texts = texts_of(sub)
        if not aad or not sub.has(aad):
            log.info("refused a join to thread %s: the employee is not in sub-organization %s", thread.openid, sub.id)
            return texts("teams_join_other_sub", sub=sub.name)
        if self.enablement is not None and not await self.enablement.allows(aad):
            log.info("refused a join to thread %s: WeChat is not enabled for the employee", thread.openid)
            return texts("teams_join_not_enabled", name=self.directory.name_of(aad, name) or texts("teams_colleague"))
        if len(thread.participants) >= sub.max_participants:
            return texts("teams_join_full", count=len(thread.participants), sub=sub.name)
        person = Participant(aad, self.directory.name_of(aad, name))
        await self.conversations.apply(thread.openid, ParticipantsChanged(added=(person.name or aad,)),
                                       # the decision count: joining again after leaving is a new event
                                       f"join:{thread.openid}:{thread.outbox_seq}:{aad}",
                                       change=lambda t: t.with_participant(person))
        return None

    async def check_leave(self, conversation_id: str, openid: object, generation: object,
                          aad: str, *, confirming: bool = False) -> LeaveCheck | str:
        """A Leave action is valid only from a participant, in the chat the thread lives in, for
        the thread's current assignment. Anything else (another chat's thread, a stale card,
        someone else's confirmation) is refused and logged; the refusal as the employee reads it.
        `confirming`: the confirmation of the one who asked for it, pressed again once they left."""
        found = await self.threads.get(openid) if isinstance(openid, str) and openid else None
        thread = found[0] if found else None
        why = None
        if thread is None:
            why = "no such thread"
        elif thread.status != "open":
            why = "the thread is closed"
        elif thread.teams_conversation_id != conversation_id:
            why = "the thread lives in another chat"
        elif generation != thread.generation:
            why = f"the card is for assignment {generation!r}, the thread is at {thread.generation}"
        elif thread.participant(aad) is None:
            why = "the employee is not a participant"
        if why is not None or thread is None:
            log.warning("refused a Leave action in %s: %s", conversation_id, why)
            texts = texts_of(self.directory.get(thread.sub_org)) if thread else employee_texts(self.directory, aad)
            gone = (thread is not None and thread.teams_conversation_id == conversation_id
                    and generation == thread.generation
                    and (thread.status != "open" or thread.participant(aad) is None))
            return texts("teams_already_left" if confirming and gone else NOT_VALID)
        return LeaveCheck(thread, thread.participant(aad))  # type: ignore[arg-type]

    def returns_to_inbox(self, thread: Thread) -> bool:
        """Whether the guest goes back to the sub-organization's inbox when the last employee leaves."""
        sub = self.directory.get(thread.sub_org)
        return sub.when_last_leaves == INBOX and sub.inbox is not None

    async def leave(self, check: LeaveCheck) -> None:
        thread, person = check.thread, check.person
        sub = self.directory.get(thread.sub_org)

        def last(t: Thread) -> bool:  # decided on the thread as written, should a colleague leave meanwhile
            return not t.without_participant(person.aad).participants

        def change(t: Thread) -> Thread:
            rest = t.without_participant(person.aad)
            if last(t) and self.returns_to_inbox(t):
                return rest.with_(returns_to=sub.inbox)
            return rest

        await self.conversations.apply(thread.openid,
                                       lambda t: Leave(person.aad, person.name or person.aad, closes=last(t)),
                                       f"leave:{thread.openid}:{thread.outbox_seq}:{person.aad}", change=change)

