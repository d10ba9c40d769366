"""Carries out the conversation policy's decisions (core/conversation_policy/) for a thread, durably:
the jobs that send to WeChat, the live cards (services/live_cards.py) and the employees' notices.

`apply(openid, event, event_id)` reads the thread, decides, and writes the new policy state
together with the decision's commands (the thread's outbox) in ONE optimistic write; then turns
each command into a job whose id is fixed by the outbox, so enqueuing twice is harmless. A guest's
message is decided before it is posted (`decide_first`, on the copy of the thread its instance kept;
`start_decided` after the post, whose id its record entry then names: the proof it was made). A crash
between the write and the jobs loses nothing: the next `apply` on the thread (the same job run
again, or any later event) enqueues the outbox first. `event_id` makes an event count once even
when the job that carries it runs twice.

Jobs of one thread share its partition, so commands run one at a time, in the order decided.

A decision's status update is made at once, in place, when the live card exists and Teams has a permit free
(services/live_cards.py); otherwise it is a job.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from adapters.teams.errors import BotNotInConversationRoster, ConversationNotFound
from cards.text import markdown_literal
from core.clock import Clock
from core.conversation_policy import (
    CLOSED,
    EMPLOYEE,
    Blocked,
    Event,
    Tick,
    UpdateStatus,
    Unconfirmed,
    WeChatAnswer,
    decide,
)
from core.dlp import OUTBOUND
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.recent import Recent
from core.record import decision_fields, sent_fields
from core.storage import PreconditionFailed
from core.official_account import OfficialAccount
from core.teams_chats import TeamsChats, TeamsPost
from core.threads import Thread
from services.live_cards import LiveCards
from services.media_sends import MediaSends
from services.job_kinds import POLICY_STATUS
from services.jobs import DONE, FAILED, Job, RetryLater, outcomes_proven, write_outcomes
from services.worker import Worker
from services.record import Recorder
from services.teams_effects import post_effect
from services.thread_outbox import AFTER, RECORD, attributed, command_job
from services.thread_cards import notice_card
from services.threads import ThreadStore
from services.wechat_sends import kind_of, send_once

APPLIED_KEPT = 50  # event ids remembered per thread to recognise a re-run
STARTED_KEPT = 10_000
WAITING_SEEN_FOR = 30.0  # seconds a job seen waiting for its post is taken as waiting still (no read)


class ConversationRunner:
    """Applies events to a thread's conversation policy and runs what it decides (see the module)."""

    def __init__(self, *, threads: ThreadStore, worker: Worker, teams: TeamsChats,
                 wechat: Mapping[str, OfficialAccount], directory: Directory, clock: Clock,
                 live_cards: LiveCards, recorder: Recorder | None = None, media: MediaSends | None = None) -> None:
        self.recorder = recorder
        self.media = media  # an employee's pictures, voice notes, videos and documents: how they go
        self.threads = threads
        self.worker = worker
        self.teams = teams
        self.wechat = wechat
        self.directory = directory
        self.clock = clock
        self.live_cards = live_cards
        # The outbox this process last started per thread: starting it again is harmless (fixed job
        # ids) but costs a storage request per command, so only a new process (after a crash) or
        # another instance does it, once.
        self._started: Recent[str, int] = Recent(STARTED_KEPT)
        # Decisions made first (`decide_first`): those whose job carried out their commands here, and those
        # whose job was seen waiting for its post (till when that is taken as still so).
        self._carried_out: Recent[str, bool] = Recent(STARTED_KEPT)
        self._waits: Recent[str, float] = Recent(STARTED_KEPT)

    async def apply(self, openid: str, event: Event | Callable[[Thread], Event], event_id: str,
                    known: tuple[Thread, str] | None = None,
                    change: Callable[[Thread], Thread] | None = None,
                    record: Mapping[str, Any] | None = None) -> Thread | None:
        """Decide `event` for the guest's thread and start its commands. None if there is no thread.

        `known`: the thread and its ETag as the caller just read them (saves a read; if they are
        stale the write fails and the thread is read again). `change`: what else the event changes
        in the thread (who takes part), written in the same write as the decision. `event` may be a
        function of the thread as read, when what happened depends on it (is this the last one to leave?).
        `record`: more for the compliance record's entry of this decision (the push as WeChat sent it).

        Where the thread's sub-organization records, the decision's record entry is the outbox's
        first command: appended when the outbox starts, so a crash between the write and the append
        loses nothing (the next start appends it; a re-run of the same event appends it once).
        """
        for _ in range(10):
            found, known = known or await self.threads.get(openid), None
            if found is None:
                return None
            thread, etag = found
            await self._start(thread)  # a previous decision's commands, if a crash left them
            if event_id in thread.applied:
                return thread
            try:
                updated = await self._decide(thread, etag, event, event_id, change, record)
            except PreconditionFailed:
                continue  # another event of this guest was decided meanwhile: decide on top of it
            await self._start(updated, fresh=True)
            return updated
        raise RetryLater(f"thread {openid} kept changing while deciding {event_id}")

    async def decide_first(self, found: tuple[Thread, str], event: Event, event_id: str, *, waits: bool = True,
                           change: Callable[[Thread], Thread] | None = None,
                           record: Mapping[str, Any] | None = None) -> Thread:
        """Decide `event` (not decided yet) on the thread as the caller has it, before the post it is of:
        written with the ETag given, so PreconditionFailed (NotFound) if another writer moved it since:
        read it again and decide again. `waits`: its commands wait for the post (`start_decided`): a
        later decision carries them into its outbox until then, so nobody sees them before the post."""
        thread, etag = found
        await self._start(thread)  # a previous decision's commands, if a crash left them
        return await self._decide(thread, etag, event, event_id, change, record, waits=waits)

    async def start_decided(self, thread: Thread, event_id: str, posted: Mapping[str, Any]) -> None:
        """The commands of a decision made first, once its post is made (wherever they wait: in its own
        outbox or carried into a later one): its record entry names the post (`posted`) and is what shows
        it made. A decision that did not wait (withheld by DLP; or posted first): its outbox, if not started."""
        mine = [entry for entry in thread.outbox if entry.get(AFTER) == event_id]
        if not mine:
            await self._start(thread, fresh=thread.applied[-1:] == (event_id,))
        elif event_id not in self._carried_out:
            await self._run(thread, mine, fresh=True, posted=posted)
            self._ran(event_id)

    async def posted_by(self, openid: str, event_id: str) -> str | None:
        """The post a decision made first named in its record entry (among the thread's last entries)."""
        entry = await self.recorder.entry_of(openid, event_id) if self.recorder is not None else None
        return entry.get("teams_activity_id") if entry is not None else None

    async def _decide(self, thread: Thread, etag: str, event: Event | Callable[[Thread], Event], event_id: str,
                      change: Callable[[Thread], Thread] | None, record: Mapping[str, Any] | None, *,
                      waits: bool = False) -> Thread:
        """The thread with `event` decided and its commands in its outbox, written with `etag`; before
        them, the commands of decisions made first that still wait for their post. `waits`: these too."""
        sub = self.directory.get(thread.sub_org)
        happened = event(thread) if callable(event) else event
        decision = decide(thread.policy, happened, self.clock.now(), sub.conversation, sub.notices)
        seq = thread.outbox_seq + 1
        jobs = [attributed(job, sub) for job in filter(None, map(command_job, decision.commands))]
        changed = (change or _same)(thread)
        if sub.recording and self.recorder is not None:
            jobs.insert(0, (RECORD, {**decision_fields(happened, decision.commands,
                                                       [p.aad for p in changed.participants], record,
                                                       skip=(UpdateStatus,),
                                                       queued=[q.to_body() for q in thread.policy.queue],
                                                       inbox=(changed.target.id, sub.name)
                                                       if changed.target.kind == "channel" else None),
                                     "event": event_id}))
        after = {AFTER: event_id} if waits else {}
        outbox = (*await self._waiting(thread), *({"id": f"{seq}.{i}", "kind": kind, "payload": payload, **after}
                                                  for i, (kind, payload) in enumerate(jobs)))
        updated = changed.with_(
            policy=decision.state, outbox=outbox, outbox_seq=seq,
            applied=(thread.applied + (event_id,))[-APPLIED_KEPT:])
        if decision.state.status == CLOSED and thread.policy.status != CLOSED:
            updated = updated.with_(status="closed")  # the guest or the last employee left: a new assignment next
        await self.threads.save(updated, etag)
        return updated

    async def fire_due_timers(self, limit: int = 100) -> int:
        """Feed a Tick to every thread whose deadline (24 h warning, 48 h expiry) has come.

        Safe with any number of instances: the tick's event id is the deadline itself, so the
        optimistic write lets one instance decide it and the others see it already applied.
        """
        due = await self.threads.due(self.clock.now(), limit)
        for thread, etag in due:
            await self.apply(thread.openid, Tick(), f"tick:{thread.policy.next_due_at}", known=(thread, etag))
        return len(due)

    async def _start(self, thread: Thread, fresh: bool = False) -> None:
        """Turn the outbox into jobs, but what waits for a post (`decide_first`). `fresh`: the decision
        this process just wrote, whose status update is made at once when the live card exists (an edit
        in place, which renders the latest state and so may run twice): a job less, two storage requests
        less per message."""
        if self._started.get(thread.openid) == thread.outbox_seq:
            return
        entries = [entry for entry in thread.outbox if AFTER not in entry]
        if entries:
            await write_outcomes()  # these writes do not show a post kept for the decision's write made
        await self._run(thread, entries, fresh=fresh)
        self._started.put(thread.openid, thread.outbox_seq)

    async def _run(self, thread: Thread, entries: Sequence[Mapping[str, Any]], *, fresh: bool,
                   posted: Mapping[str, Any] | None = None) -> None:
        """Outbox entries carried out: the record entry appended (naming the post it was decided first
        for: `posted`), the commands made jobs (fixed ids: harmless twice)."""
        for entry in entries:
            if entry["kind"] == RECORD:
                if self.recorder is not None:
                    await self.recorder.append(thread.openid, {**entry["payload"], **(posted or {})})
                    if posted is not None:
                        outcomes_proven()  # the entry names the post: a run after a crash finds it there
                continue
            if fresh and entry["kind"] == POLICY_STATUS and await self.live_cards.update_at_once(thread):
                continue
            payload = {**entry["payload"], "openid": thread.openid, "account": thread.account,
                       "sub_org": thread.sub_org}
            await self.worker.enqueue(entry["kind"], f"cmd:{thread.openid}:{entry['id']}", payload, pk=thread.openid)

    async def _waiting(self, thread: Thread) -> list[Mapping[str, Any]]:
        """The entries of decisions made first whose job has not carried them out yet (its post waits):
        carried into the next outbox. A job done carried them out; one that failed for good never will:
        they are carried out now (its record entry without a post)."""
        waiting: list[Mapping[str, Any]] = []
        now = self.clock.now()
        for owner in dict.fromkeys(entry[AFTER] for entry in thread.outbox if AFTER in entry):
            if owner in self._carried_out:
                continue
            entries = [entry for entry in thread.outbox if entry.get(AFTER) == owner]
            if (self._waits.get(owner) or 0.0) > now:  # seen waiting a moment ago: carried again, no read (a burst)
                waiting += entries
                continue
            job = await self.worker.queue.get(thread.openid, owner)
            if job is not None and job.status == FAILED:
                await self._run(thread, entries, fresh=False)
                self._ran(owner)
            elif job is not None and job.status != DONE:
                waiting += entries
                self._waits.put(owner, now + WAITING_SEEN_FOR)
        return waiting

    def _ran(self, owner: str) -> None:
        self._carried_out.put(owner, True)

    # -- the jobs ------------------------------------------------------------------------------

    async def send(self, job: Job) -> dict[str, Any]:
        p = job.payload
        if p.get("media") and self.media is not None:
            sent, record = await self.media.send(p)
            if isinstance(sent, Blocked):
                await self.apply(p["openid"], sent, f"answer:{p['message_id']}", record=sent_fields(p, record))
                return {"blocked": True}
            return await self._answered(p, sent, sent_fields(p, record))
        text, record = p["text"], None
        if p.get("kind") == EMPLOYEE:  # DLP again as it goes out: the rules may have changed since it was queued
            verdict = self.directory.get(p.get("sub_org", "")).dlp.evaluate(text, OUTBOUND)
            record = {"dlp": verdict.to_record()} if verdict.rules else None
            if verdict.blocked:
                await self.apply(p["openid"], Blocked(p["message_id"], verdict.reasons), f"answer:{p['message_id']}",
                                 record=sent_fields(p, record, text))
                return {"blocked": True}
            text = verdict.delivered or text
        answer = await send_once(lambda: self.wechat[p.get("account", DEFAULT_ACCOUNT)].send_text(p["openid"], text),
                                   kind_of(p))
        return await self._answered(p, answer, sent_fields(p, record, text))

    async def template(self, job: Job) -> dict[str, Any]:
        p = job.payload
        data = {"content": {"value": p["text"]}, **{k: {"value": str(v)} for k, v in p["params"].items()}}
        client = self.wechat[p.get("account", DEFAULT_ACCOUNT)]
        answer = await send_once(lambda: client.send_template(p["openid"], p["template_id"], data), kind_of(p))
        return await self._answered(p, answer, sent_fields(p, None, p["text"]))

    async def _answered(self, p: Mapping[str, Any], answer: Mapping[str, Any],
                        record: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """WeChat's answer to a send, back to the policy (an answer that never came: Unconfirmed)."""
        event: Event = Unconfirmed(p["message_id"]) if answer.get("unconfirmed") \
            else WeChatAnswer(p["message_id"], answer["errcode"], answer["errmsg"])
        await self.apply(p["openid"], event, f"answer:{p['message_id']}", record=record)
        return dict(answer)

    async def notice(self, job: Job) -> dict[str, Any]:
        """Tell the thread's employees, in the Teams conversation where the thread lives."""
        found = await self.threads.get(job.payload["openid"])
        if found is None:
            return {"delivered": False, "why": "no thread"}
        thread, _ = found
        reference = await self.threads.reference_of(thread)
        channel_data = {"wechatBridge": {"origin": "bridge", "notice": job.payload.get("notice")}}
        card = notice_card(thread, job.payload, self.directory.get(thread.sub_org))
        if card is not None:
            post = TeamsPost(card=card, channel_data=channel_data)
        else:
            post = TeamsPost(text=f"**{markdown_literal(thread.label)}** · {markdown_literal(job.payload['text'])}",
                             channel_data=channel_data)
        try:
            activity_id = await post_effect("teams_post", post, self.directory.get(thread.sub_org),
                                            lambda made: self.teams.post(reference, made))
        except (BotNotInConversationRoster, ConversationNotFound) as exc:
            raise RetryLater(f"cannot reach the thread's Teams conversation: {exc}", delay=900) from exc
        return {"teams_activity_id": activity_id}

    async def gave_up_sending(self, job: Job, error: str) -> None:
        """A send that will not be tried again (WeChat kept failing): the policy takes it as refused,
        the employees are told, and the record says so; nothing stays pending for ever."""
        p = job.payload
        await self.apply(p["openid"], WeChatAnswer(p["message_id"], -1, f"not sent: {error}"[:500]),
                         f"answer:{p['message_id']}")

def _same(thread: Thread) -> Thread:
    return thread
