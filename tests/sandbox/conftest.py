"""The sandbox page's fixtures: the sandbox in this process (free ports, a fresh data folder) and
the page in headless Chromium (Debian's, through Playwright), one browser per test module."""
from __future__ import annotations

import pytest_asyncio

from sandbox.server import running
from tests.browser import chromium_browser, console_problems, new_page  # noqa: F401 (fixture)


@pytest_asyncio.fixture(loop_scope="module")
async def sandbox(tmp_path):
    async with running(0, tmp_path / "sandbox") as box:
        yield box


@pytest_asyncio.fixture(loop_scope="module")
async def page(chromium_browser, sandbox):  # noqa: F811
    async with new_page(chromium_browser, width=1440, height=900) as page:
        page.set_default_timeout(10_000)
        page.problems = console_problems(page)
        await page.goto(sandbox.url)
        yield page
        assert page.problems == []  # no uncaught exception, no console error, no card the renderer refused
