"""Voice notes: the ffmpeg that converts them (FFMPEG_BINARY) and the speech-to-text service that
transcribes them when WeChat gives no transcript (SPEECH_*: Azure AI Speech; unset, none)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from config.env import Env, Secret, is_http_url, text

_REGION = re.compile(r"^[a-z0-9]{2,40}$")  # westeurope, chinanorth2 …
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # BCP 47: zh-CN, en-US, yue-CN


@dataclass(frozen=True)
class VoiceSettings:
    ffmpeg_binary: str = ""  # FFMPEG_BINARY; "" the imageio-ffmpeg wheel's
    speech_key: Secret = Secret("")  # SPEECH_KEY; "" no transcription by a service
    speech_region: str = ""
    speech_endpoint: str = ""  # SPEECH_ENDPOINT: instead of the region's (a simulator)
    speech_languages: tuple[str, ...] = ("zh-CN",)  # the first is heard unless the guest's WeChat language is listed

    @property
    def transcribes(self) -> bool:
        return bool(self.speech_key)


def voice_settings(env: Env, problems: list[str]) -> VoiceSettings:
    key, region = text(env, "SPEECH_KEY"), text(env, "SPEECH_REGION").lower()
    endpoint = text(env, "SPEECH_ENDPOINT").rstrip("/")
    if endpoint and not is_http_url(endpoint):
        problems.append(f"SPEECH_ENDPOINT: must be an http(s) URL, got {endpoint!r}")
    languages = tuple(part.strip() for part in text(env, "SPEECH_LANGUAGES", "zh-CN").split(",") if part.strip())
    if key and not (region or endpoint):
        problems.append("SPEECH_REGION (or SPEECH_ENDPOINT): required with SPEECH_KEY")
    if region and not _REGION.match(region):
        problems.append(f"SPEECH_REGION: an Azure region name such as westeurope, got {region!r}")
    bad = [language for language in languages if not _LANGUAGE.match(language)]
    if bad or not languages:
        problems.append(f"SPEECH_LANGUAGES: comma-separated language codes such as zh-CN,en-US, got {bad or '—'}")
    return VoiceSettings(text(env, "FFMPEG_BINARY"), Secret(key), region, endpoint, languages or ("zh-CN",))
