"""Use the taxonomy's hierarchy: lift occupation evidence to ISCO groups, thin out skill lists.

A national title like "undersköterska" may be gold-mapped to an ISCO unit group rather than one
ESCO occupation; a group inherits a damped share of its best member's score so it ranks right
after that member (and above unrelated occupations). In skill lists, a skill whose broader or
narrower skill already ranks higher adds little a reader needs and pushes other skills out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from careshift.engine.linking.ranges import run_starts

__all__ = ["Hierarchy", "drop_relatives"]

FloatMatrix = npt.NDArray[np.float32]


class Hierarchy:
    """Edges ``child -> parent`` between concept rows of one catalogue."""

    def __init__(self, edges: Iterable[tuple[int, int]], *, passes: int = 6) -> None:
        pairs = sorted({(p, c) for c, p in edges if c != p})
        self._parents = np.asarray([p for p, _ in pairs], dtype=np.int64)
        self._children = np.asarray([c for _, c in pairs], dtype=np.int64)
        self._starts = run_starts(self._parents)
        self._unique_parents = self._parents[self._starts] if pairs else self._parents
        self._passes = passes
        #: child row -> its direct parent rows
        self.parents: dict[int, set[int]] = {}
        for parent, child in pairs:
            self.parents.setdefault(child, set()).add(parent)

    def lift(self, scores: FloatMatrix, decay: float) -> FloatMatrix:
        """Each parent gets ``max(own, decay * best child)``, repeated up the tree.

        ``scores`` has shape ``(n_queries, n_concepts)``; returns a new array.
        """
        lifted = scores.copy()
        if self._parents.size == 0:
            return lifted
        for _ in range(self._passes):
            best_child = np.maximum.reduceat(lifted[:, self._children], self._starts, axis=1)
            current = lifted[:, self._unique_parents]
            updated = np.maximum(current, decay * best_child)
            if np.array_equal(updated, current):
                break
            lifted[:, self._unique_parents] = updated
        return lifted


def drop_relatives(ranked: Sequence[int], parents: dict[int, set[int]]) -> list[int]:
    """Keep ``ranked`` order but drop a row that is the direct parent of one ranked before it.

    The specific skill says more than its broader one ("Java" over "computer programming");
    a narrower skill ranked after its parent stays, as it adds information.
    """
    kept: list[int] = []
    covered: set[int] = set()
    for row in ranked:
        if row in covered:
            continue
        kept.append(row)
        covered |= parents.get(row, set())
    return kept
