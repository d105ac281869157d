"""Planner pages render in the reader's language, recalculate pasted documents, show problems."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import Role
from careshift.entrypoints.api.app import create_app
from careshift.services.workers import import_workers
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in
from tests.support.workforce import load_small_framework, make_staff, write_hr_csv


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def analyst(careshift: Careshift, client: TestClient, tmp_path: Path) -> int:
    load_small_framework(careshift)
    place = make_institution(careshift, "A", "Hospital A")
    import_workers(careshift, write_hr_csv(tmp_path / "hr.csv", make_staff(12)), place)
    sign_in(client, make_account(careshift, Role.ANALYST, place))
    return place


def test_every_planning_page_is_in_the_analysts_menu_and_renders(
    client: TestClient, analyst: int
) -> None:
    home = client.get("/").text
    for path in ("wisn", "projections", "demand", "recruitment", "placements"):
        assert f'href="/planning/{path}"' in home
        page = client.get(f"/planning/{path}")
        assert page.status_code == 200, (path, page.text[:300])
    projections = client.get("/planning/projections").text
    assert 'data-spec="/api/v1/planning/charts/projections/synthetic-hospital' in projections
    assert "academy plan" in projections
    chart = client.get("/api/v1/planning/charts/projections/synthetic-hospital?lang=nb")
    assert chart.json()["title"] == "Antall ansatte (heltrukket) og behov (stiplet) per rolle"


def test_the_wisn_page_recalculates_a_pasted_document_and_lists_its_problems(
    client: TestClient, analyst: int
) -> None:
    page = client.get("/planning/wisn", headers={"accept-language": "sv"})
    assert "Nödvändig bemanning" in page.text
    bad = "facilities:\n  - name: X\n    roles:\n      - {role: nurse, current_staff: many}\n"
    answer = client.post("/planning/wisn", data={"document": bad, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200
    assert "document:4 field &#39;facilities[0].roles[0].current_staff&#39;" in answer.text


def test_the_demand_page_shows_competences_short_for_planned_posts(
    client: TestClient, analyst: int
) -> None:
    page = client.get("/planning/demand")
    answer = client.post(
        "/planning/demand",
        data={"institution_id": str(analyst), "posts": "PSA,20\nMRO,5",
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "Electronic records" in answer.text and "Patient registration" in answer.text


def test_hr_corrects_a_task_on_the_impact_register_page(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    from careshift.services.demo import STARTER_FRAMEWORK
    from careshift.services.frameworks import load_framework

    load_framework(careshift, STARTER_FRAMEWORK)
    place = make_institution(careshift, "B", "Hospital B")
    sign_in(client, make_account(careshift, Role.HR, place))
    page = client.get("/planning/impact", headers={"accept-language": "nb"})
    assert page.status_code == 200 and "Register over rollepåvirkning" in page.text
    role = next(uri for uri in re.findall(r'name="role_uri" value="([^"]+)"', page.text)
                if uri.endswith("patient_service_associate"))  # fmt: skip
    saved = client.post(
        "/planning/impact",
        data={"institution_id": str(place), "role_uri": role, "task_id": "payment_collection",
              "change": "changed", "share": "0.2", "year": "2030", "reason": "cash kept",
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert saved.status_code == 200
    assert ">yes<" in saved.text  # the task now carries the local override


@pytest.mark.parametrize("role", [Role.UNION, Role.ANALYST])
def test_readers_of_the_impact_register_are_offered_no_correction_form(
    careshift: Careshift, client: TestClient, role: Role
) -> None:
    from careshift.services.demo import STARTER_FRAMEWORK
    from careshift.services.frameworks import load_framework

    load_framework(careshift, STARTER_FRAMEWORK)
    place = make_institution(careshift, "B", "Hospital B")
    sign_in(client, make_account(careshift, role, place))
    page = client.get("/planning/impact")
    assert page.status_code == 200
    assert "Tasks and how technology changes them" in page.text  # the register itself
    assert "Correct a task for this institution" not in page.text
    assert 'name="task_id"' not in page.text


def test_a_saved_projection_is_shown_with_its_chart(
    careshift: Careshift, client: TestClient, analyst: int
) -> None:
    from careshift.domain.access import SYSTEM
    from careshift.services.planning_documents import save_document
    from careshift.services.projection_scenarios import EXAMPLES

    body = (EXAMPLES / "projection-synthetic-hospital.yaml").read_text(encoding="utf-8")
    body = body.replace("name: academy plan", "name: faster academy")
    save_document(careshift, SYSTEM, analyst, "projection", "region plan", body)
    page = client.get("/planning/projections", params={"name": "region plan"})
    assert page.status_code == 200 and "faster academy" in page.text
    chart_url = f"/api/v1/planning/documents/{analyst}/projection/region%20plan/chart?lang=en"
    assert f'data-spec="{chart_url}"' in page.text
    assert client.get(chart_url).json()["data"]["values"][0]["scenario"] == "no retraining"


def test_the_students_page_gives_the_share_of_male_students(
    careshift: Careshift, client: TestClient, analyst: int
) -> None:
    page = client.get("/planning/education", headers={"accept-language": "nb"})
    assert page.status_code == 200 and "Studenter" in page.text
    rows = ["helsesekretaer,2024,female,2005,enrolled"] * 16
    rows += ["helsesekretaer,2024,male,2005,enrolled"] * 5
    answer = client.post(
        "/planning/education",
        data={"students": "programme,intake_year,gender,birth_year,status\n" + "\n".join(rows),
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "helsesekretaer 2024" in answer.text and "24%" in answer.text  # 5 of 21 are men


@pytest.mark.parametrize("path", ["wisn", "placements"])
def test_a_pasted_document_with_an_impossible_date_is_listed_as_a_problem(
    client: TestClient, analyst: int, path: str
) -> None:
    page = client.get(f"/planning/{path}")
    bad = "facilities: []\nsince: 2026-02-30\n"
    answer = client.post(
        f"/planning/{path}", data={"document": bad, "csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 200
    assert "not valid YAML: day is out of range for month" in answer.text


def test_a_students_file_with_a_field_over_the_csv_limit_is_listed_as_a_problem(
    client: TestClient, analyst: int, csv_field_limit: int
) -> None:
    page = client.get("/planning/education")
    students = "programme,intake_year,gender,birth_year,status\n" + "x" * (csv_field_limit + 1)
    answer = client.post(
        "/planning/education", data={"students": students, "csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 200
    assert "not valid CSV: field larger than field limit" in answer.text


@pytest.mark.parametrize("year", ["-1", "10000", "1899"])
def test_the_recruitment_page_refuses_a_year_no_calendar_has(
    client: TestClient, analyst: int, year: str
) -> None:
    answer = client.get(f"/planning/recruitment?institution_id={analyst}&year={year}")
    assert answer.status_code == 422
    assert "year" in answer.text
