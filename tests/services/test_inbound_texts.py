"""What employees read of a push comes from the notice catalogue, in their sub-organization's
language: every message and event type, none of it an English literal in the service."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.inbound import WeChatInbound
from core.notices import EN, ZH_CN, Notices
from core.organizations import SubOrganization
from core.conversation_settings import ConversationSettings
from core.threads import Target, Thread
from services.guest_media import NOT_KEPT, NOT_SHOWN, Shown
from services.inbound import describe

LINK = "https://bridge.example.com/media/t0ken"
CJK = re.compile(r"[\u4e00-\u9fff]")
THREAD = Thread(openid="oGuestTexts000000000000001", target=Target("employee", "a11ce"), nickname="Chen")
PUSHES = {
    "text": dict(msg_type="text", content="hello *there*"),
    "followed": dict(msg_type="event", event="subscribe"),
    "scanned": dict(msg_type="event", event="SCAN"),
    "unfollowed": dict(msg_type="event", event="unsubscribe"),
    **{kind: dict(msg_type=kind) for kind in ("image", "voice", "video", "shortvideo", "location", "link", "file")},
    "unknown": dict(msg_type="miniprogrampage"),
}


def sub(language: str, overrides=None) -> SubOrganization:
    return SubOrganization("hk", "HK", "c", conversation=replace(ConversationSettings(), employee_language=language),
                           notices=Notices(overrides))


@pytest.mark.parametrize("name", PUSHES)
@pytest.mark.parametrize("language", [EN, ZH_CN])
def test_every_push_is_described_in_the_employees_language(name, language):
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, **PUSHES[name])
    text = describe(msg, THREAD, sub(language), shown=Shown(params={"link": LINK}))
    assert text.startswith("**Chen**")
    assert bool(CJK.search(text)) == (language == ZH_CN), text


@pytest.mark.parametrize("kind, variant", [("image", NOT_KEPT), ("image", NOT_SHOWN), ("video", NOT_KEPT),
                                           ("shortvideo", NOT_KEPT)])
@pytest.mark.parametrize("language", [EN, ZH_CN])
def test_media_not_kept_or_not_shown_is_said_so_in_the_employees_language(kind, variant, language):
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type=kind)
    text = describe(msg, THREAD, sub(language), shown=Shown(variant))
    assert text != describe(msg, THREAD, sub(language), shown=Shown(params={"link": LINK}))
    assert bool(CJK.search(text)) == (language == ZH_CN), text


def test_a_videos_line_links_to_where_it_plays():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="video")
    shown = Shown(params={"link": LINK})
    assert describe(msg, THREAD, sub(EN), shown=shown) == f"**Chen** sent a video: [play it]({LINK})"


def test_a_texts_content_is_shown_literally_and_as_dlp_lets_it_through():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="text", content="*x*")
    assert describe(msg, THREAD, sub(EN)) == r"**Chen** (WeChat): \*x\*"
    assert describe(msg, THREAD, sub(ZH_CN), text="[redacted]") == r"**Chen**（微信）：\[redacted\]"


def test_a_follow_through_the_employees_qr_code_says_so_and_an_organization_may_reword_it():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="event", event="subscribe")
    assert "through your QR code" in describe(msg, replace(THREAD, source="qr"), sub(EN))
    reworded = sub(EN, {"inbound_followed": {EN: "{who} is now following us."}})
    assert describe(msg, THREAD, reworded) == "**Chen** is now following us."
