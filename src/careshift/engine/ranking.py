"""One origin's ranked options: score all destinations, explain the best, add enhancements.

The ranking score is ``sum(weight_k * component_k) / sum(weight_k)`` over fit, safety,
desirability, effort (``exp(-hours / effort_scale_hours)``) and, when openings are given,
demand (openings relative to the most openings). Candidates are scored with the approximate
default effort first; the best ``3 * top`` are then explained with the real estimator and
re-scored, so the final order uses exact gaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from careshift.domain.pathways import (
    EffortEstimator,
    EnhancementModule,
    Explanation,
    GapItem,
    PathwayConstraints,
    PathwayKind,
    PathwayOption,
    PathwayReport,
    RankingWeights,
    SkillRef,
)
from careshift.engine.effort import Effort
from careshift.engine.enhancements import enhancement_options
from careshift.engine.explain import NEAR_MARGIN, gap_and_transferable, unlock_skills
from careshift.engine.pathways import Origin, PathwayIndex, score_components

__all__ = ["ENHANCEMENT_SHARE", "hours_function", "rank"]

#: Share of working time an enhancement takes over when the role does not say how much work
#: technology frees: a value-added service is a part of the job, not a new job (at one
#: Singapore hospital PSAs trained in such services kept their front-desk work).
ENHANCEMENT_SHARE = 0.25


def hours_function(index: PathwayIndex, estimator: EffortEstimator | None) -> Effort:
    """Learning hours from an estimator where it knows, else the documented defaults."""
    return Effort(index.base_hours, index.space.skill_uris, estimator)


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
    keep &= ~space.shadowed
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
    score = score_components(weights, fit, safety, desirability, effort, demand)
    ranked = np.lexsort((-score[rows], ~safe[rows]))  # safe first, then score; stable by URI
    # Exact gaps can only push an option out under an hour limit: look further only then.
    depth = 3 * constraints.top if constraints.max_hours is not None else constraints.top + 5
    order = rows[ranked][:depth]

    options: list[PathwayOption] = []
    for j in order:
        j = int(j)
        transferable, gap, total = gap_and_transferable(
            space, j, origin.presence, origin.level_array, hours
        )
        if constraints.max_hours is not None and total > constraints.max_hours:
            continue
        kind = PathwayKind.PROGRESSION if progression[j] else PathwayKind.SWITCH
        explained = _explain(kind, transferable, gap, total)
        final = float(
            score_components(
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
                explained=explained,
            )
        )

    near = (~viable) & (fit >= index.thresholds.viable - NEAR_MARGIN) & safe & desirable
    near &= index.level_ok(origin) & ~space.shadowed
    if origin.row is not None:
        near[origin.row] = False
    unlock = unlock_skills(
        space, index.gain, origin.presence, fit, near, index.thresholds.viable, hours
    )
    if PathwayKind.ENHANCEMENT not in constraints.exclude_kinds and origin.row is not None:
        options.extend(
            enhancement_options(
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
        n_viable=int((viable & ~space.shadowed).sum()),
        n_safe_desirable=int((viable & safe & desirable & ~space.shadowed).sum()),
    )


def _demand(uris: tuple[str, ...], openings: Mapping[str, int] | None) -> np.ndarray | None:
    if openings is None:
        return None
    counts = np.array([max(openings.get(u, 0), 0) for u in uris], dtype=np.float32)
    top = counts.max() if counts.size else 0.0
    return counts / top if top > 0 else counts


def _explain(
    kind: PathwayKind, transferable: tuple[SkillRef, ...], gap: tuple[GapItem, ...], hours: float
) -> Explanation:
    needs = tuple(SkillRef(g.uri, g.label) for g in gap[:3])
    return Explanation(kind, keeps=transferable[:3], needs=needs, hours=hours)
