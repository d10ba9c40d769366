"""Media in the sandbox without a browser: the phone's sample photo and voice note (made at start), a
picture of the person's own, pictures the phone receives, and what the page's snapshot says of them."""
from __future__ import annotations

import base64
import io

import aiohttp
import pytest
from PIL import Image

from sandbox import samples
from sandbox.samples import Samples
from sandbox.server import running
from simulators.wechat_api import Delivered

AMR_HEADER = b"#!AMR\n"
AMR_122_FRAME = (0x3C, 32)  # mode 12.2 kbit/s: its frame header byte, and bytes per 20 ms frame


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


JPEG = jpeg()  # a real one: the bridge may read a picture's size


@pytest.fixture
async def box(tmp_path):
    async with running(0, tmp_path / "sandbox") as box, aiohttp.ClientSession() as session:
        box.session = session
        yield box


async def post(box, path: str, status: int = 200, **body) -> dict:
    async with box.session.post(box.url + path.lstrip("/"), json=body) as r:
        answer = await r.json()
        assert r.status == status, answer
        return answer


async def get(box, url: str) -> tuple[int, str, bytes]:
    async with box.session.get(url if url.startswith("http") else box.url + url.lstrip("/")) as r:
        return r.status, r.headers.get("Content-Type", ""), await r.read()


async def snapshot(box, guest: str = "", conversation: str = "") -> dict:
    async with box.session.get(box.url + "api/snapshot", params={"guest": guest, "conversation": conversation}) as r:
        return await r.json()


async def with_alice(box) -> str:
    """The first guest, connected to Alice through her QR code: their id."""
    guest = next(iter(box.world.guests))
    await box.world.guest_scans(guest, "alice")
    return guest


def bot_media(teams: dict) -> list[dict]:
    return [m for message in teams["messages"] for m in message["media"]]


def test_the_sample_photo_is_a_png_drawn_at_its_size():
    png = samples.photo_png(48, 32)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (48, 32)  # IHDR


async def test_the_sample_voice_note_is_amr_as_long_as_asked():
    voice, why = await samples.voice_amr(2)
    assert why == "" and voice is not None and voice.content_type == "audio/amr"
    assert voice.content.startswith(AMR_HEADER)
    frames = voice.content[len(AMR_HEADER):]
    header, size = AMR_122_FRAME
    assert frames[0] == header and len(frames) % size == 0
    assert abs(len(frames) / size * 0.02 - 2.0) <= 0.1  # 20 ms a frame


async def test_without_imageio_ffmpeg_there_is_no_voice_note_and_it_says_why(monkeypatch):
    monkeypatch.setattr(samples, "_ffmpeg", lambda: None)
    assert await samples.voice_amr(2) == (None, samples.NO_VOICE)


async def test_the_guests_photo_reaches_alice_inline_with_the_same_bytes_and_the_phone_shows_it(box):
    guest = await with_alice(box)
    await post(box, "/api/guest/photo", guest=guest)

    photo = box.world.samples.photo
    [shown] = [item for item in (await snapshot(box, guest))["phone"]["chat"] if item.get("image")]
    assert (shown["from"], shown["text"]) == ("guest", "Photo")
    assert await get(box, shown["image"]) == (200, "image/png", photo.content)
    [media_id] = box.world.wechat("default").media.media  # what WeChat's API keeps, PicUrl serving it
    assert await get(box, box.world.picture_url("default", media_id)) == (200, "image/png", photo.content)

    [image] = bot_media((await snapshot(box, conversation="chat:alice"))["teams"])
    assert image["type"] == "image/png" and image["url"].startswith(box.world.urls["bridge"] + "/media/")
    assert await get(box, image["url"]) == (200, "image/png", photo.content)  # the product's own link


async def test_the_guests_voice_note_is_an_amr_wechat_keeps_and_the_phone_shows_its_length(box):
    guest = await with_alice(box)
    before = len((await snapshot(box, conversation="chat:alice"))["teams"]["messages"])
    await post(box, "/api/guest/voice", guest=guest)

    [medium] = box.world.wechat("default").media.media.values()
    assert (medium.kind, medium.content) == ("voice", box.world.samples.voice.content)
    phone = (await snapshot(box, guest))["phone"]
    assert phone["voice"] is True and phone["noVoice"] == ""
    assert [(i["text"], i["seconds"]) for i in phone["chat"] if i["from"] == "guest"] == [("Voice note", 3.0)]
    assert len((await snapshot(box, conversation="chat:alice"))["teams"]["messages"]) > before  # the push reached Alice


async def test_without_a_voice_note_the_phone_says_why_and_sending_one_is_refused(box):
    world = box.world
    world.samples = Samples(world.samples.photo, None, samples.NO_VOICE)
    guest = await with_alice(box)
    phone = (await snapshot(box, guest))["phone"]
    assert (phone["voice"], phone["noVoice"]) == (False, samples.NO_VOICE)
    assert (await post(box, "/api/guest/voice", 400, guest=guest))["error"] == samples.NO_VOICE
    await post(box, "/api/guest/photo", guest=guest)  # the photo still goes


async def test_a_picture_of_the_persons_own_goes_as_its_type_and_anything_else_is_refused(box):
    guest = await with_alice(box)
    await post(box, "/api/guest/photo", guest=guest, data=base64.b64encode(JPEG).decode())
    [image] = bot_media((await snapshot(box, conversation="chat:alice"))["teams"])
    assert await get(box, image["url"]) == (200, "image/jpeg", JPEG)

    for data, error in (("not base64!", "data: expected the picture in base64"),
                        (base64.b64encode(b"%PDF-1.7 ...").decode(), "a picture in PNG, JPEG or GIF, please")):
        assert (await post(box, "/api/guest/photo", 400, guest=guest, data=data))["error"] == error
    stranger = box.world.new_guest("Lam Mei").id
    assert "follow" in (await post(box, "/api/guest/photo", 400, guest=stranger))["error"]


async def test_the_phone_shows_a_picture_it_receives_when_wechat_has_its_bytes_and_says_image_otherwise(box):
    guest = await with_alice(box)
    wechat = box.world.wechat("default")
    media_id = wechat.media.put(JPEG, "image/jpeg", "image")
    assert wechat.custom_send({"touser": guest, "msgtype": "image", "image": {"media_id": media_id}})["errcode"] == 0
    # One whose bytes the simulator cannot give (as before it kept uploads): still shown, as "[image]".
    wechat.delivered.append(Delivered(guest, "image", {"touser": guest, "msgtype": "image",
                                                       "image": {"media_id": "an-id-wechat-does-not-have"}},
                                      box.world.clock.now()))

    received = [i for i in (await snapshot(box, guest))["phone"]["chat"] if i["text"] == "[image]"]
    assert [i["from"] for i in received] == ["account", "account"]
    assert await get(box, received[0]["image"]) == (200, "image/jpeg", JPEG)
    assert "image" not in received[1]
    assert (await get(box, "/wechat-media/default/an-id-wechat-does-not-have"))[0] == 404
    assert (await get(box, f"/wechat-media/nowhere/{media_id}"))[0] == 404


async def test_the_teams_pane_lists_a_bots_audio_and_image_attachments_and_keeps_the_rest_as_other(box):
    world = box.world
    conversation = world.conversation_ids()["chat:bob"]
    attachments = [{"contentType": "audio/wav", "contentUrl": "http://127.0.0.1:1/media/a", "name": "voice.wav"},
                   {"contentType": "image/png", "contentUrl": "http://127.0.0.1:1/media/b"},
                   {"contentType": "image/png"},  # no address: nothing a client could fetch
                   {"contentType": "application/vnd.microsoft.teams.card.o365connector", "content": {}}]
    async with box.session.post(f"{world.urls['connector']}/v3/conversations/{conversation}/activities",
                                json={"type": "message", "text": "media", "attachments": attachments}) as r:
        assert r.status == 201
    [message] = [m for m in (await snapshot(box, conversation="chat:bob"))["teams"]["messages"] if m["text"] == "media"]
    assert message["media"] == [{"type": "audio/wav", "url": "http://127.0.0.1:1/media/a", "name": "voice.wav"},
                                {"type": "image/png", "url": "http://127.0.0.1:1/media/b", "name": ""}]
    assert message["other"] == ["image/png", "application/vnd.microsoft.teams.card.o365connector"]
