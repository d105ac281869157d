"""One origin's ranked options: score all destinations, explain the best, add enhancements.

The ranking score is ``sum(weight_k * component_k) / sum(weight_k)`` over fit, safety,
desirability, effort (``exp(-hours / effort_scale_hours)``) and, when openings are given,
demand (openings relative to the most openings). Candidates are scored with the approximate
default effort first; the best ``3 * top`` are then explained with the real estimator and
re-scored, so the final order uses exact gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from careshift.domain.pathways import (
    EffortEstimator,
    EnhancementModule,
    GapItem,
    PathwayConstraints,
    PathwayKind,
    PathwayOption,
    PathwayReport,
    RankingWeights,
    SkillRef,
    UnlockSkill,
    default_hours,
)
from careshift.engine.explain import NEAR_MARGIN, gap_and_transferable, unlock_skills
from careshift.engine.pathways import Origin, PathwayIndex

__all__ = ["ENHANCEMENT_SHARE", "hours_function", "rank"]

#: Share of working time an enhancement takes over when the role does not say how much work
#: technology frees: a value-added service is a part of the job, not a new job (at one
#: Singapore hospital PSAs trained in such services kept their front-desk work).
ENHANCEMENT_SHARE = 0.25

Hours = Callable[[int, int, int], float]


def hours_function(index: PathwayIndex, estimator: EffortEstimator | None) -> Hours:
    """``hours(col, from_level, to_level)`` from an estimator, else the documented defaults."""
    space = index.space
    if estimator is not None:
        return lambda col, a, b: float(estimator(space.skill_uris[col], a, b))
    return lambda col, a, b: default_hours(space.skill_types[col], a, b, tags=space.skill_tags[col])


def _score(
    weights: RankingWeights,
    fit: np.ndarray,
    safety: np.ndarray,
    desirability: np.ndarray,
    effort: np.ndarray,
    demand: np.ndarray | None,
) -> np.ndarray:
    effort_component = np.exp(-effort / weights.effort_scale_hours)
    total = weights.fit * fit + weights.safety * safety + weights.desirability * desirability
    total = total + weights.effort * effort_component
    norm = weights.fit + weights.safety + weights.desirability + weights.effort
    if demand is not None:
        total, norm = total + weights.demand * demand, norm + weights.demand
    scored: np.ndarray = np.round(total / norm, 6)
    return scored


def rank(
    index: PathwayIndex,
    origin: Origin,
    constraints: PathwayConstraints | None = None,
    weights: RankingWeights | None = None,
    estimator: EffortEstimator | None = None,
    openings: Mapping[str, int] | None = None,
    enhancements: Sequence[EnhancementModule] = (),
    enhancement_share: float = ENHANCEMENT_SHARE,
) -> PathwayReport:
    """Ranked options for ``origin``; ``enhancement_share`` is the share of working time an
    enhancement takes over (e.g. the share of tasks technology removes from the role)."""
    share = enhancement_share
    constraints = constraints or PathwayConstraints()
    weights = weights or RankingWeights()
    hours = hours_function(index, estimator)
    space = index.space
    fit = origin.similarity.combined[0]
    viable = index.viable_mask(origin)
    safety, safe = index.safety(origin)
    desirability, desirable, higher = index.desirability(origin)
    progression = (
        desirable & higher & (index.same_family(origin) | (fit >= index.thresholds.highly_viable))
    )
    demand = _demand(space.uris, openings)

    keep = viable.copy() if constraints.only_viable else np.ones_like(viable)
    if origin.row is not None:
        keep[origin.row] = False
    if constraints.only_safe:
        keep &= safe
    if constraints.min_safety is not None:
        keep &= safety >= constraints.min_safety
    if PathwayKind.PROGRESSION in constraints.exclude_kinds:
        keep &= ~progression
    if PathwayKind.SWITCH in constraints.exclude_kinds:
        keep &= progression
    for uri in constraints.exclude_uris:
        if uri in space.index:
            keep[space.index[uri]] = False

    rows = np.flatnonzero(keep)
    effort = index.default_effort(origin)
    score = _score(weights, fit, safety, desirability, effort, demand)
    ranked = np.lexsort((-score[rows], ~safe[rows]))  # safe first, then score; stable by URI
    order = rows[ranked][: 3 * constraints.top]

    options: list[PathwayOption] = []
    for j in order:
        j = int(j)
        transferable, gap, total = gap_and_transferable(
            space, j, origin.presence, origin.levels, hours
        )
        if constraints.max_hours is not None and total > constraints.max_hours:
            continue
        kind = PathwayKind.PROGRESSION if progression[j] else PathwayKind.SWITCH
        final = float(
            _score(
                weights,
                fit[j : j + 1],
                safety[j : j + 1],
                desirability[j : j + 1],
                np.array([total]),
                None if demand is None else demand[j : j + 1],
            )[0]
        )
        options.append(
            PathwayOption(
                uri=space.uris[j],
                label=space.labels[j],
                kind=kind,
                fit=round(float(fit[j]), 4),
                evidence=origin.similarity.evidence(0, j),
                viable=bool(viable[j]),
                highly_viable=bool(fit[j] >= index.thresholds.highly_viable),
                exposure=round(float(index.attributes.exposure[j]), 4),
                exposure_category=index.attributes.exposure_category[j],
                safety=round(float(safety[j]), 4),
                safe=bool(safe[j]),
                desirability=round(float(desirability[j]), 4),
                desirable=bool(desirable[j]),
                effort_hours=total,
                score=round(final, 4),
                transferable=transferable,
                gap=gap,
                openings=None if openings is None else int(openings.get(space.uris[j], 0)),
                explanation=_explain(kind, transferable, gap, total),
            )
        )

    near = (~viable) & (fit >= index.thresholds.viable - NEAR_MARGIN) & safe & desirable
    near &= index.level_ok(origin)
    if origin.row is not None:
        near[origin.row] = False
    unlock = unlock_skills(
        space, index.gain, origin.presence, fit, near, index.thresholds.viable, hours
    )
    if PathwayKind.ENHANCEMENT not in constraints.exclude_kinds and origin.row is not None:
        options.extend(
            _enhancements(
                index, origin, enhancements, unlock, near, hours, weights, constraints, share
            )
        )
    # The academy's promise is to move people before their job disappears: safe options first.
    options.sort(key=lambda o: (not o.safe, -o.score, o.uri))
    return PathwayReport(
        origin.uri,
        origin.label,
        round(origin.exposure, 4),
        origin.exposure_category,
        tuple(options[: constraints.top]),
        unlock,
        n_viable=int(viable.sum()),
        n_safe_desirable=int((viable & safe & desirable).sum()),
    )


def _demand(uris: tuple[str, ...], openings: Mapping[str, int] | None) -> np.ndarray | None:
    if openings is None:
        return None
    counts = np.array([max(openings.get(u, 0), 0) for u in uris], dtype=np.float32)
    top = counts.max() if counts.size else 0.0
    return counts / top if top > 0 else counts


def _explain(
    kind: PathwayKind, transferable: tuple[SkillRef, ...], gap: tuple[GapItem, ...], hours: float
) -> str:
    keeps = ", ".join(s.label for s in transferable[:3]) or "few listed skills"
    needs = ", ".join(g.label for g in gap[:3]) or "nothing essential"
    return f"{kind.value}: brings {keeps}; needs {needs} (about {hours:.0f} h)"


def _enhancements(
    index: PathwayIndex,
    origin: Origin,
    modules: Sequence[EnhancementModule],
    unlock: tuple[UnlockSkill, ...],
    near: np.ndarray,
    hours: Hours,
    weights: RankingWeights,
    constraints: PathwayConstraints,
    share: float,
) -> list[PathwayOption]:
    """Stay in the role and add a bundle: each local module, else the best unlock skills."""
    space = index.space
    bundles: list[
        tuple[str, str, list[tuple[int, int]], float | None, tuple[str, ...], float | None]
    ] = []
    for module in modules:
        cols = [(space.skill_index[u], lvl) for u, lvl in module.skills if u in space.skill_index]
        bundles.append(
            (
                module.key,
                module.label,
                cols,
                module.exposure_reduction,
                module.tasks,
                module.hours,
            )
        )
    if not modules and unlock:
        cols = [(space.skill_index[u.uri], 3) for u in unlock[:3]]
        label = "add " + ", ".join(u.label for u in unlock[:3])
        bundles.append((f"{origin.uri}#learn", label, cols, None, (), None))
    fit = origin.similarity.combined[0]
    own_fit = float(fit[origin.row]) if origin.row is not None else 1.0
    options = []
    for key, label, cols, declared, tasks, fixed_hours in bundles:
        reduction = declared if declared is not None else _reduction(index, origin, cols, share)
        todo = [(c, lvl) for c, lvl in cols if origin.levels.get(c, 0) < lvl]
        effort = (
            fixed_hours
            if fixed_hours is not None
            else sum(hours(c, origin.levels.get(c, 0), lvl) for c, lvl in todo)
        )
        if constraints.max_hours is not None and effort > constraints.max_hours:
            continue
        after = origin.presence.copy()
        after[[c for c, _ in cols]] = 1.0
        opened = _opened(index, origin, after, fit, near)
        safety = min(1.0, 0.5 + reduction)
        desirability = 0.5 + (0.1 if opened or tasks else 0.0)
        score = float(
            _score(
                weights,
                np.array([own_fit]),
                np.array([safety]),
                np.array([desirability]),
                np.array([effort]),
                None,
            )[0]
        )
        refs = tuple(SkillRef(space.skill_uris[c], space.skill_labels[c]) for c, _ in cols)
        added = ", ".join(r.label for r in refs[:4])
        what = "; ".join(tasks[:3]) if tasks else f"unlocks {opened} more safe and desirable roles"
        options.append(
            PathwayOption(
                uri=key,
                label=label,
                kind=PathwayKind.ENHANCEMENT,
                fit=round(own_fit, 4),
                evidence={},
                viable=True,
                highly_viable=True,
                exposure=round(max(origin.exposure - reduction, 0.0), 4),
                exposure_category=origin.exposure_category,
                safety=round(safety, 4),
                safe=bool(reduction > 0),
                desirability=round(desirability, 4),
                desirable=bool(opened or tasks),
                effort_hours=round(effort, 1),
                score=round(score, 4),
                bundle=refs,
                unlocks=opened,
                explanation=f"enhancement: stay as {origin.label}, add {added}; {what}",
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
