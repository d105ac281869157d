"""Workforce planning through the services, CLI and REST API on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from careshift import Careshift
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.entrypoints.api.app import create_app
from careshift.entrypoints.cli import app as cli
from careshift.errors import ImportFailed, PermissionDenied
from careshift.services.accounts import create_user, grant
from careshift.services.competence_demand import demand_report
from careshift.services.projection_scenarios import EXAMPLES
from careshift.services.tokens import create_token
from careshift.services.workers import import_workers
from tests.support.hostile_yaml import DEEP, billion_laughs
from tests.support.workforce import (
    PSA,
    RECORDS,
    RECORDS_SKILL,
    REGISTRATION,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


@pytest.fixture
def hospital(careshift: Careshift, tmp_path: Path) -> int:
    load_small_framework(careshift)
    place = make_hospital(careshift, "A").id
    import_workers(careshift, write_hr_csv(tmp_path / "a.csv", make_staff(15)), place)
    return place


def write_posts(path: Path, text: str = "role,posts\nPSA,20\nMRO,5\n") -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_demand_from_planned_posts_against_supply_from_profiles(
    careshift: Careshift, hospital: int, tmp_path: Path
) -> None:
    report = demand_report(careshift, SYSTEM, hospital, posts=write_posts(tmp_path / "p.csv"))
    rows = {row["skill_uri"]: row for row in report["competences"]}
    # registration: 20 PSA posts (level 3) + 5 MRO posts (optional): 25 asked at level 3;
    # the 15 PSAs hold it at their role's level 3 by default
    assert (rows[REGISTRATION]["demand"], rows[REGISTRATION]["supply"]) == (25, 15)
    assert rows[REGISTRATION]["shortage"] == 10
    # electronic records at level 4 for 5 MRO posts: nobody has it
    assert (rows[RECORDS_SKILL]["demand"], rows[RECORDS_SKILL]["supply"]) == (5, 0)
    roles = {row["role_uri"]: row for row in report["roles"]}
    assert (roles[PSA]["staff"], roles[PSA]["shortage"]) == (15, 5)
    assert (roles[RECORDS]["staff"], roles[RECORDS]["shortage"]) == (0, 5)
    assert report["headcount"] == 15


def test_a_small_institution_publishes_no_supply_count_that_singles_people_out(
    careshift: Careshift, tmp_path: Path
) -> None:
    load_small_framework(careshift)
    clinic = make_hospital(careshift, "C").id
    import_workers(careshift, write_hr_csv(tmp_path / "c.csv", make_staff(2)), clinic)
    report = demand_report(careshift, SYSTEM, clinic, posts=write_posts(tmp_path / "p.csv"))
    assert report["headcount"] is None
    assert all(row["supply"] in (None, 0) for row in report["competences"])
    assert all(row["shortage"] is None for row in report["competences"] if row["supply"] is None)


def test_unknown_roles_in_a_posts_file_are_refused_with_their_line(
    careshift: Careshift, hospital: int, tmp_path: Path
) -> None:
    posts = write_posts(tmp_path / "p.csv", "role,posts\nPSA,2\nporter,3\nMRO,x\n")
    with pytest.raises(ImportFailed) as refused:
        demand_report(careshift, SYSTEM, hospital, posts=posts)
    assert [(p.line, p.field) for p in refused.value.problems] == [(4, "posts")]
    posts.write_text("role,posts\nPSA,2\nporter,3\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        demand_report(careshift, SYSTEM, hospital, posts=posts)
    assert str(refused.value.problems[0]).endswith("p.csv:3 field 'role': unknown role 'porter'")


def test_a_planner_of_another_institution_may_not_read_its_demand(
    careshift: Careshift, hospital: int, tmp_path: Path
) -> None:
    other = make_hospital(careshift, "B").id
    planner = Principal("planner", frozenset({Role.HR}), frozenset({other}))
    with pytest.raises(PermissionDenied):
        demand_report(careshift, planner, hospital, posts=write_posts(tmp_path / "p.csv"))


def test_the_demand_cli_prints_json_and_exports_xlsx(
    careshift: Careshift, hospital: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", careshift.settings.effective_database_url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(careshift.settings.data_dir))
    posts, out = write_posts(tmp_path / "p.csv"), tmp_path / "demand.xlsx"
    done = CliRunner().invoke(
        cli, ["demand", "report", "--institution", "A", "--posts", str(posts), "--json",
              "--out", str(out)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["competences"][0]["skill_uri"] == REGISTRATION
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["skill_uri", "label"] and sheet.max_row == len(report["competences"]) + 1


def test_plan_and_placements_cli_read_the_shipped_examples(tmp_path: Path) -> None:
    runner = CliRunner()
    wisn = runner.invoke(cli, ["plan", "wisn", str(EXAMPLES / "wisn.yaml"), "--json"])
    assert wisn.exit_code == 0, wisn.output
    assert json.loads(wisn.stdout)["results"][0]["available_working_time_hours"] == 1720
    out = tmp_path / "projection.csv"
    projected = runner.invoke(
        cli, ["plan", "project", "synthetic-hospital", "--json", "--out", str(out)]
    )
    assert projected.exit_code == 0, projected.output
    assert json.loads(projected.stdout)["scenarios"] == ["no retraining", "academy plan"]
    assert out.read_text(encoding="utf-8").startswith("scenario,year,role,region,headcount")
    matched = runner.invoke(
        cli, ["placements", "match", str(EXAMPLES / "placements.yaml"), "--json"]
    )
    assert matched.exit_code == 0, matched.output
    assert json.loads(matched.stdout)["stable"] is True


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(careshift: Careshift, email: str, role: Role, institution_id: int) -> dict[str, str]:
    user_id = create_user(careshift, email, email)
    grant(careshift, user_id, role, institution_id, by=SYSTEM)
    token = create_token(careshift, user_id, "test", ["read", "write"], by=SYSTEM)
    return {"Authorization": f"Bearer {token}"}


def test_rest_calculates_wisn_placements_and_projections_for_a_signed_in_planner(
    careshift: Careshift, hospital: int, client: TestClient
) -> None:
    planner = bearer(careshift, "hr@a.test", Role.HR, hospital)
    wisn = client.post(
        "/api/v1/planning/wisn",
        content=(EXAMPLES / "wisn.yaml").read_bytes(),
        headers={**planner, "Content-Type": "application/yaml"},
    )
    assert wisn.status_code == 200, wisn.text
    assert wisn.json()["results"][0]["required_staff"] > 0
    placements = client.post(
        "/api/v1/planning/placements/match",
        content=(EXAMPLES / "placements.yaml").read_bytes(),
        headers=planner,
    )
    assert placements.status_code == 403  # students are the education side's, not HR's
    coordinator = bearer(careshift, "edu@a.test", Role.EDUCATION, hospital)
    matched = client.post(
        "/api/v1/planning/placements/match",
        content=(EXAMPLES / "placements.yaml").read_bytes(),
        headers=coordinator,
    )
    assert matched.status_code == 200 and matched.json()["stable"] is True
    example = client.get(
        "/api/v1/planning/projections/examples/synthetic-hospital", headers=planner
    )
    assert example.status_code == 200
    assert example.json()["chart"]["$schema"].endswith("vega-lite/v5.json")
    assert client.post("/api/v1/planning/wisn", content=b"facilities: []").status_code == 401


def test_rest_answers_bad_documents_and_foreign_institutions_with_problems(
    careshift: Careshift, hospital: int, client: TestClient
) -> None:
    other = make_hospital(careshift, "B").id
    planner = bearer(careshift, "hr@b.test", Role.HR, other)
    bad = client.post(
        "/api/v1/planning/wisn",
        content=json.dumps({"facilities": [{"name": "X", "roles": [{"role": "nurse"}]}]}),
        headers=planner,
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert "request body:1" in bad.text
    foreign = client.post(
        "/api/v1/planning/demand",
        json={"institution_id": hospital, "posts": [{"role": "PSA", "posts": 3}]},
        headers=planner,
    )
    assert foreign.status_code == 403
    missing = client.get("/api/v1/planning/projections/examples/nowhere", headers=planner)
    assert missing.status_code == 404


@pytest.mark.parametrize("path", ["wisn", "placements/match", "projections"])
@pytest.mark.parametrize("body", [b"since: 2026-02-30\n", b"name: a\x00b\n"])
def test_rest_answers_an_impossible_date_or_forbidden_character_with_a_422(
    careshift: Careshift, hospital: int, client: TestClient, path: str, body: bytes
) -> None:
    role = Role.EDUCATION if path.startswith("placements") else Role.HR
    planner = bearer(careshift, "planner@a.test", role, hospital)
    answer = client.post(f"/api/v1/planning/{path}", content=body, headers=planner)
    assert answer.status_code == 422, answer.text
    assert "not valid YAML" in answer.json()["errors"][0]


@pytest.mark.parametrize(
    ("path", "role"),
    [("wisn", Role.HR), ("placements/match", Role.EDUCATION), ("projections", Role.HR)],
)
def test_rest_refuses_an_alias_bomb_or_deep_nesting_with_a_422_naming_the_line(
    careshift: Careshift, hospital: int, client: TestClient, path: str, role: Role
) -> None:
    planner = bearer(careshift, "planner@a.test", role, hospital)
    bodies = [(billion_laughs(9), "anchors and aliases")]
    bodies += [(text, "nested too deeply") for text in DEEP.values()]
    for body, says in bodies:
        answer = client.post(f"/api/v1/planning/{path}", content=body, headers=planner)
        assert answer.status_code == 422, (body[:40], answer.text)
        [error] = answer.json()["errors"]
        assert error.startswith("request body:1") and says in error


def test_rest_refuses_numbers_that_are_not_finite_naming_line_and_field(
    careshift: Careshift, hospital: int, client: TestClient
) -> None:
    planner = bearer(careshift, "hr@a.test", Role.HR, hospital)
    coordinator = bearer(careshift, "edu@a.test", Role.EDUCATION, hospital)
    psa = "facilities[0].roles[0]"
    for path, example, old, new, where in [
        ("wisn", "wisn.yaml", "unit_minutes: 5,", "unit_minutes: .inf,",
         f"16 field '{psa}.activities[0].unit_minutes'"),
        ("wisn", "wisn.yaml", "current_staff: 72", "current_staff: .nan",
         f"14 field '{psa}.current_staff'"),
        ("placements/match", "placements.yaml", "seed: 2027", "seed: .nan", "2 field 'seed'"),
        ("placements/match", "placements.yaml", "year: 2,", "year: .nan,",
         "23 field 'students[0].year'"),
        ("projections", "projection-synthetic-hospital.yaml", "start_year: 2026",
         "start_year: .nan", "5 field 'start_year'"),
        ("projections", "projection-synthetic-hospital.yaml", "headcount: 4000",
         "headcount: .nan", "16 field 'roles[0].headcount'"),
    ]:  # fmt: skip
        body = (EXAMPLES / example).read_text(encoding="utf-8").replace(old, new, 1)
        headers = coordinator if path.startswith("placements") else planner
        answer = client.post(f"/api/v1/planning/{path}", content=body, headers=headers)
        assert answer.status_code == 422, (new, answer.text)
        [error] = answer.json()["errors"]
        assert error.startswith(f"request body:{where}: expected a finite number"), error


def test_demand_by_region_sums_only_published_supply(
    careshift: Careshift, hospital: int, tmp_path: Path
) -> None:
    from careshift.services.demand_regions import demand_by_region
    from careshift.services.institutions import add_institution

    west = add_institution(careshift, "W", "West clinic", region="Vest").id
    import_workers(careshift, write_hr_csv(tmp_path / "w.csv", make_staff(8, start=300)), west)
    small = add_institution(careshift, "S", "Small clinic", region="Vest").id
    import_workers(careshift, write_hr_csv(tmp_path / "s.csv", make_staff(2, start=400)), small)
    posts = tmp_path / "posts.csv"
    posts.write_text("institution,role,posts\nA,PSA,20\nW,PSA,10\nS,PSA,4\n", encoding="utf-8")
    result = demand_by_region(careshift, SYSTEM, posts)
    regions = {r["region"]: r for r in result["regions"]}
    assert regions["Vest"]["institutions"] == ["W", "S"]
    vest = {row["skill_uri"]: row for row in regions["Vest"]["competences"]}
    # the small clinic's supply is suppressed, so the region's is not given either
    assert vest[REGISTRATION]["demand"] == 14 and vest[REGISTRATION]["supply"] is None
    alone = {row["skill_uri"]: row for row in regions["(no region)"]["competences"]}
    assert (alone[REGISTRATION]["demand"], alone[REGISTRATION]["supply"]) == (20, 15)
    posts.write_text("institution,role,posts\nNOWHERE,PSA,1\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        demand_by_region(careshift, SYSTEM, posts)
    assert (refused.value.problems[0].line, refused.value.problems[0].field) == (2, "institution")
