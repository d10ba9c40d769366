"""Guests' media from WeChat's push to the employee's chat in Teams, beside a text measured in the same run,
and the app's peak memory while it keeps large videos.

    python -m bench.media [--guests 40] [--rate 4] [--image-kb 1024] [--voice-seconds 30] [--video-mb 10]
                          [--json out.json] [--keep]

Three processes on 127.0.0.1: this one, `python app.py` (APP_ENV=local, SQLite and the media store in a
temporary folder, PUBLIC_BASE_URL its own address) and `bench/sims.py --marked-names` (the WeChat API and Bot
Connector simulators; guest i's nickname carries a marker, so a post about a picture, which has no text of
the guest's, still says whose it is). The app's DEFAULT_TARGET employee installed the app through the
connector simulator.

Phases, one message per guest each, pushed at --rate per second (latency, not throughput):
  warm-up   a text (creates the guests' threads)
  text      a text: the reference, the same path without media
  image     a distinct JPEG of about --image-kb (WeChat's PicUrl and MediaId; the app downloads it, keeps
            it, fits it to Teams' 1 MB / 1024 px where it must, posts it inline)
  voice     a distinct AMR voice note of --voice-seconds (needs the bundled ffmpeg: imageio-ffmpeg)
  memory    the app's peak resident memory (VmHWM, reset between steps through /proc/<pid>/clear_refs)
            while it keeps 3 small videos (the reference), then 3 videos of --video-mb each, one at a time

Latency: from the push written to the socket to the connector simulator accepting the post, p50 / p99.
Everything is bounded in count and time; the child process groups are stopped in `finally`.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.wechat.signature import sign
from bench.common import (
    ALICE, TOKEN, Child, app_env, free_port, guest_openid, python_child, run_and_exit, run_in_workdir, sims_child,
    start_listening, summary_ms,
)
from bench.sims import GUEST_TAG
from simulators.teams_client import personal_installation, post_activity
from simulators.wechat_push import message, new_msg_id, text_message

CHILD_MAX_SECONDS = 1800
ARRIVAL_TIMEOUT = 120.0  # seconds for a phase's last post to reach Teams


def ffmpeg() -> str | None:
    """The ffmpeg the product uses (FFMPEG_BINARY, else the imageio-ffmpeg wheel's), None if neither."""
    if os.environ.get("FFMPEG_BINARY"):
        return os.environ["FFMPEG_BINARY"]
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return imageio_ffmpeg.get_ffmpeg_exe()


def jpeg(kb: int, seed: int) -> bytes:
    """A distinct, decodable JPEG of about `kb` KB (noise compresses little: its size follows its area)."""
    from PIL import Image  # a test dependency (requirements-dev.txt), as the benchmarks are

    side = 200
    while True:
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), random.Random(seed).randbytes(side * side * 3)).save(out, "JPEG",
                                                                                                  quality=90)
        if out.tell() >= kb * 1024 or side >= 4000:
            return out.getvalue()
        side = int(side * max(1.05, (kb * 1024 / out.tell()) ** 0.5))


def encode(binary: str, source: list[str], codec: list[str], suffix: str, workdir: Path) -> bytes:
    """What ffmpeg makes of a generated `source` (lavfi) with `codec`: a file's bytes."""
    out = workdir / f"sample{suffix}"
    subprocess.run([binary, "-nostdin", "-loglevel", "error", "-y", *source, *codec, str(out)], check=True,
                   timeout=120)
    data = out.read_bytes()
    out.unlink()
    return data


def amr(binary: str, seconds: float, frequency: int, workdir: Path) -> bytes:
    return encode(binary, ["-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}"],
                  ["-c:a", "libopencore_amrnb", "-ar", "8000", "-ac", "1"], ".amr", workdir)


def mp4(binary: str, megabytes: float, seed: int, workdir: Path) -> bytes:
    """An H.264 MP4 of about `megabytes` (noise, 10 s: the bitrate sets the size)."""
    kbits = int(megabytes * 8 * 1024 / 10)
    noise = f"nullsrc=s=640x360:r=25:d=10,geq=random(1)*255*{seed % 7 + 1}/8:128:128"
    return encode(binary, ["-f", "lavfi", "-i", noise],
                  ["-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{kbits}k", "-maxrate", f"{kbits}k",
                   "-bufsize", f"{kbits}k", "-pix_fmt", "yuv420p"], ".mp4", workdir)


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident memory since it started or since reset_peak (VmHWM)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def reset_peak(pid: int) -> bool:
    """Start VmHWM again from the current resident size (Linux: 5 > clear_refs); False where not allowed."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.sims = sims_child(workdir, args.guests, max_seconds=CHILD_MAX_SECONDS, marked_names=True)
        port = free_port()
        self.app = python_child("app", ["app.py"], port=port, log_path=workdir / "app.log", env={
            **app_env(self.sims.wechat_url, workdir / "bridge.sqlite3", f"employee:{ALICE.aad_object_id}"),
            "PORT": str(port), "INSTANCE_ID": "bench-media", "MEDIA_PATH": str(workdir / "media"),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
        self.children: list[Child] = [self.sims, self.app]
        self.session: aiohttp.ClientSession | None = None
        self.phases: list[dict[str, Any]] = []
        self.memory: list[dict[str, Any]] = []
        self.skipped: list[str] = []

    async def start(self) -> None:
        await start_listening(self.children)
        self.session = aiohttp.ClientSession()
        for activity in personal_installation(service_url=self.sims.url, user=ALICE):
            response = await post_activity(self.session, self.app.url + "/api/messages", activity)
            if response.status not in (200, 201):
                raise RuntimeError(f"installing the app for {ALICE.name} failed: {response.status}")

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    # -- what the simulators hold and saw ------------------------------------------------------
    async def put_media(self, data: bytes, content_type: str, kind: str) -> str:
        assert self.session is not None
        async with self.session.post(self.sims.wechat_url + "/sim/media", params={"kind": kind}, data=data,
                                     headers={"Content-Type": content_type}) as r:
            if r.status != 200:
                raise RuntimeError(f"the WeChat simulator refused a {kind}: {r.status} {await r.text()}")
            return (await r.json())["media_id"]

    async def arrivals(self) -> dict[str, list[float]]:
        assert self.session is not None
        async with self.session.get(self.sims.url + "/bench/arrivals", params={"tag": GUEST_TAG}) as r:
            return (await r.json())["arrivals"]

    # -- pushes --------------------------------------------------------------------------------
    async def push(self, openid: str, xml: bytes) -> float:
        """Push `xml` signed (plaintext mode); when it was sent (time.time(), as the simulator's `at`)."""
        assert self.session is not None
        ts, nonce = str(int(time.time())), str(new_msg_id())
        query = {"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": openid}
        sent_at = time.time()
        async with self.session.post(f"{self.app.url}/api/wechat?{urlencode(query)}", data=xml,
                                     headers={"Content-Type": "text/xml"}) as r:
            if r.status != 200:
                raise RuntimeError(f"the app refused a push: {r.status} {await r.text()}")
        return sent_at

    async def phase(self, name: str, xml_of: Any) -> dict[str, Any]:
        """One message per guest (`xml_of(i, openid)`), paced at --rate/s; each one's first post after
        it was pushed is its arrival."""
        a = self.args
        sent: dict[int, float] = {}
        start = time.perf_counter()
        for i in range(a.guests):
            await asyncio.sleep(max(0.0, start + i / a.rate - time.perf_counter()))
            openid = guest_openid(i)
            sent[i] = await self.push(openid, xml_of(i, openid))
        deadline = time.perf_counter() + ARRIVAL_TIMEOUT
        while True:
            arrivals = await self.arrivals()
            latencies = {i: min((at for at in arrivals.get(str(i), []) if at >= t), default=None)
                         for i, t in sent.items()}
            if all(v is not None for v in latencies.values()) or time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.2)
        done = [at - sent[i] for i, at in latencies.items() if at is not None]
        row = {"phase": name, "sent": len(sent), "arrived": len(done), "latency_ms": summary_ms(done)}
        self.phases.append(row)
        return row

    async def keep_videos(self, name: str, videos: list[bytes], thumb: bytes) -> None:
        """Push each video in turn (waiting for its post), and the app's peak memory over them."""
        reset = reset_peak(self.app.pid)
        before = peak_rss_kb(self.app.pid)
        thumb_id = await self.put_media(thumb, "image/jpeg", "thumb")
        for n, video in enumerate(videos):
            media_id = await self.put_media(video, "video/mp4", "video")
            openid = guest_openid(n % self.args.guests)
            sent = await self.push(openid, message(openid, "video", create_time=int(time.time()), MediaId=media_id,
                                                   ThumbMediaId=thumb_id))
            await self._arrived(n % self.args.guests, sent)
        self.memory.append({"step": name, "videos": len(videos), "each_mb": round(len(videos[0]) / 2**20, 2),
                            "rss_before_mb": round(before / 1024, 1),
                            "peak_mb": round(peak_rss_kb(self.app.pid) / 1024, 1), "peak_reset": reset})

    async def _arrived(self, i: int, sent: float) -> None:
        deadline = time.perf_counter() + ARRIVAL_TIMEOUT
        while not any(at >= sent for at in (await self.arrivals()).get(str(i), [])):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"guest {i}'s video did not reach Teams in {ARRIVAL_TIMEOUT:.0f}s;\n"
                                   f"{self.app.log_tail()}")
            await asyncio.sleep(0.1)

    async def run(self) -> None:
        a = self.args
        await self.start()
        binary = ffmpeg()
        now = lambda: int(time.time())  # noqa: E731 - a push's CreateTime
        print("# warm-up and text", file=sys.stderr)
        await self.phase("warm-up", lambda i, o: text_message(o, f"hello {i}", create_time=now()))
        await self.phase("text", lambda i, o: text_message(o, f"text {i}", create_time=now()))
        if binary is None:
            self.skipped += ["voice: no ffmpeg (pip install imageio-ffmpeg, or FFMPEG_BINARY)",
                             "memory: no ffmpeg to make the videos"]
        else:
            print("# memory", file=sys.stderr)
            thumb = jpeg(20, seed=-1)
            small = [mp4(binary, 0.1, seed, self.workdir) for seed in range(3)]
            large = [mp4(binary, a.video_mb, seed, self.workdir) for seed in range(3, 6)]
            await self.keep_videos("small videos (reference)", small, thumb)
            await self.keep_videos("large videos", large, thumb)
        print("# image", file=sys.stderr)
        images = [await self.put_media(jpeg(a.image_kb, seed), "image/jpeg", "image") for seed in range(a.guests)]
        await self.phase("image", lambda i, o: message(o, "image", create_time=now(), MediaId=images[i],
                                                       PicUrl=f"{self.sims.wechat_url}/sim/pic/{i}"))
        if binary is not None:
            print("# voice", file=sys.stderr)
            voices = [await self.put_media(amr(binary, a.voice_seconds, 300 + 7 * i, self.workdir), "audio/amr",
                                           "voice") for i in range(a.guests)]
            await self.phase("voice", lambda i, o: message(o, "voice", create_time=now(), MediaId=voices[i],
                                                           Format="amr"))

    def report(self) -> dict[str, Any]:
        return {"guests": self.args.guests, "rate": self.args.rate, "phases": self.phases, "memory": self.memory,
                "skipped": self.skipped}

    @staticmethod
    def print_report(report: dict[str, Any]) -> None:
        print(f"{'phase':<12}{'sent':>6}{'arrived':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        for row in report["phases"]:
            s = row["latency_ms"]
            print(f"{row['phase']:<12}{row['sent']:>6}{row['arrived']:>9}{s['p50']:>9.1f}{s['p99']:>9.1f}"
                  f"{s['max']:>9.1f}")
        for m in report["memory"]:
            print(f"memory: {m['step']}: {m['videos']} × {m['each_mb']} MB kept one after the other; "
                  f"resident {m['rss_before_mb']} MB before, peak {m['peak_mb']} MB"
                  + ("" if m["peak_reset"] else " (peak not reset: the process's peak since it started)"))
        for s in report["skipped"]:
            print(f"skipped: {s}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--guests", type=int, default=40, help="messages per phase (one per guest)")
    p.add_argument("--rate", type=float, default=4.0, help="pushes per second within a phase")
    p.add_argument("--image-kb", type=int, default=1024)
    p.add_argument("--voice-seconds", type=float, default=30.0)
    p.add_argument("--video-mb", type=float, default=10.0)
    p.add_argument("--json", type=Path)
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, the media store)")
    return p.parse_args(argv)


def main() -> None:
    run_and_exit(run_in_workdir(Bench, parse_args(), "bench-media-"))


if __name__ == "__main__":
    main()
