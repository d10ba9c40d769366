"""WeChat → Teams: persist what the webhook verified, then deliver it to whoever answers the guest."""
from __future__ import annotations

import dataclasses
import functools
import logging
import re
from typing import Any, Mapping


from adapters.teams.errors import BotNotInConversationRoster, ConversationNotFound
from adapters.wechat.errors import WeChatApiError
from cards.text import markdown_literal
from core.clock import Clock
from core.conversation_policy import Event, Follow, GuestMessage, Scan, Unfollow
from core.dlp import INBOUND
from core.inbound import WeChatInbound
from core.storage import Conflict, PreconditionFailed
from core.organizations import DEFAULT_ACCOUNT, Directory, SubOrganization
from core.phone import readable_number
from core.official_account import OfficialAccount
from core.teams_chats import TeamsChats, TeamsPost
from core.threads import Participant, Target, Thread, assign, employee_from_scene
from services.policy import PolicyRunner
from dialogs.phone_validation import CONNECTED, HANDED_OVER, GuestText, Routed, Scanned, Start, ValidationState
from dialogs.routing import GuestSays
from services.guest_dialogs import Connection
from services.enablement import EnablementService
from services.health import PushClock
from services.mail import MailNotices
from services.record import Recorder
from services.routing import RoutingService
from services.validation import ValidationService
from services.jobs import Job, OutcomeUnknown, PermanentError, RetryLater, Worker, effect
from services.threads import ThreadStore, conversation_key

log = logging.getLogger(__name__)

KIND = "wechat_inbound"
WAIT_FOR_INSTALL_SECONDS = 15 * 60
MEDIA_TYPES = frozenset({"image", "voice", "video", "shortvideo", "location", "link", "file"})  # inbound_<type>
EVENT_NOTICES = {"subscribe": "inbound_followed", "scan": "inbound_scanned", "unsubscribe": "inbound_unfollowed"}


def origin_channel_data(openid: str, dedup_key: str) -> dict[str, Any]:
    """Marks what the bridge posts, so it is never taken for an employee's message and echoed back."""
    return {"notification": {"alert": True}, "wechatBridge": {"origin": "wechat", "openid": openid, "key": dedup_key}}


SHOWN_EVENTS = {"subscribe", "scan", "unsubscribe"}
ASSIGNMENT_EXTRAS = ("reference", "status_activity_id", "returns_to")  # of one assignment only


def shown_to_employees(msg: WeChatInbound) -> bool:
    """Menu clicks, link views and location reports are recorded but not posted to anyone."""
    return msg.msg_type != "event" or (msg.event or "").lower() in SHOWN_EVENTS


def describe(msg: WeChatInbound, thread: Thread, sub: SubOrganization, text: str | None = None) -> str:
    """The text employees see for a push, in their sub-organization's language (`text`: the
    message's, as DLP lets it through)."""
    params = {"who": f"**{markdown_literal(thread.label)}**"}
    if msg.msg_type == "text":
        key = "inbound_text"
        params["text"] = markdown_literal(msg.content or "" if text is None else text)
    elif msg.msg_type == "event":
        key = EVENT_NOTICES[(msg.event or "").lower()]
        if key == "inbound_followed" and thread.source == "qr":
            key = "inbound_followed_qr"
    elif msg.msg_type in MEDIA_TYPES:
        key = f"inbound_{msg.msg_type}"
    else:
        key = "inbound_unknown"
        params["type"] = markdown_literal(msg.msg_type)
    return sub.notices.render(key, sub.policy.employee_language, **params)


WITHHELD = "[an answer to the phone validation: not kept]"  # in the stored job, never shown
_RAW_CONTENT = re.compile(r"<Content>.*?</Content>", re.DOTALL)


def withheld(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An inbound job's payload without the guest's text, wherever it is kept (the message, its
    fields as pushed, WeChat's raw XML): an answer to the phone validation may be a PIN, however
    it is written ("123 456", full-width digits …)."""
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


def policy_event(msg: WeChatInbound, at: float, language: str | None,
                 withheld: Mapping[str, str] | None = None) -> Event:
    """What a push means to the WeChat policy (shown pushes only: see shown_to_employees); `at`: when
    the guest acted (WeChat's windows count from then, however late it is decided); `language`: the
    guest's WeChat language, for the notices they get; `withheld`: why DLP kept it from the employees."""
    event = (msg.event or "").lower()
    if msg.msg_type != "event":
        return GuestMessage(text=msg.content or "", language=language, withheld=withheld, at=at)
    events: dict[str, Event] = {"subscribe": Follow(language=language, at=at), "scan": Scan(language=language, at=at)}
    return events.get(event, Unfollow())


class InboundService:
    def __init__(
        self,
        *,
        worker: Worker,
        threads: ThreadStore,
        teams: TeamsChats,
        wechat: Mapping[str, OfficialAccount],
        clock: Clock,
        default_target: Target | None,
        policy: PolicyRunner,
        directory: Directory,
        recorder: Recorder | None = None,
        enablement: EnablementService | None = None,
        pushes: PushClock | None = None,
    ) -> None:
        self.enablement = enablement  # who may use WeChat from Teams: guests reach only them
        self.pushes = pushes  # when WeChat last pushed (the admin card's health)
        # Guests' phone validation and the routing assistant, where some sub-organization has
        # them: set by app.py once built, since they connect guests through `connect`.
        self.validation: ValidationService | None = None
        self.routing: RoutingService | None = None
        self.mail: MailNotices | None = None  # e-mail at the employee's notification address (MAIL_*)
        self.worker = worker
        self.threads = threads
        self.teams = teams
        self.wechat = wechat
        self.clock = clock
        self.default_target = default_target
        self.policy = policy
        self.directory = directory
        self.recorder = recorder

    async def accept(self, msg: WeChatInbound, raw_xml: bytes, account: str = DEFAULT_ACCOUNT) -> None:
        """Called by the webhook of Official Account `account` before it acknowledges: persist, then
        run without waiting."""
        message = {**vars(msg), "fields": dict(msg.fields)}  # dataclasses.asdict, without its deep copies
        payload = {"message": message, "received_at": self.clock.now(),
                   "raw": raw_xml.decode("utf-8", "replace"), "account": account}
        if await self.worker.enqueue(KIND, msg.dedup_key, payload, pk=msg.from_user) is None:
            log.info("duplicate push %s ignored (WeChat retry)", msg.dedup_key)

    async def handle(self, job: Job) -> dict[str, Any]:
        if self.pushes is not None:
            await self.pushes.seen()
        msg = WeChatInbound(**job.payload["message"])
        account = job.payload.get("account", DEFAULT_ACCOUNT)
        acted_at = msg.acted_at(job.payload.get("received_at"))  # WeChat's windows count from then
        push = {"account": account, "received_at": job.payload.get("received_at"),
                "push": dataclasses.asdict(msg)}  # as WeChat sent it, for the compliance record
        if not shown_to_employees(msg):
            await self._record(msg.from_user, {"kind": "inbound", **push, "event": job.id})
            return {"delivered": False, "why": "not shown to employees"}
        validating = await self._validating(msg, account)
        if validating is not None:  # not connected yet: the guest proves their number first
            validation, sub, thread, state = validating
            connecting = state is not None and state.step == CONNECTED and (
                thread is None or not thread.extra.get("connected_by"))
            if connecting:  # the connection is being made
                raise RetryLater("the guest is being connected", delay=5)
            wanted = await self._scene_employee(msg)
            if wanted is not None:  # came through an employee's QR code: connected to them once validated
                await self._record(msg.from_user, {"kind": "inbound", **push, "event": job.id})
                language = (await self._profile(account, msg.from_user)).get("language") or None
                await validation.apply(msg.from_user, Scanned(wanted, self.directory.name_of(wanted) or wanted,
                                                              language=language),
                                       job.id, sub=sub, account=account, guest_at=acted_at)
                return {"delivered": False, "why": "phone validation first"}
            if msg.msg_type != "text":
                await self._record(msg.from_user, {"kind": "inbound", **push, "event": job.id})
                if msg.event == "subscribe" and (state is None or state.step == CONNECTED):
                    language = (await self._profile(account, msg.from_user)).get("language") or None
                    await validation.apply(msg.from_user, Start(language=language), job.id, sub=sub,
                                           account=account,  # a new follower is asked for their number
                                           guest_at=acted_at)
                return {"delivered": False, "why": "phone validation first"}
            language = None if state else (await self._profile(account, msg.from_user)).get("language") or None
            event: Any = GuestText(msg.content or "", language=language)
            if state is not None and state.step == CONNECTED:
                event = Start(language=language)  # their conversation ended: a returning guest
            await validation.apply(msg.from_user, event, job.id, sub=sub, account=account, guest_at=acted_at)
            # An answer to the validation may be a PIN: the job does not keep it (nor does the record).
            return {"delivered": False, "why": "phone validation", "keep_payload": withheld(job.payload)}
        routing = await self._routing(msg, account)
        if routing is not None:  # a new guest: the assistant finds whom they want
            assistant, entry, thread = routing
            route = await assistant.state(msg.from_user)
            language = None if route and route.language else \
                (await self._profile(account, msg.from_user)).get("language") or None
            if msg.msg_type != "text":
                await self._record(msg.from_user, {"kind": "inbound", **push, "event": job.id})
            what = {"type": "guest_message", "text": msg.content or "", "language": language} \
                if msg.msg_type == "text" \
                else {"type": "follow" if msg.event == "subscribe" else f"message:{msg.msg_type}"}
            await assistant.apply(msg.from_user, GuestSays(msg.content or "" if msg.msg_type == "text" else "",
                                                           language=language),
                                  job.id, entry=entry, account=account, thread=thread, what=what,
                                  guest_at=acted_at)
            return {"delivered": False, "why": "routing assistant"}
        found = await self._thread_for(msg, account)
        if found is None and msg.event == "unsubscribe":
            await self._record(msg.from_user, {"kind": "inbound", **push, "event": job.id})
            return {"delivered": False, "why": "unfollowed without a thread"}
        if found is None:
            raise RetryLater("no one to route this guest to: set DEFAULT_TARGET", delay=WAIT_FOR_INSTALL_SECONDS)
        thread, etag = found
        verdict = self.directory.get(thread.sub_org).dlp.evaluate(msg.content or "", INBOUND) \
            if msg.msg_type == "text" else None
        record = {**push, **({"dlp": verdict.to_record()} if verdict and verdict.rules else {})}
        if verdict is not None and verdict.flagged:
            log.warning("DLP flagged a message of thread %s (rules %s)", thread.openid, ", ".join(verdict.rules))
        if verdict is not None and verdict.blocked:  # withheld from the employees; the guest is told why
            await self.policy.apply(thread.openid,
                                    policy_event(msg, acted_at, thread.language or None, verdict.reasons),
                                    job.id, known=(thread, etag), record=record)
            return {"delivered": False, "why": "withheld by data-loss prevention", "thread": thread.openid}
        text = describe(msg, thread, self.directory.get(thread.sub_org), verdict.delivered if verdict else None)
        post = TeamsPost(text=text, channel_data=origin_channel_data(msg.from_user, msg.dedup_key))
        activity_id, wrote = await self._post(thread, post, "teams_post")
        # The thread as read is the policy's starting point, unless posting had to change it.
        known = None if wrote else (thread, etag)
        await self.policy.apply(thread.openid, policy_event(msg, acted_at, thread.language or None), job.id,
                                known=known, record={**record, "teams_activity_id": activity_id},
                                change=forget_profile if (msg.event or "").lower() == "unsubscribe" else None)
        return {"delivered": True, "teams_activity_id": activity_id, "thread": thread.openid}

    async def _scene_employee(self, msg: WeChatInbound) -> str | None:
        """The employee whose QR code this follow or scan came through, if they may take guests."""
        scene_employee = employee_from_scene(msg.event_key) if msg.event in ("subscribe", "SCAN") else None
        if scene_employee and self.directory.of_employee(scene_employee) is None:
            log.warning("a QR code of an employee in no sub-organization was scanned: routed as any other guest")
            return None
        if scene_employee and not await self._enabled(scene_employee):
            log.warning("a QR code of an employee WeChat is not enabled for was scanned: routed as any other guest")
            return None
        return scene_employee

    async def _enabled(self, aad: str) -> bool:
        return self.enablement is None or await self.enablement.allows(aad)

    def _entry(self, account: str) -> Target | None:
        """Where new guests of Official Account `account` go (DEFAULT_TARGET, or its inbox)."""
        return self.default_target if account == DEFAULT_ACCOUNT else self.directory.inbox_of_account(account)

    async def _validating(self, msg: WeChatInbound, account: str) \
            -> tuple[ValidationService, SubOrganization, Thread | None, ValidationState | None] | None:
        """The validation, the sub-organization whose phone validation this guest goes through first
        (theirs, where it validates and they have no open conversation yet), their closed
        conversation if any, and their validation so far. None: on as usual."""
        if self.validation is None or msg.event == "unsubscribe":
            return None
        found = await self.threads.get(msg.from_user)
        if found is not None and found[0].status == "open":
            return None
        entry = self._entry(account)
        sub = self.directory.for_target(entry) if entry else None
        if sub is None or not sub.validation_region:
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
        entry = self._entry(account)
        sub = self.directory.for_target(entry) if entry else None
        if entry is None or sub is None or sub.routing is None:
            return None
        found = await self.threads.get(msg.from_user)
        if found is not None and found[0].status == "open":
            return None
        return self.routing, entry, found[0] if found else None

    async def connect(self, c: Connection) -> None:
        """A new guest is connected, once a dialog found whom they want (the employee they named
        after validating their number, the one the routing assistant found, or the inbox): their
        conversation is assigned, the employees are told (with the guest's words); the
        conversation's policy takes the guest's last message as the one that opened WeChat's
        window, and says the dialog's last words to the guest (so WeChat's quota counts them)."""
        if c.target.kind == "employee" and not await self._enabled(c.target.id):
            entry = self._entry(c.account)
            if entry is not None and entry != c.target:  # they could not answer: the inbox will
                log.info("a guest asked for an employee WeChat is not enabled for: connected to the inbox")
                sub = self.directory.for_target(entry) or self.directory.sub_organizations[0]
                c = dataclasses.replace(c, target=entry, source="routing_inbox",
                                        text=sub.notices.render("routing_to_inbox", c.language or "zh-CN"))
        if self.validation is not None and c.source in ("routed", "routing_inbox") and not c.number:
            state = await self.validation.state(c.openid)  # validated, then routed
            if state is not None and state.step in (HANDED_OVER, CONNECTED) and state.validated_number:
                c = dataclasses.replace(c, number=state.validated_number, validated_at=state.validated_at)
        target, now = c.target, self.clock.now()
        for _ in range(5):
            found = await self.threads.get(c.openid)
            existing, etag = found if found else (None, None)
            if existing is not None and existing.extra.get("connected_by") == c.event_id:
                thread = existing  # this connection was made before (a re-run)
                break
            assigned = await self._assigned(existing, c.openid, c.account, target, c.source, now)
            validated = {"validated_phone": c.number, "validated_at": c.validated_at} if c.number else {}
            thread = assigned.with_(extra={**assigned.extra, **validated, "connected_by": c.event_id})
            try:
                await self.threads.save(thread, etag)
                break
            except (Conflict, PreconditionFailed):
                continue
        else:
            raise RetryLater("thread kept changing under us")
        told = self._connected_lines(thread, c)
        # Once, however often the connection's job runs: the post is one of its effects.
        text = f"**{markdown_literal(thread.label)}** · " + "\n\n".join(
            f"> {markdown_literal(line[2:])}" if line.startswith("> ") else markdown_literal(line) for line in told)
        await self._post(thread, TeamsPost(text=text, channel_data=origin_channel_data(c.openid, c.event_id)),
                         "teams_connected")
        person = self.directory.person(c.target.id) if c.target.kind == "employee" else None
        if self.mail is not None and person is not None and person.notify_email:
            thread_sub = self.directory.get(thread.sub_org)
            language = thread_sub.policy.employee_language
            await self.mail.tell(c.event_id, person.notify_email,
                                 thread_sub.notices.render("mail_new_guest_subject", language, guest=thread.label),
                                 thread_sub.notices.render("mail_new_guest", language, guest=thread.label,
                                                           details="\n\n".join(told)))
        # The dialog's last words open the welcome, in one WeChat message with the rules.
        await self.policy.apply(c.openid, GuestMessage("", language=thread.language or None, at=c.guest_at,
                                                    sent_since=c.sent_since, said=c.text),
                                f"{c.event_id}:guest",
                                record={"validated_phone": c.number} if c.number else None)
        if c.number and c.source != "validated" and self.validation is not None:  # a returning guest confirms it
            entry = self._entry(c.account)
            validating = self.directory.for_target(entry) if entry else None
            if validating is not None and validating.validation_region:
                await self.validation.apply(c.openid, Routed(), f"{c.event_id}:validation", sub=validating,
                                            account=c.account)

    def _connected_lines(self, thread: Thread, c: Connection) -> list[str]:
        """What the employees are told of a guest a dialog connected: their validated number, how
        they came, and what they wrote to the assistant, in their own words ("> " lines)."""
        sub = self.directory.for_target(c.target) or self.directory.get(thread.sub_org)
        language = sub.policy.employee_language
        lines = []
        if c.number:
            lines.append(sub.notices.render("validated_guest_connected", language, number=readable_number(c.number)))
        if c.source in ("routed", "routing_inbox"):
            key = "routed_guest_connected" if c.source == "routed" else "routed_guest_to_inbox"
            lines.append(sub.notices.render(key, language))
            for words in c.words:  # as inbound data-loss prevention lets them through (the record keeps them)
                shown = sub.dlp.evaluate(words, INBOUND).delivered
                withheld = sub.notices.render("inbound_withheld_line", language)
                lines += [f"> {line}" for line in (shown.splitlines() or [""] if shown is not None else [withheld])]
        return lines

    async def _record(self, openid: str, fields: dict[str, Any]) -> None:
        """A push no policy decision carries (menu clicks, a stranger unfollowing): recorded alone,
        where the guest's sub-organization records (the default's, for a guest without a thread)."""
        if self.recorder is None:
            return
        found = await self.threads.get(openid)
        if found is not None:
            sub = self.directory.get(found[0].sub_org)
        else:
            sub = (self.default_target and self.directory.for_target(self.default_target)) \
                or self.directory.sub_organizations[0]
        if sub.recording:
            await self.recorder.append(openid, fields)

    async def _thread_for(self, msg: WeChatInbound, account: str) -> tuple[Thread, str] | None:
        """The guest's thread and its ETag, created or re-targeted as the message requires
        (optimistic, retried on races)."""
        now = self.clock.now()
        scene_employee = await self._scene_employee(msg)
        for _ in range(5):
            found = await self.threads.get(msg.from_user)
            existing, etag = found if found else (None, None)
            if msg.event == "unsubscribe":
                if existing is None:
                    return None
                updated = existing.with_(status="closed")
            else:
                target, source = assign(existing, scene_employee, self._entry(account))
                if target is None:
                    return None
                if existing is not None and existing.status == "open" and existing.target == target:
                    updated = existing
                else:
                    updated = await self._assigned(existing, msg.from_user, account, target, source, now)
            if existing is not None and etag is not None and updated == existing:
                return existing, etag
            try:
                return updated, await self.threads.save(updated, etag)
            except (Conflict, PreconditionFailed):
                continue  # another message of this guest changed the thread: read it again
        raise RetryLater("thread kept changing under us")

    async def _assigned(self, existing: Thread | None, openid: str, account: str, target: Target, source: str,
                        now: float) -> Thread:
        """A new assignment of the guest. WeChat's window and the policy's outbox carry over (WeChat
        counts per guest, and command ids must never repeat); where it was posted does not."""
        sub = self.directory.for_target(target) or self.directory.sub_organizations[0]
        participants = (Participant(target.id, self.directory.name_of(target.id)),) if target.kind == "employee" else ()
        base = existing or Thread(openid=openid, target=target)
        profile = await self._profile(account, openid) if not (base.nickname and base.language) else {}
        return base.with_(
            account=account, target=target, source=source, status="open", created_at=now, participants=participants,
            sub_org=sub.id, generation=base.generation + 1,
            nickname=base.nickname or str(profile.get("nickname") or ""),
            language=base.language or str(profile.get("language") or ""),
            teams_conversation_id=await self._personal_conversation_id(target),
            extra={k: v for k, v in base.extra.items() if k not in ASSIGNMENT_EXTRAS})

    async def _personal_conversation_id(self, target: Target) -> str:
        """Known at once for an employee who installed the app (saves a second write); a channel
        thread's id exists only once its first message is posted."""
        if target.kind != "employee":
            return ""
        reference = await self.threads.reference(conversation_key("employee", target.id))
        return reference["conversation"]["id"] if reference else ""

    async def _profile(self, account: str, openid: str) -> dict[str, Any]:
        """WeChat's user info: the nickname (empty since WeChat stopped giving it out in 2021) and
        the language the guest uses WeChat in (their notices' language)."""
        try:
            return await self.wechat[account].user_info(openid)
        except WeChatApiError as exc:  # nice to have, never a reason to hold a message back
            log.info("no user info for a guest: %s", exc)
            return {}

    async def _post(self, thread: Thread, post: TeamsPost, name: str) -> tuple[str, bool]:
        """Post once per job (the effect `name`: a job run again after a crash finds its outcome and
        does not post twice): the posted activity's id, and whether the thread had to be written to
        record where. A post whose answer was lost is made again: a guest's words lost are worse than
        shown twice."""
        if thread.target.kind == "employee":
            key = conversation_key("employee", thread.target.id)
            reference = await self.threads.reference(key)
            if reference is None:
                raise RetryLater(f"employee {thread.target.id} has not installed the app yet",
                                 delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key)
            activity_id = await effect(name, lambda: self._send(reference, post, key))
            if thread.teams_conversation_id == reference["conversation"]["id"]:
                return activity_id, False
            await self._set_conversation(thread, reference["conversation"]["id"], None)
            return activity_id, True
        # A team channel: each guest gets a thread of its own, started by their first message.
        known: dict[str, Any] | None = thread.extra.get("reference")
        if known and thread.teams_conversation_id:
            return await effect(name, lambda: self._send(known, post, str(thread.target))), False
        key = conversation_key("channel", thread.target.id)
        channel_reference = await self.threads.reference(key)
        if channel_reference is None:
            raise RetryLater(f"the app is not installed in the team of channel {thread.target.id}",
                             delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key)

        thread_reference, activity_id = await self._start_thread(thread, channel_reference, post, name)
        await self._set_conversation(thread, thread_reference["conversation"]["id"], thread_reference)
        return activity_id, True

    async def _start_thread(self, thread: Thread, channel: dict[str, Any], post: TeamsPost,
                            name: str) -> list[Any]:
        """A guest's thread in a channel, started once per job. A start a crash cut short may have
        made a thread this job never learnt of (Teams takes no idempotency key): the next start says
        so, and that answers belong in it (an answer in the other thread would not be received)."""
        for attempt in range(1, 10):
            try:
                return await effect(f"{name}:{attempt}" if attempt > 1 else name,
                                    functools.partial(self._started, channel, post), unknown_if_interrupted=True)
            except OutcomeUnknown:
                sub = self.directory.get(thread.sub_org)
                note = sub.notices.render("inbound_thread_again", sub.policy.employee_language)
                post = dataclasses.replace(post, text=f"{note}\n\n{post.text}")
        raise PermanentError(f"the thread of guest {thread.openid} could not be started")

    async def _started(self, channel: dict[str, Any], post: TeamsPost) -> list[Any]:
        return list(await self.teams.start_thread(channel, post))

    async def _send(self, reference: dict[str, Any], post: TeamsPost, key: str) -> str:
        try:
            return await self.teams.post(reference, post)
        except (BotNotInConversationRoster, ConversationNotFound) as exc:
            self.threads.forget_reference(key)
            raise RetryLater(f"{key}: {exc}; waiting for the app to be installed again",
                             delay=WAIT_FOR_INSTALL_SECONDS, waiting_for=key) from exc

    async def _set_conversation(self, thread: Thread, conversation_id: str, reference: dict | None) -> None:
        extra = {"reference": reference} if reference else {}
        await self.threads.update(thread.openid, lambda t: t.with_(teams_conversation_id=conversation_id,
                                                                   extra={**t.extra, **extra}))
