"""The fitting script's folds: random by title, or whole gold occupations held out."""

from __future__ import annotations

import numpy as np
from benchmarks._title_rerank import FOLDS, TitleSet, _occupation_folds, _title_folds
from hypothesis import given
from hypothesis import strategies as st


def _titles(golds: list[set[str]]) -> TitleSet:
    empty = np.zeros(0, np.int64)
    return TitleSet(
        concepts=[empty for _ in golds],
        features=[np.zeros((0, 1), np.float32) for _ in golds],
        gold=[np.zeros(0, bool) for _ in golds],
        expected=golds,
        uris=(),
        fitted=("fused",),
    )


golds = st.lists(
    st.sets(st.sampled_from([f"occ/{k}" for k in range(12)]), min_size=1, max_size=2),
    min_size=1,
    max_size=60,
)


@given(golds)
def test_each_title_is_held_out_exactly_once(expected: list[set[str]]) -> None:
    data = _titles(expected)
    for folds in (_title_folds(data, 0), _occupation_folds(data, 0)):
        assert len(folds) == FOLDS
        assert sorted(np.concatenate(folds).tolist()) == list(range(len(expected)))


@given(golds)
def test_an_occupation_never_sits_in_two_folds(expected: list[set[str]]) -> None:
    folds = _occupation_folds(_titles(expected), 0)
    fold_of_key: dict[str, int] = {}
    for fold, titles in enumerate(folds):
        for title in titles:
            key = min(expected[title])
            assert fold_of_key.setdefault(key, fold) == fold
