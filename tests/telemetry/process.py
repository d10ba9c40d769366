"""`python -m tests.telemetry.process`: the components started and stopped as app.py and worker.py run them
(`running`), with the environment's settings, a span and a count made in between; prints, as JSON, which
telemetry was in use and which OpenTelemetry and Azure Monitor modules were imported."""
from __future__ import annotations

import asyncio
import json
import sys

from app import running
from config import load_settings
from core.clock import SystemClock
from core.telemetry import telemetry


async def main() -> None:
    async with running(load_settings(dotenv_path=None), SystemClock()):
        used = type(telemetry()).__name__
        with telemetry().span("job test", kind="test"):
            telemetry().message_in("text")
    modules = sorted(m for m in sys.modules if m.startswith(("opentelemetry", "azure.monitor")))
    print(json.dumps({"telemetry": used, "modules": modules}))


if __name__ == "__main__":
    asyncio.run(main())
