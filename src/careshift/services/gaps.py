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
from careshift.engine.gaps import group_gaps, heatmap_layout, most_common, shortfall
from careshift.engine.profiles import reconcile_levels
from careshift.engine.suppression import suppress
from careshift.errors import InputError
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.requirements import RoleIndex, role_index, role_requirements
from careshift.services.trainings import suggest_trainings
from careshift.services.workers import profile

__all__ = ["GROUPINGS", "GroupGapReport", "SkillGap", "WorkerGap", "group_gap", "worker_gap"]

GROUPINGS = ("unit", "role", "none")
#: (worker id, role uri, unit code)
Member = tuple[int, str, str | None]


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
    """Gaps of everyone in an institution (optionally one unit or role) against a role."""
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
        workers = repo.worker_memberships(
            session, institution_id, unit_code=unit_code, role_uri=role_uri
        )
        evidence = repo.evidence_rows(session, institution_id, skill_uris)
        record(
            session, principal, "read", "aggregate", institution_id=institution_id, target=target
        )
    levels = _levels(workers, evidence, requirements, index)
    required = np.array([r.level for r in requirements], dtype=np.int64)
    keys, labels, member_of = _grouping(workers, by, index, lang)
    gaps = shortfall(levels, required) if workers else np.zeros((0, len(skill_uris)), np.int64)
    summary = group_gaps(gaps, member_of, len(keys))
    return _publish(
        careshift, institution_id, target, index.label(target, lang), by, requirements,
        keys, labels, summary.sizes, summary.with_gap, summary.missing_levels, lang,
    )  # fmt: skip


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


def _grouping(
    workers: list[Member], by: str, index: RoleIndex, lang: str
) -> tuple[list[str], list[str], np.ndarray[Any, np.dtype[np.int64]]]:
    def key_of(member: Member) -> str:
        _, role_uri, unit_code = member
        if by == "unit":
            return unit_code or "(no unit)"
        return role_uri if by == "role" else "all"

    keys = sorted({key_of(w) for w in workers}) or ["all"]
    position = {k: i for i, k in enumerate(keys)}
    labels = [index.label(k, lang) if by == "role" else k for k in keys]
    member_of = np.array([position[key_of(w)] for w in workers], dtype=np.int64)
    return keys, labels, member_of


def _publish(
    careshift: Careshift,
    institution_id: int,
    target: str,
    target_label: str,
    by: str,
    requirements: tuple[Requirement, ...],
    keys: list[str],
    labels: list[str],
    sizes: Any,
    with_gap: Any,
    missing: Any,
    lang: str,
) -> GroupGapReport:
    k = careshift.settings.min_cell_size
    n_groups, n_skills = with_gap.shape
    values, relations, costs = heatmap_layout(with_gap, sizes)
    hidden = suppress(values, relations, k, costs)
    shown = [None if h else int(v) for v, h in zip(values, hidden, strict=True)]
    block = n_groups * n_skills
    size_at = 2 * block
    totals = shown[size_at + n_groups : size_at + n_groups + n_skills]
    index = role_index(careshift)
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
    groups = []
    for g in range(n_groups):
        size = shown[size_at + g]
        if size is None or size == 0:
            continue  # a group smaller than k never appears, not even by name
        cells = []
        for j in range(n_skills):
            count = shown[g * n_skills + j]
            mean = (
                round(float(missing[g, j]) / count, 2) if count else None
            )  # only over >= k people
            share = round(count / size, 3) if count is not None else None
            cells.append({"with_gap": count, "share": share, "mean_missing_levels": mean})
        groups.append({"key": keys[g], "label": labels[g], "size": size, "cells": cells})
    published_totals = [t or 0 for t in totals]
    common = [
        {**skills[j], "rank": rank + 1}
        for rank, j in enumerate(most_common(published_totals, top=10))
    ]
    trainings = suggest_trainings(
        careshift, [r.skill_uri for r in requirements], published_totals, lang
    )
    return GroupGapReport(
        institution_id=institution_id,
        target_uri=target,
        target_label=target_label,
        grouping=by,
        min_cell_size=k,
        skills=skills,
        groups=groups,
        groups_left_out=n_groups - len(groups),
        headcount=shown[-1],
        most_common=common,
        trainings=trainings,
    )
