"""An employee's picture and file through HTTP, as far as the real adapters go on this branch: the bot
reads the attachments Teams sends (a pasted image, a file.download.info, beside the text/html rendering)
and, while the app has no media fitter wired (the Teams download and WeChat upload adapters come with
branch `wxupload`), refuses the message whole and says so; nothing reaches the guest."""
from __future__ import annotations

from simulators.teams_client import personal_message, post_activity
from tests.e2e.conftest import ALICE

ATTACHMENTS = [
    {"contentType": "image/*", "contentUrl": "https://smba.example/v3/attachments/1/views/original"},
    {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": "statement.pdf",
     "content": {"downloadUrl": "https://contoso.sharepoint.example/d?tempauth=x", "fileType": "pdf"}},
    {"contentType": "text/html", "content": "<div>see attached</div>"},
]


async def test_a_message_with_attachments_is_refused_whole_and_said_so_while_media_cannot_go(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestEmployeeMedia000000001")
    await guest.say("Can you send me the form?")
    await stack.settle()
    before = await stack.guest_texts(guest.openid)
    activity = personal_message("see attached", service_url=stack.connector_url, user=ALICE,
                                activity_id="employee-media-1", clock=stack.clock)
    activity["attachments"] = ATTACHMENTS
    response = await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
    assert response.status in (200, 201)
    await stack.settle()
    assert any("Pictures and files cannot be sent to WeChat" in text for text in stack.teams_texts(ALICE))
    assert await stack.guest_texts(guest.openid) == before


async def test_text_alone_still_goes(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestEmployeeMedia000000002")
    await guest.say("hello")
    await stack.settle()
    activity = personal_message("hello back", service_url=stack.connector_url, user=ALICE,
                                activity_id="employee-media-2", clock=stack.clock)
    activity["attachments"] = ATTACHMENTS[2:]  # only the rendering Teams adds to every message
    await post_activity(stack.session, str(stack.app_server.make_url("/api/messages")), activity)
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Advisor: hello back"
