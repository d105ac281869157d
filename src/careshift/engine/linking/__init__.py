"""Text to taxonomy: lexical + dense retrieval over labels, fusion, hierarchy, calibration, spans.

Pure numpy/scipy; the embedding model is passed in as a function (see ``dense.Encode``).
"""

from careshift.engine.linking.catalogue import LabelCatalogue, concept_max
from careshift.engine.linking.dense import DenseIndex, Encode, dense_label_rows, with_descriptions
from careshift.engine.linking.documents import link_documents
from careshift.engine.linking.hierarchy import Hierarchy, drop_relatives
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.linker import Index, LinkParameters, Match
from careshift.engine.linking.scoring import (
    MIN_SUPPORT,
    Calibration,
    Fusion,
    support_threshold,
    top_k,
)
from careshift.engine.linking.spans import (
    Piece,
    WordRuns,
    clauses,
    passages,
    sentence_clauses,
    word_runs,
)
from careshift.engine.linking.titles import link_titles

__all__ = [
    "MIN_SUPPORT",
    "Calibration",
    "CharGramIndex",
    "DenseIndex",
    "Encode",
    "Fusion",
    "Hierarchy",
    "Index",
    "LabelCatalogue",
    "LinkParameters",
    "Match",
    "Piece",
    "WordRuns",
    "clauses",
    "concept_max",
    "dense_label_rows",
    "drop_relatives",
    "link_documents",
    "link_titles",
    "passages",
    "sentence_clauses",
    "support_threshold",
    "top_k",
    "with_descriptions",
    "word_runs",
]
