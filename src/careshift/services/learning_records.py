"""A worker's learning record: enrolments with progress, completed courses, issued credentials
and enrolment requests, and the download of one credential (the signed JWT-VC and its JSON).

Personal data (``Resource.PERSON``): the worker themselves, or staff of their institution;
every read is audited.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from careshift.adapters import signing
from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db import workforce_repository as workforce
from careshift.adapters.db.tables import learning as t
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record

__all__ = ["credential_download", "learning_record"]


def _authorized_worker(
    session: Session, principal: Principal, worker_id: int, action: Action
) -> int:
    """The worker's institution, once the principal may ``action`` their personal data."""
    learner = workforce.load_worker(session, worker_id)
    if learner is None:
        authorize(principal, action, Resource.PERSON)  # no id oracle for outsiders
        raise NotFound(f"no worker with id {worker_id}")
    authorize(
        principal,
        action,
        Resource.PERSON,
        institution_id=learner.institution_id,
        worker_id=worker_id,
    )
    return learner.institution_id


def learning_record(
    careshift: Careshift, principal: Principal, worker_id: int, lang: str = "en"
) -> dict[str, Any]:
    """Enrolments (newest first) with hours attended and the latest assessment, credentials,
    and enrolment requests of one worker."""
    with careshift.store.transaction() as session:
        institution_id = _authorized_worker(session, principal, worker_id, Action.READ)
        enrolments = _enrolments(session, worker_id, lang)
        credentials = _credentials(session, worker_id, lang)
        requests = _requests(session, worker_id, lang)
        record(
            session, principal, "read", "learning_record", worker_id, institution_id=institution_id
        )
    return {
        "worker_id": worker_id,
        "enrolments": [e for e in enrolments if e["status"] != "completed"],
        "completed": [e for e in enrolments if e["status"] == "completed"],
        "credentials": credentials,
        "requests": requests,
    }


def _enrolments(session: Session, worker_id: int, lang: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            t.enrolment,
            t.course.c.code.label("course"),
            t.course.c.titles,
            t.course.c.hours.label("course_hours"),
            t.session.c.code.label("session"),
            t.session.c.starts_at,
            t.session.c.ends_at,
            t.session.c.location,
        )
        .join(t.course, t.course.c.id == t.enrolment.c.course_id)
        .join(t.session, t.session.c.id == t.enrolment.c.session_id, isouter=True)
        .where(t.enrolment.c.worker_id == worker_id)
        .order_by(t.enrolment.c.enrolled_at.desc(), t.enrolment.c.id.desc())
    ).mappings()
    found = [dict(r) for r in rows]
    ids = [r["id"] for r in found]
    hours = dict(
        session.execute(
            select(t.attendance.c.enrolment_id, func.sum(t.attendance.c.hours))
            .where(t.attendance.c.enrolment_id.in_(ids))
            .group_by(t.attendance.c.enrolment_id)
        ).all()
    )
    assessed = repo.latest_assessments(session, ids)
    result = []
    for r in found:
        title, title_lang = repo.course_title(r["titles"], lang, r["course"])
        attended = float(hours.get(r["id"]) or 0.0)
        result.append(
            {
                "id": r["id"],
                "course": r["course"],
                "title": title,
                "title_lang": title_lang,
                "session": r["session"],
                "starts_at": repo.as_utc(r["starts_at"]) if r["starts_at"] else None,
                "ends_at": repo.as_utc(r["ends_at"]) if r["ends_at"] else None,
                "location": r["location"],
                "status": r["status"],
                "completed_on": r["completed_on"],
                "hours_attended": attended,
                "course_hours": r["course_hours"],
                "progress": min(1.0, attended / r["course_hours"]) if r["course_hours"] else None,
                "assessment": assessed.get(r["id"]),
            }
        )
    return result


def _credentials(session: Session, worker_id: int, lang: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(t.credential, t.course.c.code.label("course"), t.course.c.titles)
        .join(t.course, t.course.c.id == t.credential.c.course_id, isouter=True)
        .where(t.credential.c.worker_id == worker_id)
        .order_by(t.credential.c.issued_at.desc(), t.credential.c.id.desc())
    ).mappings()
    found = []
    for r in rows:
        _, payload = signing.unverified_parts(r["token"])
        name = payload.get("name")
        title, title_lang = (
            repo.course_title(r["titles"], lang, r["course"])
            if r["course"]
            else (str(name or r["skill_uri"]), "en")
        )
        found.append(
            {
                "uid": r["uid"],
                "kind": r["kind"],
                "course": r["course"],
                "skill_uri": r["skill_uri"],
                "level": r["level"],
                "title": title,
                "title_lang": title_lang,
                "issued_at": repo.as_utc(r["issued_at"]),
                "valid_until": repo.as_utc(r["valid_until"]) if r["valid_until"] else None,
                "revoked": r["revoked_at"] is not None,
            }
        )
    return found


def _requests(session: Session, worker_id: int, lang: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            t.enrolment_request,
            t.session.c.code.label("session"),
            t.session.c.starts_at,
            t.course.c.code.label("course"),
            t.course.c.titles,
        )
        .join(t.session, t.session.c.id == t.enrolment_request.c.session_id)
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .where(t.enrolment_request.c.worker_id == worker_id)
        .order_by(t.enrolment_request.c.requested_at.desc())
    ).mappings()
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        title, title_lang = repo.course_title(r["titles"], lang, r["course"])
        grouped[r["status"]].append(
            {
                "id": r["id"],
                "session": r["session"],
                "course": r["course"],
                "title": title,
                "title_lang": title_lang,
                "starts_at": repo.as_utc(r["starts_at"]),
                "status": r["status"],
                "requested_at": repo.as_utc(r["requested_at"]),
                "decision_note": r["decision_note"],
            }
        )
    return [item for status in ("pending", "approved", "declined") for item in grouped[status]]


def credential_download(
    careshift: Careshift, principal: Principal, worker_id: int, uid: str
) -> dict[str, Any]:
    """One of the worker's credentials: ``token`` (the signed JWT-VC) and ``credential`` (its
    Open Badges 3.0 payload as JSON). A uid of another worker is not found."""
    with careshift.store.transaction() as session:
        institution_id = _authorized_worker(session, principal, worker_id, Action.READ)
        token = session.scalar(
            select(t.credential.c.token).where(
                t.credential.c.uid == uid, t.credential.c.worker_id == worker_id
            )
        )
        if token is None:
            raise NotFound(f"no credential {uid} of worker {worker_id}")
        record(
            session,
            principal,
            "read",
            "credential",
            worker_id,
            institution_id=institution_id,
            uid=uid,
        )
    _, payload = signing.unverified_parts(token)
    return {"uid": uid, "token": token, "credential": payload}
