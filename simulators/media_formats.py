"""What a medium really is, read from its first bytes (never its name), for the simulators: its format,
an image's pixel size, a voice note's length. Headers and frame headers only: no decoder, no dependency.
"""
from __future__ import annotations

import struct

# format -> how its bytes begin (MP4: `ftyp` after the box size; MP3: an ID3 tag or a frame's sync)
_MAGIC = (
    ("png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("gif", lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    ("amr", lambda b: b.startswith(b"#!AMR\n")),
    ("mp4", lambda b: b[4:8] == b"ftyp"),
    ("mp3", lambda b: b.startswith(b"ID3") or (len(b) > 1 and b[0] == 0xFF and b[1] & 0xE6 == 0xE2)),
)


def sniff(content: bytes) -> str | None:
    """png | jpeg | gif | amr | mp4 | mp3, or None for anything else."""
    return next((name for name, matches in _MAGIC if matches(content)), None)


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG, None if the header does not say."""
    kind = sniff(content)
    if kind == "png" and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    if kind == "gif" and len(content) >= 10:
        return struct.unpack("<HH", content[6:10])
    if kind == "jpeg":
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(content):
        if content[at] != 0xFF:
            return None
        marker, length = content[at + 1], struct.unpack(">H", content[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height, width = struct.unpack(">HH", content[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def is_animated_gif(content: bytes) -> bool:
    """More than one image in a GIF (Teams shows no animated GIF inline)."""
    return sniff(content) == "gif" and content.count(b"\x21\xf9\x04") > 1  # a graphic control block per frame


# AMR-NB: 20 ms frames whose size (header byte included) follows from the frame type.
_AMR_FRAME_BYTES = (13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1)
# MP3: kbit/s by index, for MPEG-1 layer III and MPEG-2/2.5 layer III
_MP3_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0),
                 2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def voice_seconds(content: bytes) -> float | None:
    """The length of an AMR or MP3 voice note counted from its frames, None for another format."""
    kind = sniff(content)
    if kind == "amr":
        at, frames = 6, 0
        while at < len(content):
            at += _AMR_FRAME_BYTES[(content[at] >> 3) & 0x0F]
            frames += 1
        return frames / 50
    if kind == "mp3":
        return _mp3_seconds(content)
    return None


def _mp3_seconds(content: bytes) -> float:
    at, seconds = 0, 0.0
    if content.startswith(b"ID3") and len(content) >= 10:  # the tag's size: four 7-bit bytes
        at = 10 + sum((byte & 0x7F) << (7 * (3 - i)) for i, byte in enumerate(content[6:10]))
    while at + 4 <= len(content):
        b1, b2 = content[at + 1], content[at + 2]
        version = (b1 >> 3) & 3
        if content[at] != 0xFF or b1 & 0xE0 != 0xE0 or version == 1 or (b1 >> 1) & 3 != 1:
            break  # not a layer III frame: the end, or a trailing tag
        bitrate = _MP3_BITRATES[1 if version == 3 else 2][b2 >> 4] * 1000
        rate_index = (b2 >> 2) & 3
        if not bitrate or rate_index == 3:
            break
        rate = _MP3_RATES[version][rate_index]
        samples = 1152 if version == 3 else 576
        at += samples // 8 * bitrate // rate + ((b2 >> 1) & 1)
        seconds += samples / rate
    return seconds
