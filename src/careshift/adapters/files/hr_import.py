"""Read an HR export (CSV or XLSX) of workers; every problem cites file, line and field.

The column format is documented in docs/hr-import.md. Header names are case-insensitive; CSV
may be comma- or semicolon-separated, UTF-8 with or without a byte-order mark. Line numbers are
the file's own (the header is line 1), so a person can open the file and find the row.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from careshift.adapters.files.hr_records import read_records
from careshift.domain.text import lone_surrogate
from careshift.domain.workforce import MAX_CHARS
from careshift.errors import ImportFailed, InputError, RowProblem

__all__ = ["COLUMNS", "HrRow", "parse_record", "read_hr_file"]

#: column -> required?
COLUMNS: dict[str, bool] = {
    "employee_number": True,
    "role": True,
    "name": False,
    "unit_code": False,
    "unit_name": False,
    "employed_from": False,
    "employed_to": False,
    "shift_pattern": False,
    "gender": False,
    "birth_year": False,
}
SHIFT_PATTERNS = ("day", "evening", "night", "rotating", "weekend")
GENDERS = ("female", "male", "other")
_MAX_PROBLEMS = 50


@dataclass(frozen=True)
class HrRow:
    line: int
    employee_number: str
    role_uri: str
    name: str | None
    unit_code: str | None
    unit_name: str | None
    employed_from: date | None
    employed_to: date | None
    shift_pattern: str | None
    gender: str | None
    birth_year: int | None

    @property
    def fingerprint(self) -> str:
        """Hash of the row's content (not its line): an unchanged row is skipped on re-import."""
        content = {k: v for k, v in asdict(self).items() if k != "line"}
        blob = json.dumps(content, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


def read_hr_file(
    path: Path, resolve_role: Callable[[str], str | None], name: str | None = None
) -> list[HrRow]:
    """Parse and validate every row; raise :class:`ImportFailed` listing all problems found.

    ``resolve_role`` maps the ``role`` cell (a URI or a role code) to a known role URI, or None.
    ``name`` is the file's name in messages (default: the path's own), such as an upload's
    name when its bytes were saved under another.
    """
    name = name or path.name
    problems: list[RowProblem] = []
    rows: list[HrRow] = []
    seen: dict[str, int] = {}
    for record in read_records(path, name, COLUMNS):
        line = record.line
        problems += [RowProblem(name, line, f, message) for f, message in record.problems]
        reported = frozenset(f for f, _ in record.problems if f)
        row = _parse(name, line, record.cells, resolve_role, problems, reported)
        if row is None:
            continue
        if row.employee_number in seen:
            problems.append(
                RowProblem(
                    name,
                    line,
                    "employee_number",
                    f"duplicate employee number {row.employee_number!r} "
                    f"(first on line {seen[row.employee_number]})",
                )
            )
            continue
        seen[row.employee_number] = line
        rows.append(row)
    if problems:
        raise ImportFailed(
            f"{name}: {len(problems)} problem(s); nothing was imported",
            problems[:_MAX_PROBLEMS],
        )
    return rows


#: C0 control characters other than tab and line breaks: never part of a name or a code, and
#: PostgreSQL cannot store NUL at all
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile("[0-9]{4}")


def _parse(
    name: str,
    line: int | None,
    record: dict[str, str],
    resolve_role: Callable[[str], str | None],
    problems: list[RowProblem],
    reported: frozenset[str] = frozenset(),
) -> HrRow | None:
    """The row, or None after adding its problems (one per field: ``reported`` ones already
    have theirs)."""
    before = len(problems)

    def fail(field: str, message: str) -> None:
        if field not in reported:
            problems.append(RowProblem(name, line, field, message))

    def text(field: str) -> str | None:
        value = (record.get(field) or "").strip()
        return value or None

    _unstorable(record, fail)
    too_long = _too_long(text, fail)
    number = text("employee_number")
    if number is None:
        fail("employee_number", "is empty")
    role_cell = text("role")
    role_uri = resolve_role(role_cell) if role_cell and "role" not in too_long else None
    if role_cell is None:
        fail("role", "is empty")
    elif role_uri is None and "role" not in too_long:
        fail("role", f"unknown role {role_cell!r} (give a role URI or code from the taxonomy)")
    dates = {f: _date(text(f), f, fail) for f in ("employed_from", "employed_to")}
    start, end = dates["employed_from"], dates["employed_to"]
    if start and end and end < start:
        fail("employed_to", "is before employed_from")
    shift = _choice(text("shift_pattern"), SHIFT_PATTERNS, "shift_pattern", fail)
    gender = _choice(text("gender"), GENDERS, "gender", fail)
    birth_year = _year(text("birth_year"), fail)
    if len(problems) > before or number is None or role_uri is None:
        return None
    return HrRow(
        line=line or 0,
        employee_number=number,
        role_uri=role_uri,
        name=text("name"),
        unit_code=text("unit_code"),
        unit_name=text("unit_name"),
        employed_from=dates["employed_from"],
        employed_to=dates["employed_to"],
        shift_pattern=shift,
        gender=gender,
        birth_year=birth_year,
    )


def _unstorable(record: dict[str, str], fail: Callable[[str, str], None]) -> None:
    """Text no database can hold, named by its field here: the store's own guard names the
    column, and a unit's name is stored in one called "name"."""
    for field, value in record.items():
        if value and _CONTROL.search(value):
            fail(field, "contains a control character (such as NUL); remove it")
        broken = lone_surrogate(value) if value else None
        if broken is not None:
            where = f"a lone surrogate such as \\ud800, at character {broken + 1}"
            fail(field, f"is not valid Unicode ({where})")


def _too_long(
    text: Callable[[str], str | None], fail: Callable[[str, str], None]
) -> frozenset[str]:
    """The fields longer than their documented maximum, each reported."""
    found = []
    for field, most in MAX_CHARS.items():
        length = len(text(field) or "")
        if length > most:
            fail(field, f"is longer than {most} characters ({length})")
            found.append(field)
    return frozenset(found)


def parse_record(
    record: dict[str, str], resolve_role: Callable[[str], str | None], source: str = "request"
) -> HrRow:
    """One worker given field by field (API, forms), validated by the same rules as a file."""
    problems: list[RowProblem] = []
    unknown = sorted(set(record) - set(COLUMNS))
    problems += [RowProblem(source, None, f, "unknown field") for f in unknown]
    row = _parse(source, None, record, resolve_role, problems)
    if problems or row is None:
        raise InputError("invalid worker: " + "; ".join(str(p) for p in problems), problems)
    return row


def _date(value: str | None, field: str, fail: Callable[[str, str], None]) -> date | None:
    if value is None:
        return None
    try:
        # fromisoformat alone also takes 20200101 and week dates (2020-W01-1)
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    fail(field, f"bad date {value!r} (expected YYYY-MM-DD)")
    return None


def _choice(
    value: str | None, allowed: tuple[str, ...], field: str, fail: Callable[[str, str], None]
) -> str | None:
    if value is None:
        return None
    if value.lower() not in allowed:
        fail(field, f"{value!r} is not one of {', '.join(allowed)}")
        return None
    return value.lower()


def _year(value: str | None, fail: Callable[[str, str], None]) -> int | None:
    if value is None:
        return None
    this_year = date.today().year
    # not str.isdigit(): it passes superscript digits, on which int() raises
    if not _YEAR.fullmatch(value) or not 1900 <= int(value) <= this_year - 14:
        fail("birth_year", f"bad year {value!r} (expected 1900-{this_year - 14})")
        return None
    return int(value)
