"""HR import: all rows or none, bad rows named by line and field, idempotent, history kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Table, func, select

from careshift import Careshift
from careshift.adapters.db.tables import workforce as t
from careshift.domain.access import SYSTEM
from careshift.errors import ImportFailed
from careshift.services.workers import import_workers, list_workers
from tests.support.workforce import (
    HEADER,
    PSA,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


@pytest.fixture
def hospital_id(careshift: Careshift) -> int:
    load_small_framework(careshift)
    return make_hospital(careshift).id


def count_rows(careshift: Careshift, table: Table) -> int:
    with careshift.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("role", "NOPE", "unknown role"),
        ("employed_from", "2020-13-45", "bad date"),
        ("employee_number", "E00002", "duplicate employee number"),
        ("shift_pattern", "sometimes", "is not one of"),
    ],
)
def test_one_bad_line_imports_nothing_and_names_the_line_and_field(
    careshift: Careshift, hospital_id: int, tmp_path: Path, field: str, value: str, message: str
) -> None:
    rows = make_staff(6)
    rows[3][field] = value
    path = write_hr_csv(tmp_path / "staff.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        import_workers(careshift, path, hospital_id)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("staff.csv", 5, field)
    assert message in problem.message
    assert count_rows(careshift, t.worker) == 0
    assert count_rows(careshift, t.unit) == 0


def test_a_missing_required_column_is_named_on_the_header_line(
    careshift: Careshift, hospital_id: int, tmp_path: Path
) -> None:
    path = write_hr_csv(tmp_path / "staff.csv", make_staff(2), header=["employee_number", "name"])
    with pytest.raises(ImportFailed) as caught:
        import_workers(careshift, path, hospital_id)
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "role")]


def test_reimporting_the_same_file_changes_nothing(
    careshift: Careshift, hospital_id: int, tmp_path: Path
) -> None:
    path = write_hr_csv(tmp_path / "staff.csv", make_staff(7))
    assert import_workers(careshift, path, hospital_id) == {
        "created": 7, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert import_workers(careshift, path, hospital_id) == {
        "created": 0, "updated": 0, "unchanged": 7,
    }  # fmt: skip
    assert count_rows(careshift, t.worker) == 7
    assert count_rows(careshift, t.worker_history) == 0


def test_a_changed_row_updates_the_worker_and_keeps_the_old_values_in_history(
    careshift: Careshift, hospital_id: int, tmp_path: Path
) -> None:
    rows = make_staff(3)
    import_workers(careshift, write_hr_csv(tmp_path / "a.csv", rows), hospital_id)
    rows[1]["unit_code"] = "ICU"
    counts = import_workers(careshift, write_hr_csv(tmp_path / "b.csv", rows), hospital_id)
    assert counts == {"created": 0, "updated": 1, "unchanged": 2}
    moved = list_workers(careshift, SYSTEM, hospital_id, unit_code="ICU")
    assert [w.employee_number for w in moved] == ["E00002"]
    with careshift.store.engine.connect() as connection:
        (previous,) = connection.scalars(select(t.worker_history.c.previous)).all()
    assert json.loads(previous)["employee_number"] == "E00002"
    assert json.loads(previous)["role_uri"] == PSA


def test_an_xlsx_file_with_a_semantic_problem_cites_its_row(
    careshift: Careshift, hospital_id: int, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["E1", "A", "PSA", "ED", "2021-02-03", "night"])
    sheet.append(["E2", "B", "PSA", "ED", "yesterday", "night"])
    book.save(tmp_path / "staff.xlsx")
    with pytest.raises(ImportFailed) as caught:
        import_workers(careshift, tmp_path / "staff.xlsx", hospital_id)
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "employed_from")]
    sheet.delete_rows(3)
    book.save(tmp_path / "staff.xlsx")
    assert import_workers(careshift, tmp_path / "staff.xlsx", hospital_id)["created"] == 1
