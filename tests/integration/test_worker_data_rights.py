"""A worker's rights of access and erasure over everything careshift holds about them: the
export has a section for every table about the worker (learning, programmes, rosters, their
account), its access log lists every audited read of their data, and erasure leaves no audit
entry naming the worker or one of their rows, while a colleague's entries stay as they were."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from careshift import Careshift
from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables.accounts import access_token, user_account
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import SYSTEM, Role
from careshift.domain.learning import CourseSession
from careshift.entrypoints.api.app import create_app
from careshift.services import (
    accounts,
    cohort_imports,
    credentials,
    enrolment_requests,
    learning,
    learning_progress,
    learning_records,
    tokens,
    workers,
)
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.engagement import create_session, invite
from careshift.services.frameworks import load_framework
from careshift.services.privacy import EXPORT_SECTIONS, erase_worker, export_worker
from tests.support.accounts import PASSWORD, make_institution

CATALOGUE = Path(learning.__file__).resolve().parents[1] / "data" / "starter" / "catalogue.yaml"
PSA = "patient_service_associate"
SOON = "DIG-201-soon"


@pytest.fixture
def academy(careshift: Careshift) -> Careshift:
    load_framework(careshift, STARTER_FRAMEWORK)
    learning.import_catalogue(careshift, CATALOGUE)
    starts = datetime.combine(datetime.now(UTC).date() + timedelta(days=3), time(9), UTC)
    with careshift.store.transaction() as session:
        repo.save_sessions(
            session, [CourseSession(SOON, "DIG-201", starts, starts + timedelta(hours=7), 12)]
        )
    return careshift


@dataclass(frozen=True)
class Learner:
    worker_id: int
    user_id: int
    token: str
    enrolment_ids: list[int]
    request_id: int


def make_learner(careshift: Careshift, folder: Path, number: str) -> Learner:
    """A worker with a row in every table about workers: a changed record, an invitation to a
    survey, a completed enrolment with attendance, an assessment and a credential, an xAPI
    statement, a request with a reason, a programme, a roster shift, and their own account with
    a role and an access token."""
    hospital = make_institution(careshift, "H1")
    fields = {"employee_number": number, "name": f"Person {number}", "role": PSA}
    worker_id = workers.save_worker(careshift, SYSTEM, hospital, fields).id
    worker = workers.save_worker(careshift, SYSTEM, hospital, {**fields, "shift_pattern": "night"})
    survey = create_session(careshift, SYSTEM, hospital, "Skills", role_uri=worker.role_uri)
    invite(careshift, SYSTEM, survey.id)
    enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, "DIG-101")
    learning_progress.attend(careshift, SYSTEM, enrolment, date(2026, 3, 2), 3.5)
    learning_progress.assess(careshift, SYSTEM, enrolment, passed=True, score=0.8)
    learning_progress.complete(careshift, SYSTEM, enrolment)
    credentials.issue_for_enrolment(careshift, SYSTEM, enrolment)
    statement = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://lms.example/{number}")),
        "actor": {"account": {"homePage": "https://lms.example", "name": number}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://lms.example/course/SEC-101"},
        "result": {"duration": "PT1H"},
    }
    (folder / f"lrs-{number}.json").write_text(json.dumps([statement]))
    learning_progress.import_xapi(careshift, SYSTEM, folder / f"lrs-{number}.json")
    request_id = enrolment_requests.request_enrolment(
        careshift, SYSTEM, worker_id, SOON, reason=f"my back hurts ({number})"
    )
    (folder / f"programme-{number}.yaml").write_text(
        f"code: vas-{number}\ninstitution: H1\ncourses: [DIG-101]\n"
        f"candidates: {{workers: [{{employee_number: {number}, preference: 0.9}}]}}\n"
    )
    cohort_imports.import_programme(careshift, folder / f"programme-{number}.yaml")
    (folder / f"roster-{number}.csv").write_text(
        f"employee_number,starts_at,ends_at\n{number},2026-05-04T07:00,2026-05-04T15:00\n"
    )
    cohort_imports.import_rosters(careshift, folder / f"roster-{number}.csv", "H1")
    user_id = accounts.create_user(
        careshift, f"{number.lower()}@h1.test", f"Person {number}", password=PASSWORD,
        worker_id=worker_id,
    )  # fmt: skip
    accounts.grant(careshift, user_id, Role.WORKER, hospital)
    token = tokens.create_token(careshift, user_id, "phone", ["read", "write"], by=SYSTEM)
    held = learning_records.learning_record(careshift, SYSTEM, worker_id)
    ids = sorted(e["id"] for e in [*held["enrolments"], *held["completed"]])
    return Learner(worker_id, user_id, token, ids, request_id)


def test_the_export_has_a_section_for_every_table_about_the_worker(
    academy: Careshift, tmp_path: Path
) -> None:
    learner = make_learner(academy, tmp_path, "E1")
    make_learner(academy, tmp_path, "E2")  # a colleague, who must not appear
    exported = export_worker(academy, SYSTEM, learner.worker_id)

    assert [key for key in EXPORT_SECTIONS if not exported.get(key)] == []
    by_course = {e["course"]: e for e in exported["enrolments"]}
    assert set(by_course) == {"DIG-101", "SEC-101"}
    assert by_course["DIG-101"]["status"] == "completed"
    assert [a["hours"] for a in by_course["DIG-101"]["attendance"]] == [3.5]
    assert [(a["passed"], a["score"]) for a in by_course["DIG-101"]["assessments"]] == [(True, 0.8)]
    assert [s["verb"] for s in by_course["SEC-101"]["xapi_statements"]] == [
        "http://adlnet.gov/expapi/verbs/attended"
    ]
    assert [c["course"] for c in exported["credentials"]] == ["DIG-101"]
    (request,) = exported["enrolment_requests"]
    assert (request["session"], request["reason"]) == (SOON, "my back hurts (E1)")
    assert [p["programme"] for p in exported["programmes"]] == ["vas-E1"]
    assert len(exported["roster_shifts"]) == 1
    (account,) = exported["accounts"]
    assert (account["email"], account["display_name"]) == ("e1@h1.test", "Person E1")
    assert account["roles"] == [{"role": "worker", "institution": "H1"}]
    assert [(t["name"], t["scopes"]) for t in account["tokens"]] == [("phone", ["read", "write"])]


def test_the_export_holds_no_secret_and_nothing_about_a_colleague(
    academy: Careshift, tmp_path: Path
) -> None:
    learner = make_learner(academy, tmp_path, "E1")
    colleague = make_learner(academy, tmp_path, "E2")
    text = json.dumps(export_worker(academy, SYSTEM, learner.worker_id), default=str)
    with academy.store.engine.connect() as connection:
        secrets = [
            *connection.scalars(select(user_account.c.password_hash)),
            *connection.scalars(select(access_token.c.token_hash)),
        ]
    assert secrets and not [s for s in [*secrets, learner.token] if s in text]
    assert "E2" not in text and "e2@h1.test" not in text
    assert f'"subject_id": "{colleague.worker_id}"' not in text


def test_the_access_log_lists_every_audited_access_to_the_worker_and_their_rows(
    academy: Careshift, tmp_path: Path
) -> None:
    learner = make_learner(academy, tmp_path, "E1")
    log = export_worker(academy, SYSTEM, learner.worker_id)["access_log"]
    seen = {(e["action"], e["subject_type"]) for e in log}
    assert ("read", "learning_record") in seen
    for subject in ("enrolment", "attendance", "assessment", "enrolment_request", "credential"):
        assert ("create", subject) in seen, subject
    named = {e["subject_id"] for e in log}
    own = {str(learner.worker_id), str(learner.request_id), *map(str, learner.enrolment_ids)}
    assert {str(learner.worker_id), str(learner.request_id)} <= named <= own


#: Subject types the services audit with a worker's id, or the id of one of their rows.
NAMING = {
    **dict.fromkeys(
        ("worker", "profile", "skill_evidence", "credential", "learning_record"), "worker"
    ),
    **dict.fromkeys(("enrolment", "attendance", "assessment"), "enrolment"),
    "enrolment_request": "request",
}


def _entries(careshift: Careshift) -> list[tuple[str, str | None]]:
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.subject_type, audit_log.c.subject_id).order_by(audit_log.c.id)
        ).all()
    return [(r.subject_type, r.subject_id) for r in rows]


def _naming(learner: Learner, entries: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """The entries whose subject id is the learner's worker id or one of their rows' ids."""
    own = {
        "worker": {str(learner.worker_id)},
        "enrolment": set(map(str, learner.enrolment_ids)),
        "request": {str(learner.request_id)},
    }
    return [
        (kind, str(subject))
        for kind, subject in entries
        if kind in NAMING and subject in own[NAMING[kind]]
    ]


def test_erasure_leaves_no_audit_entry_naming_the_worker_or_one_of_their_rows(
    academy: Careshift, tmp_path: Path
) -> None:
    learner = make_learner(academy, tmp_path, "E1")
    colleague = make_learner(academy, tmp_path, "E2")
    before = _entries(academy)
    assert {kind for kind, _ in _naming(learner, before)} >= {
        "learning_record", "enrolment", "attendance", "assessment", "enrolment_request",
        "credential", "worker",
    }  # fmt: skip
    colleagues = _naming(colleague, before)

    pseudonym = erase_worker(academy, SYSTEM, learner.worker_id)

    after = _entries(academy)
    assert _naming(learner, after) == []
    assert _naming(colleague, after) == colleagues
    assert len(after) == len(before) + 1  # the erasure itself, under the pseudonym
    assert {s for _, s in after} - {s for _, s in before} == {pseudonym}
    renamed = [kind for kind, subject in after if subject == pseudonym]
    assert sorted(renamed) == sorted([*(k for k, _ in _naming(learner, before)), "worker"])


@pytest.fixture
def client(academy: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(academy), raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_worker_exports_their_learning_and_account_then_erases_them_through_the_api(
    academy: Careshift, tmp_path: Path, client: TestClient
) -> None:
    learner = make_learner(academy, tmp_path, "E1")
    me = {"Authorization": f"Bearer {learner.token}"}
    record = client.get(f"/api/v1/workers/{learner.worker_id}/learning-record", headers=me)
    assert record.status_code == 200
    exported = client.get(f"/api/v1/workers/{learner.worker_id}/export", headers=me)
    assert exported.status_code == 200, exported.text
    body = exported.json()
    assert len(body["enrolments"]) == len(learner.enrolment_ids)
    assert body["accounts"][0]["email"] == "e1@h1.test"
    assert "password_hash" not in exported.text and "token_hash" not in exported.text
    reads = [e for e in body["access_log"] if e["subject_type"] == "learning_record"]
    assert reads and reads[-1]["actor"] == accounts.actor(learner.user_id)

    erased = client.delete(f"/api/v1/workers/{learner.worker_id}", headers=me)
    assert erased.status_code == 200, erased.text
    left = [s for k, s in _entries(academy) if k == "learning_record"]
    assert left and set(left) == {erased.json()["erased_as"]}
