"""A worker's rights of access and erasure over the audit trail: the export's access log lists
every audited access to the worker or one of their rows (their learning record, enrolments,
requests), and erasure leaves no audit entry naming them, while a colleague's entries stay as
they were."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from careshift import Careshift
from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import SYSTEM, Role
from careshift.domain.learning import CourseSession
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
from careshift.services.privacy import erase_worker, export_worker
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
