"""Finding a WeChat contact from Teams (`find`, the message extension): by the name employees know
them by, their WeChat nickname, or their phone number (validated, any format), among the
conversations the employee can open: theirs (they answer it or take part), and those of their
sub-organization's inbox channel. Most recent first."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from urllib.parse import quote

from adapters.teams.errors import TeamsError
from cards.contacts import ContactView
from cards.text import markdown_literal
from core.organizations import Directory
from core.phone import readable_number
from core.storage import THREADS, Storage
from core.threads import Target, Thread
from services.jobs import RetryLater
from services.live_cards import LiveCards
from services.participants import NOT_VALID
from services.teams_texts import TeamsTexts, employee_texts
from services.threads import ThreadStore

MAX_FOUND = 10
SCANNED = 5000  # threads read per search for those taken part in elsewhere (see `find`)


@dataclass(frozen=True)
class Found:
    thread: Thread
    view: ContactView


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def may_open(thread: Thread, aad: str, directory: Directory) -> bool:
    """The employee's own conversation (their chat with the bot), or a thread of a team channel that
    they take part in or that is their sub-organization's inbox."""
    if thread.target.kind == "employee":
        return thread.target.id == aad
    sub = directory.of_employee(aad)
    return thread.participant(aad) is not None or (sub is not None and sub.inbox == thread.target)


def matches(thread: Thread, query: str) -> bool:
    q = _fold(query)
    if not q:
        return False
    names = [thread.nickname, thread.label, thread.openid]
    if any(q in _fold(n) for n in names if n):
        return True
    digits = re.sub(r"\D", "", q)
    phone = thread.validated_phone or ""
    return len(digits) >= 4 and digits in re.sub(r"\D", "", phone)


def view(thread: Thread, aad: str, directory: Directory, texts: TeamsTexts) -> ContactView:
    """The contact as `aad` sees it, in their words (`texts`)."""
    phone = thread.validated_phone
    last = thread.last_guest_message_at or None
    if thread.target.kind == "employee":
        where = texts("teams_where_own") if thread.target.id == aad else texts(
            "teams_where_colleague", name=directory.name_of(thread.target.id) or texts("teams_colleague"))
    else:
        sub = directory.for_target(thread.target)
        where = texts("teams_where_inbox", sub=sub.name) if sub else texts("teams_where_channel")
    return ContactView(openid=thread.openid, name=thread.label, phone=readable_number(phone) if phone else None,
                       last_message_at=last, status=thread.status, where=where)


class Contacts:
    def __init__(self, *, storage: Storage, threads: ThreadStore, directory: Directory,
                 live_cards: LiveCards) -> None:
        self.storage = storage
        self.threads = threads
        self.directory = directory
        self.live_cards = live_cards

    async def find(self, aad: str, query: str) -> list[Found]:
        """The contacts `query` matches (an empty one: the most recent) that `aad` may open: every thread of
        their own chat and of their sub-organization's inbox (queried by target, however many threads are
        stored), and those they took part in elsewhere (a channel that was the inbox before: found among the
        first SCANNED threads only; a larger deployment wants a search index for them)."""
        sub = self.directory.of_employee(aad)
        targets = [str(Target("employee", aad)), *([str(sub.inbox)] if sub is not None and sub.inbox else [])]
        items = [item for target in targets for item in await self.storage.query(THREADS, equals={"target": target})]
        items += [item for item in await self.storage.query(THREADS, limit=SCANNED)
                  if item.body.get("target") not in targets]
        threads = [Thread.from_body(item.body) for item in items]
        hits = [t for t in threads if may_open(t, aad, self.directory) and (not query.strip() or matches(t, query))]
        hits.sort(key=lambda t: (t.status != "open", -(t.last_guest_message_at or t.created_at)))
        texts = employee_texts(self.directory, aad)
        return [Found(t, view(t, aad, self.directory, texts)) for t in hits[:MAX_FOUND]]

    async def open(self, aad: str, openid: object) -> str:
        """The contact's live card, posted again in their conversation (so it is the latest there, and
        the only live copy); what to tell the employee who asked (Markdown)."""
        texts = employee_texts(self.directory, aad)
        found = await self.threads.get(openid) if isinstance(openid, str) else None
        if found is None or not may_open(found[0], aad, self.directory):
            return texts(NOT_VALID)
        thread = found[0]
        guest = markdown_literal(thread.label)
        if not thread.teams_conversation_id:
            return texts("teams_open_not_written", guest=guest)
        try:
            await self.live_cards.repost_live_card(thread)
        except (RetryLater, TeamsError):  # not known yet, or Teams refused the post
            return texts("teams_open_unreachable")
        if thread.target.kind == "employee":
            return texts("teams_opened_chat", guest=guest)
        channel, _, root = thread.teams_conversation_id.partition(";messageid=")
        link = f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{quote(root, safe='')}"
        where = view(thread, aad, self.directory, texts).where
        return texts("teams_opened_thread", guest=guest, where=where, link=link)
