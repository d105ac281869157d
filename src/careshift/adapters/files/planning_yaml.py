"""Planning input files (WISN, placements, projection scenarios) in YAML, read with line numbers.

:class:`PlanningFile` parses a file once, remembers the line of every node, and offers typed
accessors that *collect* problems instead of stopping at the first one, so a planner fixes the
whole file in one pass. :meth:`PlanningFile.finish` raises :class:`ImportFailed` listing every
problem as ``file:line field: message``. Formats are documented in ``docs/planning.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml

from careshift.adapters.files.untrusted_yaml import load_untrusted
from careshift.adapters.files.yaml_problems import YAML_ERRORS, yaml_problem
from careshift.errors import ImportFailed, RowProblem

__all__ = ["FieldPath", "PlanningFile"]

FieldPath = tuple[str | int, ...]
_MISSING: Any = object()
#: no planning figure comes near it (a national annual workload is ~1e9 units); beyond it a
#: whole number is no longer exact as a float (2**53 ~ 9e15), and the products and quotients
#: the calculations take of a few such figures could overflow to inf, which JSON cannot carry
LARGEST = 1e15


class PlanningFile:
    def __init__(self, path: Path | str, kind: str, text: str | None = None) -> None:
        """Read ``path``; or, given ``text`` (a request body), parse that and call it ``path``."""
        self.path = Path(path)
        self.kind = kind
        self.name = str(path)
        self.problems: list[RowProblem] = []
        self._lines: dict[FieldPath, int] = {}
        self.data: Any = self._parse(text)

    def _parse(self, text: str | None) -> Any:
        try:
            if text is None:
                text = self.path.read_bytes().decode("utf-8")
        except OSError as exc:
            self._refuse(RowProblem(self.name, None, None, f"cannot read: {exc.strerror}"))
        except UnicodeDecodeError as exc:
            self._refuse(RowProblem(self.name, None, None, f"not UTF-8 text (byte {exc.start})"))
        try:
            root, data = load_untrusted(text)  # no aliases, bounded depth: _index stays linear
        except YAML_ERRORS as exc:
            self._refuse(yaml_problem(self.name, text, exc))
        if root is None or not isinstance(data, dict):
            self._refuse(RowProblem(self.name, 1, None, "expected a mapping"))
        self._index(root, ())
        return data

    def _refuse(self, problem: RowProblem) -> NoReturn:
        raise ImportFailed(f"{self.kind} file {self.name} refused", [problem])

    def _index(self, node: yaml.Node, path: FieldPath) -> None:
        self._lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                self._index(value_node, (*path, str(key_node.value)))
                self._lines[(*path, str(key_node.value))] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*path, index))

    def line(self, path: FieldPath) -> int:
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path, 1)

    def problem(self, path: FieldPath, message: str) -> None:
        self.problems.append(RowProblem(self.name, self.line(path), _field(path), message))

    def mapping(self, value: Any, path: FieldPath) -> dict[str, Any]:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        self.problem(path, "expected a mapping")
        return {}

    def items(self, parent: dict[str, Any], path: FieldPath, key: str) -> list[dict[str, Any]]:
        """A list of mappings under ``key`` (absent: empty)."""
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.problem((*path, key), "expected a list")
            return []
        return [self.mapping(item, (*path, key, i)) for i, item in enumerate(value)]

    def number(
        self,
        parent: dict[str, Any] | list[Any],
        path: FieldPath,
        key: str | int,
        *,
        default: Any = _MISSING,
        minimum: float | None = 0.0,
        maximum: float | None = None,
    ) -> float:
        """The finite number at ``parent[key]`` (a key of a mapping or an index of a list)."""
        return float(self._number(_get(parent, key, default), (*path, key), minimum, maximum))

    def integer(
        self,
        parent: dict[str, Any] | list[Any],
        path: FieldPath,
        key: str | int,
        *,
        default: Any = _MISSING,
        minimum: int | None = 0,
        maximum: int | None = None,
    ) -> int:
        """A whole number (``3``, or ``3.0`` as JSON may write it) at ``parent[key]``."""
        where = (*path, key)
        value = self._number(_get(parent, key, default), where, minimum, maximum)
        if value != int(value):
            self.problem(where, f"expected a whole number, got {value}")
            return int(_within(0, minimum, maximum))
        return int(value)

    def _number(
        self, value: Any, where: FieldPath, minimum: float | None, maximum: float | None
    ) -> float:
        # A problem is recorded and a value within range returned, so reading can go on to find
        # other problems without the calculation's own checks raising on a placeholder.
        fallback = _within(0, minimum, maximum)
        if value is _MISSING:
            self.problem(where, "is required")
            return fallback
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"expected a number, got {value!r}")
            return fallback
        if isinstance(value, float) and not math.isfinite(value):  # .nan passes comparisons
            self.problem(where, f"expected a finite number, got {value}")
            return fallback
        if abs(value) > LARGEST:  # compared as int when it is one: float(10**400) overflows
            self.problem(where, f"is larger than any planning figure ({LARGEST:g})")
            return fallback
        if minimum is not None and value < minimum:
            self.problem(where, f"{value} is below the minimum {minimum:g}")
        elif maximum is not None and value > maximum:
            self.problem(where, f"{value} is above the maximum {maximum:g}")
        return _within(value, minimum, maximum)

    def text(
        self, parent: dict[str, Any], path: FieldPath, key: str, *, default: Any = _MISSING
    ) -> str:
        value = parent.get(key, default)
        if value is _MISSING:
            self.problem((*path, key), "is required")
            return ""
        if value is None:
            return default if isinstance(default, str) else ""
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
            self.problem((*path, key), f"expected text, got {value!r}")
            return ""
        return str(value)

    def texts(self, parent: dict[str, Any], path: FieldPath, key: str) -> list[str]:
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem((*path, key), "expected a list of names")
            return []
        return [str(v) for v in value]

    def finish(self) -> None:
        """Raise :class:`ImportFailed` with every problem found, if any."""
        if self.problems:
            count = f"{len(self.problems)} problem" + ("s" if len(self.problems) != 1 else "")
            problems = sorted(self.problems, key=lambda p: p.line or 0)
            raise ImportFailed(f"{self.kind} file {self.name} refused ({count})", problems)


def _get(parent: dict[Any, Any] | list[Any], key: str | int, default: Any) -> Any:
    if isinstance(parent, dict):
        return parent.get(key, default)
    return parent[key] if isinstance(key, int) and 0 <= key < len(parent) else default


def _within(value: float, minimum: float | None, maximum: float | None) -> float:
    if minimum is not None and value < minimum:
        return minimum
    return maximum if maximum is not None and value > maximum else value


def _field(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
