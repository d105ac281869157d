"""Gap arithmetic, group aggregation, heatmap protection and the training choice."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.gaps import (
    greedy_training,
    group_gaps,
    most_common,
    shortfall,
)
from careshift.services.gap_groups import protect_groups
from tests.support.disclosure import (
    integer_attack,
    linear_programming_attack,
    subtraction_attack,
)


def test_gap_ignores_skills_above_target_level_and_skills_not_required() -> None:
    levels = np.array([[5, 1, 0], [2, 3, 6]])
    required = np.array([3, 3, 0])
    assert shortfall(levels, required).tolist() == [[0, 2, 0], [1, 0, 0]]


def test_a_missing_skill_counts_its_whole_required_level() -> None:
    assert shortfall(np.array([[0]]), np.array([4])).tolist() == [[4]]


def test_group_gaps_count_people_and_sum_missing_levels_per_group() -> None:
    gaps = np.array([[2, 0], [1, 1], [0, 0]])
    result = group_gaps(gaps, np.array([0, 0, 1]), 2)
    assert result.sizes.tolist() == [2, 1]
    assert result.with_gap.tolist() == [[2, 1], [0, 0]]
    assert result.missing_levels.tolist() == [[3, 1], [0, 0]]


staff = st.lists(
    st.tuples(
        st.sampled_from("ABC"),
        st.sampled_from("xy"),
        st.lists(st.integers(0, 2), min_size=2, max_size=2),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(staff, st.integers(3, 6), st.sampled_from([None, False]))
def test_no_group_report_shows_or_lets_a_reader_recover_a_group_smaller_than_k(
    people: list[tuple[str, str, list[int]]], k: int, with_cells: bool | None
) -> None:
    units = [unit for unit, _, _ in people]
    roles = [role for _, role, _ in people]
    gaps = np.array([g for _, _, g in people], dtype=np.int64)
    groups = protect_groups(units, roles, gaps, k, with_cells=with_cells)
    shown = np.array([-1 if v is None else v for v in groups.shown])
    assert ((shown == -1) | (shown == 0) | (shown >= k)).all()
    table = groups.table
    assert subtraction_attack(groups.shown, table.relations) == {}
    for low, high in linear_programming_attack(groups.shown, table.relations).values():
        assert high - low > 0.5
    for low, high in integer_attack(groups.shown, table.relations).values():
        assert high - low >= 1  # at least two whole-people answers fit what is published


def test_a_units_role_breakdown_cannot_be_subtracted_from_the_unit() -> None:
    # unit A: 12 people of role x and 2 of role y; the 2 must not be recoverable from any report
    units, roles = ["A"] * 14, ["x"] * 12 + ["y"] * 2
    groups = protect_groups(units, roles, np.ones((14, 1), dtype=np.int64), 5)
    cell_x, unit_a = groups.find("cell", "A", "x"), groups.find("unit", "A")
    assert cell_x is not None and unit_a is not None
    assert groups.size(cell_x) is None or groups.size(unit_a) is None


def test_many_small_unit_role_groups_are_left_out_of_the_table() -> None:
    # 40 units of 6 people, 2 in each of 3 roles: every unit-role cell is small
    units = [f"U{i // 6}" for i in range(240)]
    roles = ["xyz"[i % 3] for i in range(240)]
    groups = protect_groups(units, roles, np.ones((240, 3), dtype=np.int64), 5)
    assert not groups.with_cells
    assert groups.size(groups.find("role", None, "x") or 0) == 80


def test_groups_smaller_than_k_are_pooled_and_never_named() -> None:
    units = ["A"] * 10 + ["B"] * 2 + ["C"] * 4
    groups = protect_groups(units, ["x"] * 16, np.zeros((16, 2), dtype=np.int64), 5)
    assert groups.find("unit", "B") is None and groups.find("unit", "C") is None
    pooled = groups.find("unit", "(smaller units together)")
    assert pooled is not None and groups.size(pooled) == 6


def test_greedy_training_picks_the_course_closing_most_gaps_first() -> None:
    gap_counts = np.array([10, 4, 7, 0])
    coverage = np.array(
        [[True, False, False, False], [False, True, True, False], [True, True, False, True]]
    )
    choices = greedy_training(gap_counts, coverage)
    assert [(c.training, c.gaps_closed) for c in choices] == [(2, 14), (1, 7)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 20), min_size=1, max_size=6),
    st.lists(st.lists(st.booleans(), min_size=6, max_size=6), min_size=1, max_size=5),
)
def test_greedy_first_pick_is_the_best_single_training_and_never_double_counts(
    counts: list[int], rows: list[list[bool]]
) -> None:
    gap_counts = np.array(counts)
    coverage = np.array([row[: len(counts)] for row in rows])
    choices = greedy_training(gap_counts, coverage)
    closed = sum(c.gaps_closed for c in choices)
    union = coverage[[c.training for c in choices]].any(axis=0) if choices else np.zeros(0, bool)
    assert closed == (gap_counts[union].sum() if choices else 0)
    best_single = max(int(gap_counts[row].sum()) for row in coverage)
    assert (choices[0].gaps_closed if choices else 0) == best_single
    for size in range(1, min(3, len(coverage)) + 1):
        optimum = max(
            int(gap_counts[coverage[list(subset)].any(axis=0)].sum())
            for subset in itertools.combinations(range(len(coverage)), size)
        )
        greedy = sum(c.gaps_closed for c in choices[:size])
        assert greedy >= (1 - 1 / np.e) * optimum - 1e-9


def test_most_common_gaps_are_ordered_by_count_and_skip_zeros() -> None:
    assert most_common([3, 0, 9, 3], 10) == [2, 0, 3]
