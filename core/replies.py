"""Which WeChat guest an employee's Teams message is for. A reply never goes to a guess."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from core.threads import Thread


@dataclass(frozen=True)
class SendTo:
    thread: Thread


@dataclass(frozen=True)
class AskWhich:
    candidates: tuple[Thread, ...]


@dataclass(frozen=True)
class NoThread:
    reason: str


Resolution = SendTo | AskWhich | NoThread


def resolve_reply(
    open_threads: Sequence[Thread],
    *,
    chosen_openid: str | None = None,
) -> Resolution:
    """`open_threads`: the open threads posted in the conversation the employee wrote in.

    A channel thread belongs to exactly one guest; a personal chat may hold several, and then
    only an explicit choice (a card action naming the guest) decides.
    """
    if chosen_openid is not None:
        for thread in open_threads:
            if thread.openid == chosen_openid:
                return SendTo(thread)
        return NoThread("That WeChat conversation is not open in this chat any more.")
    if not open_threads:
        return NoThread("There is no open WeChat conversation in this chat to reply to.")
    if len(open_threads) == 1:
        return SendTo(open_threads[0])
    return AskWhich(tuple(sorted(open_threads, key=lambda t: -t.last_guest_message_at)))
