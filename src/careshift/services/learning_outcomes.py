"""Programme outcomes: who was trained, completion, time to complete, role changes afterwards.

Every count is an aggregate of people (Resource.AGGREGATE) and goes through small-cell
suppression with complements (:mod:`careshift.engine.suppression`); rates and shares are
computed from published counts only, so a hidden count cannot be recovered from them.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.workforce import worker, worker_history
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.engine.suppression import suppress_1d, suppress_2d, suppress_partition
from careshift.errors import NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.requirements import role_index
from careshift.services.taxonomy import snapshot

__all__ = ["STATUSES", "programme_outcomes", "trained_share"]

STATUSES = ("completed", "enrolled", "planned", "failed", "withdrawn")


def programme_outcomes(careshift: Careshift, principal: Principal, code: str) -> dict[str, Any]:
    """Per wave (batch): people by enrolment status, completion rate, median days to complete."""
    with careshift.store.engine.connect() as connection:
        programme = (
            connection.execute(select(t.programme).where(t.programme.c.code == code))
            .mappings()
            .first()
        )
        if programme is None:
            authorize(principal, Action.READ, Resource.AGGREGATE)  # no oracle for outsiders
            raise NotFound(f"no programme {code!r}")
        authorize(
            principal, Action.READ, Resource.AGGREGATE, institution_id=programme["institution_id"]
        )
        rows = connection.execute(
            select(
                t.enrolment.c.status,
                t.enrolment.c.enrolled_at,
                t.enrolment.c.completed_on,
                t.session.c.starts_at,
                t.wave.c.name,
                t.wave.c.starts_on,
                t.wave.c.ends_on,
            )
            .join(t.session, t.session.c.id == t.enrolment.c.session_id, isouter=True)
            .join(t.wave, t.wave.c.programme_id == t.enrolment.c.programme_id)
            .where(t.enrolment.c.programme_id == programme["id"])
        ).all()
    minimum = careshift.settings.min_cell_size
    waves: dict[str, list[int]] = defaultdict(lambda: [0] * len(STATUSES))
    days: dict[str, list[int]] = defaultdict(list)
    for status, enrolled_at, completed_on, starts_at, wave, starts_on, ends_on in rows:
        when = (starts_at or enrolled_at).date()
        if not starts_on <= when <= ends_on:
            continue
        waves[wave][STATUSES.index(status)] += 1
        if completed_on is not None:
            days[wave].append((completed_on - when).days)
    names = sorted(waves)
    table = suppress_2d([waves[n] for n in names], minimum) if names else None
    batches = []
    for i, name in enumerate(names):
        cells = table.cells[i] if table else []
        total = table.row_totals[i] if table else None
        completed = cells[0]
        batches.append(
            {
                "wave": name,
                "people": total,
                "by_status": dict(zip(STATUSES, cells, strict=True)),
                "completion_rate": round(completed / total, 3)
                if completed is not None and total
                else None,
                "median_days_to_complete": statistics.median(days[name])
                if len(days[name]) >= minimum
                else None,
            }
        )
    return {"programme": code, "min_cell_size": minimum, "batches": batches}


def trained_share(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    role_uri: str,
    tag: str = "value_added_service",
) -> dict[str, Any]:
    """Share of a role's workers who completed at least one course teaching a skill with
    ``tag`` (e.g. "share of PSAs trained in at least one value-added service"), by year of
    completion, and how many of them changed role after training."""
    authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=institution_id)
    resolved = role_index(careshift).resolve(role_uri)
    if resolved is None:  # a misspelt role would read as a role nobody holds
        raise NotFound(f"no role or occupation {role_uri!r}")
    role_uri = resolved
    tagged = {c.uri for c in snapshot(careshift).concepts.values() if tag in c.tags}
    with careshift.store.engine.connect() as connection:
        staff = {
            w: r
            for w, r in connection.execute(
                select(worker.c.id, worker.c.role_uri).where(
                    worker.c.institution_id == institution_id
                )
            )
        }
        completions = connection.execute(
            select(t.enrolment.c.worker_id, t.enrolment.c.completed_on, t.course_skill.c.skill_uri)
            .join(t.course_skill, t.course_skill.c.course_id == t.enrolment.c.course_id)
            .where(t.enrolment.c.status == "completed", t.enrolment.c.worker_id.in_(list(staff)))
        ).all()
        history = connection.execute(
            select(
                worker_history.c.worker_id, worker_history.c.changed_at, worker_history.c.previous
            ).where(worker_history.c.worker_id.in_(list(staff)))
        ).all()
    first: dict[int, date] = {}
    for worker_id, completed_on, skill in completions:
        if skill in tagged and (worker_id not in first or completed_on < first[worker_id]):
            first[worker_id] = completed_on
    # Trained people who held the role when trained: the role is now or was before a change.
    was_role = {w for w, r in staff.items() if r == role_uri}
    changed: set[int] = set()
    for worker_id, changed_at, previous in history:
        before = json.loads(previous).get("role_uri")
        if before == role_uri:
            was_role.add(worker_id)
            if (
                worker_id in first
                and changed_at.date() >= first[worker_id]
                and staff[worker_id] != role_uri
            ):
                changed.add(worker_id)
    trained = [w for w in first if w in was_role]
    by_year: dict[int, int] = defaultdict(int)
    for w in trained:
        by_year[first[w].year] += 1
    years = sorted(by_year)
    cells, total = suppress_1d([by_year[y] for y in years], careshift.settings.min_cell_size)
    headcount = _role_headcount(staff, role_uri, len(was_role), careshift.settings.min_cell_size)
    changed_cells, _ = suppress_1d([len(changed)], careshift.settings.min_cell_size)
    return {
        "role_uri": role_uri,
        "tag": tag,
        "headcount": headcount,
        "trained": total,
        "share_trained": round(total / headcount, 3) if total is not None and headcount else None,
        "trained_by_year": [{"year": y, "trained": c} for y, c in zip(years, cells, strict=True)],
        "changed_role_after_training": changed_cells[0],
        "min_cell_size": careshift.settings.min_cell_size,
    }


def _role_headcount(staff: dict[int, str], role_uri: str, ever: int, k: int) -> int | None:
    """How many held the role (now or before a change), or None when that would uncover a small
    group: the role's current staff is shown only as every report on staff by role shows it
    (``suppress_partition``, whose complement the demand report and impact register hide too),
    and the former holders, the difference between the two, must not be a small group either."""
    if ever == 0:
        return 0
    current = Counter(staff.values())
    shown = suppress_partition(current, k).get(role_uri, 0)
    former = ever - current[role_uri]
    if ever < k or shown is None or 0 < former < k:
        return None
    return ever
