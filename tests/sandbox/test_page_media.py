"""Media on the sandbox page, in headless Chromium: the phone sends the sample photo, a picture of the
person's own and the voice note, and shows them; the Teams pane shows the bot's inline images (their
bytes are the product's, from its /media/<token> link) and plays audio, an attachment's and a card's
Media element's. Waits are on what the page shows, never a sleep."""
from __future__ import annotations

import struct

import pytest
from playwright.async_api import Page, expect

from sandbox.samples import photo_png

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOADED = "node => node.complete && node.naturalWidth > 0"
PLAYABLE = "node => node.readyState >= 1 && node.duration > 0"  # the browser read the audio's length


def wav(seconds: float, rate: int = 8000) -> bytes:
    """Silence as 16-bit mono PCM WAV: audio every browser plays."""
    data = b"\x00\x00" * int(seconds * rate)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", len(data)) + data)


async def bytes_at(url: str) -> bytes:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(url) as r:
        assert r.status == 200
        return await r.read()


async def loaded(locator, condition: str) -> None:
    await expect(locator).to_be_attached()
    await locator.page.wait_for_function(condition, arg=await locator.element_handle())


async def at_alices(page: Page, sandbox, name: str) -> None:
    guest = sandbox.world.new_guest(name)
    await sandbox.world.guest_scans(guest.id, "alice")
    await page.locator("#guest").select_option(guest.id)
    await page.locator("#conversation").select_option("chat:alice")
    await expect(page.get_by_role("button", name="Photo")).to_be_enabled()


def teams_images(page: Page, name: str):
    return page.locator("#messages .msg").filter(has_text=f"{name} sent an image").locator("img.teams-image")


async def test_the_guests_photo_shows_in_teams_with_the_bytes_the_product_serves(page, sandbox):
    await at_alices(page, sandbox, "Lau Ming")
    await page.get_by_role("button", name="Photo").click()

    await loaded(page.locator("#chat .bubble.guest img.photo").last, LOADED)  # the phone shows what it sent
    image = teams_images(page, "Lau Ming").last
    await loaded(image, LOADED)
    assert await image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [480, 320]
    src = await image.get_attribute("src")
    assert src.startswith(sandbox.world.urls["bridge"] + "/media/")  # PUBLIC_BASE_URL: the browser reaches it
    assert await bytes_at(src) == sandbox.world.samples.photo.content

    own = photo_png(64, 48)  # a picture of the person's own, through the phone's picker
    await page.locator("#pick-photo").set_input_files(files=[{"name": "own.png", "mimeType": "image/png",
                                                              "buffer": own}])
    await expect(teams_images(page, "Lau Ming")).to_have_count(2)
    mine = teams_images(page, "Lau Ming").last
    await loaded(mine, LOADED)
    assert await bytes_at(await mine.get_attribute("src")) == own


async def test_the_guest_sends_the_voice_note_and_the_phone_shows_it(page, sandbox):
    await at_alices(page, sandbox, "Tse Wing")
    await page.get_by_role("button", name="Voice").click()
    await expect(page.locator("#chat .bubble.guest .voice").last).to_have_text("Voice note · 3″")
    await expect(page.locator("#no-voice")).to_be_hidden()


async def test_the_teams_pane_plays_an_audio_attachment_and_a_cards_media_element(page, sandbox):
    world = sandbox.world

    async def chunks():
        yield wav(1.5)

    stored = await world.components.media.put(chunks(), content_type="audio/wav", max_bytes=1 << 20)
    url = world.components.media_links.url(stored.key, 3600)  # as the product links its media
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "TextBlock", "text": "A voice note"},
        {"type": "Media", "altText": "The voice note", "sources": [{"mimeType": "audio/wav", "url": url}]}]}
    conversation = world.conversation_ids()["chat:bob"]
    async with world.session.post(f"{world.urls['connector']}/v3/conversations/{conversation}/activities", json={
            "type": "message", "text": "Listen",
            "attachments": [{"contentType": "audio/wav", "contentUrl": url, "name": "voice.wav"},
                            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}) as sent:
        assert sent.status == 201  # as the bot posts it

    await page.locator("#conversation").select_option("chat:bob")
    message = page.locator("#messages .msg").filter(has_text="Listen")
    for player in (message.locator("audio.teams-player"), message.locator(".teams-card audio")):
        await expect(player).to_have_attribute("controls", "")
        await loaded(player, PLAYABLE)
        assert abs(await player.evaluate("node => node.duration") - 1.5) < 0.05
    await expect(message.locator(".teams-card")).to_contain_text("A voice note")
