"""Enrolment requests: a worker asks for a place in a course session; HR approves or declines.

The approval concept behind ``Resource.APPROVAL`` ("training approvals by the employer"). A worker
(or staff acting for them) files a request for a session that has not started; HR of the
worker's institution decides. Approving enrols the worker in that session (refused when the
session is full); declining keeps the request with the decision note. Requests, decisions and
every listing are written to the audit log in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db import workforce_repository as workforce
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import Conflict, NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.learning_progress import add_enrolment

__all__ = ["STATUSES", "decide", "institution_requests", "open_sessions", "request_enrolment"]

STATUSES = ("pending", "approved", "declined")


def request_enrolment(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    session_code: str,
    reason: str | None = None,
) -> int:
    """File a pending request for ``worker_id`` to join the session ``session_code``."""
    with careshift.store.transaction() as session:
        learner = workforce.load_worker(session, worker_id)
        if learner is None:
            authorize(principal, Action.WRITE, Resource.PERSON)  # no id oracle for outsiders
            raise NotFound(f"no worker with id {worker_id}")
        authorize(
            principal,
            Action.WRITE,
            Resource.PERSON,
            institution_id=learner.institution_id,
            worker_id=worker_id,
        )
        run = session.execute(
            select(t.session.c.id, t.session.c.starts_at).where(t.session.c.code == session_code)
        ).first()
        if run is None:
            raise NotFound(f"no course session {session_code!r}")
        if repo.as_utc(run.starts_at) <= datetime.now(UTC):
            raise Conflict(f"session {session_code} has already started")
        _refuse_duplicate(session, worker_id, run.id, session_code)
        request_id = session.execute(
            insert(t.enrolment_request)
            .values(
                worker_id=worker_id,
                session_id=run.id,
                status="pending",
                reason=reason or None,
                requested_at=datetime.now(UTC),
            )
            .returning(t.enrolment_request.c.id)
        ).scalar_one()
        record(
            session,
            principal,
            "create",
            "enrolment_request",
            request_id,
            institution_id=learner.institution_id,
            course_session=session_code,
        )
    return int(request_id)


def _refuse_duplicate(session: Session, worker_id: int, run_id: int, code: str) -> None:
    requested = session.scalar(
        select(t.enrolment_request.c.id).where(
            t.enrolment_request.c.worker_id == worker_id,
            t.enrolment_request.c.session_id == run_id,
            t.enrolment_request.c.status.in_(("pending", "approved")),
        )
    )
    enrolled = session.scalar(
        select(t.enrolment.c.id).where(
            t.enrolment.c.worker_id == worker_id,
            t.enrolment.c.session_id == run_id,
            t.enrolment.c.status.in_(repo.SEAT_HOLDING),
        )
    )
    if requested is not None or enrolled is not None:
        raise Conflict(f"already requested or enrolled in session {code}")


def institution_requests(
    careshift: Careshift, principal: Principal, institution_id: int, lang: str = "en"
) -> list[dict[str, Any]]:
    """Every request of the institution's workers, pending first, then newest first."""
    authorize(principal, Action.READ, Resource.APPROVAL, institution_id=institution_id)
    query = (
        select(
            t.enrolment_request,
            worker.c.name,
            worker.c.employee_number,
            t.session.c.code.label("session"),
            t.session.c.starts_at,
            t.session.c.ends_at,
            t.session.c.seats,
            t.course.c.code.label("course"),
            t.course.c.titles,
        )
        .join(worker, worker.c.id == t.enrolment_request.c.worker_id)
        .join(t.session, t.session.c.id == t.enrolment_request.c.session_id)
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .where(worker.c.institution_id == institution_id)
        .order_by(t.enrolment_request.c.requested_at.desc(), t.enrolment_request.c.id.desc())
    )
    with careshift.store.transaction() as session:
        rows = [dict(r) for r in session.execute(query).mappings()]
        taken = repo.taken_seats(session, sorted({r["session_id"] for r in rows}))
        record(
            session,
            principal,
            "read",
            "enrolment_requests",
            institution_id,
            institution_id=institution_id,
            count=len(rows),
        )
    found = [_public(r, taken, lang) for r in rows]
    return sorted(found, key=lambda r: r["status"] != "pending")


def _public(row: dict[str, Any], taken: dict[int, int], lang: str) -> dict[str, Any]:
    title, title_lang = repo.course_title(row["titles"], lang, row["course"])
    return {
        "id": row["id"],
        "worker_id": row["worker_id"],
        "worker_name": row["name"] or row["employee_number"],
        "employee_number": row["employee_number"],
        "course": row["course"],
        "title": title,
        "title_lang": title_lang,
        "session": row["session"],
        "starts_at": repo.as_utc(row["starts_at"]),
        "ends_at": repo.as_utc(row["ends_at"]),
        "seats": row["seats"],
        "seats_taken": taken.get(row["session_id"], 0),
        "status": row["status"],
        "reason": row["reason"],
        "requested_at": repo.as_utc(row["requested_at"]),
        "decided_at": repo.as_utc(row["decided_at"]) if row["decided_at"] else None,
        "decided_by": row["decided_by"],
        "decision_note": row["decision_note"],
        "enrolment_id": row["enrolment_id"],
    }


def decide(
    careshift: Careshift,
    principal: Principal,
    request_id: int,
    approve: bool,
    note: str | None = None,
) -> dict[str, Any]:
    """Approve (enrol the worker in the session) or decline a pending request."""
    with careshift.store.transaction() as session:
        row = (
            session.execute(
                select(t.enrolment_request).where(t.enrolment_request.c.id == request_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            authorize(principal, Action.WRITE, Resource.APPROVAL)  # no id oracle for outsiders
            raise NotFound(f"no enrolment request with id {request_id}")
        learner = workforce.load_worker(session, row["worker_id"])
        assert learner is not None  # the foreign key cascades on erasure
        authorize(principal, Action.WRITE, Resource.APPROVAL, institution_id=learner.institution_id)
        if row["status"] != "pending":
            raise Conflict(f"request {request_id} is already {row['status']}")
        enrolment_id = _enrol(session, learner, row["session_id"]) if approve else None
        status = "approved" if approve else "declined"
        decision = {
            "status": status,
            "decided_at": datetime.now(UTC),
            "decided_by": principal.actor,
            "decision_note": note or None,
            "enrolment_id": enrolment_id,
        }
        session.execute(
            update(t.enrolment_request)
            .where(t.enrolment_request.c.id == request_id)
            .values(**decision)
        )
        record(
            session,
            principal,
            "update",
            "enrolment_request",
            request_id,
            institution_id=learner.institution_id,
            status=status,
        )
    return {"id": request_id, "status": status, "enrolment_id": enrolment_id}


def _enrol(session: Session, learner: Any, run_id: int) -> int:
    run = session.execute(
        select(t.session.c.code, t.session.c.seats, t.session.c.course_id).where(
            t.session.c.id == run_id
        )
    ).one()
    if repo.taken_seats(session, [run_id]).get(run_id, 0) >= run.seats:
        raise Conflict(f"session {run.code} is full ({run.seats} seats)")
    return add_enrolment(session, learner, run.course_id, run.code)


def open_sessions(
    careshift: Careshift, principal: Principal, lang: str = "en", limit: int = 50
) -> list[dict[str, Any]]:
    """Sessions not yet started with seats left (catalogue data: anyone signed in may see it)."""
    authorize(principal, Action.READ, Resource.CATALOGUE)
    query = (
        select(t.session, t.course.c.code.label("course"), t.course.c.titles)
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .where(t.session.c.starts_at > datetime.now(UTC))
        .order_by(t.session.c.starts_at, t.session.c.code)
        .limit(limit)
    )
    with careshift.store.engine.connect() as connection:
        rows = [dict(r) for r in connection.execute(query).mappings()]
        taken = repo.taken_seats(connection, [r["id"] for r in rows])
    found = []
    for r in rows:
        left = r["seats"] - taken.get(r["id"], 0)
        if left > 0:
            title, title_lang = repo.course_title(r["titles"], lang, r["course"])
            found.append(
                {
                    "session": r["code"],
                    "course": r["course"],
                    "title": title,
                    "title_lang": title_lang,
                    "starts_at": repo.as_utc(r["starts_at"]),
                    "seats_left": left,
                }
            )
    return found
