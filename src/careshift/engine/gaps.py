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
    "GroupTable",
    "TrainingChoice",
    "greedy_training",
    "group_gaps",
    "group_table",
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


@dataclass(frozen=True)
class GroupTable:
    """Every count a set of nested group reports reveals, as cells of one linear system.

    A reader who sees a group's size and how many in it have a gap also knows how many do not,
    so both are cells tied by ``size = with gap + without gap``; a parent group (a unit, a role,
    the institution) is the sum of its children in size, with-gap and without-gap counts. One
    system for all the ways of slicing the same people keeps every report consistent: no two
    reports can be subtracted to reveal what either hides.
    """

    #: (n_cells,) counts
    values: IntArray
    relations: list[Relation]
    #: (n_cells,) what hiding each cell costs a reader
    costs: NDArray[np.float64]
    #: (n_nodes, n_skills) index of each node's with-gap cell
    gap_at: IntArray
    #: (n_nodes,) index of each node's size cell
    size_at: IntArray


def group_table(
    with_gap: IntArray,
    sizes: IntArray,
    children: Sequence[tuple[int, Sequence[int]]],
    node_costs: Sequence[tuple[float, float, float]],
) -> GroupTable:
    """Lay out nodes (groups) and their parent/children sums as cells and relations.

    ``with_gap`` (n_nodes, n_skills), ``sizes`` (n_nodes,); ``children``: (parent node, child
    nodes) for every sum a reader knows; ``node_costs``: per node, the cost of hiding its
    (with-gap, without-gap, size) cells.
    """
    with_gap = np.asarray(with_gap, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    n_nodes, n_skills = with_gap.shape
    block = n_nodes * n_skills
    gap_at = np.arange(block, dtype=np.int64).reshape(n_nodes, n_skills)
    ok_at = gap_at + block
    size_at = np.arange(2 * block, 2 * block + n_nodes, dtype=np.int64)
    values = np.concatenate([with_gap.ravel(), (sizes[:, None] - with_gap).ravel(), sizes])
    costs = np.concatenate(
        [
            np.repeat([c[0] for c in node_costs], n_skills),
            np.repeat([c[1] for c in node_costs], n_skills),
            [c[2] for c in node_costs],
        ]
    ).astype(np.float64)
    relations: list[Relation] = []
    for node in range(n_nodes):
        for s in range(n_skills):
            relations.append((int(size_at[node]), (int(gap_at[node, s]), int(ok_at[node, s]))))
    for parent, kids in children:
        relations.append((int(size_at[parent]), tuple(int(size_at[k]) for k in kids)))
        for s in range(n_skills):
            relations.append((int(gap_at[parent, s]), tuple(int(gap_at[k, s]) for k in kids)))
            relations.append((int(ok_at[parent, s]), tuple(int(ok_at[k, s]) for k in kids)))
    return GroupTable(values.astype(np.int64), relations, costs, gap_at, size_at)


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
