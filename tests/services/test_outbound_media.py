"""An employee's pictures, voice notes, videos and documents on their way to a WeChat guest, on the
fakes (tests/fakes.py): downloaded from Teams in the employee-message job, fitted to WeChat's limits,
uploaded then sent when the policy lets them go (a document: its name and a signed link), each one of
WeChat's messages; refused, with the reason in the employee's words, by the sub-organization's media
rules, by WeChat, or by DLP on a document's name."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import unquote

import pytest

from adapters.wechat.errors import WeChatApiError, WeChatOutcomeUnknown
from core.dlp import DlpPolicy, Rule
from core.journal import JournalSettings
from core.media_links import LinkExpired
from core.media_fit import MB, Unfit
from core.media_rules import MediaRules
from core.organizations import Directory
from core.threads import Target
from core.teams_chats import TeamsAttachment
from services.outbound import Queued, Refused, TeamsMessage
from tests.fakes import ALICE, MEDIA_BASE_URL, Bridge, personal_conversation, personal_reference

GUEST = "oGuestMedia00000000000000001"
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 100
DAY = 24 * 3600.0


def directory(**rules: object) -> Directory:
    """Everyone in one sub-organization, with these media rules."""
    sub = Directory.open().sub_organizations[0]
    return Directory((replace(sub, media=MediaRules(**rules)) if rules else sub,))


async def talking(d: Directory | None = None) -> Bridge:
    bridge = Bridge.build(d)
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "hello")
    return bridge


def told(bridge: Bridge, notice: str) -> list[str]:
    return [c.shown for c in bridge.teams.posts() if c.mark.get("notice") == notice]


async def test_a_picture_with_a_caption_reaches_the_guest_as_the_caption_then_the_uploaded_picture():
    bridge = await talking()
    before = (await bridge.thread(GUEST)).policy.sent
    outcome = await bridge.employee(ALICE, "Here is the form", name="Alice", files=[("form.png", PNG, "image/png")])
    assert isinstance(outcome, Queued)
    assert bridge.wechat.said_to(GUEST)[-1] == "Alice: Here is the form"
    ((media_id, (kind, content, filename, content_type)),) = bridge.wechat.uploads.items()
    assert (kind, content, filename, content_type) == ("image", PNG, "image.png", "image/png")
    assert bridge.wechat.media_sent == [(GUEST, "image", media_id, "")]
    assert (await bridge.thread(GUEST)).policy.sent == before + 2  # two of WeChat's messages


async def test_a_picture_larger_than_wechat_takes_goes_as_fitted_and_a_video_with_its_thumbnail():
    bridge = await talking()
    large = b"\x89PNG" + b"x" * (2 * MB)
    await bridge.employee(ALICE, "", files=[("big.png", large, "image/png"), ("clip.mp4", b"mp4", "video/mp4")])
    (image, video, thumb) = bridge.wechat.uploads.values()
    assert image[:2] == ("image", b"fitted:" + large)
    assert video[:2] == ("video", b"mp4") and thumb[:2] == ("thumb", b"thumb:mp4")
    assert [(kind, thumb_id) for _, kind, _, thumb_id in bridge.wechat.media_sent] == [
        ("image", ""), ("video", "upload-3")]


async def test_a_kind_the_sub_organization_does_not_allow_is_refused_in_the_turn_before_anything_is_fetched():
    bridge = await talking(directory(allowed=frozenset({"image"})))
    outcome = await bridge.employee(ALICE, "listen", files=[("memo.mp3", b"id3", "audio/mpeg")])
    assert isinstance(outcome, Refused)
    assert outcome.reason == ("Your organization does not allow sending a voice message to WeChat contacts. "
                              "Your message was not sent.")
    assert bridge.teams.downloads == [] and await bridge.jobs("employee_message") == []
    assert bridge.wechat.said_to(GUEST)[-1] != "Alice: listen"


async def test_documents_are_refused_by_default_and_said_so():
    bridge = await talking()
    outcome = await bridge.employee(ALICE, "", files=[("statement.pdf", b"%PDF", "application/pdf")])
    assert isinstance(outcome, Refused) and "sending a document" in outcome.reason


async def test_a_document_goes_as_its_name_and_a_link_that_serves_it_for_seven_days():
    bridge = await talking(directory(allowed=frozenset({"image", "document"})))
    await bridge.employee(ALICE, "", name="Alice", files=[("季度报告.pdf", b"%PDF-1.7 report", "application/pdf")])
    said = bridge.wechat.said_to(GUEST)[-1]
    assert said.startswith("Alice: 季度报告.pdf：https://") and said.endswith("（链接 7 天内有效）")
    url = said.split("：", 1)[1].split("（", 1)[0]
    token, filename = url.removeprefix(f"{MEDIA_BASE_URL}/media/").split("/")
    assert unquote(filename) == "季度报告.pdf"
    key = bridge.media_links.key(token, unquote(filename))
    assert bridge.media.media[key] == (b"%PDF-1.7 report", "application/pdf")
    bridge.clock.advance(7 * DAY)
    with pytest.raises(LinkExpired):
        bridge.media_links.key(token, unquote(filename))
    assert bridge.wechat.uploads == {}  # a file is never uploaded: WeChat cannot send one


async def test_dlp_on_a_documents_name_blocks_it_and_the_guest_hears_nothing():
    rule = Rule("codes", "outbound", "block", pattern=r"PROJECT-X")
    d = directory(allowed=frozenset({"document"}))
    d = Directory((replace(d.sub_organizations[0], dlp=DlpPolicy((rule,))),))
    bridge = await talking(d)
    said = len(bridge.wechat.texts)
    await bridge.employee(ALICE, "", files=[("PROJECT-X plan.pdf", b"%PDF", "application/pdf")])
    assert len(bridge.wechat.texts) == said and told(bridge, "dlp_blocked")


async def test_a_file_larger_than_the_sub_organization_allows_is_refused_in_the_employees_words():
    bridge = await talking(directory(max_bytes={"image": 1 * MB}))
    await bridge.employee(ALICE, "see this", files=[("huge.png", b"x" * (MB + 1), "image/png")])
    (text,) = told(bridge, "media_refused")
    assert "Not sent to WeChat. The picture is larger than 1 MB" in text
    assert "Alice: see this" not in bridge.wechat.said_to(GUEST)  # the message goes whole or not at all
    assert bridge.media.media == {}


async def test_a_voice_note_too_long_for_wechat_is_refused_with_why():
    bridge = await talking()
    bridge.media_fit.unfit[hashlib.sha256(b"long").hexdigest()] = Unfit("media_too_long", {"seconds": 60})
    await bridge.employee(ALICE, "", files=[("memo.m4a", b"long", "audio/mp4")])
    assert "longer than 60 seconds" in told(bridge, "media_refused")[0]
    assert bridge.wechat.uploads == {}


async def test_wechat_refusing_an_upload_is_told_to_the_employee_and_gives_the_slot_back():
    bridge = await talking()
    before = (await bridge.thread(GUEST)).policy.sent
    bridge.wechat.refuse_next("upload_media", WeChatApiError(40005, "invalid file type"))
    await bridge.employee(ALICE, "", files=[("a.png", PNG, "image/png")])
    (text,) = told(bridge, "media_refused")
    assert "WeChat did not accept the picture" in text and "error 40005" in text
    assert bridge.wechat.media_sent == [] and (await bridge.thread(GUEST)).policy.sent == before


async def test_a_media_send_whose_answer_was_lost_is_not_repeated_but_offered_to_send_again():
    bridge = await talking()
    bridge.wechat.refuse_next("send_media", WeChatOutcomeUnknown("timeout"))
    await bridge.employee(ALICE, "", files=[("a.png", PNG, "image/png")])
    assert len(bridge.wechat.media_sent) == 1 and len(bridge.wechat.uploads) == 1
    assert told(bridge, "not_confirmed")


async def test_media_queues_while_the_chat_is_inactive_shown_by_name_and_goes_when_the_guest_writes():
    bridge = await talking()
    bridge.clock.advance(49 * 3600)
    await bridge.employee(ALICE, "", files=[("photo.png", PNG, "image/png")])
    thread = await bridge.thread(GUEST)
    assert [item.shown for item in thread.policy.queue] == ["[image] photo.png"]
    assert bridge.wechat.uploads == {}  # WeChat keeps a media_id 3 days: uploaded when it goes, not now
    live = [c for c in bridge.teams.calls if c.mark.get("card") == "status"][-1]  # as updated last
    assert "[image] photo.png" in live.shown
    await bridge.guest(GUEST, "back")
    assert [kind for _, kind, _, _ in bridge.wechat.media_sent] == ["image"]
    assert (await bridge.thread(GUEST)).policy.queue == ()


async def test_the_record_keeps_each_medium_sent_by_its_key_type_size_and_name():
    bridge = await talking()
    await bridge.employee(ALICE, "", files=[("form.png", PNG, "image/png")])
    sent = [c for entry in await bridge.record(GUEST) if entry.get("kind") == "decision"
            for c in entry["decided"] if c["type"] == "send_to_guest" and c.get("media")]
    assert [c["media"] for c in sent] == [{"type": "outgoing_media", "kind": "image",
                                          "key": hashlib.sha256(PNG).hexdigest(), "content_type": "image/png",
                                          "name": "form.png", "size": len(PNG), "thumbnail_key": ""}]


async def test_a_pasted_picture_is_fetched_with_the_bots_token_and_kept_as_the_type_teams_serves():
    bridge = await talking()
    url = "https://smba.example/v3/attachments/9/views/original"
    bridge.teams.attached[url] = (PNG, "image/png")
    message = TeamsMessage(personal_conversation(ALICE), "pasted-1", "", ALICE, "Alice", personal_reference(ALICE),
                           (TeamsAttachment(url, "image/*"),))
    assert isinstance(await bridge.outbound.submit(message), Queued)
    await bridge.settle()
    assert [a.authenticated for a in bridge.teams.downloads] == [True]
    (upload,) = bridge.wechat.uploads.values()
    assert upload == ("image", PNG, "image.png", "image/png")


async def test_the_record_lists_each_employees_file_as_the_original_and_what_was_made_for_wechat():
    bridge = await talking()
    large = b"\x89PNG" + b"x" * (2 * MB)
    await bridge.employee(ALICE, "", files=[("big.png", large, "image/png"), ("clip.mp4", b"mp4", "video/mp4")])
    (entry,) = [e for e in await bridge.record(GUEST) if e.get("media") and e["what"]["type"] == "employee_message"]
    sha = {content: hashlib.sha256(content).hexdigest() for content in (large, b"fitted:" + large, b"mp4",
                                                                        b"thumb:mp4")}
    assert [(m["key"], m["type"], m["role"]) for m in entry["media"]] == [
        (sha[large], "image", "original"), (sha[b"fitted:" + large], "image", "for_wechat"),
        (sha[b"mp4"], "video", "original"), (sha[b"thumb:mp4"], "thumb", "for_wechat")]
    assert all(m["size"] == len(bridge.media.media[m["key"]][0]) for m in entry["media"])


async def test_an_employees_picture_goes_to_the_archive_attached_with_its_sha256():
    bridge = Bridge.build(archive=JournalSettings(sender_domain="bank.example", journal_to="journal@archive.example"))
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "hello")
    await bridge.employee(ALICE, "the form", files=[("form.png", PNG, "image/png")])
    key = hashlib.sha256(PNG).hexdigest()
    attached = [(part.get_filename(), part["X-WeChat-Media-SHA256"], part.get_content())
                for message, _ in bridge.smtp.journaled for part in message.iter_attachments()
                if part["X-WeChat-Media-SHA256"]]
    assert attached == [(f"image-{key[:12]}.png", key, PNG)]
