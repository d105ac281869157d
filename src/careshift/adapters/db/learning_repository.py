"""Catalogue rows in and out of the store: courses by code, their skills, prerequisites,
modules and sessions. Saving a course replaces its skills, prerequisites and modules."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db.tables import learning as t
from careshift.domain.learning import (
    Catalogue,
    Course,
    CourseSession,
    Modality,
    Module,
    Prerequisite,
    SkillLevel,
)

__all__ = [
    "SEAT_HOLDING",
    "as_utc",
    "course_ids",
    "course_title",
    "latest_assessments",
    "load_catalogue",
    "load_sessions",
    "save_courses",
    "save_sessions",
    "taken_seats",
]

#: Enrolment statuses that hold a seat in a session.
SEAT_HOLDING = ("planned", "enrolled", "completed", "failed")


def course_ids(session: Session | Connection) -> dict[str, int]:
    return {code: id_ for id_, code in session.execute(select(t.course.c.id, t.course.c.code))}


def _provider_ids(session: Session, providers: dict[str, str]) -> dict[str, int]:
    known = {c: i for i, c in session.execute(select(t.provider.c.id, t.provider.c.code))}
    for code, name in providers.items():
        if code in known:
            session.execute(
                update(t.provider).where(t.provider.c.id == known[code]).values(name=name)
            )
        else:
            known[code] = session.execute(
                insert(t.provider).values(code=code, name=name).returning(t.provider.c.id)
            ).scalar_one()
    return known


def save_courses(
    session: Session, courses: list[Course], providers: dict[str, str]
) -> tuple[int, int]:
    """Insert or update ``courses``; returns (created, updated)."""
    wanted = dict(providers)
    wanted.update(
        {c.provider: c.provider for c in courses if c.provider and c.provider not in wanted}
    )
    provider_ids = _provider_ids(session, wanted)
    ids = course_ids(session)
    created = updated = 0
    for course in courses:
        values = {
            "titles": json.dumps(dict(course.titles), ensure_ascii=False, sort_keys=True),
            "description": course.description or None,
            "hours": course.hours,
            "cost": course.cost,
            "currency": course.currency,
            "modality": course.modality.value,
            "language": course.language,
            "seats_per_session": course.seats_per_session,
            "provider_id": provider_ids.get(course.provider) if course.provider else None,
        }
        if course.code in ids:
            course_id = ids[course.code]
            session.execute(update(t.course).where(t.course.c.id == course_id).values(**values))
            for table in (t.course_skill, t.course_prerequisite, t.course_module):
                session.execute(delete(table).where(table.c.course_id == course_id))
            updated += 1
        else:
            course_id = session.execute(
                insert(t.course).values(code=course.code, **values).returning(t.course.c.id)
            ).scalar_one()
            ids[course.code] = course_id
            created += 1
        _save_parts(session, course_id, course)
    return created, updated


def _save_parts(session: Session, course_id: int, course: Course) -> None:
    if course.brings:
        session.execute(
            insert(t.course_skill),
            [{"course_id": course_id, "skill_uri": b.uri, "level": b.level} for b in course.brings],
        )
    if course.prerequisites:
        session.execute(
            insert(t.course_prerequisite),
            [
                {
                    "course_id": course_id,
                    "course_code": p.course,
                    "skill_uri": p.skill.uri if p.skill else None,
                    "level": p.skill.level if p.skill else None,
                }
                for p in course.prerequisites
            ],
        )
    if course.modules:
        session.execute(
            insert(t.course_module),
            [
                {"course_id": course_id, "position": i, "title": m.title, "hours": m.hours}
                for i, m in enumerate(course.modules)
            ],
        )


def save_sessions(session: Session, runs: list[CourseSession]) -> int:
    ids = course_ids(session)
    existing = {c: i for i, c in session.execute(select(t.session.c.id, t.session.c.code))}
    for run in runs:
        values = {
            "course_id": ids[run.course],
            "starts_at": run.starts_at,
            "ends_at": run.ends_at,
            "seats": run.seats,
            "location": run.location or None,
        }
        if run.code in existing:
            session.execute(
                update(t.session).where(t.session.c.id == existing[run.code]).values(**values)
            )
        else:
            session.execute(insert(t.session).values(code=run.code, **values))
    return len(runs)


def load_catalogue(connection: Connection | Session) -> tuple[Catalogue, dict[str, str]]:
    """The whole catalogue and the providers (code -> name)."""
    providers = {
        c: n
        for _, c, n in connection.execute(
            select(t.provider.c.id, t.provider.c.code, t.provider.c.name)
        )
    }
    provider_code = {
        i: c
        for i, c, _ in connection.execute(
            select(t.provider.c.id, t.provider.c.code, t.provider.c.name)
        )
    }
    parts: dict[int, dict[str, list[Any]]] = {}
    for course_id, uri, level in connection.execute(
        select(t.course_skill.c.course_id, t.course_skill.c.skill_uri, t.course_skill.c.level)
    ):
        parts.setdefault(course_id, {}).setdefault("brings", []).append(SkillLevel(uri, level))
    prerequisite_rows = select(
        t.course_prerequisite.c.course_id,
        t.course_prerequisite.c.course_code,
        t.course_prerequisite.c.skill_uri,
        t.course_prerequisite.c.level,
    ).order_by(t.course_prerequisite.c.id)
    for course_id, code, uri, level in connection.execute(prerequisite_rows):
        item = Prerequisite(course=code) if code else Prerequisite(skill=SkillLevel(uri, level))
        parts.setdefault(course_id, {}).setdefault("prerequisites", []).append(item)
    module_rows = select(
        t.course_module.c.course_id, t.course_module.c.title, t.course_module.c.hours
    ).order_by(t.course_module.c.course_id, t.course_module.c.position)
    for course_id, title, hours in connection.execute(module_rows):
        parts.setdefault(course_id, {}).setdefault("modules", []).append(Module(title, hours))
    courses = []
    for row in connection.execute(select(t.course).order_by(t.course.c.code)).mappings():
        mine = parts.get(row["id"], {})
        courses.append(
            Course(
                code=row["code"],
                titles=json.loads(row["titles"]),
                hours=row["hours"],
                cost=row["cost"],
                currency=row["currency"],
                modality=Modality(row["modality"]),
                language=row["language"],
                seats_per_session=row["seats_per_session"],
                description=row["description"] or "",
                provider=provider_code.get(row["provider_id"], ""),
                brings=tuple(sorted(mine.get("brings", []))),
                prerequisites=tuple(mine.get("prerequisites", [])),
                modules=tuple(mine.get("modules", [])),
            )
        )
    return Catalogue.of(courses), providers


def load_sessions(
    connection: Connection | Session, course_codes: list[str] | None = None
) -> list[CourseSession]:
    query = (
        select(
            t.session.c.code,
            t.course.c.code,
            t.session.c.starts_at,
            t.session.c.ends_at,
            t.session.c.seats,
            t.session.c.location,
        )
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .order_by(t.session.c.starts_at, t.session.c.code)
    )
    if course_codes is not None:
        query = query.where(t.course.c.code.in_(course_codes))
    return [
        CourseSession(code, course, _aware(starts), _aware(ends), seats, location or "")
        for code, course, starts, ends, seats, location in connection.execute(query)
    ]


def _aware(moment: Any) -> Any:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: A stored date-time as an aware UTC value, whatever the database handed back.
as_utc = _aware


def taken_seats(connection: Connection | Session, session_ids: list[int]) -> dict[int, int]:
    """Seats taken per session (all institutions): enrolments that hold a seat."""
    if not session_ids:
        return {}
    query = (
        select(t.enrolment.c.session_id, func.count())
        .where(t.enrolment.c.session_id.in_(session_ids), t.enrolment.c.status.in_(SEAT_HOLDING))
        .group_by(t.enrolment.c.session_id)
    )
    return {int(run): int(n) for run, n in connection.execute(query)}


def course_title(titles: str, lang: str, fallback: str) -> tuple[str, str]:
    """(title in ``lang`` or English, the language it is in) from a course's stored titles."""
    found: dict[str, str] = json.loads(titles) if titles else {}
    if found.get(lang):
        return found[lang], lang
    return found.get("en", fallback), "en"


def latest_assessments(
    session: Session | Connection, enrolment_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The latest assessment (on, score, passed) of each enrolment that has one."""
    assessed: dict[int, dict[str, Any]] = {}
    for enrolment_id, on, score, passed in session.execute(
        select(
            t.assessment.c.enrolment_id,
            t.assessment.c.assessed_on,
            t.assessment.c.score,
            t.assessment.c.passed,
        )
        .where(t.assessment.c.enrolment_id.in_(enrolment_ids))
        .order_by(t.assessment.c.assessed_on, t.assessment.c.id)
    ):
        assessed[enrolment_id] = {"on": on, "score": score, "passed": passed}
    return assessed
