"""The product on one machine with no cloud accounts: `python -m sandbox [--port 8080] [--data data/sandbox]`.

Runs the real bridge (webhook, bot, policy, storage on SQLite, job worker, outbox) against
simulators of WeChat's API (two Official Accounts), Microsoft's Bot Connector and Twilio, all on
127.0.0.1 in this one process, and serves the sandbox page: a WeChat phone, a Teams conversation,
a clock and what WeChat's API received. The data folder gets the organizations file and employee
directory of the demo and the SQLite database; each start begins afresh. Ctrl-C stops everything.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from sandbox.server import DEFAULT_DATA, PortInUse, running


async def serve(port: int, data: Path) -> None:
    async with running(port, data) as sandbox:
        world = sandbox.world
        print(f"Sandbox: {sandbox.url}", flush=True)
        print(f"  the bridge: {world.urls['bridge']} (WeChat webhook /api/wechat and /api/wechat/pb, "
              f"Teams /api/messages)\n  its configuration and SQLite database: {data}/ (afresh at every start)\n"
              "  Ctrl-C stops it.", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        print("Stopping the sandbox…", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="the page's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"its folder: organizations.toml, people.csv and the SQLite database, written afresh "
                             f"at every start (default {DEFAULT_DATA})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("msrest").setLevel(logging.ERROR)  # botbuilder's "not a known attribute" chatter
    try:
        asyncio.run(serve(args.port, args.data))
    except PortInUse as exc:
        print(f"Cannot start the sandbox on 127.0.0.1:{args.port}: {exc.strerror or exc}. "
              f"Choose another port: --port N", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
