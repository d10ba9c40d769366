"""The media converter on the bundled ffmpeg: real conversions of media made at test time."""
from __future__ import annotations

import os
import stat

import pytest

from adapters.media.ffmpeg import THUMB_MAX_BYTES, Ffmpeg, ffmpeg_binary
from core.transcoding import JPEG, MP3, WAV, TooLong, TranscodeError, TranscodeTimeout, minutes_seconds
from tests.voice.samples import amr_voice, chunks, decoded_seconds, joined, mp3_audio, mp4_video


@pytest.fixture
def ffmpeg(tmp_path):
    return Ffmpeg(ffmpeg_binary(), str(tmp_path / "work"))


def left_behind(tmp_path) -> list[str]:
    return os.listdir(tmp_path / "work")


async def test_a_wechat_voice_note_becomes_a_small_mp3_of_the_same_length(ffmpeg, tmp_path):
    voice = amr_voice(tmp_path, seconds=3.0)
    async with ffmpeg.voice_for_teams(chunks(voice)) as mp3:
        data = await joined(mp3.chunks)
    assert (mp3.content_type, mp3.size) == (MP3, len(data))
    assert data[:3] == b"ID3" or data[0] == 0xFF  # an MP3 stream (tagged or a frame header)
    assert abs(mp3.duration - 3.0) <= 0.2
    assert abs(decoded_seconds(tmp_path, data) - 3.0) <= 0.2
    assert left_behind(tmp_path) == []  # the work folder is removed once read


async def test_a_minute_of_voice_stays_under_500_kb(ffmpeg, tmp_path):
    async with ffmpeg.voice_for_teams(chunks(amr_voice(tmp_path, seconds=60.0))) as mp3:
        assert mp3.size < 500 * 1024
        assert abs(mp3.duration - 60.0) <= 0.2


async def test_audio_for_speech_is_16_khz_mono_pcm_wav(ffmpeg, tmp_path):
    async with ffmpeg.voice_for_speech(chunks(amr_voice(tmp_path, seconds=2.0))) as wav:
        data = await joined(wav.chunks)
    assert wav.content_type == WAV
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    channels, rate = int.from_bytes(data[22:24], "little"), int.from_bytes(data[24:28], "little")
    assert (channels, rate) == (1, 16000)
    assert abs(len(data) - 44 - 2 * 16000 * 2.0) < 16000 * 2 * 0.1  # 2 s of 16-bit samples


async def test_voice_for_wechat_is_mp3_under_its_limits_and_longer_than_60_s_is_refused(ffmpeg, tmp_path):
    async with ffmpeg.voice_for_wechat(chunks(mp3_audio(tmp_path, 5.0))) as mp3:
        assert (mp3.content_type, abs(mp3.duration - 5.0) <= 0.2) == (MP3, True)
        assert len(await joined(mp3.chunks)) == mp3.size <= 2 * 1024 * 1024
    with pytest.raises(TooLong) as refused:
        async with ffmpeg.voice_for_wechat(chunks(mp3_audio(tmp_path, 61.0))):
            pass
    assert "at most 60 s" in str(refused.value)


async def test_a_videos_thumbnail_is_a_jpeg_within_64_kb_and_its_duration_is_read(ffmpeg, tmp_path):
    video = mp4_video(tmp_path, seconds=2.0)
    async with ffmpeg.video_thumbnail(chunks(video)) as thumb:
        data = await joined(thumb.chunks)
    assert (thumb.content_type, data[:2]) == (JPEG, b"\xff\xd8")
    assert len(data) == thumb.size <= THUMB_MAX_BYTES
    assert abs(await ffmpeg.duration(chunks(video)) - 2.0) <= 0.1


async def test_what_is_not_media_is_a_clear_error_and_leaves_nothing(ffmpeg, tmp_path):
    with pytest.raises(TranscodeError, match="ffmpeg failed"):
        async with ffmpeg.voice_for_teams(chunks(b"this is no voice note" * 100)):
            pass
    assert left_behind(tmp_path) == []


async def test_a_list_naming_other_files_is_not_read(ffmpeg, tmp_path):
    (tmp_path / "secret.amr").write_bytes(amr_voice(tmp_path))
    listing = f"ffconcat version 1.0\nfile {tmp_path / 'secret.amr'}\n".encode()
    with pytest.raises(TranscodeError):
        async with ffmpeg.voice_for_teams(chunks(listing)):
            pass


async def test_ffmpeg_is_killed_past_its_time_limit(tmp_path):
    # A stand-in binary that never ends: its process id written first, so the test can see it is gone.
    pid_file = tmp_path / "pid"
    hanging = tmp_path / "hanging-ffmpeg"
    hanging.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")
    hanging.chmod(hanging.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(TranscodeTimeout, match="longer than 0.5 s"):
        async with Ffmpeg(str(hanging), str(tmp_path / "work"), timeout_seconds=0.5).voice_for_teams(chunks(b"x")):
            pass
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
    assert TranscodeTimeout("").transient and not TranscodeError("").transient


def test_durations_read_as_minutes_and_seconds():
    assert [minutes_seconds(s) for s in (0, 3.02, 12.4, 59.6, 65, 600)] == ["0:00", "0:03", "0:12", "1:00", "1:05",
                                                                            "10:00"]
