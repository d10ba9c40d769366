"""An employee's medium, sent to the guest when the policy lets it go (services/conversation_runner.py
`send`): a picture, voice note or video uploaded to WeChat then sent with the customer-service API; a
document (Official Accounts cannot send files) as a text with its name and a signed, expiring link.

Two effects (services/jobs.py `effect`), each written the moment it returns: the upload (repeatable:
a run after a crash finds its media_id; WeChat keeps one 3 days, so it is made when the message goes,
not when it is queued), then the send, never repeated on an unknown outcome (services/wechat_sends.py).
"""
from __future__ import annotations

import contextlib
from typing import Any, Mapping

from adapters.wechat.errors import WeChatApiError, WeChatOutcomeUnknown
from core.conversation_policy import Blocked
from core.dlp import OUTBOUND
from core.media_links import MediaLinks
from core.media_store import MediaStore
from core.official_account import OfficialAccount
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.outgoing_media import DOCUMENT, VIDEO, OutgoingMedia
from services.employee_media import MediaRefusal
from services.jobs import RetryLater, effect
from services.threads import ThreadStore
from services.wechat_sends import kind_of, send_once

DAY = 24 * 3600
# The file name WeChat's upload is given: it reads the type from the extension too.
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "audio/mpeg": "mp3", "audio/mp3": "mp3",
               "audio/amr": "amr", "video/mp4": "mp4"}

# What a media send came to: WeChat's answer to the send (send_once's), or refused before WeChat sent
# anything (the policy gives the slot back), with what the record keeps of DLP.
Sent = tuple[Mapping[str, Any] | Blocked, Mapping[str, Any] | None]


class MediaSends:
    def __init__(self, *, store: MediaStore, links: MediaLinks | None, wechat: Mapping[str, OfficialAccount],
                 directory: Directory, threads: ThreadStore, link_seconds: int = 7 * DAY) -> None:
        self.store = store
        self.links = links  # None: no public address, documents cannot go
        self.wechat = wechat
        self.directory = directory
        self.threads = threads
        self.link_seconds = link_seconds

    async def send(self, p: Mapping[str, Any]) -> Sent:
        """`p`: a policy_send job's payload whose `media` is set."""
        media = OutgoingMedia.from_body(p["media"])
        if media.kind == DOCUMENT:
            return await self._document(p, media)
        client = self.wechat[p.get("account", DEFAULT_ACCOUNT)]
        media_id = await self._upload(client, media.kind, media.key, media, "wechat_upload")
        thumb_id = await self._upload(client, "thumb", media.thumbnail_key, media, "wechat_upload_thumb") \
            if media.kind == VIDEO else ""
        for refused in (media_id, thumb_id):
            if isinstance(refused, MediaRefusal):
                return self._blocked(p, refused), None
        assert isinstance(media_id, str) and isinstance(thumb_id, str)
        # No title or description: a file's name is not what the employee wrote to the guest, and DLP reads neither.
        answer = await send_once(lambda: client.send_media(p["openid"], media.kind, media_id, thumb_media_id=thumb_id),
                                   kind_of(p))
        return answer, None

    async def _upload(self, client: OfficialAccount, kind: str, key: str, media: OutgoingMedia,
                      effect_name: str) -> str | MediaRefusal:
        async def attempt() -> dict[str, Any]:
            stored = await self.store.get(key)
            if stored is None:  # removed since it was queued (retention)
                return {"gone": True}
            filename = f"{media.kind}.{_EXTENSIONS.get(stored.info.content_type, 'bin')}"
            try:
                async with contextlib.aclosing(stored.chunks) as chunks:
                    return {"media_id": await client.upload_media(
                        kind, chunks, filename=filename, content_type=stored.info.content_type, size=stored.info.size)}
            except WeChatOutcomeUnknown as exc:  # an upload may be made again: nothing reached the guest
                raise RetryLater(f"WeChat's answer to an upload was lost: {exc}") from exc
            except WeChatApiError as exc:
                if exc.transient:
                    raise
                return {"errcode": exc.errcode or -1}

        outcome = await effect(effect_name, attempt)
        if outcome.get("gone"):
            return MediaRefusal("media_gone", {"kind": media.kind})
        if "errcode" in outcome:
            return MediaRefusal("media_wechat_refused", {"kind": media.kind, "errcode": outcome["errcode"]})
        return str(outcome["media_id"])

    async def _document(self, p: Mapping[str, Any], media: OutgoingMedia) -> Sent:
        """The document's name and link, in the guest's language, under who sent it; DLP checks the text."""
        if self.links is None:
            return self._blocked(p, MediaRefusal("media_not_allowed", {"kind": DOCUMENT})), None
        sub = self.directory.get(p.get("sub_org", ""))
        found = await self.threads.get(p["openid"])
        language = (found[0].policy.guest_language if found else None) or sub.conversation.guest_language
        url = self.links.url(media.key, self.link_seconds, filename=media.name or "document")
        text = sub.attribute(p.get("author", ""), sub.notices.render(
            "media_document_guest", language, name=media.name or "document", url=url, days=self.link_seconds // DAY))
        verdict = sub.dlp.evaluate(text, OUTBOUND)
        record = {"dlp": verdict.to_record()} if verdict.rules else None
        if verdict.blocked:
            return Blocked(p["message_id"], verdict.reasons), record
        delivered = verdict.delivered or text
        client = self.wechat[p.get("account", DEFAULT_ACCOUNT)]
        return await send_once(lambda: client.send_text(p["openid"], delivered), kind_of(p)), record

    def _blocked(self, p: Mapping[str, Any], refusal: MediaRefusal) -> Blocked:
        return Blocked(p["message_id"], refusal.reasons(self.directory.get(p.get("sub_org", "")).notices),
                       cause="media")
