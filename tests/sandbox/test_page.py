"""The sandbox page driven as a person would, in headless Chromium (Debian's, through Playwright):
the sandbox runs in this process on free ports with a fresh data folder (the fixtures: conftest.py);
every wait is on what the page shows (Playwright's auto-waiting), never a sleep."""
from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def guest_says(page: Page, text: str) -> None:
    await page.get_by_label("Message to the Official Account").fill(text)
    await page.locator("#guest-form").get_by_role("button", name="Send").click()
    await expect(page.locator("#chat .bubble.guest").last).to_have_text(text)


async def employee_says(page: Page, text: str) -> None:
    await page.get_by_label("Message in Teams").fill(text)
    await page.locator("#teams-form").get_by_role("button", name="Send").click()


def teams_message(page: Page, text: str):
    """The (last) message of the Teams pane that shows `text`."""
    return page.locator("#messages .msg").filter(has_text=text).last


async def test_a_guest_and_alice_talk_the_policy_warns_and_alice_leaves(page):
    phone = page.locator("#chat")
    await expect(page.locator("#guest")).to_have_value(re.compile(".+"))
    await expect(page.locator("#account-name")).to_have_text("Contoso Wealth")  # Chen Jing, the first guest

    # (1) The guest scans Alice's QR code and writes: it appears in Alice's Teams pane.
    await page.get_by_role("button", name="Scan Alice Wong's QR code").click()
    await expect(phone).to_contain_text("Followed Contoso Wealth through Alice Wong's QR code")
    await guest_says(page, "Hello Alice, could we review my mortgage?")
    await expect(page.locator("#conversation")).to_have_value("chat:alice")
    await expect(teams_message(page, "(WeChat): Hello Alice")).to_contain_text(
        "Chen Jing (WeChat): Hello Alice, could we review my mortgage?")

    # (2) Alice replies from the Teams pane: it reaches the phone through WeChat's API.
    await employee_says(page, "Of course. Is Thursday 10:00 good for you?")
    await expect(phone.locator(".bubble.account").last).to_have_text(
        "Alice Wong: Of course. Is Thursday 10:00 good for you?")
    await expect(page.locator("#api")).to_contain_text("Alice Wong: Of course.")  # what WeChat's API received
    await expect(page.locator("#threads")).to_contain_text("active")

    # (3) 24 hours later without a word from the guest: the warning card, in Alice's pane.
    await page.get_by_role("button", name="+24 h").click()
    warning = teams_message(page, "has not responded for 24 hours")
    await expect(warning.locator(".teams-card")).to_contain_text(
        "Your contact has not responded for 24 hours")
    await expect(page.locator("#clock-offset")).to_have_text("(+24 h)")

    # (4) Leave conversation on the live card, then confirm: closed on both sides.
    live = await teams_message(page, "In this conversation: Alice Wong").get_attribute("data-id")
    status = page.locator(f'#messages .msg[data-id="{live}"]')  # the live card: updated in place
    await status.get_by_role("button", name="Leave conversation").click()
    confirm = teams_message(page, "Leave the WeChat conversation with Chen Jing?")
    await confirm.get_by_role("button", name="Leave conversation").click()
    await expect(phone.locator(".bubble.account").last).to_have_text("Alice Wong has left the conversation.")
    await expect(teams_message(page, "left the conversation. The chat is closed")).to_be_visible()
    await expect(status.locator(".teams-card")).to_contain_text("Conversation closed")
    await expect(status.get_by_role("button", name="Leave conversation")).to_have_count(0)
    await expect(page.locator("#threads tbody tr").filter(has_text="Chen Jing")).to_contain_text("closed")


async def test_a_private_bank_guest_validates_their_number_by_sms_and_reaches_carol(page):
    await page.get_by_role("button", name="New guest").click()
    await page.get_by_label("New guest's name").fill("Lam Mei")
    await page.get_by_label("Official Account", exact=True).select_option(label="Contoso Private Bank")
    await page.get_by_role("button", name="Add").click()
    await expect(page.locator("#guest option:checked")).to_have_text("Lam Mei · Contoso Private Bank")
    await expect(page.locator("#account-name")).to_have_text("Contoso Private Bank")
    await expect(page.get_by_role("button", name="Scan Carol Chan's QR code")).to_be_visible()
    await expect(page.get_by_role("button", name="Scan Alice Wong's QR code")).to_have_count(0)  # another account's

    await page.get_by_role("button", name="Follow", exact=True).click()
    await guest_says(page, "Hello, I'd like to speak to my banker")
    await expect(page.locator("#chat .bubble.account").last).to_contain_text("verify your mobile phone number")
    number = (await page.locator("#phone-number").inner_text()).removeprefix("this phone: ")
    await guest_says(page, number)
    sms = page.locator("#sms .sms-item").first
    await expect(sms).to_contain_text("verification code")
    pin = re.search(r"(?<!\d)\d{6}(?!\d)", await sms.locator("div").inner_text()).group(0)
    await guest_says(page, pin)
    await expect(page.locator("#chat")).to_contain_text("is verified")
    await expect(page.locator("#chat .bubble.account").last).to_contain_text("Whom would you like to reach?")
    await guest_says(page, "Carol please")
    await expect(page.locator("#chat .bubble.account").last).to_contain_text(
        "Thank you. You are now connected with Carol Chan 陈嘉玲, who will answer you here. Please note")

    await page.locator("#conversation").select_option("chat:carol")
    told = teams_message(page, "routing assistant connected")
    await expect(told).to_contain_text(f"Validated the phone number {number}")
    await expect(told.locator("blockquote")).to_have_text("Carol please")  # the guest's own words, quoted
    await expect(page.locator("#messages")).not_to_contain_text(pin)
    await employee_says(page, "Hello Ms Lam, Carol here.")
    await expect(page.locator("#chat .bubble.account").last).to_have_text("Carol Chan: Hello Ms Lam, Carol here.")


async def test_alice_with_two_guests_in_her_chat_chooses_whom_her_message_is_for(page):
    for name in ("Fung Wai", "Yip Ling"):
        await page.get_by_role("button", name="New guest").click()
        await page.get_by_label("New guest's name").fill(name)
        await page.get_by_role("button", name="Add").click()
        await expect(page.locator("#guest option:checked")).to_have_text(f"{name} · Contoso Wealth")
        await page.get_by_role("button", name="Scan Alice Wong's QR code").click()
        await guest_says(page, f"Hello, {name} here")
    await expect(page.locator("#messages")).to_contain_text("Yip Ling (WeChat): Hello, Yip Ling here")

    await employee_says(page, "Your statement is ready.")
    choose = teams_message(page, "Which WeChat contact is this message for?")
    await choose.get_by_role("button", name="Send to Fung Wai").click()  # an Action.Submit with its data
    await expect(page.locator("#messages")).to_contain_text("Sent to Fung Wai.")
    await page.locator("#guest").select_option(label="Fung Wai · Contoso Wealth")
    await expect(page.locator("#chat .bubble.account").last).to_have_text("Alice Wong: Your statement is ready.")
    await page.locator("#guest").select_option(label="Yip Ling · Contoso Wealth")
    await expect(page.locator("#chat")).to_contain_text("Hello, Yip Ling here")
    await expect(page.locator("#chat")).not_to_contain_text("Your statement is ready.")
