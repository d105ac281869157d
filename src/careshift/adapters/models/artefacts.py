"""Label-embedding artefacts: computed once per (label set, model), memory-mapped afterwards.

Embedding tens of thousands of taxonomy labels takes minutes on two cores, so the matrix is
written to ``<data_dir>/artefacts/<name>-<key>.npy`` and every later process maps it read-only
(``np.load(mmap_mode="r")``): start-up costs a file open, and the pages are shared between
worker processes. The key hashes the model name and the exact texts, so a new taxonomy release
or a different model gets a new file and a stale one is never read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from careshift.adapters.models.embedders import Embedder, TextKind
from careshift.engine.linking.lexical import CharGramIndex, rules_fingerprint

__all__ = ["artefact_key", "artefact_path", "label_vectors", "lexical_index"]

_log = logging.getLogger("careshift.linking")
_CHUNK = 2048


def artefact_key(embedder: Embedder, texts: Sequence[str], kind: TextKind) -> str:
    digest = hashlib.sha256(f"{embedder.name}\n{kind}\n".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "replace") + b"\x00")
    return digest.hexdigest()[:20]


def artefact_path(directory: Path, name: str, key: str) -> Path:
    return directory / f"{name}-{key}.npy"


def label_vectors(
    embedder: Embedder,
    texts: Sequence[str],
    directory: Path,
    name: str,
    kind: TextKind = "query",
) -> npt.NDArray[np.float32]:
    """``(len(texts), dim)`` unit rows, read-only and memory-mapped; computed if missing."""
    path = artefact_path(directory, name, artefact_key(embedder, texts, kind))
    if not path.exists():
        _build(embedder, texts, path, kind)
    matrix: npt.NDArray[np.float32] = np.load(path, mmap_mode="r")
    if matrix.shape[0] != len(texts):  # a truncated file from a crash: rebuild it
        path.unlink()
        return label_vectors(embedder, texts, directory, name, kind)
    return matrix


def _build(embedder: Embedder, texts: Sequence[str], path: Path, kind: TextKind) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _log.warning("embedding %d labels into %s (once per taxonomy and model)", len(texts), path)
    parts = []
    for first in range(0, len(texts), _CHUNK):
        parts.append(embedder.encode(texts[first : first + _CHUNK], kind).astype(np.float32))
        _log.info("embedded %d/%d labels", min(first + _CHUNK, len(texts)), len(texts))
    matrix = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), np.float32)
    # Write beside and rename: a reader never maps a half-written file, and two processes
    # building at once both end with a complete file.
    partial = _partial(path)
    with partial.open("wb") as handle:
        np.save(handle, matrix)
    partial.replace(path)
    _log.warning("embedded %d labels in %.0f s", len(texts), time.perf_counter() - started)


def lexical_index(
    texts: Sequence[str], directory: Path, name: str, max_df: float = 1.0
) -> CharGramIndex:
    """The fitted character n-gram index of ``texts``, cached like the embeddings.

    Fitting walks every gram of every label in Python (tens of seconds for all of ESCO);
    loading the stored arrays takes well under a second.
    """
    # v2: rows normalised by another (equally exact) float32 sum than v1's. The rules'
    # fingerprint changes the key whenever normalising or cutting grams does, so every
    # process pairs its queries with matrices fitted under the same rules
    digest = hashlib.sha256(f"chargram-v2\n{max_df}\n{rules_fingerprint()}\n".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "replace") + b"\x00")
    path = directory / f"{name}-lexical-{digest.hexdigest()[:20]}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as stored:
            matrix = sparse.csr_matrix(
                (stored["data"], stored["indices"], stored["indptr"]), shape=tuple(stored["shape"])
            )
            grams = stored["grams"].tolist()
            return CharGramIndex.from_arrays(grams, stored["idf"], matrix, max_df)
    index = CharGramIndex(max_df=max_df).fit(texts)
    grams, idf, matrix = index.to_arrays()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(path)
    with partial.open("wb") as handle:
        np.savez(
            handle,
            grams=np.asarray(grams, dtype=str),
            idf=idf,
            data=matrix.data,
            indices=matrix.indices,
            indptr=matrix.indptr,
            shape=np.asarray(matrix.shape),
        )
    partial.replace(path)
    return index


def _partial(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place: one file per process and
    thread, so two builders of the same artefact never write (or rename) each other's file."""
    return path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
