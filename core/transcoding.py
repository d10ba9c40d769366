"""What the services ask of a media converter (adapters/media/ffmpeg.py implements it): voice notes
made playable in Teams and sendable by WeChat, audio for a speech-to-text service, a video made
sendable by WeChat, its thumbnail and duration. Streamed both ways: a source is an async iterator of chunks (a stored
medium's), a result is an async context whose `chunks` give the output; memory does not grow with
a file's size. Pure: no I/O here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import AsyncContextManager, AsyncIterable, AsyncIterator, Protocol

MP3 = "audio/mpeg"
WAV = "audio/wav; codecs=audio/pcm; samplerate=16000"  # what speech services take: PCM, 16 kHz, mono
JPEG = "image/jpeg"
MP4 = "video/mp4"


class TranscodeError(Exception):
    """The medium could not be converted; the message says why (ffmpeg's own words, briefly).
    `transient`: worth trying again (the converter timed out), not the medium's fault."""

    transient = False


class TranscodeTimeout(TranscodeError):
    transient = True


class TooLong(TranscodeError):
    """Longer than the target allows (WeChat's voice: 60 s); refused, not cut."""

    def __init__(self, seconds: float, max_seconds: float) -> None:
        super().__init__(f"{seconds:.1f} s long; at most {max_seconds:g} s are allowed")
        self.seconds = seconds
        self.max_seconds = max_seconds


class TooBig(TranscodeError):
    """Converted, still over the target's size."""


@dataclass(frozen=True)
class Converted:
    """A converted medium while its context is open: its type, size, duration (seconds; 0 for an
    image) and its bytes as they come."""

    content_type: str
    size: int
    duration: float
    chunks: AsyncIterator[bytes]


Converting = AsyncContextManager[Converted]


class Transcoder(Protocol):
    def voice_for_teams(self, source: AsyncIterable[bytes]) -> Converting:
        """A voice note (AMR-NB, AMR-WB, Speex …) as MP3 a browser plays: mono, small."""

    def voice_for_speech(self, source: AsyncIterable[bytes]) -> Converting:
        """The audio as WAV PCM, 16 kHz, mono (`WAV`), for a speech-to-text service."""

    def voice_for_wechat(self, source: AsyncIterable[bytes]) -> Converting:
        """Any audio as an MP3 WeChat takes as a voice message: TooLong past 60 s, TooBig past 2 MB."""

    def video_for_wechat(self, source: AsyncIterable[bytes]) -> Converting:
        """Any video as an MP4 (H.264, AAC) WeChat takes: at most 10 MB, the picture and bitrate lowered as
        its length needs; TooLong when even the lowest quality would not fit it."""

    def video_thumbnail(self, source: AsyncIterable[bytes]) -> Converting:
        """One frame of the video as JPEG, at most 64 KB (WeChat's `thumb`)."""

    async def duration(self, source: AsyncIterable[bytes]) -> float:
        """How long the audio or video lasts, in seconds."""


def minutes_seconds(seconds: float) -> str:
    """A duration as people read it: 0:12, 1:05."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
