"""What WeChat pushed to the webhook, as the domain sees it (already verified and decrypted)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

ORIGINAL_ID = re.compile(r"gh_[0-9A-Za-z]{1,40}")  # an Official Account's original id, as ToUserName has it

# The fields of a push that hold the guest's own words, by type: what data-loss prevention reads before
# employees see them (a text; a link's title, description and address; a location's label; WeChat's
# transcript of a voice note).
GUEST_WORDS: Mapping[str, tuple[str, ...]] = {
    "text": ("Content",), "link": ("Title", "Description", "Url"), "location": ("Label",), "voice": ("Recognition",)}


@dataclass(frozen=True)
class WeChatInbound:
    to_user: str  # the Official Account's original id (gh_…)
    from_user: str  # the guest's openid
    create_time: int  # seconds
    msg_type: str  # text, image, voice, video, shortvideo, location, link, event, or anything newer
    msg_id: str | None = None  # absent on events
    content: str | None = None  # text messages
    event: str | None = None  # subscribe, unsubscribe, SCAN, CLICK, …
    event_key: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # every element, as text: "Block.Leaf", "List.item[2].Leaf"

    @classmethod
    def of(cls, fields: Mapping[str, str]) -> "WeChatInbound":
        """The push whose elements are `fields` (adapters/wechat/xml.py checked them): what a job keeps."""
        def opt(name: str) -> str | None:
            value = fields.get(name)
            return value.strip() if value is not None and value.strip() else None

        msg_type = fields["MsgType"].strip()
        # Every field given, in one call (a push each): the frozen dataclass's __init__ sets each through
        # object.__setattr__, twice the instructions (core.storage.Item).
        msg = object.__new__(cls)
        vars(msg).update(to_user=fields["ToUserName"].strip(), from_user=fields["FromUserName"].strip(),
                         create_time=int(fields["CreateTime"].strip()), msg_type=msg_type, msg_id=opt("MsgId"),
                         content=fields.get("Content"),  # verbatim: the user's spaces are theirs
                         event=opt("Event") if msg_type == "event" else None, event_key=opt("EventKey"),
                         fields=dict(fields))
        return msg

    def guest_words(self) -> dict[str, str]:
        """The guest's own words in this push, by field (GUEST_WORDS), the empty ones left out."""
        words = {name: self.content or "" if name == "Content" else self.fields.get(name, "")
                 for name in GUEST_WORDS.get(self.msg_type, ())}
        return {name: text for name, text in words.items() if text}

    @property
    def dedup_key(self) -> str:
        """WeChat retries a push 3 times: messages repeat their MsgId, events FromUserName+CreateTime."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.from_user}:{self.create_time}:{self.event or ''}"

    def acted_at(self, received_at: float | None) -> float:
        """When the guest acted, as WeChat counts its windows: CreateTime, never later than when the
        push reached us (a clock ahead of ours cannot lengthen a window WeChat started earlier)."""
        if received_at is None:
            return float(self.create_time)
        return min(float(self.create_time), received_at)
