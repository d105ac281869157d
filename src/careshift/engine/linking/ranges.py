"""Index arithmetic shared by the linking engine."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["concat_ranges"]

IntArray = npt.NDArray[np.int64]


def concat_ranges(starts: npt.ArrayLike, lengths: npt.ArrayLike) -> IntArray:
    """``start, start + 1, .., start + length - 1`` for each range, concatenated in order
    (the rows a list of slices covers), without a Python loop."""
    first = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(lengths, dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes
    result: IntArray = np.repeat(first - offsets, sizes) + np.arange(int(sizes.sum()))
    return result
