"""Outcomes per course for one institution's workers: completions, assessment results and
credentials issued, as suppressed aggregates (``Resource.AGGREGATE``).

Each person counts once per course, in the furthest state they reached: completed with a
credential, completed without one (yet), in progress (planned or enrolled), not passed, or
withdrawn. These five columns partition the people of a course, so the table is suppressed as a
whole with its margins (:func:`careshift.engine.suppression.suppress_2d`); "completed" and the
completion rate are derived from published cells only. A mean assessment score is shown only
when at least ``min_cell_size`` people have a score.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from careshift.adapters.db import learning_repository as repo
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.engine.suppression import suppress_2d
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record

__all__ = ["COLUMNS", "course_outcomes"]

COLUMNS = ("credentialed", "completed_only", "in_progress", "not_passed", "withdrawn")
_RANK = {"withdrawn": 0, "failed": 1, "planned": 2, "enrolled": 2, "completed": 3}


def course_outcomes(
    careshift: Careshift, principal: Principal, institution_id: int, lang: str = "en"
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=institution_id)
    with careshift.store.transaction() as session:  # every aggregate read is audited
        record(session, principal, "read", "aggregate", institution_id=institution_id,
               target="course-outcomes")  # fmt: skip
    staff = select(worker.c.id).where(worker.c.institution_id == institution_id)
    with careshift.store.engine.connect() as connection:
        enrolments = connection.execute(
            select(
                t.enrolment.c.id,
                t.enrolment.c.worker_id,
                t.enrolment.c.course_id,
                t.enrolment.c.status,
            ).where(t.enrolment.c.worker_id.in_(staff))
        ).all()
        credentialed = set(
            connection.execute(
                select(t.credential.c.worker_id, t.credential.c.course_id).where(
                    t.credential.c.worker_id.in_(staff),
                    t.credential.c.course_id.is_not(None),
                    t.credential.c.revoked_at.is_(None),
                )
            ).all()
        )
        scores = connection.execute(
            select(t.enrolment.c.worker_id, t.enrolment.c.course_id, t.assessment.c.score)
            .join(t.assessment, t.assessment.c.enrolment_id == t.enrolment.c.id)
            .where(t.enrolment.c.worker_id.in_(staff), t.assessment.c.score.is_not(None))
        ).all()
        courses = {
            r["id"]: r
            for r in connection.execute(
                select(t.course.c.id, t.course.c.code, t.course.c.titles)
            ).mappings()
        }
    best: dict[tuple[int, int], str] = {}
    for _, worker_id, course_id, status in enrolments:
        key = (worker_id, course_id)
        if key not in best or _RANK.get(status, 0) > _RANK.get(best[key], 0):
            best[key] = status
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    for (worker_id, course_id), status in best.items():
        counts[course_id][
            COLUMNS.index(_column(status, (worker_id, course_id) in credentialed))
        ] += 1
    scored: dict[int, dict[int, float]] = defaultdict(dict)
    for worker_id, course_id, score in scores:
        scored[course_id][worker_id] = float(score)  # each person's latest score counts once
    return _publish(careshift, institution_id, courses, counts, scored, lang)


def _column(status: str, has_credential: bool) -> str:
    if status == "completed":
        return "credentialed" if has_credential else "completed_only"
    if status == "failed":
        return "not_passed"
    return "withdrawn" if status == "withdrawn" else "in_progress"


def _publish(
    careshift: Careshift,
    institution_id: int,
    courses: dict[int, Any],
    counts: dict[int, list[int]],
    scored: dict[int, dict[int, float]],
    lang: str,
) -> dict[str, Any]:
    minimum = careshift.settings.min_cell_size
    order = sorted(counts, key=lambda c: courses[c]["code"])
    table = suppress_2d([counts[c] for c in order], minimum) if order else None
    rows = []
    for i, course_id in enumerate(order):
        cells = dict(zip(COLUMNS, table.cells[i], strict=True)) if table else {}
        people = table.row_totals[i] if table else None
        done = (
            cells["credentialed"] + cells["completed_only"]
            if cells["credentialed"] is not None and cells["completed_only"] is not None
            else None
        )
        marks = list(scored[course_id].values())
        title, title_lang = repo.course_title(
            courses[course_id]["titles"], lang, courses[course_id]["code"]
        )
        rows.append(
            {
                "course": courses[course_id]["code"],
                "title": title,
                "title_lang": title_lang,
                "people": people,
                **cells,
                "completed": done,
                "completion_rate": round(done / people, 3) if done is not None and people else None,
                "mean_score": round(sum(marks) / len(marks), 3) if len(marks) >= minimum else None,
            }
        )
    totals = dict(zip(COLUMNS, table.column_totals, strict=True)) if table else {}
    return {
        "institution_id": institution_id,
        "min_cell_size": minimum,
        "columns": list(COLUMNS),
        "courses": rows,
        "totals": {**totals, "people": table.total if table else None},
    }
