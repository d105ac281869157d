"""Where "viable" and "highly viable" begin, read off the data rather than guessed.

ISCO-08 puts occupations in the same unit group because they do similar work at the same skill
level; moves between them are the clearest examples of feasible transitions we have. Following
Nesta's Career Causeways (which calibrated its thresholds on within-group similarity), a move is
*viable* when its combined similarity reaches the similarity of all but the least similar
:data:`VIABLE_PERCENTILE` % of within-unit-group pairs, and *highly viable* from the median
within-unit-group similarity. The thresholds therefore move with the evidence weights and the
taxonomy version instead of being fixed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["HIGHLY_VIABLE_PERCENTILE", "VIABLE_PERCENTILE", "Thresholds", "calibrate"]

VIABLE_PERCENTILE = 10.0
HIGHLY_VIABLE_PERCENTILE = 50.0
#: Used when the data hold too few within-group pairs to calibrate (tiny taxonomies): Nesta's
#: published thresholds.
FALLBACK = (0.30, 0.40)
_MIN_PAIRS = 30


@dataclass(frozen=True)
class Thresholds:
    viable: float
    highly_viable: float
    #: how many within-unit-group pairs the percentiles were taken over (0 = fallback)
    n_pairs: int
    method: str


def calibrate(
    similarity: np.ndarray,
    isco: tuple[str, ...],
    viable_percentile: float = VIABLE_PERCENTILE,
    highly_viable_percentile: float = HIGHLY_VIABLE_PERCENTILE,
) -> Thresholds:
    """Thresholds from the combined similarity (n, n) of pairs sharing an ISCO-08 unit group."""
    codes = np.array([c[:4] if len(c) >= 4 else "" for c in isco])
    same = (codes[:, np.newaxis] == codes[np.newaxis, :]) & (codes[:, np.newaxis] != "")
    np.fill_diagonal(same, False)
    values = similarity[same]
    if values.size < _MIN_PAIRS:
        return Thresholds(*FALLBACK, n_pairs=0, method="fallback: Nesta Career Causeways 0.30/0.40")
    viable, high = np.percentile(values, [viable_percentile, highly_viable_percentile])
    method = (
        f"within-ISCO-unit-group pairs: viable = P{viable_percentile:g}, "
        f"highly viable = P{highly_viable_percentile:g}"
    )
    return Thresholds(round(float(viable), 4), round(float(high), 4), int(values.size), method)
