"""adapters/telemetry.py on the SDK's in-memory reader and exporter: the queue depth read from storage on its own
schedule, never by an export; a failed span says its error's type, never its text."""
from __future__ import annotations

import pytest

from core.telemetry import NoTelemetry, telemetry
from tests.telemetry.in_memory import attributes, in_memory

OPENID = "oGuestTelemetryUnit000000001"


class Stop(Exception):
    pass


async def test_the_queue_depth_is_read_on_its_own_schedule_not_at_each_export():
    reads, waits = [], []

    async def read() -> int:
        reads.append(1)
        return 7 * len(reads)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise Stop

    with in_memory() as recorded:
        assert "bridge.jobs.queue_depth" not in recorded.points()  # nothing read yet: nothing reported
        with pytest.raises(Stop):
            await recorded.telemetry.watch_queue(read, every_seconds=60, sleep=sleep)
        exports = [recorded.points()["bridge.jobs.queue_depth"] for _ in range(3)]
    assert reads == [1, 1] and waits == [60, 60]
    assert exports == [{attributes(): 14}] * 3


async def test_storage_out_of_reach_keeps_the_last_depth():
    answers = iter([3])

    async def read() -> int:
        return next(answers)  # then StopIteration: storage failed

    async def sleep(seconds: float) -> None:
        if sleep.calls:
            raise Stop
        sleep.calls += 1

    sleep.calls = 0
    with in_memory() as recorded, pytest.raises(Stop):
        await recorded.telemetry.watch_queue(read, sleep=sleep)
    assert recorded.points()["bridge.jobs.queue_depth"] == {attributes(): 3}


def test_a_failed_span_says_its_errors_type_and_not_its_text():
    with in_memory() as recorded, pytest.raises(LookupError):
        with telemetry().span("job wechat_send", kind="wechat_send"):
            raise LookupError(f"thread {OPENID} does not exist any more")
    (span,) = recorded.spans()
    assert span.status.description == "LookupError" and not span.events
    assert dict(span.attributes) == {"kind": "wechat_send"}


def test_outside_a_test_or_a_configured_process_nothing_is_recorded():
    assert isinstance(telemetry(), NoTelemetry)
    with telemetry().span("job x", kind="x"), telemetry().span("wechat /cgi-bin/x"):
        telemetry().message_in("text")
