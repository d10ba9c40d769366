"""A fresh clone has nothing beside it: no tracked file may reach outside the repository."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# `../<folder>` in a path, or a path built by going above the repository's root
OUTSIDE = re.compile(r"\.\./share[d]|\bparents\[\d\]\.parent\b|/\s*\"share[d]\"")


def tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [REPO / name for name in out.decode().split("\0")
            if name and Path(name).suffix in {".py", ".sh", ".js", ".json", ".toml", ".ini", ".txt", ".cfg", ""}]


def test_no_tracked_file_reads_outside_the_repository():
    here = Path(__file__).resolve()
    offenders = []
    for path in tracked_text_files():
        if path == here or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "reaches outside the repository:\n" + "\n".join(offenders)


def test_the_check_sees_what_it_looks_for():
    beside = "shared"  # the folder a developer's machine has beside the clone (spelt apart: this file is scanned too)
    assert OUTSIDE.search(f'SCHEMA_DIR = Path(__file__).resolve().parents[2].parent / "{beside}" / "schemas"')
    assert OUTSIDE.search(f"see ../{beside}/seeds")
    assert not OUTSIDE.search('SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"')
