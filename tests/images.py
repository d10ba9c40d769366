"""Real images for the tests (Pillow), as a phone would send them: made here, never read from files."""
from __future__ import annotations

import io
import random

from PIL import Image


def photo(width: int = 64, height: int = 48, *, quality: int = 90, seed: int = 1) -> bytes:
    """A JPEG of noise a third of the size, scaled up: it compresses like a photo (3000 × 2000: 3.5 MB)."""
    w, h = max(1, width // 3), max(1, height // 3)
    noise = Image.frombytes("RGB", (w, h), random.Random(seed).randbytes(w * h * 3))
    return encoded(noise.resize((width, height), Image.Resampling.BILINEAR), "JPEG", quality=quality)


def animated_gif(width: int = 40, height: int = 30) -> bytes:
    frames = [Image.new("RGB", (width, height), (80 * i, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))
