"""The media converter (core/transcoding.py's Transcoder) on ffmpeg, run as a separate process.

ffmpeg is FFMPEG_BINARY if set (Debian's `ffmpeg`), else the binary the imageio-ffmpeg wheel ships
(GPL-licensed, never linked: only executed). Each conversion gets a folder of its own under the
work folder the caller gives: the source is streamed into a file there, ffmpeg writes its output
beside it, the output is streamed back and the folder removed, so memory holds a chunk whatever
the size. ffmpeg runs with no shell and no stdin, reads local files only (`-protocol_whitelist file`)
through the demuxers of real media (`-format_whitelist`: no playlists or concat lists naming other
files), and is killed past its time limit. Durations come from its `-progress` report (there is no
ffprobe in the wheel).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import AsyncIterable, AsyncIterator, Sequence

from core.transcoding import JPEG, MP3, MP4, WAV, Converted, TooBig, TooLong, TranscodeError, TranscodeTimeout

READ_CHUNK_BYTES = 256 * 1024
DEMUXERS = "amr,amrnb,amrwb,ogg,mp3,wav,aac,flac,caf,mov,matroska,avi,flv,mpegts"
# Voice in Teams: AMR is 8 kHz (WB 16 kHz) speech, so 16 kHz mono at 48 kbit/s loses nothing of it and
# keeps 60 s at 360 KB.
TEAMS_VOICE = ("-vn", "-ac", "1", "-ar", "16000", "-c:a", "libmp3lame", "-b:a", "48k", "-f", "mp3")
SPEECH_AUDIO = ("-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav")
WECHAT_VOICE = ("-vn", "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3")
WECHAT_VOICE_MAX_SECONDS = 60.0
WECHAT_VOICE_MAX_BYTES = 2 * 1024 * 1024
THUMB_MAX_BYTES = 64 * 1024
WECHAT_VIDEO_MAX_BYTES = 10 * 1024 * 1024
VIDEO_AUDIO_KBPS = 64
VIDEO_MIN_KBPS = 150  # below this the picture is no longer worth watching: the video is refused as too long
VIDEO_MAX_KBPS = 2500  # a short clip needs no more at 720p
VIDEO_SHARE_OF_BUDGET = 0.92  # the MP4 container and the encoder's overshoot take the rest
VIDEO_TRIES = (1.0, 0.8, 0.6)  # the bitrate's share on each try, when a try still comes out too large
# The picture's largest width for the bitrate it gets (kbit/s at least, width), best first.
VIDEO_WIDTHS = ((1200, 1280), (600, 854), (0, 640))
# A thumbnail's tries, best first: (largest width, JPEG quantizer: 2 best … 31 worst).
THUMB_TRIES = ((640, 4), (480, 8), (320, 12), (160, 20))


def ffmpeg_binary(configured: str = "") -> str:
    """FFMPEG_BINARY if set, else the wheel's binary."""
    if configured:
        return configured
    import imageio_ffmpeg  # type: ignore[import-untyped]

    return str(imageio_ffmpeg.get_ffmpeg_exe())


class Ffmpeg:
    def __init__(self, binary: str, work_dir: str, timeout_seconds: float = 60.0,
                 video_timeout_seconds: float = 600.0) -> None:
        self.binary = binary  # "": the wheel's, found at the first conversion (finding it runs it once)
        self.work_dir = work_dir  # each conversion's folder is made, and removed, under it
        self.timeout_seconds = timeout_seconds
        self.video_timeout_seconds = video_timeout_seconds  # re-encoding a video takes longer than audio

    def voice_for_teams(self, source: AsyncIterable[bytes]) -> AbstractAsyncContextManager[Converted]:
        return self._convert(source, TEAMS_VOICE, MP3)

    def voice_for_speech(self, source: AsyncIterable[bytes]) -> AbstractAsyncContextManager[Converted]:
        return self._convert(source, SPEECH_AUDIO, WAV)

    @asynccontextmanager
    async def voice_for_wechat(self, source: AsyncIterable[bytes]) -> AsyncIterator[Converted]:
        async with self._folder() as folder:
            path = await _written(source, folder)
            seconds = await self._duration_of(path)
            if seconds > WECHAT_VOICE_MAX_SECONDS:
                raise TooLong(seconds, WECHAT_VOICE_MAX_SECONDS)
            converted = await self._output(path, folder, [WECHAT_VOICE], MP3)
            if converted.size > WECHAT_VOICE_MAX_BYTES:
                raise TooBig(f"{converted.size} bytes as MP3; WeChat takes at most {WECHAT_VOICE_MAX_BYTES}")
            yield converted

    @asynccontextmanager
    async def video_for_wechat(self, source: AsyncIterable[bytes]) -> AsyncIterator[Converted]:
        async with self._folder() as folder:
            path = await _written(source, folder)
            seconds = await self._duration_of(path)
            kbps = video_kbps(seconds)
            if kbps < VIDEO_MIN_KBPS:
                raise TooLong(seconds, longest_video_seconds())
            # Never more than the source had: a small video in another container stays small.
            source_kbps = await asyncio.to_thread(os.path.getsize, path) * 8 / 1000 / max(seconds, 1.0)
            kbps = max(min(kbps, source_kbps), VIDEO_MIN_KBPS)
            tries = [_video_args(kbps * share) for share in VIDEO_TRIES if kbps * share >= VIDEO_MIN_KBPS]
            yield await self._output(path, folder, tries, MP4, max_bytes=WECHAT_VIDEO_MAX_BYTES,
                                     timeout=self.video_timeout_seconds)

    @asynccontextmanager
    async def video_thumbnail(self, source: AsyncIterable[bytes]) -> AsyncIterator[Converted]:
        tries = [("-an", "-vf", f"thumbnail,scale='min({width},iw)':-2", "-frames:v", "1", "-c:v", "mjpeg",
                  "-q:v", str(quality), "-update", "1", "-f", "image2") for width, quality in THUMB_TRIES]
        async with self._folder() as folder:
            converted = await self._output(await _written(source, folder), folder, tries, JPEG,
                                           max_bytes=THUMB_MAX_BYTES)
            yield Converted(JPEG, converted.size, 0.0, converted.chunks)

    async def duration(self, source: AsyncIterable[bytes]) -> float:
        async with self._folder() as folder:
            return await self._duration_of(await _written(source, folder))

    # -- the steps ---------------------------------------------------------------------------------

    @asynccontextmanager
    async def _convert(self, source: AsyncIterable[bytes], args: Sequence[str],
                       content_type: str) -> AsyncIterator[Converted]:
        async with self._folder() as folder:
            yield await self._output(await _written(source, folder), folder, [args], content_type)

    @asynccontextmanager
    async def _folder(self) -> AsyncIterator[str]:
        await asyncio.to_thread(os.makedirs, self.work_dir, exist_ok=True)
        folder = await asyncio.to_thread(tempfile.mkdtemp, prefix="convert-", dir=self.work_dir)
        try:
            yield folder
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _output(self, path: str, folder: str, tries: Sequence[Sequence[str]], content_type: str,
                      max_bytes: int | None = None, timeout: float | None = None) -> Converted:
        """The first of `tries` (output arguments) whose output fits `max_bytes` (TooBig if none does)."""
        output = os.path.join(folder, "output")
        size = 0
        for args in tries:
            seconds = await self.run(["-i", path, *args, "-y", output], timeout)
            size = await asyncio.to_thread(os.path.getsize, output)
            if max_bytes is None or size <= max_bytes:
                return Converted(content_type, size, seconds, _read(output))
        raise TooBig(f"{size} bytes at the smallest; at most {max_bytes}")

    async def _duration_of(self, path: str) -> float:
        """Read through without decoding (stream copy to nothing): the last timestamp is the duration."""
        return await self.run(["-i", path, "-c", "copy", "-f", "null", "-"])

    async def run(self, args: Sequence[str], timeout: float | None = None) -> float:
        """Run ffmpeg on `args` (input and output); how many seconds of media it wrote. Killed past
        the time limit (`timeout`, else the converter's: TranscodeTimeout); a failure is a TranscodeError
        with ffmpeg's last words."""
        timeout = timeout or self.timeout_seconds
        if not self.binary:
            self.binary = await asyncio.to_thread(ffmpeg_binary)
        process = await asyncio.create_subprocess_exec(
            self.binary, "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
            "-protocol_whitelist", "file", "-format_whitelist", DEMUXERS, *args,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            progress, errors = await asyncio.wait_for(process.communicate(), timeout)
        except asyncio.TimeoutError:
            raise TranscodeTimeout(f"ffmpeg took longer than {timeout:g} s and was stopped") from None
        finally:
            if process.returncode is None:  # timed out, or the job was cancelled: never leave it running
                process.kill()
                await process.wait()
        if process.returncode != 0:
            said = errors.decode("utf-8", "replace").strip().splitlines()
            raise TranscodeError(f"ffmpeg failed ({process.returncode}): {said[-1][:300] if said else 'no message'}")
        return _seconds(progress)


def video_kbps(seconds: float) -> float:
    """The video bitrate (kbit/s) that keeps `seconds` of video and its sound within WeChat's 10 MB."""
    budget = WECHAT_VIDEO_MAX_BYTES * 8 / 1000 * VIDEO_SHARE_OF_BUDGET
    return min(budget / max(seconds, 1.0) - VIDEO_AUDIO_KBPS, VIDEO_MAX_KBPS)


def longest_video_seconds() -> float:
    """How long a video WeChat can be sent at the lowest bitrate worth watching."""
    return WECHAT_VIDEO_MAX_BYTES * 8 / 1000 * VIDEO_SHARE_OF_BUDGET / (VIDEO_MIN_KBPS + VIDEO_AUDIO_KBPS)


def _video_args(kbps: float) -> tuple[str, ...]:
    """H.264 at `kbps` (one pass, its peaks bounded so the size stays near the budget) and AAC, in an MP4 that
    starts playing before it is all loaded; the picture scaled down to the width the bitrate can carry."""
    width = next(w for floor, w in VIDEO_WIDTHS if kbps >= floor)
    rate = f"{int(kbps)}k"
    return ("-map", "0:v:0", "-map", "0:a:0?", "-vf", f"scale='min({width},iw)':-2", "-c:v", "libx264",
            "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", rate, "-maxrate", rate,
            "-bufsize", f"{int(kbps * 2)}k", "-c:a", "aac", "-b:a", f"{VIDEO_AUDIO_KBPS}k", "-ac", "2",
            "-movflags", "+faststart", "-f", "mp4")


def _seconds(progress: bytes) -> float:
    """The last `out_time_us` of ffmpeg's -progress report, in seconds (0 if it gave none)."""
    values = [line.partition(b"=")[2] for line in progress.splitlines() if line.startswith(b"out_time_us=")]
    numeric = [int(v) for v in values if v.strip().lstrip(b"-").isdigit()]
    return max(numeric[-1], 0) / 1_000_000 if numeric else 0.0


async def _written(source: AsyncIterable[bytes], folder: str) -> str:
    """The source streamed into a file of `folder`: its path."""
    path = os.path.join(folder, "source")
    file = await asyncio.to_thread(open, path, "wb")
    try:
        async for chunk in source:
            await asyncio.to_thread(file.write, chunk)
    finally:
        await asyncio.to_thread(file.close)
    return path


async def _read(path: str) -> AsyncIterator[bytes]:
    file = await asyncio.to_thread(open, path, "rb")
    try:
        while chunk := await asyncio.to_thread(file.read, READ_CHUNK_BYTES):
            yield chunk
    finally:
        await asyncio.to_thread(file.close)
