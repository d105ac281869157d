"""Cohort planning use cases: plan or re-plan who attends which session of a programme.

Programmes and rosters come in through :mod:`careshift.services.cohort_imports` (re-exported
here); the plan is stored as ``planned`` enrolments, which the next re-plan tries to keep.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from careshift.adapters.db.learning_repository import load_sessions
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.cohorts import (
    Candidate,
    CohortPlan,
    CohortProblem,
    Shift,
    Wave,
    priority_score,
)
from careshift.engine.cohorts import plan_cohorts
from careshift.errors import NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.cohort_imports import import_programme, import_rosters

__all__ = ["import_programme", "import_rosters", "plan_programme"]


def plan_programme(
    careshift: Careshift, principal: Principal, code: str, time_limit: float = 8.0
) -> dict[str, Any]:
    """Plan (or re-plan, keeping existing places where possible) and store planned enrolments."""
    with careshift.store.transaction() as session:
        programme = (
            session.execute(select(t.programme).where(t.programme.c.code == code))
            .mappings()
            .first()
        )
        if programme is None:
            authorize(principal, Action.WRITE, Resource.COHORT)  # no oracle for outsiders
            raise NotFound(f"no programme {code!r}")
        authorize(
            principal, Action.WRITE, Resource.COHORT, institution_id=programme["institution_id"]
        )
        problem, course_ids = _problem(session, programme)
        plan = plan_cohorts(problem, time_limit=time_limit)
        _store(session, programme["id"], problem, plan, course_ids)
        record(
            session,
            principal,
            "update",
            "cohort_plan",
            code,
            institution_id=programme["institution_id"],
            placed=plan.placed,
        )
    return _summary(code, problem, plan)


def _problem(session: Any, programme: Any) -> tuple[CohortProblem, dict[str, int]]:
    courses = list(
        session.execute(
            select(t.course.c.code, t.course.c.id)
            .join(t.programme_course)
            .where(t.programme_course.c.programme_id == programme["id"])
            .order_by(t.programme_course.c.position)
        ).all()
    )
    course_ids = dict(courses)
    waves = tuple(
        Wave(w.name, w.starts_on, w.ends_on, w.max_participants)
        for w in session.execute(
            select(t.wave)
            .where(t.wave.c.programme_id == programme["id"])
            .order_by(t.wave.c.position)
        )
    )
    rows = (
        session.execute(
            select(t.candidate, worker.c.institution_id, worker.c.unit_id, worker.c.employed_from)
            .join(worker, worker.c.id == t.candidate.c.worker_id)
            .where(t.candidate.c.programme_id == programme["id"])
        )
        .mappings()
        .all()
    )
    worker_ids = [r["worker_id"] for r in rows]
    shifts: dict[int, list[Shift]] = {}
    for worker_id, starts, ends in session.execute(
        select(
            t.roster_shift.c.worker_id, t.roster_shift.c.starts_at, t.roster_shift.c.ends_at
        ).where(t.roster_shift.c.worker_id.in_(worker_ids))
    ):
        shifts.setdefault(worker_id, []).append((_aware(starts), _aware(ends)))
    assigned: dict[int, dict[str, str]] = {}
    planned = (
        select(t.enrolment.c.worker_id, t.course.c.code, t.session.c.code)
        .join(t.course, t.course.c.id == t.enrolment.c.course_id)
        .join(t.session, t.session.c.id == t.enrolment.c.session_id)
        .where(t.enrolment.c.programme_id == programme["id"], t.enrolment.c.status == "planned")
    )
    for worker_id, course, run in session.execute(planned):
        assigned.setdefault(worker_id, {})[course] = run
    rosters = {str(w): tuple(sorted(s)) for w, s in shifts.items()}
    keys = {roster: f"r{i}" for i, roster in enumerate(sorted(set(rosters.values())))}
    today = datetime.now(UTC).date()
    candidates = tuple(
        Candidate(
            r["worker_id"],
            f"{r['institution_id']}:{r['unit_id']}",
            priority_score(
                r["exposure"],
                (r["role_change_on"] - today).days if r["role_change_on"] else None,
                ((today - r["employed_from"]).days / 365.25) if r["employed_from"] else 0.0,
                r["preference"],
            ),
            keys.get(rosters.get(str(r["worker_id"]), ()), "none"),
            assigned.get(r["worker_id"], {}),
        )
        for r in rows
    )
    # Workers without a unit count as one unit per institution.
    counted = (
        select(worker.c.institution_id, worker.c.unit_id, func.count())
        .where(worker.c.institution_id.in_({r["institution_id"] for r in rows}))
        .group_by(worker.c.institution_id, worker.c.unit_id)
    )
    headcount = {f"{i}:{u}": n for i, u, n in session.execute(counted)}
    problem = CohortProblem(
        courses=tuple(course_ids),
        sessions=tuple(load_sessions(session, list(course_ids))),
        candidates=candidates,
        rosters={key: roster for roster, key in keys.items()},
        unit_headcount=headcount,
        waves=waves,
        max_unit_share=programme["max_unit_share"],
    )
    return problem, course_ids


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _store(
    session: Any,
    programme_id: int,
    problem: CohortProblem,
    plan: CohortPlan,
    course_ids: dict[str, int],
) -> None:
    session_ids = dict(session.execute(select(t.session.c.code, t.session.c.id)).all())
    session.execute(
        delete(t.enrolment).where(
            t.enrolment.c.programme_id == programme_id, t.enrolment.c.status == "planned"
        )
    )
    now = datetime.now(UTC)
    rows = [
        {
            "worker_id": w,
            "course_id": course_ids[c],
            "session_id": session_ids[code],
            "programme_id": programme_id,
            "status": "planned",
            "enrolled_at": now,
        }
        for (w, c), code in sorted(plan.assignments.items())
    ]
    if rows:
        session.execute(insert(t.enrolment), rows)


def _summary(code: str, problem: CohortProblem, plan: CohortPlan) -> dict[str, Any]:
    by_session: dict[str, int] = {}
    for run in plan.assignments.values():
        by_session[run] = by_session.get(run, 0) + 1
    return {
        "programme": code,
        "status": plan.status,
        "candidates": len(problem.candidates),
        "placed": plan.placed,
        "objective": round(plan.objective, 4),
        "bound": round(plan.bound, 4),
        "gap": round(plan.gap, 6),
        "seconds": round(plan.seconds, 3),
        "kept": plan.kept,
        "moved": plan.moved,
        "sessions": [{"session": s, "placed": n} for s, n in sorted(by_session.items())],
        "assignments": [
            {"worker_id": w, "course": c, "session": s}
            for (w, c), s in sorted(plan.assignments.items())
        ],
    }
