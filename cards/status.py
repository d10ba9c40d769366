"""The live status line of a WeChat chat — "3 of 5 messages left · window closes in 31 h".

Posted once and then replaced in place (`update_activity`) as the state changes, so its shape is
the same in every state: the same elements with the same ids; only texts, colours and visibility
change. Nothing in it depends on when it was built (no "as of" time, no generated id).
"""
from __future__ import annotations

import math
from typing import Any

from cards.common import actions_from, card, column, columns, fill, fill_runs, literal, rich, text
from cards.icons import wechat_icon
from cards.views import DurationTexts, StatusView
from core.chat_status import ChatStatus

LINE_ID = "status-line"
QUEUED_ID = "status-queued"
PARTICIPANTS_ID = "status-participants"
_COLOURS = {ChatStatus.NEW: "Default", ChatStatus.ACTIVE: "Default", ChatStatus.INACTIVE_TIME: "Warning",
            ChatStatus.INACTIVE_COUNT: "Warning", ChatStatus.CLOSED: "Default"}


def format_duration(seconds: float | None, texts: DurationTexts) -> str:
    """"31 h", "45 min" or "closed". Rounded down (a window never looks longer than it is), except
    that a window still open shows at least "1 min"."""
    if seconds is None or seconds <= 0:
        return texts.closed
    if seconds >= 3600:
        return fill(texts.hours, n=math.floor(seconds / 3600))
    return fill(texts.minutes, n=max(1, math.floor(seconds / 60)))


def status_card(view: StatusView) -> dict[str, Any]:
    state = ChatStatus(view.state)
    t = view.texts
    values = {"left": view.messages_left, "limit": view.message_limit, "queued": view.queued,
              "queue_limit": view.queue_limit,
              "closes_in": format_duration(view.window_seconds_left, t.durations)}
    template = {ChatStatus.NEW: t.new, ChatStatus.ACTIVE: t.active, ChatStatus.INACTIVE_TIME: t.inactive_time,
                ChatStatus.INACTIVE_COUNT: t.inactive_count, ChatStatus.CLOSED: t.closed}[state]
    lines: list[dict[str, Any]] = []
    if view.guest is not None:
        lines.append(rich([literal(view.guest.name or view.guest.phone or t.guest.unnamed, weight="Bolder")],
                          id="status-guest"))
    line = fill(template, **values)
    lines.append(text(line, id=LINE_ID, color=_COLOURS[state], size="Small",
                      isSubtle=state in (ChatStatus.NEW, ChatStatus.CLOSED), spacing="None"))
    lines.append(text(fill(t.queued, **values), id=QUEUED_ID, size="Small", isSubtle=True, spacing="None",
                      isVisible=view.queued > 0))
    if view.participants:
        lines.append(rich(fill_runs(t.participants, {"names": ", ".join(view.participants)},
                                    style={"size": "Small", "isSubtle": True}), id=PARTICIPANTS_ID, spacing="None"))
    body = [columns([column([wechat_icon(element_id="status-mark", alt_text=t.guest.brand)], "auto",
                            verticalContentAlignment="Center"),
                     column(lines, verticalContentAlignment="Center")], id="status")]
    return card(body, actions_from(view.actions), summary=f"{t.guest.brand} · {line}")
