"""The staff gaps page (/hr/gaps) when a role cannot be shown unit by unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services.gaps import group_gap
from careshift.services.workers import import_workers
from tests.support.accounts import make_account, sign_in
from tests.support.workforce import (
    PSA,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)

UNITS = 40


@pytest.fixture
def hospitals(careshift: Careshift, tmp_path: Path) -> tuple[int, int]:
    """(many small units, no staff): 40 units of 3 PSAs and 3 records officers each, so every
    unit-role group is smaller than 5 people; and a clinic nobody works at yet."""
    load_small_framework(careshift)
    many, empty = make_hospital(careshift, "MANY").id, make_hospital(careshift, "EMPTY").id
    staff = []
    for unit in range(UNITS):
        staff += make_staff(3, "PSA", f"U{unit:02d}", start=6 * unit + 1)
        staff += make_staff(3, "MRO", f"U{unit:02d}", start=6 * unit + 4)
    import_workers(careshift, write_hr_csv(tmp_path / "staff.csv", staff), many)
    return many, empty


@pytest.fixture
def hr(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        sign_in(client, make_account(careshift, Role.HR, None))
        yield client


def test_an_institution_without_staff_is_an_empty_report_not_a_refusal(
    careshift: Careshift, hospitals: tuple[int, int], hr: TestClient
) -> None:
    _, empty = hospitals
    report = group_gap(careshift, SYSTEM, empty, role_uri=PSA, by="unit")
    assert (report.groups, report.headcount) == ([], None)
    page = hr.get("/hr/gaps", params={"institution_id": str(empty), "role_uri": PSA, "by": "unit"})
    assert page.status_code == 200
    assert "Nothing can be shown for this role here" in page.text
    assert "too many small groups" not in page.text
