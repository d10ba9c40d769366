"""Screenshots of the sandbox page: `python -m tools.sandbox_screenshots [--out docs/sandbox]`.

Starts the sandbox in this process (free ports, a temporary data folder), plays a short scene
through it and saves the page as PNGs: a guest who scanned Alice's QR code talking with her
(`conversation.png`), the 24 h warning after the clock moved (`warning.png`), a Private Bank guest
validating their number with the PIN from the SMS and reaching Carol (`phone-validation.png`), and
a guest the routing assistant could not place, answered in the team's inbox (`inbox.png`).
Development only: it needs the test tools (`scripts/setup.sh dev`: Playwright, Debian's chromium)
and, for the Chinese texts, a CJK font (`scripts/setup.sh dev` installs Debian's fonts-wqy-microhei
when there is none); without one it refuses rather than draw Chinese as boxes.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "docs" / "sandbox"
WIDTH, HEIGHT = 1440, 960


async def take(out: Path) -> list[Path]:
    from playwright.async_api import expect

    from sandbox import views
    from sandbox.server import running
    from tests.browser import chromium, console_problems, new_page

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sandbox-screenshots-") as data:
        async with running(0, Path(data)) as box, chromium() as browser, \
                new_page(browser, width=WIDTH, height=HEIGHT) as page:
            world = box.world
            problems = console_problems(page)
            chen, wang, ho = list(world.guests.values())[:3]

            async def show(guest_id: str, conversation: str, *texts: str) -> None:
                await page.locator("#guest").select_option(guest_id)
                await page.locator("#conversation").select_option(conversation)
                for text in texts:
                    await expect(page.locator("main")).to_contain_text(text)
                await page.evaluate("document.activeElement && document.activeElement.blur()")

            async def shot(name: str) -> None:
                path = out / f"{name}.png"
                await page.screenshot(path=str(path), animations="disabled", caret="hide")
                saved.append(path)

            await page.goto(box.url)
            # Alice's QR code, a question, her answers.
            await world.guest_scans(chen.id, "alice")
            await world.guest_says(chen.id, "Hello Alice, could we review my mortgage this week?")
            await world.employee_says("chat:alice", "alice", "Of course, Mr Chen. Would Thursday at 10:00 suit you?")
            await world.guest_says(chen.id, "Thursday is perfect, thank you.")
            await world.employee_says("chat:alice", "alice", "Booked. I will bring the refinancing options.")
            await show(chen.id, "chat:alice", "Booked. I will bring")
            await shot("conversation")

            # A day without a word from the guest: the policy warns Alice.
            await page.get_by_role("button", name="+24 h").click()
            await expect(page.locator("#messages")).to_contain_text("has not responded for 24 hours")
            await expect(page.locator("#clock-offset")).to_have_text("(+24 h)")
            await shot("warning")

            # The Private Bank: the number first (the PIN by SMS), then whom they want.
            await world.guest_follows(ho.id)
            for text in ("Hello, I would like to speak to my banker", ho.phone):
                await world.guest_says(ho.id, text)
            sms = world.twilio.messages[-1].body
            await world.guest_says(ho.id, re.search(r"(?<!\d)\d{6}(?!\d)", sms).group(0))
            await world.guest_says(ho.id, "Carol Chan please")
            await show(ho.id, "chat:carol", "connected with Carol Chan", "verification code")
            await shot("phone-validation")

            # Nobody found: the sub-organization's inbox, where Bob answers in the guest's thread.
            await world.guest_follows(wang.id)
            for text in ("你好", "我找上周那位先生", "不记得名字了", "就是上周打电话的那位"):
                await world.guest_says(wang.id, text)
            root = views.teams(world, "channel:wealth")["threads"][-1]["root"]
            await world.employee_says("channel:wealth", "bob", "您好，我是李波，上周是我给您打的电话。", thread=root)
            await show(wang.id, "channel:wealth", "我是李波")
            await page.locator("#as").select_option("bob")
            # from its start
            await page.locator("#messages .thread.chosen").evaluate("thread => thread.scrollIntoView()")
            await shot("inbox")
            if problems:
                raise RuntimeError("the page complained: " + "; ".join(problems))
    return saved


def cjk_font_installed() -> bool:
    """Does fontconfig (which Chromium asks) know a Chinese font?"""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return False
    return bool(listed.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.sandbox_screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs (default: docs/sandbox)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    from tests.browser import ChromiumMissing

    if not cjk_font_installed():
        print("No Chinese font is installed, so Chinese would be drawn as boxes: run scripts/setup.sh dev "
              "(it installs fonts-wqy-microhei).", file=sys.stderr)
        return 2
    try:
        saved = asyncio.run(take(args.out.resolve()))
    except ChromiumMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in saved:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
