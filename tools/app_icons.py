"""Draw the Teams app's two icons: `python -m tools.app_icons` rewrites manifest/color.png and
manifest/outline.png (same bytes every time for the same Pillow). A development tool: the packager
(tools/app_package.py) only copies the PNG files committed here.

The mark is our own: one speech bubble (a rounded square with its tail at the bottom left) holding two
arrows that point opposite ways, messages going over and coming back. Nothing of WeChat's logo (two
bubbles with eyes) nor of its green. It is drawn in a 120×120 box of "mark units" at 4× and
downsampled with a box filter, so its edges are antialiased and nothing bleeds outside the box.

- color.png: 192×192, ACCENT full bleed, the mark in white inside the central 120×120 square.
- outline.png: 32×32, the mark alone in white (#FFFFFF) on transparency (only the alpha varies).
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from tools.app_package import ACCENT, MANIFEST_DIR

COLOR_SIZE = 192
OUTLINE_SIZE = 32
SAFE_SIZE = 120  # the central square of color.png the mark must stay within
SUPERSAMPLE = 4

# The mark, in units of its 120×120 box.
BUBBLE = (6, 10, 114, 90)  # the rounded square's bounding box
BUBBLE_RADIUS = 24
TAIL = ((22, 82), (12, 112), (54, 88))
SHAFT = 10  # the arrows' thickness (about 2.7 px at 32 px)
# Each arrow: its shaft (x from, x to, y of its middle) and its head (base x, tip x); heads are 26 tall.
ARROWS = (((30, 76, 36), (74, 94)),  # over, to the right
          ((44, 90, 64), (46, 26)))  # back, to the left
HEAD = 13  # half a head's height


def _mark(size: int, scale: float, offset: float) -> Image.Image:
    """The mark as an 8-bit mask (255: the mark), `size` pixels square, the mark's box at `offset`
    pixels and `scale` pixels per unit, drawn at SUPERSAMPLE× and box-downsampled."""
    s = scale * SUPERSAMPLE
    o = offset * SUPERSAMPLE

    def pt(x: float, y: float) -> tuple[float, float]:
        return (o + x * s, o + y * s)

    big = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    draw.rounded_rectangle([*pt(*BUBBLE[:2]), *pt(*BUBBLE[2:])], radius=BUBBLE_RADIUS * s, fill=255)
    draw.polygon([pt(*p) for p in TAIL], fill=255)
    for (x0, x1, y), (base, tip) in ARROWS:  # cut out of the bubble: the background shows through
        draw.rectangle([*pt(x0, y - SHAFT / 2), *pt(x1, y + SHAFT / 2)], fill=0)
        draw.polygon([pt(base, y - HEAD), pt(tip, y), pt(base, y + HEAD)], fill=0)
    return big.resize((size, size), Image.Resampling.BOX)


def _rgb(color: str) -> tuple[int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def color_icon() -> Image.Image:
    """192×192 RGB: ACCENT everywhere, the mark in white within the central 120×120."""
    offset = (COLOR_SIZE - SAFE_SIZE) / 2
    mask = _mark(COLOR_SIZE, SAFE_SIZE / 120, offset)
    image = Image.new("RGB", (COLOR_SIZE, COLOR_SIZE), _rgb(ACCENT))
    image.paste((255, 255, 255), (0, 0, COLOR_SIZE, COLOR_SIZE), mask)
    return image


def outline_icon() -> Image.Image:
    """32×32 RGBA: every pixel white, the mark in the alpha channel (transparent elsewhere)."""
    mask = _mark(OUTLINE_SIZE, OUTLINE_SIZE / 120, 0)
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (255, 255, 255, 0))
    image.putalpha(mask)
    return image


def write(directory: Path = MANIFEST_DIR) -> list[Path]:
    """Draw both icons into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "color.png", directory / "outline.png"]
    for path, image in zip(paths, (color_icon(), outline_icon())):
        image.save(path, format="PNG", optimize=False, compress_level=9)
    return paths


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else MANIFEST_DIR
    for path in write(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
