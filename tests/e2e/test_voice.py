"""A guest's voice note over HTTP: an AMR made at test time by the bundled ffmpeg, held by WeChat's
simulator, pushed with its MediaId; the app keeps the original, converts it to MP3 and posts it in a
card that plays it from a signed /media link, with its transcript: WeChat's Recognition, or the
Azure AI Speech simulator's, or none, said so. A speech service that fails never holds it back."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestServer

from adapters.media.ffmpeg import Ffmpeg, ffmpeg_binary
from services.record import Recorder
from simulators.azure_speech import SPEECH_STATE, create_speech_simulator
from tests.card_walk import texts
from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL, _close, _stack
from tests.voice.samples import amr_voice, chunks, decoded_seconds, joined

SPEECH_KEY = "speech-key-e2e-0123456789"
SECONDS = 3.0


@pytest.fixture
async def speech_server(clock):
    server = TestServer(create_speech_simulator(SPEECH_KEY, clock=clock), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
def speech(speech_server):
    return speech_server.app[SPEECH_STATE]


async def _stack_with_speech(tmp_path, clock, speech_server, key=SPEECH_KEY):
    return await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                        PUBLIC_BASE_URL=PUBLIC_BASE_URL, SPEECH_KEY=key,
                        SPEECH_ENDPOINT=str(speech_server.make_url("")).rstrip("/"))


@pytest.fixture
async def voiced(tmp_path, clock, speech_server):
    s = await _stack_with_speech(tmp_path, clock, speech_server)
    try:
        yield s
    finally:
        await _close(s)


async def _guest_sends_a_voice_note(stack, voice: bytes, recognition: str = "", openid="oGuestVoice00000000000001"):
    await stack.install(ALICE)
    guest = stack.wechat.guest(openid, nickname="Li Lei")
    async with stack.session.post(f"{stack.wechat.api_url}/sim/media", params={"kind": "voice"}, data=voice,
                                  headers={"Content-Type": "audio/amr"}) as sent:
        media_id = (await sent.json())["media_id"]
    r = await guest.send("voice", MediaId=media_id, Format="amr", Recognition=recognition)
    assert (r.status, r.text) == (200, "success")
    await stack.settle()
    [activity] = [a["activity"] for a in stack.teams_messages(ALICE) if "voice message" in (a["activity"].get("text")
                                                                                            or "")]
    return guest, activity


def _card(activity) -> dict:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


async def _voice_entry(stack, openid) -> dict:
    record = await Recorder(stack.components.storage, stack.clock).entries(openid)
    return next(e for e in record if "voice" in e)


async def test_a_voice_note_plays_in_teams_as_mp3_of_the_same_length_with_wechats_transcript(stack, tmp_path):
    voice = amr_voice(tmp_path, SECONDS)
    guest, activity = await _guest_sends_a_voice_note(stack, voice, recognition="明天下午三点可以见面吗")

    assert activity["text"] == "**Li Lei** sent a voice message (0:03):"
    card = _card(activity)
    [media] = [e for e in card["body"] if e["type"] == "Media"]
    [source] = media["sources"]
    assert source["mimeType"] == "audio/mpeg" and source["url"].startswith(f"{PUBLIC_BASE_URL}/media/")
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Play", "url": source["url"]}]
    assert "Transcript (by WeChat): 明天下午三点可以见面吗" in "".join(texts([card]))
    async with stack.session.get(stack.app_server.make_url(urlsplit(source["url"]).path)) as r:
        assert (r.status, r.headers["Content-Type"]) == (200, "audio/mpeg")
        mp3 = await r.read()
    assert abs(decoded_seconds(tmp_path, mp3) - SECONDS) <= 0.2

    entry = await _voice_entry(stack, guest.openid)
    original = hashlib.sha256(voice).hexdigest()
    assert [(m["key"], m["role"], m["content_type"]) for m in entry["media"]] == [
        (original, "original", "audio/amr"), (hashlib.sha256(mp3).hexdigest(), "for_teams", "audio/mpeg")]
    assert abs(entry["voice"]["duration_seconds"] - SECONDS) <= 0.2
    assert (entry["transcript"], entry["transcript_source"]) == ("明天下午三点可以见面吗", "wechat")
    assert await stack.components.media.exists(original)  # the original, for the archive


async def test_without_wechats_transcript_the_speech_service_transcribes_it(voiced, speech, tmp_path):
    voice = amr_voice(tmp_path, SECONDS)
    # The service hears the audio the product sends it: the same AMR through the same converter.
    async with Ffmpeg(ffmpeg_binary(), str(tmp_path / "work")).voice_for_speech(chunks(voice)) as wav:
        speech.say("I would like to review my portfolio", hashlib.sha256(await joined(wav.chunks)).hexdigest())
    guest, activity = await _guest_sends_a_voice_note(voiced, voice)

    assert "Transcript (by Azure AI Speech): I would like to review my portfolio" in "".join(texts([_card(activity)]))
    [request] = speech.requests
    assert (request.status, request.language, request.recognition) == (200, "zh-CN", "Success")
    entry = await _voice_entry(voiced, guest.openid)
    assert entry["transcript_source"] == "azure_speech"


async def test_without_either_the_employee_is_told_there_is_no_transcript(stack, tmp_path):
    _, activity = await _guest_sends_a_voice_note(stack, amr_voice(tmp_path, SECONDS))
    assert "No transcript: WeChat gave none." in texts([_card(activity)])


async def test_nothing_recognized_is_said_so(voiced, tmp_path):
    _, activity = await _guest_sends_a_voice_note(voiced, amr_voice(tmp_path, SECONDS))
    assert "No transcript: no speech was recognized." in texts([_card(activity)])


@pytest.mark.parametrize("failure", ["wrong key", "throttled", "unavailable", "timeout"])
async def test_a_failing_speech_service_never_holds_the_message_back(failure, tmp_path, clock, speech_server,
                                                                      speech, monkeypatch):
    monkeypatch.setattr("adapters.speech.azure.TIMEOUT_SECONDS", 0.5)
    if failure == "throttled":
        speech.fail_next(429, retry_after=30)
    elif failure == "unavailable":
        speech.fail_next(503)
    elif failure == "timeout":
        speech.hang_next()
    stack = await _stack_with_speech(tmp_path, clock, speech_server,
                                     key="not-the-key-0000" if failure == "wrong key" else SPEECH_KEY)
    try:
        guest, activity = await _guest_sends_a_voice_note(stack, amr_voice(tmp_path, SECONDS))
        assert activity["text"] == "**Li Lei** sent a voice message (0:03):"
        assert "No transcript: the speech service could not transcribe it this time." in texts([_card(activity)])
        assert (await _voice_entry(stack, guest.openid))["voice"]["no_transcript"] == "failed"
        [request] = speech.requests
        assert request.status == {"wrong key": 401, "throttled": 429, "unavailable": 503, "timeout": 0}[failure]
    finally:
        await _close(stack)


async def test_a_voice_note_wechat_no_longer_has_is_said_so(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestVoice00000000000002", nickname="Li Lei")
    r = await guest.send("voice", MediaId="expired-media-id", Format="amr", Recognition="")
    assert r.status == 200
    await stack.settle()
    assert "**Li Lei** sent a voice message, but it could not be kept (WeChat no longer has it, or it is too large)." \
        in stack.teams_texts(ALICE)


async def test_dlp_reads_the_speech_services_transcript_and_masks_it_in_teams(tmp_path, clock, speech_server, speech):
    orgs = f'''
[[organizations]]
id = "contoso"
  [[organizations.sub_organizations]]
  id = "hk"
  employees = [{{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }}]
  dlp.rules = [{{ name = "cards", detector = "card", direction = "inbound", action = "redact" }}]
'''
    s = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", organizations=orgs,
                     PUBLIC_BASE_URL=PUBLIC_BASE_URL, SPEECH_KEY=SPEECH_KEY,
                     SPEECH_ENDPOINT=str(speech_server.make_url("")).rstrip("/"))
    try:
        voice = amr_voice(tmp_path, SECONDS)
        said = "my card is 4111 1111 1111 1111"
        async with Ffmpeg(ffmpeg_binary(), str(tmp_path / "work")).voice_for_speech(chunks(voice)) as wav:
            speech.say(said, hashlib.sha256(await joined(wav.chunks)).hexdigest())
        guest, activity = await _guest_sends_a_voice_note(s, voice)
        shown = "".join(texts([_card(activity)]))
        assert "4111" not in shown and "my card is " + "*" * 19 in shown
        entry = await _voice_entry(s, guest.openid)
        assert entry["transcript"] == said and entry["dlp"]["action"] == "redact"
    finally:
        await _close(s)
