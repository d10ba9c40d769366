"""Who may import what: the layers of the README's "Architecture", read from the source with `ast`
(nothing is imported). Type-only imports count: a type named is a dependency.

A module the table does not name is refused, so a new dependency of a pure layer is a decision made
here, in review, not an accident.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Our own top-level modules and packages (core, services, config …).
OURS = frozenset({p.stem for p in ROOT.glob("*.py")} | {p.parent.name for p in ROOT.glob("*/__init__.py")})
# Libraries that only compute: the pure layers may use them.
PURE_LIBRARIES = ("phonenumbers", "pypinyin", "rapidfuzz", "opencc")
# Standard modules that do I/O or read the clock: counted as libraries, which the pure layers do not get.
IO_STDLIB = ("asyncio", "concurrent", "http", "logging", "multiprocessing", "os", "pathlib", "select",
             "selectors", "shutil", "signal", "smtplib", "socket", "sqlite3", "ssl", "subprocess", "tempfile",
             "threading", "time", "urllib.request")
ANY = ("",)  # every library (the empty prefix)


@dataclass(frozen=True)
class Layer:
    ours: tuple[str, ...]  # our modules it may import (with their submodules)
    libraries: tuple[str, ...]  # the libraries (and I/O standard modules) it may import


# A file follows the row of the longest path that holds it; files outside every row are not checked.
LAYERS = {
    "core": Layer(("core",), PURE_LIBRARIES),  # the domain: no other folder of ours, no framework, no I/O
    "dialogs": Layer(("dialogs", "core"), PURE_LIBRARIES),
    "cards": Layer(("cards", "core"), PURE_LIBRARIES),  # plain JSON
    # The use cases: they join core to the adapters through ports (core/storage.py, core/official_account.py
    # …), and catch the ports' errors (the two rows below).
    "services": Layer(("services", "core", "cards", "dialogs", "adapters.teams.errors", "adapters.wechat.errors"),
                      (*PURE_LIBRARIES, *IO_STDLIB)),
    "adapters": Layer(("adapters", "core"), ANY),  # the I/O, called by the services, never calling up
    "adapters/teams/errors.py": Layer((), ()),  # plain exception classes, part of the Teams port
    "adapters/wechat/errors.py": Layer((), ()),  # … and of the WeChat port
}

# Imports the table refuses and the code has, with why. An entry no longer needed fails the test too,
# so this list only shrinks.
EXCEPTIONS = {
    ("core/clock.py", "time"): "SystemClock: the one clock reading, beside the Clock port everything else takes",
}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(not p or name == p or name.startswith(p + ".") for p in prefixes)


def layer_of(path: str) -> Layer | None:
    holders = [key for key in LAYERS if path == key or path.startswith(key + "/")]
    return LAYERS[max(holders, key=len)] if holders else None


def imported(path: str, source: str) -> set[str]:
    """The dotted names a file imports: `from a.b import c` is `a.b.c` (c may be a module);
    relative imports made absolute."""
    package = Path(path).parts[:-1]  # a package's __init__.py is in it, like its modules
    names = set()
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*package[:len(package) - node.level + 1], *([node.module] if node.module else [])]) \
                if node.level else node.module or ""
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def allowed(layer: Layer, name: str) -> bool:
    top = name.partition(".")[0]
    if top in OURS:
        return _within(name, layer.ours)
    if top in sys.stdlib_module_names and not _within(name, IO_STDLIB):
        return True
    return _within(name, layer.libraries)


def refused(path: str, source: str) -> set[str]:
    """What the file at `path` (relative, with /) imports that its layer does not allow."""
    layer = layer_of(path)
    if layer is None:
        return set()
    return {name for name in imported(path, source) if not allowed(layer, name)}


def _refused_in_repository() -> dict[tuple[str, str], list[str]]:
    """(file, exception or name) -> the refused names it covers."""
    found: dict[tuple[str, str], list[str]] = {}
    files = {file for folder in {key.partition("/")[0] for key in LAYERS} for file in (ROOT / folder).rglob("*.py")}
    for file in sorted(files):
        path = file.relative_to(ROOT).as_posix()
        for name in sorted(refused(path, file.read_text(encoding="utf-8"))):
            key = next(((f, m) for (f, m) in EXCEPTIONS if f == path and _within(name, (m,))), (path, name))
            found.setdefault(key, []).append(name)
    return found


def test_each_layer_imports_only_what_its_row_allows():
    found = _refused_in_repository()
    new = sorted(f"{path} imports {name}" for (path, name) in found if (path, name) not in EXCEPTIONS)
    assert not new, "imports the layering table refuses (tests/test_layering.py):\n" + "\n".join(new)


def test_every_exception_is_still_needed():
    found = _refused_in_repository()
    stale = sorted(f"{path}: {module}" for (path, module) in EXCEPTIONS if (path, module) not in found)
    assert not stale, "no longer imported: remove from EXCEPTIONS in tests/test_layering.py:\n" + "\n".join(stale)


# -- the check itself ------------------------------------------------------------------------------

def test_the_check_refuses_what_a_layer_may_not_import():
    source = ("import aiohttp\nimport socket\nfrom services.jobs import Job\nfrom adapters.wechat import client\n"
              "import config\nfrom botbuilder.schema import Activity\n"
              "from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from adapters.teams.sender import TeamsSender\n")
    assert refused("core/anything.py", source) == {
        "aiohttp", "socket", "services.jobs.Job", "adapters.wechat.client", "config", "botbuilder.schema.Activity",
        "adapters.teams.sender.TeamsSender"}
    assert refused("dialogs/x.py", "import time\nfrom cards.text import t\n") == {"time", "cards.text.t"}
    assert refused("cards/x.py", "from dialogs.routing import decide_routing\n") == {"dialogs.routing.decide_routing"}
    assert refused("services/x.py", "from adapters.wechat.client import WeChatClient\nimport azure.cosmos\n") == {
        "adapters.wechat.client.WeChatClient", "azure.cosmos"}
    assert refused("adapters/x.py", "from services.jobs import Job\nfrom bots import bridge_bot\n") == {
        "services.jobs.Job", "bots.bridge_bot"}
    assert refused("adapters/wechat/errors.py", "import aiohttp\nfrom core.clock import Clock\n") == {
        "aiohttp", "core.clock.Clock"}


def test_the_check_lets_each_layer_have_what_its_row_allows():
    assert refused("core/x.py", "from __future__ import annotations\nimport re\nfrom typing import Any\n"
                                "from core.storage import Storage\nimport phonenumbers\n"
                                "from urllib.parse import quote\n"
                                "from rapidfuzz.distance import DamerauLevenshtein\n") == set()
    assert refused("services/x.py", "import asyncio\nfrom adapters.wechat.errors import WeChatApiError\n"
                                    "from adapters.teams import errors\nfrom cards.text import t\n"
                                    "from dialogs.routing import decide_routing\n") == set()
    assert refused("adapters/storage/sqlite.py",
                   "import aiohttp\nfrom ._common import x\nfrom . import cosmos\n") == set()
    assert refused("bots/bridge_bot.py", "import aiohttp\nfrom services.jobs import Job\n") == set()  # no row


def test_relative_imports_are_read_as_absolute_ones():
    assert imported("adapters/storage/sqlite.py", "from ._common import x\nfrom .. import smtp\n") == {
        "adapters.storage._common.x", "adapters.smtp"}
    assert imported("adapters/storage/__init__.py", "from .cosmos import CosmosStorage\n") == {
        "adapters.storage.cosmos.CosmosStorage"}
    assert refused("core/x.py", "from ..services import jobs\n") == {"services.jobs"}
