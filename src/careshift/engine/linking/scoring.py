"""Fusion of lexical and dense evidence, ranking, and calibration of the fused score.

e5 cosines sit in a narrow band (about 0.7-0.95 for anything vaguely related), so a raw cosine
means little on its own; the fused score is mapped through a logistic curve fitted on the
development sets, which turns it into "estimated probability that this concept is right" and
lets a caller pick a threshold per use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "MIN_SUPPORT",
    "SHARE_OF_BEST",
    "Calibration",
    "Fusion",
    "ranks_within_rows",
    "support_threshold",
    "top_k",
]

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Fusion:
    """``score = dense_weight * dense + (1 - dense_weight) * lexical``, both in [0, 1]."""

    dense_weight: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError(f"dense_weight must lie in [0, 1], got {self.dense_weight}")

    def __call__(self, dense: FloatArray, lexical: FloatArray) -> FloatArray:
        fused: FloatArray = (
            self.dense_weight * np.clip(dense, 0.0, 1.0)
            + (1.0 - self.dense_weight) * np.clip(lexical, 0.0, 1.0)
        ).astype(np.float32)
        return fused


@dataclass(frozen=True)
class Calibration:
    """Logistic map ``p = 1 / (1 + exp(-(slope * score + intercept)))``; monotone when slope > 0."""

    slope: float
    intercept: float

    def __call__(self, scores: FloatArray) -> FloatArray:
        z = np.clip(self.slope * scores.astype(np.float64) + self.intercept, -40.0, 40.0)
        result: FloatArray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return result

    @classmethod
    def fit(
        cls, scores: npt.NDArray[np.floating], correct: npt.NDArray[np.bool_], *, steps: int = 50
    ) -> Calibration:
        """Maximum-likelihood logistic regression on one feature (Newton's method, tiny ridge)."""
        x = np.asarray(scores, dtype=np.float64)
        y = np.asarray(correct, dtype=np.float64)
        if x.size == 0 or y.min() == y.max():
            raise ValueError("calibration needs both correct and wrong examples")
        design = np.column_stack([x, np.ones_like(x)])
        weights = np.zeros(2)
        for _ in range(steps):
            p = 1.0 / (1.0 + np.exp(-np.clip(design @ weights, -40, 40)))
            gradient = design.T @ (p - y) + 1e-3 * weights
            hessian = (design * (p * (1 - p))[:, None]).T @ design + 1e-3 * np.eye(2)
            weights -= np.linalg.solve(hessian, gradient)
        return cls(slope=float(weights[0]), intercept=float(weights[1]))


def top_k(scores: FloatArray, k: int) -> npt.NDArray[np.int64]:
    """Indices of the ``k`` best scores, best first; ties keep index order (stable output)."""
    k = max(0, min(k, scores.size))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    # include every index tied with the k-th score so the stable sort decides deterministically
    threshold = scores[candidates].min()
    candidates = np.flatnonzero(scores >= threshold)
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    result: npt.NDArray[np.int64] = order[:k].astype(np.int64)
    return result


#: Calibrated score below which a linked skill is never taken as said by the text.
MIN_SUPPORT = 0.02
#: A linked skill must also score at least this share of the document's best link.
SHARE_OF_BEST = 0.2


def support_threshold(
    scores: list[float], floor: float = MIN_SUPPORT, share_of_best: float = SHARE_OF_BEST
) -> float:
    """Lowest score at which a document's linked skill counts as supported by the text.

    The calibration is fitted on English sentences, and Norwegian or Swedish text linked to
    (partly English) labels scores systematically lower for the same evidence (an exact Swedish
    label scores about 0.2 where its English twin scores 0.7). So a fixed probability cut drops
    most nb/sv skills; instead keep what scores at least ``share_of_best`` of the document's
    best link, never below ``floor``: rank first, threshold relative to the document.
    """
    return max(floor, share_of_best * max(scores, default=0.0))


def ranks_within_rows(scores: FloatArray) -> FloatArray:
    """Per row, how many of the row's entries score higher (ties share a rank; 0 for the
    best)."""
    ranks = np.empty(scores.shape, np.float32)
    for row, values in enumerate(scores):
        ranks[row] = np.searchsorted(np.sort(-values), -values, side="left")
    return ranks
