"""Teams at its rate limits (issue 21): the connector simulator refuses past Teams' limits; the bridge
paces its calls instead of meeting 429s, keeps each guest's messages in order, and under a backlog
coalesces several guests' messages into one post (services/teams_outbox.py)."""
from __future__ import annotations

import asyncio
import re
import time

import pytest

from core.clock import FakeClock
from tests.e2e.conftest import ALICE, _close, _stack

GUESTS, EACH = 4, 8
MARKER = r"\\?\[m:(\d+):(\d+)\\?\]"  # as the guest wrote it, Markdown-escaped


class RunningClock(FakeClock):
    """Real time, and moved on by hand as well (the jobs given back come due): the pacer's short waits
    are real sleeps, seen by the simulator's limits as by the bridge."""

    def __init__(self) -> None:
        super().__init__(start=time.time())
        self._started = time.monotonic()

    def now(self) -> float:
        return super().now() + time.monotonic() - self._started


@pytest.fixture
async def paced(tmp_path):
    stack = await _stack(tmp_path, clock=RunningClock(), DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         TEAMS_PACING="on")
    try:
        yield stack
    finally:
        await _close(stack)


async def limits(stack, body=None):
    url = stack.connector_url + "/sim/rate-limits"
    async with (stack.session.post(url, json=body) if body else stack.session.get(url)) as r:
        assert r.status == 200
        return await r.json()


async def until_delivered(stack, expected: int, rounds: int = 120) -> list[str]:
    """Runs the app's worker as time goes by (jobs given back come due) until `expected` markers arrived."""
    for _ in range(rounds):
        texts = stack.teams_texts(ALICE)
        if len(re.findall(MARKER, " ".join(texts))) >= expected:
            return texts
        stack.clock.advance(2.0)
        await asyncio.sleep(0.05)  # the conversation's poster, beside the jobs
        await stack.components.worker.sweep()
        await stack.settle()
    return stack.teams_texts(ALICE)


async def test_a_burst_into_one_chat_meets_no_429_keeps_order_and_is_coalesced(paced):
    stack = paced
    await stack.install(ALICE)
    guests = [stack.wechat.guest(f"oGuestPace{g:016d}", nickname=f"Guest {g}") for g in range(GUESTS)]
    for guest in guests:
        await stack.guest_says(guest, "hello")
    await limits(stack, {"enabled": True})
    posts_before = len(stack.teams_messages(ALICE))

    for i in range(EACH):  # all at once, as a burst: nothing runs in between
        for g, guest in enumerate(guests):
            await guest.say(f"message [m:{g}:{i}]")
    texts = await until_delivered(stack, GUESTS * EACH)

    markers = re.findall(MARKER, "\n".join(texts))
    assert sorted(markers) == sorted({(str(g), str(i)) for g in range(GUESTS) for i in range(EACH)})  # once each
    for g in range(GUESTS):
        assert [int(i) for guest, i in markers if guest == str(g)] == list(range(EACH))  # in order
    assert (await limits(stack))["refusedTotal"] == 0
    posts = [a for a in stack.teams_messages(ALICE)[posts_before:] if a["operation"] == "send"]
    assert len([p for p in posts if "[m:" in (p["activity"].get("text") or "")]) < GUESTS * EACH  # coalesced
    coalesced = next(p["activity"]["text"] for p in posts if (p["activity"].get("text") or "").count("[m:") > 1)
    assert "**Guest" in coalesced and re.search(r"`\d\d:\d\d:\d\d UTC`", coalesced)  # attributed, with the time
