"""Titles in a language without a dev set, read off ESCO's own labels (a proxy, not MELO).

Norwegian titles have no dev set here. ESCO's Norwegian alternative labels stand in: one
alternative label of each of up to 1,000 occupations (seeded) is taken out of the index (its
lexical and dense rows alike) and linked as a title in that language, so the occupation must
be found through its other labels, in that language and the others. Run for Swedish too, where
the MELO dev titles say how far such a proxy lies from titles as a national classification
writes them.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from benchmarks._linking import ranking_metrics
from careshift import Careshift
from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.engine.linking import parameters
from careshift.engine.linking.dense import DenseIndex
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.linker import Index, link_titles
from careshift.engine.linking.ranges import run_starts
from careshift.services.linking import occupation_index, query_encoder


def held_out_label_titles(
    careshift: Careshift, lang: str, limit: int = 1_000, seed: int = 7
) -> dict[str, float | int]:
    """MRR, R@5, R@10 of alternative labels in ``lang`` linked with themselves left out."""
    index = occupation_index(careshift)
    rows = _one_alternative_label_each(index, lang, limit, seed)
    reduced = without_labels(index, rows)
    catalogue = index.catalogue
    queries = [catalogue.texts[r] for r in rows]
    gold = [{catalogue.uris[catalogue.label_concept[r]]} for r in rows]
    tuned = parameters.occupations(lang, careshift.settings.embedding_model)
    found = link_titles(reduced, queries, query_encoder(careshift), tuned, 100, lang=lang)
    ranked = [[reduced.catalogue.uris[m.concept] for m in matches] for matches in found]
    scored = ranking_metrics(ranked, gold)
    return {"n": len(rows), **{k: scored[k] for k in ("mrr", "r@5", "r@10")}}


def _one_alternative_label_each(
    index: Index, lang: str, limit: int, seed: int
) -> npt.NDArray[np.int64]:
    catalogue = index.catalogue
    by_occupation: dict[int, list[int]] = {}
    for row, (label_lang, label_type) in enumerate(
        zip(catalogue.langs, catalogue.types, strict=True)
    ):
        concept = int(catalogue.label_concept[row])
        if (
            label_lang == lang
            and label_type == LabelType.ALT
            and catalogue.kinds[concept] == ConceptKind.OCCUPATION
        ):
            by_occupation.setdefault(concept, []).append(row)
    rng = random.Random(seed)
    picked = [rng.choice(rows) for _, rows in sorted(by_occupation.items())]
    return np.asarray(sorted(rng.sample(picked, min(limit, len(picked)))), np.int64)


def without_labels(index: Index, rows: npt.NDArray[np.int64]) -> Index:
    """``index`` with the label ``rows`` gone from its catalogue, lexical and dense parts (the
    lexical part is refitted: the labels left decide the grams' weights)."""
    catalogue = index.catalogue
    keep = np.ones(len(catalogue), bool)
    keep[rows] = False
    owners = catalogue.label_concept[keep]
    starts = run_starts(owners)
    if starts.size != len(catalogue.uris):
        raise ValueError("every concept must keep at least one label")
    reduced = replace(
        catalogue,
        texts=tuple(t for t, k in zip(catalogue.texts, keep, strict=True) if k),
        langs=tuple(t for t, k in zip(catalogue.langs, keep, strict=True) if k),
        types=tuple(t for t, k in zip(catalogue.types, keep, strict=True) if k),
        label_concept=owners,
        starts=starts.astype(np.int64),
    )
    label_rows = index.dense.label_rows
    if label_rows is None:
        raise ValueError("the dense index must know its label rows")
    kept_vectors = keep[label_rows]
    new_row = np.cumsum(keep) - 1
    return Index(
        catalogue=reduced,
        lexical=CharGramIndex(max_df=index.lexical.max_df).fit(reduced.texts),
        dense=DenseIndex.for_rows(
            reduced,
            new_row[label_rows[kept_vectors]],
            np.asarray(index.dense.vectors)[kept_vectors],
        ),
        hierarchy=index.hierarchy,
    )
