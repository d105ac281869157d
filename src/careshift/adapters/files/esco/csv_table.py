"""Strict CSV reading that remembers where every record starts.

ESCO CSVs hold multi-line quoted fields (labels separated by newlines), so a record's line is
the physical line where it *starts*, which is what an editor shows. Anything that is not clean
UTF-8 or clean CSV quoting is refused with the line and the field, never guessed at.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cached_property

from careshift.adapters.files.esco.sources import CsvSource
from careshift.errors import ImportFailed, RowProblem

__all__ = ["CsvTable", "Problems", "peek", "read_table"]

# Bytes that are not UTF-8 come back from "surrogateescape" decoding as lone surrogates.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_MAX_PROBLEMS = 200
# Some ESCO fields (concept scheme member lists) exceed the csv module's default 128 KiB.
_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass
class Problems:
    """Problems found while reading; reading goes on so one run reports many at once."""

    found: list[RowProblem] = field(default_factory=list)

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        if len(self.found) < _MAX_PROBLEMS:
            self.found.append(RowProblem(file, line, column, message))

    def raise_if_any(self, what: str = "the ESCO files") -> None:
        if not self.found:
            return
        first = self.found[0]
        more = f" (and {len(self.found) - 1} more problems)" if len(self.found) > 1 else ""
        raise ImportFailed(
            f"{what} were refused, nothing was written: {first}{more}", list(self.found)
        )


@dataclass(frozen=True)
class CsvTable:
    source: CsvSource
    header: list[str]
    #: (physical line where the record starts, values); every row has len(header) values
    rows: list[tuple[int, list[str]]]

    @cached_property
    def positions(self) -> dict[str, int]:
        return {name: index for index, name in enumerate(self.header)}

    def index(self, column: str) -> int:
        return self.positions[column]


def peek(source: CsvSource) -> tuple[list[str], list[str]]:
    """Header and first record, read leniently: enough to tell what the file is."""
    text = source.data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        for values in reader:
            if values:
                records.append(values)
            if len(records) == 2:
                break
    except csv.Error:
        pass
    header = [name.strip() for name in records[0]] if records else []
    return header, records[1] if len(records) > 1 else []


def read_table(source: CsvSource, problems: Problems) -> CsvTable | None:
    """Parse ``source``; on unreadable content add problems and return None."""
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _report_bad_encoding(source, problems)
        return None
    records = _parse(source, text, problems)
    if records is None:
        return None
    if not records:
        problems.add(source.display, 1, None, "empty file: expected a header line")
        return None
    header = [name.strip() for name in records[0][1]]
    rows = []
    for line, values in records[1:]:
        if len(values) == len(header):
            rows.append((line, values))
            continue
        column = header[len(values)] if len(values) < len(header) else None
        problems.add(
            source.display,
            line,
            column,
            f"expected {len(header)} fields, found {len(values)} "
            "(a missing or extra separator, or broken quoting)",
        )
    return CsvTable(source, header, rows)


def _parse(source: CsvSource, text: str, problems: Problems) -> list[tuple[int, list[str]]] | None:
    # The limit is the csv module's, for the whole process: raised for ESCO's long fields and
    # put back after, so other readers (HR uploads) keep the default that refuses a huge field.
    default = csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    try:
        return _records(source, text, problems)
    finally:
        csv.field_size_limit(default)


def _records(
    source: CsvSource, text: str, problems: Problems
) -> list[tuple[int, list[str]]] | None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for values in reader:
            start, previous = previous + 1, reader.line_num
            if values:  # a blank line is no record
                records.append((start, values))
    except csv.Error as exc:
        start = previous + 1
        header = records[0][1] if records else []
        index, what = _locate_quoting_problem(text, start)
        what = what or str(exc)
        problems.add(source.display, start, _column_name(header, index), f"broken quoting: {what}")
        return None
    return records


def _column_name(header: list[str], index: int) -> str:
    return header[index].strip() if index < len(header) else f"column {index + 1}"


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _locate_quoting_problem(text: str, line: int) -> tuple[int, str]:
    """Which field (0-based) of the record starting at ``line`` breaks the quoting rules.

    Only called once a file is already refused, so clarity wins over speed here.
    """
    position, field_index, end = _offset_of_line(text, line), 0, len(text)
    while position < end:
        if text[position] != '"':  # an unquoted field runs to the next comma or newline
            # (a quote inside an unquoted field is plain text to the csv module)
            while position < end and text[position] not in ",\r\n":
                position += 1
        else:
            position += 1
            while True:
                closing = text.find('"', position)
                if closing < 0:
                    return field_index, "a quoted field is never closed"
                if text.startswith('""', closing):
                    position = closing + 2
                    continue
                position = closing + 1
                break
            if position < end and text[position] not in ",\r\n":
                return field_index, "text after the closing quote of a field"
        if position >= end or text[position] in "\r\n":
            break
        position += 1  # the comma
        field_index += 1
    return field_index, ""


def _report_bad_encoding(source: CsvSource, problems: Problems) -> None:
    text = source.data.decode("utf-8-sig", errors="surrogateescape")
    records = _parse(source, text, Problems()) or []
    header = records[0][1] if records else []
    for line, values in records:
        for index, value in enumerate(values):
            if _UNDECODABLE.search(value):
                problems.add(
                    source.display,
                    line,
                    _column_name(header, index),
                    "not valid UTF-8; save the file as UTF-8 (ESCO downloads are UTF-8)",
                )
                return
    problems.add(source.display, None, None, "not valid UTF-8; save the file as UTF-8")
