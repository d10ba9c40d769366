"""A media entry's journal message with its original media attached, read from the media store as it
streams and checked against its key (SHA-256) on the way.

The message's other parts are made by core/journal (`eml`); each original is appended as a base64
part before the closing delimiter, in lines as the chunks come. What one message holds is capped
(ARCHIVE_MAX_MESSAGE_BYTES: archives refuse larger ones), which also bounds the memory it takes: a
medium that would pass the cap goes as a signed link in the body instead, said so.

Nothing is sent without its media: a store that cannot be read is `MediaUnavailable` (the archive
waits for it as for an SMTP outage), a medium not in the store yet is waited for (RetryLater) until
MEDIA_WAIT_SECONDS after its entry, and only then said to be gone (removed by retention, or lost).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, AsyncIterable, AsyncIterator, Callable, Mapping, Sequence

from core.clock import Clock
from core.journal import POLICY, JournalSettings, eml
from core.journal.media import (ATTACHED, GONE, LINKED, NO_STORE, TOO_LARGE, MediaNote, boundary, closing,
                                encoded_size, part_head)
from core.media_links import MediaLinks
from core.media_record import MediaRef, originals
from core.media_store import Media, MediaStore
from services.jobs import RetryLater
from services.media_check import stored, verified

DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024
MEDIA_WAIT_SECONDS = 24 * 3600  # a medium the entry names may still be on its way into the store
NOT_THERE_YET_DELAY = 60.0
LINK_TTL_SECONDS = 90 * 24 * 3600  # from the entry: to review the message; the export keeps the bytes for good
_PART_HEAD_MAX = 512  # a part's delimiter and headers, at most
_RAW_LINE = 57  # bytes a base64 line of 76 characters carries


@dataclass(frozen=True)
class Journaled:
    message: EmailMessage  # the message without its attachments (headers, body)
    data: bytes  # the whole message as it goes to the archive
    media: dict[str, str]  # key -> what became of it (core.journal.media)


@dataclass(frozen=True)
class JournalMedia:
    store: MediaStore | None
    links: MediaLinks | None  # None: no public address; media over the cap are said too large
    clock: Clock
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES

    async def journaled(self, entry: Mapping[str, Any], journal: JournalSettings,
                        names: Mapping[str, str]) -> Journaled:
        """The entry as one message, its originals attached."""
        return await self.built(entry, originals(entry), lambda notes: eml(entry, journal, names=names, media=notes),
                                boundary(entry["hash"]))

    async def built(self, entry: Mapping[str, Any], refs: Sequence[MediaRef],
                    build: Callable[[Mapping[str, MediaNote]], EmailMessage], mark: str) -> Journaled:
        """The message `build` makes (given what became of each medium) with the media `refs` of `entry`
        attached before its closing delimiter `mark`."""
        plain = build({})
        if not refs:
            return Journaled(plain, plain.as_bytes(policy=POLICY), {})
        room = self.max_message_bytes - len(plain.as_bytes(policy=POLICY)) - 200 * len(refs)  # the notes' lines
        notes: dict[str, MediaNote] = {}
        attached: list[tuple[MediaRef, Media]] = []
        for ref in refs:
            found = await self._found(ref, entry)
            if found is None:
                notes[ref.key] = MediaNote(ref, GONE if self.store is not None else NO_STORE)
            elif encoded_size(found.info.size) + _PART_HEAD_MAX <= room:
                room -= encoded_size(found.info.size) + _PART_HEAD_MAX
                notes[ref.key] = MediaNote(ref, ATTACHED)
                attached.append((ref, found))
            else:
                notes[ref.key] = self._linked(ref, int(entry["at"]) + LINK_TTL_SECONDS)
        message = build(notes)
        data = await self._with_attachments(message.as_bytes(policy=POLICY), attached, mark)
        return Journaled(message, data, {key: note.outcome for key, note in notes.items()})

    async def _found(self, ref: MediaRef, entry: Mapping[str, Any]) -> Media | None:
        if self.store is None:
            return None
        found = await stored(self.store, ref.key)
        if found is None and self.clock.now() - float(entry["at"]) < MEDIA_WAIT_SECONDS:
            raise RetryLater(f"medium {ref.key[:12]} is not in the media store yet", NOT_THERE_YET_DELAY)
        return found

    def _linked(self, ref: MediaRef, until: int) -> MediaNote:
        """A link that expires a fixed time after the entry: a resend of the message is the same bytes."""
        if self.links is None:
            return MediaNote(ref, TOO_LARGE)
        return MediaNote(ref, LINKED, f"{self.links.base_url}/media/{self.links.token(ref.key, until)}", until)

    async def _with_attachments(self, message: bytes, attached: list[tuple[MediaRef, Media]], mark: str) -> bytes:
        end = closing(mark)
        assert message.endswith(end), "the journal message is multipart: it ends with its closing delimiter"
        parts = [message[:-len(end)]]
        for ref, media in attached:
            parts.append(part_head(ref, media.info.content_type, mark))
            async for line in base64_lines(verified(ref.key, media.chunks)):
                parts.append(line)
        parts.append(end)
        return b"".join(parts)


async def base64_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """The bytes in base64, 76 characters a line, each line ending in CRLF, as the chunks come."""
    pending = b""
    async for chunk in chunks:
        pending += chunk
        whole = len(pending) - len(pending) % _RAW_LINE
        if whole:
            yield _lines(pending[:whole])
            pending = pending[whole:]
    if pending:
        yield _lines(pending)


def _lines(raw: bytes) -> bytes:
    return base64.encodebytes(raw).replace(b"\n", b"\r\n")  # encodebytes: lines of 76 (57 bytes), LF after each
