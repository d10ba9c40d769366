"""What employees read of a push in Teams, in their sub-organization's language: a notice of the
catalogue (core/notices/inbound.py), chosen and filled by the push's type (LINES).

Whatever a guest wrote (a text, a link's title, a location's label, even a type's name) is shown
literally (markdown_literal); what goes on one line is made one line and capped, so a forged push
cannot fill a chat or format it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from cards.text import markdown_link, markdown_literal, one_line
from core.inbound import WeChatInbound
from core.locations import amap_marker, coordinates
from core.organizations import SubOrganization
from core.threads import Thread
from services.guest_media import AS_USUAL, MediaShown

EVENT_NOTICES = {"subscribe": "inbound_followed", "scan": "inbound_scanned", "unsubscribe": "inbound_unfollowed"}
# Characters shown at most, of what a guest's push names on one line.
LABEL_CHARS = TITLE_CHARS = 200
DESCRIPTION_CHARS = 500
TYPE_CHARS = 40


@dataclass(frozen=True)
class Shown:
    """A push as it is about to be shown."""

    msg: WeChatInbound
    thread: Thread
    words: Mapping[str, str] | None  # the guest's words by field (a text's Content …) as DLP lets them through
    media: MediaShown  # whether its medium could be kept and shown, and its link
    def field(self, name: str) -> str:
        """A field of the push as employees may see it (DLP's masks applied to the guest's words)."""
        if self.words is not None and name in self.words:
            return self.words[name]
        return self.msg.content or "" if name == "Content" else self.msg.fields.get(name, "")


Line = Callable[[Shown], tuple[str, dict[str, str]]]  # the notice's key and its values (besides `who`)


def _text(shown: Shown) -> tuple[str, dict[str, str]]:
    return "inbound_text", {"text": markdown_literal(shown.field("Content"))}


def _event(shown: Shown) -> tuple[str, dict[str, str]]:
    key = EVENT_NOTICES[(shown.msg.event or "").lower()]
    return ("inbound_followed_qr" if key == "inbound_followed" and shown.thread.source == "qr" else key), {}


def _media(shown: Shown) -> tuple[str, dict[str, str]]:
    key, variant = f"inbound_{shown.msg.msg_type}", shown.media.variant
    return (f"{key}_{variant}" if variant else key), dict(shown.media.params)


def _location(shown: Shown) -> tuple[str, dict[str, str]]:
    fields = shown.msg.fields
    label = shown.field("Label")
    values = {"label": one_line(label, LABEL_CHARS)}
    point = coordinates(fields.get("Location_X"), fields.get("Location_Y"))
    if point is None:  # a forged push: no link made of what it sent
        return "inbound_location_invalid", values
    latitude, longitude = point.shown
    return "inbound_location", {**values, "latitude": latitude, "longitude": longitude,
                                "map": amap_marker(point, label[:LABEL_CHARS])}


def _link(shown: Shown) -> tuple[str, dict[str, str]]:
    return "inbound_link", {"title": one_line(shown.field("Title"), TITLE_CHARS),
                            "description": one_line(shown.field("Description"), DESCRIPTION_CHARS),
                            "url": markdown_link(shown.field("Url"))}


def _cannot_show(shown: Shown) -> tuple[str, dict[str, str]]:
    """A type Teams cannot show (a file, a type WeChat adds later): said, never dropped."""
    return "inbound_unknown", {"type": one_line(shown.msg.msg_type, TYPE_CHARS)}


# A push's type → its line. Any other type: _cannot_show.
LINES: dict[str, Line] = {
    "text": _text,
    "event": _event,
    **dict.fromkeys(("image", "voice", "video", "shortvideo"), _media),
    "location": _location,
    "link": _link,
}


def describe(msg: WeChatInbound, thread: Thread, sub: SubOrganization, words: Mapping[str, str] | None = None,
             media: MediaShown = AS_USUAL) -> str:
    """The text employees see for a push, in their sub-organization's language (`words`: the guest's,
    by field, as DLP lets them through; `media`: whether its medium could be kept and shown, and its link)."""
    key, values = LINES.get(msg.msg_type, _cannot_show)(Shown(msg, thread, words, media))
    return sub.notices.render(key, sub.conversation.employee_language,
                              who=f"**{markdown_literal(thread.label)}**", **values)
