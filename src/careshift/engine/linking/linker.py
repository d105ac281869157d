"""Rank concepts for texts: occupations for titles, skills (with spans) for documents.

Both linkers take query embeddings from the caller (the engine never loads a model) and combine
three kinds of evidence: lexical (character n-grams over every label in every language), dense
(embeddings; a Norwegian query meets English labels here) and the hierarchy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import LabelType
from careshift.engine.linking.catalogue import LabelCatalogue, concept_max
from careshift.engine.linking.dense import DenseIndex
from careshift.engine.linking.hierarchy import Hierarchy, drop_relatives
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.ranges import concat_ranges
from careshift.engine.linking.scoring import Calibration, Fusion, top_k
from careshift.engine.linking.spans import Piece, clauses, passages, word_runs

__all__ = ["Encode", "Index", "LinkParameters", "Match", "link_documents", "link_titles"]

FloatMatrix = npt.NDArray[np.float32]
#: texts -> unit query embeddings ``(n, dim)``
Encode = Callable[[Sequence[str]], FloatMatrix]


@dataclass(frozen=True)
class LinkParameters:
    """The few numbers tuned on the development sets (see benchmarks/link_*.py)."""

    fusion: Fusion
    calibration: Calibration
    #: share of a member occupation's score an ISCO group inherits
    group_decay: float = 0.97
    #: how many words a lexical window spans in documents
    window_words: int = 4
    #: how many concepts the embedding shortlists for lexical re-scoring in documents
    shortlist: int = 300
    #: weight of the cosine with a concept's mean label vector (titles; see DenseIndex.scores)
    centroid_weight: float = 0.0
    #: lexical score factor for alternative labels, so a preferred label wins a tie (titles)
    alt_label_weight: float = 1.0


@dataclass(frozen=True)
class Index:
    """Everything needed to rank one family of concepts."""

    catalogue: LabelCatalogue
    lexical: CharGramIndex
    dense: DenseIndex
    hierarchy: Hierarchy


@dataclass(frozen=True)
class Match:
    """One linked concept: catalogue row, calibrated score in [0, 1], supporting spans."""

    concept: int
    score: float
    spans: tuple[tuple[int, int], ...] = ()


def link_titles(
    index: Index, texts: Sequence[str], encode: Encode, params: LinkParameters, top: int
) -> list[list[Match]]:
    """Best ``top`` concepts per short text (a job title or a one-line description)."""
    live = [i for i, t in enumerate(texts) if t.strip()]
    results: list[list[Match]] = [[] for _ in texts]
    if not live or top <= 0 or not index.catalogue.uris:
        return results
    # Chunks bound the transient (n_queries, n_labels) lexical matrix (~200 KB per query).
    for first in range(0, len(live), _TITLE_CHUNK):
        chunk = live[first : first + _TITLE_CHUNK]
        ranked = _rank_titles(index, texts, chunk, encode, params, top)
        for position, matches in zip(chunk, ranked, strict=True):
            results[position] = matches
    return results


_TITLE_CHUNK = 256


def _rank_titles(
    index: Index,
    texts: Sequence[str],
    live: list[int],
    encode: Encode,
    params: LinkParameters,
    top: int,
) -> list[list[Match]]:
    queries = [texts[i] for i in live]
    dense = index.dense.scores(encode(queries), params.centroid_weight)
    label_lexical = index.lexical.scores(queries).toarray()
    if params.alt_label_weight != 1.0:
        label_lexical *= _label_weights(index.catalogue, params.alt_label_weight)
    lexical = concept_max(label_lexical, index.catalogue.starts)
    fused = index.hierarchy.lift(params.fusion(dense, lexical), params.group_decay)
    ranked = []
    for row, position in enumerate(live):
        best = top_k(fused[row], top)
        scores = params.calibration(fused[row, best])
        text = texts[position]
        span = ((len(text) - len(text.lstrip()), len(text.rstrip())),)
        ranked.append([Match(int(c), float(s), span) for c, s in zip(best, scores, strict=True)])
    return ranked


def _label_weights(catalogue: LabelCatalogue, alt_weight: float) -> FloatMatrix:
    alt = np.fromiter((t == LabelType.ALT for t in catalogue.types), bool, len(catalogue))
    return np.where(alt, np.float32(alt_weight), np.float32(1.0)).astype(np.float32)


def link_documents(
    index: Index,
    texts: Sequence[str],
    encode: Encode,
    params: LinkParameters,
    top: int,
    *,
    distinct: bool = False,
) -> list[list[Match]]:
    """Best ``top`` concepts per document, each with the character spans that support it.

    ``distinct`` drops a concept that is the direct parent of one ranked before it (a
    shorter, less redundant list; it cost 0.03 RP@5 on the dev sets, whose gold often
    holds both).
    """
    # Nothing to link to (no taxonomy imported yet): every text links to nothing.
    linkable = top > 0 and bool(index.catalogue.uris)
    read = [passages(text) if linkable else [] for text in texts]
    # One encode call for every passage of every document: the model batches far better.
    flat = [p.text for document in read for p in document]
    vectors = encode(flat) if flat else np.zeros((0, 1), np.float32)
    results: list[list[Match]] = []
    first = 0
    dense = np.zeros((0, len(index.catalogue.uris)), np.float32)
    dense_first = 0
    for document in read:
        if first + len(document) > dense_first + len(dense):
            # Scoring many passages in one product reads the label matrix once for all of
            # them instead of once per document (it is ~20 MB; per document that dominated).
            dense_first = first
            dense = index.dense.scores(vectors[first : first + max(len(document), _DENSE_ROWS)])
        chunk = dense[first - dense_first : first - dense_first + len(document)]
        first += len(document)
        found = _link_document(index, document, chunk, params, top, distinct) if document else []
        results.append(found)
    return results


#: passages scored against every label in one matrix product (bounds a ~60 MB transient)
_DENSE_ROWS = 1024


def _link_document(
    index: Index,
    pieces: list[Piece],
    dense_all: FloatMatrix,
    params: LinkParameters,
    top: int,
    distinct: bool,
) -> list[Match]:
    """``dense_all``: each piece's best cosine per concept, ``(len(pieces), n_concepts)``."""
    dense = dense_all.max(axis=0)
    # Lexical evidence re-scores the concepts the embedding shortlisted: matching every word
    # window against all ~125k skill labels costs seconds per document, the shortlist
    # milliseconds.
    shortlist = top_k(dense, params.shortlist)
    runs = word_runs(
        (_within(passage, clause) for passage in pieces for clause in clauses(passage.text)),
        max_words=params.window_words,
    )
    # A run that starts or ends with a word the index does not know ("to", "of", "the") scores
    # exactly as the shorter run without it, which is a run too: leave it out (about 3 runs in
    # 10 of an English document), so a span never begins or ends with such a word.
    runs = runs.bounded_by(index.lexical.known(runs.words))
    catalogue = index.catalogue
    ends = np.r_[catalogue.starts[1:], len(catalogue)]
    sizes = ends[shortlist] - catalogue.starts[shortlist]
    rows = concat_ranges(catalogue.starts[shortlist], sizes)
    queries = index.lexical.transform_runs(runs.words, runs.first, runs.last)
    label_best, label_run = index.lexical.best(queries, rows)
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    lexical = np.zeros_like(dense)
    run_of: dict[int, int] = {}
    if label_best.size:
        best_of_concept = np.maximum.reduceat(label_best, offsets)
        lexical[shortlist] = best_of_concept
        # each concept's first label reaching its best, and the run that label matched best
        owner = np.repeat(np.arange(shortlist.size), sizes)
        at_best = np.flatnonzero(label_best == best_of_concept[owner])
        concepts, first_label = np.unique(owner[at_best], return_index=True)
        run_of = dict(
            zip(
                shortlist[concepts].tolist(),
                label_run[at_best[first_label]].tolist(),
                strict=True,
            )
        )
    fused = params.fusion(dense[None, :], lexical[None, :])[0]
    ranked = top_k(fused, top * 3 if distinct else top).tolist()
    if distinct:
        ranked = drop_relatives(ranked, index.hierarchy.parents)[:top]
    scores = params.calibration(fused[ranked]) if ranked else np.zeros(0, np.float32)
    matches = []
    for concept, score in zip(ranked, scores, strict=True):
        # The lexical window is the tighter evidence when it is a good match; otherwise the
        # clause the embedding liked best.
        if lexical[concept] >= 0.5 and concept in run_of:
            span = runs.span(run_of[concept])
        else:
            piece = pieces[int(dense_all[:, concept].argmax())]
            span = (piece.start, piece.end)
        matches.append(Match(int(concept), float(score), (span,)))
    return matches


def _within(passage: Piece, clause: Piece) -> Piece:
    """``clause`` (offsets into ``passage.text``) with offsets into the document."""
    return Piece(clause.text, passage.start + clause.start, passage.start + clause.end)
