"""A guest's location, link and a type Teams cannot show, over HTTP: WeChat pushes it to the webhook, and
the employee's chat in the Bot Connector gets the line that shows it (the label, the coordinates and
Amap's map; the title, the description and the address; the type's name), in Markdown."""
from __future__ import annotations

from tests.e2e.conftest import ALICE


async def _guest_sends(stack, openid: str, msg_type: str, **fields: str) -> str:
    """What Alice's chat shows of the push."""
    await stack.install(ALICE)
    guest = stack.wechat.guest(openid, nickname="Li Lei")
    r = await guest.send(msg_type, **fields)
    assert (r.status, r.text) == (200, "success")
    await stack.settle()
    [activity] = [a["activity"] for a in stack.teams_messages(ALICE) if "Li Lei" in (a["activity"].get("text") or "")]
    assert activity["textFormat"] == "markdown"
    return activity["text"]


async def test_a_location_shows_its_label_coordinates_and_amaps_map(stack):
    text = await _guest_sends(stack, "oGuestLocation00000000001", "location", Location_X="22.279991",
                              Location_Y="114.158798", Scale="16", Label="香港中环皇后大道中 (IFC)")
    assert text == ("**Li Lei** sent a location: 香港中环皇后大道中 \\(IFC\\) (22.279991, 114.158798) [Open in Amap]"
                    "(https://uri.amap.com/marker?position=114.158798,22.279991&name=%E9%A6%99%E6%B8%AF%E4%B8%AD"
                    "%E7%8E%AF%E7%9A%87%E5%90%8E%E5%A4%A7%E9%81%93%E4%B8%AD%20%28IFC%29&coordinate=gaode)")


async def test_a_forged_location_shows_its_label_and_no_link(stack):
    text = await _guest_sends(stack, "oGuestLocation00000000002", "location", Location_X="22.28)](javascript:x)",
                              Location_Y="114.16", Scale="16", Label="Office")
    assert text == "**Li Lei** sent a location: Office (no valid coordinates)."


async def test_a_link_shows_its_title_description_and_address(stack):
    text = await _guest_sends(stack, "oGuestLink000000000000001", "link", Title="Fund **factsheet**",
                              Description="Q3 performance", Url="https://example.com/fund?id=7&lang=zh")
    assert text == ("**Li Lei** sent a link: Fund \\*\\*factsheet\\*\\*\n\nQ3 performance\n\n"
                    "[https://example.com/fund?id=7&amp;lang=zh](https://example.com/fund?id=7&lang=zh)")


async def test_a_link_to_a_script_is_shown_as_text(stack):
    text = await _guest_sends(stack, "oGuestLink000000000000002", "link", Title="Click", Description="",
                              Url="javascript:alert(document.cookie)")
    assert text.endswith("\n\njavascript:alert\\(document.cookie\\)") and "](" not in text


async def test_a_type_teams_cannot_show_is_said_never_dropped(stack):
    text = await _guest_sends(stack, "oGuestUnknown000000000001", "miniprogrampage", Title="Shop",
                              AppId="wx0123456789abcdef", PagePath="pages/index")
    assert text == "**Li Lei** sent a message of type miniprogrampage that Teams cannot show; it has been recorded."
