"""ruff and mypy, as configured in pyproject.toml, pass: run here so that a finding fails the suite like any
test, wherever the suite runs. Each is also shown to find what it is configured to find."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def run(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def start_early(folder: Path) -> dict[str, dict]:
    """mypy takes seconds (many more with no cache yet): both runs go beside the other tests (tests/early.py).
    The second checks a project of two packages with the same untyped module, and a type error outside core."""
    untyped = "def half(x):\n    return x / 2\n"
    project = folder / "project"
    for package in ("core", "elsewhere"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text("")
        (project / package / "half.py").write_text(untyped)
    (project / "elsewhere" / "wrong.py").write_text('count: int = "one"\n')
    mypy = [sys.executable, "-m", "mypy"]
    return {"mypy": {"args": mypy, "cwd": ROOT},  # the files and modules pyproject.toml names
            "mypy-core-only": {"args": [*mypy, "--config-file", str(CONFIG), "--cache-dir", str(folder / "cache"),
                                        "core", "elsewhere"], "cwd": project}}


def test_ruff_finds_nothing():
    done = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing(early):
    done = early.result("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_what_its_rules_are_for():
    source = ("import os\n\n\nasync def f(path):\n    try:\n        return open(path).read()\n"
              "    except Exception:\n        pass\n\n\nx = '" + "a" * 120 + "'\n")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(CONFIG),
                           "--output-format", "concise", "--stdin-filename", "services/example.py", "-"],
                          cwd=ROOT, input=source, capture_output=True, text=True, timeout=60)
    found = {line.split(" ")[1] for line in done.stdout.splitlines() if line.startswith("services/example.py:")}
    assert found == {"F401", "ASYNC230", "BLE001", "E501"}, done.stdout


def test_mypy_is_strict_on_core_only(early):
    done = early.result("mypy-core-only")
    errors = sorted(line.split(":")[0] for line in done.stdout.splitlines() if ": error:" in line)
    assert errors == ["core/half.py", "elsewhere/wrong.py"], done.stdout
