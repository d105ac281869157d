"""Learning hours per skill column: the documented default in closed form, or an estimator.

The default (:func:`careshift.domain.pathways.default_hours`) costs ``base * k / 3`` for level
``k``, so raising a skill from ``a`` to ``b`` costs ``base * (b(b+1) - a(a+1)) / 6`` and can be
computed for many skills at once. An :class:`~careshift.domain.pathways.EffortEstimator` (the
course catalogue) overrides it skill by skill wherever it knows better (returns a number).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careshift.domain.pathways import EffortEstimator

__all__ = ["Effort"]


@dataclass(frozen=True)
class Effort:
    #: (n_skills,) default hours per proficiency level of each skill column
    base: np.ndarray
    skill_uris: tuple[str, ...]
    estimator: EffortEstimator | None = None

    def hours(self, cols: np.ndarray, have: np.ndarray, need: np.ndarray) -> np.ndarray:
        """(k,) hours to take skills ``cols`` from levels ``have`` to ``need`` (0 if held)."""
        have64, need64 = have.astype(np.float64), need.astype(np.float64)
        steps = np.maximum(need64 * (need64 + 1) - have64 * (have64 + 1), 0.0)
        result: np.ndarray = self.base[cols].astype(np.float64) * steps / 6.0
        if self.estimator is not None:
            for k, (col, a, b) in enumerate(zip(cols, have, need, strict=True)):
                if b > a:
                    found = self.estimator(self.skill_uris[int(col)], int(a), int(b))
                    if found is not None:
                        result[k] = float(found)
        return result

    def __call__(self, col: int, from_level: int, to_level: int) -> float:
        one = self.hours(np.array([col]), np.array([from_level]), np.array([to_level]))
        return float(one[0])
