"""Guest-written text shown in Teams must read as typed, never as markup a guest controls."""
from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_~\[\]()#|])")


def markdown_literal(text: str) -> str:
    """Escape HTML and Markdown so a guest cannot inject links, images or formatting into Teams."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
