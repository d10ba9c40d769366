"""The Teams side of the sandbox page, in headless Chromium: card buttons readable in every state,
a pane that stays where it was after a press, the panel in view on a laptop's screen, Chinese in
a real font, the page's icon; and what an employee does there as in Teams: the administrator's
card, the app's message extension in the compose box, and `add @colleague` with the mention picker.
What a test needs before the page is set up through the sandbox's world (the same operations the
page posts), so each test drives only what it is about."""
from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from sandbox import views

pytestmark = pytest.mark.asyncio(loop_scope="module")

# The button's text colour and the background under it (the nearest opaque one), as computed.
COLOURS = """button => {
    const opaque = (colour) => !/^rgba\\(.*,\\s*0\\)$/.test(colour) && colour !== "transparent";
    let node = button;
    while (node && !opaque(getComputedStyle(node).backgroundColor)) node = node.parentElement;
    return [getComputedStyle(button).color, node ? getComputedStyle(node).backgroundColor : "rgb(255, 255, 255)"];
}"""
STYLED_BUTTONS = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Styles"}],
                  "actions": [{"type": "Action.Submit", "title": style.title(), "style": style}
                              for style in ("default", "positive", "destructive")]}


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two CSS rgb()/rgba() colours."""
    def luminance(colour: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


async def readable(button) -> float:
    return contrast(*await button.evaluate(COLOURS))


def teams_message(page: Page, text: str):
    return page.locator("#messages .msg").filter(has_text=text).last


async def command(page: Page, conversation: str, text: str):
    """`text` written in the conversation: the bot's answer (the message after it)."""
    await page.locator("#conversation").select_option(conversation)
    messages = page.locator("#messages .msg")
    await expect(page.locator("#messages")).to_have_attribute("data-key", conversation)
    shown = await messages.count()
    await page.get_by_label("Message in Teams").fill(text)
    await page.locator("#teams-form").get_by_role("button", name="Send").click()
    await expect(messages).to_have_count(shown + 2)
    return messages.nth(shown + 1)


async def to_the_inbox(world, guest_id: str) -> str:
    """The guest names nobody the routing assistant finds: their thread in the wealth inbox (its root)."""
    await world.guest_follows(guest_id)
    for text in ("hi", "Mr Smith please", "nobody", "the man from last week"):
        await world.guest_says(guest_id, text)
    return views.teams(world, "channel:wealth")["threads"][-1]["root"]


async def test_card_buttons_are_readable_at_rest_hovered_and_pressed(page):
    await page.locator("#conversation").select_option("chat:dana")  # the admin card of the start
    refresh = page.locator("#messages .teams-card").get_by_role("button", name="Refresh").last
    await refresh.hover()
    assert await readable(refresh) >= 4.5

    # Every style a card's button can have, drawn by the page's renderer and style sheets.
    await page.evaluate("""card => {
        const host = Object.assign(document.createElement("div"), {id: "styled", className: "teams-card"});
        document.body.prepend(host);
        window.TeamsCards.renderInto(host, card, {onAction: () => undefined});
    }""", STYLED_BUTTONS)
    for name in ("Default", "Positive", "Destructive"):
        button = page.locator("#styled").get_by_role("button", name=name)
        await page.mouse.move(0, 0)
        assert await readable(button) >= 4.5, f"{name} at rest"
        await button.hover()
        assert await readable(button) >= 4.5, f"{name} hovered"
        await page.mouse.down()
        assert await readable(button) >= 4.5, f"{name} pressed"
        await page.mouse.up()


async def test_after_a_card_press_the_teams_pane_stays_where_it_was(page, sandbox):
    world = sandbox.world
    for name in ("Fung Wai", "Yip Ling"):
        guest = world.new_guest(name)
        await world.guest_scans(guest.id, "alice")
        for n in range(3):
            await world.guest_says(guest.id, f"Message {n + 1} from {name}")
    await expect(page.locator("#messages")).to_contain_text("Message 3 from Yip Ling")
    pane = page.locator("#messages")
    live = page.locator("#messages .msg").filter(has_text="In this conversation: Alice Wong").first  # Fung Wai's
    leave = live.get_by_role("button", name="Leave conversation")
    await leave.evaluate("button => button.scrollIntoView({block: 'center'})")
    before = await pane.evaluate("pane => pane.scrollTop")
    assert await pane.evaluate("pane => pane.scrollHeight - pane.scrollTop - pane.clientHeight") > 100  # mid-way

    await leave.click()
    await expect(teams_message(page, "Leave the WeChat conversation with Fung Wai?")).to_be_attached()
    assert await pane.evaluate("pane => pane.scrollTop") == before
    await expect(leave).to_be_in_viewport()


async def test_on_a_laptop_screen_the_panel_is_in_view_without_scrolling_the_page(page):
    inside = """node => { const r = node.getBoundingClientRect();
                         return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; }"""
    for width, height in ((1280, 800), (1024, 768)):
        await page.set_viewport_size({"width": width, "height": height})
        await expect(page.locator("#threads")).to_be_visible()
        for part in ("section.panel", "section.wechat", "section.teams", "#teams-form", "#guest-form"):
            assert await page.locator(part).evaluate(inside), f"{part} is not all in the {width}×{height} window"
        page_size = await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert page_size == [width, height]  # nothing to scroll to
        assert (await page.locator("#messages").bounding_box())["width"] >= 340  # room for a card


async def test_chinese_is_drawn_in_a_chinese_font_the_page_names_and_the_page_has_its_icon(page, sandbox):
    wang = next(g for g in sandbox.world.guests.values() if g.name == "王伟")
    await sandbox.world.guest_follows(wang.id)
    await sandbox.world.guest_says(wang.id, "微信")
    await page.locator("#guest").select_option(wang.id)
    bubble = page.locator("#chat .bubble.guest > div").last
    await expect(bubble).to_have_text("微信")

    cdp = await page.context.new_cdp_session(page)
    await cdp.send("DOM.enable")
    await cdp.send("CSS.enable")
    root = (await cdp.send("DOM.getDocument"))["root"]["nodeId"]
    node = (await cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#chat .bubble.guest > div"}))["nodeId"]
    used = (await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node}))["fonts"]
    named = [f.strip().strip("'\"") for f in (await bubble.evaluate("n => getComputedStyle(n).fontFamily")).split(",")]
    assert [f["familyName"] for f in used if f["familyName"] in named and f["glyphCount"] == 2], (used, named)

    icon = await page.locator('link[rel="icon"]').evaluate("link => link.href")
    assert await page.evaluate("""async url => { const image = new Image(); image.src = url; await image.decode();
                                                 return image.naturalWidth; }""", icon) > 0
    for path in ("favicon.ico", "favicon.png"):  # /favicon.ico: where browsers look when a page names none
        answer = await page.request.get(sandbox.url + path)
        assert answer.status == 200 and answer.headers["content-type"] == "image/png"


async def test_the_administrator_disables_a_sub_organization_from_the_admin_card(page):
    qr = await command(page, "chat:alice", "qr")
    await expect(qr.locator(".teams-card").get_by_role("img")).to_be_visible()  # enabled from the start

    card = (await command(page, "chat:dana", "admin")).locator(".teams-card")
    await expect(card).to_contain_text("WeChat administration")
    await expect(card).to_contain_text("Contoso Wealth · enabled")
    await expect(card).to_contain_text("Contoso Private Bank · enabled")
    row = card.locator(".ac-columnSet").filter(has_text="Contoso Wealth · enabled").last
    await row.get_by_role("button", name="Disable").click()
    await expect(card).to_contain_text("WeChat disabled for Contoso Wealth.")  # the card, updated in place
    await expect(card).to_contain_text("Contoso Wealth · not enabled")

    refused = await command(page, "chat:alice", "qr")
    await expect(refused).to_contain_text("requires it to be enabled by your administrator")


async def test_the_message_extension_finds_a_contact_and_its_card_goes_into_the_message(page, sandbox):
    chen = next(g for g in sandbox.world.guests.values() if g.name == "Chen Jing")
    await sandbox.world.guest_scans(chen.id, "alice")
    await sandbox.world.guest_says(chen.id, "Hello Alice")
    await page.locator("#conversation").select_option("chat:alice")

    await page.get_by_role("button", name="WeChat contacts").click()
    found = page.get_by_role("listbox", name="WeChat contacts found")
    await expect(found.get_by_role("option")).to_have_count(1)  # the initial run: her contacts
    query = page.get_by_label("Find a WeChat contact")
    await query.fill("nobody like this")
    await expect(page.locator("#extension")).to_contain_text("No WeChat contact found.")
    await query.fill("chen")
    await found.get_by_role("option", name=re.compile("Chen Jing")).click()
    await expect(page.locator("#attachment .teams-card")).to_contain_text("Chen Jing")
    await expect(page.locator("#extension")).to_be_hidden()

    await page.get_by_label("Message in Teams").fill("Our client:")
    await page.locator("#teams-form").get_by_role("button", name="Send").click()
    sent = page.locator("#messages .msg.mine").last
    await expect(sent).to_contain_text("Our client:")
    await expect(sent.locator(".teams-card")).to_contain_text("WeChat contact")
    await expect(sent.locator(".teams-card")).to_contain_text("Chen Jing")
    await expect(page.locator("#attachment")).to_be_hidden()
    said = sandbox.world.said[-1]
    assert said["cards"][0]["type"] == "AdaptiveCard" and said["text"] == "Our client:"


async def test_add_a_colleague_with_the_mention_picker(page, sandbox):
    world = sandbox.world
    wang = next(g for g in world.guests.values() if g.name == "王伟")
    root = await to_the_inbox(world, wang.id)
    await world.employee_says("channel:wealth", "bob", "Bob here, how can I help?", thread=root)
    await page.locator("#conversation").select_option("channel:wealth")
    await page.locator("#as").select_option("bob")

    text = page.get_by_label("Message in Teams")
    await text.press_sequentially("add @")
    picker = page.get_by_role("listbox", name="Mention a member of the team")
    await expect(picker.get_by_role("option")).to_have_text(["Alice Wong", "Bob Li"])  # the team's members
    await text.press_sequentially("Al")
    await expect(picker.get_by_role("option")).to_have_text(["Alice Wong"])
    await picker.get_by_role("option", name="Alice Wong").click()
    await expect(text).to_have_value("add @Alice Wong ")
    await expect(picker).to_be_hidden()
    await page.locator("#teams-form").get_by_role("button", name="Send").click()

    await expect(page.locator("#messages")).to_contain_text("Alice Wong now takes part in this WeChat conversation.")
    await expect(page.locator("#threads tbody tr").filter(has_text="王伟")).to_contain_text("Bob Li, Alice Wong")
    said = teams_message(page, "add Alice Wong")
    await expect(said.locator(".teams-mention")).to_have_text("Alice Wong")  # shown as Teams shows a mention
    sent = world.said[-1]
    assert (sent["text"], sent["mentions"]) == ("add <at>Alice Wong</at>", ["<at>Alice Wong</at>"])
    assert not any("add" in d.text for d in world.wechat("default").delivered if d.openid == wang.id and d.text)
