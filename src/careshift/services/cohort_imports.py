"""Cohort planning inputs: define a programme (courses, waves, candidates) and load shift
rosters.

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
from sqlalchemy import delete, insert, select

from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.errors import ImportFailed, RowProblem
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.institutions import find_institution

__all__ = ["import_programme", "import_rosters"]


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
            insert(t.programme)
            .values(
                code=data["code"],
                name=data.get("name") or data["code"],
                institution_id=home.id if home else None,
                max_unit_share=float(data.get("max_unit_share", 0.1)),
            )
            .returning(t.programme.c.id)
        ).scalar_one()
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
