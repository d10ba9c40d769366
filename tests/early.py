"""Slow commands started with the session, beside the tests: pytest runs the tests on one core and the
machine has two, so a command that takes seconds (mypy, Microsoft's validator) costs no wall time.

A test module names its commands in `start_early(folder)`: name -> subprocess.Popen arguments, prepared
in `folder` (a fresh directory of its own). tests/conftest.py starts those of the modules collected;
a test waits for its command with the `early` fixture: `early.result(name)`.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Callable

TIMEOUT_SECONDS = 300


class EarlyCommands:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._running: dict[str, subprocess.Popen] = {}
        self._failures: list[str] = []

    def start_all(self, start_early: Callable[[Path], dict[str, dict[str, Any]]]) -> None:
        """A module's commands. Its failure to prepare them fails the tests that wait for them, not the session."""
        folder = self.folder / start_early.__module__
        folder.mkdir()
        try:
            commands = start_early(folder)
        except Exception as exc:  # noqa: BLE001 (reported by result())
            self._failures.append(f"{start_early.__module__}.start_early failed: {exc!r}")
            return
        for name, options in commands.items():
            self.start(name, **options)

    def start(self, name: str, args: list[str], **options: Any) -> None:
        assert name not in self._running, f"two early commands are named {name!r}"
        # Output to files, not pipes: nobody reads a pipe until the test runs, and a full one would stall it.
        # Niced: the tests keep their core, the commands share the other.
        with open(self._output(name, "out"), "wb") as out, open(self._output(name, "err"), "wb") as err:
            self._running[name] = subprocess.Popen(["nice", "-n", "10", *args], stdout=out, stderr=err,
                                                   stdin=subprocess.DEVNULL, **options)

    def result(self, name: str) -> subprocess.CompletedProcess[str]:
        """The command's exit code and output, once it has finished."""
        assert name in self._running, f"no early command is named {name!r}. {' '.join(self._failures)}"
        proc = self._running[name]
        proc.wait(TIMEOUT_SECONDS)
        return subprocess.CompletedProcess(proc.args, proc.returncode, self._read(name, "out"), self._read(name, "err"))

    def stop(self) -> None:
        """Ends what no test waited for (a run stopped early, or its test deselected)."""
        for proc in self._running.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()

    def _output(self, name: str, stream: str) -> Path:
        return self.folder / f"{name}.{stream}"

    def _read(self, name: str, stream: str) -> str:
        return self._output(name, stream).read_text(encoding="utf-8", errors="replace")
