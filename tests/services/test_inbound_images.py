"""A guest's image on the fakes (tests/fakes.py): kept in the media store as soon as it arrives, shown
inline in Teams through a signed link; one that cannot be kept is said so, never dropped. Over HTTP:
tests/e2e/test_images.py."""
from __future__ import annotations

import hashlib

from adapters.wechat.errors import SystemBusy
from core.media_links import LinkExpired
from core.teams_chats import InlineImage
from services.guest_media import IMAGE_MAX_BYTES, LINK_TTL_SECONDS, TRANSIENT_ATTEMPTS
from services.jobs import DONE, PENDING
from core.threads import Target
from tests.fakes import ALICE, MEDIA_BASE_URL, Bridge
from tests.images import photo

GUEST = "oGuestImage00000000000001"
PHOTO = photo()  # within Teams' limits: shown as it came
KEY = hashlib.sha256(PHOTO).hexdigest()
WHO = "**WeChat user …000001**"


async def _bridge() -> Bridge:
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    bridge.wechat.guest_media["m-photo"] = (PHOTO, "image/jpeg")
    return bridge


def _guests_posts(bridge: Bridge):
    return [c.post for c in bridge.teams.posts() if c.mark.get("origin") == "wechat"]


async def test_an_image_is_kept_and_shown_inline_through_a_link_valid_a_month():
    bridge = await _bridge()
    await bridge.guest(GUEST, image="m-photo")

    [post] = _guests_posts(bridge)
    assert post.text == f"{WHO} sent an image:"
    [image] = post.images
    assert image.content_type == "image/jpeg" and image.url.startswith(f"{MEDIA_BASE_URL}/media/")
    token = image.url.rsplit("/", 1)[1]
    assert bridge.media.media[KEY] == (PHOTO, "image/jpeg")
    bridge.clock.advance(LINK_TTL_SECONDS - 1)
    assert bridge.media_links.key(token) == KEY
    bridge.clock.advance(1)
    try:
        bridge.media_links.key(token)
        raise AssertionError("the link outlived its month")
    except LinkExpired:
        pass
    [decided, *_] = await bridge.record(GUEST)
    assert decided["media"] == [{"field": "MediaId", "key": KEY, "size": len(PHOTO), "content_type": "image/jpeg",
                                 "type": "image", "role": "original"}]  # the chain anchors the bytes
    assert decided["push"]["fields"]["MediaId"] == "m-photo"


async def test_a_job_run_again_downloads_only_what_it_has_not_kept_yet_and_posts_once():
    bridge = await _bridge()
    bridge.wechat.refuse_next("media", SystemBusy(-1))  # WeChat busy: the job runs again later
    await bridge.guest(GUEST, image="m-photo")
    [job] = await bridge.jobs("wechat_inbound")
    assert job["status"] == PENDING and _guests_posts(bridge) == []
    bridge.clock.advance(3600)
    await bridge.run_due()
    bridge.teams.refuse_next("post", SystemBusy(-1))  # a second image; its post fails once
    await bridge.guest(GUEST, image="m-photo")
    bridge.clock.advance(3600)
    await bridge.run_due()

    # The refused call is not counted; the second job's second run finds the image kept by its first.
    assert bridge.wechat.downloads == ["m-photo"] * 2
    assert list(bridge.media.media) == [KEY] and bridge.media.puts == 2
    assert [p.images[0].content_type for p in _guests_posts(bridge)] == ["image/jpeg", "image/jpeg"]
    assert {j["status"] for j in await bridge.jobs("wechat_inbound")} == {DONE}


async def test_an_image_wechat_no_longer_has_or_too_large_is_said_so_never_dropped():
    bridge = await _bridge()
    bridge.wechat.guest_media["m-huge"] = (b"x" * (IMAGE_MAX_BYTES + 1), "image/png")
    await bridge.guest(GUEST, image="m-expired")  # 40007
    await bridge.guest(GUEST, image="m-huge")

    not_kept = f"{WHO} sent an image, but it could not be kept (WeChat no longer has it, or it is too large)."
    assert [(p.text, p.images) for p in _guests_posts(bridge)] == [(not_kept, ()), (not_kept, ())]
    assert bridge.media.media == {}
    assert {j["status"] for j in await bridge.jobs("wechat_inbound")} == {DONE}
    assert not any("media" in entry or "media_key" in entry for entry in await bridge.record(GUEST))


async def test_wechat_busy_run_after_run_posts_the_line_without_the_image():
    bridge = await _bridge()
    bridge.wechat.refuse_next("media", *[SystemBusy(-1)] * (TRANSIENT_ATTEMPTS + 1))
    await bridge.guest(GUEST, image="m-photo")
    for _ in range(TRANSIENT_ATTEMPTS):
        bridge.clock.advance(3600)
        await bridge.run_due()

    [post] = _guests_posts(bridge)
    assert post.images == () and "could not be kept" in post.text
    assert bridge.wechat.downloads == []  # every call refused: the first run and TRANSIENT_ATTEMPTS more


def test_an_inline_image_becomes_a_bot_framework_attachment_with_its_url():
    from adapters.teams.chats import activity_of
    from core.teams_chats import TeamsPost

    activity = activity_of(TeamsPost(text="a line", images=(InlineImage("image/png", "https://x/media/t"),)))
    [attachment] = activity.attachments
    assert (attachment.content_type, attachment.content_url) == ("image/png", "https://x/media/t")
    assert activity_of(TeamsPost(text="a line")).attachments is None


async def test_without_a_public_address_an_image_is_kept_and_recorded_and_the_line_says_why_it_is_not_shown():
    bridge = Bridge.build(public_address=False)
    await bridge.install(Target("employee", ALICE))
    bridge.wechat.guest_media["m-photo"] = (PHOTO, "image/jpeg")
    await bridge.guest(GUEST, image="m-photo")

    [post] = _guests_posts(bridge)
    assert post.images == () and "kept with the record" in post.text and "PUBLIC_BASE_URL" in post.text
    assert KEY in bridge.media.media
    [decided, *_] = await bridge.record(GUEST)
    assert [m["key"] for m in decided["media"]] == [KEY]
