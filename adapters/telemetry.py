"""core/telemetry.py's port on OpenTelemetry, exported to Azure Monitor (Application Insights) by
`azure-monitor-opentelemetry-exporter`. Imported only where APPLICATIONINSIGHTS_CONNECTION_STRING is set
(app.py `telemetry_started`): without it nothing of OpenTelemetry is imported.

Metrics (meter `wechat_bridge`; in Application Insights under Metrics, namespace "azure.applicationinsights",
and in the `customMetrics` table):

| Name                          | Kind            | Unit      | Attributes                                   |
|-------------------------------|-----------------|-----------|----------------------------------------------|
| `bridge.wechat.messages_in`   | counter         | {message} | `msg_type` (text, image, event …)            |
| `bridge.wechat.messages_out`  | counter         | {message} | `kind` (employee, system, notice, template), |
|                               |                 |           | `result` (sent, refused, unconfirmed, failed)|
| `bridge.wechat.refusals`      | counter         | {call}    | `errcode` (WeChat's, e.g. 45015)             |
| `bridge.teams.calls`          | counter         | {call}    | `operation` (send, update …), `status` (200: |
|                               |                 |           | taken; else the refusal's HTTP, 0: no answer)|
| `bridge.teams.throttled`      | counter         | {call}    | `operation`: the Bot Connector's 429s        |
| `bridge.dlp.actions`          | counter         | {message} | `action` (flag, redact, block, allow),       |
|                               |                 |           | `direction` (inbound, outbound)              |
| `bridge.jobs.lag`             | histogram       | s         | `kind`: from due to started                  |
| `bridge.jobs.queue_depth`     | observable gauge| {job}     | none: jobs due or running, read from storage |
|                               |                 |           | at most every QUEUE_DEPTH_SECONDS            |

Spans (a trace follows a message: the jobs a request starts are its children): `webhook wechat` per WeChat push
(a request in Application Insights), `turn` per Bot Framework activity (a request), `job <kind>` per job run
(`job`, `kind`, `guest` as core/log_fields names them), `wechat <path>` (with `server.address`, WeChat's host)
and `teams <operation>` per outside call, one per attempt (dependencies). A failed span says its error's type.
No attribute is ever an openid, a PIN, a message's text or a secret.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Awaitable, Callable, Iterable, Iterator

from opentelemetry.metrics import CallbackOptions, MeterProvider, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode, TracerProvider

from core.telemetry import Attribute

log = logging.getLogger(__name__)

SERVICE_NAME = "wechat-bridge"  # the cloud role name in Application Insights; the instance id is the role instance
QUEUE_DEPTH_SECONDS = 60.0  # how often storage is asked how many jobs wait (an export does not ask it)
EXPORT_SECONDS = 60.0  # how often metrics go to Azure Monitor
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 86_400)
# A span's kind, by the first word of its name: requests in, calls out (Application Insights: requests and
# dependencies).
SPAN_KINDS = {"webhook": SpanKind.SERVER, "turn": SpanKind.SERVER, "job": SpanKind.CONSUMER,
              "wechat": SpanKind.CLIENT, "teams": SpanKind.CLIENT}
THROTTLED = 429


class OpenTelemetry:
    """The port (core.telemetry.Telemetry) on an OpenTelemetry meter and tracer provider."""

    def __init__(self, meters: MeterProvider, tracers: TracerProvider) -> None:
        meter = meters.get_meter("wechat_bridge")
        self.tracer = tracers.get_tracer("wechat_bridge")
        self.messages_in = meter.create_counter("bridge.wechat.messages_in", "{message}",
                                                "WeChat pushes accepted, by msg_type")
        self.messages_out = meter.create_counter("bridge.wechat.messages_out", "{message}",
                                                 "messages to guests sent to WeChat, by kind and result")
        self.refusals = meter.create_counter("bridge.wechat.refusals", "{call}", "WeChat API errcodes, by errcode")
        self.teams_calls = meter.create_counter("bridge.teams.calls", "{call}",
                                                "Bot Connector calls, by operation and HTTP status")
        self.throttled = meter.create_counter("bridge.teams.throttled", "{call}", "Bot Connector 429s, by operation")
        self.dlp = meter.create_counter("bridge.dlp.actions", "{message}", "DLP actions, by action and direction")
        self.lag = meter.create_histogram("bridge.jobs.lag", "s", "from a job due to it started, by kind",
                                          explicit_bucket_boundaries_advisory=LAG_BUCKETS)
        self.queue_depth: int | None = None  # None: not read yet (nothing is reported)
        meter.create_observable_gauge("bridge.jobs.queue_depth", [self._observe_queue], "{job}",
                                      "jobs due or running, as storage said at most QUEUE_DEPTH_SECONDS ago")

    def message_in(self, msg_type: str) -> None:
        self.messages_in.add(1, {"msg_type": msg_type})

    def message_out(self, kind: str, result: str) -> None:
        self.messages_out.add(1, {"kind": kind, "result": result})

    def teams_call(self, operation: str, status: int) -> None:
        self.teams_calls.add(1, {"operation": operation, "status": status})
        if status == THROTTLED:
            self.throttled.add(1, {"operation": operation})

    def wechat_refused(self, errcode: int) -> None:
        self.refusals.add(1, {"errcode": errcode})

    def dlp_acted(self, action: str, direction: str) -> None:
        self.dlp.add(1, {"action": action, "direction": direction})

    def job_started(self, kind: str, lag_seconds: float) -> None:
        self.lag.record(max(0.0, lag_seconds), {"kind": kind})

    @contextlib.contextmanager
    def span(self, name: str, **attributes: Attribute) -> Iterator[None]:
        """A failure is marked by its type only: an exception's text may name a guest (their openid)."""
        kind = SPAN_KINDS.get(name.split(" ", 1)[0], SpanKind.INTERNAL)
        with self.tracer.start_as_current_span(name, kind=kind, attributes=attributes, record_exception=False,
                                               set_status_on_exception=False) as span:
            try:
                yield
            except Exception as exc:
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise

    def _observe_queue(self, options: CallbackOptions) -> Iterable[Observation]:
        return [] if self.queue_depth is None else [Observation(self.queue_depth)]

    async def watch_queue(self, read: Callable[[], Awaitable[int]], every_seconds: float = QUEUE_DEPTH_SECONDS,
                          sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """Keep `queue_depth` as `read` says, read every `every_seconds` (a task: runs until cancelled)."""
        while True:
            try:
                self.queue_depth = await read()
            except Exception:  # noqa: BLE001 - storage unreachable now: the gauge keeps its last value
                log.warning("telemetry: the queue depth could not be read; trying again in %.0fs", every_seconds)
            await sleep(every_seconds)


class AzureMonitor(OpenTelemetry):
    """Exported to the Application Insights resource of `connection_string`, every EXPORT_SECONDS (metrics) and in
    batches (spans), from the SDK's own threads: nothing waits for Azure on the event loop."""

    def __init__(self, connection_string: str, instance_id: str) -> None:
        from azure.monitor.opentelemetry.exporter import AzureMonitorMetricExporter, AzureMonitorTraceExporter
        from opentelemetry.sdk.metrics import MeterProvider as SdkMeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        resource = Resource.create({"service.name": SERVICE_NAME, "service.instance.id": instance_id})
        reader = PeriodicExportingMetricReader(AzureMonitorMetricExporter(connection_string=connection_string),
                                               export_interval_millis=EXPORT_SECONDS * 1000)
        self.meters = SdkMeterProvider(metric_readers=[reader], resource=resource)
        self.tracers = SdkTracerProvider(resource=resource)
        self.tracers.add_span_processor(BatchSpanProcessor(  # its resource is the role's name and instance
            AzureMonitorTraceExporter(connection_string=connection_string, tracer_provider=self.tracers)))
        super().__init__(self.meters, self.tracers)

    def shutdown(self) -> None:
        """What is left exported, and the SDK's threads stopped (blocking: run it off the loop)."""
        self.tracers.shutdown()
        self.meters.shutdown()
