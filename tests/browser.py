"""Headless Debian Chromium for tests (and dev tools), through Playwright's async API.

Never downloads a browser: Playwright is pointed at Debian's `/usr/bin/chromium` (env `CHROMIUM_PATH`
overrides it); a missing one is a clear failure, not a skip, because CI must run the browser tests.
Pages reach only this machine: every request to another host is aborted (`local_only`), so a card
or page that points elsewhere fails fast instead of hanging. `serve()` puts a folder and/or
in-memory files on http://127.0.0.1:<free port>, so no page needs file://.

    async with chromium() as browser, serve(files={"/": "<p>hi</p>"}) as base, new_page(browser) as page:
        await page.goto(base + "/")

In a test module, import the fixtures (they hold one browser per module, on the module's event loop):

    from tests.browser import chromium_browser, browser_page  # noqa: F401 (fixtures)
    pytestmark = pytest.mark.asyncio(loop_scope="module")
"""
from __future__ import annotations

import contextlib
import mimetypes
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, AsyncIterator, Mapping, Union
from urllib.parse import unquote, urlsplit

import pytest
import pytest_asyncio

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_MISSING = "Debian's chromium is not installed: run scripts/test.sh (it installs it)"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


class ChromiumMissing(RuntimeError):
    pass


def chromium_path() -> str:
    """The Chromium executable to drive: $CHROMIUM_PATH, else Debian's; ChromiumMissing if absent."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ChromiumMissing(f"{CHROMIUM_MISSING} [no executable at {path}; CHROMIUM_PATH chooses another]")
    return path


def require_chromium() -> str:
    """`chromium_path()`, or a failed test (never a skip) that says how to install it."""
    try:
        return chromium_path()
    except ChromiumMissing as exc:
        problem = str(exc)
    pytest.fail(problem, pytrace=False)  # outside the except block: the report is the message alone


@contextlib.asynccontextmanager
async def chromium(*, args: tuple[str, ...] = (), **launch_options) -> AsyncIterator["Browser"]:
    """A headless Chromium (closed, with Playwright's driver, on exit)."""
    executable = chromium_path()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True,
                                                   args=["--disable-gpu", "--font-render-hinting=none", *args],
                                                   **launch_options)
        try:
            yield browser
        finally:
            await browser.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS or \
        (parts.hostname or "").startswith("127.")


@contextlib.asynccontextmanager
async def new_page(browser: "Browser", *, width: int = 1024, height: int = 768, local_only: bool = True,
                   locale: str = "en-US", timezone_id: str = "UTC", **context_options) -> AsyncIterator["Page"]:
    """A page in a fresh browser context (closed on exit). Deterministic locale and time zone; with
    `local_only`, requests to any host but this machine are aborted (page.route() can still serve
    some of them: page routes win over the context's)."""
    context = await browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                        timezone_id=timezone_id, **context_options)
    try:
        if local_only:
            await context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
        yield await context.new_page()
    finally:
        await context.close()


@contextlib.asynccontextmanager
async def browser_session(**page_options) -> AsyncIterator["Page"]:
    """`chromium()` and `new_page()` in one: for a script or a test that needs a single page."""
    async with chromium() as browser, new_page(browser, **page_options) as page:
        yield page


def console_problems(page: "Page") -> list[str]:
    """A live list of the page's uncaught exceptions and console errors, from now on."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("console", lambda message: problems.append(f"console.{message.type}: {message.text}")
            if message.type in ("error", "assert") else None)
    return problems


# ------------------------------------------------------------------------------------------------
# Serving a folder or in-memory files on 127.0.0.1
# ------------------------------------------------------------------------------------------------

Content = Union[str, bytes, Path]


def _content_type(path: str, content: Content) -> str:
    if isinstance(content, str) and (path.endswith("/") or "." not in path.rsplit("/", 1)[-1]):
        return "text/html; charset=utf-8"
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("javascript") else guessed


@contextlib.asynccontextmanager
async def serve(root: Path | str | None = None, *, files: Mapping[str, Content] | None = None) -> AsyncIterator[str]:
    """Serves `files` (URL path → text, bytes or a file's Path) and the folder `root` (a folder's
    index.html for its URL) on http://127.0.0.1:<a free port>; yields that base URL, no trailing slash.
    GET only, no caching, 404 outside `root`. The server is stopped on exit."""
    from aiohttp import web

    mapping = {"/" + path.lstrip("/"): content for path, content in (files or {}).items()}
    base = Path(root).resolve() if root is not None else None

    async def handle(request: web.Request) -> web.StreamResponse:
        path = unquote(request.path)
        content: Content | None = mapping.get(path)
        if content is None and base is not None:
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if (target == base or base in target.parents) and target.is_file():
                content, path = target, str(target)
        if content is None:
            raise web.HTTPNotFound()
        body = content.read_bytes() if isinstance(content, Path) else content
        body = body.encode("utf-8") if isinstance(body, str) else body
        kind = _content_type(str(content) if isinstance(content, Path) else path, content)
        return web.Response(body=body, headers={"Content-Type": kind, "Cache-Control": "no-store"})

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(runner, sock)
        await site.start()
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()
        sock.close()


# ------------------------------------------------------------------------------------------------
# pytest fixtures: one browser per test module (import them into the module; see the docstring)
# ------------------------------------------------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium_browser() -> AsyncIterator["Browser"]:
    require_chromium()
    async with chromium() as browser:
        yield browser


@pytest_asyncio.fixture(loop_scope="module")
async def browser_page(chromium_browser) -> AsyncIterator["Page"]:
    """A fresh page (own context: no cookies or storage from other tests) in the module's browser."""
    async with new_page(chromium_browser) as page:
        yield page
