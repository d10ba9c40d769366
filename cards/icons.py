"""The WeChat mark shown on every WeChat card: two white chat bubbles on a green tile.

Drawn here, in code, as a small PNG (no download, no binary file in the repo) and inlined as a
`data:` URI, which Adaptive Cards accept for `Image.url` since 1.2. PNG rather than SVG: Teams'
clients do not render SVG data URIs in cards. Deterministic: the same bytes on every import.
"""
from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

SIZE = 48          # pixels; shown at DISPLAY_PX, so it stays sharp on 2x screens
DISPLAY_PX = 20
GREEN = (7, 193, 96)     # WeChat's green, #07C160
WHITE = (255, 255, 255)
_SUPERSAMPLE = 4         # 4x4 samples per pixel: smooth edges without an imaging library


def _inside_ellipse(x: float, y: float, cx: float, cy: float, rx: float, ry: float) -> bool:
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def _inside_triangle(x: float, y: float, a: tuple[float, float], b: tuple[float, float],
                     c: tuple[float, float]) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float]) -> float:
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])
    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _inside_tile(x: float, y: float, size: float, radius: float) -> bool:
    """A rounded square covering the whole canvas."""
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def _sample(x: float, y: float) -> tuple[tuple[int, int, int], bool]:
    """Colour and coverage of one sample point, in a 48-unit coordinate system."""
    if not _inside_tile(x, y, 48, 11):
        return GREEN, False
    # the small bubble (front, lower right), ringed in green so the two bubbles read apart
    small = (30.5, 29.5, 11.5, 9.5)
    if _inside_ellipse(x, y, *small) or _inside_triangle(x, y, (36, 36), (40.5, 41.5), (39, 34)):
        for ex in (26.5, 34.5):
            if _inside_ellipse(x, y, ex, 27.5, 1.6, 1.6):
                return GREEN, True
        return WHITE, True
    if _inside_ellipse(x, y, small[0], small[1], small[2] + 2.2, small[3] + 2.2):
        return GREEN, True
    # the big bubble (back, upper left) with its tail towards the lower left
    if _inside_ellipse(x, y, 19.5, 19.5, 13.5, 11.5) or _inside_triangle(x, y, (10, 26), (8.5, 34), (17, 29)):
        for ex in (14.5, 24.5):
            if _inside_ellipse(x, y, ex, 16.5, 1.9, 1.9):
                return GREEN, True
        return WHITE, True
    return GREEN, True


def _pixels() -> list[bytes]:
    """RGBA scanlines, each prefixed by PNG filter type 0."""
    n = _SUPERSAMPLE
    scale = 48 / SIZE
    rows = []
    for py in range(SIZE):
        row = bytearray(b"\x00")
        for px in range(SIZE):
            r = g = b = a = 0
            for sy in range(n):
                for sx in range(n):
                    colour, covered = _sample((px + (sx + 0.5) / n) * scale, (py + (sy + 0.5) / n) * scale)
                    if covered:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            if a:
                row += bytes((r // a, g // a, b // a, round(255 * a / (n * n))))
            else:
                row += b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    return rows


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def render_png() -> bytes:
    """The mark as a complete PNG file (8-bit RGBA, non-interlaced)."""
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"".join(_pixels()), 9)) + _chunk(b"IEND", b""))


# render_png()'s output, kept as a constant so importing cards costs nothing (drawing takes ~0.3 s);
# tests/cards/test_cards.py checks the two are identical. Regenerate after changing the drawing.
_WECHAT_PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAACY0lEQVR42t1asU7DMBD1xtqJT2DuwifwB3wAAwtbpc5I"
    "kRiYYWVDYo4YGSsYGKjaAQkGhiIGhg4eEGJgMHlVjI6ots+xHZyedGoTn517vvPdOY4QBtqaHAwqHlVcViwrVh2zrJ8N"
    "HQaCS7XixT8pbQNTOIFUAsOKZxkp3mToNrQpLzNWnlpjuM5tZj1QnlpiQAEUPVJec0FnX/YQgFxZoQ5Tqqc8EnWs9e68"
    "+3CsThalmsgntfhaKkq4xn20Qy4hgFL4us/h84Waf7wqH4I8+qVwI8EV3rkfr2Y1hNAf48QEIbjuIr8/VQzCODHdSnSp"
    "fAoQVgDbd0fRlacgMH5SAJfvt2sfjiiDtmb08ZVDWzIAWGwmpfTM4dekHFcudFEbAZy/3bBmzWQlrhyekwSAKWTGsADG"
    "ppwEQIhvUznMMDLy/uNZlEUbBQA3ykDxFEonB3C9nP5RHP9RSuB+swzBNe6jvQ1Y7zXgIsw6Vdy0eE0EeR8g3lHIRjSi"
    "wOfbJkH0Q/8kecBWqNGKNQZxKthWmdiWkPbmp1FLDoyXvBbSScuWF9oSzSfJqlHtrybX0e34bdNucyXWfsA0sCZX5HKF"
    "Z1e7LVuzACA02raLrtwRaoEmSG8ASDSc6JOSggA0s6cuE8A09mcLoBlxTDV86KafY2VvADquwwqumBwrgUWNQug8frli"
    "pfUs84AvZ5WJ23IsV6KVbacAQqvRLACE7Ad02Obsl0UXZwO+OzIdDGBBzsvdMsd3/7qIdLw3KrM+4IBVHDuzUfZHTJYc"
    "IH8P+np9yLcRx6y9P+jeiE8NNuJjjz5+bvMD6ll5ZCcpB0YAAAAASUVORK5CYII="
)
WECHAT_PNG: bytes = base64.b64decode(_WECHAT_PNG_BASE64)
WECHAT_ICON_URL: str = "data:image/png;base64," + _WECHAT_PNG_BASE64


def wechat_icon(*, alt_text: str, element_id: str | None = None) -> dict[str, Any]:
    """The mark as an Adaptive Card `Image` element, small and square."""
    image: dict[str, Any] = {"type": "Image", "url": WECHAT_ICON_URL, "altText": alt_text,
                             "width": f"{DISPLAY_PX}px", "height": f"{DISPLAY_PX}px"}
    if element_id:
        image["id"] = element_id
    return image
