"""Speech to text (core/speech.py) by Azure AI Speech's REST API for short audio:

    POST https://<region>.stt.speech.microsoft.com/speech/recognition/conversation/cognitiveservices/v1
         ?language=zh-CN&format=simple
         Ocp-Apim-Subscription-Key: <key>
         Content-Type: audio/wav; codecs=audio/pcm; samplerate=16000   (or audio/ogg; codecs=opus)
         the audio (at most 60 s), sent chunked as it is read
    200 {"RecognitionStatus": "Success" | "NoMatch" | "InitialSilenceTimeout" | "BabbleTimeout" | "Error",
         "DisplayText": "…", "Offset": <100 ns units>, "Duration": <100 ns units>}

401/403 (the key is wrong, or not for this region) and 400 (the audio or the language) are
SpeechRefused; 429 (with its Retry-After), 5xx, a timeout or no connection are SpeechUnavailable.
The key never appears in an error or a log, nor does what was said.
"""
from __future__ import annotations

import json
import logging
import time
from typing import AsyncIterable, Callable

import aiohttp

from adapters.http_exchange import exchange
from core.http_answers import is_transient, retry_after, snippet
from core.speech import SpeechRefused, SpeechUnavailable

log = logging.getLogger(__name__)

SERVICE = "Azure AI Speech"
PATH = "/speech/recognition/conversation/cognitiveservices/v1"
NOTHING_HEARD = frozenset({"NoMatch", "InitialSilenceTimeout", "BabbleTimeout"})
TIMEOUT_SECONDS = 30.0  # the whole exchange: a minute of audio is recognized in a few seconds
REFUSALS = {400: "the audio or the language was refused", 401: "the key is wrong",
            403: "the key is not allowed here (another region, or a disabled resource)"}


def endpoint_of(region: str, endpoint: str = "") -> str:
    """SPEECH_ENDPOINT if given (a simulator, a sovereign cloud), else the region's public one."""
    return (endpoint or f"https://{region}.stt.speech.microsoft.com").rstrip("/")


class AzureSpeech:
    def __init__(self, key: str, endpoint: str, session: aiohttp.ClientSession, *, timeout: float | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self.url = endpoint.rstrip("/") + PATH
        self.session = session
        self.timeout = timeout or TIMEOUT_SECONDS
        self.clock = clock  # unix seconds, for a Retry-After date

    def __repr__(self) -> str:
        return f"AzureSpeech({self.url!r})"

    async def transcribe(self, audio: AsyncIterable[bytes], content_type: str, language: str) -> str | None:
        answer = await exchange(
            self.session, "POST", self.url, service=SERVICE, what="transcribing a voice message",
            timeout=self.timeout, unavailable=SpeechUnavailable, rejected=SpeechRefused, log=log,
            params={"language": language, "format": "simple"}, data=audio,
            headers={"Ocp-Apim-Subscription-Key": self._key, "Content-Type": content_type,
                     "Accept": "application/json"})
        if answer.status != 200:
            said = snippet(answer.body, hide=[self._key], limit=200)
            message = f"{SERVICE} answered {answer.status}: {REFUSALS.get(answer.status, 'failed')} {said}".rstrip()
            log.warning("%s", message)
            if is_transient(answer.status):
                raise SpeechUnavailable(message, status=answer.status,
                                        retry_after=retry_after(answer.headers.get("Retry-After"), self.clock()))
            raise SpeechRefused(message, status=answer.status)
        try:
            result = json.loads(answer.body)
            status = result["RecognitionStatus"]
        except (ValueError, KeyError, TypeError):
            raise SpeechUnavailable(f"{SERVICE} answered 200 with no recognition result") from None
        if status == "Success":
            return str(result.get("DisplayText") or "").strip() or None
        if status in NOTHING_HEARD:
            return None
        raise SpeechUnavailable(f"{SERVICE} could not recognize the audio ({status})", status=200)
