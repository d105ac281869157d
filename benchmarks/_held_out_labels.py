"""Titles in a language without a dev set, read off ESCO's own labels (a proxy, not MELO).

Norwegian titles have no dev set here. ESCO's Norwegian alternative labels stand in: one
alternative label of each of up to 1,000 occupations (seeded) is taken out of the index (its
lexical and dense rows alike, with any label of the occupation that reads the same) and
linked as a title in that language, so the occupation must be found through its other
labels, in that language and the others. Run for Swedish too, where the MELO dev titles say
how far such a proxy lies from titles as a national classification writes them; and with
every Norwegian label of the occupation left out (``every_label``), as for the occupations
ESCO's Norwegian tables lack.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from benchmarks._linking import ranking_metrics
from careshift import Careshift
from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.engine.label_text import normalise
from careshift.engine.linking import parameters
from careshift.engine.linking.dense import DenseIndex
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.linker import Index
from careshift.engine.linking.ranges import run_starts
from careshift.engine.linking.titles import link_titles
from careshift.services.linking import occupation_index, query_encoder


def held_out_label_titles(
    careshift: Careshift, lang: str, limit: int = 1_000, seed: int = 7, *, every_label: bool = False
) -> dict[str, float | int]:
    """MRR, R@5, R@10 of occupation labels in ``lang`` linked with themselves left out.

    One alternative label per occupation, or with ``every_label`` the preferred one while every
    label of the occupation in ``lang`` is left out (a concept the language has no word for).
    Whatever label of the same occupation reads the same after search's normalisation (the
    same word in another language, "kirurg"; another casing) goes too: it would find the
    occupation by itself.
    """
    index = occupation_index(careshift)
    held = _held_out(index, lang, limit, seed, every_label)
    reduced = without_labels(index, np.asarray(sorted({r for _, rows in held for r in rows})))
    catalogue = index.catalogue
    queries = [catalogue.texts[query] for query, _ in held]
    gold = [{catalogue.uris[catalogue.label_concept[query]]} for query, _ in held]
    tuned = parameters.occupations(lang, careshift.settings.embedding_model)
    if parameters.uses_second_view(tuned):
        # the reduced index would need its own second view (English titles); the proxy is for
        # the languages without a dev set, whose weights read none
        raise ValueError(f"the held-out-label proxy builds no second view, which {lang} reads")
    found = link_titles(reduced, queries, query_encoder(careshift), tuned, 100, lang=lang)
    ranked = [[reduced.catalogue.uris[m.concept] for m in matches] for matches in found]
    scored = ranking_metrics(ranked, gold)
    return {"n": len(held), **{k: scored[k] for k in ("mrr", "r@5", "r@10")}}


def _held_out(
    index: Index, lang: str, limit: int, seed: int, every_label: bool
) -> list[tuple[int, list[int]]]:
    """Per sampled occupation: the label row linked as a title and the rows left out."""
    catalogue = index.catalogue
    same = [normalise(text) for text in catalogue.texts]
    embedded = np.zeros(len(catalogue), bool)
    embedded[np.asarray(index.dense.label_rows)] = True
    rng = random.Random(seed)
    wanted = LabelType.PREFERRED if every_label else LabelType.ALT
    chosen: list[tuple[int, list[int]]] = []
    for concept, first in enumerate(catalogue.starts.tolist()):
        if catalogue.kinds[concept] != ConceptKind.OCCUPATION:
            continue
        rows = range(first, first + int(catalogue.label_counts[concept]))
        spoken = [r for r in rows if catalogue.langs[r] == lang]
        candidates = [r for r in spoken if catalogue.types[r] == wanted]
        if not candidates:
            continue
        query = candidates[0] if every_label else rng.choice(candidates)
        gone = {same[r] for r in (spoken if every_label else [query])}
        drop = [r for r in rows if same[r] in gone]  # every spoken row, with every_label
        if any(embedded[r] for r in rows if r not in drop):  # still findable by the model
            chosen.append((query, drop))
    return sorted(rng.sample(chosen, min(limit, len(chosen))))


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
        starts=starts,
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
