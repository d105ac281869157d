"""Dense retrieval: cosine between query embeddings and precomputed label embeddings.

Which labels get an embedding is a cost choice (see :func:`dense_label_rows`); every concept
keeps at least one, so concept scores stay defined for all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import LabelType
from careshift.engine.linking.catalogue import LabelCatalogue, concept_max

__all__ = ["DenseIndex", "dense_label_rows"]

FloatMatrix = npt.NDArray[np.float32]


def dense_label_rows(
    catalogue: LabelCatalogue, include: Callable[[str, LabelType], bool]
) -> npt.NDArray[np.int64]:
    """Label rows to embed: those ``include(lang, label_type)`` accepts, and the concept's first
    label when it has none. Sorted, hence grouped by concept."""
    rows: list[int] = []
    bounds = [*catalogue.starts.tolist(), len(catalogue)]
    for first, end in itertools.pairwise(bounds):
        chosen = [i for i in range(first, end) if include(catalogue.langs[i], catalogue.types[i])]
        rows.extend(chosen or [first])
    return np.asarray(rows, dtype=np.int64)


@dataclass(frozen=True)
class DenseIndex:
    """Label vectors ``(n_rows, dim)`` (unit length, may be memory-mapped) for ``rows`` of a
    catalogue; ``starts`` are the first vector of each concept."""

    vectors: FloatMatrix
    starts: npt.NDArray[np.int64]

    @classmethod
    def for_rows(
        cls, catalogue: LabelCatalogue, rows: npt.NDArray[np.int64], vectors: FloatMatrix
    ) -> DenseIndex:
        if vectors.shape[0] != rows.size:
            raise ValueError(f"{rows.size} label rows but {vectors.shape[0]} vectors")
        owners = catalogue.label_concept[rows]
        starts = np.flatnonzero(np.r_[True, np.diff(owners) != 0]).astype(np.int64)
        if starts.size != len(catalogue.uris):
            raise ValueError("every concept needs at least one embedded label")
        return cls(vectors=vectors, starts=starts)

    def label_scores(self, queries: FloatMatrix) -> FloatMatrix:
        """Cosine of each query with each embedded label, ``(n_queries, n_rows)``."""
        result: FloatMatrix = np.asarray(queries, dtype=np.float32) @ np.asarray(self.vectors).T
        return result

    def scores(self, queries: FloatMatrix) -> FloatMatrix:
        """Best cosine per concept, ``(n_queries, n_concepts)``."""
        return concept_max(self.label_scores(queries), self.starts)
