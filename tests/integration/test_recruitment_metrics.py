"""Recruitment and retention metrics: flows per role, gender balance, suppression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careshift import Careshift
from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli import app as cli
from careshift.errors import ImportFailed
from careshift.services.recruitment_metrics import education_metrics, workforce_metrics
from careshift.services.workers import import_workers
from tests.support.workforce import PSA, load_small_framework, make_hospital, write_hr_csv

HEADER = ["employee_number", "name", "role", "unit_code", "employed_from", "employed_to",
          "shift_pattern", "gender", "birth_year"]  # fmt: skip


def person(number: int, joined: str, left: str = "", gender: str = "female", born: int = 1990):
    return {"employee_number": f"E{number:05d}", "name": f"P {number}", "role": "PSA",
            "unit_code": "ED", "employed_from": joined, "employed_to": left,
            "shift_pattern": "day", "gender": gender, "birth_year": str(born)}  # fmt: skip


def test_retention_hires_and_gender_balance_of_a_role_in_a_year(
    careshift: Careshift, tmp_path: Path
) -> None:
    load_small_framework(careshift)
    place = make_hospital(careshift).id
    staff = (
        [person(i, "2020-01-01") for i in range(12)]
        + [person(20 + i, "2019-05-01", "2026-06-30", "male") for i in range(5)]
        + [person(40 + i, "2026-03-01", gender="male", born=2001) for i in range(6)]
    )
    import_workers(careshift, write_hr_csv(tmp_path / "hr.csv", staff, HEADER), place)
    report = workforce_metrics(careshift, SYSTEM, place, 2026)
    (row,) = report["retention"]
    assert row["role_uri"] == PSA
    # 17 at the start of 2026, 5 of them left: retention 12/17; 6 hired during the year
    assert (row["total"], row["stayed"], row["left"], row["hired"]) == (17, 12, 5, 6)
    assert row["retention"] == round(12 / 17, 3)
    (gender,) = report["gender"]
    # at the end of 2026 (min cell size 5): 12 women and the 6 men hired
    assert (gender["total"], gender["female"], gender["male"]) == (18, 12, 6)
    assert gender["share_male"] == round(6 / 18, 3)


def test_a_role_with_two_people_publishes_no_count_below_the_cell_size(
    careshift: Careshift, tmp_path: Path
) -> None:
    load_small_framework(careshift)
    place = make_hospital(careshift).id
    staff = [person(1, "2020-01-01"), person(2, "2020-01-01", gender="male")]
    import_workers(careshift, write_hr_csv(tmp_path / "hr.csv", staff, HEADER), place)
    (gender,) = workforce_metrics(careshift, SYSTEM, place, 2026)["gender"]
    assert gender["female"] is None and gender["male"] is None
    assert gender["share_male"] is None


def students_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("programme,intake_year,gender,birth_year,status\n" + "\n".join(rows) + "\n")
    return path


def test_education_metrics_give_completion_and_the_share_of_male_students(tmp_path: Path) -> None:
    rows = (["helsesekretaer,2023,female,2004,completed"] * 14
            + ["helsesekretaer,2023,male,2004,completed"] * 3
            + ["helsesekretaer,2023,female,2003,left"] * 3)  # fmt: skip
    report = education_metrics(students_csv(tmp_path / "s.csv", rows), 3)
    (outcome,) = report["outcomes"]
    assert (outcome["total"], outcome["completed"], outcome["left"]) == (20, 17, 3)
    (gender,) = report["gender"]
    assert gender["share_male"] == 0.15


def test_a_students_file_with_an_unknown_status_is_refused_with_its_line(tmp_path: Path) -> None:
    path = students_csv(tmp_path / "s.csv", ["hs,2023,female,2004,graduated"])
    with pytest.raises(ImportFailed) as refused:
        education_metrics(path, 3)
    assert (refused.value.problems[0].line, refused.value.problems[0].field) == (2, "status")


def test_the_recruitment_cli_prints_json(
    careshift: Careshift, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_small_framework(careshift)
    place = make_hospital(careshift, "H9").id
    staff = [person(i, "2020-01-01") for i in range(5)]
    import_workers(careshift, write_hr_csv(tmp_path / "hr.csv", staff, HEADER), place)
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", careshift.settings.effective_database_url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(careshift.settings.data_dir))
    done = CliRunner().invoke(
        cli, ["plan", "recruitment", "--institution", "H9", "--year", "2026", "--json"]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["retention"][0]["stayed"] == 5
