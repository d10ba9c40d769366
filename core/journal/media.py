"""A media entry in its journal message: what became of each original (attached, sent as a link because
the message would pass its size cap, no longer in the media store), the body's lines about the media and
a voice note's transcript, and the MIME part an attachment starts with. Pure: the bytes themselves are
streamed in after the message's other parts (services/journal_media.py), base64 in lines of 76."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from core.media_record import MediaRef, media_refs, transcript_of

ATTACHED, LINKED, TOO_LARGE, GONE, NO_STORE, EXPORTED = (
    "attached", "linked", "too large", "gone", "no store", "exported")
_LINE = 76  # base64 characters per line (RFC 2045)


@dataclass(frozen=True)
class MediaNote:
    ref: MediaRef
    outcome: str  # ATTACHED | LINKED | TOO_LARGE | GONE | NO_STORE | EXPORTED
    url: str | None = None  # LINKED: where to fetch it
    until: float | None = None  # LINKED: when the link expires (unix seconds)


def _until(note: MediaNote) -> str:
    return datetime.fromtimestamp(float(note.until or 0), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


_SAID: dict[str, Callable[[MediaNote], str]] = {
    ATTACHED: lambda n: f"attached to this message as {n.ref.file_name}",
    LINKED: lambda n: (f"not attached: larger than this message may be; fetch it at {n.url} (valid until "
                       f"{_until(n)}), or from the record's export by its SHA-256"),
    TOO_LARGE: lambda n: ("not attached: larger than this message may be (and no public address is configured "
                          "for a link); in the record's export by its SHA-256"),
    GONE: lambda n: "not attached: the media store no longer has it (removed at the end of its retention, or lost)",
    NO_STORE: lambda n: "not attached: no media store is configured",
    EXPORTED: lambda n: f"in the export as media/{n.ref.key}",
}


def boundary(digest: str) -> str:
    """The message's MIME boundary, from the entry's hash: the same entry gives the same bytes."""
    return f"=_wechat-record-{digest[:32]}"


def media_lines(entry: Mapping[str, Any], notes: Mapping[str, MediaNote]) -> list[str]:
    """The body's lines about the entry's media (each one's type, size and SHA-256, and what became of
    it) and a voice note's transcript; none for an entry without media."""
    refs, spoken = media_refs(entry), transcript_of(entry)
    lines: list[str] = []
    if refs:
        lines += ["", "Media:"]
    for ref in refs:
        size = f"{ref.size} bytes" if ref.size is not None else "size not recorded"
        lines += [f"  - {ref.file_name}: {ref.type} ({ref.role}), {ref.content_type or 'type not recorded'}, {size}",
                  f"    SHA-256 {ref.key}"]
        if ref.key in notes:
            lines.append(f"    {_SAID[notes[ref.key].outcome](notes[ref.key])}")
    if spoken is not None:
        text, source = spoken
        lines += ["", f"Transcript of the voice note ({source}):", *("    " + line for line in text.splitlines())]
    return lines


def part_head(ref: MediaRef, content_type: str, boundary: str) -> bytes:
    """The delimiter and headers of an attachment's part; its base64 lines follow. `content_type`: as
    the media store keeps it (checked there: nothing in it can end a header line)."""
    return (f"--{boundary}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename=\"{ref.file_name}\"\r\n"
            f"Content-Description: {ref.type} ({ref.role}), SHA-256 {ref.key}\r\n"
            f"X-WeChat-Media-SHA256: {ref.key}\r\n\r\n").encode("ascii")


def closing(boundary: str) -> bytes:
    return f"--{boundary}--\r\n".encode("ascii")


def encoded_size(size: int) -> int:
    """The bytes `size` bytes take in base64 lines of 76 characters, CRLF after each."""
    chars = 4 * -(-size // 3)
    return chars + 2 * -(-chars // _LINE)
