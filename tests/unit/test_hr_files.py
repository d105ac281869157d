"""Reading an HR staff file: every value lands in a column or the file is refused, citing
file, line and field (docs/hr-import.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from careshift.adapters.db.tables import workforce
from careshift.adapters.files.hr_import import parse_record, read_hr_file
from careshift.domain.workforce import MAX_CHARS
from careshift.errors import ImportFailed, InputError

HEADER = "employee_number,name,role,unit_code,unit_name,employed_from,shift_pattern"
PSA = "urn:test:role:psa"


def resolve(cell: str) -> str | None:
    return PSA if cell == "PSA" else None


def resolve_any(cell: str) -> str:
    return cell


def staff_lines(count: int) -> list[str]:
    return [f"E{i},Person {i},PSA,ED,Emergency,2020-01-01,day" for i in range(1, count + 1)]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def refused(path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        read_hr_file(path, resolve)
    return [str(p) for p in caught.value.problems]


def test_a_csv_row_with_more_cells_than_the_header_is_refused_with_its_line(
    tmp_path: Path,
) -> None:
    lines = staff_lines(6)
    lines[5] += ",surplus"
    assert refused(write_csv(tmp_path / "staff.csv", lines)) == [
        "staff.csv:7: 8 cells, the header has 7 (a value outside the columns would be lost)"
    ]


def test_empty_cells_past_the_header_lose_nothing_and_are_accepted(tmp_path: Path) -> None:
    # spreadsheets often save a trailing separator
    lines = [line + ",," for line in staff_lines(2)]
    assert len(read_hr_file(write_csv(tmp_path / "staff.csv", lines), resolve)) == 2


def test_a_column_named_twice_is_refused_on_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("employee_number,role,name,Name\nE1,PSA,A,B\n", encoding="utf-8")
    assert refused(path) == ["staff.csv:1 field 'name': column appears twice"]


def test_an_xlsx_value_in_a_column_without_a_header_is_refused_with_its_row(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for line in staff_lines(6):
        sheet.append(line.split(","))
    sheet["H7"] = "surplus"
    book.save(tmp_path / "staff.xlsx")
    assert refused(tmp_path / "staff.xlsx") == [
        "staff.xlsx:7: a value in column H, which has no header (it would be lost)"
    ]


def test_an_unclosed_quote_is_reported_where_its_row_starts(tmp_path: Path) -> None:
    lines = staff_lines(6)
    lines[2] = 'E3,"Person 3,PSA,ED,Emergency,2020-01-01,day'
    assert refused(write_csv(tmp_path / "staff.csv", lines)) == [
        "staff.csv:4: a quote opened in the row starting on this line is never closed "
        "(the file ends inside a quoted field)"
    ]


def test_a_quote_closed_in_the_middle_of_a_value_is_reported_where_its_row_starts(
    tmp_path: Path,
) -> None:
    # the stray quote on line 4 runs on to the next quote, on line 6, which text follows
    lines = staff_lines(6)
    lines[2] = 'E3,"Person 3,PSA,ED,Emergency,2020-01-01,day'
    lines[4] = 'E5,Person "Five",PSA,ED,Emergency,2020-01-01,day'
    (problem,) = refused(write_csv(tmp_path / "staff.csv", lines))
    assert problem.startswith("staff.csv:4: a quote opened in the row starting on this line")
    assert "line 6" in problem


def test_a_quoted_value_may_span_lines_and_its_row_is_cited_by_its_first_line(
    tmp_path: Path,
) -> None:
    lines = staff_lines(3)
    lines[0] = 'E1,"Person\nOne",PSA,ED,Emergency,2020-01-01,day'
    lines[2] = 'E3,"Person\nThree",NOPE,ED,Emergency,2020-01-01,day'
    assert refused(write_csv(tmp_path / "staff.csv", lines)) == [
        "staff.csv:5 field 'role': unknown role 'NOPE' (give a role URI or code from the taxonomy)"
    ]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("employee_number", 40), ("role", 300), ("name", 200), ("unit_code", 40), ("unit_name", 200)],
)
def test_each_text_column_is_refused_one_character_past_its_documented_limit(
    tmp_path: Path, field: str, limit: int
) -> None:
    columns = HEADER.split(",")
    cells = staff_lines(1)[0].split(",")
    cells[columns.index(field)] = "x" * limit
    fits = write_csv(tmp_path / "fits.csv", [",".join(cells)])
    assert len(read_hr_file(fits, resolve_any)) == 1
    cells[columns.index(field)] = "x" * (limit + 1)
    with pytest.raises(ImportFailed) as caught:
        read_hr_file(write_csv(tmp_path / "staff.csv", [",".join(cells)]), resolve_any)
    assert [str(p) for p in caught.value.problems] == [
        f"staff.csv:2 field {field!r}: is longer than {limit} characters ({limit + 1})"
    ]


def test_a_worker_given_field_by_field_meets_the_same_limits() -> None:
    record = {"employee_number": "E1", "role": "PSA", "unit_code": "U" * 41}
    with pytest.raises(InputError, match="field 'unit_code': is longer than 40 characters"):
        parse_record(record, resolve)


def test_the_limits_fit_the_database_columns() -> None:
    columns = {
        "employee_number": workforce.worker.c.employee_number,
        "role": workforce.worker.c.role_uri,
        "name": workforce.worker.c.name,
        "unit_code": workforce.unit.c.code,
        "unit_name": workforce.unit.c.name,
    }
    assert {f: c.type.length for f, c in columns.items()} == dict(MAX_CHARS)


@pytest.mark.parametrize("value", ["20200101", "2020-W01-1", "2020-001"])
def test_a_date_other_than_yyyy_mm_dd_is_refused_as_documented(value: str) -> None:
    record = {"employee_number": "E1", "role": "PSA", "employed_from": value}
    with pytest.raises(InputError, match=f"field 'employed_from': bad date '{value}'"):
        parse_record(record, resolve)


@pytest.mark.parametrize("value", ["\u00b9\u2079\u2078\u2078", "\uff11\uff19\uff18\uff18"])
def test_a_birth_year_in_digits_other_than_0_to_9_is_refused_not_a_crash(value: str) -> None:
    # superscript digits pass str.isdigit() but int() raises ValueError (a 500 on the API)
    record = {"employee_number": "E1", "role": "PSA", "birth_year": value}
    with pytest.raises(InputError, match="field 'birth_year': bad year"):
        parse_record(record, resolve)


def test_text_that_is_not_valid_unicode_is_refused_naming_its_field() -> None:
    record = {"employee_number": "E1", "role": "PSA", "unit_name": "Ward \ud800"}
    with pytest.raises(InputError) as caught:
        parse_record(record, resolve)
    assert [str(p) for p in caught.value.problems] == [
        "request field 'unit_name': is not valid Unicode (a lone surrogate such as \\ud800, "
        "at character 6)"
    ]


def staff_book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_formula_is_refused_with_its_row_and_field_not_read_as_empty(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [line.split(",") for line in staff_lines(3)]
    rows[1][1] = "=1+1"
    rows[2][5] = "=NOW()"
    assert refused(staff_book(tmp_path / "staff.xlsx", rows)) == [
        "staff.xlsx:3 field 'name': is a formula (=1+1), not a value; paste the values instead",
        "staff.xlsx:4 field 'employed_from': is a formula (=NOW()), not a value; paste the "
        "values instead",
    ]


def test_xlsx_text_that_starts_with_an_equals_sign_is_text(tmp_path: Path) -> None:
    path = staff_book(tmp_path / "staff.xlsx", [line.split(",") for line in staff_lines(1)])
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["B2"] = "=Tan"
    sheet["B2"].data_type = "s"  # what Excel stores for '=Tan typed with a leading quote
    book.save(path)
    (row,) = read_hr_file(path, resolve)
    assert row.name == "=Tan"
