"""Academy, worker and HR pages of the learning journey, and their /api/v1 twins: enrolment
requests and HR's decision, the cohort calendar, attendance, suppressed course outcomes, and a
worker's own courses and credentials."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from careshift import Careshift
from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import SYSTEM, Role
from careshift.domain.learning import CourseSession
from careshift.entrypoints.api.app import create_app
from careshift.services import credentials, enrolment_requests, learning, learning_progress, workers
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in

CATALOGUE = Path(learning.__file__).resolve().parents[1] / "data" / "starter" / "catalogue.yaml"
PSA = "patient_service_associate"


@dataclass
class Academy:
    careshift: Careshift
    hospital: int
    other: int
    staff: list[int]
    soon: str
    past: str
    month: str


@pytest.fixture
def academy(careshift: Careshift) -> Academy:
    load_framework(careshift, STARTER_FRAMEWORK)
    learning.import_catalogue(careshift, CATALOGUE)
    hospital, other = make_institution(careshift, "H1", "One"), make_institution(careshift, "H2")
    staff = [
        workers.save_worker(
            careshift,
            SYSTEM,
            hospital,
            {"employee_number": f"E{i}", "name": f"Person {i}", "role": PSA},
        ).id
        for i in range(8)
    ]
    today = datetime.now(UTC).date()
    soon, past = today + timedelta(days=3), today - timedelta(days=3)
    runs = [
        CourseSession("DIG-201-soon", "DIG-201", _at(soon), _at(soon) + timedelta(hours=7), 2),
        CourseSession("DIG-101-past", "DIG-101", _at(past), _at(past) + timedelta(hours=7), 12),
    ]
    with careshift.store.transaction() as session:
        repo.save_sessions(session, runs)
    return Academy(
        careshift, hospital, other, staff, "DIG-201-soon", "DIG-101-past", f"{soon:%Y-%m}"
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), UTC)


@pytest.fixture
def app(academy: Academy) -> Iterator[TestClient]:
    with TestClient(create_app(academy.careshift), raise_server_exceptions=False) as client:
        yield client


def _signed_in(app: TestClient, careshift: Careshift, role: Role, where: int, **kw: int) -> str:
    app.cookies.clear()
    sign_in(app, make_account(careshift, role, where, **kw))
    return csrf_of(app.get("/account").text)


def _audited(careshift: Careshift, subject_type: str) -> list[str]:
    with careshift.store.engine.connect() as connection:
        return list(
            connection.scalars(
                select(audit_log.c.action).where(audit_log.c.subject_type == subject_type)
            )
        )


def test_a_worker_asks_for_a_place_and_hr_of_their_institution_approves_it(
    academy: Academy, app: TestClient
) -> None:
    careshift, worker_id = academy.careshift, academy.staff[0]
    token = _signed_in(app, careshift, Role.WORKER, academy.hospital, worker_id=worker_id)
    page = app.get("/me/learning")
    assert academy.soon in page.text
    sent = app.post(
        "/me/learning/requests",
        data={"session": academy.soon, "reason": "new booking system", "csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert "waiting for a decision" in app.get("/me/learning").text
    request_id = enrolment_requests.institution_requests(careshift, SYSTEM, academy.hospital)[0]
    token = _signed_in(app, careshift, Role.HR, academy.other)
    refused = app.post(
        f"/hr/approvals/{request_id['id']}", data={"decision": "approve", "csrf_token": token}
    )
    assert refused.status_code == 403
    token = _signed_in(app, careshift, Role.HR, academy.hospital)
    assert "new booking system" in app.get("/hr/approvals").text
    listed = app.get(f"/api/v1/institutions/{academy.hospital}/enrolment-requests").json()
    assert [r["status"] for r in listed] == ["pending"]
    decided = app.post(
        f"/hr/approvals/{listed[0]['id']}",
        data={"decision": "approve", "note": "go", "csrf_token": token},
    )
    assert decided.status_code == 200 and "Decision saved" in decided.text
    with careshift.store.engine.connect() as connection:
        status = connection.scalar(
            select(t.enrolment.c.status).where(t.enrolment.c.worker_id == worker_id)
        )
    assert status == "enrolled"
    again = app.post(
        f"/hr/approvals/{listed[0]['id']}", data={"decision": "decline", "csrf_token": token}
    )
    assert again.status_code == 409
    assert _audited(careshift, "enrolment_request").count("update") == 1
    assert "create" in _audited(careshift, "enrolment_request")


def test_approving_a_request_for_a_full_session_is_refused(academy: Academy) -> None:
    careshift = academy.careshift
    ids = [
        enrolment_requests.request_enrolment(careshift, SYSTEM, w, academy.soon)
        for w in academy.staff[:3]
    ]
    for request_id in ids[:2]:
        enrolment_requests.decide(careshift, SYSTEM, request_id, approve=True)
    with pytest.raises(Exception, match="full"):
        enrolment_requests.decide(careshift, SYSTEM, ids[2], approve=True)
    assert enrolment_requests.decide(careshift, SYSTEM, ids[2], approve=False)["status"] == (
        "declined"
    )


def test_the_calendar_page_and_api_show_the_same_sessions_seats_and_workers(
    academy: Academy, app: TestClient
) -> None:
    careshift = academy.careshift
    learning_progress.enrol(careshift, SYSTEM, academy.staff[1], "DIG-201", academy.soon)
    _signed_in(app, careshift, Role.ACADEMY, academy.hospital)
    query = {"institution_id": academy.hospital, "month": academy.month}
    page = app.get("/academy/cohorts", params=query)
    assert page.status_code == 200
    assert "Person 1" in page.text and "1 of 2 seats taken" in page.text
    api = app.get(
        f"/api/v1/institutions/{academy.hospital}/cohort-calendar", params={"month": academy.month}
    ).json()
    found = next(s for d in api["days"] for s in d["sessions"] if s["session"] == academy.soon)
    assert (found["seats_taken"], found["seats"]) == (1, 2)
    assert [w["name"] for w in found["workers"]] == ["Person 1"]
    assert "read" in _audited(careshift, "cohort_calendar")
    assert app.get(f"/academy/cohorts?institution_id={academy.other}").status_code == 403


def test_attendance_recorded_on_the_session_page_shows_in_the_workers_record(
    academy: Academy, app: TestClient
) -> None:
    careshift, worker_id = academy.careshift, academy.staff[2]
    enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, "DIG-101", academy.past)
    token = _signed_in(app, careshift, Role.ACADEMY, academy.hospital)
    sheet = app.get(f"/academy/sessions/{academy.past}")
    assert "Person 2" in sheet.text
    saved = app.post(
        f"/academy/sessions/{academy.past}/attendance",
        data={
            "enrolment_id": enrolment,
            "on": date.today().isoformat(),
            "hours": "3.5",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 200 and "Attendance recorded" in saved.text
    api = app.get(f"/api/v1/course-sessions/{academy.past}/attendance").json()
    assert api["enrolments"][0]["hours_attended"] == 3.5
    record = app.get(f"/api/v1/workers/{worker_id}/learning-record").json()
    assert record["enrolments"][0]["hours_attended"] == 3.5
    assert "read" in _audited(careshift, "session_attendance")
    assert "read" in _audited(careshift, "learning_record")


def test_hr_reads_the_attendance_sheet_without_a_form_to_record_it(
    academy: Academy, app: TestClient
) -> None:
    careshift, worker_id = academy.careshift, academy.staff[2]
    enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, "DIG-101", academy.past)
    learning_progress.attend(careshift, SYSTEM, enrolment, date.today(), 3.5)
    _signed_in(app, careshift, Role.ACADEMY, academy.hospital)
    recorder = app.get(f"/academy/sessions/{academy.past}").text
    assert "Record attendance" in recorder and 'name="hours"' in recorder
    _signed_in(app, careshift, Role.HR, academy.hospital)
    reader = app.get(f"/academy/sessions/{academy.past}")
    assert reader.status_code == 200
    assert "Person 2" in reader.text and "3.5" in reader.text  # the same attendance, read only
    assert "Record attendance" not in reader.text
    assert 'name="hours"' not in reader.text and "/attendance" not in reader.text


def test_course_outcomes_hide_small_groups_and_show_large_ones(
    academy: Academy, app: TestClient
) -> None:
    careshift = academy.careshift
    for position, worker_id in enumerate(academy.staff):
        enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, "DIG-101", academy.past)
        learning_progress.complete(careshift, SYSTEM, enrolment)
        if position < 2:  # two credentials: a small group
            credentials.issue_for_enrolment(careshift, SYSTEM, enrolment)
    _signed_in(app, careshift, Role.UNION, academy.hospital)
    api = app.get(f"/api/v1/institutions/{academy.hospital}/course-outcomes").json()
    row = api["courses"][0]
    assert row["people"] == 8
    assert row["credentialed"] is None and row["completed_only"] is None
    assert row["completed"] is None  # not derivable from hidden cells
    page = app.get("/academy/outcomes", params={"institution_id": academy.hospital})
    assert page.status_code == 200 and "hidden to protect privacy" in page.text
    # both reads are in the audit log, as every other aggregate read
    with careshift.store.engine.connect() as connection:
        reads = connection.execute(
            select(audit_log.c.detail).where(
                audit_log.c.subject_type == "aggregate", audit_log.c.action == "read"
            )
        ).scalars()
        assert sum("course-outcomes" in str(detail) for detail in reads) == 2


def test_a_worker_downloads_their_own_credential_and_no_one_elses(
    academy: Academy, app: TestClient
) -> None:
    careshift = academy.careshift
    uids = []
    for worker_id in academy.staff[:2]:
        enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, "DIG-101", academy.past)
        learning_progress.complete(careshift, SYSTEM, enrolment)
        uids.append(credentials.issue_for_enrolment(careshift, SYSTEM, enrolment).uid)
    _signed_in(app, careshift, Role.WORKER, academy.hospital, worker_id=academy.staff[0])
    page = app.get("/me/learning")
    assert "Digital skills at work" in page.text and "Download signed credential" in page.text
    jwt = app.get(f"/me/credentials/{uids[0]}", params={"format": "jwt"})
    assert jwt.status_code == 200 and jwt.text.count(".") == 2
    assert "attachment" in jwt.headers["content-disposition"]
    assert credentials.verify(careshift, jwt.text).valid
    document = app.get(f"/me/credentials/{uids[0]}").json()
    assert "AchievementCredential" in document["type"]
    assert app.get(f"/me/credentials/{uids[1]}").status_code == 404
    other = app.get(f"/api/v1/workers/{academy.staff[1]}/credentials/{uids[1]}")
    assert other.status_code == 403
    assert "read" in _audited(careshift, "credential")
