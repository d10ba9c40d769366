"""Azure AI Speech's REST API for short audio, simulated: an aiohttp application for the tests and the
sandbox, recording every request (never what was said in a log).

    POST /speech/recognition/conversation/cognitiveservices/v1?language=zh-CN&format=simple|detailed
         Ocp-Apim-Subscription-Key: <key>; Content-Type: audio/wav; codecs=audio/pcm; samplerate=16000
         (or audio/ogg; codecs=opus); the audio as the body (chunked or not)

As the service answers: no or a wrong key 401; no language, another content type, a WAV that is not
16 kHz mono 16-bit PCM, or more than 60 s of audio 400; past `per_minute` requests in a minute (the
simulator's clock) 429 with Retry-After. Otherwise 200 with a RecognitionStatus: `Success` and the
text registered for the audio's SHA-256 (or for any audio), `InitialSilenceTimeout` for silence,
`NoMatch` for audio nobody registered a text for. Offset and Duration are in 100-nanosecond units.

Control: `app[SPEECH_STATE]` (say, fail_next, hang_next, requests); `POST /sim/speech {"text",
"sha256"?}` registers a transcript (for that audio, or for any), `GET /sim/speech/requests`,
`POST /sim/speech/fail_next {status, times?, retry_after?}`, `POST /sim/reset`.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import re
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from core.clock import Clock, SystemClock
from simulators.control import json_control

PATH = "/speech/recognition/conversation/cognitiveservices/v1"
MAX_SECONDS = 60.0
TICKS_PER_SECOND = 10_000_000  # Offset and Duration: 100 ns units
SILENCE = 200  # peak sample (of 32767) below which audio is silence
_WAV = re.compile(r"^audio/wav\s*;\s*codecs=\"?audio/pcm\"?\s*;\s*samplerate=16000$", re.IGNORECASE)
_OGG = re.compile(r"^audio/ogg\s*;\s*codecs=\"?opus\"?$", re.IGNORECASE)
ANY = "*"  # a transcript registered for any audio


@dataclass
class SpeechRequest:
    language: str | None
    content_type: str
    status: int
    sha256: str = ""
    recognition: str = ""  # RecognitionStatus, for a 200


@dataclass
class Failure:
    status: int
    retry_after: int | None = None


@dataclass
class SpeechState:
    clock: Clock
    key: str
    per_minute: int = 20  # the free tier's concurrency, as a rate
    transcripts: dict[str, str] = field(default_factory=dict)  # SHA-256 of the audio (or ANY) -> text
    requests: list[SpeechRequest] = field(default_factory=list)
    failures: deque[Failure] = field(default_factory=deque)
    hanging: int = 0  # the next requests never answered (a client's timeout)
    _recent: deque[float] = field(default_factory=deque)

    def say(self, text: str, sha256: str = ANY) -> None:
        """Audio with this SHA-256 (any audio, by default) is heard as `text`."""
        if not text:
            raise ValueError("text is required")
        self.transcripts[sha256.lower()] = text

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None) -> None:
        if not 400 <= status < 600:
            raise ValueError(f"a failure is an HTTP 4xx or 5xx, got {status}")
        self.failures.extend(Failure(status, retry_after) for _ in range(times))

    def hang_next(self, times: int = 1) -> None:
        self.hanging += times

    def reset(self) -> None:
        self.transcripts.clear()
        self.requests.clear()
        self.failures.clear()
        self.hanging = 0
        self._recent.clear()

    def throttled(self) -> int | None:
        """Seconds until a request is allowed again, if this one is over the rate."""
        now = self.clock.now()
        while self._recent and self._recent[0] <= now - 60:
            self._recent.popleft()
        if len(self._recent) >= self.per_minute:
            return max(1, int(self._recent[0] + 60 - now + 0.999))
        self._recent.append(now)
        return None

    def recognize(self, audio: bytes, content_type: str) -> dict[str, Any]:
        """The answer to audio the service accepted; ValueError (a 400) for audio it refuses."""
        seconds, silent = _wav_facts(audio) if _WAV.match(content_type) else (None, False)
        if seconds is not None and seconds > MAX_SECONDS:
            raise ValueError(f"Audio is longer than {MAX_SECONDS:g} seconds.")
        duration = int((seconds or 0) * TICKS_PER_SECOND)
        sha256 = hashlib.sha256(audio).hexdigest()
        if silent:
            return {"RecognitionStatus": "InitialSilenceTimeout", "Offset": duration, "Duration": 0}
        text = self.transcripts.get(sha256) or self.transcripts.get(ANY)
        if text is None:
            return {"RecognitionStatus": "NoMatch", "Offset": 0, "Duration": duration}
        return {"RecognitionStatus": "Success", "DisplayText": text, "Offset": 0, "Duration": duration}


def _wav_facts(audio: bytes) -> tuple[float, bool]:
    """A 16 kHz mono 16-bit PCM WAV's length in seconds, and whether it is silence; ValueError if it is no such WAV."""
    if len(audio) < 44 or audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        raise ValueError("The audio is not a WAV file.")
    position, fmt, data = 12, None, None
    while position + 8 <= len(audio):  # the chunks: fmt, then data (ffmpeg may put LIST between them)
        name, size = audio[position:position + 4], int.from_bytes(audio[position + 4:position + 8], "little")
        body = audio[position + 8:position + 8 + size]
        if name == b"fmt ":
            fmt = body
        elif name == b"data":
            data = audio[position + 8:]  # streamed WAVs may give a size of 0 or too large: to the end
            break
        position += 8 + size + (size & 1)
    if fmt is None or data is None or len(fmt) < 16:
        raise ValueError("The WAV file has no format or no data.")
    codec, channels = int.from_bytes(fmt[0:2], "little"), int.from_bytes(fmt[2:4], "little")
    rate, bits = int.from_bytes(fmt[4:8], "little"), int.from_bytes(fmt[14:16], "little")
    if (codec, channels, rate, bits) != (1, 1, 16000, 16):
        raise ValueError("The audio must be 16 kHz, mono, 16-bit PCM.")
    samples = memoryview(data[:len(data) // 2 * 2]).cast("h")
    return len(samples) / 16000, max((abs(s) for s in samples), default=0) < SILENCE


SPEECH_STATE = web.AppKey("azure_speech_state", SpeechState)


async def _recognize(request: web.Request) -> web.Response:
    state = request.app[SPEECH_STATE]
    content_type = request.headers.get("Content-Type", "")
    received = SpeechRequest(request.query.get("language"), content_type, 0)
    state.requests.append(received)
    audio = await request.read()
    if state.hanging:
        state.hanging -= 1
        await asyncio.Event().wait()  # never answered: the client gives up (its timeout)
    if state.failures:
        failure = state.failures.popleft()
        received.status = failure.status
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        return web.json_response({"error": {"code": str(failure.status), "message": "Injected failure"}},
                                 status=failure.status, headers=headers)
    key = request.headers.get("Ocp-Apim-Subscription-Key", "")
    if not hmac.compare_digest(key.encode(), state.key.encode()):
        received.status = 401
        return web.json_response({"error": {"code": "401", "message": "Access denied due to invalid subscription "
                                            "key or wrong API endpoint."}}, status=401)
    wait = state.throttled()
    if wait is not None:
        received.status = 429
        return web.json_response({"error": {"code": "429", "message": "Too many requests."}}, status=429,
                                 headers={"Retry-After": str(wait)})
    try:
        if not received.language:
            raise ValueError("Language code not provided.")
        if not (_WAV.match(content_type) or _OGG.match(content_type)):
            raise ValueError(f"Unsupported audio format: {content_type[:80]}")
        answer = state.recognize(audio, content_type)
    except ValueError as exc:
        received.status = 400
        return web.Response(status=400, text=str(exc))
    received.status, received.sha256, received.recognition = 200, hashlib.sha256(audio).hexdigest(), \
        answer["RecognitionStatus"]
    return web.json_response(answer)


def create_speech_simulator(key: str, *, clock: Clock, per_minute: int = 20) -> web.Application:
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[SPEECH_STATE] = SpeechState(clock, key, per_minute)
    app.router.add_post(PATH, _recognize)
    app.router.add_post("/sim/speech", json_control(
        lambda s, b: s.say(str(b["text"]), str(b.get("sha256") or ANY)), SPEECH_STATE))
    app.router.add_get("/sim/speech/requests", json_control(
        lambda s, b: {"requests": [asdict(r) for r in s.requests]}, SPEECH_STATE))
    app.router.add_post("/sim/speech/fail_next", json_control(lambda s, b: s.fail_next(
        int(b["status"]), int(b.get("times", 1)), b.get("retry_after")), SPEECH_STATE))
    app.router.add_post("/sim/reset", json_control(lambda s, b: s.reset(), SPEECH_STATE))
    return app


def main() -> None:  # python -m simulators.azure_speech --port 9008 --key local-speech-key
    parser = argparse.ArgumentParser(description="Azure AI Speech (speech to text for short audio), simulated")
    parser.add_argument("--port", type=int, default=9008)
    parser.add_argument("--key", default="local-speech-key")
    args = parser.parse_args()
    web.run_app(create_speech_simulator(args.key, clock=SystemClock()), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
