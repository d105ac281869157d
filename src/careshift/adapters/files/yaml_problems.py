"""What PyYAML refuses, as one :class:`RowProblem` citing the line when PyYAML knows it.

``yaml.MarkedYAMLError`` (bad syntax) is not all PyYAML raises on hostile text: a character YAML
forbids (NUL, most control characters) raises ``yaml.reader.ReaderError``, which has a position
but no mark, and a scalar the safe constructor cannot build, such as the date ``2026-02-30``,
raises a bare ``ValueError``. A reader that catches only the first turns the others into a 500.
Text careshift itself refuses (:mod:`careshift.adapters.files.untrusted_yaml`: aliases, deep
nesting) is valid YAML, and reported without "not valid YAML".
"""

from __future__ import annotations

import yaml

from careshift.adapters.files.untrusted_yaml import RefusedYAML
from careshift.errors import RowProblem

__all__ = ["YAML_ERRORS", "yaml_problem"]

#: catch these around ``yaml.compose`` / ``yaml.safe_load`` of untrusted text
YAML_ERRORS: tuple[type[Exception], ...] = (yaml.YAMLError, ValueError)


def yaml_problem(name: str, text: str, exc: Exception) -> RowProblem:
    """The problem to report for ``exc``, raised while parsing ``text`` (the file ``name``)."""
    if isinstance(exc, RefusedYAML):
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        return RowProblem(name, line, None, str(exc.problem))
    if isinstance(exc, yaml.MarkedYAMLError):
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        return RowProblem(name, line, None, f"not valid YAML: {exc.problem}")
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return RowProblem(name, line, None, f"not valid YAML: character U+{code:04X} not allowed")
    # the constructor's ValueError says what is wrong ("day is out of range for month") but not
    # where; the value is usually a date
    return RowProblem(name, None, None, f"not valid YAML: {exc}")
