"""What every card shares. Cards are pure: view data in, Adaptive Card 1.5 dict out.

Text that somebody else wrote (a guest's name or message, an employee's queued message, a display
name) is never put where Markdown is interpreted (`TextBlock.text`, `Fact.title`/`value`): it goes
into a `TextRun` of a `RichTextBlock`, which Adaptive Cards render as plain text, through `literal()`.
So a guest cannot make a link, an image or formatting appear in a card. Our own texts (the policy
engine's configurable notices) stay in `TextBlock`s.

Every card says what it is in one line of our own words, its `summary`: the card's `fallbackText`
(clients that cannot draw it; Markdown) and `speak` (screen readers), and the activity's
notification summary. Nobody else's text goes into it, so it needs no escaping for either.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from cards.icons import wechat_icon

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None, *, summary: str,
         full_width: bool = False) -> dict[str, Any]:
    if not summary.strip():
        raise ValueError("a card needs a summary (its fallbackText and speak)")
    result: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION,
                              "fallbackText": summary, "speak": summary, "body": body}
    if actions:
        result["actions"] = actions
    if full_width:
        result["msteams"] = {"width": "Full"}  # Teams' one extension to the card root
    return result


def text(value: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def submit(title: str, verb: str, **data: Any) -> dict[str, Any]:
    """A button whose press reaches the bot as a message with `value` {verb, …}."""
    return {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}}


ATTACHMENT_TYPE = "application/vnd.microsoft.card.adaptive"

# ------------------------------------------------------------------------------------------------
# Literal text: shown exactly as typed
# ------------------------------------------------------------------------------------------------

# Renderers expand {{DATE(…)}} / {{TIME(…)}} even inside a TextRun; a word joiner (U+2060,
# invisible) between the braces keeps a typed "{{" from being read as a function.
_FUNCTION_OPENING = re.compile(r"\{(?=\{)")
WORD_JOINER = "\u2060"


def literal(value: str, **style: Any) -> dict[str, Any]:
    """A TextRun: no Markdown, no links, no date functions; `style` as TextRun properties."""
    return {"type": "TextRun", "text": _FUNCTION_OPENING.sub("{" + WORD_JOINER, value), **style}


def rich(inlines: Sequence[dict[str, Any]], **props: Any) -> dict[str, Any]:
    """A RichTextBlock of TextRuns (it always wraps)."""
    return {"type": "RichTextBlock", "inlines": list(inlines), **props}


# ------------------------------------------------------------------------------------------------
# Templates: the policy engine's texts with {placeholders}
# ------------------------------------------------------------------------------------------------

_FIELD = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")        # {name}, but not {{name}}


def fill(template: str, **values: Any) -> str:
    """Replaces `{name}` by `values[name]`; unknown placeholders stay as written (never raises:
    a typo in configured text must not stop a card). Not `str.format`: no attribute access."""
    return _FIELD.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def fill_runs(template: str, literals: Mapping[str, str], style: Mapping[str, Any] | None = None,
              literal_style: Mapping[str, Any] | None = None, **values: Any) -> list[dict[str, Any]]:
    """A template as TextRuns: each `{name}` of `literals` (text somebody else wrote) becomes its own
    literal run; other placeholders are filled from `values`."""
    style = dict(style or {})
    if not literals:
        return [literal(fill(template, **values), **style)]
    split = re.compile(r"((?<!\{)\{(?:" + "|".join(map(re.escape, literals)) + r")\}(?!\}))")
    runs: list[dict[str, Any]] = []
    for index, part in enumerate(split.split(template)):
        if index % 2:  # a literal placeholder
            runs.append(literal(literals[part[1:-1]], **{**style, **(literal_style or {})}))
        elif part:
            runs.append(literal(fill(part, **values), **style))
    return runs


def client_time(epoch: float, *, date_style: str = "SHORT") -> str:
    """`{{DATE(…)}} {{TIME(…)}}`: the Teams client shows the moment in the reader's time zone and
    locale (a pure builder knows neither). For TextBlock text only."""
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{{{{DATE({moment}, {date_style})}}}} {{{{TIME({moment})}}}}"


# ------------------------------------------------------------------------------------------------
# Layout pieces
# ------------------------------------------------------------------------------------------------

def column(items: list[dict[str, Any]], width: str = "stretch", **props: Any) -> dict[str, Any]:
    return {"type": "Column", "width": width, "items": items, **props}


def columns(cols: list[dict[str, Any]], **props: Any) -> dict[str, Any]:
    return {"type": "ColumnSet", "columns": cols, **props}


def actions_from(specs: Sequence[Any]) -> list[dict[str, Any]]:
    """Action.Submit buttons from view-level `CardAction`s (title, verb, data)."""
    result = []
    for spec in specs:
        if "verb" in spec.data:
            raise ValueError(f"action {spec.title!r}: 'verb' belongs in CardAction.verb, not in its data")
        result.append(submit(spec.title, spec.verb, **dict(spec.data)))
    return result


def guest_header(guest: Any, texts: Any, *, id_prefix: str) -> dict[str, Any]:
    """The WeChat mark beside the guest's name, and their validated phone number below it.

    `guest`: a views.Guest; `texts`: a views.GuestTexts. Both name and phone are shown literally."""
    lines = [rich([literal(texts.brand, weight="Bolder", color="Good"), literal(" · "),
                   literal(guest.name or texts.unnamed, weight="Bolder")], id=f"{id_prefix}-guest")]
    if guest.phone:
        lines.append(rich(fill_runs(texts.phone, {"phone": guest.phone}, style={"isSubtle": True, "size": "Small"}),
                          id=f"{id_prefix}-phone", spacing="None"))
    return columns([column([wechat_icon(element_id=f"{id_prefix}-mark", alt_text=texts.brand)], "auto",
                           verticalContentAlignment="Center"),
                    column(lines, verticalContentAlignment="Center")], id=f"{id_prefix}-header")
