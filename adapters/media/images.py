"""core.image_fit.FitImage with Pillow: an image too large (pixels or bytes), of another format, or
animated, re-encoded within the limits. CPU-bound and synchronous: callers run it on a thread.

The header's size is checked before anything is decoded (a 1 MB PNG can claim 100000 × 100000 px); a
JPEG is decoded already scaled down where it can be (Pillow's draft mode), so memory follows the
fitted size, not the photo's.
"""
from __future__ import annotations

import io

from PIL import Image, ImageOps

from core.image_fit import UnfitImage

MAX_PIXELS = 50_000_000  # what may be decoded (a 48-megapixel phone photo), not a decompression bomb
TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp", "BMP": "image/bmp",
         "TIFF": "image/tiff", "MPO": "image/jpeg"}  # Pillow's format -> content type (MPO: a phone's JPEG)
JPEG_QUALITIES = (85, 75, 65)  # tried in turn before the picture is made smaller
SHRINK = 0.8  # each further try, of the side
MIN_SIDE = 16


def fit_image(data: bytes, *, max_side: int, max_bytes: int, formats: frozenset[str]) -> tuple[bytes, str] | None:
    image = _open(data)
    content_type = TYPES.get(image.format or "", "")
    animated = bool(getattr(image, "is_animated", False))  # a second frame, not a count of all
    if (content_type in formats and not animated and max(image.size) <= max_side and len(data) <= max_bytes):
        return None
    target = _target_format(image, content_type, animated, formats)
    if image.format == "JPEG":
        image.draft("RGB", (max_side, max_side))  # decoded at 1/2, 1/4 or 1/8 where that is still large enough
    try:
        image.seek(0)
        picture = ImageOps.exif_transpose(image)  # as the phone showed it: the orientation tag is not kept
        picture = picture.convert(_mode(picture, target))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnfitImage(f"the image cannot be decoded: {exc}") from None
    side = max_side
    while side >= MIN_SIDE:
        resized = picture.copy()
        resized.thumbnail((side, side), Image.Resampling.LANCZOS)
        for quality in JPEG_QUALITIES if target == "JPEG" else (None,):
            encoded = _encode(resized, target, quality)
            if len(encoded) <= max_bytes:
                return encoded, TYPES[target]
        side = int(min(side, max(resized.size)) * SHRINK)
    raise UnfitImage(f"the image does not fit in {max_bytes} bytes")


def _open(data: bytes) -> Image.Image:
    """The image, its header read and nothing decoded; UnfitImage if it is none or claims too many pixels."""
    try:
        image = Image.open(io.BytesIO(data))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnfitImage(f"not an image that can be read: {exc}") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise UnfitImage(f"{width} × {height} pixels: more than {MAX_PIXELS} to decode")
    return image


def _target_format(image: Image.Image, content_type: str, animated: bool, formats: frozenset[str]) -> str:
    """JPEG for a photo, PNG for what has transparency or was PNG (screenshots), and an animation's first frame."""
    lossless = animated or _has_alpha(image) or content_type in ("image/png", "image/gif")
    preferred = ("PNG", "JPEG") if lossless else ("JPEG", "PNG")
    for name in preferred:
        if TYPES[name] in formats:
            return name
    raise UnfitImage("neither JPEG nor PNG is allowed")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _mode(image: Image.Image, target: str) -> str:
    if target == "PNG" and _has_alpha(image):
        return "RGBA"
    return "L" if image.mode in ("1", "L") else "RGB"


def _encode(image: Image.Image, target: str, quality: int | None) -> bytes:
    out = io.BytesIO()
    if target == "JPEG":
        image.save(out, "JPEG", quality=quality, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
