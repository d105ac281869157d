"""Index arithmetic shared by the linking engine."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["concat_ranges", "run_starts"]

IntArray = npt.NDArray[np.int64]


def concat_ranges(starts: npt.ArrayLike, lengths: npt.ArrayLike) -> IntArray:
    """``start, start + 1, .., start + length - 1`` for each range, concatenated in order
    (the rows a list of slices covers), without a Python loop."""
    first = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(lengths, dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes
    result: IntArray = np.repeat(first - offsets, sizes) + np.arange(int(sizes.sum()))
    return result


def run_starts(keys: npt.ArrayLike) -> IntArray:
    """Positions where a new run of equal ``keys`` begins (``keys`` grouped, e.g. sorted):
    ``[3, 3, 5, 7, 7]`` -> ``[0, 2, 3]``; empty for no keys. No sort, unlike ``np.unique``."""
    values = np.asarray(keys)
    if values.size == 0:
        return np.zeros(0, np.int64)
    result: IntArray = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]).astype(np.int64)
    return result
