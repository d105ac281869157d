"""What both linkers share: their tuned parameters, the index they read, what they return.

Both linkers (``titles``, ``documents``) take query embeddings from the caller (the engine never
loads a model) and combine three kinds of evidence: lexical (character n-grams over every label
in every language), dense (embeddings; a Norwegian query meets English labels here) and the
hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from careshift.engine.linking.catalogue import LabelCatalogue
from careshift.engine.linking.dense import DenseIndex
from careshift.engine.linking.hierarchy import Hierarchy
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.rerank import Reranker
from careshift.engine.linking.scoring import Calibration, Fusion
from careshift.engine.linking.traits import ConceptTraits

__all__ = ["Index", "LinkParameters", "Match"]


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
class Match:
    """One linked concept: catalogue row, calibrated score in [0, 1], supporting spans."""

    concept: int
    score: float
    spans: tuple[tuple[int, int], ...] = ()
