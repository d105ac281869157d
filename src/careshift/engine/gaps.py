"""Skill gaps as arrays: workers x skills levels against a role's expected levels.

Shapes: ``levels`` is (n_workers, n_skills) with 0 for "no evidence of this skill";
``required`` is (n_skills,) with 0 for "not required". A gap is the shortfall
``max(required - level, 0)`` on required skills only: skills above the target never count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from careshift.engine.suppression import Relation

__all__ = [
    "GroupGaps",
    "TrainingChoice",
    "greedy_training",
    "group_gaps",
    "heatmap_layout",
    "most_common",
    "shortfall",
]

IntArray = NDArray[np.int64]


def shortfall(levels: IntArray, required: IntArray) -> IntArray:
    """Per worker and skill, how many levels are missing. Shape (n_workers, n_skills)."""
    levels = np.atleast_2d(np.asarray(levels, dtype=np.int64))
    required = np.asarray(required, dtype=np.int64)
    if levels.shape[1] != required.shape[0]:
        raise ValueError(f"levels has {levels.shape[1]} skills, required has {required.shape[0]}")
    return np.where(required > 0, np.maximum(required - levels, 0), 0)


@dataclass(frozen=True)
class GroupGaps:
    """Per group and skill: people with a gap and their summed shortfall."""

    #: (n_groups,) people in each group
    sizes: IntArray
    #: (n_groups, n_skills) people in the group with a gap on the skill
    with_gap: IntArray
    #: (n_groups, n_skills) summed missing levels of those people
    missing_levels: IntArray


def group_gaps(gaps: IntArray, groups: IntArray, n_groups: int) -> GroupGaps:
    """Aggregate per-worker ``gaps`` (n_workers, n_skills) by ``groups`` (n_workers,) in 0..n-1."""
    gaps = np.asarray(gaps, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    n_skills = gaps.shape[1] if gaps.ndim == 2 else 0
    with_gap = np.zeros((n_groups, n_skills), dtype=np.int64)
    missing = np.zeros((n_groups, n_skills), dtype=np.int64)
    np.add.at(with_gap, groups, (gaps > 0).astype(np.int64))
    np.add.at(missing, groups, gaps)
    sizes = np.bincount(groups, minlength=n_groups).astype(np.int64)
    return GroupGaps(sizes=sizes, with_gap=with_gap, missing_levels=missing)


def heatmap_layout(
    with_gap: IntArray, sizes: IntArray
) -> tuple[IntArray, list[Relation], NDArray[np.float64]]:
    """Every count a gap heatmap reveals, with the relations a reader could subtract along.

    A reader who sees a group's size and how many in it have a gap also knows how many do not,
    so both appear as cells tied by ``size = with gap + without gap``; per-skill totals over the
    groups and the overall headcount tie the groups together. Cell order: with-gap (row-major),
    without-gap (row-major), group sizes, skill totals with gap, skill totals without gap,
    headcount. Shapes: ``with_gap`` (n_groups, n_skills), ``sizes`` (n_groups,).

    Also returns the cost of hiding each cell, so complements fall on what readers need least:
    a whole group (its size) is dearest, then gaps per skill, then "without gap" counts, and
    the overall headcount is cheapest.
    """
    n_groups, n_skills = with_gap.shape
    without = sizes[:, None] - with_gap
    block = n_groups * n_skills
    size_at, gap_total_at = 2 * block, 2 * block + n_groups
    ok_total_at = gap_total_at + n_skills
    headcount_at = ok_total_at + n_skills
    values = np.concatenate(
        [
            with_gap.ravel(),
            without.ravel(),
            sizes,
            with_gap.sum(axis=0),
            without.sum(axis=0),
            [sizes.sum()],
        ]
    ).astype(np.int64)
    relations: list[Relation] = []
    for g in range(n_groups):
        for s in range(n_skills):
            cell = g * n_skills + s
            relations.append((size_at + g, (cell, block + cell)))
    for s in range(n_skills):
        column = tuple(g * n_skills + s for g in range(n_groups))
        relations.append((gap_total_at + s, column))
        relations.append((ok_total_at + s, tuple(block + c for c in column)))
        relations.append((headcount_at, (gap_total_at + s, ok_total_at + s)))
    relations.append((headcount_at, tuple(range(size_at, size_at + n_groups))))
    costs = np.concatenate(
        [
            np.full(block, 2.0),
            np.full(block, 1.5),
            np.full(n_groups, 10.0),
            np.full(n_skills, 3.0),
            np.full(n_skills, 1.0),
            [0.5],
        ]
    )
    return values, relations, costs


@dataclass(frozen=True)
class TrainingChoice:
    #: index of the training in the offered list
    training: int
    #: worker-skill gaps this training closes that no earlier choice closed
    gaps_closed: int


def greedy_training(
    gap_counts: IntArray, coverage: NDArray[np.bool_], budget: int | None = None
) -> list[TrainingChoice]:
    """Trainings that close the most gaps, greedily (weighted maximum coverage).

    ``gap_counts`` (n_skills,): people with a gap per skill; ``coverage`` (n_trainings,
    n_skills): which gaps each training closes. Picks the training closing most still-open
    gaps, marks them closed, and repeats until ``budget`` picks or nothing more closes.
    Greedy is within a factor (1 - 1/e) of the best choice of the same size.
    """
    remaining = np.asarray(gap_counts, dtype=np.int64).copy()
    coverage = np.asarray(coverage, dtype=np.bool_)
    limit = coverage.shape[0] if budget is None else min(budget, coverage.shape[0])
    chosen: list[TrainingChoice] = []
    available = np.ones(coverage.shape[0], dtype=np.bool_)
    while len(chosen) < limit:
        gains = np.where(available, coverage.astype(np.int64) @ remaining, -1)
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(TrainingChoice(training=best, gaps_closed=int(gains[best])))
        remaining[coverage[best]] = 0
        available[best] = False
    return chosen


def most_common(gap_counts: Sequence[int] | IntArray, top: int) -> list[int]:
    """Indexes of the ``top`` skills with most people lacking them (ties: lower index first)."""
    counts = np.asarray(gap_counts, dtype=np.int64)
    order = np.lexsort((np.arange(len(counts)), -counts))
    return [int(i) for i in order[:top] if counts[i] > 0]
