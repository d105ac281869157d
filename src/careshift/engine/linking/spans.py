"""Cut a document into the pieces skills are looked for in, keeping character offsets.

Three granularities: *passages* (whole sentences, what the embedding model reads), *clauses*
(sentences split further at list punctuation, bullets and "and"), and *word runs*, also called
windows (1..n consecutive words inside a clause, what the lexical index matches against short
labels such as "take blood samples").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careshift.engine.linking.ranges import concat_ranges

__all__ = ["Piece", "WordRuns", "clauses", "passages", "sentence_clauses", "word_runs"]

# Sentence ends, list separators and bullets; a comma splits clauses because job ads and CVs
# list skills with commas ("PSA, ECG, phlebotomy").
_CLAUSE_BREAK = re.compile(
    r"[.!?;:,\u2022\u00b7|/()\[\]\n\r\t]+|\s[-\u2013*]\s|\s(?:and|og|och|or|eller)\s"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Combining marks belong to their word: text from macOS or PDFs often spells "på" as "pa" plus
# a combining ring, and \w does not match the ring.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"[\w+#][\w+#'\u2019.{_MARKS}-]*[\w+#{_MARKS}]|[\w+#][{_MARKS}]*")


@dataclass(frozen=True)
class Piece:
    """A piece of the text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int

    def shifted(self, offset: int) -> Piece:
        """The same piece with offsets moved by ``offset`` (from a passage into its document)."""
        return Piece(self.text, self.start + offset, self.end + offset)


def clauses(text: str, *, min_chars: int = 2) -> list[Piece]:
    """Clauses of ``text`` in order, stripped; empty ones dropped."""
    pieces: list[Piece] = []
    position = 0
    for match in [*_CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if len(stripped) >= min_chars:
            start = position + chunk.index(stripped)
            pieces.append(Piece(stripped, start, start + len(stripped)))
        position = match.end() if match else len(text)
    return pieces


def sentence_clauses(sentences: Iterable[Piece], *, min_words: int = 2) -> list[Piece]:
    """The clauses of ``min_words`` or more words of each sentence that holds two or more of
    them, with offsets into the sentences' source.

    A CV sentence often names several duties ("I receive patients, book appointments and
    answer the phone"); its one vector favours one of them, a clause's vector each.
    """
    found: list[Piece] = []
    for sentence in sentences:
        parts = [
            c.shifted(sentence.start)
            for c in clauses(sentence.text)
            if len(c.text.split()) >= min_words
        ]
        if len(parts) > 1:
            found.extend(parts)
    return found


def passages(text: str, *, max_chars: int = 400) -> list[Piece]:
    """What the embedding model reads: each sentence whole (a job-ad sentence, a CV line),
    cut at a word boundary when longer than ``max_chars``.

    Whole sentences beat comma clauses on the dev sets (the model needs the context), while
    one vector for a whole paragraph loses its second and third topic.
    """
    pieces: list[Piece] = []
    position = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        pieces.extend(_cut(text, position, end, max_chars))
        position = match.end() if match else len(text)
    return pieces


def _cut(text: str, start: int, end: int, max_chars: int) -> list[Piece]:
    pieces = []
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        stop = min(end, start + max_chars)
        if stop < end:
            space = text.rfind(" ", start, stop)
            stop = space if space > start else stop
        chunk = text[start:stop].rstrip()
        if len(chunk) >= 2:
            pieces.append(Piece(chunk, start, start + len(chunk)))
        start = stop
    return pieces


@dataclass(frozen=True)
class WordRuns:
    """Every run of 1..n consecutive words inside each piece: run ``i`` is words
    ``first[i] .. last[i]``; word ``k`` is ``words[k]``, at ``starts[k]:ends[k]`` in the source.

    Arrays rather than a piece per run: a 150-word document has ~600 runs, and only the few
    that best match some label ever become a span.
    """

    words: list[str]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    first: npt.NDArray[np.int64]
    last: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.first.size)

    def span(self, run: int) -> tuple[int, int]:
        """Character offsets of run ``run`` in the source."""
        return int(self.starts[self.first[run]]), int(self.ends[self.last[run]])

    def bounded_by(self, wanted: npt.NDArray[np.bool_]) -> WordRuns:
        """The runs whose first and last words are ``wanted`` (one flag per word), in order."""
        keep = wanted[self.first] & wanted[self.last]
        return WordRuns(self.words, self.starts, self.ends, self.first[keep], self.last[keep])


def word_runs(pieces: Iterable[Piece], *, max_words: int = 4) -> WordRuns:
    """The runs of 1..``max_words`` words of each piece (runs never cross pieces), ordered by
    first word, then by length; word offsets are in the source."""
    found = [
        (match.group(), piece.start + match.start(), piece.start + match.end(), piece_no)
        for piece_no, piece in enumerate(pieces)
        for match in _WORD.finditer(piece.text)
    ]
    if not found:
        empty = np.zeros(0, np.int64)
        return WordRuns([], empty, empty, empty, empty)
    words, starts, ends, owner = zip(*found, strict=True)
    piece_of = np.asarray(owner, np.int64)
    count = piece_of.size
    # index one past the last word of each word's piece: a run stops there
    stop = np.searchsorted(piece_of, piece_of, side="right")
    lengths = np.minimum(max_words, stop - np.arange(count))
    return WordRuns(
        list(words),
        np.asarray(starts, np.int64),
        np.asarray(ends, np.int64),
        np.repeat(np.arange(count, dtype=np.int64), lengths),
        concat_ranges(np.arange(count), lengths),
    )
