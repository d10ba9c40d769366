"""A guest's video over HTTP: WeChat's simulator holds it and its thumbnail (/sim/media; media/get answers
the video with a `video_url`), the push names both; the app keeps them and posts the thumbnail inline
under a line whose link plays the video: served as video/mp4, in the ranges a browser asks to seek."""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL
from tests.images import photo

VIDEO = b"\0\0\0\x18ftypmp42" + os.urandom(2_000_000)
THUMBNAIL = photo(320, 180)


async def _held_by_wechat(stack, kind: str, content: bytes, content_type: str) -> str:
    async with stack.session.post(f"{stack.wechat.api_url}/sim/media", params={"kind": kind}, data=content,
                                  headers={"Content-Type": content_type}) as sent:
        return (await sent.json())["media_id"]


async def _fetched(stack, url: str, **headers: str):
    assert url.startswith(f"{PUBLIC_BASE_URL}/media/")  # Teams' client fetches it there; here, from the app
    async with stack.session.get(stack.app_server.make_url(urlsplit(url).path), headers=headers) as r:
        return r.status, r.headers, await r.read()


@pytest.mark.parametrize("kind", ["video", "shortvideo"])
async def test_a_guests_video_is_shown_by_its_thumbnail_and_a_link_that_plays_and_seeks(stack, kind):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestVideo00000000000001", nickname="Li Lei")
    video_id = await _held_by_wechat(stack, "video", VIDEO, "video/mp4")
    thumb_id = await _held_by_wechat(stack, "thumb", THUMBNAIL, "image/jpeg")
    r = await guest.send(kind, MediaId=video_id, ThumbMediaId=thumb_id)
    assert (r.status, r.text) == (200, "success")
    await stack.settle()

    [activity] = [a["activity"] for a in stack.teams_messages(ALICE)
                  if any(x["contentType"].startswith("image/") for x in a["activity"].get("attachments") or [])]
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "image/jpeg"
    assert (await _fetched(stack, attachment["contentUrl"]))[2] == THUMBNAIL
    [link] = re.fullmatch(r"\*\*Li Lei\*\* sent a (?:short )?video: \[play it\]\((.+)\)", activity["text"]).groups()
    status, headers, body = await _fetched(stack, link)
    assert (status, headers["Content-Type"], headers["Accept-Ranges"], body) == (200, "video/mp4", "bytes", VIDEO)
    status, headers, body = await _fetched(stack, link, Range="bytes=1000000-")
    assert (status, headers["Content-Range"], body) == (206, f"bytes 1000000-{len(VIDEO) - 1}/{len(VIDEO)}",
                                                        VIDEO[1_000_000:])
