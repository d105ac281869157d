"""Flatten the taxonomy into label rows that retrieval scores, and fold label scores to concepts.

Labels are stored grouped by concept (contiguous rows), so "best label of each concept" is one
``np.maximum.reduceat`` instead of a Python loop over 150k labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import Concept, ConceptKind, LabelType
from careshift.engine.linking.ranges import concat_ranges

__all__ = ["LabelCatalogue", "borrow_exact_labels", "concept_max"]

FloatMatrix = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LabelCatalogue:
    """Concepts of some kinds and all of their labels, concept-major.

    ``label_concept[i]`` is the concept row of label ``i``; ``starts[c]`` the first label row of
    concept ``c`` (every concept has at least one label).
    """

    uris: tuple[str, ...]
    kinds: tuple[ConceptKind, ...]
    texts: tuple[str, ...]
    langs: tuple[str, ...]
    types: tuple[LabelType, ...]
    label_concept: npt.NDArray[np.int32]
    starts: npt.NDArray[np.int64]
    #: each concept's ISCO-08 code ("" when it has none): its own group, or an occupation's
    isco_codes: tuple[str, ...]

    @classmethod
    def from_concepts(
        cls, concepts: Iterable[Concept], langs: tuple[str, ...] = ("en", "nb", "sv")
    ) -> LabelCatalogue:
        uris: list[str] = []
        kinds: list[ConceptKind] = []
        texts: list[str] = []
        label_langs: list[str] = []
        types: list[LabelType] = []
        isco_codes: list[str] = []
        owner: list[int] = []
        starts: list[int] = []
        for concept in sorted(concepts, key=lambda c: c.uri):
            rows = [
                (text.strip(), lang, label_type)
                for lang in langs
                for text, label_type in concept.all_labels(lang)
                if text.strip()
            ]
            if not rows:
                continue
            starts.append(len(texts))
            for text, lang, label_type in dict.fromkeys(rows):
                texts.append(text)
                label_langs.append(lang)
                types.append(label_type)
                owner.append(len(uris))
            uris.append(concept.uri)
            kinds.append(concept.kind)
            isco_codes.append(concept.isco_code or "")
        return cls(
            uris=tuple(uris),
            kinds=tuple(kinds),
            texts=tuple(texts),
            langs=tuple(label_langs),
            types=tuple(types),
            label_concept=np.asarray(owner, dtype=np.int32),
            starts=np.asarray(starts, dtype=np.int64),
            isco_codes=tuple(isco_codes),
        )

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def label_counts(self) -> IntArray:
        """How many labels each concept has; computed once."""
        counts: IntArray = np.diff(np.r_[self.starts, len(self)]).astype(np.int64)
        return counts

    def rows_of(self, concepts: IntArray) -> tuple[IntArray, IntArray]:
        """The label rows of ``concepts``, concatenated in their order, and where each
        concept's rows begin among them (the offsets ``np.maximum.reduceat`` folds by)."""
        sizes = self.label_counts[concepts]
        offsets: IntArray = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
        return concat_ranges(self.starts[concepts], sizes), offsets

    def index_of(self) -> dict[str, int]:
        return {uri: row for row, uri in enumerate(self.uris)}


def concept_max(label_scores: FloatMatrix, starts: npt.NDArray[np.int64]) -> FloatMatrix:
    """Best label score per concept: ``(n_queries, n_labels) -> (n_queries, n_concepts)``."""
    if label_scores.shape[1] == 0 or starts.size == 0:
        return np.zeros((label_scores.shape[0], starts.size), dtype=np.float32)
    if starts.size == label_scores.shape[1]:  # one label per concept (skills): nothing to take
        return label_scores
    result: FloatMatrix = np.maximum.reduceat(label_scores, starts, axis=1)
    return result


def borrow_exact_labels(
    concepts: Iterable[Concept], links: Iterable[tuple[str, str, str]]
) -> list[Concept]:
    """``concepts``, each one that a local concept among them matches exactly (a
    ``(local, target, "exact")`` link) also carrying that concept's labels, as alternative
    labels (hidden ones stay hidden).

    A framework's curated Norwegian and Swedish wording ("journalhantering") then reaches the
    ESCO skill it names, which has no Norwegian label and Swedish ones a CV rarely uses.
    """
    concepts = list(concepts)
    by_uri = {concept.uri: concept for concept in concepts}
    borrowed: dict[str, list[Concept]] = {}
    for local, target, match in links:
        if match == "exact" and local in by_uri and target in by_uri and local != target:
            borrowed.setdefault(target, []).append(by_uri[local])
    return [
        _with_labels_of(concept, borrowed[concept.uri]) if concept.uri in borrowed else concept
        for concept in concepts
    ]


def _with_labels_of(concept: Concept, lenders: list[Concept]) -> Concept:
    labels = {lang: dict(by_type) for lang, by_type in concept.labels.items()}
    for lender in lenders:
        for lang, by_type in lender.labels.items():
            for label_type, texts in by_type.items():
                kind = LabelType.HIDDEN if label_type == LabelType.HIDDEN else LabelType.ALT
                own = labels.setdefault(lang, {})
                own[kind] = tuple(dict.fromkeys((*own.get(kind, ()), *texts)))
    return replace(concept, labels=labels)
