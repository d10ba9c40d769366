"""A guest's photo in the compliance archive, over HTTP and a real SMTP server: its record entry names
the photo's SHA-256, and its journal message carries the photo as an attachment with those very bytes."""
from __future__ import annotations

import hashlib

import pytest

from services.record import Recorder
from tests.compliance.smtp_server import SmtpServer
from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL, _close, _stack
from tests.e2e.test_images import PHOTO, _guest_sends_a_photo


@pytest.fixture
async def archived(tmp_path):
    async with SmtpServer() as smtp:
        stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                             PUBLIC_BASE_URL=PUBLIC_BASE_URL, ARCHIVE_SMTP_HOST="127.0.0.1",
                             ARCHIVE_SMTP_PORT=str(smtp.port), ARCHIVE_SMTP_TLS="none",
                             ARCHIVE_JOURNAL_TO="journal@archive.test", ARCHIVE_SENDER_DOMAIN="bank.example")
        try:
            yield stack, smtp
        finally:
            await _close(stack)


async def test_a_guests_photo_reaches_the_archive_attached_its_sha256_the_records(archived):
    stack, smtp = archived
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestArchiveMedia00000001", nickname="Li Lei")
    await _guest_sends_a_photo(stack, guest)

    [entry] = [e for e in await Recorder(stack.components.storage, stack.clock).entries(guest.openid) if e.get("media")]
    [medium] = entry["media"]
    assert (medium["key"], medium["size"], medium["type"]) == (hashlib.sha256(PHOTO).hexdigest(), len(PHOTO), "image")
    [message] = [r.message() for r in smtp.received if r.message()["X-WeChat-Record-Hash"] == entry["hash"]
                 and r.message()["X-WeChat-Communication"] == "guest message"]  # the employees told: no photo
    assert not message.defects
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "image/jpeg"]
    assert part.get_filename() == f"image-{medium['key'][:12]}.jpg"
    assert hashlib.sha256(part.get_content()).hexdigest() == part["X-WeChat-Media-SHA256"] == medium["key"]
