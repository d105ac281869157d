"""Exports a spreadsheet opens never run text as a formula (CSV injection), and the course
catalogue, which careshift reads back, round-trips."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from careshift.adapters.files.catalogue import CSV_COLUMNS, read_catalogue, write_catalogue
from careshift.adapters.files.spreadsheet_cells import FORMULA_STARTS, inert, restore
from careshift.services.planning_export import write_table

ROWS = [{"role": '=HYPERLINK("http://evil.example")', "note": "@SUM(A1)", "change": -3}]


def test_text_a_spreadsheet_would_run_gets_a_leading_quote_and_numbers_stay() -> None:
    assert [inert(v) for v in ("=1+1", "+47 22", "-x", "@A1", "\t=1", "\r=1")] == [
        "'=1+1", "'+47 22", "'-x", "'@A1", "'\t=1", "'\r=1",
    ]  # fmt: skip
    assert [inert(v) for v in ("Aisha Tan", "'quoted", "", -3, 2.5, None)] == [
        "Aisha Tan", "'quoted", "", -3, 2.5, None,
    ]  # fmt: skip


@given(st.text())
def test_no_inert_text_starts_like_a_formula_and_restore_gives_it_back(text: str) -> None:
    cell = inert(text)
    assert isinstance(cell, str) and not cell.startswith(FORMULA_STARTS)
    assert restore(cell) == text


def test_a_planning_table_written_as_csv_runs_nothing(tmp_path: Path) -> None:
    path = write_table(ROWS, tmp_path / "table.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1] == [
            "'=HYPERLINK(\"http://evil.example\")", "'@SUM(A1)", "-3",
        ]  # fmt: skip


def test_a_planning_table_written_as_xlsx_keeps_the_text_as_text(tmp_path: Path) -> None:
    path = write_table(ROWS, tmp_path / "table.xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    (cells,) = sheet.iter_rows(min_row=2)
    assert [(c.value, c.data_type) for c in cells] == [
        ("=HYPERLINK(\"http://evil.example\")", "s"), ("@SUM(A1)", "s"), (-3, "n"),
    ]  # fmt: skip


def test_a_catalogue_exported_as_csv_runs_nothing_and_reads_back_the_same(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        ",".join(CSV_COLUMNS) + "\n"
        "A-1,=1+1,,,acad,8,100,EUR,classroom,en,12,https://x.example/s/a=2,,-Intro=2,@here\n",
        encoding="utf-8",
    )
    original = read_catalogue(source)
    written = tmp_path / "out.csv"
    write_catalogue(written, original.courses, [], {})
    with written.open(newline="", encoding="utf-8") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["title_en"], row["modules"], row["description"]) == ("'=1+1", "'-Intro=2", "'@here")
    assert read_catalogue(written).courses == original.courses
