"""A guest's media on the fakes (tests/fakes.py), kept as soon as the push is handled whatever stage takes
it: images fitted to Teams' inline limits (the original kept), videos and short videos shown by their
thumbnail and a link that plays them, voice kept as it came, and media sent during the phone validation
or to the routing assistant kept and named by the record. Over HTTP: tests/e2e/test_images.py."""
from __future__ import annotations

import hashlib

import pytest

from core.threads import Target
from services.guest_media import VIDEO_MAX_BYTES
from tests.fakes import ALICE, MEDIA_BASE_URL, Bridge
from tests.images import animated_gif, opened, photo
from tests.services import test_routing_unit as routing
from tests.services import test_validation_service as validation

GUEST = "oGuestMedia000000000000001"
WHO = "**WeChat user …000001**"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def _bridge(**media: tuple[bytes, str]) -> Bridge:
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    bridge.wechat.guest_media.update(media)
    return bridge


def _guests_posts(bridge: Bridge):
    return [c.post for c in bridge.teams.posts() if c.mark.get("origin") == "wechat"]


def _shown(bridge: Bridge, url: str) -> tuple[bytes, str]:
    """What a Teams client fetching `url` gets (the link's key, from the store)."""
    assert url.startswith(f"{MEDIA_BASE_URL}/media/")
    return bridge.media.media[bridge.media_links.key(url.rsplit("/", 1)[1])]


async def test_a_large_photo_is_shown_fitted_to_teams_limits_and_kept_as_it_came():
    original = photo(3000, 2000)
    assert len(original) > 3_000_000
    bridge = await _bridge(**{"m-big": (original, "image/jpeg")})
    await bridge.guest(GUEST, image="m-big")

    [post] = _guests_posts(bridge)
    [image] = post.images
    fitted, content_type = _shown(bridge, image.url)
    assert (image.content_type, content_type) == ("image/jpeg", "image/jpeg")
    assert len(fitted) <= 1024 * 1024 and opened(fitted).size == (1024, 683)
    assert bridge.media.media[sha(original)] == (original, "image/jpeg")  # for the archive
    [decided, *_] = await bridge.record(GUEST)
    # Both named, so that retention removes the copy with the original.
    assert [(m["key"], m["size"], m["role"]) for m in decided["media"]] == [
        (sha(original), len(original), "original"), (sha(fitted), len(fitted), "for_teams")]


async def test_an_animated_gif_is_shown_as_its_first_frame_in_png():
    gif = animated_gif()
    bridge = await _bridge(**{"m-gif": (gif, "image/gif")})
    await bridge.guest(GUEST, image="m-gif")

    [image] = _guests_posts(bridge)[0].images
    shown, content_type = _shown(bridge, image.url)
    assert image.content_type == content_type == "image/png"
    assert opened(shown).size == (40, 30) and opened(shown).getpixel((0, 0))[:3] == (0, 0, 0)
    assert sha(gif) in bridge.media.media


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0 not really a photo", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
async def test_an_image_teams_cannot_be_given_is_kept_and_said_so(content):
    bridge = await _bridge(**{"m-odd": (content, "image/jpeg")})
    await bridge.guest(GUEST, image="m-odd")

    [post] = _guests_posts(bridge)
    assert (post.text, post.images) == (f"{WHO} sent an image that Teams cannot show (it is kept with the record).",
                                        ())
    [decided, *_] = await bridge.record(GUEST)
    assert decided["media"][0]["key"] == sha(content) and sha(content) in bridge.media.media


@pytest.mark.parametrize("kind, said", [("video", "a video"), ("shortvideo", "a short video")])
async def test_a_video_is_shown_by_its_thumbnail_and_a_link_that_plays_it(kind, said):
    video, thumbnail = b"\0\0\0\x18ftypmp42 a video" * 1000, photo(320, 180)
    bridge = await _bridge(**{"m-video": (video, "application/octet-stream"), "m-thumb": (thumbnail, "image/jpeg")})
    await bridge.guest(GUEST, media=(kind, {"MediaId": "m-video", "ThumbMediaId": "m-thumb"}))

    [post] = _guests_posts(bridge)
    [image] = post.images
    assert _shown(bridge, image.url) == (thumbnail, "image/jpeg")
    link = post.text.removeprefix(f"{WHO} sent {said}: [play it](").removesuffix(")")
    assert _shown(bridge, link) == (video, "video/mp4")  # served as what browsers play
    [decided, *_] = await bridge.record(GUEST)
    assert [(m["field"], m["key"], m["content_type"], m["type"]) for m in decided["media"]] == [
        ("MediaId", sha(video), "video/mp4", "video"), ("ThumbMediaId", sha(thumbnail), "image/jpeg", "thumb")]


@pytest.mark.parametrize("video", ["m-gone", "m-huge"])
async def test_a_video_wechat_no_longer_has_or_over_10_mb_is_said_so(video):
    bridge = await _bridge(**{"m-huge": (b"\0" * (VIDEO_MAX_BYTES + 1), "video/mp4")})
    await bridge.guest(GUEST, media=("video", {"MediaId": video, "ThumbMediaId": "m-gone-too"}))

    [post] = _guests_posts(bridge)
    assert (post.text, post.images) == (
        f"{WHO} sent a video, but it could not be kept (WeChat no longer has it, or it is over 10 MB).", ())


async def test_a_voice_message_is_kept_as_it_came():
    amr = b"#!AMR\n" + bytes(range(256)) * 20
    bridge = await _bridge(**{"m-voice": (amr, "audio/amr")})
    await bridge.guest(GUEST, media=("voice", {"MediaId": "m-voice", "Format": "amr"}))

    assert bridge.media.media == {sha(amr): (amr, "audio/amr")}
    [decided, *_] = await bridge.record(GUEST)
    assert decided["media"] == [{"field": "MediaId", "key": sha(amr), "size": len(amr), "content_type": "audio/amr",
                                 "type": "voice", "role": "original"}]


async def test_an_image_sent_during_the_phone_validation_is_kept_and_recorded():
    bridge = await validation.validating()
    picture = photo()
    bridge.wechat.guest_media["m-id-card"] = (picture, "image/jpeg")
    await bridge.guest(validation.GUEST, image="m-id-card")

    assert sha(picture) in bridge.media.media and _guests_posts(bridge) == []
    [entry] = [e for e in await bridge.record(validation.GUEST) if "media" in e]
    assert entry["kind"] == "inbound" and entry["media"][0]["key"] == sha(picture)


async def test_an_image_sent_to_the_routing_assistant_is_kept_and_recorded():
    bridge = await routing.assistant()
    picture = photo()
    bridge.wechat.guest_media["m-card"] = (picture, "image/jpeg")
    await bridge.guest(routing.GUEST, image="m-card")

    assert sha(picture) in bridge.media.media
    [entry] = [e for e in await bridge.record(routing.GUEST) if "media" in e]
    assert entry["kind"] == "inbound" and entry["media"][0]["key"] == sha(picture)
