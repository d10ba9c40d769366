"""The simulators' reading of media headers (simulators/media_formats.py): the format from the bytes, an
image's size, a voice note's length."""
from __future__ import annotations

import pytest

from simulators.media_formats import image_size, sniff, voice_seconds
from tests import media_samples as samples


@pytest.mark.parametrize("content, expected", [
    (samples.image("PNG"), "png"), (samples.image("JPEG"), "jpeg"), (samples.image("GIF"), "gif"),
    (samples.amr(1), "amr"), (samples.mp3(1), "mp3"), (b"ID3" + bytes(20), "mp3"), (samples.mp4(), "mp4"),
    (b"%PDF-1.7", None), (b"", None), (b"\xff", None),
])
def test_the_format_is_read_from_the_bytes(content, expected):
    assert sniff(content) == expected


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_an_images_size_is_read_from_its_header(fmt):
    assert image_size(samples.image(fmt, (321, 123))) == (321, 123)
    assert image_size(samples.mp4()) is None


def test_a_progressive_jpegs_size_is_read_too():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480)).save(out, format="JPEG", progressive=True)
    assert image_size(out.getvalue()) == (640, 480)


def test_a_voice_notes_length_is_counted_from_its_frames():
    assert voice_seconds(samples.amr(12.5)) == 12.5
    assert voice_seconds(samples.mp3(10)) == pytest.approx(10, abs=0.03)
    tag = b"ID3\x04\x00\x00\x00\x00\x01\x00" + bytes(128)  # an ID3v2 tag of 128 bytes before the frames
    assert voice_seconds(tag + samples.mp3(10)) == voice_seconds(samples.mp3(10))
    assert voice_seconds(samples.mp4()) is None
