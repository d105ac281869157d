"""Progress: enrolment, attendance, assessment, completion, and xAPI statements from an LMS.

Completing a course writes ``course`` evidence at the level the course brings for every skill it
teaches, through :func:`careshift.services.workers.add_evidence`, so the worker's profile rises
and their gap report shrinks in the same transaction as the completion.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db import workforce_repository as workforce
from careshift.adapters.db.tables import learning as t
from careshift.adapters.files.xapi import Statement, read_statements
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.workforce import Evidence, EvidenceSource, Worker
from careshift.errors import Conflict, ImportFailed, NotFound, RowProblem
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.workers import add_evidence

__all__ = ["add_enrolment", "assess", "attend", "complete", "enrol", "import_xapi"]


def _worker(session: Session, principal: Principal, worker_id: int, action: Action) -> Worker:
    worker = workforce.load_worker(session, worker_id)
    if worker is None:
        authorize(principal, action, Resource.COHORT)  # no id oracle for those without rights
        raise NotFound(f"no worker with id {worker_id}")
    authorize(principal, action, Resource.COHORT, institution_id=worker.institution_id)
    return worker


def _course_id(session: Session, code: str) -> int:
    found = session.scalar(select(t.course.c.id).where(t.course.c.code == code))
    if found is None:
        raise NotFound(f"no course with code {code!r}")
    return int(found)


def enrol(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    course_code: str,
    session_code: str | None = None,
) -> int:
    with careshift.store.transaction() as session:
        worker = _worker(session, principal, worker_id, Action.WRITE)
        course_id = _course_id(session, course_code)
        enrolment_id = add_enrolment(session, worker, course_id, session_code)
        record(
            session,
            principal,
            "create",
            "enrolment",
            enrolment_id,
            institution_id=worker.institution_id,
        )
    return enrolment_id


def add_enrolment(
    session: Session, worker: Worker, course_id: int, session_code: str | None
) -> int:
    """Write an ``enrolled`` enrolment in the caller's transaction (the caller authorises)."""
    run_id = None
    if session_code:
        run_id = session.scalar(
            select(t.session.c.id).where(
                t.session.c.code == session_code, t.session.c.course_id == course_id
            )
        )
        if run_id is None:
            raise NotFound(f"no session {session_code!r} of this course")
    values = {
        "worker_id": worker.id,
        "course_id": course_id,
        "session_id": run_id,
        "status": "enrolled",
        "enrolled_at": datetime.now(UTC),
    }
    query = insert(t.enrolment).values(**values).returning(t.enrolment.c.id)
    return int(session.execute(query).scalar_one())


def _enrolment(
    session: Session, principal: Principal, enrolment_id: int
) -> tuple[dict[str, Any], Worker]:
    row = (
        session.execute(select(t.enrolment).where(t.enrolment.c.id == enrolment_id))
        .mappings()
        .first()
    )
    if row is None:
        authorize(principal, Action.WRITE, Resource.COHORT)  # no id oracle for outsiders
        raise NotFound(f"no enrolment with id {enrolment_id}")
    return dict(row), _worker(session, principal, row["worker_id"], Action.WRITE)


def attend(
    careshift: Careshift, principal: Principal, enrolment_id: int, on: date, hours: float
) -> None:
    with careshift.store.transaction() as session:
        _, worker = _enrolment(session, principal, enrolment_id)
        session.execute(
            insert(t.attendance).values(enrolment_id=enrolment_id, attended_on=on, hours=hours)
        )
        record(
            session,
            principal,
            "create",
            "attendance",
            enrolment_id,
            institution_id=worker.institution_id,
        )


def assess(
    careshift: Careshift,
    principal: Principal,
    enrolment_id: int,
    passed: bool,
    score: float | None = None,
    on: date | None = None,
) -> None:
    with careshift.store.transaction() as session:
        _, worker = _enrolment(session, principal, enrolment_id)
        _assess(session, principal, enrolment_id, passed, score, on or datetime.now(UTC).date())
        record(
            session,
            principal,
            "create",
            "assessment",
            enrolment_id,
            institution_id=worker.institution_id,
        )


def _assess(
    session: Session,
    principal: Principal,
    enrolment_id: int,
    passed: bool,
    score: float | None,
    on: date,
) -> None:
    values = {
        "enrolment_id": enrolment_id,
        "assessed_on": on,
        "score": score,
        "passed": passed,
        "assessor": principal.actor,
    }
    session.execute(insert(t.assessment).values(**values))
    if not passed:
        session.execute(
            update(t.enrolment).where(t.enrolment.c.id == enrolment_id).values(status="failed")
        )


def complete(
    careshift: Careshift, principal: Principal, enrolment_id: int, on: date | None = None
) -> dict[str, int]:
    """Mark the enrolment completed and add the course's levels to the worker's profile."""
    with careshift.store.transaction() as session:
        row, worker = _enrolment(session, principal, enrolment_id)
        if row["status"] == "completed":
            raise Conflict(f"enrolment {enrolment_id} is already completed")
        levels = _complete(session, principal, row, worker, on or datetime.now(UTC).date())
        record(
            session,
            principal,
            "update",
            "enrolment",
            enrolment_id,
            institution_id=worker.institution_id,
            status="completed",
        )
    return levels


def _complete(
    session: Session, principal: Principal, row: dict[str, Any], worker: Worker, on: date
) -> dict[str, int]:
    session.execute(
        update(t.enrolment)
        .where(t.enrolment.c.id == row["id"])
        .values(status="completed", completed_on=on)
    )
    code = session.scalar(select(t.course.c.code).where(t.course.c.id == row["course_id"]))
    skills = select(t.course_skill.c.skill_uri, t.course_skill.c.level).where(
        t.course_skill.c.course_id == row["course_id"]
    )
    levels = {uri: level for uri, level in session.execute(skills)}
    items = [
        Evidence(uri, level, EvidenceSource.COURSE, on, principal.actor, f"completed course {code}")
        for uri, level in levels.items()
    ]
    if items:
        add_evidence(session, principal, worker, items)
    return levels


def import_xapi(careshift: Careshift, principal: Principal, path: Path | str) -> dict[str, int]:
    """Apply an LRS export (JSON array of statements) in one transaction.

    The actor is matched to a worker by ``account.name`` or the local part of ``mbox``, both
    read as the employee number; the object id's last path segment is the course code. A
    statement id already applied is skipped, so importing the same export twice changes nothing.
    """
    statements = read_statements(path)
    counts = {"applied": 0, "skipped": 0}
    with careshift.store.transaction() as session:
        seen = set(
            session.scalars(
                select(t.xapi_statement.c.statement_id).where(
                    t.xapi_statement.c.statement_id.in_([s.id for s in statements])
                )
            )
        )
        problems: list[RowProblem] = []
        for statement in statements:
            if statement.id in seen:
                counts["skipped"] += 1
                continue
            seen.add(statement.id)
            problem = _apply(session, principal, statement, str(path))
            if problem is not None:
                problems.append(problem)
            else:
                counts["applied"] += 1
        if problems:
            raise ImportFailed(
                f"xAPI file {path} refused ({len(problems)} problems); nothing was written",
                problems,
            )
        record(session, principal, "create", "xapi_statements", Path(path).name, **counts)
    return counts


def _apply(
    session: Session, principal: Principal, statement: Statement, name: str
) -> RowProblem | None:
    where = RowProblem(name, statement.line, None, "")
    workers = workforce_ids(session, statement.learner)
    if len(workers) != 1:
        found = "no worker" if not workers else "several workers"
        return RowProblem(
            where.file, where.line, "actor", f"{found} with employee number {statement.learner!r}"
        )
    course_id = session.scalar(
        select(t.course.c.id).where(t.course.c.code == statement.course_code)
    )
    if course_id is None:
        return RowProblem(
            where.file, where.line, "object.id", f"no course with code {statement.course_code!r}"
        )
    worker = _worker(session, principal, workers[0], Action.WRITE)
    row = (
        session.execute(
            select(t.enrolment)
            .where(t.enrolment.c.worker_id == worker.id, t.enrolment.c.course_id == course_id)
            .order_by(t.enrolment.c.id.desc())
        )
        .mappings()
        .first()
    )
    enrolment = (
        dict(row)
        if row
        else {
            "id": add_enrolment(session, worker, course_id, None),
            "status": "enrolled",
            "course_id": course_id,
        }
    )
    on = statement.timestamp.date()
    if statement.verb == "attended":
        session.execute(
            insert(t.attendance).values(
                enrolment_id=enrolment["id"],
                attended_on=on,
                hours=statement.hours or 0.0,
                source="xapi",
            )
        )
    elif statement.verb in ("passed", "failed"):
        _assess(
            session, principal, enrolment["id"], statement.verb == "passed", statement.score, on
        )
    if (
        statement.verb in ("completed", "passed")
        and statement.success is not False
        and enrolment["status"] != "completed"
    ):
        _complete(session, principal, enrolment, worker, on)
    session.execute(
        insert(t.xapi_statement).values(
            statement_id=statement.id,
            enrolment_id=enrolment["id"],
            verb=statement.verb_id,
            received_at=datetime.now(UTC),
        )
    )
    return None


def workforce_ids(session: Session, employee_number: str) -> list[int]:
    from careshift.adapters.db.tables.workforce import worker

    return list(
        session.scalars(select(worker.c.id).where(worker.c.employee_number == employee_number))
    )
