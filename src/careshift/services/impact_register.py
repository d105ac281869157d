"""Role impact register: per institution and role, the tasks technology removes, changes or adds
with their timeline, the share of work affected, and the headcount at risk in each year.

Tasks come from the local framework (``services.frameworks.framework_roles``) with the
institution's overrides applied (``planning_role_task_override``: the newest per role and task
wins; a task id the framework does not have adds a task). Headcount at risk in a year is
``headcount x share of today's work in tasks removed by then``, in full-time equivalents: an
estimate for planning, not a statement about any person. Headcounts per role are counts of
people, published through small-cell suppression (roles partition the institution's staff);
the at-risk figures are computed from published headcounts only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from careshift.adapters.db import workforce_repository as repo
from careshift.adapters.db.tables.planning import role_task_override as override
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.frameworks import Role, RoleTask, TaskChange
from careshift.engine.suppression import suppress_partition
from careshift.errors import InputError, NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.frameworks import framework_roles
from careshift.services.requirements import role_index

__all__ = ["add_override", "impact_register"]


def _effective(role: Role, rows: list[Any]) -> Role:
    """The role's tasks with the institution's newest override of each task applied."""
    latest: dict[str, Any] = {}
    for row in sorted(rows, key=lambda r: r.created_at):
        latest[row.task_id] = row
    tasks = {task.id: task for task in role.tasks}
    for task_id, row in latest.items():
        base = tasks.get(task_id)
        tasks[task_id] = RoleTask(
            id=task_id,
            labels=base.labels if base else {"en": task_id},
            change=TaskChange(row.change),
            share=row.share,
            technology=row.technology or (base.technology if base else None),
            year=row.year,
            skill_uris=base.skill_uris if base else (),
        )
    return replace(role, tasks=tuple(tasks.values()))


def impact_register(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    first_year: int = 2026,
    last_year: int = 2032,
    lang: str = "en",
) -> dict[str, Any]:
    """Every local role: tasks with timeline, share affected and FTE at risk per year."""
    authorize(principal, Action.READ, Resource.ROLE_IMPACT, institution_id=institution_id)
    if not 0 <= last_year - first_year <= 30:
        raise InputError("the timeline runs forwards, at most 30 years")
    roles = framework_roles(careshift)
    with careshift.store.transaction() as session:
        rows = session.execute(
            select(override).where(override.c.institution_id == institution_id)
        ).all()
        members = repo.worker_memberships(session, institution_id)
        record(session, principal, "read", "aggregate", institution_id=institution_id,
               target="impact-register")  # fmt: skip
    held = Counter(role_uri for _, role_uri, _ in members)
    headcount = suppress_partition(held, careshift.settings.min_cell_size)
    index = role_index(careshift)
    years = range(first_year, last_year + 1)
    result = []
    for uri, base in sorted(roles.items()):
        role = _effective(base, [r for r in rows if r.role_uri == uri])
        people = headcount.get(uri, 0)
        removed = {y: role.share_changed_by(y, TaskChange.REMOVED) for y in years}
        result.append({
            "role_uri": uri,
            "role": index.label(uri, lang),
            "headcount": people,
            "tasks": [_task_json(t, lang) for t in role.tasks],
            "overridden": sorted({r.task_id for r in rows if r.role_uri == uri}),
            "timeline": [
                {"year": y, "removed_share": round(removed[y], 3),
                 "changed_share": round(role.share_changed_by(y, TaskChange.CHANGED), 3),
                 "new_share": round(role.share_changed_by(y, TaskChange.NEW), 3),
                 "at_risk_fte": None if people is None else round(people * removed[y], 1)}
                for y in years
            ],
        })  # fmt: skip
    return {"institution_id": institution_id, "roles": result}


def _task_json(task: RoleTask, lang: str) -> dict[str, Any]:
    return {"id": task.id, "label": task.label(lang), "change": task.change.value,
            "share": task.share, "year": task.year, "technology": task.technology}  # fmt: skip


def add_override(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    role: str,
    task_id: str,
    *,
    change: str,
    share: float,
    reason: str,
    year: int | None = None,
    technology: str | None = None,
) -> dict[str, Any]:
    """Record the institution's own view of one task of a role (newest wins)."""
    authorize(principal, Action.WRITE, Resource.ROLE_IMPACT, institution_id=institution_id)
    uri = role_index(careshift).resolve(role) or role
    if uri not in framework_roles(careshift):
        raise NotFound(f"no local framework role {role!r}")
    if change not in {c.value for c in TaskChange}:
        raise InputError(f"change must be one of removed, changed, unchanged, new; not {change!r}")
    if not 0.0 <= share <= 1.0:
        raise InputError("share must be within 0-1 (a share of the role's working time)")
    if not task_id.strip() or not reason.strip():
        raise InputError("name the task and give the reason (the local evidence)")
    values = {
        "institution_id": institution_id, "role_uri": uri, "task_id": task_id.strip(),
        "change": change, "year": year, "share": share, "technology": technology,
        "reason": reason.strip(), "author": principal.actor,
        "created_at": datetime.now(UTC),
    }  # fmt: skip
    with careshift.store.transaction() as session:
        session.execute(insert(override).values(**values))
        record(session, principal, "write", "role_impact", uri, institution_id=institution_id,
               task=task_id, change=change, year=year, share=share)  # fmt: skip
    return {k: v for k, v in values.items() if k != "created_at"}
