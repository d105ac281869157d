"""The staff gaps page (/hr/gaps) when a role cannot be shown unit by unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services.gaps import TooManySmallGroups, group_gap
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


def _numbers(page: str) -> list[int]:
    """Every count the heatmap prints (cells and group sizes)."""
    table = page[page.index('<table class="heatmap">') : page.index("</table>")]
    cells = re.findall(r'<td class="num[^"]*">(\d+)</td>', table)
    sizes = re.findall(r'<span class="kind">\((\d+)\)</span>', table)
    return [int(n) for n in cells + sizes]


def test_a_role_by_unit_with_too_many_small_groups_suggests_the_whole_institution(
    careshift: Careshift, hospitals: tuple[int, int], hr: TestClient
) -> None:
    many, _ = hospitals
    query = {"institution_id": str(many), "role_uri": PSA}
    page = hr.get("/hr/gaps", params={**query, "by": "unit"})
    assert page.status_code == 200
    assert "Choose “whole institution” under “Group by”" in page.text
    assert '<select id="by" name="by">' in page.text  # the form is still there
    assert 'class="heatmap"' not in page.text  # and no count at all
    norwegian = hr.get(
        "/hr/gaps", params={**query, "by": "unit"}, headers={"accept-language": "nb"}
    )
    assert "Velg «hele virksomheten» under «Grupper etter»" in norwegian.text
    whole = hr.get("/hr/gaps", params={**query, "by": "none"})
    assert whole.status_code == 200
    assert f"({3 * UNITS})" in whole.text  # the role across the institution
    assert all(n == 0 or n >= 5 for n in _numbers(whole.text))


def test_the_api_names_the_choices_that_work_when_it_refuses_a_role_by_unit(
    careshift: Careshift, hospitals: tuple[int, int], hr: TestClient
) -> None:
    many, _ = hospitals
    url = f"/api/v1/institutions/{many}/gaps"
    refused = hr.get(url, params={"role": PSA, "by": "unit"})
    assert refused.status_code == 422
    assert "as a whole (by none)" in refused.json()["detail"]
    assert "report by unit or by role instead" not in refused.json()["detail"]
    with pytest.raises(TooManySmallGroups):
        group_gap(careshift, SYSTEM, many, role_uri=PSA, by="unit")
    # the advice holds: the role as a whole, or every unit of the institution
    whole = hr.get(url, params={"role": PSA, "by": "none"}).json()
    assert whole["headcount"] == 3 * UNITS
    units = hr.get(url, params={"target": PSA, "by": "unit"}).json()
    assert len(units["groups"]) == UNITS and all(g["size"] == 6 for g in units["groups"])


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
