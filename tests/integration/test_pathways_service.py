"""Pathways end to end on the starter framework: service, overrides, batch, REST."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift.domain.access import SYSTEM
from careshift.domain.pathways import PathwayConstraints, PathwayKind
from careshift.entrypoints.api.app import create_app
from careshift.services.exposure import add_override, exposure_of
from careshift.services.frameworks import load_framework
from careshift.services.pathway_batch import (
    rank_workers,
    read_workers,
    run_workforce_batch,
    shared_for,
)
from careshift.services.pathways import (
    constraints_for,
    pathway_index,
    role_pathways,
    worker_pathways,
)
from tests.conftest import REPO, shared_path

STARTER = REPO / "src/careshift/data/starter/healthcare.yaml"
PSA = "patient service associate"


@pytest.fixture
def starter(careshift):
    shared_path("reference", "exposure")
    load_framework(careshift, STARTER)
    return careshift


def test_a_patient_service_associate_can_add_phlebotomy_as_an_enhancement(starter):
    report = role_pathways(starter, PSA, constraints_for(top=20))
    enhancements = [o for o in report.options if o.kind == PathwayKind.ENHANCEMENT]
    phlebotomy = [o for o in enhancements if "phlebotomy" in o.label.lower()]
    assert phlebotomy, [o.label for o in enhancements]
    assert phlebotomy[0].bundle and phlebotomy[0].effort_hours > 0
    assert phlebotomy[0].exposure <= report.origin_exposure


def test_a_patient_service_associate_has_explained_moves_to_other_roles(starter):
    # Without ESCO loaded the starter roles share few skills: look past the viability cut.
    report = role_pathways(starter, PSA, PathwayConstraints(top=20, only_viable=False))
    moves = [o for o in report.options if o.kind != PathwayKind.ENHANCEMENT]
    assert moves
    for option in moves:
        assert option.transferable or option.gap
        assert option.explanation.startswith(option.kind.value)
        assert set(option.evidence) == {"essential", "optional", "activities", "hierarchy"}


def test_a_workers_own_skills_change_their_options(starter):
    wide = PathwayConstraints(top=50, only_viable=False)
    index_role = role_pathways(starter, PSA, wide)
    nurse = role_pathways(starter, "registered nurse", constraints_for(top=1))
    assert nurse.origin_uri != index_role.origin_uri
    from careshift.services.pathways import pathway_index

    index = pathway_index(starter)
    row = index.space.index[nurse.origin_uri]
    skills = {index.space.skill_uris[c]: 4 for c in index.space.held()[row].indices}
    report = worker_pathways(starter, skills, PSA, wide)
    fits = {o.uri: o.fit for o in report.options}
    assert fits.get(nurse.origin_uri, 0) > {o.uri: o.fit for o in index_role.options}.get(
        nurse.origin_uri, 0
    )


def test_an_override_changes_the_exposure_and_is_kept_with_its_reason(starter):
    before = exposure_of(starter, PSA)
    add_override(starter, SYSTEM, PSA, "low", "kiosks postponed to 2030", "planner")
    after = exposure_of(starter, PSA)
    assert after.category.value == "low" and after.score < before.score
    assert after.override is not None and after.override.reason == "kiosks postponed to 2030"
    assert after.evidence == before.evidence


def test_the_batch_equals_the_single_process_result(starter, tmp_path: Path):
    roles = ["patient service associate", "medical records officer"]
    path = tmp_path / "workers.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": n, "skills": {}, "role": r}) for n, r in enumerate(roles))
    )
    workers = read_workers(starter, path)
    shared = shared_for(starter, top=5)
    from careshift.adapters.dask_runner import run_batch

    on_dask = run_batch(rank_workers, workers, shared=shared, chunk_size=1)
    assert on_dask == rank_workers(shared, workers)
    assert [r["worker"] for r in on_dask] == ["0", "1"]
    out = tmp_path / "pathways.jsonl"
    summary = run_workforce_batch(starter, path, out, top=5)
    assert summary["workers"] == 2
    written = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert written == json.loads(json.dumps(on_dask))


def test_a_bad_worker_line_is_refused_with_its_line_number(starter, tmp_path: Path):
    path = tmp_path / "workers.jsonl"
    path.write_text('{"id": 1, "skills": {}}\n{"id": 2}\n')
    with pytest.raises(Exception) as caught:
        read_workers(starter, path)
    assert caught.value.problems[0].line == 2


def test_the_rest_api_serves_pathways_exposure_and_refuses_anonymous_overrides(starter):
    client = TestClient(create_app(starter))
    uri = role_pathways(starter, PSA, constraints_for(top=1)).origin_uri
    response = client.get(f"/api/v1/pathways/roles/{uri}", params={"top": 5})
    assert response.status_code == 200
    assert response.json()["origin"]["uri"] == uri and response.json()["options"]
    exposure = client.get(f"/api/v1/exposure/{uri}").json()
    assert exposure["category"] in {"high", "medium", "low"} and exposure["credits"]
    missing = client.get("/api/v1/pathways/roles/no-such-role")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    refused = client.post(
        "/api/v1/exposure/overrides", json={"role": uri, "category": "low", "reason": "local"}
    )
    assert refused.status_code in (401, 403)


def test_a_stored_workers_pathways_start_from_their_own_profile(starter):
    from careshift.services import workers
    from careshift.services.institutions import add_institution
    from careshift.services.pathways import pathway_index, pathways_for_worker

    hospital = add_institution(starter, "H1", "Hospital", "hospital")
    role = role_pathways(starter, PSA, constraints_for(top=1)).origin_uri
    fields = {"employee_number": "E1", "name": "Ada", "role": role}
    worker_id = workers.save_worker(starter, SYSTEM, hospital.id, fields).id
    wide = PathwayConstraints(top=50, only_viable=False)
    before = {o.uri: o.fit for o in pathways_for_worker(starter, SYSTEM, worker_id, wide).options}
    index = pathway_index(starter)
    nurse = index.space.index[role_pathways(starter, "registered nurse", wide).origin_uri]
    nurse_skills = {index.space.skill_uris[c]: 4 for c in index.held[nurse].indices}
    workers.assess_self(starter, SYSTEM, worker_id, nurse_skills)
    after = pathways_for_worker(starter, SYSTEM, worker_id, wide)
    assert after.origin_label == "Ada"
    nurse_uri = index.space.uris[nurse]
    assert {o.uri: o.fit for o in after.options}[nurse_uri] > before.get(nurse_uri, 0.0)


def test_hr_overrides_exposure_over_rest_and_a_worker_posts_own_skills(starter):
    from careshift.domain.access import Role
    from careshift.services.accounts import create_user, grant
    from careshift.services.institutions import add_institution
    from careshift.services.tokens import create_token

    hospital = add_institution(starter, "H2", "Hospital", "hospital")
    add_institution(starter, "H3", "Another hospital", "hospital")
    tokens = {}
    # a planner of every institution, and an HR planner of one hospital
    for email, scope in (("planner@region.test", None), ("hr@h2.test", hospital.id)):
        user = create_user(starter, email, "HR")
        grant(starter, user, Role.HR, scope, by=SYSTEM)
        tokens[email] = create_token(starter, user, "t", ["read", "write"], by=SYSTEM)
    headers = {"Authorization": f"Bearer {tokens['planner@region.test']}"}
    uri = role_pathways(starter, PSA, constraints_for(top=1)).origin_uri
    with TestClient(create_app(starter), raise_server_exceptions=False) as client:
        # a role's exposure is read by every institution's pathways: one hospital may not set it
        local = client.post(
            "/api/v1/exposure/overrides",
            headers={"Authorization": f"Bearer {tokens['hr@h2.test']}"},
            json={"role": uri, "category": "low", "reason": "our kiosks are late"},
        )
        assert local.status_code == 403 and "every institution" in local.text
        assert client.get(f"/api/v1/exposure/{uri}").json()["override"] is None
        saved = client.post(
            "/api/v1/exposure/overrides",
            headers=headers,
            json={"role": uri, "category": "low", "reason": "kiosks postponed", "on": "2026-01-05"},
        )
        assert saved.status_code == 201, saved.text
        assert saved.json()["author"] and saved.json()["on"] == "2026-01-05"
        exposure = client.get(f"/api/v1/exposure/{uri}").json()
        assert (
            exposure["category"] == "low" and exposure["override"]["reason"] == "kiosks postponed"
        )
        bad = client.post(
            "/api/v1/exposure/overrides",
            headers=headers,
            json={"role": uri, "category": "nil", "reason": "x y z"},
        )
        assert bad.status_code == 422
        index = pathway_index(starter)
        skills = {index.space.skill_uris[c]: 3 for c in index.held[index.space.index[uri]].indices}
        posted = client.post("/api/v1/pathways", json={"skills": skills, "role": uri, "top": 5})
        assert posted.status_code == 200 and posted.json()["options"]
        refused = client.post("/api/v1/pathways", json={"skills": {"x": 9}})
        assert refused.status_code == 422
