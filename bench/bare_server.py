"""The ceiling: a minimal aiohttp app whose `POST /api/wechat` reads the body and answers "success".

    python -m bench.bare_server --port 8123

Same aiohttp, same Python, same event loop as the real app, no verification, no storage, no
access log. It stops on SIGTERM/SIGINT, when its parent process is gone, or after --max-seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import signal

from aiohttp import web

from bench.common import HOST, exit_with_parent


async def wechat(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(text="success")


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def create_bare_app() -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/api/wechat", wechat)
    app.router.add_get("/healthz", healthz)
    return app


async def serve(port: int, max_seconds: float) -> None:
    runner = web.AppRunner(create_bare_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, HOST, port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await exit_with_parent(stop, max_seconds)
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()
