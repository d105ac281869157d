"""Skill gaps: one worker against a role, and a group (institution, unit, role) against a role.

A worker's own gap is personal data (Resource.PERSON, audited). A group's gaps are an aggregate
(Resource.AGGREGATE): every count goes through small-cell suppression with complements, groups
smaller than ``settings.min_cell_size`` are left out, and anything derived (shares, most common
gaps, the training that closes most) is computed from the published counts only, so it cannot
leak a suppressed one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from careshift.adapters.db import workforce_repository as repo
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.workforce import SOURCE_RANK, Requirement
from careshift.engine.gaps import most_common, shortfall
from careshift.engine.profiles import reconcile_levels
from careshift.errors import InputError
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.gap_groups import NO_UNIT, Node, ProtectedGroups, protect_groups
from careshift.services.requirements import RoleIndex, role_index, role_requirements
from careshift.services.trainings import suggest_trainings
from careshift.services.workers import profile

__all__ = [
    "GROUPINGS",
    "GroupGapReport",
    "SkillGap",
    "TooManySmallGroups",
    "WorkerGap",
    "group_gap",
    "worker_gap",
]

GROUPINGS = ("unit", "role", "none")
#: (worker id, role uri, unit code)
Member = tuple[int, str, str | None]


class TooManySmallGroups(InputError):
    """A report would split a unit by role (or a role by unit), but the institution's unit-role
    groups are too many and too small to protect: only whole units, roles or the institution."""


@dataclass(frozen=True)
class SkillGap:
    skill_uri: str
    label: str
    required: int
    current: int
    gap: int
    basis: str
    relation: str


@dataclass(frozen=True)
class WorkerGap:
    worker_id: int
    target_uri: str
    target_label: str
    skills: list[SkillGap]

    @property
    def missing_levels(self) -> int:
        return sum(s.gap for s in self.skills)

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "skills_with_gap": sum(1 for s in self.skills if s.gap),
            "missing_levels": self.missing_levels,
        }


def worker_gap(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    target_uri: str | None = None,
    lang: str = "en",
) -> WorkerGap:
    """The worker against ``target_uri`` (default: their current role), largest gaps first."""
    mine = profile(careshift, principal, worker_id)
    target = target_uri or mine.worker.role_uri
    index = role_index(careshift)
    rows = []
    for req in role_requirements(careshift, target):
        held = mine.skills.get(req.skill_uri)
        current = held.level if held else 0
        rows.append(
            SkillGap(
                skill_uri=req.skill_uri,
                label=index.label(req.skill_uri, lang),
                required=req.level,
                current=current,
                gap=max(req.level - current, 0),
                basis=held.basis.value if held else "none",
                relation=req.relation,
            )
        )
    rows.sort(key=lambda r: (-r.gap, r.relation != "essential", r.label))
    return WorkerGap(worker_id, target, index.label(target, lang), rows)


@dataclass(frozen=True)
class GroupGapReport:
    institution_id: int
    target_uri: str
    target_label: str
    grouping: str
    min_cell_size: int
    #: required skills (columns): uri, label, required level, people with a gap (or None)
    skills: list[dict[str, Any]]
    #: groups (rows) of at least ``min_cell_size`` people: key, label, size, cells
    groups: list[dict[str, Any]]
    #: groups left out because they are smaller than ``min_cell_size``
    groups_left_out: int
    headcount: int | None
    most_common: list[dict[str, Any]]
    trainings: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def group_gap(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    *,
    target_uri: str | None = None,
    unit_code: str | None = None,
    role_uri: str | None = None,
    by: str = "unit",
    lang: str = "en",
) -> GroupGapReport:
    """Gaps against a role of an institution's groups: by unit, by role, or everyone.

    ``unit_code`` / ``role_uri`` narrow the report to one unit or role (then ``by`` splits it
    by the other dimension); the counts always come from the institution's one protected table.
    """
    authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=institution_id)
    if by not in GROUPINGS:
        raise InputError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    target = target_uri or role_uri
    if target is None:
        raise InputError("name the role to compare against (target role, or the group's role)")
    requirements = role_requirements(careshift, target)
    index = role_index(careshift)
    skill_uris = [r.skill_uri for r in requirements]
    with careshift.store.transaction() as session:
        members = repo.worker_memberships(session, institution_id)
        evidence = repo.evidence_rows(session, institution_id, skill_uris)
        record(
            session, principal, "read", "aggregate", institution_id=institution_id, target=target
        )
    levels = _levels(members, evidence, requirements, index)
    required = np.array([r.level for r in requirements], dtype=np.int64)
    gaps = shortfall(levels, required) if members else np.zeros((0, len(skill_uris)), np.int64)
    groups = protect_groups(
        [unit or NO_UNIT for _, _, unit in members],
        [role for _, role, _ in members],
        gaps,
        careshift.settings.min_cell_size,
    )
    parent, rows = _rows(groups, unit_code, role_uri, by)
    return _publish(careshift, institution_id, target, by, requirements, groups, parent, rows, lang)


def _rows(
    groups: ProtectedGroups, unit: str | None, role: str | None, by: str
) -> tuple[int | None, list[tuple[Node, int]]]:
    """The row the report is about and the groups shown as its rows."""
    crossed = (unit is not None and (role is not None or by == "role")) or (
        role is not None and by == "unit"
    )
    if crossed and not groups.with_cells:
        raise TooManySmallGroups(
            "this institution has too many small unit-role groups to split a unit by role or a "
            "role by unit without revealing people; report that unit or role as a whole (by "
            "none), or every unit or every role of the institution (no unit or role named)"
        )
    if unit is not None and role is not None:
        parent = groups.find("cell", unit, role)
        return parent, [] if parent is None else [(Node("cell", unit, role), parent)]
    if unit is not None or role is not None:
        kind, split = ("unit", "role") if unit is not None else ("role", "unit")
        parent = groups.find(kind, unit, role)
        if by != split:
            return parent, [] if parent is None else [(Node(kind, unit, role), parent)]
        return parent, [
            (node, row)
            for node, row in groups.entries
            if node.kind == "cell"
            and (node.unit == unit if unit is not None else node.role == role)
        ]
    parent = groups.find("all")
    if by == "none":
        return parent, [] if parent is None else [(Node("all", None, None), parent)]
    return parent, [(node, row) for node, row in groups.entries if node.kind == by]


def _levels(
    workers: list[Member],
    evidence: list[tuple[int, str, int, str]],
    requirements: tuple[Requirement, ...],
    index: RoleIndex,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Reconciled level of each required skill per worker (0 = none), shape (workers, skills).

    The same rule as a single profile (domain.workforce.reconcile), applied to arrays.
    """
    column = {r.skill_uri: j for j, r in enumerate(requirements)}
    row = {worker_id: i for i, (worker_id, _, _) in enumerate(workers)}
    defaults_by_role: dict[str, np.ndarray[Any, np.dtype[np.int64]]] = {}
    defaults = np.zeros((len(workers), len(requirements)), dtype=np.int64)
    for i, (_, role_uri, _) in enumerate(workers):
        if role_uri not in defaults_by_role:
            expected = np.zeros(len(requirements), dtype=np.int64)
            for req in index.requirements.get(role_uri, ()):
                if req.skill_uri in column:
                    expected[column[req.skill_uri]] = req.level
            defaults_by_role[role_uri] = expected
        defaults[i] = defaults_by_role[role_uri]
    kept = [e for e in evidence if e[0] in row]
    rank = {source.value: r for source, r in SOURCE_RANK.items()}
    return reconcile_levels(
        np.array([row[e[0]] for e in kept], dtype=np.int64),
        np.array([column[e[1]] for e in kept], dtype=np.int64),
        np.array([e[2] for e in kept], dtype=np.int64),
        np.array([rank[e[3]] for e in kept], dtype=np.int64),
        defaults,
    )


def _publish(
    careshift: Careshift,
    institution_id: int,
    target: str,
    by: str,
    requirements: tuple[Requirement, ...],
    groups: ProtectedGroups,
    parent: int | None,
    rows: list[tuple[Node, int]],
    lang: str,
) -> GroupGapReport:
    index = role_index(careshift)
    totals = groups.with_gap(parent) if parent is not None else [None] * len(requirements)
    skills = [
        {
            "skill_uri": r.skill_uri,
            "label": index.label(r.skill_uri, lang),
            "required": r.level,
            "relation": r.relation,
            "with_gap": totals[j],
        }
        for j, r in enumerate(requirements)
    ]
    shown_rows = []
    for node, row in rows:
        size = groups.size(row)
        if not size:
            continue  # a group smaller than k never appears, not even by name
        cells = [
            {"with_gap": count, "share": None if count is None else round(count / size, 3)}
            for count in groups.with_gap(row)
        ]
        shown_rows.append({**_describe(node, index, lang), "size": size,
                           "cells": cells})  # fmt: skip
    published_totals = [t or 0 for t in totals]
    common = [
        {**skills[j], "rank": rank + 1}
        for rank, j in enumerate(most_common(published_totals, top=10))
    ]
    return GroupGapReport(
        institution_id=institution_id,
        target_uri=target,
        target_label=index.label(target, lang),
        grouping=by,
        min_cell_size=careshift.settings.min_cell_size,
        skills=skills,
        groups=shown_rows,
        groups_left_out=len(rows) - len(shown_rows),
        headcount=groups.size(parent) if parent is not None else None,
        most_common=common,
        trainings=suggest_trainings(
            careshift, [r.skill_uri for r in requirements], published_totals, lang
        ),
    )


def _describe(node: Node, index: RoleIndex, lang: str) -> dict[str, str]:
    role = index.label(node.role, lang) if node.role else None
    if node.kind == "cell":
        return {"key": f"{node.unit}|{node.role}", "label": f"{node.unit}: {role}"}
    if node.kind == "unit":
        return {"key": str(node.unit), "label": str(node.unit)}
    if node.kind == "role":
        return {"key": str(node.role), "label": str(role)}
    return {"key": "all", "label": "all"}
