"""Fit and cross-validate the title re-ranker (``engine/linking/rerank.py``) on the dev sets.

``python -m benchmarks._title_rerank`` prints, per title set, the first stage's MRR, the
re-ranked MRR under 5-fold cross-validation (weights fitted on four fifths of the titles,
measured on the fifth; the first stage and the feature set were chosen on all of them), the
same with whole gold occupations held out (``by_occupation``) and
the weights and calibration fitted on all of it, to be copied into
``engine/linking/parameters.py``. ``link_titles`` (the benchmark) reports the
same cross-validated MRR beside the shipped weights' MRR, which is measured on titles those
weights were fitted on and therefore flatters them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmarks._linking import careshift_with_esco, ranking_metrics, titles
from careshift import Careshift
from careshift.engine.linking.parameters import FIRST_STAGE, occupations
from careshift.engine.linking.rerank import (
    NATIONAL_FEATURES,
    TITLE_FEATURES,
    Reranker,
    fit_weights,
    rerank_order,
)
from careshift.engine.linking.scoring import Calibration
from careshift.engine.linking.titles import title_candidates
from careshift.services.linking import occupation_index, query_encoder, second_view_for

#: first-stage candidates re-ordered per title
DEPTH = 100
FOLDS = 5
#: ridge on the standardised weights: 1e-3 and 1e-2 agree within 0.002 MRR on both sets
L2 = 1e-2


@dataclass(frozen=True)
class TitleSet:
    concepts: list[npt.NDArray[np.int64]]
    features: list[npt.NDArray[np.float32]]
    gold: list[npt.NDArray[np.bool_]]
    expected: list[set[str]]
    uris: tuple[str, ...]
    #: the features this kind of title is fitted on (the others keep weight 0)
    fitted: tuple[str, ...]


def title_set(careshift: Careshift, rows: Sequence[tuple[str, set[str]]], lang: str) -> TitleSet:
    """The first stage's candidates and features for dev ``rows``, with gold flags; titles in
    a language whose weights read a second model get its view, as in service."""
    index = occupation_index(careshift)
    encode = query_encoder(careshift)
    second = second_view_for(careshift, occupations(lang))
    queries = [q for q, _ in rows]
    found = title_candidates(index, queries, encode, FIRST_STAGE, DEPTH, lang, second)
    uris = index.catalogue.uris
    gold = [
        np.fromiter((uris[c] in expected for c in concepts), bool, concepts.size)
        for (concepts, _), (_, expected) in zip(found, rows, strict=True)
    ]
    return TitleSet(
        concepts=[c for c, _ in found],
        features=[f for _, f in found],
        gold=gold,
        expected=[expected for _, expected in rows],
        uris=uris,
        fitted=TITLE_FEATURES if lang == "en" else NATIONAL_FEATURES,
    )


def stage_metrics(data: TitleSet, weights: Sequence[float] | None, picked: Sequence[int]) -> dict:
    """Ranking metrics over titles ``picked``, re-ranked by ``weights`` (None: first stage)."""
    ranked = [_ranked(data, i, weights)[0] for i in picked]
    return ranking_metrics(ranked, [data.expected[i] for i in picked])


def _ranked(
    data: TitleSet, i: int, weights: Sequence[float] | None
) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.float64] | None]:
    """Title ``i``'s candidate URIs in the order ``weights`` give them (None: the first
    stage's), the positions of that order and the re-ranked scores."""
    if weights is None:
        order = np.arange(data.concepts[i].size)
        scores = None
    else:
        scores = data.features[i].astype(np.float64) @ np.asarray(weights)
        order = rerank_order(scores)
    return [data.uris[c] for c in data.concepts[i][order]], order, scores


def cross_validated(
    data: TitleSet, seed: int = 0, *, by_occupation: bool = False
) -> tuple[dict[str, float], Calibration]:
    """Re-ranked metrics on held-out folds, and a calibration fitted on held-out scores.

    ``by_occupation`` holds out whole gold concepts instead of titles: every title of an
    occupation falls in one fold, so the weights are measured on occupations they never saw.
    Random folds share occupations between training and test; the gap between the two says how
    much the weights learn which occupations the dev set happens to ask for (``label_count``
    and ``narrower_count`` nearly name a concept)."""
    folds = _occupation_folds(data, seed) if by_occupation else _title_folds(data, seed)
    order = np.concatenate(folds)
    ranked: list[list[str]] = [[] for _ in data.gold]
    held_scores: list[float] = []
    held_correct: list[bool] = []
    for fold in folds:
        train = np.setdiff1d(order, fold)
        weights = fit_weights(
            [data.features[i] for i in train],
            [data.gold[i] for i in train],
            l2=L2,
            fitted=data.fitted,
        )
        for i in fold:
            ranked[i], best, scores = _ranked(data, i, weights)
            assert scores is not None
            held_scores.extend(scores[best[:10]].tolist())
            held_correct.extend(data.gold[i][best[:10]].tolist())
    calibration = Calibration.fit(np.asarray(held_scores), np.asarray(held_correct))
    return ranking_metrics(ranked, data.expected), calibration


def _title_folds(data: TitleSet, seed: int) -> list[npt.NDArray[np.int64]]:
    return np.array_split(np.random.default_rng(seed).permutation(len(data.gold)), FOLDS)


def _occupation_folds(data: TitleSet, seed: int) -> list[npt.NDArray[np.int64]]:
    """Titles split so that one gold concept's titles share a fold (a title with several
    gold concepts goes with the first in URI order)."""
    keys = sorted({min(expected) for expected in data.expected})
    fold_of_key = dict(
        zip(keys, np.random.default_rng(seed).permutation(len(keys)) % FOLDS, strict=True)
    )
    fold_of = np.array([fold_of_key[min(expected)] for expected in data.expected])
    return [np.flatnonzero(fold_of == fold) for fold in range(FOLDS)]


def fitted(data: TitleSet) -> tuple[Reranker, dict[str, object]]:
    """The re-ranker fitted on all of ``data`` (calibrated on held-out scores) and a report."""
    held_out, calibration = cross_validated(data)
    weights = fit_weights(data.features, data.gold, l2=L2, fitted=data.fitted)
    everything = range(len(data.gold))
    reranker = Reranker(weights=weights, calibration=calibration, candidates=DEPTH)
    report = {
        "n": len(data.gold),
        "first_stage": stage_metrics(data, None, everything),
        "cross_validated": held_out,
        "cross_validated_by_occupation": cross_validated(data, by_occupation=True)[0],
        "in_sample": stage_metrics(data, weights, everything),
    }
    return reranker, report


def main() -> int:
    careshift = careshift_with_esco()
    try:
        out: dict[str, object] = {}
        for name in ("en", "sv"):
            reranker, report = fitted(title_set(careshift, titles(name), name))
            out[name] = report | {
                "weights": {k: round(v, 4) for k, v in reranker.by_name().items()},
                "calibration": reranker.calibration,
            }
        print(json.dumps(out, indent=1, default=str))
    finally:
        careshift.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
