"""WeChat → Teams: persist what the webhook verified, then hand it to whoever answers the guest.

A push goes through the stages of `InboundService.stages`, in order, until one takes it: not shown to
employees (recorded only) → the phone validation (a new guest proves their number first) → the
routing assistant (a new guest says whom they want) → the guest's thread (DLP, posted to Teams, the
conversation's policy decides).
"""
from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any, Awaitable, Callable, Mapping

from core.clock import Clock
from core.conversation_policy import Event
from core.dlp import INBOUND
from core.inbound import WeChatInbound
from core.organizations import DEFAULT_ACCOUNT, Directory, SubOrganization
from core.storage import CREATED, EXISTS, Conflict, NonceRecord, NotFound, PreconditionFailed
from core.teams_chats import TeamsPost
from core.telemetry import telemetry
from core.threads import Target, Thread, assign, employee_from_scene
from dialogs.phone_validation import CONNECTED, HANDED_OVER, GuestText, Scanned, Start, ValidationState
from dialogs.routing import GuestSays
from services.guest_connections import GuestConnections
from services.guest_media import GuestMedia, shown_in_teams
from services.guest_voice import GuestVoice, Voice
from services.conversation_runner import ConversationRunner
from services.guest_posts import WAIT_FOR_INSTALL_SECONDS, GuestPosts, origin_channel_data
from services.health import PushClock
from services.dlp_tails import DlpTails
from services.inbound_dlp import check_guest_words
from services.inbound_lines import EVENT_NOTICES, describe
from services.job_kinds import WECHAT_INBOUND
from services.inbound_push import Push, policy_event
from services.jobs import Job, RetryLater, may_have_been_made
from services.worker import Worker
from services.record import Recorder
from services.routing import RoutingService
from services.threads import ThreadStore
from services.validation import ValidationService

log = logging.getLogger(__name__)

SHOWN_EVENTS = frozenset(EVENT_NOTICES)  # the events employees are told of


def shown_to_employees(msg: WeChatInbound) -> bool:
    """Menu clicks, link views and location reports are recorded but not posted to anyone."""
    return msg.msg_type != "event" or (msg.event or "").lower() in SHOWN_EVENTS


WITHHELD = "[an answer to the phone validation: not kept]"  # in the stored job, never shown
_RAW_CONTENT = re.compile(r"<Content>.*?</Content>", re.DOTALL)


def withheld(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An inbound job's payload without the guest's text: an answer to the phone validation may be a
    PIN, however it is written ("123 456", full-width digits …)."""
    if "push" in payload:
        return {**payload, "push": {**payload["push"], "Content": WITHHELD}}
    # A job of an earlier version: the message, its fields as pushed and WeChat's raw XML.
    message = dict(payload.get("message") or {})
    message["content"] = WITHHELD
    if isinstance(message.get("fields"), Mapping):
        message["fields"] = {**message["fields"], "Content": WITHHELD}
    raw = _RAW_CONTENT.sub(f"<Content>{WITHHELD}</Content>", payload.get("raw") or "")
    return {**payload, "message": message, "raw": raw}


def forget_profile(thread: Thread) -> Thread:
    """A guest who unfollowed: their WeChat profile (nickname, language) is not kept. The compliance
    record of what was said stays until its retention ends (README, Retention)."""
    return thread.with_(nickname="", language="")


def posted_before(job: Job) -> str | None:
    """The guest's post an earlier run of the job made, as its outcome shows: the post, or the start of
    the guest's thread in a channel (`teams_post:<attempt>` after an interrupted start: [reference, id])."""
    effects = job.body.get("effects", {})
    made = [effects[name]["outcome"] for name in effects
            if name.split(":")[0] == "teams_post" and "outcome" in effects[name]]
    last = made[-1] if made else None
    return str(last[1]) if isinstance(last, list) else last


class StaleCopy(Exception):
    """The copy of a guest's thread a decision was made on is not the latest: read it and decide again."""


Stage = Callable[[Push], Awaitable[dict[str, Any] | None]]  # the job's result if it takes the push, else None


class InboundService:
    def __init__(self, *, worker: Worker, threads: ThreadStore, clock: Clock, directory: Directory,
                 conversations: ConversationRunner, connections: GuestConnections, posts: GuestPosts,
                 recorder: Recorder | None = None, pushes: PushClock | None = None,
                 dlp_tails: DlpTails, validation: ValidationService | None = None,
                 routing: RoutingService | None = None, media: GuestMedia | None = None,
                 voice: GuestVoice | None = None) -> None:
        self.worker = worker
        self.threads = threads
        self.clock = clock
        self.directory = directory
        self.conversations = conversations
        self.connections = connections  # how a guest is assigned, and where new guests go
        self.posts = posts
        self.recorder = recorder
        self.pushes = pushes  # when WeChat last pushed (the admin card's health)
        self.dlp_tails = dlp_tails  # what the guest wrote just before: DLP finds what is split over messages
        # Guests' phone validation and the routing assistant, where some sub-organization has them.
        self.validation = validation
        self.routing = routing
        self.media = media  # where guests' media are kept and shown from (a media store and a public address)
        self.voice = voice  # guests' voice messages: converted to play in Teams, transcribed
        # What a push goes through, in order: each stage takes it (the job's result) or passes it on.
        self.stages: tuple[Stage, ...] = (self._not_shown, self._phone_validation, self._routing_assistant,
                                          self._guest_thread)

    async def accept(self, msg: WeChatInbound, account: str = DEFAULT_ACCOUNT,
                     nonce: NonceRecord | None = None) -> str:
        """Called by the webhook of Official Account `account` before it acknowledges: persist (with its
        `nonce`, see Storage.create_job), then run without waiting; what the write answered (CREATED,
        EXISTS, REPLAYED). The job keeps the push once, as its elements (`msg.fields` holds every one)."""
        payload = {"push": msg.fields, "received_at": self.clock.now(), "account": account}
        outcome = await self.worker.persist(WECHAT_INBOUND, msg.dedup_key, payload, pk=msg.from_user, nonce=nonce)
        if outcome == CREATED:
            telemetry().message_in(msg.msg_type)
        elif outcome == EXISTS:
            log.info("duplicate push %s ignored (WeChat retry)", msg.dedup_key)
        return outcome

    async def handle(self, job: Job) -> dict[str, Any]:
        if self.pushes is not None:
            await self.pushes.seen()
        push = Push.of(job)
        if self.media is not None:  # before the stages: whichever takes the push, its media is kept
            push = push.with_media(await self.media.keep(push.account, push.msg, job.attempts))
        for stage in self.stages:
            taken = await stage(push)
            if taken is not None:
                return taken
        raise AssertionError("the guest's thread takes every push")

    # -- the stages ------------------------------------------------------------------------------

    async def _not_shown(self, push: Push) -> dict[str, Any] | None:
        if shown_to_employees(push.msg):
            return None
        await self._record(push.msg.from_user, push.entry)
        return {"delivered": False, "why": "not shown to employees"}

    async def _phone_validation(self, push: Push) -> dict[str, Any] | None:
        """A guest not connected yet, where their sub-organization validates: their number first."""
        validating = await self._validating(push.msg, push.account)
        if validating is None:
            return None
        validation, sub, thread, state = validating
        msg, account, openid = push.msg, push.account, push.msg.from_user
        connecting = state is not None and state.step == CONNECTED and (
            thread is None or not thread.connected_by)
        if connecting:  # the connection is being made
            raise RetryLater("the guest is being connected", delay=5)
        wanted = await self._scene_employee(msg)
        if wanted is not None:  # came through an employee's QR code: connected to them once validated
            await self._record(openid, push.entry)
            language = await self._language(account, openid)
            await validation.apply(openid, Scanned(wanted, self.directory.name_of(wanted) or wanted, language=language),
                                   push.job.id, sub=sub, account=account, guest_at=push.acted_at)
            return {"delivered": False, "why": "phone validation first"}
        if msg.msg_type != "text":
            await self._record(openid, push.entry)
            if msg.event == "subscribe" and (state is None or state.step == CONNECTED):
                await validation.apply(openid, Start(language=await self._language(account, openid)), push.job.id,
                                       sub=sub, account=account,  # a new follower is asked for their number
                                       guest_at=push.acted_at)
            return {"delivered": False, "why": "phone validation first"}
        language = None if state else await self._language(account, openid)
        event: Any = GuestText(msg.content or "", language=language)
        if state is not None and state.step == CONNECTED:
            event = Start(language=language)  # their conversation ended: a returning guest
        await validation.apply(openid, event, push.job.id, sub=sub, account=account, guest_at=push.acted_at)
        # An answer to the validation may be a PIN: the job does not keep it (nor does the record).
        return {"delivered": False, "why": "phone validation", "keep_payload": withheld(push.job.payload)}

    async def _routing_assistant(self, push: Push) -> dict[str, Any] | None:
        """A new guest, where their sub-organization has an assistant: it finds whom they want."""
        routing = await self._routing(push.msg, push.account)
        if routing is None:
            return None
        assistant, entry, thread = routing
        msg = push.msg
        route = await assistant.state(msg.from_user)
        language = None if route and route.language else await self._language(push.account, msg.from_user)
        if msg.msg_type != "text":
            await self._record(msg.from_user, push.entry)
        what = {"type": "guest_message", "text": msg.content or "", "language": language} \
            if msg.msg_type == "text" \
            else {"type": "follow" if msg.event == "subscribe" else f"message:{msg.msg_type}"}
        await assistant.apply(msg.from_user, GuestSays(msg.content or "" if msg.msg_type == "text" else "",
                                                       language=language),
                              push.job.id, entry=entry, account=push.account, thread=thread, what=what,
                              guest_at=push.acted_at)
        return {"delivered": False, "why": "routing assistant"}

    async def _guest_thread(self, push: Push) -> dict[str, Any]:
        """The guest's thread: DLP, the conversation's policy decides, then posted to Teams. Decided on
        the copy of the thread this instance last read or wrote (no read): the decision's write, with
        that copy's ETag, confirms everything the post is made of (where, DLP's rules, the words) current
        before it is made; a copy another writer moved on is read again and decided again."""
        for latest in (True, False, False, False, False):
            try:
                return await self._in_thread(push, latest)
            except StaleCopy:
                continue
        raise RetryLater("the thread kept changing while deciding")

    async def _in_thread(self, push: Push, latest: bool) -> dict[str, Any]:
        msg, acted_at = push.msg, push.acted_at
        copy = self.threads.latest(msg.from_user) if latest else None  # as this instance last saw it: no read
        found = await self._thread_for(msg, push.account, copy)
        if found is None and msg.event == "unsubscribe":
            await self._record(msg.from_user, push.entry)
            return {"delivered": False, "why": "unfollowed without a thread"}
        if found is None:
            raise RetryLater("no one to route this guest to: set DEFAULT_TARGET", delay=WAIT_FOR_INSTALL_SECONDS)
        thread, etag = found
        unconfirmed = copy is not None and etag == copy[1]  # the copy as kept: its write may fail (412)
        sub = self.directory.get(thread.sub_org)
        voice = await self._voice(push, thread) if msg.msg_type == "voice" else None
        words = {**msg.guest_words(), **({"Recognition": voice.transcript} if voice and voice.transcript else {})}
        checked = await check_guest_words(words, lambda text: self.dlp_tails.evaluate(
            sub.dlp, text, INBOUND, thread=thread.openid, sender=thread.openid, message_id=push.job.id))
        verdict = checked.verdict if checked else None
        record = {**push.as_sent, **({"dlp": verdict.to_record()} if verdict and verdict.rules else {}),
                  **(voice.record(push.as_sent.get("media", [])) if voice else {})}
        if verdict is not None and verdict.flagged:
            log.warning("DLP flagged a message of thread %s (rules %s)", thread.openid, ", ".join(verdict.rules))
        reasons = verdict.reasons if verdict is not None and verdict.blocked else None  # the guest is told why
        event = policy_event(msg, acted_at, thread.language or None, reasons)
        if push.job.id in thread.applied and unconfirmed:
            raise StaleCopy  # run again (a crash, a post that waited), decided already: the thread as it is now
        if reasons is not None:  # kept from the employees
            if push.job.id not in thread.applied:
                thread = await self._decided(push, (thread, etag), event, record=record, waits=False)
            await self.conversations.start_decided(thread, push.job.id, {})
            return {"delivered": False, "why": "withheld by data-loss prevention", "thread": thread.openid}
        post = self._post(push, thread, sub, checked, voice)
        if push.job.id in thread.applied:
            return await self._decided_before(push, thread, post)
        change = forget_profile if (msg.event or "").lower() == "unsubscribe" else None
        if await self.posts.in_place(thread):
            return await self._post_decided(push, await self._decided(push, (thread, etag), event, record=record,
                                                                      change=change), post)
        if unconfirmed:
            raise StaleCopy  # a first post notes its conversation in the thread: posted first, from a fresh read
        activity_id, wrote = await self.posts.post(thread, post, "teams_post", acted_at)
        # The thread as read is the policy's starting point, unless posting had to change it.
        await self.conversations.apply(thread.openid, event, push.job.id, known=None if wrote else (thread, etag),
                                       record={**record, "teams_activity_id": activity_id}, change=change)
        return {"delivered": True, "teams_activity_id": activity_id, "thread": thread.openid}

    def _post(self, push: Push, thread: Thread, sub: SubOrganization, checked: Any, voice: Voice | None) -> TeamsPost:
        """The guest's push as employees are shown it (DLP's verdict applied)."""
        msg = push.msg
        media = shown_in_teams(self.media, msg.msg_type, push.kept)
        text = describe(msg, thread, sub, checked.shown if checked else None, media)
        post = TeamsPost(text=text, channel_data=origin_channel_data(msg.from_user, msg.dedup_key),
                         images=media.images)
        if self.voice and voice:
            shown = dataclasses.replace(voice, transcript=checked.shown.get("Recognition", voice.transcript)) \
                if checked else voice  # the transcript as DLP lets employees see it
            post = self.voice.post(shown, thread.label, sub.notices, sub.conversation.employee_language,
                                   post.channel_data)
        return post

    async def _decided(self, push: Push, found: tuple[Thread, str], event: Event, **decision: Any) -> Thread:
        """The push decided first, on the thread as found; StaleCopy if another writer moved it since."""
        try:
            return await self.conversations.decide_first(found, event, push.job.id, **decision)
        except (PreconditionFailed, NotFound) as exc:
            raise StaleCopy from exc

    async def _post_decided(self, push: Push, thread: Thread, post: TeamsPost) -> dict[str, Any]:
        """Posted once its decision is written; then the decision's record entry names the post (which
        shows it made), and the job done carries its outcome. A crash before the post posts on the next
        run; between the post and the entry, posts again saying so; after the entry, never again."""
        activity_id = posted_before(push.job) or \
            (await self.posts.post(thread, post, "teams_post", push.acted_at, decided_first=True))[0]
        await self.conversations.start_decided(thread, push.job.id, {"teams_activity_id": activity_id})
        return {"delivered": True, "teams_activity_id": activity_id, "thread": thread.openid}

    async def _decided_before(self, push: Push, thread: Thread, post: TeamsPost) -> dict[str, Any]:
        """Run again with its decision written: posted unless something shows the post made (its outcome
        in the job; after a crash, the decision's record entry naming it)."""
        posted = posted_before(push.job)
        if posted is None and may_have_been_made("teams_post"):
            posted = await self.conversations.posted_by(thread.openid, push.job.id)
        if posted is None:
            return await self._post_decided(push, thread, post)
        await self.conversations.start_decided(thread, push.job.id, {"teams_activity_id": posted})
        return {"delivered": True, "teams_activity_id": posted, "thread": thread.openid}

    # -- what the stages ask ---------------------------------------------------------------------

    async def _voice(self, push: Push, thread: Thread) -> Voice | None:
        """The guest's voice message (its original kept on arrival), converted and transcribed
        (services/guest_voice.py); None where it could not be kept or there is no converter."""
        original = push.kept.originals.get("MediaId") if push.kept else None
        if self.voice is None or original is None:
            return None
        return await self.voice.convert(original, push.msg.fields.get("Recognition") or "", push.job.attempts,
                                        thread.language or None)

    async def _scene_employee(self, msg: WeChatInbound) -> str | None:
        """The employee whose QR code this follow or scan came through, if they may take guests."""
        scene_employee = employee_from_scene(msg.event_key) if msg.event in ("subscribe", "SCAN") else None
        if scene_employee and self.directory.of_employee(scene_employee) is None:
            log.warning("a QR code of an employee in no sub-organization was scanned: routed as any other guest")
            return None
        if scene_employee and not await self.connections.enabled(scene_employee):
            log.warning("a QR code of an employee WeChat is not enabled for was scanned: routed as any other guest")
            return None
        return scene_employee

    async def _language(self, account: str, openid: str) -> str | None:
        """The language the guest uses WeChat in, if WeChat says."""
        return (await self.connections.profile(account, openid)).get("language") or None

    async def _validating(self, msg: WeChatInbound, account: str) \
            -> tuple[ValidationService, SubOrganization, Thread | None, ValidationState | None] | None:
        """The validation, the sub-organization whose phone validation this guest goes through first
        (theirs, where it validates and they have no open conversation yet), their closed
        conversation if any, and their validation so far. None: on as usual."""
        if self.validation is None or msg.event == "unsubscribe":
            return None
        entry = self.connections.entry(account)
        sub = self.directory.for_target(entry) if entry else None
        if sub is None or not sub.validation_region:
            return None
        found = await self.threads.get(msg.from_user)
        if found is not None and found[0].status == "open":
            return None
        state = await self.validation.state(msg.from_user)
        if state is not None and state.step == HANDED_OVER:
            return None  # validated: the routing assistant has them
        return self.validation, sub, found[0] if found else None, state

    async def _routing(self, msg: WeChatInbound, account: str) -> tuple[RoutingService, Target, Thread | None] | None:
        """The routing assistant, where its sub-organization takes this guest's new conversation from
        (and their closed one, if any), when it has an assistant and they have no open conversation
        and came through no employee's QR code. None: on as usual."""
        if self.routing is None or msg.event == "unsubscribe":
            return None
        if msg.event in ("subscribe", "SCAN") and employee_from_scene(msg.event_key):
            return None
        entry = self.connections.entry(account)
        sub = self.directory.for_target(entry) if entry else None
        if entry is None or sub is None or sub.routing is None:
            return None
        found = await self.threads.get(msg.from_user)
        if found is not None and found[0].status == "open":
            return None
        return self.routing, entry, found[0] if found else None

    async def _record(self, openid: str, fields: dict[str, Any]) -> None:
        """A push no policy decision carries (menu clicks, a stranger unfollowing): recorded alone,
        where the guest's sub-organization records (the default's, for a guest without a thread)."""
        if self.recorder is None:
            return
        found = await self.threads.get(openid)
        if found is not None:
            sub = self.directory.get(found[0].sub_org)
        else:
            default = self.connections.default_target
            sub = (default and self.directory.for_target(default)) or self.directory.sub_organizations[0]
        if sub.recording:
            await self.recorder.append(openid, fields)

    async def _thread_for(self, msg: WeChatInbound, account: str, copy: tuple[Thread, str] | None = None) \
            -> tuple[Thread, str] | None:
        """The guest's thread and its ETag, created or re-targeted as the message requires
        (optimistic, retried on races). `copy`: the thread as this instance last saw it, taken for it first."""
        now = self.clock.now()
        scene_employee = await self._scene_employee(msg)
        for attempt in range(5):
            found = (copy if not attempt else None) or await self.threads.get(msg.from_user)
            existing, etag = found if found else (None, None)
            if msg.event == "unsubscribe":
                if existing is None:
                    return None
                updated = existing.with_(status="closed")
            else:
                target, source = assign(existing, scene_employee, self.connections.entry(account))
                if target is None:
                    return None
                if existing is not None and existing.status == "open" and existing.target == target:
                    updated = existing
                else:
                    updated = await self.connections.assigned(existing, msg.from_user, account, target, source, now)
            if existing is not None and etag is not None and updated == existing:
                return existing, etag
            try:
                return updated, await self.threads.save(updated, etag)
            except (Conflict, PreconditionFailed):
                continue  # another message of this guest changed the thread: read it again
        raise RetryLater("thread kept changing under us")
