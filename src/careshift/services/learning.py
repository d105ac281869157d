"""Learning use cases: the catalogue (import, export, read) and optimal learning plans.

Other areas use :func:`hours_to_reach` (pathway effort) and :func:`trainings_for_skills`
(which courses close a group's gaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables import learning as t
from careshift.adapters.files.catalogue import read_catalogue, write_catalogue
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.domain.learning import (
    Catalogue,
    CourseSession,
    LearningPlan,
    PlanObjective,
    SkillLevel,
)
from careshift.domain.taxonomy import ConceptKind
from careshift.engine import learning_plan
from careshift.errors import NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record

__all__ = [
    "WorkerPlan",
    "catalogue",
    "export_catalogue",
    "hours_table",
    "hours_to_reach",
    "import_catalogue",
    "plan_for_targets",
    "plan_for_worker",
    "plan_to_dict",
    "sessions",
    "trainings_for_skills",
]


def import_catalogue(
    careshift: Careshift, path: Path | str, principal: Principal = SYSTEM
) -> dict[str, int]:
    """Load a YAML or CSV catalogue in one transaction; any bad row refuses the whole file."""
    authorize(principal, Action.WRITE, Resource.CATALOGUE)
    from careshift.services.taxonomy import snapshot

    taxonomy = snapshot(careshift)
    skills = {c.uri for c in taxonomy.concepts.values() if c.kind is ConceptKind.SKILL}
    with careshift.store.transaction() as session:
        known = repo.course_ids(session)
        # Without a taxonomy loaded, skill URIs cannot be checked; the shape still is.
        parsed = read_catalogue(path, known_courses=known, known_skills=skills or None)
        created, updated = repo.save_courses(session, parsed.courses, parsed.providers)
        runs = repo.save_sessions(session, parsed.sessions)
        record(
            session, principal, "create", "catalogue", Path(path).name, courses=len(parsed.courses)
        )
    careshift.invalidate("learning:")
    return {"created": created, "updated": updated, "sessions": runs}


def export_catalogue(careshift: Careshift, path: Path | str) -> int:
    current, providers = _load(careshift)
    write_catalogue(path, list(current.courses.values()), sessions(careshift), providers)
    return len(current)


def catalogue(careshift: Careshift) -> Catalogue:
    """The catalogue as the plan engine sees it, cached until the next import."""
    return _load(careshift)[0]


def _load(careshift: Careshift) -> tuple[Catalogue, dict[str, str]]:
    def build() -> tuple[Catalogue, dict[str, str]]:
        with careshift.store.engine.connect() as connection:
            return repo.load_catalogue(connection)

    loaded: tuple[Catalogue, dict[str, str]] = careshift.cached("learning:catalogue", build)
    return loaded


def sessions(careshift: Careshift, course_codes: list[str] | None = None) -> list[CourseSession]:
    with careshift.store.engine.connect() as connection:
        return repo.load_sessions(connection, course_codes)


def hours_to_reach(
    careshift: Careshift, skill_uri: str, level: int, current_level: int = 0
) -> float | None:
    """Training hours (prerequisites included) to bring a skill to ``level``; None if no course
    chain in the catalogue reaches it. The pathway engine's effort measure."""
    return learning_plan.hours_to_reach(catalogue(careshift), skill_uri, level, current_level)


def hours_table(careshift: Careshift) -> dict[tuple[str, int], float]:
    """Hours to reach every (skill, level) the catalogue can reach from scratch, cached until
    the next catalogue import: the pathway engine's effort lookup for many gaps at once."""

    def build() -> dict[tuple[str, int], float]:
        current = catalogue(careshift)
        skills = {b.uri: max(b.level, 0) for c in current.courses.values() for b in c.brings}
        table: dict[tuple[str, int], float] = {}
        for uri in sorted(skills):
            top = max(c.level_brought(uri) for c in current.teaching(uri))
            for level in range(1, top + 1):
                found = learning_plan.hours_to_reach(current, uri, level)
                if found is not None:
                    table[uri, level] = found
        return table

    table: dict[tuple[str, int], float] = careshift.cached("learning:hours", build)
    return table


def trainings_for_skills(
    careshift: Careshift, skill_uris: list[str], lang: str = "en"
) -> list[tuple[str, str, list[str]]]:
    """Courses teaching any of ``skill_uris``: (course code, title in ``lang`` or English, skills
    covered); the title as the catalogue and a worker's learning plan show it."""
    wanted = set(skill_uris)
    return [
        (c.code, c.title(lang), sorted({b.uri for b in c.brings} & wanted))
        for c in catalogue(careshift).courses.values()
        if any(b.uri in wanted for b in c.brings)
    ]


def plan_for_targets(
    careshift: Careshift,
    targets: list[SkillLevel],
    current: dict[str, int] | None = None,
    *,
    completed: list[str] | None = None,
    objective: str = "hours",
) -> LearningPlan:
    return learning_plan.optimal_plan(
        catalogue(careshift),
        targets,
        current or {},
        completed=completed or (),
        objective=PlanObjective.named(objective),
    )


@dataclass(frozen=True)
class WorkerPlan:
    worker_id: int
    target_uri: str
    targets: list[SkillLevel]
    current: dict[str, int]
    plan: LearningPlan


def plan_for_worker(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    target_uri: str | None = None,
    objective: str = "hours",
) -> WorkerPlan:
    """The optimal plan closing the worker's gap to ``target_uri`` (default: their role)."""
    from careshift.services.gaps import worker_gap

    gap = worker_gap(careshift, principal, worker_id, target_uri)
    targets = [SkillLevel(s.skill_uri, s.required) for s in gap.skills if s.gap > 0]
    current = {s.skill_uri: s.current for s in gap.skills if s.current > 0}
    plan = plan_for_targets(
        careshift,
        targets,
        current,
        completed=completed_courses(careshift, worker_id),
        objective=objective,
    )
    return WorkerPlan(worker_id, gap.target_uri, targets, current, plan)


def completed_courses(careshift: Careshift, worker_id: int) -> list[str]:
    query = (
        select(t.course.c.code)
        .join(t.enrolment, t.enrolment.c.course_id == t.course.c.id)
        .where(t.enrolment.c.worker_id == worker_id, t.enrolment.c.status == "completed")
    )
    with careshift.store.engine.connect() as connection:
        return list(connection.scalars(query))


def plan_to_dict(plan: LearningPlan, lang: str = "en") -> dict[str, Any]:
    return {
        "status": plan.status.value,
        "proven_optimal": plan.proven_optimal,
        "objective": plan.objective,
        "bound": plan.bound,
        "hours": plan.hours,
        "cost": plan.cost,
        "solve_ms": round(plan.solve_ms, 2),
        "message": plan.message,
        "unreachable": [{"skill_uri": s.uri, "level": s.level} for s in plan.unreachable],
        "steps": [
            {
                "position": i + 1,
                "course": step.course.code,
                "title": step.course.title(lang),
                "hours": step.course.hours,
                "cost": step.course.cost,
                "currency": step.course.currency,
                "modality": step.course.modality.value,
                "closes": [{"skill_uri": s.uri, "level": s.level} for s in step.closes],
            }
            for i, step in enumerate(plan.steps)
        ],
    }


def require_course(careshift: Careshift, code: str) -> int:
    with careshift.store.engine.connect() as connection:
        found = connection.scalar(select(t.course.c.id).where(t.course.c.code == code))
    if found is None:
        raise NotFound(f"no course with code {code!r}")
    return int(found)
