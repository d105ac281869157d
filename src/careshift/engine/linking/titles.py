"""Occupations for short texts: a job title or a one-line description.

A first stage fuses lexical and dense evidence over every label and lifts it through the ISCO
hierarchy; a learned re-ranker (``rerank``) re-orders its best candidates by the
:data:`~careshift.engine.linking.rerank.TITLE_FEATURES` computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import LabelType
from careshift.engine.linking.catalogue import LabelCatalogue, concept_max
from careshift.engine.linking.dense import Encode, with_centroid
from careshift.engine.linking.linker import Index, LinkParameters, Match
from careshift.engine.linking.rerank import (
    NATIONAL_FEATURES,
    RANKED_FEATURES,
    TITLE_FEATURES,
    rerank_order,
)
from careshift.engine.linking.scoring import ranks_within_rows, top_k
from careshift.engine.linking.traits import SecondView

__all__ = ["link_titles", "title_candidates"]

FloatMatrix = npt.NDArray[np.float32]


def link_titles(
    index: Index,
    texts: Sequence[str],
    encode: Encode,
    params: LinkParameters,
    top: int,
    *,
    lang: str,
    second: SecondView | None = None,
) -> list[list[Match]]:
    """Best ``top`` concepts per short text (a job title or a one-line description) in
    ``lang`` (the re-ranker weighs labels in the query's language apart), with a second
    model's view of the labels when given."""
    results: list[list[Match]] = [[] for _ in texts]
    if top <= 0:
        return results
    depth = max(top, params.reranker.candidates) if params.reranker is not None else top
    found = title_candidates(index, texts, encode, params, depth, lang, second)
    for position, (concepts, features) in enumerate(found):
        if not concepts.size:
            continue
        if params.reranker is not None:
            reranked = params.reranker.scores(features)
            order = rerank_order(reranked)[:top]
            concepts, raw = concepts[order], reranked[order].astype(np.float32)
            probability = params.reranker.calibration(raw)
        else:  # the first stage's order and score
            probability = params.calibration(features[:top, _FUSED])
        text = texts[position]
        span = ((len(text) - len(text.lstrip()), len(text.rstrip())),)
        results[position] = [
            Match(int(c), float(p), span) for c, p in zip(concepts[:top], probability, strict=True)
        ]
    return results


_FUSED = TITLE_FEATURES.index("fused")


def title_candidates(
    index: Index,
    texts: Sequence[str],
    encode: Encode,
    params: LinkParameters,
    depth: int,
    lang: str,
    second: SecondView | None = None,
) -> list[tuple[npt.NDArray[np.int64], FloatMatrix]]:
    """Per text, the first stage's best ``depth`` concepts (best first) and their
    :data:`~careshift.engine.linking.rerank.TITLE_FEATURES` rows; nothing for a blank text.

    The linker and the re-ranker's fitting both read titles through here, so the weights are
    fitted on exactly the features they are later applied to."""
    live = [i for i, t in enumerate(texts) if t.strip()]
    results: list[tuple[npt.NDArray[np.int64], FloatMatrix]] = [
        (np.zeros(0, np.int64), np.zeros((0, len(TITLE_FEATURES)), np.float32)) for _ in texts
    ]
    if not live or depth <= 0 or not index.catalogue.uris:
        return results
    # Chunks bound the transient (n_queries, n_labels) lexical matrix (~200 KB per query).
    for first in range(0, len(live), _TITLE_CHUNK):
        chunk = live[first : first + _TITLE_CHUNK]
        queries = [texts[i] for i in chunk]
        found = _title_chunk(index, queries, encode, params, depth, lang, second)
        for position, candidates in zip(chunk, found, strict=True):
            results[position] = candidates
    return results


_TITLE_CHUNK = 256


def _title_chunk(
    index: Index,
    queries: list[str],
    encode: Encode,
    params: LinkParameters,
    depth: int,
    lang: str,
    second: SecondView | None,
) -> list[tuple[npt.NDArray[np.int64], FloatMatrix]]:
    catalogue, traits = index.catalogue, index.traits
    vectors = encode(queries)
    label_dense = index.dense.label_scores(vectors)
    best = concept_max(label_dense, index.dense.starts)
    centroid = vectors @ index.dense.centroids.T
    # A concept with no label in the query's language (68 ESCO occupations have no Norwegian
    # one) is read through its labels in the others: scored 0 there, it sank ~90 places.
    # Dense asks about embedded labels, lexical (``worded`` below) about all of them, so a
    # concept whose only Norwegian labels are hidden (not embedded) falls back for dense only.
    in_language_vector = traits.vector_langs == lang
    spoken = np.maximum.reduceat(in_language_vector, index.dense.starts)
    best_in_language = np.where(
        spoken,
        concept_max(np.where(in_language_vector, label_dense, 0.0), index.dense.starts),
        best,
    )
    del label_dense
    dense = with_centroid(best, centroid, params.centroid_weight)
    # without a second model its three features are zero (and its two ranks copy the first
    # stage's order): weights fitted without one (Swedish, Norwegian) give all five zero weight
    if second is None:
        second_best = second_centroid = np.zeros_like(best)
        prototypicality = np.zeros(len(catalogue.uris), np.float32)
    else:
        if second.dense.starts.size != len(catalogue.uris):
            raise ValueError("the second view must cover the index's catalogue")
        other = second.encode(queries)
        second_best = concept_max(second.dense.label_scores(other), second.dense.starts)
        second_centroid = other @ second.dense.centroids.T
        prototypicality = second.prototypicality
    label_lexical = index.lexical.scores(queries).toarray()
    if params.alt_label_weight != 1.0:
        label_lexical *= _label_weights(catalogue, params.alt_label_weight)
    lexical = concept_max(label_lexical, catalogue.starts)
    fused = params.fusion(dense, lexical)
    lifted = index.hierarchy.lift(fused, params.group_decay)
    member_lift = index.hierarchy.lift(fused, 1.0) - fused
    in_language = traits.label_langs == lang
    worded = np.maximum.reduceat(in_language, catalogue.starts)
    found = []
    for row in range(len(queries)):
        concepts = top_k(lifted[row], depth)
        rows, offsets = catalogue.rows_of(concepts)
        labels = label_lexical[row, rows]
        features = np.column_stack(
            [
                lifted[row, concepts],
                best[row, concepts],
                centroid[row, concepts],
                best_in_language[row, concepts],
                lexical[row, concepts],
                np.where(
                    worded[concepts],
                    np.maximum.reduceat(np.where(in_language[rows], labels, 0.0), offsets),
                    lexical[row, concepts],
                ),
                np.maximum.reduceat(np.where(traits.preferred[rows], labels, 0.0), offsets),
                traits.unit_group[concepts],
                traits.broader_group[concepts],
                member_lift[row, concepts],
                np.log1p(catalogue.label_counts[concepts]),
                traits.narrower_occupation[concepts],
                np.log1p(traits.narrower_count[concepts]),
                second_best[row, concepts],
                second_centroid[row, concepts],
            ]
        ).astype(np.float32)
        ranks = _rank_features(features[:, _RANKED])
        vacancy = [ranks, traits.isco_major[concepts], prototypicality[concepts, None]]
        found.append((concepts, np.hstack([features, *vacancy])))
    return found


_RANKED = [NATIONAL_FEATURES.index(name) for name in RANKED_FEATURES]


def _rank_features(scores: FloatMatrix) -> FloatMatrix:
    """``-log(1 + rank)`` of each candidate (row) by each score (column), best rank 0; tied
    candidates share a rank (``lexical_preferred`` is 0 for most of them)."""
    result: FloatMatrix = -np.log1p(ranks_within_rows(scores.T).T)
    return result


def _label_weights(catalogue: LabelCatalogue, alt_weight: float) -> FloatMatrix:
    alt = np.fromiter((t == LabelType.ALT for t in catalogue.types), bool, len(catalogue))
    return np.where(alt, np.float32(alt_weight), np.float32(1.0)).astype(np.float32)
