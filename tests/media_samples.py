"""Small real media files for the tests, made in memory: images by Pillow, voice notes as AMR or MP3 frames
(silence: the frame headers are what WeChat and the simulators read), an MP4's first box."""
from __future__ import annotations

import io

from PIL import Image

AMR_FRAME = b"\x3c" + bytes(31)  # AMR-NB 12.2 kbit/s: a 32-byte frame holds 20 ms
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes, 1152 samples


def image(fmt: str = "PNG", size: tuple[int, int] = (8, 8), *, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def amr(seconds: float) -> bytes:
    return b"#!AMR\n" + AMR_FRAME * round(seconds / 0.02)


def mp3(seconds: float) -> bytes:
    return MP3_FRAME * int(seconds * 44100 / 1152)  # whole frames, not past `seconds`


def mp4(size: int = 1024) -> bytes:
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return head + bytes(max(0, size - len(head)))


def padded(content: bytes, size: int) -> bytes:
    """`content` grown to `size` bytes (trailing bytes no reader of the header looks at)."""
    return content + bytes(size - len(content))
