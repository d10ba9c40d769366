"""Servers run as children in their own process group (start_new_session=True), for the tests and
the benchmarks: stopped group and all, their log's last lines shown when they fail."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:  # the group is gone already
        pass


def stop_group(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, up to `timeout` seconds to finish; then whatever is still in the group (the child
    itself if it ignored SIGTERM) is killed."""
    signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def log_tail(log_path: Path, lines: int) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
