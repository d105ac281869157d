"""The profile reconciliation rule of :mod:`careshift.domain.workforce`, for many workers at once.

``domain.workforce.reconcile`` explains one worker's profile with its evidence; group reports
need the levels of thousands of workers in well under a second, so this module applies the
same rule to arrays. A property test keeps the two in agreement.

Evidence arrives as parallel arrays of shape (n_evidence,), in chronological order (date, then
store id): the worker row, the skill column, the level and the source rank
(:data:`careshift.domain.workforce.SOURCE_RANK`: 0 supervisor, 1 self or session, 2 text,
3 course or credential).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["FLOOR_RANK", "reconcile_levels"]

#: Source rank of evidence that sets a floor (course completion, credential).
FLOOR_RANK = 3
_RATING_RANKS_LOW_TO_HIGH = (2, 1, 0)

IntArray = NDArray[np.int64]


def reconcile_levels(
    workers: IntArray,
    skills: IntArray,
    levels: IntArray,
    ranks: IntArray,
    defaults: IntArray,
) -> IntArray:
    """Reconciled levels, shape of ``defaults`` (n_workers, n_skills); 0 where nothing is known.

    ``defaults`` holds each worker's current-role expectation (0 when the role does not ask
    for the skill): the starting point that any rating replaces.
    """
    n_workers, n_skills = defaults.shape
    keys = np.asarray(workers, dtype=np.int64) * n_skills + np.asarray(skills, dtype=np.int64)
    levels = np.asarray(levels, dtype=np.int64)
    ranks = np.asarray(ranks, dtype=np.int64)
    rated = np.asarray(defaults, dtype=np.int64).ravel().copy()
    for rank in _RATING_RANKS_LOW_TO_HIGH:  # higher precedence overwrites lower
        chosen = np.flatnonzero(ranks == rank)
        if chosen.size:
            latest_keys, latest_levels = _latest(keys[chosen], levels[chosen])
            rated[latest_keys] = latest_levels
    floor = np.zeros(n_workers * n_skills, dtype=np.int64)
    floors = ranks == FLOOR_RANK
    np.maximum.at(floor, keys[floors], levels[floors])
    return np.maximum(rated, floor).reshape(n_workers, n_skills)


def _latest(keys: IntArray, levels: IntArray) -> tuple[IntArray, IntArray]:
    """For each key, the level of its last (most recent) evidence."""
    reversed_keys = keys[::-1]
    unique, first_in_reversed = np.unique(reversed_keys, return_index=True)
    return unique, levels[::-1][first_in_reversed]
