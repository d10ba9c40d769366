"""A media entry's journal message (services/journal_media.py, the archive's outlet): its originals
attached as they are in the store (SHA-256 checked), a voice note's transcript in the body; the store
down or a medium not there yet is waited for, a medium gone is said so, one over the size cap goes as a
link. Through a real SMTP server: tests/e2e/test_archive.py."""
from __future__ import annotations

import email
import email.policy
import hashlib
from typing import Any

import pytest

from core.journal import JournalSettings
from core.journal.media import ATTACHED, GONE, LINKED
from core.media_links import MediaLinks
from core.media_store import Media, StoredMedia
from core.record import GENESIS, chained
from core.threads import Target
from services.jobs import DONE, FAILED, PENDING, RetryLater
from services.journal_media import MEDIA_WAIT_SECONDS, JournalMedia
from services.media_check import MediaAltered, MediaUnavailable
from tests.fakes import ALICE, MEDIA_BASE_URL, Bridge, FakeClock, MemoryMediaStore

GUEST = "oGuestArchiveMedia0000001"
JOURNAL = JournalSettings(sender_domain="bank.example", journal_to="journal@archive.example")
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 300  # not a multiple of 57: the last line is short
KEY = hashlib.sha256(PHOTO).hexdigest()
AMR = b"#!AMR\n" + b"\x3c" * 1000


def attachments(message) -> dict[str, tuple[str, str, bytes]]:
    """The message's media parts by file name: content type, the SHA-256 header, the bytes."""
    return {part.get_filename(): (part.get_content_type(), part["X-WeChat-Media-SHA256"], part.get_content())
            for part in message.iter_attachments() if part["X-WeChat-Media-SHA256"]}


def body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def delivery(message) -> str:
    """The part saying what became of a communication's media (its body is the message alone)."""
    return next(p for p in message.iter_attachments() if p["Content-Description"] == "Delivery").get_content()


async def archived() -> Bridge:
    bridge = Bridge.build(archive=JOURNAL)
    await bridge.install(Target("employee", ALICE))
    bridge.wechat.guest_media["m-photo"] = (PHOTO, "image/jpeg")
    return bridge


def store_down(store: MemoryMediaStore) -> None:
    async def down(key: str) -> Any:
        raise ConnectionRefusedError("the media store is down")
    store.get = down  # type: ignore[method-assign]


def store_up(store: MemoryMediaStore) -> None:
    del store.get


async def test_an_image_goes_to_the_archive_attached_with_its_sha256_and_content_type():
    bridge = await archived()
    await bridge.guest(GUEST, image="m-photo")

    [message] = [m for m, _ in bridge.smtp.journaled if m["X-WeChat-Msg-Type"] == "image"]
    assert not message.defects
    assert attachments(message) == {f"image-{KEY[:12]}.jpg": ("image/jpeg", KEY, PHOTO)}
    assert hashlib.sha256(attachments(message)[f"image-{KEY[:12]}.jpg"][2]).hexdigest() == KEY
    assert f"SHA-256 {KEY}" in delivery(message)
    assert f"attached to this message as image-{KEY[:12]}.jpg" in delivery(message)
    [job] = [j for j in await bridge.jobs("archive") if (j.get("result") or {}).get("media")]
    assert job["result"]["media"] == {KEY: ATTACHED} and job["payload"]["entry"].get("media")


async def test_while_the_media_store_is_down_the_entry_waits_and_goes_with_its_media_after():
    bridge = await archived()
    store_down(bridge.media)
    bridge.media.media[KEY] = (PHOTO, "image/jpeg")  # kept before the store went down
    bridge.wechat.guest_media.clear()
    entry = await bridge.recorder.append(GUEST, {"kind": "decision", "what": {"type": "guest_message"}, "media": [
        {"field": "MediaId", "key": KEY, "size": len(PHOTO), "content_type": "image/jpeg", "type": "image",
         "role": "original"}]})
    await bridge.settle()
    [job] = await bridge.jobs("archive")
    assert (job["status"], job["waiting_for"]) == (PENDING, "archive") and bridge.smtp.journaled == []

    store_up(bridge.media)
    bridge.clock.advance(10)  # past the pause the outage started
    await bridge.run_due()
    [job] = await bridge.jobs("archive")
    [(message, _)] = bridge.smtp.journaled
    assert job["status"] == DONE and message["X-WeChat-Record-Hash"] == entry["hash"]
    assert attachments(message)[f"image-{KEY[:12]}.jpg"][2] == PHOTO


async def test_bytes_in_the_store_that_are_not_the_recorded_ones_fail_the_delivery_with_the_reason():
    bridge = await archived()
    bridge.media.media[KEY] = (b"something else", "image/jpeg")
    await bridge.recorder.append(GUEST, {"kind": "decision", "what": {"type": "guest_message"},
                                         "media_key": KEY})  # as entries were before the list
    await bridge.settle()
    [job] = await bridge.jobs("archive")
    assert job["status"] == FAILED and KEY in job["last_error"] and bridge.smtp.journaled == []


def entry(**fields: Any) -> dict[str, Any]:
    return chained({"at": 1_750_000_000, "kind": "decision", "what": {"type": "guest_message", "text": ""},
                    **fields}, thread=GUEST, seq=1, prev=GENESIS)


def item(stored: StoredMedia, type: str, role: str = "original") -> dict[str, Any]:
    return {"field": "MediaId", "key": stored.key, "size": stored.size, "content_type": stored.content_type,
            "type": type, "role": role}


async def _put(store: MemoryMediaStore, content: bytes, content_type: str) -> StoredMedia:
    async def once():
        yield content
    return await store.put(once(), content_type=content_type, max_bytes=len(content))


async def test_a_voice_note_goes_as_its_original_with_its_transcript_and_not_the_copy_made_for_teams():
    store, clock = MemoryMediaStore(), FakeClock(1_750_000_000)
    amr, mp3 = await _put(store, AMR, "audio/amr"), await _put(store, b"ID3 mp3", "audio/mpeg")
    voice = entry(media=[item(amr, "voice"), item(mp3, "voice", "for_teams")], transcript="请卖出一百股",
                  transcript_source="wechat")
    journaled = await JournalMedia(store, None, clock).journaled(voice, JOURNAL, {})
    message = email.message_from_bytes(journaled.data, policy=email.policy.default)
    assert attachments(message) == {f"voice-{amr.key[:12]}.amr": ("audio/amr", amr.key, AMR)}
    assert "Transcript of the voice note (wechat):\n    请卖出一百股" in body(message)
    assert f"voice (for_teams), audio/mpeg, 7 bytes\n    SHA-256 {mp3.key}" in body(message)
    again = await JournalMedia(store, None, clock).journaled(voice, JOURNAL, {})
    assert again.data == journaled.data  # the same entry, the same bytes: the archive sees a resend as one


async def test_a_medium_over_the_size_cap_goes_as_a_signed_link_said_so():
    store, clock = MemoryMediaStore(), FakeClock(1_750_000_000)
    photo = await _put(store, PHOTO, "image/jpeg")
    links = MediaLinks(b"k" * 32, MEDIA_BASE_URL, clock)
    journaled = await JournalMedia(store, links, clock, max_message_bytes=len(PHOTO)).journaled(
        entry(media=[item(photo, "image")]), JOURNAL, {})
    message = email.message_from_bytes(journaled.data, policy=email.policy.default)
    assert journaled.media == {KEY: LINKED} and attachments(message) == {}
    [url] = [word for word in body(message).split() if word.startswith(f"{MEDIA_BASE_URL}/media/")]
    assert links.key(url.rsplit("/", 1)[1]) == KEY and "larger than this message may be" in body(message)
    clock.advance(3600)  # a resend later: the same bytes (the link's expiry is the entry's, not the send's)
    again = await JournalMedia(store, links, clock, max_message_bytes=len(PHOTO)).journaled(
        entry(media=[item(photo, "image")]), JOURNAL, {})
    assert again.data == journaled.data


async def test_a_medium_not_in_the_store_is_waited_for_then_said_to_be_gone():
    store, clock = MemoryMediaStore(), FakeClock(1_750_000_000)
    missing = entry(media=[{"key": KEY, "type": "image", "role": "original"}])
    with pytest.raises(RetryLater):
        await JournalMedia(store, None, clock).journaled(missing, JOURNAL, {})
    clock.advance(MEDIA_WAIT_SECONDS)
    journaled = await JournalMedia(store, None, clock).journaled(missing, JOURNAL, {})
    message = email.message_from_bytes(journaled.data, policy=email.policy.default)
    assert journaled.media == {KEY: GONE} and "the media store no longer has it" in body(message)


async def test_a_store_that_fails_halfway_is_unavailable_and_altered_bytes_are_refused():
    store, clock = MemoryMediaStore(), FakeClock(1_750_000_000)
    photo = entry(media=[item(await _put(store, PHOTO, "image/jpeg"), "image")])
    stored = await store.get(KEY)
    assert stored is not None

    async def broken():
        yield PHOTO[:100]
        raise OSError("connection reset")

    async def halfway(key: str) -> Media:
        return Media(stored.info, broken())
    store.get = halfway  # type: ignore[method-assign]
    with pytest.raises(MediaUnavailable):
        await JournalMedia(store, None, clock).journaled(photo, JOURNAL, {})

    del store.get
    store.media[KEY] = (PHOTO[::-1], "image/jpeg")
    with pytest.raises(MediaAltered):
        await JournalMedia(store, None, clock).journaled(photo, JOURNAL, {})
