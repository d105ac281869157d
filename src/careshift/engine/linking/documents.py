"""Skills (or occupations) for documents: a CV, a job ad, a course description.

Each passage is embedded; lexical windows over the words re-score the concepts the embedding
shortlisted, and each match keeps the character span that supports it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from careshift.engine.linking.dense import Encode
from careshift.engine.linking.hierarchy import drop_relatives
from careshift.engine.linking.linker import Index, LinkParameters, Match
from careshift.engine.linking.ranges import run_starts
from careshift.engine.linking.scoring import ranks_within_rows, top_k
from careshift.engine.linking.spans import Piece, clauses, passages, sentence_clauses, word_runs

__all__ = ["link_documents"]

FloatMatrix = npt.NDArray[np.float32]


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
    adjusted = per_piece - step * ranks_within_rows(per_piece)
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
