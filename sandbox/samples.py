"""The phone's sample media, made at every start (nothing downloaded): a photo drawn here, as a PNG,
and a short voice note in AMR, as WeChat records them, encoded by the ffmpeg of `imageio_ffmpeg`.
Without that package (or an ffmpeg without the AMR encoder) there is no voice note, and `Samples`
says why."""
from __future__ import annotations

import asyncio
import math
import struct
import zlib
from dataclasses import dataclass

PHOTO_SIZE = (480, 320)
VOICE_SECONDS = 3
FFMPEG_SECONDS = 30  # an encoding that takes longer has failed
NO_VOICE = "no voice note: the imageio-ffmpeg package (its ffmpeg encodes AMR) is not installed"


@dataclass(frozen=True)
class Medium:
    content: bytes
    content_type: str
    seconds: float = 0.0  # a voice note's duration


@dataclass(frozen=True)
class Samples:
    photo: Medium
    voice: Medium | None
    why_no_voice: str = ""


async def make_samples() -> Samples:
    photo = Medium(await asyncio.to_thread(photo_png, *PHOTO_SIZE), "image/png")
    voice, why = await voice_amr(VOICE_SECONDS)
    return Samples(photo, voice, why)


# --- the photo ----------------------------------------------------------------------------------

def photo_png(width: int, height: int) -> bytes:
    """A landscape: a sky paling to the horizon, a sun, two ranges of hills and a lake."""
    rows = bytearray()
    sun_x, sun_y, sun_r = width * 0.72, height * 0.28, height * 0.11
    for y in range(height):
        rows.append(0)  # PNG filter type 0 (None) for each row
        for x in range(width):
            rows += bytes(_pixel(x / width, y / height, math.hypot(x - sun_x, y - sun_y) / sun_r))
    return _png(width, height, bytes(rows))


def _pixel(u: float, v: float, sun: float) -> tuple[int, int, int]:
    far = 0.55 + 0.06 * math.sin(u * 9.0) + 0.03 * math.sin(u * 23.0 + 1.0)
    near = 0.68 + 0.08 * math.sin(u * 5.0 + 2.0)
    if v > 0.82:  # the lake mirrors the sky, darker, with ripples
        r, g, b = _sky(1.6 - v)
        ripple = 0.9 + 0.05 * math.sin(v * 140.0 + 2.0 * math.sin(u * 11.0))
        return int(r * ripple * 0.8), int(g * ripple * 0.85), int(b * ripple)
    if v > near:
        shade = 1.0 - (v - near) * 1.5
        return int(60 * shade), int(140 * shade), int(70 * shade)
    if v > far:
        return 96, 130 + int(40 * (v - far) / 0.2), 150
    if sun < 1.0:
        return 255, 214, 90
    glow = max(0.0, 1.0 - (sun - 1.0) / 2.5) * 0.35
    r, g, b = _sky(v)
    return int(r + (255 - r) * glow), int(g + (230 - g) * glow), int(b + (160 - b) * glow)


def _sky(v: float) -> tuple[float, float, float]:
    t = min(1.0, max(0.0, v / 0.6))
    return 70 + 150 * t, 130 + 100 * t, 210 + 35 * t


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


# --- the voice note -----------------------------------------------------------------------------

def _ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return imageio_ffmpeg.get_ffmpeg_exe()


async def voice_amr(seconds: int) -> tuple[Medium | None, str]:
    """(an AMR-NB voice note of `seconds`: a rising and falling tone, 8 kHz mono, or None, why not)."""
    ffmpeg = await asyncio.to_thread(_ffmpeg)
    if ffmpeg is None:
        return None, NO_VOICE
    tone = f"aevalsrc=0.5*sin(2*PI*t*(330+110*sin(2*PI*t/{seconds}))):s=8000:d={seconds}"
    process = await asyncio.create_subprocess_exec(
        ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", tone, "-c:a", "libopencore_amrnb",
        "-ar", "8000", "-ac", "1", "-b:a", "12.2k", "-f", "amr", "pipe:1",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), FFMPEG_SECONDS)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return None, "no voice note: ffmpeg did not finish encoding it"
    if process.returncode != 0 or not out.startswith(b"#!AMR\n"):
        first = err.decode(errors="replace").strip().splitlines()[:1]
        return None, "no voice note: ffmpeg could not encode AMR" + (f" ({first[0]})" if first else "")
    return Medium(out, "audio/amr", float(seconds)), ""
