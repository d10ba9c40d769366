"""A guest's photo over HTTP: WeChat's simulator holds it (/sim/media), the push names its MediaId, the
app keeps it and posts it inline; the Bot Connector gets an image attachment whose contentUrl, fetched
from the app, gives the same bytes; one larger than Teams shows is fitted (the original kept)."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL
from tests.images import opened, photo

PHOTO = photo(600, 400)  # within Teams' limits: shown as it came


async def _guest_sends_a_photo(stack, guest, content: bytes = PHOTO) -> None:
    async with stack.session.post(f"{stack.wechat.api_url}/sim/media", params={"kind": "image"}, data=content,
                                  headers={"Content-Type": "image/jpeg"}) as sent:
        media_id = (await sent.json())["media_id"]
    r = await guest.send("image", PicUrl="http://mmbiz.qpic.cn/x", MediaId=media_id)
    assert (r.status, r.text) == (200, "success")
    await stack.settle()


async def test_a_guests_photo_reaches_teams_inline_and_its_link_gives_the_same_bytes(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestPhoto00000000000001", nickname="Li Lei")
    await _guest_sends_a_photo(stack, guest)

    [activity] = [a["activity"] for a in stack.teams_messages(ALICE)
                  if any(x["contentType"].startswith("image/") for x in a["activity"].get("attachments") or [])]
    assert activity["text"] == "**Li Lei** sent an image:"
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "image/jpeg"
    assert attachment["contentUrl"].startswith(f"{PUBLIC_BASE_URL}/media/")
    path = urlsplit(attachment["contentUrl"]).path  # Teams fetches it at the public address; here, the app
    async with stack.session.get(stack.app_server.make_url(path)) as r:
        assert (r.status, r.headers["Content-Type"], await r.read()) == (200, "image/jpeg", PHOTO)


async def test_a_large_photo_reaches_teams_fitted_and_the_original_is_kept(stack):
    large = photo(3000, 2000)
    assert len(large) > 3_000_000
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestPhoto00000000000002", nickname="Han Mei")
    await _guest_sends_a_photo(stack, guest, large)

    [activity] = [a["activity"] for a in stack.teams_messages(ALICE)
                  if any(x["contentType"].startswith("image/") for x in a["activity"].get("attachments") or [])]
    [attachment] = activity["attachments"]
    async with stack.session.get(stack.app_server.make_url(urlsplit(attachment["contentUrl"]).path)) as r:
        shown = await r.read()
        assert (r.status, r.headers["Content-Type"], attachment["contentType"]) == (200, "image/jpeg", "image/jpeg")
    assert len(shown) <= 1024 * 1024 and max(opened(shown).size) == 1024
    original = await stack.components.media.get(hashlib.sha256(large).hexdigest())  # for the archive
    assert original is not None and original.info.size == len(large)
    await original.chunks.aclose()
