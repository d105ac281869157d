"""Read a local competence framework from YAML, refusing it with file, line and field.

The file is checked twice: against ``data/schemas/framework.schema.json`` (shapes, vocabularies,
levels 1-6, ESCO URI syntax) and then for what a schema cannot say (ids unique, every skill a
role, task or module names exists, every enhancement a role offers exists). Every problem found
is reported at once, each with the line of the YAML node it is about, so an author can fix the
whole file in one pass. The format is documented in ``docs/frameworks.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from careshift.adapters.files.untrusted_yaml import load_untrusted
from careshift.adapters.files.yaml_problems import YAML_ERRORS, yaml_problem
from careshift.errors import ImportFailed, RowProblem

__all__ = ["SCHEMA_PATH", "FrameworkFile", "read_framework"]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "schemas" / "framework.schema.json"

_Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FrameworkFile:
    """A framework file that passed every check; ``data`` follows the JSON Schema."""

    path: Path
    data: dict[str, Any]
    #: sha256 of the canonical JSON of ``data``: same content, same fingerprint
    fingerprint: str

    @property
    def id(self) -> str:
        return str(self.data["framework"]["id"])

    @property
    def version(self) -> str:
        return str(self.data["framework"]["version"])


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def read_framework(path: Path | str) -> FrameworkFile:
    """Parse and check ``path``. Raises :class:`ImportFailed` listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        problem = RowProblem(name, None, None, f"cannot read: {exc.strerror}")
        raise _refused(name, [problem]) from None
    except UnicodeDecodeError as exc:
        problem = RowProblem(name, None, None, f"not UTF-8 text (byte {exc.start})")
        raise _refused(name, [problem]) from None
    try:
        root, data = load_untrusted(text)
    except YAML_ERRORS as exc:
        raise _refused(name, [yaml_problem(name, text, exc)]) from None
    if root is None or not isinstance(data, dict):
        raise _refused(name, [RowProblem(name, 1, None, "expected a mapping with 'framework'")])
    lines: dict[_Path, int] = {}
    problems = list(_index_lines(root, (), lines, name))
    data = _string_keys(data)
    problems += [_schema_problem(name, lines, error) for error in _schema_errors(data)]
    if not problems:
        problems += [RowProblem(name, lines.get(p, 1), _field(p), m) for p, m in _semantic(data)]
    if problems:
        raise _refused(name, sorted(problems, key=lambda p: p.line or 0))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return FrameworkFile(path, data, hashlib.sha256(canonical.encode()).hexdigest())


def _refused(name: str, problems: list[RowProblem]) -> ImportFailed:
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return ImportFailed(f"framework {name} refused ({count})", problems)


def _index_lines(
    node: yaml.Node, path: _Path, lines: dict[_Path, int], name: str
) -> Iterator[RowProblem]:
    """Record the line of every node by its path; report keys given twice in one mapping."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                line = key_node.start_mark.line + 1
                yield RowProblem(name, line, _field((*path, key)), "key given twice")
            seen.add(key)
            yield from _index_lines(value_node, (*path, key), lines, name)
            # A block mapping or list starts on the line after its key; point at the key.
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _index_lines(item, (*path, index), lines, name)


def _string_keys(value: Any) -> Any:
    # YAML reads `levels: {3: ...}` with integer keys; JSON (and the schema) only has strings.
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _schema_errors(data: dict[str, Any]) -> list[ValidationError]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    # A oneOf/anyOf failure is reported through its most specific cause.
    return [error for error in errors if not error.context]


def _schema_problem(name: str, lines: dict[_Path, int], error: ValidationError) -> RowProblem:
    path: _Path = tuple(error.absolute_path)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return RowProblem(name, _line(lines, path), _field((*path, missing)), "is required")
    if error.validator == "additionalProperties":
        return RowProblem(name, _line(lines, path), _field(path), f"unknown field: {error.message}")
    return RowProblem(name, _line(lines, path), _field(path), _message(error))


def _message(error: ValidationError) -> str:
    key = str(error.absolute_path[-1]) if error.absolute_path else ""
    if error.validator == "pattern" and str(error.instance).startswith("http"):
        return f"malformed ESCO URI {error.instance!r} (expected http://data.europa.eu/esco/...)"
    if key == "level" and error.validator in ("minimum", "maximum"):
        return f"level {error.instance} is outside 1-6"
    if error.validator == "type" and error.validator_value == "string":
        return f"expected text, got {error.instance!r} (quote it)"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = ", ".join(map(str, error.validator_value))
        return f"{error.instance!r} is not one of: {allowed}"
    return str(error.message)


def _line(lines: dict[_Path, int], path: _Path) -> int:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def _field(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _semantic(data: dict[str, Any]) -> Iterator[tuple[_Path, str]]:
    """Cross-reference checks on schema-valid data: (path, message)."""
    skills = {skill["id"] for skill in data["skills"]}
    modules = {module["id"] for module in data.get("enhancement_modules", [])}
    for section in ("skills", "roles", "enhancement_modules"):
        yield from _duplicates(data.get(section, []), (section,), "id")
    for index, skill in enumerate(data["skills"]):
        yield from _duplicates(skill.get("esco", []), ("skills", index, "esco"), "uri")
        yield from _link_kinds(skill.get("esco", []), ("skills", index, "esco"), ("skill",))
    for index, role in enumerate(data["roles"]):
        where: _Path = ("roles", index)
        yield from _unknown_skills(role["skills"], (*where, "skills"), skills)
        yield from _duplicates(role["skills"], (*where, "skills"), "skill")
        yield from _duplicates(role.get("tasks", []), (*where, "tasks"), "id")
        yield from _duplicates(role.get("esco", []), (*where, "esco"), "uri")
        yield from _link_kinds(role.get("esco", []), (*where, "esco"), ("occupation", "isco"))
        for t, task in enumerate(role.get("tasks", [])):
            for s, skill_id in enumerate(task.get("skills", [])):
                if skill_id not in skills:
                    yield (*where, "tasks", t, "skills", s), f"unknown skill {skill_id!r}"
        today = sum(task["share"] for task in role.get("tasks", []) if task["change"] != "new")
        if today > 1.0 + 1e-9:
            yield (*where, "tasks"), f"shares of today's tasks add up to {today:.2f}, above 1"
        for m, module_id in enumerate(role.get("enhancements", [])):
            if module_id not in modules:
                yield (*where, "enhancements", m), f"unknown enhancement module {module_id!r}"
    for index, module in enumerate(data.get("enhancement_modules", [])):
        where = ("enhancement_modules", index, "skills")
        yield from _unknown_skills(module["skills"], where, skills)
        yield from _duplicates(module["skills"], where, "skill")


def _link_kinds(
    links: list[dict[str, Any]], where: _Path, kinds: tuple[str, ...]
) -> Iterator[tuple[_Path, str]]:
    # A skill linked to an occupation (or the reverse) would silently corrupt gap arithmetic.
    for index, link in enumerate(links):
        kind = link["uri"].split("/")[4]
        if kind not in kinds:
            expected = " or ".join(kinds)
            yield (*where, index, "uri"), f"links to an ESCO {kind}; expected an ESCO {expected}"


def _unknown_skills(
    requirements: list[dict[str, Any]], where: _Path, skills: set[str]
) -> Iterator[tuple[_Path, str]]:
    for index, requirement in enumerate(requirements):
        if requirement["skill"] not in skills:
            yield (*where, index, "skill"), f"unknown skill {requirement['skill']!r}"


def _duplicates(items: list[dict[str, Any]], where: _Path, key: str) -> Iterator[tuple[_Path, str]]:
    first: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = item[key]
        if value in first:
            yield (*where, index, key), f"duplicate {key} {value!r} (first at item {first[value]})"
        else:
            first[value] = index
