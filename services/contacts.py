"""Finding a WeChat contact from Teams (`find`, the message extension): by the name employees know
them by, their WeChat nickname, or their phone number (validated, any format), among the
conversations the employee can open: theirs (they answer it or take part), and those of their
sub-organization's inbox channel. Most recent first."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from urllib.parse import quote

from botbuilder.schema import Activity, ActivityTypes, Attachment

from adapters.teams.sender import TeamsSender
from cards.common import ATTACHMENT_TYPE
from cards.contacts import ContactView
from core.clock import Clock
from core.organizations import Directory
from core.phone import readable_number
from core.storage import Storage
from core.threads import Thread
from services.policy import live_card
from services.threads import ThreadStore, conversation_key

MAX_FOUND = 10
SCANNED = 5000  # threads read per search (a larger deployment wants a search index: see the README)


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
    phone = str(thread.extra.get("validated_phone") or "")
    return len(digits) >= 4 and digits in re.sub(r"\D", "", phone)


def view(thread: Thread, aad: str, directory: Directory) -> ContactView:
    phone = thread.extra.get("validated_phone")
    last = thread.last_guest_message_at or None
    if thread.target.kind == "employee":
        where = "your chat" if thread.target.id == aad else f"{directory.name_of(thread.target.id) or 'a colleague'}'s chat"
    else:
        sub = directory.for_target(thread.target)
        where = f"the {sub.name} inbox" if sub else "a team channel"
    return ContactView(openid=thread.openid, name=thread.label, phone=readable_number(phone) if phone else None,
                       last_message_at=last, status=thread.status, where=where)


class Contacts:
    def __init__(self, *, storage: Storage, threads: ThreadStore, directory: Directory, sender: TeamsSender,
                 clock: Clock) -> None:
        self.storage = storage
        self.threads = threads
        self.directory = directory
        self.sender = sender
        self.clock = clock

    async def find(self, aad: str, query: str) -> list[Found]:
        """The contacts `query` matches (an empty one: the most recent) that `aad` may open."""
        items = await self.storage.query("threads", limit=SCANNED)
        threads = [Thread.from_body(item.body) for item in items]
        hits = [t for t in threads if may_open(t, aad, self.directory) and (not query.strip() or matches(t, query))]
        hits.sort(key=lambda t: (t.status != "open", -(t.last_guest_message_at or t.created_at)))
        return [Found(t, view(t, aad, self.directory)) for t in hits[:MAX_FOUND]]

    async def open(self, aad: str, openid: object) -> str:
        """The contact's live card, posted again in their conversation (so it is the latest there);
        what to tell the employee who asked."""
        found = await self.threads.get(openid) if isinstance(openid, str) else None
        if found is None or not may_open(found[0], aad, self.directory):
            return "That action is not valid."
        thread = found[0]
        if not thread.teams_conversation_id:
            return f"**{thread.label}** has not written yet: their conversation opens with their first message."
        if thread.target.kind == "employee":
            reference = await self.threads.reference(conversation_key("employee", thread.target.id))
        else:
            reference = thread.extra.get("reference")
        if reference is None:
            return "That conversation cannot be reached now; try again later."
        card = live_card(thread, self.directory.get(thread.sub_org).policy, self.clock.now())
        await self.sender.send(reference, Activity(type=ActivityTypes.message, attachments=[
            Attachment(content_type=ATTACHMENT_TYPE, content=card)]))
        if thread.target.kind == "employee":
            return f"Opened **{thread.label}**: their card is now the latest message of that chat."
        channel, _, root = thread.teams_conversation_id.partition(";messageid=")
        link = f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{quote(root, safe='')}"
        return f"Opened **{thread.label}** in {view(thread, aad, self.directory).where}: [go to the thread]({link})."
