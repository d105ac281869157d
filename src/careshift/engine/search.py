"""Multilingual label search: words, prefixes and typos to ranked concepts.

A :class:`LabelIndex` is fitted on label records ``(concept, kind, lang, label_type, text)``
and answers a query with each matching concept once, by its best-matching label. Ranking,
from strongest to weakest:

* tier ``exact``  (score 0.98-1.0): the whole label equals the query after normalisation;
* tier ``prefix`` (score 0.6-0.9): every query word is a label word or starts one;
* tier ``fuzzy``  (score 0-0.6): some query word matches only within one or two edits or
  inside a compound word ("sykepleier" in "anestesisykepleier"), or is missing from the label.

Inside a tier, preferred labels weigh more than alt labels, which weigh more than hidden
labels, and labels the query covers more of (and that start with it) come first. Ties are
broken by label type, then by concept number, so the ranking does not depend on the order the
labels were given in (``fit`` sorts them first).

The query runs in two stages: numpy computes a per-label match level for every query word over
the whole index (an inverted index on words, prefix ranges, trigram typo candidates), then at
most ``max_candidates`` best labels are scored exactly with rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from careshift.engine.label_text import normalise
from careshift.engine.token_index import TokenIndex

__all__ = ["LabelIndex", "LabelMatch", "LabelRecord"]

LABEL_TYPES: tuple[str, ...] = ("preferred", "alt", "hidden")
_TYPE_RANK = {label_type: rank for rank, label_type in enumerate(LABEL_TYPES)}
_TYPE_WEIGHT = np.array([1.0, 0.9, 0.8], dtype=np.float64)
# Per-word match levels; a label's coverage is the mean level over the query words.
# Kept as whole percentages in uint8 arrays: a query touches a few arrays as long as the
# index, and a quarter of the memory of float32 is most of the time a query takes.
_EXACT, _PREFIX, _INSIDE, _ONE_EDIT, _TWO_EDITS = 100, 85, 75, 70, 50
#: shortest query word looked up inside compound words
_MIN_INSIDE = 5


class LabelRecord(NamedTuple):
    """One label of one concept. ``concept`` is the caller's number for the concept."""

    concept: int
    kind: str
    lang: str
    label_type: str
    text: str


@dataclass(frozen=True)
class LabelMatch:
    concept: int
    #: in [0, 1]; see the module docstring for the tiers
    score: float
    #: the best-matching label of the concept
    text: str
    lang: str
    label_type: str
    #: "exact", "prefix" or "fuzzy"
    match: str
    #: True when the label is English because the concept has none in the asked language
    fallback: bool


def max_edits_for(word: str) -> int:
    """Typos tolerated in a query word: none in short words, where one edit is a new word."""
    if len(word) >= 8:
        return 2
    return 1 if len(word) >= 4 else 0


class LabelIndex:
    """Search index over concept labels in several languages.

    Parameters
    ----------
    max_candidates:
        Labels scored exactly per query (at least ten per requested result).
    fallback_lang:
        Language searched for concepts that have no label in the requested language.
    """

    def __init__(self, max_candidates: int = 300, fallback_lang: str = "en") -> None:
        self.max_candidates = max_candidates
        self.fallback_lang = fallback_lang

    def fit(self, labels: Iterable[LabelRecord]) -> LabelIndex:
        """Index ``labels`` (duplicates and labels without letters or digits are dropped)."""
        normalised = {r: normalise(r.text) for r in labels}
        unknown = {r.label_type for r in normalised} - set(LABEL_TYPES)
        if unknown:
            raise ValueError(f"label type {sorted(unknown)} is not one of {LABEL_TYPES}")
        # a canonical order makes every result independent of the order labels came in
        records = sorted(r for r, text in normalised.items() if text)
        self.texts_ = [r.text for r in records]
        self.normalised_ = [normalised[r] for r in records]
        self.kinds_ = sorted({r.kind for r in records})
        self.langs_ = sorted({r.lang for r in records})
        kind_code = {kind: i for i, kind in enumerate(self.kinds_)}
        lang_code = {lang: i for i, lang in enumerate(self.langs_)}
        self.concept_ = np.array([r.concept for r in records], dtype=np.int64)
        self.kind_ = np.array([kind_code[r.kind] for r in records], dtype=np.int16)
        self.lang_ = np.array([lang_code[r.lang] for r in records], dtype=np.int16)
        self.type_ = np.array([_TYPE_RANK[r.label_type] for r in records], dtype=np.int8)
        words = [text.split() for text in self.normalised_]
        self.words_ = np.fromiter((len(w) for w in words), dtype=np.int32, count=len(words))
        self.length_ = np.fromiter(
            (len(t) for t in self.normalised_), dtype=np.int32, count=len(words)
        )
        self.exact_: dict[str, list[int]] = {}
        for label_id, text in enumerate(self.normalised_):
            self.exact_.setdefault(text, []).append(label_id)
        self.tokens_ = TokenIndex().fit(words)
        self._allowed_cache: dict[tuple[str | None, str | None], npt.NDArray[np.bool_]] = {}
        return self

    @property
    def n_labels(self) -> int:
        return len(self.texts_)

    def search(
        self, text: str, *, kind: str | None = None, lang: str | None = None, top: int = 10
    ) -> list[LabelMatch]:
        """The ``top`` best concepts for ``text``, best first.

        ``kind`` keeps one concept kind; ``lang`` searches that language's labels (and the
        fallback language's for concepts without any label in it); None searches all.
        """
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        query = normalise(text)
        words = query.split()
        if not words or self.n_labels == 0:
            return []
        allowed = self._allowed(kind, lang)
        levels = [
            self._word_levels(word, allowed, is_last=position == len(words) - 1)
            for position, word in enumerate(words)
        ]
        total, weakest = levels[0].astype(np.uint16), levels[0]
        for level in levels[1:]:
            total += level
            weakest = np.minimum(weakest, level)
        candidates = np.flatnonzero(total.astype(np.bool_) & allowed)
        coverage = total[candidates] / (100.0 * len(words))
        keep = self._shortlist(query, candidates, coverage, allowed, len(words), top)
        candidates, coverage = candidates[keep], coverage[keep]
        if candidates.size == 0:
            return []
        all_prefix = weakest[candidates] >= _PREFIX
        scores, tiers = self._score(query, candidates, coverage, all_prefix)
        chosen = self._best_per_concept(candidates, scores, top)
        return [self._match(candidates[i], scores[i], tiers[i], lang) for i in chosen.tolist()]

    def _allowed(self, kind: str | None, lang: str | None) -> npt.NDArray[np.bool_]:
        key = (kind, lang)
        if key not in self._allowed_cache:
            mask = np.ones(self.n_labels, dtype=np.bool_)
            if kind is not None:
                mask &= self.kind_ == _code(self.kinds_, kind)
            if lang is not None:
                mask &= self._in_language(lang)
            self._allowed_cache[key] = mask
        return self._allowed_cache[key]

    def _in_language(self, lang: str) -> npt.NDArray[np.bool_]:
        """Labels in ``lang``, plus fallback-language labels of concepts with no preferred label
        in it (an ESCO skill that careshift's own table names in Norwegian is still found by its
        English labels)."""
        in_lang = self.lang_ == _code(self.langs_, lang)
        concepts, dense = np.unique(self.concept_, return_inverse=True)
        has_lang = np.zeros(concepts.size, dtype=np.bool_)
        has_lang[dense[in_lang & (self.type_ == _TYPE_RANK["preferred"])]] = True
        fallback = (self.lang_ == _code(self.langs_, self.fallback_lang)) & ~has_lang[dense]
        result: npt.NDArray[np.bool_] = in_lang | fallback
        return result

    def _word_levels(
        self, word: str, allowed: npt.NDArray[np.bool_], *, is_last: bool
    ) -> npt.NDArray[np.uint8]:
        """Match level of ``word`` in every label; stronger levels are written last."""
        levels = np.zeros(self.n_labels, dtype=np.uint8)
        exact = self.tokens_.exact(word)
        # a word still being typed (the last one) may be a prefix however short
        prefixed = self.tokens_.prefixed(word) if is_last or len(word) >= 3 else None
        if exact is None:
            typos = self.tokens_.typos(word, max_edits_for(word))
            # a last word that is neither a typo of a word nor the start of one may be the
            # start of a word typed with a typo ("phelbot")
            if is_last and not typos and prefixed is not None and not allowed[prefixed].any():
                typos += self.tokens_.typos(word, max_edits_for(word), as_prefix=True)
            for labels, edits in sorted(typos, key=lambda t: -t[1]):
                levels[labels] = _ONE_EDIT if edits == 1 else _TWO_EDITS
        if len(word) >= _MIN_INSIDE:
            for labels in self.tokens_.containing(word):
                levels[labels] = _INSIDE
        if prefixed is not None:
            levels[prefixed] = _PREFIX
        if exact is not None:
            levels[exact] = _EXACT
        return levels

    def _shortlist(
        self,
        query: str,
        candidates: npt.NDArray[np.int64],
        coverage: npt.NDArray[np.float64],
        allowed: npt.NDArray[np.bool_],
        n_words: int,
        top: int,
    ) -> npt.NDArray[np.int64]:
        """Positions in ``candidates`` worth exact scoring: whole-label matches plus the best
        by coverage, label type and brevity."""
        limit = max(self.max_candidates, 10 * top)
        if candidates.size <= limit:
            return np.arange(candidates.size)
        brevity = np.minimum(1.0, n_words / self.words_[candidates])
        rough = coverage * _TYPE_WEIGHT[self.type_[candidates]] * (3 + brevity)
        keep = np.argpartition(-rough, limit)[:limit]
        exact = [i for i in self.exact_.get(query, []) if allowed[i]]
        exact_positions = np.flatnonzero(np.isin(candidates, exact))
        chosen: npt.NDArray[np.int64] = np.union1d(keep, exact_positions)
        return chosen

    def _score(
        self,
        query: str,
        candidates: npt.NDArray[np.int64],
        coverage: npt.NDArray[np.float64],
        all_prefix: npt.NDArray[np.bool_],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
        """Score and tier (2 exact, 1 prefix, 0 fuzzy) of each candidate label."""
        texts = [self.normalised_[i] for i in candidates.tolist()]
        weight = _TYPE_WEIGHT[self.type_[candidates]].astype(np.float64)
        exact = np.array([text == query for text in texts], dtype=np.bool_)
        starts = np.array([text.startswith(query) for text in texts], dtype=np.float64)
        precision = np.minimum(1.0, len(query) / self.length_[candidates])
        prefix_quality = 0.45 * precision + 0.35 * starts + 0.2 * coverage
        # the edit-distance similarity is only needed where some word matched with typos
        fuzzy = ~(exact | all_prefix)
        similarity = np.zeros(candidates.size, dtype=np.float64)
        for i in np.flatnonzero(fuzzy).tolist():
            similarity[i] = fuzz.ratio(query, texts[i]) / 100.0
        tiers = np.where(exact, 2, np.where(all_prefix, 1, 0)).astype(np.int8)
        scores = np.select(
            [tiers == 2, tiers == 1],
            [0.9 + 0.1 * weight, 0.6 + 0.3 * prefix_quality * weight],
            0.6 * coverage * (0.5 + 0.5 * similarity) * weight,
        )
        return np.clip(np.round(scores, 6), 0.0, 1.0), tiers

    def _best_per_concept(
        self, candidates: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], top: int
    ) -> npt.NDArray[np.int64]:
        """Positions in ``candidates`` of each concept's best label, best concepts first."""
        types = self.type_[candidates]
        # best label: highest score, then preferred before alt before hidden, then shortest
        order = np.lexsort((candidates, self.length_[candidates], types, -scores))
        _, first = np.unique(self.concept_[candidates[order]], return_index=True)
        best = order[first]
        ranking = np.lexsort((self.concept_[candidates[best]], types[best], -scores[best]))
        chosen: npt.NDArray[np.int64] = best[ranking[:top]]
        return chosen

    def _match(self, label_id: int, score: float, tier: int, lang: str | None) -> LabelMatch:
        label_lang = self.langs_[self.lang_[label_id]]
        return LabelMatch(
            concept=int(self.concept_[label_id]),
            score=float(score),
            text=self.texts_[label_id],
            lang=label_lang,
            label_type=LABEL_TYPES[self.type_[label_id]],
            match=("fuzzy", "prefix", "exact")[tier],
            fallback=lang is not None and label_lang != lang,
        )


def _code(values: list[str], value: str) -> int:
    """Position of ``value`` in ``values``; -1 (matching nothing) when absent."""
    return values.index(value) if value in values else -1
