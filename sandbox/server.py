"""The sandbox as one running thing: the world (bridge and simulators) and the page's server."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

from sandbox.web import create_web_app
from sandbox.world import World, listen, serve, url_of

DEFAULT_DATA = Path("data/sandbox")


class PortInUse(OSError):
    """The page's port cannot be listened on."""


@dataclass
class Running:
    url: str  # the page, with its trailing slash
    world: World


@contextlib.asynccontextmanager
async def running(port: int = 0, data: Path = DEFAULT_DATA) -> AsyncIterator[Running]:
    """The sandbox started, its page on http://127.0.0.1:`port`/ (0: a free port); everything
    stopped on the way out. PortInUse if the port is taken."""
    try:
        sock = listen(port)
    except OSError as exc:
        raise PortInUse(exc.errno, exc.strerror or str(exc)) from exc
    base = url_of(sock)
    world = World(data, qr_base_url=base)
    runner = None
    try:
        await world.start()
        runner = await serve(create_web_app(world), sock)
        yield Running(base + "/", world)
    finally:
        if runner is not None:
            await runner.cleanup()
        await world.stop()
        sock.close()
