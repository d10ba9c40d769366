"""Voice notes and videos made at test time by the bundled ffmpeg (nothing binary in the repo)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import AsyncIterator

from adapters.media.ffmpeg import ffmpeg_binary


def made(folder: Path, name: str, *args: str) -> bytes:
    """What ffmpeg writes from lavfi `args` (inputs and codec options) into `folder/name`."""
    path = folder / name
    subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", *args, "-y", str(path)],
                   check=True, timeout=60)
    return path.read_bytes()


def amr_voice(folder: Path, seconds: float = 3.0) -> bytes:
    """A voice note as WeChat sends it: AMR-NB, 8 kHz, mono (a tone, `seconds` long)."""
    return made(folder, "voice.amr", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                "-c:a", "libopencore_amrnb", "-ar", "8000", "-ac", "1")


def silent_amr(folder: Path, seconds: float = 2.0) -> bytes:
    return made(folder, "silence.amr", "-f", "lavfi", "-i", f"anullsrc=r=8000:cl=mono:d={seconds}",
                "-c:a", "libopencore_amrnb", "-ar", "8000", "-ac", "1")


def mp3_audio(folder: Path, seconds: float) -> bytes:
    return made(folder, "audio.mp3", "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                "-c:a", "libmp3lame", "-b:a", "32k")


def mp4_video(folder: Path, seconds: float = 2.0) -> bytes:
    return made(folder, "video.mp4", "-f", "lavfi", "-i", f"testsrc=size=1280x720:rate=25:duration={seconds}",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4")


def phone_video(folder: Path, seconds: float = 2.0, *, size: str = "1280x720", rate: int = 25,
                noise_mbps: int = 0) -> bytes:
    """A QuickTime .mov as a phone records it: H.264 and AAC sound. `noise_mbps`: a picture of noise at
    that bitrate (noise does not compress: the file is as large as the bitrate says)."""
    picture = f"nullsrc=size={size}:rate={rate}:duration={seconds},geq=random(1)*255:128:128" if noise_mbps \
        else f"testsrc=size={size}:rate={rate}:duration={seconds}"
    bitrate = ("-b:v", f"{noise_mbps}M", "-maxrate", f"{noise_mbps}M", "-bufsize", f"{noise_mbps}M") if noise_mbps \
        else ()
    return made(folder, "phone.mov", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i",
                f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", *bitrate, "-c:a", "aac", "-shortest", "-f", "mov")


def video_streams(folder: Path, data: bytes) -> str:
    """ffmpeg's own description of the streams in `data` (codecs and picture size)."""
    path = folder / "probe"
    path.write_bytes(data)
    said = subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", str(path)],
                          timeout=60, capture_output=True).stderr.decode("utf-8", "replace")
    return "\n".join(line for line in said.splitlines() if "Stream #" in line)


def decoded_seconds(folder: Path, data: bytes, name: str = "check") -> float:
    """How long `data` plays, decoded to the end by ffmpeg (not read from a header)."""
    path = folder / name
    path.write_bytes(data)
    report = subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats",
                             "-progress", "pipe:1", "-i", str(path), "-f", "null", "-"],
                            check=True, timeout=60, capture_output=True).stdout.decode()
    return int([line for line in report.splitlines() if line.startswith("out_time_us=")][-1][12:]) / 1e6


async def chunks(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def joined(source: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in source])
