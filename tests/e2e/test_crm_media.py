"""A guest's photo in the CRM, over HTTP: the webhook's event for its entry carries a reference (type, size,
SHA-256, a signed link at the public address that gives the bytes), and no delivery carries the bytes."""
from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestServer

from core.clock import FakeClock
from services.record import Recorder
from simulators.crm import WEBHOOK_STATE, create_webhook_receiver
from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL, _close, _stack
from tests.e2e.test_images import PHOTO, _guest_sends_a_photo

SECRET = "whsec-test-media"
KEY = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
async def crm(tmp_path):
    clock = FakeClock(start=time.time())
    receiver = TestServer(create_webhook_receiver(SECRET, clock=clock), host="127.0.0.1")
    await receiver.start_server()
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         PUBLIC_BASE_URL=PUBLIC_BASE_URL, CRM_WEBHOOK_URL=str(receiver.make_url("/wechat-events")),
                         CRM_WEBHOOK_SECRET=SECRET)
    try:
        await stack.install(ALICE)
        yield stack, receiver.app[WEBHOOK_STATE]
    finally:
        await _close(stack)
        await receiver.close()


async def test_the_crm_gets_a_reference_to_the_photo_never_its_bytes(crm):
    stack, webhook = crm
    guest = stack.wechat.guest("oGuestCrmMedia00000000001", nickname="Li Lei")
    await _guest_sends_a_photo(stack, guest)

    [entry] = [e for e in await Recorder(stack.components.storage, stack.clock).entries(guest.openid) if e.get("media")]
    [reference] = webhook.events[f"{guest.openid}:{entry['seq']}"]["media"]
    url = reference.pop("url")
    assert reference == {"type": "image", "role": "original", "size": len(PHOTO), "content_type": "image/jpeg",
                         "sha256": KEY, "file_name": f"image-{KEY[:12]}.jpg"}
    assert url.startswith(f"{PUBLIC_BASE_URL}/media/")
    async with stack.session.get(stack.app_server.make_url(urlsplit(url).path)) as r:
        assert (r.status, await r.read()) == (200, PHOTO)
    assert all(len(d.body) < 20_000 and base64.b64encode(PHOTO[:300]) not in d.body and PHOTO[:300] not in d.body
               for d in webhook.deliveries)
