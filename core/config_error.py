"""The one error of a configuration that is wrong, wherever it was read from (the environment,
the organizations file and what it holds: policies, DLP rules, employee directories, PIN limits;
the Teams app package's inputs).

Every problem is named at once, each with where it is, so that an operator fixes them in one go;
a reader of nested configuration collects its parts' `problems` under its own location.
"""
from __future__ import annotations


class ConfigError(ValueError):
    """`problems`: one line each; `what`: the configuration they are of, for the message."""

    def __init__(self, problems: list[str], what: str = "configuration") -> None:
        self.problems = problems
        super().__init__(f"invalid {what}:\n  " + "\n  ".join(problems))
