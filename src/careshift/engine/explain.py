"""Why an option is what it is: transferable skills, the gap with levels, skills that open doors.

Works on one origin at a time (a presence vector over skills, see :mod:`careshift.engine.
pathways`). "Learn X, unlock N" is computed in closed form: acquiring skill ``s`` raises the
fit to destination ``j`` by ``gain[j, s] * (1 - presence[s])`` (its share of ``j``'s essential
and optional coverage times the evidence weights), so one dense product over the *near-viable*
destinations and the candidate skills counts, for every skill at once, how many destinations
it would carry over the viability threshold.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from careshift.domain.pathways import GapItem, SkillRef, UnlockSkill
from careshift.engine.effort import Effort
from careshift.engine.space import OccupationSpace

__all__ = ["NEAR_MARGIN", "gap_and_transferable", "unlock_counts", "unlock_skills"]

#: Destinations this far below the viability threshold count as "near": the ones a few
#: skills could open. Wider margins find more, but less credible, unlocks.
NEAR_MARGIN = 0.12


def gap_and_transferable(
    space: OccupationSpace,
    destination: int,
    presence: np.ndarray,
    levels: np.ndarray,
    effort: Effort,
    limit: int = 12,
) -> tuple[tuple[SkillRef, ...], tuple[GapItem, ...], float]:
    """Transferable skills, essential gap (with levels and hours) and total hours for one move.

    ``levels`` is the origin's (n_skills,) held proficiency (0 = not held). A skill held at the
    level needed is transferable; an essential skill held below it, or not at all, is in the
    gap; a skill only related to one held (soft match) costs half.
    """
    transferable: list[int] = []
    gap: list[GapItem] = []
    total = 0.0
    for relation, matrix in (("essential", space.essential), ("optional", space.optional)):
        start, end = matrix.indptr[destination], matrix.indptr[destination + 1]
        cols = matrix.indices[start:end]
        need = matrix.data[start:end].astype(np.int64)
        have = levels[cols].astype(np.int64)
        held = (presence[cols] >= 1.0) & (have >= need)
        transferable.extend(int(c) for c in cols[held])
        if relation != "essential" or held.all():
            continue
        missing, lacking, wanted = cols[~held], have[~held], need[~held]
        related = (presence[missing] > 0) & (lacking == 0)
        costs = effort.hours(missing, lacking, wanted) * np.where(related, 0.5, 1.0)
        total += float(costs.sum())
        gap.extend(
            GapItem(
                space.skill_uris[col],
                space.skill_labels[col],
                relation,
                int(a),
                int(b),
                round(float(cost), 1),
                bool(soft),
            )
            for col, a, b, cost, soft in zip(missing, lacking, wanted, costs, related, strict=True)
        )
    gap.sort(key=lambda g: (-g.hours, g.label))
    refs = sorted((space.skill_labels[c], space.skill_uris[c]) for c in transferable)[:limit]
    return tuple(SkillRef(uri, label) for label, uri in refs), tuple(gap), round(total, 1)


def unlock_counts(
    gain: sp.csr_matrix,
    presence: np.ndarray,
    fit: np.ndarray,
    near: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate skill, how many ``near`` destinations it alone makes viable.

    Returns ``(candidate columns, counts, unlocked mask (n_near, n_candidates), asked)`` where
    candidates are the skills any near destination asks for that the origin does not fully hold
    and ``asked`` counts the near destinations asking for each.
    """
    rows = np.flatnonzero(near)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, 0), dtype=bool), empty
    sub = gain[rows]
    candidates = np.unique(sub.indices)
    candidates = candidates[presence[candidates] < 1.0]
    dense = sub[:, candidates].toarray() * (1.0 - presence[candidates])[np.newaxis, :]
    unlocked = dense >= (threshold - fit[rows])[:, np.newaxis] - 1e-6
    return candidates, unlocked.sum(axis=0), unlocked, (dense > 0).sum(axis=0)


def unlock_skills(
    space: OccupationSpace,
    gain: sp.csr_matrix,
    presence: np.ndarray,
    fit: np.ndarray,
    near: np.ndarray,
    threshold: float,
    effort: Effort,
    top: int = 5,
) -> tuple[UnlockSkill, ...]:
    """The ``top`` skills that open most near destinations.

    Ties: asked for by more near destinations, then fewer hours, then label.
    """
    # ``asked``: how many near destinations want the skill, the tie-break between equal unlocks
    candidates, counts, unlocked, asked = unlock_counts(gain, presence, fit, near, threshold)
    rows = np.flatnonzero(near)
    useful = np.flatnonzero(counts > 0)
    cost = effort.hours(
        candidates[useful], np.zeros(useful.size, dtype=np.int64), np.full(useful.size, 3)
    )
    ranked = sorted(
        (-int(counts[k]), -int(asked[k]), float(c), space.skill_labels[candidates[k]], int(k))
        for k, c in zip(useful, cost, strict=True)
    )[:top]
    result = []
    for negative, minus_asked, hours, label, k in ranked:
        opened = rows[unlocked[:, k]]
        examples = tuple(sorted(space.labels[j] for j in opened)[:3])
        col = int(candidates[k])
        result.append(
            UnlockSkill(
                space.skill_uris[col], label, -negative, round(hours, 1), examples, -minus_asked
            )
        )
    return tuple(result)
