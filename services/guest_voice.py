"""A guest's voice message. WeChat sends AMR (sometimes Speex), which Teams and browsers do not play:
the original is kept as sent (the record and the archive need it), converted to MP3 and kept too,
posted in Teams to play (services/inbound.py), with its transcript: WeChat's `Recognition` when it
gave one (WeChat is withdrawing it), else the speech service's where one is configured, else none,
and the employee is told why. A speech service that fails never holds the message back.
Repeatable like guest_media: the store is content-addressed, so a job run again stores nothing twice.
"""
from __future__ import annotations

import logging
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Mapping

from cards.text import markdown_literal
from cards.voice import VoiceView, voice_card
from core.media_record import FOR_TEAMS, media_item
from core.media_store import StoredMedia, TooLarge
from core.notices import Notices
from core.speech import MAX_SECONDS, SpeechError, SpeechToText, language_for
from core.teams_chats import TeamsPost
from core.transcoding import TranscodeError, Transcoder, minutes_seconds
from services.guest_media import TRANSIENT_ATTEMPTS, GuestMedia

log = logging.getLogger(__name__)

MP3_MAX_BYTES = 2 * 1024 * 1024  # a minute is 360 KB (adapters/media/ffmpeg.py): far more is not a voice note
WECHAT, SPEECH = "wechat", "azure_speech"  # whose transcript
TRANSCRIPT_LINES = {WECHAT: "voice_transcript_wechat", SPEECH: "voice_transcript_speech"}
# Why there is no transcript -> what the employee reads.
NO_TRANSCRIPT_LINES = {"none": "voice_no_transcript", "not_heard": "voice_not_heard",
                       "too_long": "voice_too_long_to_transcribe", "failed": "voice_transcription_failed"}


@dataclass(frozen=True)
class Voice:
    original: StoredMedia  # as WeChat sent it
    mp3: StoredMedia | None  # what Teams plays; None: it could not be converted
    duration: float | None  # seconds, when converted
    transcript: str | None = None
    source: str | None = None  # WECHAT | SPEECH: whose transcript
    missing: str | None = None  # why there is none: a key of NO_TRANSCRIPT_LINES

    def record(self, kept: list[dict[str, Any]]) -> dict[str, Any]:
        """What the record entry of the message says of it (core/media_record.py), `kept` being what keeping
        the original recorded: the MP3 made for Teams too, the transcript and whose it is, how long it lasts,
        why there is no transcript."""
        media = [*kept, *([media_item(self.mp3, field="MediaId", type="voice", role=FOR_TEAMS)] if self.mp3 else [])]
        transcript = {"transcript": self.transcript, "transcript_source": self.source} if self.transcript else {}
        voice = {"duration_seconds": self.duration, **({"no_transcript": self.missing} if self.missing else {})}
        return {"media": media, **transcript, "voice": voice}


class GuestVoice:
    def __init__(self, *, media: GuestMedia, transcoder: Transcoder, speech: SpeechToText | None = None,
                 languages: tuple[str, ...] = ("zh-CN",)) -> None:
        self.media = media  # where it is downloaded from, kept, and linked to
        self.transcoder = transcoder
        self.speech = speech  # None: only WeChat's transcripts
        self.languages = languages  # what the speech service may hear, the default first

    async def convert(self, original: StoredMedia, recognition: str, attempts: int,
                      guest_language: str | None) -> Voice:
        """The voice message WeChat sent (`original`, kept on arrival: services/guest_media.py) converted
        and transcribed."""
        mp3, duration = await self._mp3(original, attempts)
        if recognition.strip():
            return Voice(original, mp3, duration, recognition.strip(), WECHAT)
        if self.speech is None:
            return Voice(original, mp3, duration, missing="none")
        if duration is not None and duration > MAX_SECONDS:
            return Voice(original, mp3, duration, missing="too_long")
        heard = await self._heard(original, self.speech, language_for(guest_language, self.languages))
        if isinstance(heard, str):
            return Voice(original, mp3, duration, heard, SPEECH)
        return Voice(original, mp3, duration, missing="failed" if heard is False else "not_heard")

    def post(self, voice: Voice, who: str, notices: Notices, language: str,
             channel_data: Mapping[str, Any]) -> TeamsPost:
        """What employees see: "<guest> sent a voice message (0:12):" over a card that plays it, with
        the transcript (whose) or why there is none."""
        who = f"**{markdown_literal(who)}**"
        if voice.mp3 is None or voice.duration is None:
            return TeamsPost(text=notices.render("inbound_voice_not_playable", language, who=who),
                             channel_data=channel_data)
        duration = minutes_seconds(voice.duration)
        view = VoiceView(summary=notices.render("voice_summary", language, duration=duration),
                         url=self.media.link(voice.mp3),
                         play=notices.render("voice_play", language),
                         transcript_template=notices.text(TRANSCRIPT_LINES[voice.source], language)
                         if voice.source else "", transcript=voice.transcript,
                         no_transcript=notices.render(NO_TRANSCRIPT_LINES[voice.missing], language)
                         if voice.missing else "")
        return TeamsPost(text=notices.render("inbound_voice_note", language, who=who, duration=duration),
                         card=voice_card(view), channel_data=channel_data)

    # -- the steps ---------------------------------------------------------------------------------

    async def _mp3(self, original: StoredMedia, attempts: int) -> tuple[StoredMedia | None, float | None]:
        """The MP3 Teams plays, kept, and how long it lasts; (None, None) if it cannot be made."""
        try:
            async with self._read(original) as chunks, self.transcoder.voice_for_teams(chunks) as mp3:
                kept = await self.media.store.put(mp3.chunks, content_type=mp3.content_type, max_bytes=MP3_MAX_BYTES)
                return kept, mp3.duration
        except TranscodeError as exc:
            if exc.transient and attempts < TRANSIENT_ATTEMPTS:
                raise  # the job runs again later
            log.warning("a voice message (%s) could not be converted: %s", original.key[:12], exc)
        except TooLarge:
            log.warning("a voice message (%s) is over %d bytes as MP3", original.key[:12], MP3_MAX_BYTES)
        return None, None

    async def _heard(self, original: StoredMedia, speech: SpeechToText, language: str) -> str | bool:
        """What the speech service heard; True: nothing it recognized; False: it failed (logged,
        without what was said)."""
        try:
            async with self._read(original) as chunks, self.transcoder.voice_for_speech(chunks) as audio:
                return await speech.transcribe(audio.chunks, audio.content_type, language) or True
        except (SpeechError, TranscodeError) as exc:
            log.warning("a voice message (%s) was not transcribed: %s", original.key[:12], exc)
            return False

    @asynccontextmanager
    async def _read(self, stored: StoredMedia) -> AsyncIterator[AsyncIterator[bytes]]:
        media = await self.media.store.get(stored.key)
        if media is None:
            raise TranscodeError("the voice message is no longer in the media store")
        async with aclosing(media.chunks) as chunks:
            yield chunks
