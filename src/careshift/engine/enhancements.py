"""Enhancement options: stay in the role and add a bundle of skills or a value-added service.

A bundle is a local framework's enhancement module or, without one, the three skills that open
most near-viable safe and desirable roles ("learn X"). Its effect on exposure, unless the module
declares one, is estimated from data: ``share`` of the work moves to the bundle's skills, whose
exposure is the mean exposure of the ESCO occupations needing them
(:attr:`PathwayIndex.skill_exposure`). A bundle is *safe* when that lowers the role's exposure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from careshift.domain.exposure import category_of
from careshift.domain.pathways import (
    EnhancementModule,
    Explanation,
    PathwayConstraints,
    PathwayKind,
    PathwayOption,
    RankingWeights,
    SkillRef,
    UnlockSkill,
)
from careshift.engine.effort import Effort
from careshift.engine.pathways import Origin, PathwayIndex, score_components

__all__ = ["enhancement_options"]


def enhancement_options(
    index: PathwayIndex,
    origin: Origin,
    modules: Sequence[EnhancementModule],
    unlock: tuple[UnlockSkill, ...],
    near: np.ndarray,
    hours: Effort,
    weights: RankingWeights,
    constraints: PathwayConstraints,
    share: float,
) -> list[PathwayOption]:
    """Stay in the role and add a bundle: each local module, else the best unlock skills."""
    space = index.space
    bundles = list(modules)
    if not modules and unlock:
        label = "add " + ", ".join(u.label for u in unlock[:3])
        skills = tuple((u.uri, 3) for u in unlock[:3])
        bundles.append(EnhancementModule(f"{origin.uri}#learn", label, skills))
    fit = origin.similarity.combined[0]
    own_fit = float(fit[origin.row]) if origin.row is not None else 1.0
    # The role the person stays in, by its label: a worker's origin is named by record id.
    role = (
        None if origin.row is None else SkillRef(space.uris[origin.row], space.labels[origin.row])
    )
    options = []
    for bundle in bundles:
        cols = [(space.skill_index[u], lvl) for u, lvl in bundle.skills if u in space.skill_index]
        reduction = (
            bundle.exposure_reduction
            if bundle.exposure_reduction is not None
            else _reduction(index, origin, cols, share)
        )
        todo = [(c, lvl) for c, lvl in cols if origin.levels.get(c, 0) < lvl]
        effort = (
            bundle.hours
            if bundle.hours is not None
            else sum(hours(c, origin.levels.get(c, 0), lvl) for c, lvl in todo)
        )
        if constraints.max_hours is not None and effort > constraints.max_hours:
            continue
        after = origin.presence.copy()
        after[[c for c, _ in cols]] = 1.0
        opened = _opened(index, origin, after, fit, near)
        safety = min(1.0, 0.5 + reduction)
        desirability = 0.5 + (0.1 if opened or bundle.tasks else 0.0)
        score = float(
            score_components(
                weights,
                np.array([own_fit]),
                np.array([safety]),
                np.array([desirability]),
                np.array([effort]),
                None,
            )[0]
        )
        refs = tuple(SkillRef(space.skill_uris[c], space.skill_labels[c]) for c, _ in cols)
        explained = Explanation(
            PathwayKind.ENHANCEMENT,
            hours=round(effort, 1),
            role=role,
            adds=refs[:4],
            descriptions=bundle.descriptions
            or ({"en": "; ".join(bundle.tasks[:3])} if bundle.tasks else {}),
            opens=opened,
        )
        options.append(
            PathwayOption(
                uri=bundle.key,
                label=bundle.label,
                kind=PathwayKind.ENHANCEMENT,
                fit=round(own_fit, 4),
                evidence={},
                viable=True,
                highly_viable=True,
                exposure=round(max(origin.exposure - reduction, 0.0), 4),
                # re-categorised after the drop, never worse than before
                exposure_category=_after(origin.exposure_category, origin.exposure - reduction),
                safety=round(safety, 4),
                safe=bool(reduction > 0),
                desirability=round(desirability, 4),
                desirable=bool(opened or bundle.tasks),
                effort_hours=round(effort, 1),
                score=round(score, 4),
                bundle=refs,
                unlocks=opened,
                explained=explained,
                labels=bundle.labels,
            )
        )
    return options


def _opened(
    index: PathwayIndex, origin: Origin, after: np.ndarray, fit: np.ndarray, near: np.ndarray
) -> int:
    """Near destinations made viable by raising presence from ``origin.presence`` to ``after``."""
    rows = np.flatnonzero(near)
    if rows.size == 0:
        return 0
    gained = index.gain[rows] @ (after - origin.presence)
    return int((fit[rows] + gained >= index.thresholds.viable - 1e-6).sum())


def _reduction(
    index: PathwayIndex, origin: Origin, cols: list[tuple[int, int]], share: float
) -> float:
    """Exposure drop when ``share`` of the work moves to the bundle's skills (never negative).

    The bundle's exposure is the mean exposure of the ESCO occupations needing its skills.
    """
    values = index.skill_exposure[[c for c, _ in cols]] if cols else np.zeros(0)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return 0.0
    return max(0.0, share * (origin.exposure - float(values.mean())))


def _after(category: str, score: float) -> str:
    """Category once an enhancement lowered the score (never worse than before)."""
    order = ["low", "medium", "high"]
    now = category_of(max(score, 0.0)).value
    return order[min(order.index(category), order.index(now))] if category in order else now
