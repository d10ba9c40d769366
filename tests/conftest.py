"""Shared pytest fixtures. Keep each group in its own section."""
from __future__ import annotations

import asyncio
import uuid
from typing import AsyncIterator, Awaitable, Callable, Iterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from core.clock import FakeClock
from core.storage import Storage
from tests.early import EarlyCommands

# ---------------------------------------------------------------------------------------------
# Time: a clock the test moves by hand (folders whose tests start elsewhere override it).
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# ---------------------------------------------------------------------------------------------
# Storage: a local Cosmos DB server, and `storage` run against every backend.
# ---------------------------------------------------------------------------------------------

STORAGE_KINDS = ("sqlite", "cosmos")


@pytest.fixture(scope="session")
def cosmos_endpoint(tmp_path_factory) -> str:
    """https endpoint of a local Cosmos DB server, started once per session on a free port.

    Fails (never skips) when the server is not installed: CI must run the Cosmos DB tests.
    """
    from tests.cosmos_server import CosmosServer
    from tests.process_group import serving

    with serving(CosmosServer(tmp_path_factory.mktemp("cosmosdb-server") / "server.log")) as server:
        yield server.endpoint


@pytest.fixture(params=STORAGE_KINDS)
def make_storage(request, tmp_path) -> Callable[[], Storage]:
    """A factory of unopened storages of one backend, all sharing one fresh database.

    Call it again for a second handle on the same data (to test close and reopen).
    """
    if request.param == "sqlite":
        from adapters.storage.sqlite import SqliteStorage

        path = str(tmp_path / "storage" / "test.sqlite3")  # a missing directory: open() creates it
        return lambda: SqliteStorage(path)

    from adapters.storage.cosmos import CosmosStorage
    from tests.cosmos_server import KEY

    endpoint = request.getfixturevalue("cosmos_endpoint")
    database = f"test-{uuid.uuid4().hex}"  # the server lives all session; each test gets its own db
    return lambda: CosmosStorage(endpoint, KEY, database)


@pytest.fixture
async def storage(make_storage):
    """An opened storage of each backend on a fresh database, closed afterwards."""
    s = make_storage()
    await s.open()
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def sqlite_storage(tmp_path):
    """An opened SQLite storage in the test's own file, closed afterwards (for tests of SQLite alone)."""
    from adapters.storage.sqlite import SqliteStorage

    s = SqliteStorage(str(tmp_path / "storage.sqlite3"))
    await s.open()
    yield s
    await s.close()


# ---------------------------------------------------------------------------------------------
# HTTP: one client session per test, for the adapters' tests against the simulators.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[web.Application], Awaitable[TestServer]]]:
    """`server = await serve(app)`: the app on a free port of 127.0.0.1, closed when the test ends."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> TestServer:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def silent_server(serve) -> AsyncIterator[TestServer]:
    """A server that takes every POST and does not answer before the test ends: for timeouts."""
    release = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response()

    app = web.Application()
    app.router.add_post("/{tail:.*}", stall)
    yield await serve(app)
    release.set()


# ---------------------------------------------------------------------------------------------
# Slow commands started with the session, on the core pytest leaves idle (tests/early.py).
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def early(request, tmp_path_factory) -> Iterator[EarlyCommands]:
    """Autouse, so that it is set up before the first test: the collected modules' `start_early` commands."""
    commands = EarlyCommands(tmp_path_factory.mktemp("early"))
    modules = dict.fromkeys(getattr(item, "module", None) for item in request.session.items)
    try:
        for module in modules:
            if hasattr(module, "start_early"):
                commands.start_all(module.start_early)
        yield commands
    finally:
        commands.stop()
