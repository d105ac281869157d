"""Words to labels: an inverted index with prefix ranges and typo candidates.

The vocabulary is sorted, and the postings (label ids per word) are stored in that order in one
CSR pair ``indptr``/``postings``. All words starting with a prefix form one contiguous vocabulary
range, so their postings are one contiguous slice: a prefix lookup costs two bisections and no
copying, however many words it covers.

Typo candidates come from character trigrams of the vocabulary (not of the labels), so the
bounded set handed to the edit-distance scorer is a few hundred words at most.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from careshift.engine.label_text import trigrams

__all__ = ["TokenIndex"]

IntArray = npt.NDArray[np.int32]

#: upper bound of words checked by edit distance per query word
_MAX_TYPO_CANDIDATES = 400


class TokenIndex:
    """Inverted index from normalised words to label ids.

    Parameters
    ----------
    max_typo_candidates:
        How many trigram-sharing words, at most, are checked by edit distance per query word.
    """

    def __init__(self, max_typo_candidates: int = _MAX_TYPO_CANDIDATES) -> None:
        self.max_typo_candidates = max_typo_candidates

    def fit(self, label_tokens: Sequence[Sequence[str]]) -> TokenIndex:
        """Index ``label_tokens[i]``, the words of label ``i``."""
        pair_words: list[str] = []
        pair_labels: list[int] = []
        for label_id, words in enumerate(label_tokens):
            unique = set(words)
            pair_words.extend(unique)
            pair_labels.extend([label_id] * len(unique))
        self.vocabulary_ = sorted(set(pair_words))
        self.word_id_ = {word: i for i, word in enumerate(self.vocabulary_)}
        n_words, n_labels = len(self.vocabulary_), max(1, len(label_tokens))
        word_ids = np.fromiter(
            (self.word_id_[w] for w in pair_words), dtype=np.int64, count=len(pair_words)
        )
        # one sort of (word, label) keys lays the postings out in vocabulary order
        keys = np.sort(word_ids * n_labels + np.asarray(pair_labels, dtype=np.int64))
        self.postings_: IntArray = (keys % n_labels).astype(np.int32)
        self.indptr_ = np.zeros(n_words + 1, dtype=np.int64)
        np.cumsum(np.bincount(word_ids, minlength=n_words), out=self.indptr_[1:])
        self.word_length_ = np.fromiter(
            (len(w) for w in self.vocabulary_), dtype=np.int32, count=n_words
        )
        grams: dict[str, list[int]] = defaultdict(list)
        for word_id, word in enumerate(self.vocabulary_):
            for gram in trigrams(word):
                grams[gram].append(word_id)
        self.gram_words_ = {g: np.asarray(ids, dtype=np.int32) for g, ids in grams.items()}
        return self

    def exact(self, word: str) -> IntArray | None:
        """Label ids containing ``word``, or None when no label does."""
        word_id = self.word_id_.get(word)
        if word_id is None:
            return None
        return self._slice(word_id, word_id + 1)

    def prefixed(self, prefix: str) -> IntArray:
        """Label ids containing a word that starts with ``prefix`` (may repeat ids)."""
        start = bisect_left(self.vocabulary_, prefix)
        stop = bisect_left(self.vocabulary_, prefix + "\U0010ffff", lo=start)
        return self._slice(start, stop)

    def containing(self, word: str) -> list[IntArray]:
        """Label ids of words that contain ``word`` after their start: compound words such as
        "anestesisykepleier" for "sykepleier" (Norwegian and Swedish write them as one)."""
        inner = {word[i : i + 3] for i in range(len(word) - 2)}
        found = [self.gram_words_[g] for g in inner if g in self.gram_words_]
        if not inner or len(found) < len(inner):
            return []
        # intersect from the rarest trigram up: the running set only shrinks
        found.sort(key=len)
        words = found[0]
        for postings in found[1:]:
            if words.size == 0:
                return []
            words = np.intersect1d(words, postings, assume_unique=True)
        longer = words[self.word_length_[words] > len(word)]
        return [
            self._slice(word_id, word_id + 1)
            for word_id in longer[: self.max_typo_candidates].tolist()
            if word in self.vocabulary_[word_id][1:]
        ]

    def typos(
        self, word: str, max_edits: int, *, as_prefix: bool = False
    ) -> list[tuple[IntArray, int]]:
        """``(label ids, edits)`` for every indexed word within ``max_edits`` of ``word``.

        With ``as_prefix`` the word is the start of a word still being typed ("flebot"), and
        it is compared with the starts of indexed words.
        """
        if max_edits <= 0:
            return []
        query_grams = trigrams(word)
        if as_prefix:
            query_grams = {g for g in query_grams if not g.endswith("$")}
        found = [self.gram_words_[g] for g in query_grams if g in self.gram_words_]
        if not found:
            return []
        shared = np.bincount(np.concatenate(found), minlength=len(self.vocabulary_))
        # an edit touches at most three trigrams (a swap four), so a true match shares this many
        needed = max(1, len(query_grams) - 4 * max_edits)
        if as_prefix:
            close_length = self.word_length_ >= len(word) - max_edits
        else:
            close_length = np.abs(self.word_length_ - len(word)) <= max_edits
        candidates = np.flatnonzero((shared >= needed) & close_length)
        if candidates.size > self.max_typo_candidates:
            # the words sharing most trigrams, in vocabulary order
            best = np.argpartition(-shared[candidates], self.max_typo_candidates)
            candidates = np.sort(candidates[best[: self.max_typo_candidates]])
        matches = []
        for word_id in candidates.tolist():
            edits = self._edits(word, self.vocabulary_[word_id], max_edits, as_prefix)
            if 0 < edits <= max_edits:
                matches.append((self._slice(word_id, word_id + 1), edits))
        return matches

    @staticmethod
    def _edits(word: str, indexed: str, max_edits: int, as_prefix: bool) -> int:
        # optimal string alignment: swapping two letters, the commonest typo, is one edit
        if not as_prefix:
            return OSA.distance(word, indexed, score_cutoff=max_edits)
        lengths = range(max(1, len(word) - max_edits), len(word) + max_edits + 1)
        return min(OSA.distance(word, indexed[:n], score_cutoff=max_edits) for n in lengths)

    def _slice(self, start: int, stop: int) -> IntArray:
        return self.postings_[self.indptr_[start] : self.indptr_[stop]]
