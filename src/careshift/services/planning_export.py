"""Planning tables to CSV or XLSX (by the file's suffix), for spreadsheets and reports."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from careshift.adapters.files.spreadsheet_cells import inert, keep_text
from careshift.errors import InputError

__all__ = ["write_table"]


def _cell(value: Any) -> Any:
    # Lists (tags, sources) become one readable cell; None stays empty (suppressed or unknown).
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(map(str, value))
    return value


def write_table(rows: Sequence[dict[str, Any]], path: Path, sheet: str = "table") -> Path:
    """Write ``rows`` (dicts with the same keys) to ``path``: ``.csv`` or ``.xlsx``."""
    columns = list(rows[0]) if rows else []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([inert(c) for c in columns])
            writer.writerows([[inert(_cell(row.get(c))) for c in columns] for row in rows])
        return path
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        table = book.active
        assert table is not None
        table.title = sheet[:31]
        table.append(columns)
        for row in rows:
            table.append([_cell(row.get(c)) for c in columns])
        for cells in table.iter_rows():
            keep_text(cells)
        book.save(path)
        return path
    raise InputError(f"{path}: export as .csv or .xlsx")
