"""SPEECH_* and FFMPEG_BINARY: unset, no transcription by a service and the wheel's ffmpeg; set, checked."""
from __future__ import annotations

import pytest

from config import ConfigError, load_settings
from tests.test_config import BASE


def test_unset_nothing_is_transcribed_by_a_service():
    voice = load_settings(BASE).voice
    assert (voice.transcribes, voice.ffmpeg_binary, voice.speech_languages) == (False, "", ("zh-CN",))


def test_a_key_with_a_region_or_an_endpoint_transcribes():
    voice = load_settings({**BASE, "SPEECH_KEY": "k" * 32, "SPEECH_REGION": "WestEurope",
                           "SPEECH_LANGUAGES": "zh-CN, en-US", "FFMPEG_BINARY": "/usr/bin/ffmpeg"}).voice
    assert (voice.transcribes, voice.speech_region, voice.speech_languages) == (True, "westeurope", ("zh-CN", "en-US"))
    assert "k" * 32 not in repr(voice)  # a Secret
    assert load_settings({**BASE, "SPEECH_KEY": "k", "SPEECH_ENDPOINT": "http://127.0.0.1:9008/"}).voice \
        .speech_endpoint == "http://127.0.0.1:9008"


@pytest.mark.parametrize("env,problem", [
    ({"SPEECH_KEY": "k"}, "SPEECH_REGION (or SPEECH_ENDPOINT): required with SPEECH_KEY"),
    ({"SPEECH_REGION": "west europe"}, "SPEECH_REGION: an Azure region name"),
    ({"SPEECH_ENDPOINT": "ftp://speech"}, "SPEECH_ENDPOINT: must be an http(s) URL"),
    ({"SPEECH_LANGUAGES": "zh-CN,中文"}, "SPEECH_LANGUAGES: comma-separated language codes"),
    ({"SPEECH_LANGUAGES": " , "}, "SPEECH_LANGUAGES: comma-separated language codes"),
])
def test_what_is_wrong_is_named(env, problem):
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_settings({**BASE, **env})
