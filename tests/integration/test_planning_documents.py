"""Saved planning documents: checked before saving, versioned, rerun like a file, per tenant."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from careshift import Careshift
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.entrypoints.api.app import create_app
from careshift.entrypoints.cli import app as cli
from careshift.errors import ImportFailed, NotFound, PermissionDenied
from careshift.services.accounts import create_user, grant
from careshift.services.placement_matching import match_file
from careshift.services.planning_documents import list_documents, run_document, save_document
from careshift.services.projection_scenarios import EXAMPLES
from careshift.services.tokens import create_token
from tests.support.workforce import make_hospital


def test_a_saved_placement_round_reruns_like_its_file_and_keeps_versions(
    careshift: Careshift,
) -> None:
    place = make_hospital(careshift).id
    body = (EXAMPLES / "placements.yaml").read_text(encoding="utf-8")
    assert save_document(careshift, SYSTEM, place, "placements", "autumn", body)["version"] == 1
    smaller = body.replace("places: {2028-spring: 2}", "places: {2028-spring: 1}")
    assert save_document(careshift, SYSTEM, place, "placements", "autumn", smaller)["version"] == 2
    result = run_document(careshift, SYSTEM, place, "placements", "autumn")
    assert result == match_file("autumn", smaller)
    lab = next(r for r in result["shortage"] if r["type"] == "lab")
    assert lab["offered"] == 1
    (listed,) = list_documents(careshift, SYSTEM, place)
    assert (listed["kind"], listed["name"], listed["versions"]) == ("placements", "autumn", 2)


def test_a_bad_document_is_refused_and_nothing_is_saved(careshift: Careshift) -> None:
    place = make_hospital(careshift).id
    with pytest.raises(ImportFailed):
        save_document(careshift, SYSTEM, place, "wisn", "study", "facilities: [{name: X}]")
    assert list_documents(careshift, SYSTEM, place) == []
    with pytest.raises(NotFound):
        run_document(careshift, SYSTEM, place, "wisn", "study")


def test_a_document_with_an_infinite_number_is_refused_over_rest_and_not_saved(
    careshift: Careshift,
) -> None:
    place = make_hospital(careshift, "H").id
    user = create_user(careshift, "hr@h.test", "HR")
    grant(careshift, user, Role.HR, place, by=SYSTEM)
    token = create_token(careshift, user, "t", ["read", "write"], by=SYSTEM)
    headers = {"Authorization": f"Bearer {token}"}
    body = (EXAMPLES / "wisn.yaml").read_text(encoding="utf-8")
    body = body.replace("unit_minutes: 5,", "unit_minutes: .inf,", 1)
    study = f"/api/v1/planning/documents/{place}/wisn/study"
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        saved = client.put(study, content=body, headers=headers)
        assert saved.status_code == 422, saved.text
        [error] = saved.json()["errors"]
        assert error.startswith(
            "study:16 field 'facilities[0].roles[0].activities[0].unit_minutes'"
        )
        assert client.get(f"{study}/result", headers=headers).status_code == 404
    assert list_documents(careshift, SYSTEM, place) == []


def test_another_institutions_planner_can_neither_save_nor_run(careshift: Careshift) -> None:
    mine, theirs = make_hospital(careshift, "A").id, make_hospital(careshift, "B").id
    body = (EXAMPLES / "wisn.yaml").read_text(encoding="utf-8")
    save_document(careshift, SYSTEM, theirs, "wisn", "study", body)
    planner = Principal("p", frozenset({Role.ANALYST}), frozenset({mine}))
    with pytest.raises(PermissionDenied):
        run_document(careshift, planner, theirs, "wisn", "study")
    with pytest.raises(PermissionDenied):
        save_document(careshift, planner, theirs, "wisn", "study", body)


def test_placement_rounds_are_the_education_sides_and_planning_studies_the_planners(
    careshift: Careshift,
) -> None:
    place = make_hospital(careshift).id
    coordinator = Principal("e", frozenset({Role.EDUCATION}), frozenset({place}))
    planner = Principal("h", frozenset({Role.HR}), frozenset({place}))
    rounds = (EXAMPLES / "placements.yaml").read_text(encoding="utf-8")
    study = (EXAMPLES / "wisn.yaml").read_text(encoding="utf-8")
    save_document(careshift, coordinator, place, "placements", "autumn", rounds)
    save_document(careshift, planner, place, "wisn", "study", study)
    assert run_document(careshift, coordinator, place, "placements", "autumn")["assignments"]
    # a round names students: HR plans staff, not them; the coordinator plans no staffing
    for who, kind, name in ((planner, "placements", "autumn"), (coordinator, "wisn", "study")):
        with pytest.raises(PermissionDenied):
            run_document(careshift, who, place, kind, name)
    with pytest.raises(PermissionDenied):
        save_document(careshift, planner, place, "placements", "spring", rounds)
    # each lists what it may read, and nobody without either right lists anything
    assert [d["kind"] for d in list_documents(careshift, coordinator, place)] == ["placements"]
    assert [d["kind"] for d in list_documents(careshift, planner, place)] == ["wisn"]
    worker = Principal("w", frozenset({Role.WORKER}), frozenset({place}))
    with pytest.raises(PermissionDenied):
        list_documents(careshift, worker, place)


def test_rest_and_cli_save_and_run_a_projection(
    careshift: Careshift, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = make_hospital(careshift, "H").id
    user = create_user(careshift, "analyst@h.test", "Analyst")
    grant(careshift, user, Role.ANALYST, place, by=SYSTEM)
    token = create_token(careshift, user, "t", ["read", "write"], by=SYSTEM)
    headers = {"Authorization": f"Bearer {token}"}
    body = (EXAMPLES / "projection-synthetic-hospital.yaml").read_bytes()
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        saved = client.put(f"/api/v1/planning/documents/{place}/projection/academy",
                           content=body, headers=headers)  # fmt: skip
        assert saved.status_code == 201, saved.text
        result = client.get(f"/api/v1/planning/documents/{place}/projection/academy/result",
                            headers=headers)  # fmt: skip
        assert result.json()["scenarios"] == ["no retraining", "academy plan"]
        wrong = client.put(f"/api/v1/planning/documents/{place}/budget/x", content=body,
                           headers=headers)  # fmt: skip
        assert wrong.status_code == 422
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", careshift.settings.effective_database_url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(careshift.settings.data_dir))
    done = CliRunner().invoke(cli, ["plan", "run", "projection", "academy", "--institution", "H"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["start_year"] == 2026
