"""What the title features know about labels and concepts besides their scores.

Computed once per index (``Index.traits``) or per second model (``SecondView.of``), never per
query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.engine.linking.catalogue import LabelCatalogue
from careshift.engine.linking.dense import DenseIndex, Encode
from careshift.engine.linking.hierarchy import Hierarchy

__all__ = ["ConceptTraits", "SecondView"]

FloatMatrix = npt.NDArray[np.float32]


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
