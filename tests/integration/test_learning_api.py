"""Learning over REST and the cohorts service end to end on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from careshift import Careshift
from careshift.adapters.db.tables import learning as t
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services import cohorts
from careshift.services.accounts import create_user, grant
from careshift.services.tokens import create_token
from tests.integration.test_learning_progress import FRAMEWORK, academy, make_psa  # noqa: F401


@pytest.fixture
def client(academy: Careshift) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(academy), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(careshift: Careshift, role: Role, institution_id: int) -> dict[str, str]:
    user_id = create_user(careshift, f"{role}@x.test", f"{role}@x.test")
    grant(careshift, user_id, role, institution_id, by=SYSTEM)
    token = create_token(careshift, user_id, "t", ["read", "write"], by=SYSTEM)
    return {"Authorization": f"Bearer {token}"}


def test_academy_staff_plan_enrol_complete_and_issue_a_verifiable_credential(
    academy: Careshift,  # noqa: F811
    client: TestClient,
) -> None:
    worker_id = make_psa(academy, "E21")
    with academy.store.engine.connect() as connection:
        from careshift.adapters.db.tables.workforce import worker

        institution_id = connection.scalar(
            select(worker.c.institution_id).where(worker.c.id == worker_id)
        )
    staff = bearer(academy, Role.ACADEMY, institution_id)
    courses = client.get("/api/v1/courses", params={"lang": "nb"}, headers=staff)
    assert courses.status_code == 200
    assert any(c["title"] == "Venepunksjon og blodprøvetaking" for c in courses.json())
    target = {"skill_uri": f"{FRAMEWORK}/skill/phlebotomy", "level": 3}
    plan = client.post("/api/v1/learning/plan", json={"targets": [target]}, headers=staff).json()
    assert plan["proven_optimal"] and [s["course"] for s in plan["steps"]][-1] == "PHL-301"
    enrolment = client.post(
        "/api/v1/enrolments", json={"worker_id": worker_id, "course": "SEC-101"}, headers=staff
    )
    assert enrolment.status_code == 201, enrolment.text
    enrolment_id = enrolment.json()["id"]
    assert (
        client.post(f"/api/v1/enrolments/{enrolment_id}/complete", headers=staff).status_code == 200
    )
    issued = client.post(f"/api/v1/enrolments/{enrolment_id}/credential", headers=staff)
    assert issued.status_code == 201, issued.text
    verified = client.post("/api/v1/credentials/verify", json={"token": issued.json()["token"]})
    assert verified.json()["valid"] is True


def test_bad_requests_are_problem_documents(client: TestClient, academy: Careshift) -> None:  # noqa: F811
    make_psa(academy, "E22")
    bad_level = client.post(
        "/api/v1/learning/plan", json={"targets": [{"skill_uri": "x:y", "level": 9}]}
    )
    assert bad_level.status_code in (401, 422)
    assert bad_level.headers["content-type"] == "application/problem+json"
    garbage = client.post("/api/v1/credentials/verify", json={"token": "not-a-token-at-all"})
    assert garbage.status_code == 200 and garbage.json()["valid"] is False
    missing = client.post("/api/v1/programmes/nope/plan")
    assert missing.status_code in (401, 404)
    assert missing.headers["content-type"] == "application/problem+json"


def test_programme_plan_places_workers_around_shifts_and_replans_keeping_places(
    academy: Careshift,  # noqa: F811
    tmp_path: Path,
) -> None:
    numbers = [f"P{i}" for i in range(6)]
    first = make_psa(academy, numbers[0])
    from careshift.services import workers

    with academy.store.engine.connect() as connection:
        from careshift.adapters.db.tables.workforce import worker

        institution_id = connection.scalar(
            select(worker.c.institution_id).where(worker.c.id == first)
        )
    role = f"{FRAMEWORK}/role/patient_service_associate"
    for number in numbers[1:]:
        workers.save_worker(
            academy, SYSTEM, institution_id, {"employee_number": number, "role": role}
        )
    day = datetime(2027, 1, 4, tzinfo=UTC)
    catalogue = tmp_path / "sessions.yaml"
    catalogue.write_text(
        "skill_base: https://careshift.eu/framework/careshift-healthcare/skill/\n"
        "courses:\n  - code: VAS-PILOT\n    title: {en: Phlebotomy pilot}\n    hours: 7\n"
        "    modality: classroom\n    skills: [{skill: phlebotomy, level: 2}]\n    sessions:\n"
        + "".join(
            f"      - {{code: V{d}, starts_at: '{(day + timedelta(days=d, hours=9)).isoformat()}', "
            f"ends_at: '{(day + timedelta(days=d, hours=15)).isoformat()}', seats: 2}}\n"
            for d in range(3)
        )
    )
    from careshift.services import learning

    learning.import_catalogue(academy, catalogue)
    rosters = tmp_path / "rosters.csv"
    # P0 works the day of the first session: they must not be placed in V0
    rosters.write_text(
        "employee_number,starts_at,ends_at\n"
        f"P0,{(day + timedelta(hours=7)).isoformat()},{(day + timedelta(hours=15)).isoformat()}\n"
    )
    assert cohorts.import_rosters(academy, rosters, str(institution_id)) == 1
    programme = tmp_path / "programme.yaml"
    programme.write_text(
        f"code: vas-2027\nname: VAS 2027\ninstitution: '{institution_id}'\ncourses: [VAS-PILOT]\n"
        "max_unit_share: 1.0\n"
        "waves: [{name: pilot, starts_on: 2027-01-04, ends_on: 2027-01-31}]\n"
        f"candidates: {{role: '{role}', exposure: 0.6,\n"
        "  workers: [{employee_number: P3, preference: 1.0}]}\n"
    )
    assert cohorts.import_programme(academy, programme)["candidates"] == 6
    plan = cohorts.plan_programme(academy, SYSTEM, "vas-2027", time_limit=5)
    assert plan["placed"] == 6 and plan["gap"] <= 0.005
    placed = {a["worker_id"]: a["session"] for a in plan["assignments"]}
    assert placed[first] != "V0"
    again = cohorts.plan_programme(academy, SYSTEM, "vas-2027", time_limit=5)
    assert again["kept"] == 6 and again["moved"] == 0
    with academy.store.engine.connect() as connection:
        planned = connection.scalar(
            select(t.enrolment.c.id).where(t.enrolment.c.status == "planned").limit(1)
        )
    assert planned is not None
    from careshift.services.learning_outcomes import programme_outcomes

    outcomes = programme_outcomes(academy, SYSTEM, "vas-2027")
    assert outcomes["batches"] == [
        {
            "wave": "pilot",
            "people": 6,
            "by_status": {"completed": 0, "enrolled": 0, "planned": 6, "failed": 0, "withdrawn": 0},
            "completion_rate": 0.0,
            "median_days_to_complete": None,
        }
    ]
