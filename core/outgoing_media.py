"""A medium an employee sends a WeChat guest: what kind of WeChat message it becomes, and the stored
bytes it is (core/media_store.py keys). Pure: no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

IMAGE, VOICE, VIDEO, DOCUMENT = "image", "voice", "video", "document"
KINDS = (IMAGE, VOICE, VIDEO, DOCUMENT)

# The first part of a content type -> the WeChat message it becomes; anything else (PDF, Office, a zip)
# is a document: Official Accounts cannot send files, so it goes as a link.
_BY_TOP_TYPE = {"image": IMAGE, "audio": VOICE, "video": VIDEO}
# A file whose type says nothing (application/octet-stream): its name's extension. A table, not
# `mimetypes` (which reads the system's files the first time it is asked).
_BY_EXTENSION = {**dict.fromkeys(("png", "jpg", "jpeg", "gif", "bmp", "webp", "heic"), IMAGE),
                 **dict.fromkeys(("mp3", "amr", "m4a", "aac", "wav", "ogg", "opus", "speex"), VOICE),
                 **dict.fromkeys(("mp4", "mov", "m4v", "webm", "avi"), VIDEO)}


def kind_of(content_type: str, name: str = "") -> str:
    """The kind of message a file becomes, from its content type (or, if that says nothing, its name)."""
    by_type = _BY_TOP_TYPE.get(content_type.split("/", 1)[0].strip().lower())
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return by_type or _BY_EXTENSION.get(extension, DOCUMENT)


def label(kind: str, name: str = "") -> str:
    """How the employees see a medium in a queue or a preview: "[image] photo.png"."""
    return f"[{kind}] {name}".rstrip()


@dataclass(frozen=True)
class OutgoingMedia:
    """A medium kept in the media store, fitted to WeChat's limits, waiting to go (or going) to a guest."""

    kind: str  # IMAGE | VOICE | VIDEO | DOCUMENT
    key: str  # its SHA-256 in the media store
    content_type: str
    name: str = ""  # as the employee's file was called ("" a pasted picture)
    size: int = 0  # bytes
    thumbnail_key: str = ""  # VIDEO: the JPEG WeChat shows before it plays

    def label(self) -> str:
        return label(self.kind, self.name)

    def to_body(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "content_type": self.content_type, "name": self.name,
                "size": self.size, "thumbnail_key": self.thumbnail_key}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "OutgoingMedia":
        return cls(body["kind"], body["key"], body["content_type"], body.get("name", ""), body.get("size", 0),
                   body.get("thumbnail_key", ""))
