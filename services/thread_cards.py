"""The cards a guest's thread shows in Teams (pure: built from the thread and its sub-organization's
words): the live card (status line or queue), the notices that have a card, the unconfirmed send."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from cards.leave import leave_action
from cards.policy_notice import policy_notice_card
from cards.queue import queue_card
from cards.status import status_card
from cards.views import (Guest, GuestTold, LeaveTexts, PolicyNoticeTexts, PolicyNoticeView, QueuedMessage,
                         QueueTexts, QueueView, StatusTexts, StatusView, WarningTexts, WarningView)
from cards.warning import send_again_action, warning_card
from core.conversation_policy import status_view
from core.notices import sentences
from core.organizations import SubOrganization
from core.phone import readable_number
from core.threads import Thread
from services.teams_texts import texts_of


def guest_view(thread: Thread) -> Guest:
    """The guest as cards show them: their name, and the phone number they validated (and when)."""
    phone = thread.validated_phone
    if phone:
        at = thread.validated_at
        phone = readable_number(phone) + (f" · {datetime.fromtimestamp(at, timezone.utc):%Y-%m-%d}" if at else "")
    return Guest(openid=thread.openid, name=thread.nickname or None, phone=phone or None)


def live_card(thread: Thread, sub: SubOrganization, now: float) -> dict[str, Any]:
    """The status line, or the queue card while messages wait (both pure builders in cards/), in the
    words of the thread's sub-organization."""
    settings, texts = sub.conversation, texts_of(sub)
    guest = guest_view(thread)
    status = status_view(thread.policy, settings)
    closes_at = status.window_closes_at
    queue = status.queue
    actions = ((leave_action(thread.openid, thread.generation, texts.card(LeaveTexts).leave),)
               if thread.status == "open" and thread.participants else ())
    if not queue:
        return status_card(StatusView(
            state=status.status, messages_left=status.messages_left, message_limit=status.message_limit,
            window_seconds_left=None if closes_at is None else max(0.0, closes_at - now), queued=0,
            queue_limit=status.queue_limit, guest=guest, actions=actions, texts=texts.card(StatusTexts),
            participants=tuple(p.name or texts("teams_colleague") for p in thread.participants)))
    sent = thread.policy.notices_sent
    told = (GuestTold.NO_TEMPLATE if "no_template" in sent
            else GuestTold.NOTICE_SENT if "new_messages" in sent else GuestTold.NOT_YET)
    return queue_card(QueueView(
        guest=guest, state=status.status, message_limit=status.message_limit,
        window_hours=round(settings.window_seconds / 3600), queue_limit=status.queue_limit,
        queued=[QueuedMessage(q.message_id, q.shown, q.queued_at, q.author) for q in queue],
        guest_told=told, actions=actions, texts=texts.card(QueueTexts)))


def notice_card(thread: Thread, notice: dict[str, Any], sub: SubOrganization) -> dict[str, Any] | None:
    """The notices that have a card of their own (the chat's policy notice, the 24 h warning), in the
    words of the thread's sub-organization."""
    guest, texts = guest_view(thread), texts_of(sub)
    if notice.get("notice") == "welcome_employee":
        return policy_notice_card(PolicyNoticeView(guest=guest, text=notice["text"],
                                                   texts=texts.card(PolicyNoticeTexts)))
    if notice.get("notice") == "no_reply_24h":
        return warning_card(WarningView(guest=guest, text=notice["text"], texts=texts.card(WarningTexts)))
    if notice.get("notice") == "not_confirmed":
        return unconfirmed_card(thread, notice["message_id"], sub)
    return None


def unconfirmed_card(thread: Thread, message_id: str, sub: SubOrganization, *,
                     sent_again: bool = False) -> dict[str, Any]:
    """A message whose delivery WeChat did not confirm: Send again, or (pressed) that it was."""
    texts = texts_of(sub)
    t = texts.card(WarningTexts)
    text = texts("not_confirmed")
    if sent_again:
        return warning_card(WarningView(guest=guest_view(thread), text=sentences((text, t.sent_again), texts.language),
                                        texts=t))
    return warning_card(WarningView(guest=guest_view(thread), text=text, texts=t,
                                    actions=(send_again_action(thread.openid, message_id, t.send_again),)))
