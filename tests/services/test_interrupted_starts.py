"""services/interrupted_starts.py: a channel thread started again after a crash is remembered for a week, so
that a message in a thread of that channel the app does not know is told once (per thread) which guests it
may belong to; nothing is said where no start was interrupted, or after the window."""
from __future__ import annotations

from core.clock import FakeClock
from services.interrupted_starts import WINDOW_SECONDS, InterruptedStarts
from tests.memory_storage import MemoryStorage

INBOX, OTHER = "19:inbox@thread.tacv2", "19:other@thread.tacv2"


def starts() -> tuple[InterruptedStarts, FakeClock]:
    clock = FakeClock()
    return InterruptedStarts(MemoryStorage(), clock), clock


async def test_nothing_is_said_in_unknown_threads_of_a_channel_where_no_start_was_interrupted():
    interrupted, _ = starts()
    await interrupted.note(OTHER, "Chen")

    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=1") == ()


async def test_an_unknown_thread_is_told_once_which_guests_it_may_be():
    interrupted, clock = starts()
    await interrupted.note(INBOX, "Chen")
    clock.advance(60)
    await interrupted.note(INBOX, "Li")
    await interrupted.note(INBOX, "Chen")  # started again twice: named once

    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=1") == ("Chen", "Li")
    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=1") == ()  # told already
    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=2") == ("Chen", "Li")


async def test_a_start_is_forgotten_after_the_window():
    interrupted, clock = starts()
    await interrupted.note(INBOX, "Chen")
    clock.advance(WINDOW_SECONDS - 1)
    await interrupted.note(INBOX, "Li")
    clock.advance(2)

    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=1") == ("Li",)
    clock.advance(WINDOW_SECONDS)
    assert await interrupted.unknown_thread(INBOX, f"{INBOX};messageid=2") == ()
