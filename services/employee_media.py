"""An employee's attachments, made ready for WeChat in the employee-message job (not in the bot's turn:
Teams wants its answer fast): each downloaded from Teams into the media store (streamed, capped by the
sub-organization's media rules) and fitted to WeChat's limits. A kind the rules do not allow is refused
in the turn, before anything is downloaded or queued. Repeatable: the store is content-addressed, so a
job run again stores nothing twice."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from adapters.teams.errors import TeamsError
from core.media_fit import Fitted, MediaFit, megabytes
from core.media_record import FOR_WECHAT, media_item
from core.media_rules import MediaRules
from core.media_store import MediaStore, TooLarge
from core.notices import LANGUAGES, Notices
from core.outgoing_media import DOCUMENT, OutgoingMedia, kind_of
from core.teams_chats import TeamsAttachment, TeamsChats

FETCH_ATTEMPTS = 5  # Teams failing this many runs of the job: the employee is told, never left waiting


@dataclass(frozen=True)
class MediaRefusal:
    """Why a medium does not go: a `media_*` notice key and its values (`kind`: the medium's kind)."""

    reason: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def said(self, notices: Notices, language: str) -> str:
        params = dict(self.params)
        if "kind" in params:
            params["kind"] = notices.render(f"media_kind_{params['kind']}", language)
        return notices.render(self.reason, language, **params)

    def reasons(self, notices: Notices) -> dict[str, str]:
        """In every language (the policy's Blocked event chooses the employees')."""
        return {language: self.said(notices, language) for language in LANGUAGES}


@dataclass(frozen=True)
class Taken:
    """The attachments ready to go, and what the record entry lists of them (core/media_record.py): each
    employee's file as the original, what was made of it for WeChat beside it."""

    media: tuple[OutgoingMedia, ...]
    recorded: tuple[dict[str, Any], ...]


def attachment_body(attachment: TeamsAttachment) -> dict[str, Any]:
    return {"url": attachment.url, "content_type": attachment.content_type, "name": attachment.name,
            "authenticated": attachment.authenticated, "service_url": attachment.service_url}


def attachment_of(body: Mapping[str, Any]) -> TeamsAttachment:
    return TeamsAttachment(body["url"], body["content_type"], body.get("name", ""), body.get("authenticated", True),
                           body.get("service_url", ""))


def refused_kind(attachments: Iterable[TeamsAttachment], rules: MediaRules) -> MediaRefusal | None:
    """The first attachment of a kind the rules keep in, if any."""
    for attachment in attachments:
        kind = kind_of(attachment.content_type, attachment.name)
        if not rules.allows(kind):
            return MediaRefusal("media_not_allowed", {"kind": kind})
    return None


def _content_type(served: str, attachment: TeamsAttachment) -> str:
    """What the file is: as Teams served it, else as the message said (never a pattern: `image/*`)."""
    said = attachment.content_type if "*" not in attachment.content_type else ""
    return served or said or "application/octet-stream"


class EmployeeMedia:
    def __init__(self, *, store: MediaStore, teams: TeamsChats, fit: MediaFit) -> None:
        self.store = store
        self.teams = teams
        self.fit = fit

    async def take(self, attachments: Iterable[TeamsAttachment], rules: MediaRules,
                   attempts: int) -> Taken | MediaRefusal:
        """Every attachment kept and fitted, in order; the first refusal stops them all (the message
        goes whole or not at all: the employee sends it again without what was refused)."""
        media: list[OutgoingMedia] = []
        recorded: list[dict[str, Any]] = []
        for attachment in attachments:
            one = await self._take(attachment, rules, attempts)
            if isinstance(one, MediaRefusal):
                return one
            media.append(one[0])
            recorded += one[1]
        return Taken(tuple(media), tuple(recorded))

    async def _take(self, attachment: TeamsAttachment, rules: MediaRules,
                    attempts: int) -> tuple[OutgoingMedia, list[dict[str, Any]]] | MediaRefusal:
        kind = kind_of(attachment.content_type, attachment.name)
        refusal = refused_kind((attachment,), rules)
        if refusal is not None:  # the rules changed since the turn
            return refusal
        limit = rules.limit(kind)
        try:
            async with self.teams.download(attachment, max_bytes=limit) as download:
                stored = await self.store.put(download.chunks, max_bytes=limit,
                                              content_type=_content_type(download.content_type, attachment))
        except TooLarge:
            return MediaRefusal("media_too_large", {"kind": kind, "max_mb": megabytes(limit)})
        except TeamsError as exc:
            if exc.transient and attempts < FETCH_ATTEMPTS:
                raise  # the job runs again later
            return MediaRefusal("media_not_fetched", {"kind": kind})
        original = [media_item(stored, field="attachment", type=kind)]
        if kind == DOCUMENT:  # goes as a link: as it is
            return OutgoingMedia(kind, stored.key, stored.content_type, attachment.name, stored.size), original
        fitted = await self.fit.for_wechat(kind, stored)
        if not isinstance(fitted, Fitted):
            return MediaRefusal(fitted.reason, {"kind": kind, **fitted.params})
        made = [media_item(fitted.media, field="attachment", type=kind, role=FOR_WECHAT)] \
            if fitted.media.key != stored.key else []
        if fitted.thumbnail:
            made.append(media_item(fitted.thumbnail, field="thumbnail", type="thumb", role=FOR_WECHAT))
        return OutgoingMedia(kind, fitted.media.key, fitted.media.content_type, attachment.name, fitted.media.size,
                             fitted.thumbnail.key if fitted.thumbnail else ""), original + made
