"""Speech to text: what the services ask of a transcription service (adapters/speech/azure.py:
Azure AI Speech's REST API for short audio). Pure: no I/O.

`transcribe` takes the audio as WAV PCM, 16 kHz, mono (core/transcoding.py's WAV), at most
`MAX_SECONDS` long, and gives the text heard, or None when nothing was recognized (silence, noise).
A failure is a SpeechError: `transient` when trying again later may work (429, 5xx, a timeout),
with `retry_after` when the service said how long to wait.
"""
from __future__ import annotations

from typing import AsyncIterable, Protocol

MAX_SECONDS = 60.0  # the short-audio API refuses longer audio


class SpeechError(Exception):
    transient = False

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class SpeechRefused(SpeechError):
    """The service will not take it as it is: a wrong key (401, 403), audio it cannot read (400)."""


class SpeechUnavailable(SpeechError):
    """Throttled (429), failing (5xx), unreachable or too slow: try again later."""

    transient = True


class SpeechToText(Protocol):
    async def transcribe(self, audio: AsyncIterable[bytes], content_type: str, language: str) -> str | None:
        """The text spoken in `audio` (of `content_type`) in `language` (BCP 47: zh-CN, en-US), None if
        no speech was recognized; SpeechError if the service failed."""


def language_for(guest_language: str | None, languages: tuple[str, ...]) -> str:
    """Which of the configured `languages` (the first is the default) to hear a guest in: the one of
    their WeChat language (zh_CN, en …) if configured, else the first."""
    wanted = (guest_language or "").replace("_", "-").lower()
    for exact in (True, False):
        for language in languages:
            tag = language.lower()
            if wanted and (tag == wanted if exact else tag.split("-")[0] == wanted.split("-")[0]):
                return language
    return languages[0]
