"""Guest-written text shown in Teams must read as typed, never as markup a guest controls."""
from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

from core.journal.names import clean

_MARKDOWN = re.compile(r"([\\`*_~\[\]()#|])")
WEB_SCHEMES = frozenset({"http", "https"})
URL_MAX = 2048  # characters of an address made a link; a longer one is shown as text
URL_SHOWN_CHARS = 300
# Percent-encoded in a link's target: what would end or break the Markdown link. The rest of the address
# stays as it came (a non-ASCII host included, which browsers read as it is written).
_TARGET_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in '()<>"\\`^{}|'})


def markdown_literal(text: str) -> str:
    """Escape HTML and Markdown so a guest cannot inject links, images or formatting into Teams."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def one_line(text: str, limit: int) -> str:
    """A guest's text on one line (controls and line breaks become spaces), at most `limit`
    characters, escaped as markdown_literal does."""
    return markdown_literal(clean(text, limit))


def markdown_link(url: str) -> str:
    """A guest's address as a Markdown link that shows the address itself (a title can say anything),
    if it is a web address (http or https); anything else (javascript:, data:, file: …) as plain text."""
    address = url.strip()
    shown = one_line(address, URL_SHOWN_CHARS)
    return f"[{shown}]({address.translate(_TARGET_ESCAPES)})" if _web_address(address) else shown


def _web_address(url: str) -> bool:
    if len(url) > URL_MAX or any(c.isspace() or unicodedata.category(c).startswith("C") for c in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
    except ValueError:  # a malformed IPv6 literal, a port that is not a number
        return False
