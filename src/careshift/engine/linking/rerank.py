"""A learned second stage for job titles: a linear model over evidence the linker already has.

The first stage (fusion of lexical and dense scores, lifted up the ISCO tree) shortlists the
best ``candidates`` concepts; the second re-orders them by ``features @ weights``. The weights
are fitted per kind of title on the development sets (``benchmarks/_title_rerank.py``)
with a listwise loss: the softmax over a title's candidates should put its mass on the gold
concepts. What the two kinds of title teach differs: noisy English vacancy titles are always
gold-mapped to an occupation, Swedish national titles to an ISCO unit group in almost half the
cases, so one set of weights serves each kind; 5-fold cross-validation measures what a held-out
set of the same kind gains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize
from scipy.special import logsumexp

from careshift.engine.linking.scoring import Calibration

__all__ = [
    "NATIONAL_FEATURES",
    "RANKED_FEATURES",
    "TITLE_FEATURES",
    "VACANCY_FEATURES",
    "Reranker",
    "fit_weights",
    "rerank_order",
]

FloatMatrix = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

#: What every kind of title is read by, one column each (see ``titles.title_candidates``).
SCORED_FEATURES: tuple[str, ...] = (
    "fused",  # the first stage's score: fusion lifted up the ISCO tree
    "dense_best",  # cosine with the concept's best embedded label
    "dense_centroid",  # cosine with the mean of its embedded labels
    # ... with its best embedded label in the query's language (dense_best when it has none)
    "dense_in_query_language",
    "lexical",  # character n-gram cosine with its best label, any language (alt labels x 0.95)
    # ... with its best label in the query's language (lexical when it has none)
    "lexical_in_query_language",
    "lexical_preferred",  # ... with its best preferred label
)
NATIONAL_FEATURES: tuple[str, ...] = (
    *SCORED_FEATURES,
    "unit_group",  # 1 for an ISCO unit group (the level occupations hang from)
    "broader_group",  # 1 for an ISCO group above the unit groups
    "member_lift",  # how far its best member's score lies above its own
    "label_count",  # log(1 + its number of labels): well-described concepts are common ones
    "narrower_occupation",  # 1 for an occupation under another occupation (a specialisation)
    "narrower_count",  # log(1 + how many occupations sit directly under it)
    "second_best",  # a second model's cosine with its best label (0 without a second model)
    "second_centroid",  # ... with the mean of its labels' vectors
)
#: scores whose rank among a title's candidates is a feature too: a score's scale drifts from
#: title to title, its order does not
RANKED_FEATURES: tuple[str, ...] = (*SCORED_FEATURES, "second_best", "second_centroid")
#: Vacancy titles only (Swedish national titles lost 0.006 MRR with them, cross-validated):
#: each score's rank, as -log(1 + rank), the concept's ISCO-08 major group, one column per
#: group (0 armed forces ... 9 elementary occupations; none for a concept without a code), and
#: how alike the second model finds the name of an occupation directly under an ISCO group
#: and the group's (``traits.SecondView.prototypicality``; 0 without a second model).
VACANCY_FEATURES: tuple[str, ...] = (
    *(f"rank_{name}" for name in RANKED_FEATURES),
    *(f"isco_major_{digit}" for digit in range(10)),
    "second_prototypicality",
)
TITLE_FEATURES: tuple[str, ...] = (*NATIONAL_FEATURES, *VACANCY_FEATURES)


@dataclass(frozen=True)
class Reranker:
    """Linear weights over :data:`TITLE_FEATURES` and the calibration of the result."""

    weights: tuple[float, ...]
    calibration: Calibration
    #: how many first-stage concepts are re-ordered (at least the ``top`` asked for)
    candidates: int = 100

    def __post_init__(self) -> None:
        if len(self.weights) != len(TITLE_FEATURES):
            raise ValueError(
                f"{len(self.weights)} weights for {len(TITLE_FEATURES)} title features"
            )
        if self.candidates <= 0:
            raise ValueError(f"candidates must be positive, got {self.candidates}")

    @classmethod
    def named(cls, calibration: Calibration, weights: dict[str, float]) -> Reranker:
        """From weights keyed by feature name; every feature needs one."""
        missing = set(TITLE_FEATURES) - set(weights)
        unknown = set(weights) - set(TITLE_FEATURES)
        if missing or unknown:
            raise ValueError(f"weights missing {sorted(missing)}, unknown {sorted(unknown)}")
        return cls(tuple(weights[name] for name in TITLE_FEATURES), calibration)

    def by_name(self) -> dict[str, float]:
        return dict(zip(TITLE_FEATURES, self.weights, strict=True))

    def scores(self, features: FloatMatrix) -> npt.NDArray[np.float64]:
        """One score per candidate row of ``features`` ``(n, len(TITLE_FEATURES))``."""
        result: npt.NDArray[np.float64] = np.asarray(features, np.float64) @ np.asarray(
            self.weights, np.float64
        )
        return result


def rerank_order(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Positions by descending score; a tie keeps the first stage's order."""
    order: npt.NDArray[np.int64] = np.argsort(-scores, kind="stable").astype(np.int64)
    return order


def fit_weights(
    features: Sequence[FloatMatrix],
    gold: Sequence[BoolArray],
    *,
    l2: float = 1e-2,
    fitted: Sequence[str] = TITLE_FEATURES,
) -> tuple[float, ...]:
    """Weights minimising the listwise loss ``-log P(gold)`` (softmax over each title's
    candidates) plus ``l2`` on the standardised weights. Titles whose candidates hold no gold
    concept teach nothing and are skipped. Only the ``fitted`` features get a weight, the
    others 0. Returned on the features' own scale."""
    unknown = set(fitted) - set(TITLE_FEATURES)
    if unknown or "fused" not in fitted:
        raise ValueError(f"fitted features must include 'fused'; unknown {sorted(unknown)}")
    kept = [(f, g) for f, g in zip(features, gold, strict=True) if g.any()]
    if not kept:
        raise ValueError("no title has its gold concept among the candidates")
    width = len(TITLE_FEATURES)
    if any(f.ndim != 2 or f.shape != (len(g), width) for f, g in kept):
        raise ValueError(f"features need {width} columns and one row per gold flag")
    # Titles may have fewer candidates than others (a small taxonomy): pad, and mask the pads.
    depth = max(len(g) for _, g in kept)
    block = np.zeros((len(kept), depth, width))
    label = np.zeros((len(kept), depth))
    present = np.zeros((len(kept), depth), bool)
    for row, (f, g) in enumerate(kept):
        block[row, : len(g)] = f
        label[row, : len(g)] = g
        present[row, : len(g)] = True
    # Standardise so one l2 suits every feature; a shift of a feature moves all of a title's
    # candidates alike and cannot change its ranking, so only the scale is carried back.
    scale = block[present].std(axis=0)
    scale[scale == 0] = 1.0
    block /= scale
    # a column left out is 0 for every candidate: its gradient is only the ridge's, so its
    # weight stays at the 0 it starts from
    block[:, :, [name not in fitted for name in TITLE_FEATURES]] = 0.0

    def loss(weights: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        logits = np.where(present, block @ weights, -np.inf)
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        everything, on_gold = exp.sum(axis=1), (exp * label).sum(axis=1)
        # in log space: the gold mass may underflow to 0 where its log does not
        gold_logits = np.where(label > 0, logits, -np.inf)
        value = (logsumexp(logits, axis=1) - logsumexp(gold_logits, axis=1)).mean()
        value += l2 * weights @ weights
        pull = exp / everything[:, None] - exp * label / np.maximum(on_gold, 1e-300)[:, None]
        gradient = np.einsum("tc,tcf->f", pull, block) / len(kept) + 2 * l2 * weights
        return float(value), gradient

    start = np.zeros(width)
    start[0] = 1.0  # the first stage's order
    found = optimize.minimize(loss, start, jac=True, method="L-BFGS-B")
    return tuple(float(w) for w in found.x / scale)
