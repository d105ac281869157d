"""Demo step: the starter catalogue with dated sessions around today, a planned programme, a
finished cohort (attendance, assessments, completions, credentials) and enrolment requests.

So the academy's calendar, attendance and outcomes pages, the worker's courses and credentials,
and HR's approvals have something real to show. Runs after the demo workforce and accounts;
idempotent (nothing is added when the demo programme is already there). Every change goes
through the learning services, as the operator (``SYSTEM``), and is audited like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.platform import institution
from careshift.adapters.db.tables.workforce import worker
from careshift.adapters.files.untrusted_yaml import dump_plain
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM
from careshift.domain.learning import CourseSession

__all__ = ["PROGRAMME", "seed_demo_learning"]

PROGRAMME = "digital-front-desk"
HOSPITAL = "riverside-hospital"
CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "starter" / "catalogue.yaml"

# (course, days from today, seats): finished runs first, then the coming weeks.
_SESSIONS = (
    ("DIG-101", -21, 12),
    ("SEC-101", -14, 12),
    ("TERM-101", -7, 12),
    ("DIG-201", 2, 16),
    ("EHR-101", 5, 14),
    ("DIG-201", 9, 16),
    ("EHR-101", 16, 14),
    ("PHL-201", 23, 12),
    ("DIG-201", 30, 16),
    ("EHR-101", 44, 14),
)


def seed_demo_learning(careshift: Careshift) -> Iterator[str]:
    from careshift.services import learning

    with careshift.store.sessions() as session:
        done = session.scalar(select(t.programme.c.id).where(t.programme.c.code == PROGRAMME))
        hospital = session.scalar(select(institution.c.id).where(institution.c.code == HOSPITAL))
        staff = list(
            session.scalars(
                select(worker.c.id).where(worker.c.institution_id == hospital).order_by(worker.c.id)
            )
        )
    if done is not None:
        yield "demo learning: already there"
        return
    if len(staff) < 20:
        yield "demo learning: no demo workforce; skipped"
        return
    learning.import_catalogue(careshift, CATALOGUE)
    codes = _sessions(careshift, datetime.now(UTC).date())
    planned = _programme(careshift, datetime.now(UTC).date())
    finished = _finished_cohort(careshift, staff, codes)
    requests = _requests(careshift, staff, codes)
    yield (
        f"demo learning: starter catalogue, {len(codes)} dated sessions, programme {PROGRAMME} "
        f"with {planned} planned places, {finished} credentials, {requests} enrolment requests"
    )


def _sessions(careshift: Careshift, today: date) -> list[str]:
    runs = []
    for course, days, seats in _SESSIONS:
        day = today + timedelta(days=days)
        code = f"{course}-{day:%Y%m%d}"
        starts = datetime.combine(day, time(8, 30), UTC)
        runs.append(
            CourseSession(
                code,
                course,
                starts,
                starts + timedelta(hours=7),
                seats,
                "Riverside training room 2",
            )
        )
    with careshift.store.transaction() as session:
        repo.save_sessions(session, runs)
    return [run.code for run in runs]


def _programme(careshift: Careshift, today: date) -> int:
    from careshift.services.cohorts import import_programme, plan_programme
    from careshift.services.synthetic_workforce import PSA
    from careshift.services.workers import role_index

    document = {
        "code": PROGRAMME,
        "name": "Digital front desk",
        "institution": HOSPITAL,
        "courses": ["DIG-201", "EHR-101"],
        "max_unit_share": 0.35,
        "waves": [
            {
                "name": "pilot",
                "starts_on": today.isoformat(),
                "ends_on": (today + timedelta(days=20)).isoformat(),
                "max_participants": 20,
            },
            {
                "name": "scale-up",
                "starts_on": (today + timedelta(days=21)).isoformat(),
                "ends_on": (today + timedelta(days=120)).isoformat(),
            },
        ],
        "candidates": {"role": role_index(careshift).resolve(PSA), "exposure": 0.6},
    }
    path = careshift.settings.data_dir / "demo-programme.yaml"
    path.write_text(dump_plain(document, sort_keys=False), encoding="utf-8")
    import_programme(careshift, path)
    return int(plan_programme(careshift, SYSTEM, PROGRAMME, time_limit=5.0)["placed"])


def _finished_cohort(careshift: Careshift, staff: list[int], codes: list[str]) -> int:
    """DIG-101 three weeks ago: twelve passed, seven credentials issued so far (the first demo
    worker among them); SEC-101 two weeks ago: six passed, all credentialed; TERM-101 a week
    ago: six people (the first demo worker too) half-way. Groups of five or more, so the
    outcomes page shows numbers and not only suppressed cells."""
    from careshift.services.credentials import issue_for_enrolment
    from careshift.services.learning_progress import assess, attend, complete, enrol

    issued = 0
    for course, code, people, credentialed in (
        ("DIG-101", codes[0], staff[:12], 7),
        ("SEC-101", codes[1], [staff[0], *staff[12:17]], 6),
    ):
        held = _day(code)
        for position, worker_id in enumerate(people):
            enrolment = enrol(careshift, SYSTEM, worker_id, course, code)
            attend(careshift, SYSTEM, enrolment, held, 7.0)
            assess(careshift, SYSTEM, enrolment, True, 0.64 + 0.025 * position, held)
            complete(careshift, SYSTEM, enrolment, held)
            if position < credentialed:
                issue_for_enrolment(careshift, SYSTEM, enrolment)
                issued += 1
    for worker_id in (staff[0], *staff[17:22]):
        started = enrol(careshift, SYSTEM, worker_id, "TERM-101", codes[2])
        attend(careshift, SYSTEM, started, _day(codes[2]), 6.0)
    return issued


def _requests(careshift: Careshift, staff: list[int], codes: list[str]) -> int:
    """Pending requests from both demo workers, for HR to decide."""
    from careshift.services.enrolment_requests import request_enrolment

    wanted = (
        (staff[1], codes[5], "My unit moves to the new booking system."),
        (staff[0], codes[7], "I would like to take blood samples at the clinic."),
    )
    for worker_id, code, reason in wanted:
        request_enrolment(careshift, SYSTEM, worker_id, code, reason)
    return len(wanted)


def _day(code: str) -> date:
    return datetime.strptime(code.rsplit("-", 1)[1], "%Y%m%d").date()
