"""adapters/telemetry.py's OpenTelemetry on the SDK's in-memory reader and exporter, installed as the process's
telemetry (core/telemetry.use) for a test, and what it recorded."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Iterator

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from adapters.telemetry import OpenTelemetry
from core.telemetry import use

Attributes = frozenset[tuple[str, Any]]


@dataclass
class Recorded:
    telemetry: OpenTelemetry
    reader: InMemoryMetricReader
    exporter: InMemorySpanExporter

    def points(self) -> dict[str, dict[Attributes, Any]]:
        """metric name -> {its attributes: its value (a histogram's: (count, sum))}, as collected now."""
        data = self.reader.get_metrics_data()
        found: dict[str, dict[Attributes, Any]] = {}
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    found[metric.name] = {
                        frozenset((p.attributes or {}).items()):
                            (p.count, p.sum) if isinstance(p, HistogramDataPoint) else p.value  # type: ignore[union-attr]
                        for p in metric.data.data_points}
        return found

    def spans(self) -> tuple[ReadableSpan, ...]:
        return self.exporter.get_finished_spans()


def attributes(**values: Any) -> Attributes:
    return frozenset(values.items())


@contextlib.contextmanager
def in_memory() -> Iterator[Recorded]:
    reader, exporter = InMemoryMetricReader(), InMemorySpanExporter()
    tracers = TracerProvider()
    tracers.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry = OpenTelemetry(MeterProvider(metric_readers=[reader]), tracers)
    previous = use(telemetry)
    try:
        yield Recorded(telemetry, reader, exporter)
    finally:
        use(previous)
        tracers.shutdown()
