"""What a record entry says of its media. Pure: no I/O.

A media message's entry carries a list `media`, one item per medium the message involves:
`{"field": "MediaId", "key": <SHA-256>, "size": n, "content_type": "image/jpeg", "type": "image",
"role": "original"}` (`type`: image | voice | video | thumb | document; `role`: original | for_teams |
for_wechat), and for a voice note `transcript` and `transcript_source`. The entry's hash covers the list,
so the chain anchors the bytes: a medium is its SHA-256. Entries made before the list carry `media_key`
alone (a guest's image), read here as the one original image.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from core.media_store import StoredMedia, is_key

ORIGINAL, FOR_TEAMS, FOR_WECHAT = "original", "for_teams", "for_wechat"  # the roles of an entry's media

# File name extensions by content type (parameters aside); anything else is `.bin`.
EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp",
    "audio/amr": "amr", "audio/speex": "spx", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg",
    "audio/wav": "wav", "video/mp4": "mp4", "video/quicktime": "mov", "application/pdf": "pdf",
}


@dataclass(frozen=True)
class MediaRef:
    """One medium as an entry records it. `size` and `content_type` are None in an old `media_key` entry."""

    key: str  # SHA-256 of the bytes, lowercase hex: the store's key
    type: str
    role: str = ORIGINAL
    field: str | None = None  # the WeChat field it came from (MediaId, ThumbMediaId …)
    size: int | None = None
    content_type: str | None = None

    @property
    def file_name(self) -> str:
        """`image-<first 12 of the SHA-256>.jpg`: what it is, which bytes, and how to open it."""
        return f"{_safe(self.type)}-{self.key[:12]}.{extension(self.content_type)}"


def media_item(stored: StoredMedia, *, field: str, type: str, role: str = ORIGINAL) -> dict[str, Any]:
    """The entry's item for a medium just stored."""
    return {"field": field, "key": stored.key, "size": stored.size, "content_type": stored.content_type,
            "type": type, "role": role}


def media_refs(entry: Mapping[str, Any]) -> tuple[MediaRef, ...]:
    """Every medium the entry records, in its order, each key once; items that name no key are left out."""
    refs: dict[str, MediaRef] = {}
    for item in entry.get("media") or ():
        if isinstance(item, Mapping) and isinstance(item.get("key"), str) and is_key(item["key"]):
            refs.setdefault(item["key"], MediaRef(
                item["key"], _text(item.get("type")) or "media", _text(item.get("role")) or ORIGINAL,
                _text(item.get("field")) or None, _size(item.get("size")), _text(item.get("content_type")) or None))
    old = entry.get("media_key")
    if isinstance(old, str) and is_key(old):
        refs.setdefault(old, MediaRef(old, "image", ORIGINAL, "MediaId"))
    return tuple(refs.values())


def originals(entry: Mapping[str, Any]) -> tuple[MediaRef, ...]:
    """The media as they came (what the archive keeps), not the copies made for the other side."""
    return tuple(ref for ref in media_refs(entry) if ref.role == ORIGINAL)


def transcript_of(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """A voice note's transcript and where it came from (WeChat's Recognition, a speech service)."""
    text = entry.get("transcript")
    if not isinstance(text, str) or not text.strip():
        return None
    return text, _text(entry.get("transcript_source")) or "unknown"


# Links to an entry's media, by key, that an outlet adds to the entry it hands a CRM: not part of the record.
MEDIA_URLS = "media_urls"


def with_urls(entry: Mapping[str, Any], url: Callable[[str], str]) -> Mapping[str, Any]:
    """The entry with a link to each of its media (`url(key)`), for references(); as it is without media."""
    refs = media_refs(entry)
    return {**entry, MEDIA_URLS: {ref.key: url(ref.key) for ref in refs}} if refs else entry


def references(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The entry's media as a system that must not hold the bytes (a CRM) is told of them: what, how
    large, which bytes (SHA-256), and where to fetch each while its link lasts (with_urls)."""
    given = entry.get(MEDIA_URLS)
    urls: Mapping[str, str] = given if isinstance(given, Mapping) else {}
    return [{"type": ref.type, "role": ref.role, "size": ref.size, "content_type": ref.content_type,
             "sha256": ref.key, "file_name": ref.file_name, **({"url": urls[ref.key]} if ref.key in urls else {})}
            for ref in media_refs(entry)]


def reference_lines(entry: Mapping[str, Any]) -> list[str]:
    """The entry's media as lines of a transcript (a CRM's): which file, what, how large, which bytes."""
    return [f"[{ref.file_name}: {ref.type}, {ref.size if ref.size is not None else '?'} bytes, SHA-256 {ref.key}]"
            for ref in media_refs(entry) if ref.role == ORIGINAL]


def extension(content_type: str | None) -> str:
    return EXTENSIONS.get((content_type or "").split(";")[0].strip().lower(), "bin")


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "_-"))[:20] or "media"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
