"""The status of a guest's chat: the one list of them, for the policy that sets it
(core/conversation_policy/) and the cards that show it (cards/)."""
from __future__ import annotations

from enum import StrEnum


class ChatStatus(StrEnum):
    """A `str`: stored, compared and shown as its value ("active" == ChatStatus.ACTIVE)."""

    NEW = "new"                         # the guest has not written yet (a follow or scan opened the chat)
    ACTIVE = "active"
    INACTIVE_TIME = "inactive_time"     # the guest has not written within the window (48 h)
    INACTIVE_COUNT = "inactive_count"   # the business used its messages for the guest's last one
    CLOSED = "closed"                   # the guest left (#LEAVE, unfollow) or the chat was ended
