"""A guest connected to whoever answers them: their conversation assigned (an employee, a channel,
the inbox), the employees told (in Teams, and by e-mail where they want it), the conversation's
policy started with the dialog's last words.

A push assigns a guest as it comes (services/inbound.py, `assigned`); the dialogs a new guest goes
through first (the phone validation, the routing assistant) end in a connection job of their own
(VALIDATION_CONNECT, ROUTING_CONNECT), handled here: retried until the conversation is open and both
sides were told (the employee may not have the app yet).
"""
from __future__ import annotations

import dataclasses
import logging
from typing import Any, Mapping

from adapters.wechat.errors import WeChatApiError
from cards.text import markdown_literal
from core.clock import Clock
from core.conversation_policy import GuestMessage
from core.dlp import INBOUND
from core.official_account import OfficialAccount
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.phone import readable_number
from core.storage import Conflict, PreconditionFailed
from core.teams_chats import TeamsPost
from core.threads import OF_ONE_ASSIGNMENT, Participant, Target, Thread
from dialogs.phone_validation import CONNECTED, HANDED_OVER, Routed
from services.conversation_runner import ConversationRunner
from services.enablement import EnablementService
from services.guest_dialogs import GuestConnectionRequest
from services.guest_posts import GuestPosts, origin_channel_data
from services.jobs import Job, RetryLater
from services.mail import MailNotices
from services.threads import ThreadStore, conversation_key
from services.validation import ValidationService

log = logging.getLogger(__name__)


class GuestConnections:
    def __init__(self, *, threads: ThreadStore, wechat: Mapping[str, OfficialAccount], directory: Directory,
                 clock: Clock, posts: GuestPosts, conversations: ConversationRunner, default_target: Target | None,
                 enablement: EnablementService | None = None, validation: ValidationService | None = None,
                 mail: MailNotices | None = None) -> None:
        self.threads = threads
        self.wechat = wechat
        self.directory = directory
        self.clock = clock
        self.posts = posts
        self.conversations = conversations
        self.default_target = default_target
        self.enablement = enablement  # who may use WeChat from Teams: guests reach only them
        self.validation = validation  # where some sub-organization validates guests' numbers
        self.mail = mail  # e-mail at the employee's notification address (MAIL_*)

    def entry(self, account: str) -> Target | None:
        """Where new guests of Official Account `account` go (DEFAULT_TARGET, or its inbox)."""
        return self.default_target if account == DEFAULT_ACCOUNT else self.directory.inbox_of_account(account)

    async def enabled(self, aad: str) -> bool:
        return self.enablement is None or await self.enablement.allows(aad)

    # -- the connection jobs --------------------------------------------------------------------

    async def validated(self, job: Job) -> dict[str, Any]:
        """A guest who validated their number, connected to the employee they named."""
        p = job.payload
        await self.make(GuestConnectionRequest(p["openid"], Target("employee", p["employee"]), p["account"],
                                               p["text"], p["language"], job.id, "validated", p["number"],
                                               p["validated_at"], guest_at=p.get("guest_at"),
                                               sent_since=p.get("sent_since", 0)))
        return {"connected": p["employee"]}

    async def routed(self, job: Job) -> dict[str, Any]:
        """A guest connected to whom the routing assistant found (or its inbox)."""
        p = job.payload
        await self.make(GuestConnectionRequest(p["openid"], Target.parse(p["target"]), p["account"], p["text"],
                                               p["language"], job.id, p["source"], words=tuple(p["words"]),
                                               guest_at=p.get("guest_at")))
        return {"connected": p["target"]}

    async def make(self, c: GuestConnectionRequest) -> None:
        """A new guest is connected, once a dialog found whom they want (the employee they named
        after validating their number, the one the routing assistant found, or the inbox): their
        conversation is assigned, the employees are told (with the guest's words); the
        conversation's policy takes the guest's last message as the one that opened WeChat's
        window, and says the dialog's last words to the guest (so WeChat's quota counts them)."""
        if c.target.kind == "employee" and not await self.enabled(c.target.id):
            entry = self.entry(c.account)
            if entry is not None and entry != c.target:  # they could not answer: the inbox will
                log.info("a guest asked for an employee WeChat is not enabled for: connected to the inbox")
                sub = self.directory.for_target(entry) or self.directory.sub_organizations[0]
                c = dataclasses.replace(c, target=entry, source="routing_inbox",
                                        text=sub.notices.render("routing_to_inbox", c.language or "zh-CN"))
        if self.validation is not None and c.source in ("routed", "routing_inbox") and not c.number:
            state = await self.validation.state(c.openid)  # validated, then routed
            if state is not None and state.step in (HANDED_OVER, CONNECTED) and state.validated_number:
                c = dataclasses.replace(c, number=state.validated_number, validated_at=state.validated_at)
        thread = await self._assign(c)
        told = self._connected_lines(thread, c)
        # Once, however often the connection's job runs: the post is one of its effects.
        text = f"**{markdown_literal(thread.label)}** · " + "\n\n".join(
            f"> {markdown_literal(line[2:])}" if line.startswith("> ") else markdown_literal(line) for line in told)
        await self.posts.post(thread, TeamsPost(text=text, channel_data=origin_channel_data(c.openid, c.event_id)),
                              "teams_connected")
        await self._mail(thread, c, told)
        # The dialog's last words open the welcome, in one WeChat message with the rules.
        await self.conversations.apply(c.openid, GuestMessage("", language=thread.language or None, at=c.guest_at,
                                                              sent_since=c.sent_since, said=c.text),
                                       f"{c.event_id}:guest",
                                       record={"validated_phone": c.number} if c.number else None)
        if c.number and c.source != "validated" and self.validation is not None:  # a returning guest confirms it
            entry = self.entry(c.account)
            validating = self.directory.for_target(entry) if entry else None
            if validating is not None and validating.validation_region:
                await self.validation.apply(c.openid, Routed(), f"{c.event_id}:validation", sub=validating,
                                            account=c.account)

    async def _assign(self, c: GuestConnectionRequest) -> Thread:
        """The guest's conversation with `c.target`, written once per connection (a re-run finds it)."""
        now = self.clock.now()
        for _ in range(5):
            found = await self.threads.get(c.openid)
            existing, etag = found if found else (None, None)
            if existing is not None and existing.connected_by == c.event_id:
                return existing  # this connection was made before (a re-run)
            assigned = await self.assigned(existing, c.openid, c.account, c.target, c.source, now)
            validated = {"validated_phone": c.number, "validated_at": c.validated_at} if c.number else {}
            thread = assigned.with_(**validated, connected_by=c.event_id)
            try:
                await self.threads.save(thread, etag)
                return thread
            except (Conflict, PreconditionFailed):
                continue
        raise RetryLater("thread kept changing under us")

    async def _mail(self, thread: Thread, c: GuestConnectionRequest, told: list[str]) -> None:
        """The employee told by e-mail too, where they gave an address."""
        person = self.directory.person(c.target.id) if c.target.kind == "employee" else None
        if self.mail is None or person is None or not person.notify_email:
            return
        sub = self.directory.get(thread.sub_org)
        language = sub.conversation.employee_language
        await self.mail.tell(c.event_id, person.notify_email,
                             sub.notices.render("mail_new_guest_subject", language, guest=thread.label),
                             sub.notices.render("mail_new_guest", language, guest=thread.label,
                                                details="\n\n".join(told)))

    def _connected_lines(self, thread: Thread, c: GuestConnectionRequest) -> list[str]:
        """What the employees are told of a guest a dialog connected: their validated number, how
        they came, and what they wrote to the assistant, in their own words ("> " lines)."""
        sub = self.directory.for_target(c.target) or self.directory.get(thread.sub_org)
        language = sub.conversation.employee_language
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

    # -- an assignment, also of a guest a push assigns ------------------------------------------

    async def assigned(self, existing: Thread | None, openid: str, account: str, target: Target, source: str,
                       now: float) -> Thread:
        """A new assignment of the guest. WeChat's window and the policy's outbox carry over (WeChat
        counts per guest, and command ids must never repeat); where it was posted does not."""
        sub = self.directory.for_target(target) or self.directory.sub_organizations[0]
        participants = (Participant(target.id, self.directory.name_of(target.id)),) if target.kind == "employee" else ()
        base = existing or Thread(openid=openid, target=target)
        profile = await self.profile(account, openid) if not (base.nickname and base.language) else {}
        return base.with_(
            account=account, target=target, source=source, status="open", created_at=now, participants=participants,
            sub_org=sub.id, generation=base.generation + 1,
            nickname=base.nickname or str(profile.get("nickname") or ""),
            language=base.language or str(profile.get("language") or ""),
            teams_conversation_id=await self._personal_conversation_id(target),
            **dict.fromkeys(OF_ONE_ASSIGNMENT))

    async def _personal_conversation_id(self, target: Target) -> str:
        """Known at once for an employee who installed the app (saves a second write); a channel
        thread's id exists only once its first message is posted."""
        if target.kind != "employee":
            return ""
        reference = await self.threads.reference(conversation_key("employee", target.id))
        return reference["conversation"]["id"] if reference else ""

    async def profile(self, account: str, openid: str) -> dict[str, Any]:
        """WeChat's user info: the nickname (empty since WeChat stopped giving it out in 2021) and
        the language the guest uses WeChat in (their notices' language)."""
        try:
            return await self.wechat[account].user_info(openid)
        except WeChatApiError as exc:  # nice to have, never a reason to hold a message back
            log.info("no user info for a guest: %s", exc)
            return {}
