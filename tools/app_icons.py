"""Draw the Teams app's two icons: `python -m tools.app_icons` rewrites manifest/color.png and
manifest/outline.png (same bytes every time for the same Pillow).

The mark: two speech bubbles joined — an oval one behind with two eyes (WeChat's side) and a
rounded-square one in front with three dots (the Teams chat answering it), separated by a thin gap
so they read as two at 32 px. It is drawn in a 120×120 box of "mark units" at 4× and downsampled
with a box filter, so its edges are antialiased and nothing bleeds outside the box.

- color.png: 192×192, ACCENT full bleed, the mark in white inside the central 120×120 square.
- outline.png: 32×32, the mark alone in white (#FFFFFF) on transparency (only the alpha varies).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw

ACCENT = "#07A35A"  # the manifest's accentColor and color.png's background: a deep WeChat green
COLOR_SIZE = 192
OUTLINE_SIZE = 32
SAFE_SIZE = 120  # the central square of color.png the mark must stay within
SUPERSAMPLE = 4
MANIFEST_DIR = Path(__file__).resolve().parent.parent / "manifest"

# The mark, in units of its 120×120 box.
BACK = (6, 10, 94, 84)  # the oval bubble's bounding box
BACK_TAIL = ((18, 68), (8, 94), (42, 80))
FRONT = (50, 50, 114, 106)  # the rounded-square bubble
FRONT_RADIUS = 17
FRONT_TAIL = ((86, 100), (113, 117), (110, 86))
GAP = 7  # the background showing between the two bubbles (about 2 px at 32 px)
EYES = ((31, 37), (57, 37))
EYE_RADIUS = 6
DOTS = ((67, 79), (82, 79), (97, 79))
DOT_RADIUS = 5


def _mark(size: int, scale: float, offset: float, *, gap: float = GAP, dots: bool = True) -> Image.Image:
    """The mark as an 8-bit mask (255: the mark), `size` pixels square, the mark's box at `offset`
    pixels and `scale` pixels per unit, drawn at SUPERSAMPLE× and box-downsampled."""
    s = scale * SUPERSAMPLE
    o = offset * SUPERSAMPLE

    def pt(x: float, y: float) -> tuple[float, float]:
        return (o + x * s, o + y * s)

    def box(b: tuple[float, float, float, float], grow: float = 0) -> list[float]:
        return [*pt(b[0] - grow, b[1] - grow), *pt(b[2] + grow, b[3] + grow)]

    def circle(draw: ImageDraw.ImageDraw, c: tuple[float, float], r: float, fill: int) -> None:
        draw.ellipse(box((c[0] - r, c[1] - r, c[0] + r, c[1] + r)), fill=fill)

    def bubble(draw: ImageDraw.ImageDraw, body: Callable[[float], None], tail: tuple[tuple[float, float], ...],
               grow: float, fill: int) -> None:
        body(grow)
        points = [pt(*p) for p in tail]
        draw.polygon(points, fill=fill)
        if grow:  # the tail, grown by `grow` on every side: a thick outline with round joints
            width = round(2 * grow * s)
            draw.line([*points, points[0], points[1]], fill=fill, width=width, joint="curve")
            for p in tail:
                circle(draw, p, grow, fill)

    big = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    back = lambda grow: draw.ellipse(box(BACK, grow), fill=255)  # noqa: E731
    bubble(draw, back, BACK_TAIL, 0, 255)
    for eye in EYES:
        circle(draw, eye, EYE_RADIUS, 0)
    front = lambda grow, fill: draw.rounded_rectangle(  # noqa: E731
        box(FRONT, grow), radius=(FRONT_RADIUS + grow) * s, fill=fill)
    bubble(draw, lambda grow: front(grow, 0), FRONT_TAIL, gap, 0)  # the gap around the front bubble
    bubble(draw, lambda grow: front(grow, 255), FRONT_TAIL, 0, 255)
    if dots:
        for dot in DOTS:
            circle(draw, dot, DOT_RADIUS, 0)
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
