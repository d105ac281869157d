"""Small-cell suppression: an attacker with the published table learns no hidden count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.suppression import (
    Relation,
    determined_cells,
    layout_2d,
    suppress,
    suppress_1d,
    suppress_2d,
)
from tests.support.disclosure import (
    integer_attack,
    linear_programming_attack,
    publish,
    subtraction_attack,
)

counts = st.integers(min_value=0, max_value=40)
small_heavy_counts = st.one_of(st.integers(0, 6), counts)
tables = st.integers(1, 5).flatmap(
    lambda rows: st.lists(
        st.lists(small_heavy_counts, min_size=1, max_size=6).map(tuple),
        min_size=rows,
        max_size=rows,
    )
)
rectangular = st.tuples(st.integers(1, 5), st.integers(1, 6)).flatmap(
    lambda shape: st.lists(
        st.lists(small_heavy_counts, min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)
cell_sizes = st.integers(3, 8)


@settings(max_examples=150, deadline=None)
@given(rectangular, cell_sizes)
def test_no_suppressed_cell_of_a_two_way_table_is_recoverable_from_the_margins(
    matrix: list[list[int]], k: int
) -> None:
    values, relations = layout_2d(np.array(matrix, dtype=np.int64))
    published = publish(values, suppress(values, relations, k))
    assert subtraction_attack(published, relations) == {}
    for low, high in linear_programming_attack(published, relations).values():
        assert high - low > 0.5
    for low, high in integer_attack(published, relations).values():
        assert high - low >= 1


@settings(max_examples=150, deadline=None)
@given(st.lists(small_heavy_counts, min_size=1, max_size=8), cell_sizes)
def test_no_suppressed_cell_of_a_list_is_recoverable_from_its_total(
    cells: list[int], k: int
) -> None:
    shown, total = suppress_1d(cells, k)
    published = [*shown, total]
    relations: list[Relation] = [(len(cells), tuple(range(len(cells))))]
    assert subtraction_attack(published, relations) == {}
    for low, high in linear_programming_attack(published, relations).values():
        assert high - low > 0.5


@settings(max_examples=150, deadline=None)
@given(rectangular, cell_sizes)
def test_every_published_count_is_zero_or_at_least_the_minimum_cell_size(
    matrix: list[list[int]], k: int
) -> None:
    table = suppress_2d(matrix, k)
    published = [v for row in table.cells for v in row]
    published += [*table.row_totals, *table.column_totals, table.total]
    assert all(v is None or v == 0 or v >= k for v in published)


@settings(max_examples=150, deadline=None)
@given(rectangular, cell_sizes)
def test_hidden_cells_of_a_published_line_together_hold_at_least_k_people(
    matrix: list[list[int]], k: int
) -> None:
    values, relations = layout_2d(np.array(matrix, dtype=np.int64))
    hidden = suppress(values, relations, k)
    for total, components in relations:
        hidden_sum = sum(int(values[c]) for c in components if hidden[c])
        if not hidden[total] and any(hidden[c] for c in components):
            assert hidden_sum >= k


@settings(max_examples=100, deadline=None)
@given(rectangular, cell_sizes)
def test_suppression_leaves_no_cell_determined_by_the_linear_system(
    matrix: list[list[int]], k: int
) -> None:
    values, relations = layout_2d(np.array(matrix, dtype=np.int64))
    hidden = suppress(values, relations, k)
    assert not determined_cells(relations, hidden).any()
    assert not (hidden & (values == 0)).any()


def test_a_group_of_three_is_hidden_along_with_a_complement() -> None:
    shown, total = suppress_1d([40, 3, 25], 5)
    assert shown[1] is None
    assert sum(v is None for v in shown) >= 2
    assert total == 68


def test_a_whole_table_smaller_than_k_publishes_nothing_but_zeros() -> None:
    table = suppress_2d([[1, 0], [2, 1]], 5)
    assert table.total is None
    assert all(v in (None, 0) for row in table.cells for v in row)


def test_a_cell_size_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        suppress([1, 1], [(1, (0,))], 2)


def test_relations_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="does not add up"):
        suppress([1, 2, 4], [(2, (0, 1))], 5)


@settings(max_examples=60, deadline=None)
@given(rectangular, st.lists(st.booleans(), min_size=60, max_size=60))
def test_the_sparse_audit_finds_the_same_determined_cells_as_the_exact_one(
    matrix: list[list[int]], mask: list[bool]
) -> None:
    values, relations = layout_2d(np.array(matrix, dtype=np.int64))
    hidden = np.array(mask[: len(values)] + [False] * max(0, len(values) - 60))
    exact = determined_cells(relations, hidden)
    sparse = determined_cells(relations, hidden, dense_limit=0)
    assert (exact == sparse).all()
