"""Telemetry through the whole product (adapters/telemetry.py on the SDK's in-memory reader and exporter): a
conversation both ways, with DLP, a WeChat refusal and Teams throttling, counted with the right attributes and
traced; and no attribute of any span or metric holds an openid, a message's text or a configured secret."""
from __future__ import annotations

import pytest

from core.log_fields import guest_ref
from services.health import jobs_waiting
from tests.e2e.conftest import ALICE, SECRET, TOKEN
from tests.e2e.test_dlp import CARD, CN_ID, stack  # noqa: F401 - DLP's rules, Alice installed
from tests.e2e.test_late_delivery import HOUR, LATE, move_to, run_what_is_due
from tests.telemetry.in_memory import attributes, in_memory

GUEST = "oGuestTelemetry0000000000001"
SAID = ("hello from WeChat", "Hello back from Teams", f"Your ID {CN_ID} is on file", f"my card is {CARD}",
        "Are you still there?", "any news on my account?")


class Stop(Exception):
    pass


async def once(seconds: float) -> None:
    raise Stop  # the queue watcher's sleep: one reading, then the test goes on


async def test_a_conversation_is_counted_and_traced_without_openids_texts_or_secrets(stack):  # noqa: F811
    with in_memory() as recorded:
        guest = stack.wechat.guest(GUEST, "Chen", language="en")
        await guest.say(SAID[0])
        await stack.settle()
        await stack.employee_says(ALICE, SAID[1])
        await stack.employee_says(ALICE, SAID[2])  # redacted on the way out
        await guest.say(SAID[3])  # blocked on the way in: the guest is told
        await stack.settle()
        stack.sim.fail_next("/cgi-bin/message/custom/send", 45015)  # WeChat: the 48 hours are over
        await stack.employee_says(ALICE, SAID[4])
        # Teams throttles the bot for longer than the sender waits in line: the job is retried hours later.
        stack.connector.fail_next(1, 429, "Throttled", retry_after=6 * HOUR, operations={"send"})
        await guest.say(SAID[5])
        await stack.settle()
        move_to(stack, stack.clock.now() + LATE)
        with pytest.raises(Stop):
            await recorded.telemetry.watch_queue(lambda: jobs_waiting(stack.components.storage, stack.clock.now()),
                                                 sleep=once)
        points = recorded.points()  # the gauge as read: the throttled push, due again
        await run_what_is_due(stack)
        after = recorded.points()

    assert points["bridge.jobs.queue_depth"] == {attributes(): 1}
    assert after["bridge.wechat.messages_in"] == {attributes(msg_type="text"): 3}
    # The refused reply is queued and goes when the guest writes again; the guest is told why theirs was not sent.
    assert after["bridge.wechat.messages_out"] == {attributes(kind="employee", result="sent"): 3,
                                                   attributes(kind="employee", result="refused"): 1,
                                                   attributes(kind="notice", result="sent"): 2}
    assert after["bridge.wechat.refusals"] == {attributes(errcode=45015): 1}
    assert after["bridge.dlp.actions"] == {attributes(action="redact", direction="outbound"): 1,
                                           attributes(action="block", direction="inbound"): 1}
    assert after["bridge.teams.throttled"] == {attributes(operation="send"): 1}
    teams = after["bridge.teams.calls"]
    assert teams[attributes(operation="send", status=429)] == 1 and teams[attributes(operation="send", status=200)] >= 4
    lag = after["bridge.jobs.lag"]
    count, total = lag[attributes(kind="wechat_inbound")]
    assert count == 4 and LATE - 60 < total < LATE  # each push at once, and the throttled one again, hours late
    assert lag[attributes(kind="wechat_send")] == (6, 0.0)  # one run per message out, each as it was due

    spans = recorded.spans()
    names = {s.name for s in spans}
    assert {"webhook wechat", "turn", "job wechat_inbound", "job wechat_send", "wechat /cgi-bin/message/custom/send",
            "teams send"} <= names
    job = next(s for s in spans if s.name == "job wechat_inbound")
    assert job.attributes["kind"] == "wechat_inbound" and job.attributes["guest"] == guest_ref(GUEST)
    webhook = next(s for s in spans if s.name == "webhook wechat" and s.context.trace_id == job.context.trace_id)
    assert job.parent is not None and job.parent.span_id == webhook.context.span_id  # one trace per message
    throttled = [s for s in spans if s.name == "teams send" and not s.status.is_ok]
    assert [s.status.description for s in throttled] == ["Throttled"]  # its type only: a text may name a guest

    values = [str(v) for s in spans for v in (s.name, *s.attributes.values(), s.status.description or "")]
    values += [f"{k}={v}" for metric in after.values() for point in metric for k, v in point]
    assert values and not [v for v in values if any(t in v for t in (GUEST, *SAID, CARD, CN_ID, SECRET, TOKEN))]
