"""An employee's media to a WeChat guest through HTTP, on the real adapters and the simulators: Teams'
attachments (a pasted picture, a file) read by the bot from /api/messages, downloaded from the Bot Connector
simulator, converted where needed (ffmpeg), uploaded to the WeChat simulator's media/upload and sent as
custom-send image and voice messages whose bytes are checked; a kind the sub-organization does not allow
is refused in the employee's chat; media queues while the chat is inactive."""
from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from simulators.bot_connector import CONNECTOR_STATE
from simulators.teams_client import personal_message, post_activity
from tests import media_samples as samples
from tests.e2e.conftest import ALICE, PUBLIC_BASE_URL, _close, _stack
from tests.voice.samples import mp3_audio

HOUR = 3600.0


@pytest.fixture
async def talking(stack):
    # The local bot has no app id, so no token: the simulator serves its attachments without one (as the sandbox).
    stack.connector_server.app[CONNECTOR_STATE].open_attachments = True
    await stack.install(ALICE)
    return stack


async def attach(stack, content: bytes, content_type: str, kind: str, name: str = "") -> list[dict]:
    """What a Teams client puts into the activity when the employee pastes or attaches it."""
    url = f"{stack.connector_url.rstrip('/')}/sim/attachments"
    async with stack.session.post(url, params={"kind": kind, "name": name}, data=content,
                                  headers={"Content-Type": content_type}) as r:
        assert r.status == 200
        return (await r.json())["attachments"]


async def employee_sends(stack, text: str, attachments: list[dict]) -> None:
    stack.sent_activities += 1
    activity = personal_message(text, service_url=stack.connector_url, user=ALICE,
                                activity_id=f"media-{stack.sent_activities}", clock=stack.clock)
    activity["attachments"] = attachments
    response = await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
    assert response.status in (200, 201)
    await stack.settle()


async def media_received(stack, openid: str) -> list[tuple[str, bytes]]:
    """Each image / voice message WeChat took for the guest, with the bytes of the medium it names."""
    received = []
    for sent in await stack.wechat.delivered(openid):
        if sent["msgtype"] in ("image", "voice", "video"):
            media_id = sent["json"][sent["msgtype"]]["media_id"]
            async with stack.session.get(f"{stack.wechat.api_url}/sim/media/{media_id}") as r:
                received.append((sent["msgtype"], await r.read()))
    return received


async def test_a_pasted_picture_with_a_caption_reaches_the_guest_as_the_caption_then_the_same_picture(talking):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000001")
    await guest.say("Can you send me the form?")
    await stack.settle()
    photo = samples.image("JPEG", (64, 48))
    await employee_sends(stack, "Here it is", await attach(stack, photo, "image/jpeg", "inline"))
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Advisor: Here it is"
    assert await media_received(stack, guest.openid) == [("image", photo)]
    kinds = [d["msgtype"] for d in await stack.wechat.delivered(guest.openid)]
    assert kinds[-2:] == ["text", "image"]  # the caption first


async def test_an_audio_file_goes_as_a_voice_message_in_mp3(talking, tmp_path):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000002")
    await guest.say("Please call")
    await stack.settle()
    audio = mp3_audio(tmp_path, 3.0)
    await employee_sends(stack, "", await attach(stack, audio, "audio/mpeg", "file", "memo.mp3"))
    ((kind, content),) = await media_received(stack, guest.openid)
    assert kind == "voice" and content[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")


async def test_a_document_where_documents_are_not_allowed_is_refused_in_the_chat(talking):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000003")
    await guest.say("Statement?")
    await stack.settle()
    before = await stack.wechat.delivered(guest.openid)
    await employee_sends(stack, "attached", await attach(stack, b"%PDF-1.7\n", "application/pdf", "file", "q3.pdf"))
    assert any("does not allow sending a document" in text for text in stack.teams_texts(ALICE))
    assert await stack.wechat.delivered(guest.openid) == before


async def test_a_picture_queues_while_the_chat_is_inactive_and_goes_when_the_guest_writes(talking):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000004")
    await guest.say("hello")
    await stack.settle()
    stack.clock.advance(49 * HOUR)
    photo = samples.image("PNG", (16, 16), color="blue")
    await employee_sends(stack, "", await attach(stack, photo, "image/png", "inline"))
    assert await media_received(stack, guest.openid) == []
    await guest.say("I am back")
    await stack.settle()
    assert await media_received(stack, guest.openid) == [("image", photo)]


DOCUMENTS_ALLOWED = f'''
[[organizations]]
id = "contoso"
  [[organizations.sub_organizations]]
  id = "hk"
  employees = [{{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }}]
  media = {{ allow = ["image", "document"] }}
'''


@pytest.fixture
async def documents(tmp_path):
    s = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", organizations=DOCUMENTS_ALLOWED,
                     PUBLIC_BASE_URL=PUBLIC_BASE_URL, MEDIA_DOCUMENT_LINK_DAYS="2")
    try:
        await s.install(ALICE)
        yield s
    finally:
        await _close(s)


async def test_a_pdf_goes_as_a_link_that_downloads_it_under_its_name_until_it_expires(documents):
    stack = documents
    guest = stack.wechat.guest("oGuestEmployeeMedia000000005", "Chen", language="en")
    await guest.say("My statement, please")
    await stack.settle()
    pdf = b"%PDF-1.7\n" + bytes(2000)
    await employee_sends(stack, "", await attach(stack, pdf, "application/pdf", "file", "Q3 statement.pdf"))
    said = (await stack.guest_texts(guest.openid))[-1]
    assert said.startswith(f"Alice Wong: Q3 statement.pdf: {PUBLIC_BASE_URL}/media/")
    assert said.endswith("(the link works for 2 days)")
    path = said.split(PUBLIC_BASE_URL, 1)[1].split(" ", 1)[0]
    async with stack.session.get(stack.app_server.make_url(path)) as r:
        assert (r.status, await r.read(), r.headers["Content-Type"]) == (200, pdf, "application/pdf")
        assert r.headers["Content-Disposition"] == "attachment; filename*=UTF-8''Q3%20statement.pdf"
    stack.clock.advance(2 * 24 * HOUR)
    async with stack.session.get(stack.app_server.make_url(path)) as r:
        assert r.status == 410


async def test_a_picture_larger_than_wechat_takes_arrives_fitted_within_2_mb(talking):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000006")
    await guest.say("The photo please")
    await stack.settle()
    out = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(out, format="PNG")  # noise: ~5.9 MB
    assert out.tell() > 2 * 1024 * 1024
    await employee_sends(stack, "", await attach(stack, out.getvalue(), "image/png", "file", "scan.png"))
    ((kind, content),) = await media_received(stack, guest.openid)
    assert kind == "image" and len(content) <= 2 * 1024 * 1024
    assert Image.open(io.BytesIO(content)).format in ("JPEG", "PNG")


async def test_a_voice_note_longer_than_wechat_takes_is_refused_in_the_chat_with_why(talking, tmp_path):
    stack = talking
    guest = stack.wechat.guest("oGuestEmployeeMedia000000007")
    await guest.say("Can you explain by voice?")
    await stack.settle()
    before = await stack.wechat.delivered(guest.openid)
    await employee_sends(stack, "", await attach(stack, mp3_audio(tmp_path, 61.0), "audio/mpeg", "file", "long.mp3"))
    assert any("longer than 60 seconds" in text for text in stack.teams_texts(ALICE))
    assert await stack.wechat.delivered(guest.openid) == before  # nothing went, nothing was cut
