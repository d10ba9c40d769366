"""What telemetry costs per message: a guest's text to Teams and the employee's answer to WeChat, with and
without adapters/telemetry.py, and how many spans and metric records one such exchange makes.

    python -m bench.telemetry [--exchanges 200] [--rounds 5] [--json out.json]

The app runs in this process as tests/e2e/conftest.py builds it (FakeClock, SQLite in a temporary folder, the
WeChat API and Bot Connector simulators). Each round runs `--exchanges` exchanges (the guest writes, the employee
answers, each followed by worker.drain()) once with no telemetry (core/telemetry's no-op) and once with
OpenTelemetry on the SDK's production processors (BatchSpanProcessor, whose thread exports; a metric reader) to
an exporter that drops what it gets: the cost of recording, not of the network. The order alternates by round.
CPU time is the whole process's (time.process_time: the SDK's export thread included), per exchange; the
figure is the median of the rounds' per-exchange means, and the difference between the two modes.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, Sequence

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from adapters.telemetry import OpenTelemetry
from core.telemetry import NoTelemetry, telemetry, use
from tests.e2e.conftest import ALICE, _close, _stack


class Dropped(SpanExporter):
    def __init__(self) -> None:
        self.spans = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.spans += len(spans)
        return SpanExportResult.SUCCESS


@contextlib.contextmanager
def sdk() -> Iterator[tuple[InMemoryMetricReader, Dropped, TracerProvider]]:
    reader, exporter, tracers = InMemoryMetricReader(), Dropped(), TracerProvider()
    tracers.add_span_processor(BatchSpanProcessor(exporter))
    previous = use(OpenTelemetry(MeterProvider(metric_readers=[reader]), tracers))
    try:
        yield reader, exporter, tracers
    finally:
        use(previous)
        tracers.shutdown()


def recorded(reader: InMemoryMetricReader) -> Counter[str]:
    """How many times each metric was recorded: a counter's sum, a histogram's count."""
    data = reader.get_metrics_data()
    return Counter({m.name: sum(getattr(p, "count", None) or getattr(p, "value", 0) for p in m.data.data_points)
                    for r in (data.resource_metrics if data else ()) for s in r.scope_metrics for m in s.metrics})


async def exchanges(stack: Any, guest: Any, count: int, tag: str) -> float:
    """CPU seconds per exchange."""
    started = time.process_time()
    for i in range(count):
        await guest.say(f"question {tag} {i}")
        await stack.settle()
        await stack.employee_says(ALICE, f"answer {tag} {i}")
    return (time.process_time() - started) / count


def recording_alone(telemetry: Any, repeats: int = 2000) -> float:
    """CPU seconds of one exchange's port calls (as counted: 9 spans, 8 metric records) made in a loop."""
    started = time.process_time()
    for _ in range(repeats):
        for _ in range(3):
            with telemetry.span("job wechat_inbound", job="msg:1", kind="wechat_inbound", guest="g:0123456789ab"):
                with telemetry.span("teams send", attempt=1), telemetry.span("wechat /cgi-bin/x", method="POST"):
                    telemetry.job_started("wechat_inbound", 0.001)
                    telemetry.teams_call("send", 200)
        telemetry.message_in("text")
        telemetry.message_out("employee", "sent")
    return (time.process_time() - started) / repeats


async def main(count: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        stack = await _stack(Path(folder), DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
        try:
            await stack.install(ALICE)
            guest = stack.wechat.guest("oGuestBenchTelemetry00000001", "Bench")
            await exchanges(stack, guest, 20, "warm-up")
            off: list[float] = []
            on: list[float] = []
            records: Counter[str] = Counter()
            spans = 0
            for r in range(rounds):
                for mode in (("off", "on") if r % 2 == 0 else ("on", "off")):
                    if mode == "off":
                        off.append(await exchanges(stack, guest, count, f"r{r}off"))
                        continue
                    with sdk() as (reader, exporter, tracers):
                        on.append(await exchanges(stack, guest, count, f"r{r}on"))
                        tracers.force_flush()
                        records += recorded(reader)
                    spans += exporter.spans
        finally:
            await _close(stack)
    per = rounds * count
    result = {"exchanges": per, "cpu_ms_per_exchange_off": statistics.median(off) * 1000,
              "cpu_ms_per_exchange_on": statistics.median(on) * 1000,
              "rounds_ms_off": [round(x * 1000, 2) for x in off], "rounds_ms_on": [round(x * 1000, 2) for x in on],
              "spans_per_exchange": spans / per,
              "metric_records_per_exchange": {k: v / per for k, v in records.items()}}
    result["overhead_ms_per_exchange"] = result["cpu_ms_per_exchange_on"] - result["cpu_ms_per_exchange_off"]
    result["overhead_percent"] = 100 * result["overhead_ms_per_exchange"] / result["cpu_ms_per_exchange_off"]
    with sdk():
        result["recording_alone_us_per_exchange_on"] = recording_alone(telemetry()) * 1e6
    result["recording_alone_us_per_exchange_off"] = recording_alone(NoTelemetry()) * 1e6
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = asyncio.run(main(args.exchanges, args.rounds))
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
