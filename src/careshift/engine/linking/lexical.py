"""Lexical retrieval: character n-gram TF-IDF over every label, in every language.

Character n-grams inside word boundaries survive inflection and compounding (Norwegian and
Swedish glue words together: "blodprøvetaking" shares most grams with "blodprøve"), typos and
casing noise in vacancy titles, so one index serves en, nb and sv without stemmers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import sparse

from careshift.engine.label_text import NORWEGIAN_LETTERS
from careshift.engine.linking.ranges import concat_ranges, run_starts

__all__ = ["CharGramIndex", "grams", "normalise"]

_NON_WORD = re.compile(r"[^\w+#]+")
_NORWEGIAN = str.maketrans(NORWEGIAN_LETTERS)
#: gram lengths; 3-5 balances recall on compounds against precision on short labels
_SIZES = (3, 4, 5)
#: words whose vocabulary columns an index remembers, normalised and as written (each entry
#: about 230 bytes: at most ~115 + ~46 MB per index)
_WORD_CACHE = 500_000
_TEXT_CACHE = 200_000


def normalise(text: str) -> str:
    """Lower case, NFKC, ø and æ folded as search folds them, punctuation to spaces (keeps
    ``c++``/``c#``).

    The fold lets a Norwegian text meet the Swedish skill labels (ESCO has no Norwegian ones):
    "blodprøver" shares its grams with "ta blodprover". Only the letters Swedish lacks are
    folded, so Swedish and English labels keep their grams (folding å, ä and ö too changed
    English skill rankings through the grams' weights, docs/linking.md).
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_NORWEGIAN)
    return " ".join(_NON_WORD.sub(" ", folded).split())


#: a text touching every rule of :func:`normalise` and :func:`grams` (Nordic letters kept and
#: folded, c++, hyphens, a ligature, casing, a dotted capital I)
_PROBE = "Blodprøver Ærø Vårdadministratör C++ c# E-mail ﬁle STRASSE İ x"


def rules_fingerprint() -> str:
    """What :func:`normalise` and :func:`grams` make of a probe text. A stored index's key
    includes it, so a matrix fitted under other rules is never paired with queries cut by
    these (one such pairing ranked Swedish titles at 0.492 instead of 0.502)."""
    return " ".join(grams(normalise(_PROBE)))


def grams(text: str) -> list[str]:
    """Word-bounded character n-grams plus whole words of ``text`` (already normalised)."""
    out: list[str] = []
    for word in text.split():
        out.extend(_word_grams(word))
    return out


@lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    # Texts repeat words endlessly (and titles and labels share them): cut each word once.
    padded = f" {word} "
    return (
        word,
        *(padded[i : i + size] for size in _SIZES for i in range(max(1, len(padded) - size + 1))),
    )


@dataclass
class CharGramIndex:
    """TF-IDF (sublinear tf, smooth idf, L2-normalised rows) over a fixed list of labels.

    ``fit`` stores the vocabulary and the label matrix (shape ``(n_labels, n_grams)``);
    ``scores`` returns cosine similarities (shape ``(n_queries, n_labels)``, sparse, in [0, 1]).
    Grams found in more than ``max_df`` of the labels (" th", "ing", "manage") are dropped:
    they carry almost no weight but make every query touch most labels.
    """

    max_df: float = 0.02

    vocabulary_: dict[str, int] = field(default_factory=dict)
    idf_: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    matrix_: sparse.csr_matrix = field(default_factory=lambda: sparse.csr_matrix((0, 0)))
    _columns_of: dict[str, npt.NDArray[np.int64]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _text_columns_of: dict[str, npt.NDArray[np.int64]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def fit(self, labels: Sequence[str]) -> CharGramIndex:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, label in enumerate(labels):
            for gram in set(grams(normalise(label))):
                rows.append(row)
                cols.append(vocabulary.setdefault(gram, len(vocabulary)))
        shape = (len(labels), max(1, len(vocabulary)))
        ones = np.ones(len(rows), np.float32)
        presence = sparse.csr_matrix((ones, (rows, cols)), shape=shape, dtype=np.float32)
        document_frequency = np.bincount(cols, minlength=shape[1]).astype(np.float32)
        idf = np.log((1.0 + len(labels)) / (1.0 + document_frequency)) + 1.0
        common = document_frequency > max(50.0, self.max_df * len(labels))
        idf[common] = 0.0
        self.idf_ = idf.astype(np.float32)
        self.vocabulary_ = {g: i for g, i in vocabulary.items() if not common[i]}
        self._columns_of = {}
        self._text_columns_of = {}
        matrix = _l2_rows(presence @ sparse.diags(self.idf_))
        matrix.eliminate_zeros()
        self.matrix_ = matrix
        return self

    @classmethod
    def from_arrays(
        cls,
        grams_: Sequence[str],
        idf: npt.NDArray[np.float32],
        matrix: sparse.csr_matrix,
        max_df: float,
    ) -> CharGramIndex:
        """Rebuild a fitted index from :meth:`to_arrays` output (a cached artefact)."""
        index = cls(max_df=max_df)
        index.vocabulary_ = {g: i for i, g in enumerate(grams_) if g}
        index.idf_ = idf
        index.matrix_ = matrix
        return index

    def to_arrays(self) -> tuple[list[str], npt.NDArray[np.float32], sparse.csr_matrix]:
        """Vocabulary by column (dropped grams as ""), idf and the label matrix."""
        grams_ = [""] * self.idf_.size
        for gram, column in self.vocabulary_.items():
            grams_[column] = gram
        return grams_, self.idf_, self.matrix_

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Queries as TF-IDF rows in the fitted space; unknown grams are ignored."""
        return self._weighted(self._counts([self._columns(text) for text in texts]))

    def transform_runs(
        self,
        words: Sequence[str],
        first: npt.NDArray[np.int64],
        last: npt.NDArray[np.int64],
    ) -> sparse.csr_matrix:
        """``transform`` of each run of words ``words[first[i]] .. words[last[i]]``.

        A run's grams are its words' grams, so each word is cut once (a document's runs
        repeat each word up to four times; normalising and cutting every run's text cost more
        than scoring it). With the words' gram columns laid end to end in order, a run's
        grams are one contiguous slice of them: the runs' count rows are gathered, not
        multiplied out.
        """
        by_word = [self._text_columns(word) for word in words]
        sizes = np.fromiter((c.size for c in by_word), np.int64, len(by_word))
        columns = np.concatenate(by_word) if by_word else np.zeros(0, np.int64)
        ends = np.cumsum(sizes)
        begin = (ends - sizes)[first]
        lengths = ends[last] - begin
        return self._weighted(self._rows(columns[concat_ranges(begin, lengths)], lengths))

    def known(self, words: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Which words have at least one gram the index keeps ("of", "the", "with" have none:
        their grams are in too many labels)."""
        return np.fromiter((self._text_columns(w).size > 0 for w in words), bool, len(words))

    def _counts(self, columns: Sequence[npt.NDArray[np.int64]]) -> sparse.csr_matrix:
        """One row per entry of ``columns``: how often each gram column occurs in it."""
        sizes = np.fromiter((c.size for c in columns), np.int64, len(columns))
        cols = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        return self._rows(cols, sizes)

    def _rows(self, cols: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]) -> sparse.csr_matrix:
        """Count rows from gram columns laid end to end, ``sizes[i]`` of them for row ``i``."""
        return sparse.csr_matrix(
            (np.ones(cols.size, np.float32), cols, np.r_[0, np.cumsum(sizes)]),
            shape=(sizes.size, self.matrix_.shape[1]),
        )

    def _weighted(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        # Duplicates sum into term counts; then sublinear tf times idf, as in ``fit``.
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        return _l2_rows(counts, copy=False)

    def _columns(self, text: str) -> npt.NDArray[np.int64]:
        """Columns of every gram of every word of ``text`` ("E-mail": two words)."""
        parts = [self._word_columns(word) for word in normalise(text).split()]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _text_columns(self, text: str) -> npt.NDArray[np.int64]:
        """:meth:`_columns`, remembered: a document's words as written recur endlessly."""
        cache = self._text_columns_of
        found = cache.get(text)
        if found is None:
            found = self._columns(text)
            if len(cache) < _TEXT_CACHE:
                cache[text] = found
        return found

    def _word_columns(self, word: str) -> npt.NDArray[np.int64]:
        # A corpus repeats words endlessly: look each word's grams up once.
        cache = self._columns_of
        found = cache.get(word)
        if found is None:
            hits = [self.vocabulary_.get(gram) for gram in _word_grams(word)]
            found = np.asarray([c for c in hits if c is not None], dtype=np.int64)
            if len(cache) < _WORD_CACHE:
                cache[word] = found
        return found

    def scores(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Cosine similarity of each text with each label, shape ``(len(texts), n_labels)``."""
        result: sparse.csr_matrix = (self.transform(texts) @ self.matrix_.T).tocsr()
        return result

    def best(
        self, queries: sparse.csr_matrix, rows: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """For each label (or each of ``rows``): its best cosine over the ``queries`` (rows of
        ``transform`` or ``transform_runs``) and which query.

        Stays sparse: a document's few hundred word runs never become a dense
        ``(n_runs, n_labels)`` matrix. Shapes ``(n,)`` and ``(n,)``, ``n`` labels or rows.
        """
        labels = self.matrix_ if rows is None else self.matrix_[rows]
        if queries.shape[0] == 0 or labels.shape[0] == 0:
            return np.zeros(labels.shape[0], np.float32), np.zeros(labels.shape[0], np.int64)
        by_label = labels @ queries.T
        by_label.eliminate_zeros()
        return _row_max(by_label)


def _row_max(
    matrix: sparse.csr_matrix,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """Each row's largest stored value and its lowest column holding it (0 and 0 for an empty
    row); scipy's own ``argmax`` loops in Python per row, this stays in numpy. Column indices
    need not be sorted (sorting a product's indices cost more than the rest)."""
    best = np.zeros(matrix.shape[0], np.float32)
    which = np.zeros(matrix.shape[0], np.int64)
    sizes = np.diff(matrix.indptr)
    filled = np.flatnonzero(sizes)
    if filled.size == 0:
        return best, which
    best[filled] = np.maximum.reduceat(matrix.data, matrix.indptr[filled])
    row_of = np.repeat(np.arange(matrix.shape[0]), sizes)
    at_max = np.flatnonzero(matrix.data == best[row_of])
    # ``at_max`` lists each row's entries together, rows in order (CSR order)
    row_at_max = row_of[at_max]
    first = run_starts(row_at_max)
    which[row_at_max[first]] = np.minimum.reduceat(matrix.indices[at_max], first)
    return best, which


def _l2_rows(matrix: sparse.spmatrix, *, copy: bool = True) -> sparse.csr_matrix:
    """Rows scaled to unit length; ``copy=False`` scales a float32 CSR ``matrix`` in place."""
    result = sparse.csr_matrix(matrix, dtype=np.float32, copy=copy)
    sizes = np.diff(result.indptr)
    filled = np.flatnonzero(sizes)
    norms = np.ones(result.shape[0], np.float32)
    if filled.size:
        norms[filled] = np.sqrt(np.add.reduceat(result.data**2, result.indptr[filled]))
    norms[norms == 0] = 1.0
    result.data *= np.repeat(1.0 / norms, sizes)
    return result
