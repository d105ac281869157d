"""The rows of an HR file as text cells by column name: CSV and XLSX, cited by line.

What the file format itself shows to be wrong is reported here (a value outside the named
columns, a quote left open, an Excel formula); :mod:`careshift.adapters.files.hr_import` holds
the rules for the values. Line numbers are the file's own: the header is line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from careshift.errors import ImportFailed, RowProblem

__all__ = ["HrRecord", "read_records"]


@dataclass(frozen=True)
class HrRecord:
    """A non-empty line of the file: its cells by column name, and what the file format
    itself shows to be wrong: (field or None, message)."""

    line: int
    cells: dict[str, str]
    problems: tuple[tuple[str | None, str], ...] = ()


def read_records(path: Path, name: str, columns: Mapping[str, bool]) -> Iterator[HrRecord]:
    """The non-empty rows of a .csv or .xlsx file after its header, which must name every
    required column of ``columns`` (name -> required?) and no other; ``name`` labels problems.
    """
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file", [RowProblem(str(path), None, None, "missing")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_records(path, name, columns)
    elif suffix in (".csv", ".txt"):
        yield from _csv_records(path, name, columns)
    else:
        raise ImportFailed(
            f"{name}: expected a .csv or .xlsx file",
            [RowProblem(name, None, None, f"unsupported file type {suffix!r}")],
        )


def _header(name: str, cells: list[str], columns: Mapping[str, bool]) -> list[str]:
    header = [c.strip().lower().replace(" ", "_") for c in cells]
    twice = sorted({c for c in header if c and header.count(c) > 1})
    missing = [c for c, required in columns.items() if required and c not in header]
    unknown = [c for c in header if c and c not in columns]
    problems = [RowProblem(name, 1, c, "required column is missing") for c in missing]
    problems += [RowProblem(name, 1, c, "unknown column") for c in unknown]
    problems += [RowProblem(name, 1, c, "column appears twice") for c in twice]
    if problems:
        raise ImportFailed(f"{name}: bad header; nothing was imported", problems)
    return header


def _unnamed(header: list[str], cells: list[str], column: Callable[[int], str]) -> str | None:
    for i, cell in enumerate(cells):
        if cell.strip() and (i >= len(header) or not header[i]):
            return f"a value in column {column(i + 1)}, which has no header (it would be lost)"
    return None


def _csv_lost(header: list[str], cells: list[str]) -> str | None:
    if any(c.strip() for c in cells[len(header) :]):
        too_many = f"{len(cells)} cells, the header has {len(header)}"
        return f"{too_many} (a value outside the columns would be lost)"
    return _unnamed(header, cells, str)


def _csv_records(path: Path, name: str, columns: Mapping[str, bool]) -> Iterator[HrRecord]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{name}: not UTF-8", [RowProblem(name, None, None, str(exc))]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # strict: a quote left open would otherwise swallow the rest of the file into one value
    # and surface as a misleading "role is empty" on the last line
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1  # a quoted value may span lines: a row is cited by the line it starts on
    try:
        header = _header(name, next(reader, []), columns)
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                cells_by_name = dict(zip(header, cells, strict=False))
                lost = _csv_lost(header, cells)
                yield HrRecord(start, cells_by_name, ((None, lost),) if lost else ())
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = RowProblem(name, start, None, _csv_error(exc, reader.line_num))
        raise ImportFailed(f"{name}: not valid CSV", [problem]) from None


def _csv_error(exc: csv.Error, line: int) -> str:
    opened = "a quote opened in the row starting on this line"
    if str(exc) == "unexpected end of data":
        return f"{opened} is never closed (the file ends inside a quoted field)"
    if "expected after" in str(exc):
        return f"{opened} is not closed where its value ends (line {line}: {exc})"
    return f"not valid CSV: {exc}"  # e.g. a field over the csv module's 128 KiB limit


def _xlsx_records(path: Path, name: str, columns: Mapping[str, bool]) -> Iterator[HrRecord]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        # not data_only: a formula must be seen as one, not as its cached value (or as None)
        workbook = load_workbook(path, read_only=True)
    # openpyxl reports a file that is not a workbook in many ways (BadZipFile, KeyError for a
    # missing part, InvalidFileException, an XML ParseError); all mean the same to the uploader
    except Exception as exc:
        problem = RowProblem(name, None, None, f"not an Excel workbook: {exc}")
        raise ImportFailed(f"{name}: not an Excel workbook", [problem]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        header = _header(name, [str(c.value or "") for c in next(rows, ())], columns)
        for line, row in enumerate(rows, start=2):
            cells = ["" if c.value is None else _cell_text(c.value) for c in row]
            if not any(c.strip() for c in cells):
                continue
            lost = _unnamed(header, cells, get_column_letter)
            named = zip(header, row, strict=False)
            found = [(f, _formula(c.value)) for f, c in named if f and _is_formula(c)]
            found += [(None, lost)] if lost else []
            yield HrRecord(line, dict(zip(header, cells, strict=False)), tuple(found))
    finally:
        workbook.close()


def _is_formula(cell: object) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _formula(value: object) -> str:
    # an array formula is an object holding its text
    text = str(getattr(value, "text", value))
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"is a formula ({shown}), not a value; paste the values instead"


def _cell_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
