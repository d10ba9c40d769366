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
from services.guest_media import NOT_KEPT, NOT_SHOWN, MediaShown
from services.inbound_lines import describe

LINK = "https://bridge.example.com/media/t0ken"
CJK = re.compile(r"[\u4e00-\u9fff]")
THREAD = Thread(openid="oGuestTexts000000000000001", target=Target("employee", "a11ce"), nickname="Chen")
PUSHES = {
    "text": dict(msg_type="text", content="hello *there*"),
    "followed": dict(msg_type="event", event="subscribe"),
    "scanned": dict(msg_type="event", event="SCAN"),
    "unfollowed": dict(msg_type="event", event="unsubscribe"),
    **{kind: dict(msg_type=kind) for kind in ("image", "voice", "video", "shortvideo", "location", "link", "file")},
    "location-valid": dict(msg_type="location", fields={"Location_X": "23.134521", "Location_Y": "113.358803"}),
    "unknown": dict(msg_type="miniprogrampage"),
}


def sub(language: str, overrides=None) -> SubOrganization:
    return SubOrganization("hk", "HK", "c", conversation=replace(ConversationSettings(), employee_language=language),
                           notices=Notices(overrides))


@pytest.mark.parametrize("name", PUSHES)
@pytest.mark.parametrize("language", [EN, ZH_CN])
def test_every_push_is_described_in_the_employees_language(name, language):
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, **PUSHES[name])
    text = describe(msg, THREAD, sub(language), media=MediaShown(params={"link": LINK}))
    assert text.startswith("**Chen**")
    assert bool(CJK.search(text)) == (language == ZH_CN), text


@pytest.mark.parametrize("kind, variant", [("image", NOT_KEPT), ("image", NOT_SHOWN), ("video", NOT_KEPT),
                                           ("shortvideo", NOT_KEPT)])
@pytest.mark.parametrize("language", [EN, ZH_CN])
def test_media_not_kept_or_not_shown_is_said_so_in_the_employees_language(kind, variant, language):
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type=kind)
    text = describe(msg, THREAD, sub(language), media=MediaShown(variant))
    assert text != describe(msg, THREAD, sub(language), media=MediaShown(params={"link": LINK}))
    assert bool(CJK.search(text)) == (language == ZH_CN), text


def test_a_videos_line_links_to_where_it_plays():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="video")
    shown = MediaShown(params={"link": LINK})
    assert describe(msg, THREAD, sub(EN), media=shown) == f"**Chen** sent a video: [play it]({LINK})"


def test_a_texts_content_is_shown_literally_and_as_dlp_lets_it_through():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="text", content="*x*")
    assert describe(msg, THREAD, sub(EN)) == r"**Chen** (WeChat): \*x\*"
    assert describe(msg, THREAD, sub(ZH_CN), {"Content": "[redacted]"}) == r"**Chen**（微信）：\[redacted\]"


def test_a_follow_through_the_employees_qr_code_says_so_and_an_organization_may_reword_it():
    msg = WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type="event", event="subscribe")
    assert "through your QR code" in describe(msg, replace(THREAD, source="qr"), sub(EN))
    reworded = sub(EN, {"inbound_followed": {EN: "{who} is now following us."}})
    assert describe(msg, THREAD, reworded) == "**Chen** is now following us."


def push(msg_type: str, **fields: str) -> WeChatInbound:
    return WeChatInbound(to_user="gh_1", from_user=THREAD.openid, create_time=1, msg_type=msg_type, fields=fields)


# -- a location: its label, its coordinates and Amap's map, which takes WeChat's GCJ-02 as it is ---------

def test_a_location_shows_its_label_coordinates_and_a_map_that_takes_gcj02():
    msg = push("location", Location_X="23.134521", Location_Y="113.358803", Scale="20", Label="广州市 (天河区) *1号*")
    assert describe(msg, THREAD, sub(EN)) == (
        r"**Chen** sent a location: 广州市 \(天河区\) \*1号\* (23.134521, 113.358803) [Open in Amap]"
        "(https://uri.amap.com/marker?position=113.358803,23.134521"
        "&name=%E5%B9%BF%E5%B7%9E%E5%B8%82%20%28%E5%A4%A9%E6%B2%B3%E5%8C%BA%29%20%2A1%E5%8F%B7%2A&coordinate=gaode)")
    assert describe(msg, THREAD, sub(ZH_CN)).startswith(
        r"**Chen** 发送了一个位置：广州市 \(天河区\) \*1号\*（23.134521, 113.358803）[在高德地图中打开](https://uri.amap.com/")


@pytest.mark.parametrize("latitude, longitude", [
    ("nan", "113.3"), ("23.1", "inf"), ("1e1", "113.3"), ("23.1", "1_13"), ("90.000001", "113.3"), ("23.1", "-180.5"),
    ("23.1", ""), ("", ""), ("23.1", "113.3)[x](javascript:alert(1)"), ("２３.１", "113.3"), ("23.1", "0x71"),
])
def test_a_location_without_valid_coordinates_shows_its_label_and_no_link(latitude, longitude):
    msg = push("location", Location_X=latitude, Location_Y=longitude, Label="Home")
    assert describe(msg, THREAD, sub(EN)) == "**Chen** sent a location: Home (no valid coordinates)."
    assert describe(msg, THREAD, sub(ZH_CN)) == "**Chen** 发送了一个位置：Home（没有有效的坐标）。"


def test_coordinates_at_the_edges_of_their_range_are_valid():
    msg = push("location", Location_X=" -90 ", Location_Y="+180.0", Label="")
    assert "(-90.000000, 180.000000) [Open in Amap](https://uri.amap.com/marker?position=180.000000,-90.000000&name=" \
           "&coordinate=gaode)" in describe(msg, THREAD, sub(EN))


def test_a_long_label_is_one_line_and_capped():
    msg = push("location", Location_X="1", Location_Y="2", Label="第一行\n# 第二行 " + "长" * 300)
    label = describe(msg, THREAD, sub(EN)).removeprefix("**Chen** sent a location: ").partition(" (1.000000")[0]
    assert label.startswith(r"第一行 \# 第二行 长") and label.endswith("长…") and len(label) == 200 + 1  # the \ of \#


# -- a link: title, description and the address, a link only if it is a web address -------------------

def test_a_link_shows_title_description_and_its_address_as_a_link():
    msg = push("link", Title="Fund *factsheet*", Description="Q3 [2024]\nperformance",
               Url="https://example.com/fund_(a)?id=1&x=<y>")
    assert describe(msg, THREAD, sub(EN)) == (
        "**Chen** sent a link: Fund \\*factsheet\\*\n\nQ3 \\[2024\\] performance\n\n"
        r"[https://example.com/fund\_\(a\)?id=1&amp;x=&lt;y&gt;](https://example.com/fund_%28a%29?id=1&x=%3Cy%3E)")
    assert describe(msg, THREAD, sub(ZH_CN)).startswith("**Chen** 发送了一个链接：Fund \\*factsheet\\*")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript://example.com/%0aalert(1)",
                                 "data:text/html,<b>x</b>", "file:///etc/passwd", "vbscript:msgbox", "http://",
                                 "https:///path", "//example.com/x",
                                 "https://exa mple.com/", "https://example.com/\u202e", "ftp://example.com/f"])
def test_only_web_addresses_become_links(url):
    text = describe(push("link", Title="t", Description="d", Url=url), THREAD, sub(EN))
    address = text.rpartition("\n\n")[2]
    assert "](" not in address and not address.startswith("[")


def test_a_links_texts_are_capped():
    msg = push("link", Title="T" * 1000, Description="D" * 1000, Url="https://example.com/" + "u" * 3000)
    title, description, url = describe(msg, THREAD, sub(EN)).removeprefix("**Chen** sent a link: ").split("\n\n")
    assert (len(title), len(description)) == (200, 500)
    assert len(url) == 300 and "](" not in url  # too long to be a link: shown, capped


# -- what Teams cannot show: said with its type, never dropped --------------------------------------------

@pytest.mark.parametrize("msg_type, shown", [
    ("file", "file"), ("miniprogrampage", "miniprogrampage"), ("a*b_[c](d)", r"a\*b\_\[c\]\(d\)"),
    ("x\n# y", r"x \# y"), ("t" * 100, "t" * 39 + "…"),
])
def test_a_type_teams_cannot_show_is_said_with_its_name_escaped_and_capped(msg_type, shown):
    assert describe(push(msg_type), THREAD, sub(EN)) == \
        f"**Chen** sent a message of type {shown} that Teams cannot show; it has been recorded."
    assert describe(push(msg_type), THREAD, sub(ZH_CN)) == \
        f"**Chen** 发送了一条 Teams 无法显示的消息（类型：{shown}），已记录。"
