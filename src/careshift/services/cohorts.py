"""Cohort planning use cases: define a programme (courses, waves, candidates), load shift
rosters, and plan or re-plan who attends which session.

Programme YAML::

    code: vas-2027
    name: Value-added services 2027
    institution: H1
    courses: [PHL-201]
    max_unit_share: 0.1
    waves:
      - {name: pilot, starts_on: 2027-01-04, ends_on: 2027-01-31, max_participants: 40}
      - {name: scale, starts_on: 2027-02-01, ends_on: 2027-12-31}
    candidates:
      role: https://careshift.eu/framework/careshift-healthcare/role/patient_service_associate
      exposure: 0.6                     # or per worker below
      workers: [{employee_number: E1, role_change_on: 2027-06-01, preference: 0.9}]

Rosters CSV: ``employee_number,starts_at,ends_at`` (ISO date-times), one shift per line.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, insert, select

from careshift.adapters.db.learning_repository import load_sessions
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.domain.cohorts import (
    Candidate,
    CohortPlan,
    CohortProblem,
    Shift,
    Wave,
    priority_score,
)
from careshift.engine.cohorts import plan_cohorts
from careshift.errors import ImportFailed, NotFound, RowProblem
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.institutions import find_institution

__all__ = ["import_programme", "import_rosters", "plan_programme"]


def import_programme(
    careshift: Careshift, path: Path | str, principal: Principal = SYSTEM
) -> dict[str, int]:
    name = str(path)
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("code") or not data.get("courses"):
        raise ImportFailed(
            f"programme {name} refused",
            [RowProblem(name, 1, "code", "a programme needs code and courses")],
        )
    home = (
        find_institution(careshift, str(data.get("institution")))
        if data.get("institution")
        else None
    )
    authorize(principal, Action.WRITE, Resource.COHORT, institution_id=home.id if home else None)
    spec = data.get("candidates") or {}
    with careshift.store.transaction() as session:
        course_ids = dict(
            session.execute(
                select(t.course.c.code, t.course.c.id).where(t.course.c.code.in_(data["courses"]))
            ).all()
        )
        missing = [c for c in data["courses"] if c not in course_ids]
        if missing:
            raise ImportFailed(
                f"programme {name} refused",
                [RowProblem(name, None, "courses", f"unknown course {c!r}") for c in missing],
            )
        session.execute(delete(t.programme).where(t.programme.c.code == data["code"]))
        programme_id = session.execute(
            insert(t.programme).values(
                code=data["code"],
                name=data.get("name") or data["code"],
                institution_id=home.id if home else None,
                max_unit_share=float(data.get("max_unit_share", 0.1)),
            )
        ).inserted_primary_key[0]
        for position, code in enumerate(data["courses"]):
            session.execute(
                insert(t.programme_course).values(
                    programme_id=programme_id, course_id=course_ids[code], position=position
                )
            )
        for position, wave in enumerate(data.get("waves") or []):
            session.execute(
                insert(t.wave).values(
                    programme_id=programme_id,
                    name=wave["name"],
                    position=position,
                    starts_on=_date(wave["starts_on"]),
                    ends_on=_date(wave["ends_on"]),
                    max_participants=wave.get("max_participants"),
                )
            )
        count = _candidates(session, programme_id, home.id if home else None, spec)
        record(session, principal, "create", "programme", data["code"], candidates=count)
    return {"candidates": count, "courses": len(course_ids)}


def _candidates(
    session: Any, programme_id: int, institution_id: int | None, spec: dict[str, Any]
) -> int:
    listed = {str(w["employee_number"]): w for w in spec.get("workers") or []}
    query = select(worker.c.id, worker.c.employee_number)
    if institution_id is not None:
        query = query.where(worker.c.institution_id == institution_id)
    if spec.get("role"):
        query = query.where(
            (worker.c.role_uri == spec["role"]) | worker.c.employee_number.in_(list(listed))
        )
    elif listed:
        query = query.where(worker.c.employee_number.in_(list(listed)))
    rows = []
    for worker_id, number in session.execute(query):
        own = listed.get(number, {})
        rows.append(
            {
                "programme_id": programme_id,
                "worker_id": worker_id,
                "exposure": float(own.get("exposure", spec.get("exposure", 0.0))),
                "role_change_on": _date(own["role_change_on"])
                if own.get("role_change_on")
                else None,
                "preference": float(own.get("preference", 0.5)),
            }
        )
    if rows:
        session.execute(insert(t.candidate), rows)
    return len(rows)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def import_rosters(
    careshift: Careshift, path: Path | str, institution: str, principal: Principal = SYSTEM
) -> int:
    """Replace the shifts of every worker named in the file (one transaction)."""
    home = find_institution(careshift, institution)
    authorize(principal, Action.WRITE, Resource.PERSON, institution_id=home.id)
    name = str(path)
    with careshift.store.transaction() as session:
        ids = dict(
            session.execute(
                select(worker.c.employee_number, worker.c.id).where(
                    worker.c.institution_id == home.id
                )
            ).all()
        )
        rows, problems = [], []
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                line = reader.line_num
                if row.get("employee_number") not in ids:
                    problems.append(
                        RowProblem(
                            name,
                            line,
                            "employee_number",
                            f"unknown worker {row.get('employee_number')!r}",
                        )
                    )
                    continue
                try:
                    starts, ends = (_moment(row[k]) for k in ("starts_at", "ends_at"))
                except (KeyError, ValueError, TypeError):
                    problems.append(
                        RowProblem(
                            name,
                            line,
                            "starts_at",
                            "expected ISO date-times in starts_at and ends_at",
                        )
                    )
                    continue
                if ends <= starts:
                    problems.append(RowProblem(name, line, "ends_at", "must be after starts_at"))
                rows.append(
                    {"worker_id": ids[row["employee_number"]], "starts_at": starts, "ends_at": ends}
                )
        if problems:
            raise ImportFailed(
                f"rosters {name} refused ({len(problems)} problems); nothing was written", problems
            )
        session.execute(
            delete(t.roster_shift).where(
                t.roster_shift.c.worker_id.in_({r["worker_id"] for r in rows})
            )
        )
        if rows:
            session.execute(insert(t.roster_shift), rows)
        record(session, principal, "import", "roster", institution_id=home.id, shifts=len(rows))
    return len(rows)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
