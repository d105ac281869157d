"""Why an option is what it is: transferable skills, the gap with levels, skills that open doors.

Works on one origin at a time (a presence vector over skills, see :mod:`careshift.engine.
pathways`). "Learn X, unlock N" is computed in closed form: acquiring skill ``s`` raises the
fit to destination ``j`` by ``gain[j, s] * (1 - presence[s])`` (its share of ``j``'s essential
and optional coverage times the evidence weights), so one dense product over the *near-viable*
destinations and the candidate skills counts, for every skill at once, how many destinations
it would carry over the viability threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import scipy.sparse as sp

from careshift.domain.pathways import GapItem, SkillRef, UnlockSkill
from careshift.engine.space import OccupationSpace

__all__ = ["NEAR_MARGIN", "gap_and_transferable", "unlock_counts", "unlock_skills"]

#: Destinations this far below the viability threshold count as "near": the ones a few
#: skills could open. Wider margins find more, but less credible, unlocks.
NEAR_MARGIN = 0.12

Hours = Callable[[int, int, int], float]


def gap_and_transferable(
    space: OccupationSpace,
    destination: int,
    presence: np.ndarray,
    levels: Mapping[int, int],
    hours: Hours,
    limit: int = 12,
) -> tuple[tuple[SkillRef, ...], tuple[GapItem, ...], float]:
    """Transferable skills, essential gap (with levels and hours) and total hours for one move.

    ``hours(col, from_level, to_level)``; a skill only related to one held counts half.
    """
    transferable: list[SkillRef] = []
    gap: list[GapItem] = []
    total = 0.0
    for relation, matrix in (("essential", space.essential), ("optional", space.optional)):
        start, end = matrix.indptr[destination], matrix.indptr[destination + 1]
        for col, need in zip(matrix.indices[start:end], matrix.data[start:end], strict=True):
            col, need = int(col), int(need)
            have = levels.get(col, 0)
            if presence[col] >= 1.0 and have >= need:
                transferable.append(SkillRef(space.skill_uris[col], space.skill_labels[col]))
                continue
            if relation != "essential":
                continue
            related = bool(presence[col] > 0) and have == 0
            cost = hours(col, have, need) * (0.5 if related else 1.0)
            total += cost
            gap.append(
                GapItem(
                    space.skill_uris[col],
                    space.skill_labels[col],
                    relation,
                    have,
                    need,
                    round(cost, 1),
                    related,
                )
            )
    gap.sort(key=lambda g: (-g.hours, g.label))
    transferable.sort(key=lambda s: s.label)
    return tuple(transferable[:limit]), tuple(gap), round(total, 1)


def unlock_counts(
    gain: sp.csr_matrix,
    presence: np.ndarray,
    fit: np.ndarray,
    near: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate skill, how many ``near`` destinations it alone makes viable.

    Returns ``(candidate columns, counts, unlocked mask (n_near, n_candidates))`` where
    candidates are the skills any near destination asks for that the origin does not fully hold.
    """
    rows = np.flatnonzero(near)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, 0), dtype=bool)
    sub = gain[rows]
    candidates = np.unique(sub.indices)
    candidates = candidates[presence[candidates] < 1.0]
    dense = sub[:, candidates].toarray() * (1.0 - presence[candidates])[np.newaxis, :]
    unlocked = dense >= (threshold - fit[rows])[:, np.newaxis] - 1e-6
    return candidates, unlocked.sum(axis=0), unlocked


def unlock_skills(
    space: OccupationSpace,
    gain: sp.csr_matrix,
    presence: np.ndarray,
    fit: np.ndarray,
    near: np.ndarray,
    threshold: float,
    hours: Hours,
    top: int = 5,
) -> tuple[UnlockSkill, ...]:
    """The ``top`` skills that open most near destinations.

    Ties: asked for by more near destinations, then fewer hours, then label.
    """
    candidates, counts, unlocked = unlock_counts(gain, presence, fit, near, threshold)
    rows = np.flatnonzero(near)
    # How many near destinations ask for the skill at all: the tie-break between equal unlocks.
    asked = np.asarray((gain[rows][:, candidates] > 0).sum(axis=0)).ravel()
    ranked = sorted(
        (
            (-int(count), -int(asked[k]), hours(int(col), 0, 3), space.skill_labels[col], k)
            for k, (col, count) in enumerate(zip(candidates, counts, strict=True))
            if count > 0
        )
    )[:top]
    result = []
    for negative, _asked, cost, label, k in ranked:
        opened = rows[unlocked[:, k]]
        examples = tuple(sorted(space.labels[j] for j in opened)[:3])
        col = int(candidates[k])
        result.append(
            UnlockSkill(space.skill_uris[col], label, -negative, round(cost, 1), examples)
        )
    return tuple(result)
