"""The files and pictures of an employee's message, as Teams attaches them: a pasted or inline picture
(`image/*`, fetched with the bot's token) and, in a personal chat, a file (`file.download.info`, a
pre-authenticated download URL). The `text/html` rendering Teams adds to every message and Adaptive
Cards are not the employee's files: left out."""
from __future__ import annotations

from typing import Any, Iterator

from botbuilder.schema import Activity

from core.teams_chats import TeamsAttachment

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
OCTET_STREAM = "application/octet-stream"
# file.download.info gives the file's extension (`fileType`), not its type.
_FILE_TYPES = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
    "webp": "image/webp", "heic": "image/heic", "mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac",
    "amr": "audio/amr", "wav": "audio/wav", "ogg": "audio/ogg", "mp4": "video/mp4", "mov": "video/quicktime",
    "pdf": "application/pdf", "txt": "text/plain", "csv": "text/csv",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def attachments_of(activity: Activity) -> tuple[TeamsAttachment, ...]:
    return tuple(_attachments(activity))


def _attachments(activity: Activity) -> Iterator[TeamsAttachment]:
    service_url = activity.service_url or ""  # the bot's token goes to that host only (adapters/teams/attachments.py)
    for attachment in activity.attachments or ():
        content_type = (attachment.content_type or "").lower()
        if content_type == FILE_DOWNLOAD_INFO:
            content: dict[str, Any] = attachment.content if isinstance(attachment.content, dict) else {}
            name = attachment.name or ""
            file_type = str(content.get("fileType") or name.rsplit(".", 1)[-1]).lower()
            if content.get("downloadUrl"):
                yield TeamsAttachment(content["downloadUrl"], _FILE_TYPES.get(file_type, OCTET_STREAM), name,
                                      authenticated=False, service_url=service_url)
        elif content_type.startswith("image/") and attachment.content_url:
            yield TeamsAttachment(attachment.content_url, content_type, attachment.name or "", service_url=service_url)
