"""Rank concepts for texts: occupations for titles, skills (with spans) for documents.

Both linkers take query embeddings from the caller (the engine never loads a model) and combine
three kinds of evidence: lexical (character n-grams over every label in every language), dense
(embeddings; a Norwegian query meets English labels here) and the hierarchy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.engine.linking.catalogue import LabelCatalogue, concept_max
from careshift.engine.linking.dense import DenseIndex, with_centroid
from careshift.engine.linking.hierarchy import Hierarchy, drop_relatives
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.ranges import run_starts
from careshift.engine.linking.rerank import (
    NATIONAL_FEATURES,
    RANKED_FEATURES,
    TITLE_FEATURES,
    Reranker,
    rerank_order,
)
from careshift.engine.linking.scoring import Calibration, Fusion, top_k
from careshift.engine.linking.spans import (
    Piece,
    clauses,
    passages,
    sentence_clauses,
    word_runs,
)

__all__ = [
    "ConceptTraits",
    "Encode",
    "Index",
    "LinkParameters",
    "Match",
    "SecondView",
    "link_documents",
    "link_titles",
    "title_candidates",
]

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
    #: share of a concept's description vector added to its label vectors when the index is
    #: built (see ``dense.with_descriptions``); 0 embeds no descriptions
    description_weight: float = 0.0
    #: titles: the learned second stage re-ordering the first stage's best candidates
    reranker: Reranker | None = None
    #: documents of two or more passages: each clause (of 2+ words) of a passage that has
    #: several is embedded too, beside it (``spans.sentence_clauses``)
    read_clauses: bool = False
    #: documents of two or more passages: concepts are ordered by their best over the passages
    #: of (fused score - ``passage_rank_step`` x their rank within that passage), so each part
    #: of a document gets its own best concepts listed (0: by the fused score alone)
    passage_rank_step: float = 0.0
    #: documents: each clause's best ``lexical_candidates`` concepts by lexical cosine over all
    #: labels join the embedding's shortlist (0: the embedding's alone)
    lexical_candidates: int = 0

    def __post_init__(self) -> None:
        for name in ("centroid_weight", "description_weight", "passage_rank_step"):
            if not getattr(self, name) >= 0:  # NaN too
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")


@dataclass(frozen=True)
class Index:
    """Everything needed to rank one family of concepts."""

    catalogue: LabelCatalogue
    lexical: CharGramIndex
    dense: DenseIndex
    hierarchy: Hierarchy

    @cached_property
    def traits(self) -> ConceptTraits:
        """Per-label and per-concept facts the title features read; computed once."""
        return ConceptTraits.of(self.catalogue, self.hierarchy, self.dense)


@dataclass(frozen=True)
class SecondView:
    """A second embedding model's vectors for some labels of the same catalogue, with its query
    encoder. English titles get one: an English model trained on a billion sentence pairs
    knows vacancy wording the multilingual model misses, and the two err on different titles."""

    dense: DenseIndex
    encode: Encode
    #: per concept, the model's cosine between the preferred label of an occupation directly
    #: under an ISCO group and that group's (0 for anything else, including the 1,248 ESCO
    #: occupations under another occupation, which ``narrower_occupation`` marks; the weights
    #: were fitted so): an occupation named like its group is a common one
    #: ("sales assistant" under "shop sales assistants"), a rare specialist is not
    prototypicality: FloatMatrix

    @classmethod
    def of(
        cls, catalogue: LabelCatalogue, hierarchy: Hierarchy, dense: DenseIndex, encode: Encode
    ) -> SecondView:
        if dense.label_rows is None or dense.starts.size != len(catalogue.uris):
            raise ValueError("the second view must cover the catalogue, label by label")
        vectors = np.asarray(dense.vectors)
        preferred = np.fromiter(
            (catalogue.types[row] == LabelType.PREFERRED for row in dense.label_rows),
            bool,
            dense.label_rows.size,
        )
        # each concept's first embedded preferred label, if it has one
        at = np.flatnonzero(preferred)
        owner = catalogue.label_concept[dense.label_rows[at]]
        named = dict(zip(owner[::-1].tolist(), at[::-1].tolist(), strict=True))
        kinds = catalogue.kinds
        prototypicality = np.zeros(len(kinds), np.float32)
        for child, parents in hierarchy.parents.items():
            groups = [p for p in parents if kinds[p] == ConceptKind.ISCO_GROUP and p in named]
            if kinds[child] == ConceptKind.OCCUPATION and child in named and groups:
                cosines = vectors[[named[g] for g in groups]] @ vectors[named[child]]
                prototypicality[child] = float(cosines.max())
        return cls(dense, encode, prototypicality)


@dataclass(frozen=True)
class ConceptTraits:
    """What the title features need to know about labels and concepts besides their scores."""

    label_langs: npt.NDArray[np.str_]
    #: the language of each label vector of the dense index
    vector_langs: npt.NDArray[np.str_]
    preferred: npt.NDArray[np.bool_]
    #: 1.0 for an ISCO group some occupation or local role hangs from directly
    unit_group: FloatMatrix
    #: 1.0 for any other ISCO group
    broader_group: FloatMatrix
    #: 1.0 for an ESCO occupation under another one: a specialisation
    narrower_occupation: FloatMatrix
    #: how many ESCO occupations sit directly under each concept
    narrower_count: npt.NDArray[np.int64]
    #: one column per ISCO-08 major group (0-9), 1.0 in the concept's own (a local role
    #: without a code reads its parent's); a row of zeros when there is none
    isco_major: FloatMatrix

    @classmethod
    def of(
        cls, catalogue: LabelCatalogue, hierarchy: Hierarchy, dense: DenseIndex
    ) -> ConceptTraits:
        if dense.label_rows is None:
            raise ValueError("title features need a dense index built with DenseIndex.for_rows")
        kinds = catalogue.kinds
        group = np.fromiter((k == ConceptKind.ISCO_GROUP for k in kinds), bool, len(kinds))
        unit = np.zeros(len(kinds), bool)
        narrower = np.zeros(len(kinds), bool)
        count = np.zeros(len(kinds), np.int64)
        for child, parents in hierarchy.parents.items():
            if kinds[child] in (ConceptKind.OCCUPATION, ConceptKind.ROLE):
                unit[[p for p in parents if group[p]]] = True
            # ESCO's own specialisations only: the weights were fitted without local roles,
            # and a hospital's roles under an occupation must not make it look split up
            if kinds[child] == ConceptKind.OCCUPATION:
                above = [p for p in parents if kinds[p] == ConceptKind.OCCUPATION]
                narrower[child] = bool(above)
                count[above] += 1
        langs = np.asarray(catalogue.langs, dtype=np.str_)
        major = np.asarray(
            [int(c[0]) if c[:1].isdigit() else -1 for c in catalogue.isco_codes], dtype=np.int64
        )
        # a role under a role under a group: repeat until nothing more is learnt
        changed = True
        while changed:
            changed = False
            for child, parents in hierarchy.parents.items():
                known = [major[p] for p in sorted(parents) if major[p] >= 0]
                if major[child] < 0 and known:
                    major[child], changed = known[0], True
        coded = np.flatnonzero(major >= 0)
        isco_major = np.zeros((len(kinds), 10), np.float32)
        isco_major[coded, major[coded]] = 1.0
        return cls(
            label_langs=langs,
            vector_langs=langs[dense.label_rows],
            preferred=np.fromiter(
                (t == LabelType.PREFERRED for t in catalogue.types), bool, len(catalogue)
            ),
            unit_group=unit.astype(np.float32),
            broader_group=(group & ~unit).astype(np.float32),
            narrower_occupation=narrower.astype(np.float32),
            narrower_count=count,
            isco_major=isco_major,
        )


@dataclass(frozen=True)
class Match:
    """One linked concept: catalogue row, calibrated score in [0, 1], supporting spans."""

    concept: int
    score: float
    spans: tuple[tuple[int, int], ...] = ()


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
    """``-log(1 + rank)`` of each candidate (row) by each score (column), best rank 0;
    ties keep the first stage's order."""
    ranks = np.empty_like(scores)
    positions = np.arange(scores.shape[0], dtype=np.float32)
    for column in range(scores.shape[1]):
        ranks[np.argsort(-scores[:, column], kind="stable"), column] = positions
    result: FloatMatrix = -np.log1p(ranks)
    return result


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

    A document of several passages lists each passage's best concepts first
    (``params.passage_rank_step``) while each score stays the calibrated evidence, so its
    scores need not descend; a single passage's do.

    ``distinct`` drops a concept that is the direct parent of one ranked before it (a
    shorter, less redundant list; it cost 0.03 RP@5 on the dev sets, whose gold often
    holds both).
    """
    # Nothing to link to (no taxonomy imported yet): every text links to nothing.
    linkable = top > 0 and bool(index.catalogue.uris)
    sentences = [passages(text) if linkable else [] for text in texts]
    read = [_embedded(document, params) for document in sentences]
    # One encode call for every passage of every document: the model batches far better.
    flat = [p.text for document in read for p in document]
    vectors = encode(flat) if flat else np.zeros((0, 1), np.float32)
    results: list[list[Match]] = []
    first = 0
    dense = np.zeros((0, len(index.catalogue.uris)), np.float32)
    dense_first = 0
    for document, document_sentences in zip(read, sentences, strict=True):
        if first + len(document) > dense_first + len(dense):
            # Scoring many passages in one product reads the label matrix once for all of
            # them instead of once per document (it is ~20 MB; per document that dominated).
            dense_first = first
            dense = index.dense.scores(vectors[first : first + max(len(document), _DENSE_ROWS)])
        chunk = dense[first - dense_first : first - dense_first + len(document)]
        first += len(document)
        found = (
            _link_document(index, document_sentences, document, chunk, params, top, distinct)
            if document
            else []
        )
        results.append(found)
    return results


#: passages scored against every label in one matrix product. 256 x ~14k skill vectors is a
#: ~14 MB transient, which the allocator keeps and reuses; 1,024 rows (~57 MB, above glibc's
#: mmap threshold) were mapped fresh from the OS, and their page faults made the first pass
#: over 120 documents ~20 % slower (static model: 262-271 -> 302-326 documents/s; later
#: passes equal)
_DENSE_ROWS = 256


def _embedded(sentences: list[Piece], params: LinkParameters) -> list[Piece]:
    """What the model reads of a document: its sentences, and their clauses when asked."""
    if not params.read_clauses or len(sentences) < 2:
        return sentences
    return [*sentences, *sentence_clauses(sentences)]


def _link_document(
    index: Index,
    sentences: list[Piece],
    pieces: list[Piece],
    dense_all: FloatMatrix,
    params: LinkParameters,
    top: int,
    distinct: bool,
) -> list[Match]:
    """``pieces``: what was embedded (the sentences, maybe clauses too); ``dense_all``: each
    piece's best cosine per concept, ``(len(pieces), n_concepts)``."""
    dense = dense_all.max(axis=0)
    # Lexical evidence re-scores the concepts the embedding shortlisted: matching every word
    # window against all ~125k skill labels costs seconds per document, the shortlist
    # milliseconds.
    shortlist = top_k(dense, params.shortlist)
    # the clauses of every sentence, in the document's offsets (windows never cross them)
    parts = [clause.shifted(s.start) for s in sentences for clause in clauses(s.text)]
    if params.lexical_candidates > 0:
        shortlist = np.union1d(
            shortlist, _lexical_candidates(index, parts, params.lexical_candidates)
        )
    runs = word_runs(parts, max_words=params.window_words)
    # A run that starts or ends with a word the index does not know ("to", "of", "the") scores
    # exactly as the shorter run without it, which is a run too: leave it out (about 3 runs in
    # 10 of an English document), so a span never begins or ends with such a word.
    runs = runs.bounded_by(index.lexical.known(runs.words))
    rows, offsets = index.catalogue.rows_of(shortlist)
    queries = index.lexical.transform_runs(runs.words, runs.first, runs.last)
    label_best, label_run = index.lexical.best(queries, rows)
    lexical = np.zeros_like(dense)
    run_of: dict[int, int] = {}
    if label_best.size:
        best_of_concept = np.maximum.reduceat(label_best, offsets)
        lexical[shortlist] = best_of_concept
        # each concept's first label reaching its best, and the run that label matched best
        owner = np.repeat(np.arange(shortlist.size), index.catalogue.label_counts[shortlist])
        at_best = np.flatnonzero(label_best == best_of_concept[owner])
        # ``owner`` ascends: each concept's first label at its best starts its run
        owners = owner[at_best]
        first_label = run_starts(owners)
        run_of = dict(
            zip(
                shortlist[owners[first_label]].tolist(),
                label_run[at_best[first_label]].tolist(),
                strict=True,
            )
        )
    fused = params.fusion(dense[None, :], lexical[None, :])[0]
    order, listed_by = fused, dict[int, int]()
    if params.passage_rank_step > 0 and len(pieces) > 1:
        order, listed_by = _by_passage(fused, dense_all, lexical, shortlist, params)
    ranked = top_k(order, top * 3 if distinct else top).tolist()
    if distinct:
        ranked = drop_relatives(ranked, index.hierarchy.parents)[:top]
    # The score is the evidence's (calibrated fused score), whatever the order: a threshold
    # keeps what the text supports, not what came first in its passage.
    scores = params.calibration(fused[ranked]) if ranked else np.zeros(0, np.float32)
    matches = []
    for concept, score in zip(ranked, scores, strict=True):
        # The lexical window is the tighter evidence when it is a good match; otherwise the
        # passage that listed the concept (or the one the embedding liked best).
        if lexical[concept] >= 0.5 and concept in run_of:
            span = runs.span(run_of[concept])
        else:
            piece = pieces[listed_by.get(concept, int(dense_all[:, concept].argmax()))]
            span = (piece.start, piece.end)
        matches.append(Match(int(concept), float(score), (span,)))
    return matches


def _by_passage(
    fused: FloatMatrix,
    dense_all: FloatMatrix,
    lexical: FloatMatrix,
    shortlist: npt.NDArray[np.int64],
    params: LinkParameters,
) -> tuple[FloatMatrix, dict[int, int]]:
    """The order key of each concept: its best over the passages of (fused score - step x its
    rank within that passage), and for each shortlisted concept the passage giving it.

    Ranked within the shortlist (on the CV paragraphs the same top 10 as ranking all ~14k
    skills, MRR within 0.002); the rest sink below it (their fused score is at most a
    shortlisted concept's best passage's, and they take the last rank everywhere). The lexical
    evidence is the document's: each passage's dense view ranks with it.
    """
    step = np.float32(params.passage_rank_step)
    per_piece = params.fusion(dense_all[:, shortlist], lexical[shortlist][None, :])
    adjusted = per_piece - step * _ranks_within_rows(per_piece)
    order: FloatMatrix = (fused - step * np.float32(shortlist.size)).astype(np.float32)
    order[shortlist] = adjusted.max(axis=0)
    listed_by = dict(zip(shortlist.tolist(), adjusted.argmax(axis=0).tolist(), strict=True))
    return order, listed_by


def _lexical_candidates(index: Index, parts: list[Piece], count: int) -> npt.NDArray[np.int64]:
    """Each clause's best ``count`` concepts by lexical cosine with any of their labels: a
    skill the embedding misreads ("journalföring" as journalism) can still be re-scored."""
    if not parts:
        return np.zeros(0, np.int64)
    found = index.lexical.scores([part.text for part in parts]).tocoo()
    best = np.zeros((len(parts), len(index.catalogue.uris)), np.float32)
    owner = index.catalogue.label_concept[found.col]
    np.maximum.at(best, (found.row, owner), found.data.astype(np.float32))
    return np.unique(np.concatenate([top_k(row, count) for row in best]))


def _ranks_within_rows(scores: FloatMatrix) -> FloatMatrix:
    """Per row, how many of the row's entries score higher (ties share a rank; 0 for the
    best)."""
    ranks = np.empty(scores.shape, np.float32)
    for row, values in enumerate(scores):
        ranks[row] = np.searchsorted(np.sort(-values), -values, side="left")
    return ranks
