"""The academy's view of cohorts: programmes, a calendar of sessions with the workers assigned
(planned by :mod:`careshift.services.cohorts` or enrolled), and a session's attendance sheet.

Programmes are catalogue data. Who sits in which session is personal data of the workers
(``Resource.COHORT``): only workers of institutions the reader is scoped to are named, and every
read is audited. Seat counts are the session's, across all institutions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.platform import institution
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import InputError, NotFound
from careshift.services.access import Action, Resource, authorize, visible_institutions
from careshift.services.audit import record

__all__ = ["calendar", "month_span", "programmes", "session_sheet"]

#: Longest calendar span one request may ask for.
MAX_DAYS = 93


def programmes(
    careshift: Careshift, principal: Principal, lang: str = "en"
) -> list[dict[str, Any]]:
    """Every programme: its courses in order (with hours) and its waves."""
    authorize(principal, Action.READ, Resource.CATALOGUE)
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(
            select(t.programme, institution.c.name.label("institution"))
            .join(institution, institution.c.id == t.programme.c.institution_id, isouter=True)
            .order_by(t.programme.c.code)
        ).mappings()
        found = {r["id"]: {**_programme(r), "courses": [], "waves": []} for r in rows}
        courses = connection.execute(
            select(t.programme_course.c.programme_id, t.course)
            .join(t.course, t.course.c.id == t.programme_course.c.course_id)
            .order_by(t.programme_course.c.position)
        ).mappings()
        for c in courses:
            title, title_lang = repo.course_title(c["titles"], lang, c["code"])
            found[c["programme_id"]]["courses"].append(
                {
                    "code": c["code"],
                    "title": title,
                    "title_lang": title_lang,
                    "hours": c["hours"],
                    "modality": c["modality"],
                }
            )
        waves = connection.execute(select(t.wave).order_by(t.wave.c.position)).mappings()
        for w in waves:
            found[w["programme_id"]]["waves"].append(
                {
                    "name": w["name"],
                    "starts_on": w["starts_on"],
                    "ends_on": w["ends_on"],
                    "max_participants": w["max_participants"],
                }
            )
    for item in found.values():
        item["hours"] = sum(c["hours"] for c in item["courses"])
    return list(found.values())


def _programme(row: Any) -> dict[str, Any]:
    return {
        "code": row["code"],
        "name": row["name"],
        "institution_id": row["institution_id"],
        "institution": row["institution"],
        "max_unit_share": row["max_unit_share"],
    }


def calendar(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    first: date,
    last: date,
    lang: str = "en",
) -> dict[str, Any]:
    """Sessions starting from ``first`` to ``last`` (inclusive), with seats and the workers of
    ``institution_id`` planned or enrolled in each."""
    authorize(principal, Action.READ, Resource.COHORT, institution_id=institution_id)
    if last < first or (last - first).days > MAX_DAYS:
        raise InputError(f"a calendar spans 1 to {MAX_DAYS + 1} days")
    start = datetime.combine(first, time.min, UTC)
    end = datetime.combine(last, time.max, UTC)
    with careshift.store.transaction() as session:
        runs = _sessions(session, t.session.c.starts_at.between(start, end), lang)
        taken = repo.taken_seats(session, list(runs))
        people = _people(session, list(runs), frozenset({institution_id}))
        record(
            session,
            principal,
            "read",
            "cohort_calendar",
            institution_id,
            institution_id=institution_id,
            first=first,
            last=last,
        )
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for run_id, run in runs.items():
        run["seats_taken"] = taken.get(run_id, 0)
        run["workers"] = people.get(run_id, [])
        days[run["starts_at"].date()].append(run)
    return {
        "institution_id": institution_id,
        "from": first,
        "to": last,
        "days": [{"date": day, "sessions": days[day]} for day in sorted(days)],
    }


def month_span(month: str | None, today: date | None = None) -> tuple[date, date]:
    """First and last day of ``month`` ("YYYY-MM"; default: this month)."""
    if not month:
        first = (today or datetime.now(UTC).date()).replace(day=1)
    else:
        try:
            first = datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise InputError(f"month must be YYYY-MM, got {month!r}") from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _sessions(session: Session, condition: Any, lang: str) -> dict[int, Any]:
    query = (
        select(t.session, t.course.c.code.label("course"), t.course.c.titles)
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .where(condition)
        .order_by(t.session.c.starts_at, t.session.c.code)
    )
    found: dict[int, Any] = {}
    for r in session.execute(query).mappings():
        title, title_lang = repo.course_title(r["titles"], lang, r["course"])
        found[r["id"]] = {
            "session": r["code"],
            "course": r["course"],
            "title": title,
            "title_lang": title_lang,
            "starts_at": repo.as_utc(r["starts_at"]),
            "ends_at": repo.as_utc(r["ends_at"]),
            "seats": r["seats"],
            "location": r["location"],
        }
    return found


def _people(
    session: Session, run_ids: list[int], institutions: frozenset[int] | None
) -> dict[int, list[dict[str, Any]]]:
    """Enrolments of these sessions by workers of ``institutions`` (None: all)."""
    query = (
        select(
            t.enrolment.c.id,
            t.enrolment.c.session_id,
            t.enrolment.c.status,
            t.enrolment.c.completed_on,
            worker.c.id.label("worker_id"),
            worker.c.name,
            worker.c.employee_number,
            worker.c.institution_id,
        )
        .join(worker, worker.c.id == t.enrolment.c.worker_id)
        .where(t.enrolment.c.session_id.in_(run_ids))
        .order_by(worker.c.name, worker.c.employee_number)
    )
    if institutions is not None:
        query = query.where(worker.c.institution_id.in_(institutions))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in session.execute(query).mappings():
        found[r["session_id"]].append(
            {
                "enrolment_id": r["id"],
                "worker_id": r["worker_id"],
                "name": r["name"] or r["employee_number"],
                "employee_number": r["employee_number"],
                "institution_id": r["institution_id"],
                "status": r["status"],
                "completed_on": r["completed_on"],
            }
        )
    return found


def session_sheet(
    careshift: Careshift, principal: Principal, code: str, lang: str = "en"
) -> dict[str, Any]:
    """One session's attendance sheet: every enrolment the reader may see, with the days and
    hours attended and the latest assessment."""
    authorize(principal, Action.READ, Resource.COHORT)  # no oracle for those without the right
    scope = visible_institutions(principal, Action.READ, Resource.COHORT)
    with careshift.store.transaction() as session:
        runs = _sessions(session, t.session.c.code == code, lang)
        if not runs:
            raise NotFound(f"no course session {code!r}")
        run_id, run = next(iter(runs.items()))
        run["seats_taken"] = repo.taken_seats(session, [run_id]).get(run_id, 0)
        people = _people(session, [run_id], scope).get(run_id, [])
        _attach_progress(session, people)
        for institution_id in sorted({p["institution_id"] for p in people}):
            record(
                session,
                principal,
                "read",
                "session_attendance",
                code,
                institution_id=institution_id,
            )
    return {**run, "enrolments": people}


def _attach_progress(session: Session, people: list[dict[str, Any]]) -> None:
    ids = [p["enrolment_id"] for p in people]
    days: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for enrolment_id, on, hours, source in session.execute(
        select(
            t.attendance.c.enrolment_id,
            t.attendance.c.attended_on,
            t.attendance.c.hours,
            t.attendance.c.source,
        )
        .where(t.attendance.c.enrolment_id.in_(ids))
        .order_by(t.attendance.c.attended_on)
    ):
        days[enrolment_id].append({"on": on, "hours": hours, "source": source})
    assessed = repo.latest_assessments(session, ids)
    for person in people:
        person["attendance"] = days.get(person["enrolment_id"], [])
        person["hours_attended"] = sum(d["hours"] for d in person["attendance"])
        person["assessment"] = assessed.get(person["enrolment_id"])
