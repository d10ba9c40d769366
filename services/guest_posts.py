"""What the bridge posts in a guest's Teams conversation (their words, their connection), once per
job: the employee's chat with the bot, or a thread of the guest's own in a team channel."""
from __future__ import annotations

import functools
from typing import Any

from adapters.teams.errors import BotNotInConversationRoster, ConversationNotFound
from core.organizations import Directory, SubOrganization
from core.teams_chats import TeamsChats, TeamsPost
from core.threads import Thread
from services.interrupted_starts import InterruptedStarts
from services.jobs import RUNNING, OutcomeUnknown, PermanentError, RetryLater, effect
from services.teams_effects import post_effect
from services.teams_outbox import TeamsOutbox
from services.threads import ThreadStore, conversation_key

WAIT_FOR_INSTALL_SECONDS = 15 * 60


def origin_channel_data(openid: str, dedup_key: str) -> dict[str, Any]:
    """Marks what the bridge posts, so it is never taken for an employee's message and echoed back."""
    return {"notification": {"alert": True}, "wechatBridge": {"origin": "wechat", "openid": openid, "key": dedup_key}}


class GuestPosts:
    def __init__(self, *, threads: ThreadStore, teams: TeamsChats, directory: Directory,
                 interrupted: InterruptedStarts, outbox: TeamsOutbox | None = None) -> None:
        self.threads = threads
        self.teams = teams
        self.directory = directory
        self.interrupted = interrupted  # thread starts made again, so that answers in a first copy are told
        self.outbox = outbox  # where messages wait when their conversation has a backlog (coalesced)

    async def in_place(self, thread: Thread) -> bool:
        """Whether a post for `thread` goes where the thread says already (its conversation known and
        current), so that posting writes nothing to the thread: then it may be decided first."""
        if thread.target.kind == "employee":
            reference = await self.threads.reference(conversation_key("employee", thread.target.id))
            return reference is not None and thread.teams_conversation_id == reference["conversation"]["id"]
        return bool(thread.reference and thread.teams_conversation_id)

    async def post(self, thread: Thread, post: TeamsPost, name: str, at: float | None = None, *,
                   decided_first: bool = False) -> tuple[str, bool]:
        """Post once per job (the effect `name`: a job run again after a crash finds its outcome and
        does not post twice): the posted activity's id, and whether the thread had to be written to
        record where. A post whose answer was lost is made again: a guest's words lost are worse than
        shown twice; made again after a crash, it says it may show twice. `at`: when the guest wrote it
        (shown beside it when it is coalesced with others). `decided_first`: the post's decision is written
        already; unless the thread must be written here, the caller's next write (the decision's record
        entry, or the job done) shows the post made (services/jobs.py, `proven_by_caller`)."""
        sub = self.directory.get(thread.sub_org)
        if thread.target.kind == "employee":
            key = conversation_key("employee", thread.target.id)
            reference = await self.threads.reference(key)
            if reference is None:
                raise RetryLater(f"employee {thread.target.id} has not installed the app yet",
                                 delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key)
            same = thread.teams_conversation_id == reference["conversation"]["id"]
            activity_id = await post_effect(name, post, sub,
                                            lambda made: self._send(reference, made, key, name, sub, at),
                                            proven_by_caller=decided_first and same)
            if same:
                return activity_id, False
            await self._set_conversation(thread, reference["conversation"]["id"], None)
            return activity_id, True
        # A team channel: each guest gets a thread of its own, started by their first message.
        known = thread.reference
        if known and thread.teams_conversation_id:
            return await post_effect(name, post, sub,
                                     lambda made: self._send(known, made, str(thread.target), name, sub, at),
                                     proven_by_caller=decided_first), False
        key = conversation_key("channel", thread.target.id)
        channel_reference = await self.threads.reference(key)
        if channel_reference is None:
            raise RetryLater(f"the app is not installed in the team of channel {thread.target.id}",
                             delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key)

        thread_reference, activity_id = await self._start_thread(thread, sub, channel_reference, post, name)
        await self._set_conversation(thread, thread_reference["conversation"]["id"], thread_reference)
        return activity_id, True

    async def _start_thread(self, thread: Thread, sub: SubOrganization, channel: dict[str, Any], post: TeamsPost,
                            name: str) -> list[Any]:
        """A guest's thread in a channel, started once per job. A start a crash cut short may have
        made a thread this job never learnt of (Teams takes no idempotency key): the next start says
        so, and that answers belong in it; an answer in the other thread is told it was not sent
        (services/interrupted_starts.py)."""
        for attempt in range(1, 10):
            try:
                return await effect(f"{name}:{attempt}" if attempt > 1 else name,
                                    functools.partial(self._started, channel, post), unknown_if_interrupted=True)
            except OutcomeUnknown:
                await self.interrupted.note(thread.target.id, thread.label)
                post = post.opened_with(sub.notices.render("inbound_thread_again", sub.conversation.employee_language))
        raise PermanentError(f"the thread of guest {thread.openid} could not be started")

    async def _started(self, channel: dict[str, Any], post: TeamsPost) -> list[Any]:
        return list(await self.teams.start_thread(channel, post))

    async def _send(self, reference: dict[str, Any], post: TeamsPost, key: str, name: str, sub: SubOrganization,
                    at: float | None) -> str:
        running = RUNNING.get()
        try:
            if self.outbox is not None and running is not None:
                job = running.job
                return await self.outbox.post(reference, post, entry=f"{job.id}:{name}", job=(job.pk, job.id),
                                              at=at, sub=sub)
            return await self.teams.post(reference, post)
        except (BotNotInConversationRoster, ConversationNotFound) as exc:
            self.threads.forget_reference(key)
            raise RetryLater(f"{key}: {exc}; waiting for the app to be installed again",
                             delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key) from exc

    async def _set_conversation(self, thread: Thread, conversation_id: str, reference: dict | None) -> None:
        await self.threads.update(thread.openid, lambda t: t.with_(teams_conversation_id=conversation_id,
                                                                   reference=reference or t.reference))
