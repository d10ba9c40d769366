"""A guest's voice message in Teams: the audio to play (Adaptive Cards 1.5 `Media`, which Teams desktop
and web play from an https URL; a Play button opens the same link where a client does not), and its
transcript, or why there is none. The transcript is the guest's words as recognized: a literal run."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.common import card, fill_runs, rich, text
from core.transcoding import MP3


@dataclass(frozen=True)
class VoiceView:
    summary: str  # our words only ("A guest's voice message (0:12)")
    url: str  # the MP3, a signed link
    play: str  # the button's title
    transcript_template: str = ""  # "Transcript (by WeChat): {text}"
    transcript: str | None = None  # what was heard; None: `no_transcript` says why
    no_transcript: str = ""


def voice_card(view: VoiceView) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "Media", "id": "voice-audio", "altText": view.play,
                                   "sources": [{"mimeType": MP3, "url": view.url}]}]
    if view.transcript is not None:
        body.append(rich(fill_runs(view.transcript_template, {"text": view.transcript}), id="voice-transcript"))
    elif view.no_transcript:
        body.append(text(view.no_transcript, isSubtle=True, id="voice-no-transcript"))
    return card(body, [{"type": "Action.OpenUrl", "title": view.play, "url": view.url}], summary=view.summary)
