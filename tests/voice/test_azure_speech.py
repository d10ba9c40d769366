"""Speech to text by Azure AI Speech (adapters/speech/azure.py) against its simulator
(simulators/azure_speech.py) over HTTP on 127.0.0.1, with audio converted by the bundled ffmpeg."""
from __future__ import annotations

import hashlib
import logging

import pytest

from adapters.media.ffmpeg import Ffmpeg, ffmpeg_binary
from adapters.speech.azure import AzureSpeech, endpoint_of
from core.speech import SpeechRefused, SpeechUnavailable, language_for
from core.transcoding import WAV
from simulators.azure_speech import SPEECH_STATE, create_speech_simulator
from tests.voice.samples import amr_voice, chunks, joined, silent_amr

KEY = "speech-key-0123456789abcdef"


@pytest.fixture
async def server(serve, clock):
    return await serve(create_speech_simulator(KEY, clock=clock, per_minute=3))


@pytest.fixture
def state(server):
    return server.app[SPEECH_STATE]


def speech(server, session, key: str = KEY, timeout: float = 5.0) -> AzureSpeech:
    return AzureSpeech(key, endpoint_of("", str(server.make_url("")).rstrip("/")), session, timeout=timeout)


async def wav_of(tmp_path, amr: bytes) -> bytes:
    async with Ffmpeg(ffmpeg_binary(), str(tmp_path / "work")).voice_for_speech(chunks(amr)) as wav:
        return await joined(wav.chunks)


async def test_the_text_registered_for_the_audio_is_heard(server, state, session, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    state.say("我想了解一下基金", hashlib.sha256(wav).hexdigest())
    assert await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN") == "我想了解一下基金"
    [request] = state.requests
    assert (request.language, request.content_type, request.recognition) == ("zh-CN", WAV, "Success")


async def test_silence_and_unknown_audio_are_heard_as_nothing(server, state, session, tmp_path):
    silence, voice = await wav_of(tmp_path, silent_amr(tmp_path)), await wav_of(tmp_path, amr_voice(tmp_path))
    assert await speech(server, session).transcribe(chunks(silence), WAV, "zh-CN") is None
    assert await speech(server, session).transcribe(chunks(voice), WAV, "zh-CN") is None
    assert [r.recognition for r in state.requests] == ["InitialSilenceTimeout", "NoMatch"]


async def test_a_wrong_key_is_refused_for_good_and_never_shown(server, session, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    with pytest.raises(SpeechRefused) as refused:
        await speech(server, session, key="wrong-key-000000").transcribe(chunks(wav), WAV, "zh-CN")
    assert (refused.value.status, refused.value.transient) == (401, False)
    assert "key is wrong" in str(refused.value)
    shown = [str(refused.value), repr(speech(server, session))] + [r.getMessage() for r in caplog.records]
    assert not any(KEY in text or "wrong-key-000000" in text for text in shown)


async def test_audio_the_service_cannot_take_is_a_400(server, state, session, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    for content_type, audio in (("audio/amr", amr_voice(tmp_path)), (WAV, b"RIFF....WAVE" + bytes(40))):
        with pytest.raises(SpeechRefused) as refused:
            await speech(server, session).transcribe(chunks(audio), content_type, "zh-CN")
        assert refused.value.status == 400
    with pytest.raises(SpeechRefused, match="400"):
        await speech(server, session).transcribe(chunks(wav), WAV, "")


async def test_more_than_60_seconds_is_refused(server, session, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path, seconds=61))
    with pytest.raises(SpeechRefused, match="longer than 60"):
        await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN")


async def test_past_the_rate_a_429_says_when_to_come_back(server, state, session, clock, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    for _ in range(3):
        await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN")
    with pytest.raises(SpeechUnavailable) as throttled:
        await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN")
    assert (throttled.value.status, throttled.value.transient, throttled.value.retry_after) == (429, True, 60)
    clock.advance(61)
    assert await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN") is None


async def test_a_failing_or_silent_service_is_unavailable(server, state, session, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    state.fail_next(503, retry_after=7)
    with pytest.raises(SpeechUnavailable) as failing:
        await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN")
    assert (failing.value.status, failing.value.retry_after) == (503, 7)
    state.hang_next()
    with pytest.raises(SpeechUnavailable, match="did not answer in 0.5 s"):
        await speech(server, session, timeout=0.5).transcribe(chunks(wav), WAV, "zh-CN")


async def test_a_service_that_is_not_there_is_unavailable(session, unused_tcp_port):
    client = AzureSpeech(KEY, f"http://127.0.0.1:{unused_tcp_port}", session)
    with pytest.raises(SpeechUnavailable, match="could not be reached"):
        await client.transcribe(chunks(b"RIFF"), WAV, "zh-CN")


def test_the_guests_language_is_heard_when_configured_else_the_first():
    languages = ("zh-CN", "en-US", "zh-HK")
    assert [language_for(guest, languages) for guest in ("zh_CN", "en", "zh_HK", "zh_TW", "fr", None, "")] == \
        ["zh-CN", "en-US", "zh-HK", "zh-CN", "zh-CN", "zh-CN", "zh-CN"]


async def test_the_control_routes_register_a_transcript_fail_the_next_and_list_requests(server, session, tmp_path):
    wav = await wav_of(tmp_path, amr_voice(tmp_path))
    control = str(server.make_url("/sim/speech"))
    async with session.post(control, json={"text": "你好", "sha256": hashlib.sha256(wav).hexdigest()}) as r:
        assert r.status == 200
    async with session.post(control, json={}) as r:
        assert r.status == 400  # no text
    async with session.post(control + "/fail_next", json={"status": 500}) as r:
        assert r.status == 200
    with pytest.raises(SpeechUnavailable):
        await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN")
    assert await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN") == "你好"
    async with session.get(control + "/requests") as r:
        assert [q["status"] for q in (await r.json())["requests"]] == [500, 200]
    async with session.post(str(server.make_url("/sim/reset"))) as r:
        assert r.status == 200
    assert await speech(server, session).transcribe(chunks(wav), WAV, "zh-CN") is None
