"""The WeChat policy as a property of the whole product, over real HTTP.

For any sequence of guest messages, employee messages and time passing (the sweeper firing the
policy's deadlines), the bridge never makes WeChat's simulator answer 45015 (window closed) or 45047
(quota spent), and no employee message is lost: each one is sent once and in order, still queued,
or refused with a notice in Teams. The simulator applies WeChat's own rules (48 h, 5 messages per
guest message, 3 within a minute of a follow) independently of the policy it checks.
"""
from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import ALICE, _close, _stack

HOUR = 3600.0
steps = st.lists(
    st.one_of(
        st.tuples(st.just("guest"), st.sampled_from(["hello", "你好", "ok"])),
        st.tuples(st.just("employee"), st.integers(min_value=1, max_value=3)),  # a burst of n messages
        st.tuples(st.just("wait"), st.sampled_from([0.01, 1.0, 23.0, 24.5, 47.0, 48.5, 60.0])),
        st.tuples(st.just("follow"), st.none()),
    ),
    min_size=1, max_size=14,
)


async def run(script: list[tuple[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stack = await _stack(Path(folder), DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                             POLICY_QUEUE_LIMIT="3")
        try:
            await check(stack, script)
        finally:
            await _close(stack)


async def check(stack, script) -> None:
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestProperty00000000001", "Prop")
    written = 0
    for kind, arg in script:
        if kind == "guest":
            await guest.say(arg)
        elif kind == "follow":
            await guest.follow()
        elif kind == "employee":
            for _ in range(arg):
                written += 1
                await stack.employee_says(ALICE, f"m{written}")
        else:
            stack.clock.advance(arg * HOUR)
            await stack.components.conversations.fire_due_timers()
        await stack.settle()

    refusals = [r.errcode for r in stack.sim.sent if r.errcode in (45015, 45047)]
    assert refusals == [], "the bridge sent what WeChat refuses"

    delivered = [int(m[1]) for t in await stack.guest_texts(guest.openid)
                 if (m := re.fullmatch(r"Alice Advisor: m(\d+)", t))]
    assert delivered == sorted(set(delivered)), "sent twice or out of order"
    thread = await stack.components.storage.get("threads", guest.openid, guest.openid)
    queued = [int(q["text"][1:]) for q in thread.body["policy"]["queue"]] if thread else []
    activities = [a["activity"] for a in stack.teams_messages(ALICE)]
    refused = sum(1 for a in activities  # the queue was full, or there was no conversation to answer yet
                  if a.get("channelData", {}).get("wechatBridge", {}).get("notice") == "queue_full"
                  or "no open WeChat conversation" in (a.get("text") or ""))
    assert not set(delivered) & set(queued)
    assert len(delivered) + len(queued) + refused == written, (delivered, queued, refused, written)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_the_bridge_never_breaks_wechats_rules_and_loses_nothing(script):
    asyncio.run(run(script))
