"""How the processes log: one line per event, as text (the default) or JSON (LOG_FORMAT=json: what Azure
Monitor and any log store read), each with what it is about (core/log_fields.py: the job, the activity, the
guest's reference), and never an openid or a configured secret, whatever a message or a traceback holds.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Iterable

from core.log_fields import FIELDS, without_openids

FORMATS = ("text", "json")
HIDDEN = "[secret]"
SHORTEST_SECRET = 6  # shorter values ("on", a port) would hide ordinary words, and guard nothing


class Scrub:
    """Takes openids and secrets out of a text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= SHORTEST_SECRET}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, HIDDEN)
        return without_openids(text)


class TextFormatter(logging.Formatter):
    def __init__(self, scrub: Scrub) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s%(about)s")
        self.scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        fields = FIELDS.get()
        record.about = " [" + " ".join(f"{k}={v}" for k, v in fields.items()) + "]" if fields else ""
        return self.scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    def __init__(self, scrub: Scrub) -> None:
        super().__init__()
        self.scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
                "level": record.levelname, "logger": record.name, "msg": self.scrub(record.getMessage()),
                **{k: self.scrub(str(v)) for k, v in FIELDS.get().items()}}
        if record.exc_info:
            line["exc"] = self.scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str, secrets: Iterable[str], level: int = logging.INFO) -> None:
    """The root logger writes to stderr in `log_format`, scrubbed of openids and `secrets`."""
    handler = logging.StreamHandler()
    scrub = Scrub(secrets)
    handler.setFormatter(JsonFormatter(scrub) if log_format == "json" else TextFormatter(scrub))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
