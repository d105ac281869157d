"""A deterministic stand-in for an embedding model, for engine tests that need no real one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def hashed_trigrams(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Each text's character trigrams hashed into 64 buckets, unit length (zero for "")."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        padded = f"  {text.lower()}  "
        for i in range(len(padded) - 2):
            out[row, sum(map(ord, padded[i : i + 3])) % 64] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
