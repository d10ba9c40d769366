"""Screenshots of the main cards as Teams shows them: `python -m tools.card_screenshots [--out docs/cards]`.

Each card is rendered by the official Adaptive Cards renderer in headless Chromium, in the page the
card rendering test uses (`tests/cards/render_page.py`: Teams' light theme, a 500 px card in a
light-grey chat pane), and the pane is saved as one PNG per card. Development only: it needs the test
tools (`scripts/setup.sh dev`: Playwright, Debian's chromium, npm's renderer) and, for the Chinese
card, a CJK font (Debian's fonts-noto-cjk). The QR card's image, which WeChat serves, is replaced by a
drawn placeholder (nothing outside this machine is reached).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from tests.browser import ChromiumMissing, chromium
from tests.cards.render_page import REPO, RendererMissing, card_page, problems
from tests.cards.samples import all_samples

DEFAULT_OUT = REPO / "docs" / "cards"

# file name (without .png) → sample of tests/cards/samples.py
SHOTS: dict[str, str] = {
    "policy-notice": "cards.policy_notice:policy_notice_card [default]",
    "status-active": "cards.status:status_card [active, empty queue]",
    "status-inactive": "cards.status:status_card [inactive by time, some queued]",
    "status-closed": "cards.status:status_card [closed]",
    "queue": "cards.queue:queue_card [full queue, template sent]",
    "warning": "cards.warning:warning_card [default]",
    "leave-confirm": "cards.leave:leave_confirm_card [others stay]",
    "qr-code": "cards.qr_code:qr_code_card [default]",
    "choose-guest": "cards.choose_guest:choose_guest_card [two guests (buttons)]",
    "queue-zh": "cards.queue:queue_card [chinese]",
    "help": "cards.help:help_card [administrator]",
    "admin": "cards.admin:admin_card [healthy]",
    "contacts": "cards.contacts:contacts_card [found]",
}
CHINESE = {"queue-zh"}  # shown to a reader whose Teams is in Chinese (dates and times in zh-CN)
QR_IMAGES = "https://mp.weixin.qq.com/cgi-bin/showqrcode**"


def placeholder_qr(seed: str = "placeholder", modules: int = 25, scale: int = 8) -> str:
    """An SVG that looks like a QR code (three finder patterns, pseudo-random modules) and encodes nothing."""
    bits = "".join(f"{byte:08b}" for i in range(modules) for byte in hashlib.sha256(f"{seed}{i}".encode()).digest())

    def finder(row: int, col: int) -> bool | None:
        for top, left in ((0, 0), (0, modules - 7), (modules - 7, 0)):
            r, c = row - top, col - left
            if -1 <= r <= 7 and -1 <= c <= 7:
                if r in (-1, 7) or c in (-1, 7):
                    return False
                ring = max(abs(r - 3), abs(c - 3))
                return ring != 2
        return None

    cells = []
    for row in range(modules):
        for col in range(modules):
            dark = finder(row, col)
            if dark is None:
                dark = bits[row * modules + col] == "1"
            if dark:
                cells.append(f'<rect x="{(col + 4) * scale}" y="{(row + 4) * scale}" '
                             f'width="{scale}" height="{scale}"/>')
    size = (modules + 8) * scale
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
            f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
            f'<g fill="#000">{"".join(cells)}</g></svg>')


def has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return True  # cannot tell: let the screenshot show it
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


async def take(out: Path, names: list[str]) -> list[str]:
    """Saves the PNGs; returns the renderer's complaints (empty when every card rendered cleanly)."""
    samples = dict(all_samples())
    out.mkdir(parents=True, exist_ok=True)
    complaints = []
    svg = placeholder_qr()
    async with chromium() as browser:
        for locale, group in (("en-US", [n for n in names if n not in CHINESE]),
                              ("zh-CN", [n for n in names if n in CHINESE])):
            if not group:
                continue
            async with card_page(browser, locale=locale) as cards:
                await cards.page.route(QR_IMAGES, lambda route: route.fulfill(body=svg, content_type="image/svg+xml"))
                for name in group:
                    path = out / f"{name}.png"
                    result = await cards.screenshot(samples[SHOTS[name]](), path)
                    complaints += [f"{name}: {line}" for line in problems(result)]
                    complaints += [f"{name}: image did not load: {url}" for url in result["failedImages"]]
                    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                    print(f"{shown}  {result['width']}x{result['height']} px card")
    return complaints


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.card_screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs (default: docs/cards)")
    parser.add_argument("--only", action="append", choices=sorted(SHOTS), help="just this card (repeatable)")
    args = parser.parse_args(argv)
    names = args.only or list(SHOTS)
    if CHINESE.intersection(names) and not has_cjk_font():
        print("no CJK font: Chinese text would show as boxes; install Debian's fonts-noto-cjk "
              "(apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 2
    try:
        complaints = asyncio.run(take(args.out.resolve(), names))
    except (ChromiumMissing, RendererMissing) as exc:
        print(exc, file=sys.stderr)
        return 2
    for line in complaints:
        print(f"renderer: {line}", file=sys.stderr)
    return 1 if complaints else 0


if __name__ == "__main__":
    sys.exit(main())
