"""The card shown when a chat becomes inactive (limit reached or window closed): the queue.

Each queued message with when and by whom it was queued and a Cancel button; how many of the limit
are used; and whether the guest was told that messages wait for their reply.
"""
from __future__ import annotations

from typing import Any

from cards.common import (actions_from, card, client_time, column, columns, fill, fill_runs, guest_header,
                          literal, rich, submit, text)
from cards.views import GuestTold, QueuedMessage, QueueTexts, QueueView
from core.chat_status import ChatStatus

CANCEL_QUEUED = "cancelQueued"  # Action.Submit verb; data: {verb, thread: <openid>, message: <queued id>}
PREVIEW_CHARS = 1000            # display only: keeps five long messages far below Teams' 100 KB per card


def _told(view: QueueView) -> tuple[str, str]:
    t = view.texts
    told = GuestTold(view.guest_told)
    return {GuestTold.NOT_YET: (t.told_not_yet, "Default"), GuestTold.NOTICE_SENT: (t.told_notice, "Good"),
            GuestTold.TEMPLATE_SENT: (t.told_template, "Good"),
            GuestTold.NO_TEMPLATE: (t.told_no_template, "Attention")}[told]


def _queued_item(view: QueueView, message: QueuedMessage) -> dict[str, Any]:
    t: QueueTexts = view.texts
    shown = message.text if len(message.text) <= PREVIEW_CHARS else message.text[:PREVIEW_CHARS - 1] + "…"
    items: list[dict[str, Any]] = [
        rich([literal(shown)], id=f"queued-{message.id}-text"),
        columns([column([text(fill(t.queued_at, when=client_time(message.queued_at)), size="Small", isSubtle=True)],
                        "auto"),
                 column([rich(fill_runs(t.queued_by, {"author": message.author},
                                        style={"size": "Small", "isSubtle": True}))], spacing="Small")],
                spacing="None"),
    ]
    if view.can_cancel:
        items.append({"type": "ActionSet", "id": f"queued-{message.id}-actions", "actions": [
            {**submit(t.cancel, CANCEL_QUEUED, thread=view.guest.openid, message=message.id),
             "id": f"cancel-{message.id}"}]})
    return {"type": "Container", "id": f"queued-{message.id}", "items": items, "separator": True,
            "spacing": "Medium"}


def queue_card(view: QueueView) -> dict[str, Any]:
    state = ChatStatus(view.state)
    t = view.texts
    numbers = {"message_limit": view.message_limit, "window_hours": view.window_hours,
               "queue_limit": view.queue_limit, "queued": len(view.queued)}
    title = {ChatStatus.ACTIVE: t.title_active, ChatStatus.CLOSED: t.title_closed}.get(state, t.title_inactive)
    reason = {ChatStatus.NEW: t.reason_new, ChatStatus.INACTIVE_COUNT: t.reason_count,
              ChatStatus.INACTIVE_TIME: t.reason_time}.get(state)
    title, count = fill(title, **numbers), fill(t.count, **numbers)
    body: list[dict[str, Any]] = [guest_header(view.guest, t.guest, id_prefix="queue"),
                                  text(title, id="queue-title", weight="Bolder")]
    if reason:
        body.append(text(fill(reason, **numbers), id="queue-reason", isSubtle=True, spacing="Small"))
    body.append(text(count, id="queue-count",
                     color="Attention" if len(view.queued) >= view.queue_limit else "Default"))
    if not view.queued:
        body.append(text(fill(t.empty, **numbers), id="queue-empty", isSubtle=True, spacing="Small"))
    elif len(view.queued) >= view.queue_limit:
        body.append(text(fill(t.full, **numbers), id="queue-full", color="Attention", spacing="Small"))
    body.extend(_queued_item(view, message) for message in view.queued)
    told, colour = _told(view)
    body.append(text(fill(told, **numbers), id="queue-guest-told", color=colour, size="Small", separator=True))
    return card(body, actions_from(view.actions), summary=f"{title} {count}", full_width=True)
