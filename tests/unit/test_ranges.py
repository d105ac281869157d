"""Index arithmetic of the linking engine (``engine/linking/ranges.py``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from careshift.engine.linking.ranges import run_starts


def test_runs_start_where_the_key_changes() -> None:
    assert run_starts([3, 3, 5, 7, 7]).tolist() == [0, 2, 3]
    assert run_starts([]).tolist() == []
    assert run_starts([4]).tolist() == [0]


@given(st.lists(st.integers(0, 6), max_size=40))
def test_on_sorted_keys_runs_start_where_np_unique_finds_each_value_first(keys: list[int]) -> None:
    ordered = np.sort(np.asarray(keys, dtype=np.int64))
    _, first = np.unique(ordered, return_index=True)
    assert run_starts(ordered).tolist() == first.tolist()
