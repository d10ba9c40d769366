"""adapters/media/images.py, the image fitting (core/image_fit.py's port) on its own: what fits is left
alone, what does not is re-encoded within the limits as the kind of picture it is, and nothing claims
more pixels than may be decoded. Through the inbound service: tests/services/test_inbound_media.py."""
from __future__ import annotations

import random
import struct
import zlib

import pytest
from PIL import Image

from adapters.media.images import fit_image
from core.image_fit import TEAMS_INLINE, UnfitImage, fit
from tests.images import encoded, opened, photo


def test_what_fits_is_left_alone():
    assert fit(fit_image, photo(1024, 700), TEAMS_INLINE) is None
    assert fit(fit_image, encoded(Image.new("RGBA", (10, 10)), "PNG"), TEAMS_INLINE) is None


def test_a_transparent_picture_stays_a_png_with_its_transparency():
    picture = Image.new("RGBA", (2048, 1024), (255, 0, 0, 0))
    fitted, content_type = fit(fit_image, encoded(picture, "PNG"), TEAMS_INLINE)
    assert content_type == "image/png" and opened(fitted).size == (1024, 512) and opened(fitted).mode == "RGBA"


def test_another_format_becomes_a_jpeg_for_a_photo():
    fitted, content_type = fit(fit_image, encoded(Image.new("RGB", (300, 200), "blue"), "WEBP"), TEAMS_INLINE)
    assert content_type == "image/jpeg" and opened(fitted).size == (300, 200)


def test_a_photo_taken_sideways_is_turned_as_the_phone_showed_it():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90° clockwise
    sideways = encoded(Image.new("RGB", (2000, 1000), "green"), "JPEG", exif=exif.tobytes())
    fitted, _ = fit(fit_image, sideways, TEAMS_INLINE)
    assert opened(fitted).size == (512, 1024)


def test_a_picture_that_will_not_compress_is_made_smaller_until_it_fits():
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(3).randbytes(3_000_000))
    fitted, _ = fit_image(encoded(noise, "PNG"), max_side=1024, max_bytes=100_000, formats=frozenset({"image/png"}))
    assert len(fitted) <= 100_000 and max(opened(fitted).size) < 1000


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels: its header and where its data would begin."""
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)) + \
        _chunk(b"IDAT", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.parametrize("side", [8_000, 100_000])  # 64 million pixels (Pillow would decode it), 10 billion
def test_a_decompression_bomb_is_refused_from_its_header(side):
    with pytest.raises(UnfitImage, match="pixels"):
        fit(fit_image, png_header(side, side), TEAMS_INLINE)


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_what_is_no_readable_image_is_unfit(data):
    with pytest.raises(UnfitImage):
        fit(fit_image, data, TEAMS_INLINE)
