"""The voice step (services/guest_voice.py) on the fakes, with a converter and a speech service that
do what each test needs: a converter that times out makes the job run again, then posts the message
without audio; audio over a minute is not sent to the speech service; the guest's language is heard."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterable, AsyncIterator

import pytest

from core.clock import FakeClock
from core.media_links import MediaLinks
from core.media_store import StoredMedia
from core.notices import EN, Notices
from core.transcoding import MP3, WAV, Converted, TranscodeTimeout
from services.guest_media import TRANSIENT_ATTEMPTS, GuestMedia
from services.guest_voice import GuestVoice
from tests.fakes import MEDIA_BASE_URL, FakeWeChat, MemoryMediaStore
from tests.voice.samples import chunks, joined

AMR = b"#!AMR\n" + bytes(range(256)) * 4


class StubTranscoder:
    """Converts by relabelling, with the duration given; or times out."""

    def __init__(self, seconds: float = 3.0, times_out: bool = False) -> None:
        self.seconds, self.times_out = seconds, times_out

    @asynccontextmanager
    async def _as(self, source: AsyncIterable[bytes], content_type: str) -> AsyncIterator[Converted]:
        data = b"".join([chunk async for chunk in source])
        if self.times_out:
            raise TranscodeTimeout("ffmpeg took longer than 60 s and was stopped")
        yield Converted(content_type, len(data) + 1, self.seconds, chunks(content_type.encode() + data))

    def voice_for_teams(self, source):
        return self._as(source, MP3)

    def voice_for_speech(self, source):
        return self._as(source, WAV)

    voice_for_wechat = voice_for_teams
    video_thumbnail = voice_for_teams

    async def duration(self, source) -> float:
        return self.seconds


class StubSpeech:
    def __init__(self) -> None:
        self.heard: list[tuple[bytes, str, str]] = []

    async def transcribe(self, audio, content_type, language):
        self.heard.append((await joined(audio), content_type, language))
        return "好的"


async def voice_step(transcoder=None, speech=None) -> tuple[GuestVoice, StoredMedia]:
    """The step, and a voice note's original as keeping it on arrival left it in the store."""
    media = GuestMedia(store=MemoryMediaStore(), links=MediaLinks(b"m" * 32, MEDIA_BASE_URL, FakeClock()),
                       wechat={"default": FakeWeChat()})
    original = await media.store.put(chunks(AMR), content_type="audio/amr", max_bytes=len(AMR))
    return GuestVoice(media=media, transcoder=transcoder or StubTranscoder(), speech=speech,
                      languages=("zh-CN", "en-US")), original


async def test_a_converter_that_times_out_runs_the_job_again_then_posts_without_audio():
    step, original = await voice_step(StubTranscoder(times_out=True))
    for attempt in range(1, TRANSIENT_ATTEMPTS):
        with pytest.raises(TranscodeTimeout):
            await step.convert(original, "", attempt, None)
    voice = await step.convert(original, "", TRANSIENT_ATTEMPTS, None)
    assert (voice.mp3, voice.duration) == (None, None)
    assert voice.record([{"key": original.key}])["media"] == [{"key": original.key}]  # the original alone
    post = step.post(voice, "Li Lei", Notices(), EN, {"origin": "wechat"})
    assert post.card is None and post.text.startswith("**Li Lei** sent a voice message. It is kept with the record")


async def test_over_a_minute_is_not_sent_to_the_speech_service():
    speech = StubSpeech()
    step, original = await voice_step(StubTranscoder(seconds=61), speech)
    voice = await step.convert(original, "", 1, "zh_CN")
    assert (voice.transcript, voice.missing, speech.heard) == (None, "too_long", [])


async def test_the_speech_service_hears_wav_in_the_guests_language():
    speech = StubSpeech()
    step, original = await voice_step(speech=speech)
    voice = await step.convert(original, "  ", 1, "en")
    assert (voice.transcript, voice.source) == ("好的", "azure_speech")
    assert speech.heard == [(WAV.encode() + AMR, WAV, "en-US")]
    assert voice.mp3 is not None and voice.mp3.content_type == MP3


async def test_wechats_recognition_comes_first():
    speech = StubSpeech()
    step, original = await voice_step(speech=speech)
    voice = await step.convert(original, " 您好 ", 1, None)
    assert (voice.transcript, voice.source, speech.heard) == ("您好", "wechat", [])
