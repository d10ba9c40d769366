"""The benchmarks that are cheap to run at a tiny size run in the suite, as `python -m bench.<name>` does, so a
change to the product cannot leave one broken unnoticed (what they measure is read in bench/README.md, not
asserted here: a shared machine's timings are no test)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TINY = {  # bench -> arguments for a run of a few seconds
    "ack_write": ["--calls", "300", "--warm", "100"],
    "dlp": ["--messages", "20"],
    "journal": ["--guests", "3"],
    "telemetry": ["--exchanges", "3", "--rounds", "1"],
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_the_bench_runs_and_writes_its_figures(name, tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, "-m", f"bench.{name}", *TINY[name], "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(out.read_text())  # figures, not an empty file


def test_the_routing_bench_runs():
    done = subprocess.run([sys.executable, "-m", "bench.routing", "--sizes", "65", "--utterances", "5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "65" in done.stdout
